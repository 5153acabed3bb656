"""dashboard.py through Streamlit's AppTest (no browser): it renders, filters drive the
evidence, the URL reproduces a view, and empty or missing databases show the way out."""
from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.dashboard_db import HOSTILE_SENTENCE, make_fixture_db

DASHBOARD = Path(__file__).resolve().parent.parent / "dashboard.py"
REFRESH_COMMAND = "python -m etl refresh --reports data/reports"


@pytest.fixture(scope="module")
def fixture_db(tmp_path_factory):
    return make_fixture_db(tmp_path_factory.mktemp("apptest") / "presence.duckdb")


def run_app(monkeypatch, db: Path, query_params: dict | None = None) -> AppTest:
    monkeypatch.setenv("PRESENCE_DB", str(db))
    at = AppTest.from_file(str(DASHBOARD), default_timeout=60)
    if query_params:
        at.query_params.update(query_params)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def charts(at: AppTest) -> list:
    return at.get("vega_lite_chart")


def open_tab(at: AppTest, label: str) -> AppTest:
    """Only the open tab runs: open another one as a click would (a rerun)."""
    at.session_state["tab"] = label
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def table_with(at: AppTest, column: str):
    """The first st.dataframe showing `column` (read-only tables carry no key in AppTest)."""
    for frame in at.dataframe:
        value = frame.value
        if column in value.columns:
            return value
    raise AssertionError(f"no table with a {column!r} column")


def evidence_sentences(at: AppTest) -> list[str]:
    return table_with(at, "sentence_marked")["sentence_marked"].tolist()


def markdown_texts(at: AppTest) -> list[str]:
    """Everything rendered as Markdown (where report text must never go)."""
    return [*at.markdown.values, *at.caption.values, *at.info.values, *at.title.values,
            *at.header.values, *at.subheader.values, *at.warning.values, *at.error.values]


def test_renders_town_view_with_chart_and_evidence(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    assert at.multiselect(key="f_towns").value == ["abu_kamal"]  # the most active town
    assert len(charts(at)) == 1  # the small multiples (the map's tab has not run)
    assert '"vconcat"' in charts(at)[0].proto.spec
    sentences = evidence_sentences(at)
    assert len(sentences) == 9
    assert sentences[1] == "IS checkpoints have «dwindled» in Al-Bokamel."
    assert sentences[0] == HOSTILE_SENTENCE.replace("decreased", "«decreased»")
    table = table_with(at, "sentence_marked")
    assert pd.isna(table["link"].iloc[0])  # the javascript: URL is not linked
    assert table["link"].iloc[1] == "https://syriadirect.example/r06"
    assert table["hedged"].tolist().count(True) == 1
    texts = [t.value for t in at.text]
    assert any("«dwindled»" in t and "Syria Direct" in t for t in texts)
    assert any("HEDGED" in t for t in texts)
    assert at.caption.values[0].startswith("Last refresh: 2015-01-21 06:00 (ok)")


def test_hostile_text_is_never_markdown(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    assert any("<script>alert(1)</script>" in t.value for t in at.text)
    for text in markdown_texts(at):
        assert "evil.invalid" not in text and "<script>" not in text and "onerror" not in text


def test_changing_the_town_changes_the_evidence(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    at.multiselect(key="f_towns").set_value(["al_qaim"]).run()
    assert not at.exception
    sentences = evidence_sentences(at)
    assert sentences == [
        "Unknown gunmen «killed» 4 Iraqi soldiers in Al-Qaim on Monday.",
        "No IS checkpoints were «set up» in Al-Qaim.",
        "Iraqi forces «set up» checkpoints around Al-Qaim.",
    ]
    assert table_with(at, "sentence_marked")["negated"].tolist() == [False, True, False]
    assert at.query_params["town"] == "al_qaim"


def test_filters_narrow_the_evidence_and_go_to_the_url(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    at.toggle(key="f_hedged").set_value(False).run()
    assert len(evidence_sentences(at)) == 8
    at.multiselect(key="f_indicators").set_value(["checkpoint"]).run()
    assert len(evidence_sentences(at)) == 4
    assert at.query_params["hedged"] == "0"
    assert at.query_params["indicator"] == "checkpoint"


def test_province_observations_left_out_are_counted(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    assert "Not tied to a town: 2 province-level." in " ".join(at.sidebar.caption.values)
    at.radio(key="f_precision").set_value("all").run()
    assert not any("Not tied to a town" in c for c in at.sidebar.caption.values)


def test_query_params_reproduce_a_view(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, {
        "town": ["al_mayadin", "abu_kamal"], "group": "islamic_state",
        "indicator": "patrol", "period": "month", "from": "2014-11-01",
        "to": "2015-01-15", "conf": "0.6", "hedged": "0", "precision": "towns",
    })
    assert at.multiselect(key="f_towns").value == ["al_mayadin", "abu_kamal"]
    assert at.multiselect(key="f_groups").value == ["islamic_state"]
    assert at.multiselect(key="f_indicators").value == ["patrol"]
    assert at.radio(key="f_period").value == "month"
    assert at.date_input(key="f_dates").value == (date(2014, 11, 1), date(2015, 1, 15))
    assert at.slider(key="f_conf").value == pytest.approx(0.6)
    assert at.toggle(key="f_hedged").value is False
    # Al-Mayadin patrols on 11-03, 12-08 and 01-12; Abu Kamal's in range are hedged or late.
    assert evidence_sentences(at) == [
        "IS patrols in Al-Mayadin have «decreased» sharply.",
        "IS patrols have «increased» in Al-Mayadin.",
        "IS patrols have «increased» in Al-Mayadin since the start of the month.",
    ]
    assert '"month' in charts(at)[0].proto.spec or "per month" in charts(at)[0].proto.spec
    assert at.query_params["period"] == "month"
    assert at.query_params["town"] == ["al_mayadin", "abu_kamal"]


def test_invalid_query_params_fall_back_to_defaults(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db, {
        "town": "nowhere'--", "period": "fortnight", "conf": "lots", "from": "yesterday",
        "precision": "<script>", "group": "no_such_group",
    })
    assert at.multiselect(key="f_towns").value == []
    assert at.radio(key="f_period").value == "week"
    assert at.radio(key="f_precision").value == "towns"
    assert at.slider(key="f_conf").value == 0.0
    assert at.multiselect(key="f_groups").value == []
    assert at.date_input(key="f_dates").value == (date(2014, 10, 13), date(2015, 1, 20))
    assert "Choose one or more towns" in " ".join(at.info.values)


def test_only_the_open_tab_runs(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    columns = {c for frame in at.dataframe for c in frame.value.columns}
    assert "band" not in columns and "reports_seen" not in columns
    open_tab(at, "Map")
    assert len(charts(at)) == 1 and '"mercator"' in charts(at)[0].proto.spec
    assert table_with(at, "n_events")["place_name"].tolist()[0] == "Abu Kamal"
    assert at.multiselect(key="f_towns").value == ["abu_kamal"]  # the sidebar stays
    open_tab(at, "Town view")
    assert '"vconcat"' in charts(at)[0].proto.spec


def test_what_changed_and_data_health(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    open_tab(at, "What changed")
    changed = table_with(at, "band")
    assert changed["band"].tolist()[:2] == ["new activity", "new activity"]
    assert table_with(at, "weeks_silent")["place_name"].tolist() == ["Al-Qaim"]
    open_tab(at, "Data health")
    assert table_with(at, "reports_seen")["run_id"].tolist() == ["run-2", "run-1"]
    assert table_with(at, "reason")["reason"].tolist() == ["no report date"]
    assert table_with(at, "n_mentions")["name"].tolist() == ["Al-Sousa", "Hamdan"]


def test_export_buttons(monkeypatch, fixture_db):
    at = open_tab(run_app(monkeypatch, fixture_db), "Export")
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["charts as PNG", "observations as CSV", "observations as Parquet", "series as CSV",
                      "series as Parquet"]


def test_evidence_shows_the_newest_rows_of_many(monkeypatch, tmp_path):
    """More observations than a page shows: the newest ones, and how many there are."""
    import duckdb

    path = make_fixture_db(tmp_path / "many.duckdb")
    con = duckdb.connect(str(path))
    for i in range(120):
        con.execute("""INSERT INTO observations SELECT * REPLACE (? AS observation_id)
                       FROM observations WHERE observation_id = 'r01-o01'""", [f"extra-{i}"])
        con.execute("""INSERT INTO events SELECT * REPLACE (? AS event_id)
                       FROM events WHERE event_id = 'ev-r01-o01'""", [f"ev-extra-{i}"])
        con.execute("INSERT INTO event_observations VALUES (?, ?)", [f"ev-extra-{i}", f"extra-{i}"])
    con.close()
    at = run_app(monkeypatch, path)
    assert len(evidence_sentences(at)) == 100
    assert any("Showing the newest 100 of 129 observations" in c for c in at.caption.values)
    assert evidence_sentences(at)[0] == HOSTILE_SENTENCE.replace("decreased", "«decreased»")


def test_empty_database_shows_how_to_refresh(monkeypatch, tmp_path):
    at = run_app(monkeypatch, make_fixture_db(tmp_path / "empty.duckdb", empty=True))
    assert "no reports with events yet" in " ".join(at.info.values)
    assert at.code[0].value == REFRESH_COMMAND
    assert not charts(at)


def test_missing_database_shows_how_to_refresh(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "not-built-yet.duckdb")
    assert "No database yet." in at.info.values
    assert str(tmp_path / "not-built-yet.duckdb") in at.text[0].value
    assert at.code[0].value == REFRESH_COMMAND


def test_not_a_presence_database_is_an_error_message(monkeypatch, tmp_path):
    import duckdb

    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).close()
    at = run_app(monkeypatch, path)
    assert "cannot be read" in at.error[0].value
    assert "not a presence database" in at.text[0].value


def test_one_report_database(monkeypatch, tmp_path):
    at = run_app(monkeypatch, make_fixture_db(tmp_path / "one.duckdb", one_report=True))
    assert at.multiselect(key="f_towns").value == ["abu_kamal"]
    assert len(evidence_sentences(at)) == 3
    assert charts(at)


def test_db_argument_beats_the_environment(monkeypatch):
    monkeypatch.syspath_prepend(str(DASHBOARD.parent))
    sys.modules.pop("dashboard", None)
    import dashboard

    assert dashboard.parse_db_argument(["--db", "/x/presence.duckdb"]) == "/x/presence.duckdb"
    assert dashboard.parse_db_argument(["--other", "1"]) is None
    assert dashboard.safe_link("javascript:alert(1)") is None
    assert dashboard.safe_link(" JavaScript:alert(1)") is None
    assert dashboard.safe_link("https://example.org/a") == "https://example.org/a"
    assert dashboard.format_quantity(31, None) == "31+"
    assert dashboard.format_quantity(None, 300) == "up to 300"
    assert dashboard.format_quantity(10, 15) == "10–15"


def test_no_town_chosen_stays_in_the_url(monkeypatch, fixture_db):
    at = run_app(monkeypatch, fixture_db)
    at.multiselect(key="f_towns").set_value([]).run()
    assert at.query_params["town"] == ""
    again = run_app(monkeypatch, fixture_db, {"town": "", "conf": "0.63"})
    assert again.multiselect(key="f_towns").value == []
    assert again.slider(key="f_conf").value == pytest.approx(0.65)


def test_db_argument_on_the_command_line(monkeypatch, fixture_db, tmp_path):
    """`streamlit run dashboard.py -- --db PATH` beats PRESENCE_DB."""
    monkeypatch.setattr(sys, "argv", ["dashboard.py", "--db", str(fixture_db)])
    at = run_app(monkeypatch, tmp_path / "elsewhere.duckdb")
    assert len(evidence_sentences(at)) == 9
    monkeypatch.setattr(sys, "argv", ["dashboard.py", "--db", str(tmp_path / "new db.duckdb")])
    at = run_app(monkeypatch, fixture_db)
    assert at.code[0].value == f"{REFRESH_COMMAND} --db '{tmp_path / 'new db.duckdb'}'"


def test_chart_png_export_renders_the_town_charts(tmp_path):
    """The export tab's PNG is a real image of the current charts."""
    import dashboard
    from etl import queries
    from dashboard_db import make_fixture_db

    db = tmp_path / "fixture.duckdb"
    make_fixture_db(db)
    series = queries.series_by_period(db, queries.Filters(), "week")
    png = dashboard.chart_png(series, "week")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 5000


def test_a_town_without_coordinates_says_so_in_the_picker(monkeypatch):
    monkeypatch.syspath_prepend(str(DASHBOARD.parent))
    sys.modules.pop("dashboard", None)
    import dashboard

    towns = pd.DataFrame({"place_id": ["sy-abu-kamal", "unlocated:syria:kafrbarqoum", "sy-adm1-deir-ez-zor"],
                          "place_name": ["Abu Kamal", "Kafr Barqoum", "Deir ez-Zor"],
                          "admin1": ["Deir ez-Zor", "Hama", "Deir ez-Zor"]})
    assert dashboard.town_labels(towns) == [
        "Abu Kamal", "Kafr Barqoum (Hama, not in the gazetteer: no map point)", "Deir ez-Zor"]
