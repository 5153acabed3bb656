"""etl/queries.py against the hand-made fixture database (tests/dashboard_db.py).

The expected numbers are worked out by hand from the fixture's table of reports; the weeks
start on Mondays (2015-01-19 is a Monday).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import time
from datetime import date

import duckdb
import pandas as pd
import pytest

from etl import queries
from etl.queries import Filters
from tests.dashboard_db import HOSTILE_SENTENCE, make_fixture_db

JAN = dict(date_from=date(2015, 1, 5), date_to=date(2015, 1, 25))


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    return make_fixture_db(tmp_path_factory.mktemp("fixture") / "presence.duckdb")


@pytest.fixture(scope="module")
def empty_db(tmp_path_factory):
    return make_fixture_db(tmp_path_factory.mktemp("empty") / "presence.duckdb", empty=True)


def records(df: pd.DataFrame, columns: list[str]) -> list[tuple]:
    return [tuple(None if pd.isna(v) else v for v in row)
            for row in df[columns].itertuples(index=False)]


# --- overview -----------------------------------------------------------------------------

def test_summarise_database(db):
    summary = queries.summarise_database(db)
    assert summary == {
        "n_reports": 9, "n_observations": 18, "n_events": 18, "n_places": 5,
        "first_event_date": date(2014, 10, 13), "last_event_date": date(2015, 1, 20),
        "is_empty": False,
    }


def test_list_actors_counts_events_without_negated(db):
    assert records(queries.list_actors(db), ["actor", "n_events"]) == [
        ("islamic_state", 15), ("iraqi_forces", 2)]


def test_list_towns_default_is_towns_only_most_active_first(db):
    towns = queries.list_towns(db)
    assert records(towns, ["place_id", "place_name", "admin1", "country", "n_observations",
                           "n_events", "net_direction"]) == [
        ("abu_kamal", "Abu Kamal", "Deir ez-Zor", "SY", 9, 9, -2),
        ("al_mayadin", "Al-Mayadin", "Deir ez-Zor", "SY", 4, 4, 1),
        # Al-Qaim's negated "No IS checkpoints were set up" is kept but never counted.
        ("al_qaim", "Al-Qaim", "Anbar", "IQ", 2, 2, 1),
    ]
    assert towns.loc[0, "latitude"] == pytest.approx(34.4506)
    assert towns.loc[0, "longitude"] == pytest.approx(40.9188)
    assert set(towns["place_precision"]) == {"town"}


@pytest.mark.parametrize("filters, expected", [
    (Filters(min_confidence=0.6), [("abu_kamal", 8), ("al_mayadin", 4), ("al_qaim", 2)]),
    (Filters(include_hedged=False), [("abu_kamal", 8), ("al_mayadin", 4), ("al_qaim", 2)]),
    (Filters(actors=("iraqi_forces",)), [("al_qaim", 2)]),
    (Filters(indicators=("patrol",)), [("al_mayadin", 4), ("abu_kamal", 3)]),
    (Filters(**JAN), [("abu_kamal", 6), ("al_mayadin", 1)]),
    (Filters(precisions=None),
     [("abu_kamal", 9), ("al_mayadin", 4), ("al_qaim", 2), ("anbar", 1), ("deir_ez_zor", 1)]),
    (Filters(actors=()), []),
])
def test_list_towns_filters(db, filters, expected):
    assert records(queries.list_towns(db, filters), ["place_id", "n_events"]) == expected


def test_count_left_out_by_precision(db):
    assert records(queries.count_left_out_by_precision(db),
                   ["place_precision", "n_events", "n_observations"]) == [("admin1", 2, 2)]
    # Leaving hedged reports out also drops the hedged Anbar killing.
    assert records(queries.count_left_out_by_precision(db, Filters(include_hedged=False)),
                   ["place_precision", "n_events"]) == [("admin1", 1)]
    assert queries.count_left_out_by_precision(db, Filters(precisions=None)).empty


# --- series -------------------------------------------------------------------------------

SERIES_COLS = ["period_label", "indicator", "events", "killed_low", "killed_high",
               "killed_high_open", "net_direction"]


def test_weekly_series_for_one_town(db):
    series = queries.series_by_period(db, Filters(place_ids=("abu_kamal",), **JAN))
    assert list(series.columns) == queries.SERIES_COLUMNS
    assert records(series, SERIES_COLS) == [
        ("2015-01-05", "checkpoint", 0, None, None, None, 0),
        ("2015-01-12", "checkpoint", 0, None, None, None, 0),
        ("2015-01-19", "checkpoint", 2, None, None, None, -2),  # dwindled + dismantled
        ("2015-01-05", "killing", 0, 0, 0, False, None),
        # "Several" -> 3.., open-ended: no upper bound (Saturday 01-17 is in the 01-12 week).
        ("2015-01-12", "killing", 1, 3, None, True, None),
        ("2015-01-19", "killing", 0, 0, 0, False, None),
        ("2015-01-05", "patrol", 1, None, None, None, -1),  # hedged, counted by default
        ("2015-01-12", "patrol", 0, None, None, None, 0),
        ("2015-01-19", "patrol", 1, None, None, None, -1),
        ("2015-01-05", "troop_movement", 1, None, None, None, None),
        ("2015-01-12", "troop_movement", 0, None, None, None, None),
        ("2015-01-19", "troop_movement", 0, None, None, None, None),
    ]
    assert set(series["place_name"]) == {"Abu Kamal"}
    assert series.loc[0, "period_start"] == pd.Timestamp("2015-01-05")
    assert series.loc[0, "period_end"] == pd.Timestamp("2015-01-12")


def test_series_without_hedged_or_below_confidence(db):
    for filters in (Filters(place_ids=("abu_kamal",), include_hedged=False, **JAN),
                    Filters(place_ids=("abu_kamal",), min_confidence=0.6, **JAN)):
        patrol = queries.series_by_period(db, filters).query("indicator == 'patrol'")
        assert records(patrol, ["period_label", "events", "net_direction"]) == [
            ("2015-01-05", 0, 0), ("2015-01-12", 0, 0), ("2015-01-19", 1, -1)]


def test_killed_with_known_upper_bound(db):
    series = queries.series_by_period(
        db, Filters(place_ids=("al_qaim",), indicators=("killing",)), "month")
    assert records(series, ["period_label", "events", "killed_low", "killed_high",
                            "killed_high_open"]) == [("2014-12-01", 1, 4, 4, False)]


def test_monthly_series_totals(db):
    series = queries.series_by_period(db, Filters(), "month")
    totals = series.groupby("place_id")["events"].sum().to_dict()
    assert totals == {"abu_kamal": 9, "al_mayadin": 4, "al_qaim": 2}
    ak_patrol = series.query("place_id == 'abu_kamal' and indicator == 'patrol'")
    assert records(ak_patrol, ["period_label", "events", "net_direction"]) == [
        ("2014-10-01", 1, 0), ("2014-11-01", 0, 0), ("2014-12-01", 0, 0),
        ("2015-01-01", 2, -2)]


def test_series_counts_events_not_observations(tmp_path):
    """A second report of the dwindling checkpoints joins the same event: still one event."""
    path = make_fixture_db(tmp_path / "merged.duckdb")
    con = duckdb.connect(str(path))
    con.execute("""
        INSERT INTO observations SELECT * REPLACE ('r06-o01-copy' AS observation_id)
        FROM observations WHERE observation_id = 'r06-o01'
    """)
    con.execute("INSERT INTO event_observations VALUES ('ev-r06-o01', 'r06-o01-copy')")
    # as the loader's event merge records it
    con.execute("UPDATE events SET n_observations = 2, n_reports = 2 WHERE event_id = 'ev-r06-o01'")
    con.close()
    towns = queries.list_towns(path, Filters(place_ids=("abu_kamal",)))
    assert records(towns, ["n_events", "n_observations"]) == [(9, 10)]
    series = queries.series_by_period(path, Filters(place_ids=("abu_kamal",),
                                                    indicators=("checkpoint",), **JAN))
    assert series["events"].tolist() == [0, 0, 2]


def test_series_rejects_unknown_period(db):
    with pytest.raises(ValueError, match="period must be one of"):
        queries.series_by_period(db, Filters(), "day; DROP TABLE events")


# --- evidence -----------------------------------------------------------------------------

def test_evidence_for_a_town_newest_first(db):
    evidence = queries.list_evidence(db, Filters(place_ids=("abu_kamal",)))
    assert list(evidence.columns) == queries.EVIDENCE_COLUMNS
    assert evidence["observation_id"].tolist() == [
        "r07-o01", "r06-o01", "r06-o02", "r06-o03", "r05-o01", "r05-o02", "r04-o01",
        "r01-o01", "r01-o02"]
    assert evidence["offsets_ok"].all()
    first = evidence.iloc[0]
    assert first["sentence"] == HOSTILE_SENTENCE
    assert first["sentence_marked"] == HOSTILE_SENTENCE.replace("decreased", "«decreased»")
    assert first["url"] == "javascript:alert(3)"  # the dashboard refuses to link it
    dwindled = evidence.iloc[1]
    assert dwindled["sentence_marked"] == "IS checkpoints have «dwindled» in Al-Bokamel."
    assert (dwindled["trigger_in_sentence_start"], dwindled["trigger_in_sentence_end"]) == (20, 28)
    assert dwindled["trigger_start"] - dwindled["span_start"] == 20
    assert dwindled["title"].startswith("Islamic State less visible")
    assert dwindled["source"] == "Syria Direct"
    assert dwindled["published"] == pd.Timestamp("2015-01-19")
    hedged = evidence.set_index("observation_id").loc["r05-o02"]
    assert bool(hedged["hedged"]) and hedged["confidence"] == 0.5


def test_evidence_offsets_point_into_report_text(db):
    evidence = queries.list_evidence(db, Filters(precisions=None))
    con = duckdb.connect(str(db), read_only=True)
    texts = dict(con.execute("SELECT report_id, text FROM reports").fetchall())
    con.close()
    assert len(evidence) == 18
    for row in evidence.itertuples():
        text = texts[row.report_id]
        assert text[row.span_start:row.span_end] == row.sentence
        assert text[row.trigger_start:row.trigger_end] == row.trigger


def test_evidence_narrowed_to_a_week_and_indicator(db):
    narrowed = queries.list_evidence(db, Filters(place_ids=("abu_kamal",)),
                                     period_start=date(2015, 1, 21), indicator="checkpoint")
    assert records(narrowed, ["observation_id", "change"]) == [
        ("r06-o01", "decrease"), ("r06-o02", "removed")]
    month = queries.list_evidence(db, Filters(place_ids=("abu_kamal",)), period="month",
                                  period_start=date(2014, 12, 1))
    assert month["observation_id"].tolist() == ["r04-o01"]


def test_evidence_keeps_negated_flagged(db):
    evidence = queries.list_evidence(db, Filters(place_ids=("al_qaim",)))
    assert records(evidence, ["observation_id", "negated"]) == [
        ("r03-o01", False), ("r03-o02", True), ("r02-o02", False)]
    counted = queries.list_evidence(db, Filters(place_ids=("al_qaim",)), include_negated=False)
    assert counted["observation_id"].tolist() == ["r03-o01", "r02-o02"]


@pytest.mark.parametrize("sentence, start, end, expected", [
    ("IS checkpoints have dwindled.", 20, 28, "IS checkpoints have «dwindled»."),
    ("short", 3, 99, "short"),
    ("short", -1, 2, "short"),
    ("short", 2, 2, "short"),
    (None, 0, 1, ""),
])
def test_mark_trigger(sentence, start, end, expected):
    assert queries.mark_trigger(sentence, start, end) == expected


# --- what changed -------------------------------------------------------------------------

def test_what_changed_last_4_weeks_against_12_before(db):
    changed = queries.what_changed(db, Filters(date_to=date(2015, 1, 25)))
    assert records(changed, ["place_id", "indicator", "recent_events", "baseline_events",
                             "change_pct", "band"]) == [
        ("abu_kamal", "killing", 1, 0, None, "new activity"),
        ("abu_kamal", "troop_movement", 1, 0, None, "new activity"),
        ("abu_kamal", "patrol", 2, 1, 500.0, "large rise"),
        ("abu_kamal", "checkpoint", 2, 2, 200.0, "large rise"),
        ("al_qaim", "checkpoint", 0, 1, -100.0, "large drop"),
        ("al_qaim", "killing", 0, 1, -100.0, "large drop"),
        ("al_mayadin", "patrol", 1, 3, 0.0, "stable"),
    ]
    row = changed.iloc[0]
    assert (row["recent_from"], row["recent_to"]) == (date(2014, 12, 29), date(2015, 1, 25))
    assert (row["baseline_from"], row["baseline_to"]) == (date(2014, 10, 6), date(2014, 12, 28))


def test_what_changed_defaults_to_the_last_event(db):
    changed = queries.what_changed(db, Filters(date_from=date(2015, 1, 1)))
    assert changed.iloc[0]["recent_to"] == date(2015, 1, 20)


@pytest.mark.parametrize("pct, band", [
    (200.0, "large rise"), (25.0, "large rise"), (24.9, "moderate rise"),
    (10.0, "moderate rise"), (9.9, "stable"), (0.0, "stable"), (-9.9, "stable"),
    (-10.0, "moderate drop"), (-24.9, "moderate drop"), (-25.0, "large drop"),
    (-100.0, "large drop"),
])
def test_band_bounds(pct, band):
    assert queries.band_for(pct, baseline_events=4, recent_events=1) == band


def test_band_for_new_activity():
    assert queries.band_for(None, baseline_events=0, recent_events=2) == "new activity"


def test_quiet_towns(db):
    quiet = queries.list_quiet_towns(db, Filters(date_to=date(2015, 1, 25)))
    assert records(quiet, queries.QUIET_COLUMNS) == [
        ("al_qaim", "Al-Qaim", pd.Timestamp("2014-12-02"), 7, 2)]
    assert queries.list_quiet_towns(db, Filters(date_to=date(2014, 12, 10))).empty


# --- data health --------------------------------------------------------------------------

def test_refresh_runs(db):
    last = queries.get_last_refresh(db)
    assert records(last, ["run_id", "status", "reports_seen", "reports_failed"]) == [
        ("run-2", "ok", 10, 1)]
    runs = queries.list_refresh_runs(db)
    assert records(runs, ["run_id", "duration_s"]) == [("run-2", 6.0), ("run-1", 4.0)]


def test_rejected_inputs_of_latest_runs(db):
    assert records(queries.list_rejected_inputs(db), ["run_id", "path", "reason"]) == [
        ("run-2", "data/reports/broken.txt", "no report date")]
    assert queries.list_rejected_inputs(db, runs=0).empty


def test_unresolved_places(db):
    assert records(queries.list_unresolved_places(db), ["name", "n_mentions", "n_reports"]) == [
        ("Al-Sousa", 2, 2), ("Hamdan", 1, 1)]


# --- empty, missing, busy, replaced -------------------------------------------------------

ALL_QUERIES = {
    "list_actors": lambda db: queries.list_actors(db),
    "list_towns": lambda db: queries.list_towns(db),
    "count_left_out_by_precision": lambda db: queries.count_left_out_by_precision(db),
    "series_by_period": lambda db: queries.series_by_period(db, Filters(place_ids=("x",))),
    "list_evidence": lambda db: queries.list_evidence(db, Filters(place_ids=("x",))),
    "what_changed": lambda db: queries.what_changed(db, Filters()),
    "list_quiet_towns": lambda db: queries.list_quiet_towns(db, Filters()),
    "get_last_refresh": lambda db: queries.get_last_refresh(db),
    "list_refresh_runs": lambda db: queries.list_refresh_runs(db),
    "list_rejected_inputs": lambda db: queries.list_rejected_inputs(db),
    "list_unresolved_places": lambda db: queries.list_unresolved_places(db),
}


@pytest.mark.parametrize("name", sorted(ALL_QUERIES))
def test_empty_database_gives_empty_frames(empty_db, name):
    result = ALL_QUERIES[name](empty_db)
    assert isinstance(result, pd.DataFrame) and result.empty


def test_empty_database_summary(empty_db):
    summary = queries.summarise_database(empty_db)
    assert summary["is_empty"] and summary["n_reports"] == 0
    assert summary["first_event_date"] is None


@pytest.mark.parametrize("name", sorted(ALL_QUERIES))
def test_missing_database_raises_database_missing(tmp_path, name):
    with pytest.raises(queries.DatabaseMissing, match="No database at"):
        ALL_QUERIES[name](tmp_path / "nowhere.duckdb")


def test_database_missing_is_a_file_not_found_error():
    assert issubclass(queries.DatabaseMissing, FileNotFoundError)
    assert issubclass(queries.DatabaseMissing, queries.DatabaseUnavailable)


def test_database_without_presence_tables(tmp_path):
    path = tmp_path / "other.duckdb"
    duckdb.connect(str(path)).close()
    with pytest.raises(queries.DatabaseNotInitialised, match="not a presence database"):
        queries.list_towns(path)


def _hold_write_lock(path, seconds: float) -> subprocess.Popen:
    """Another process (as the refresh would be) holding the file open read-write."""
    code = textwrap.dedent(f"""
        import sys, time, duckdb
        con = duckdb.connect({str(path)!r})
        print("locked", flush=True)
        time.sleep({seconds})
        con.close()
    """)
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "locked"
    return proc


def test_locked_database_is_retried_then_reported(tmp_path):
    path = make_fixture_db(tmp_path / "locked.duckdb")
    proc = _hold_write_lock(path, 10)
    try:
        started = time.monotonic()
        with pytest.raises(queries.DatabaseBusy, match="Could not open"):
            queries.list_actors(path)
        assert 0.5 < time.monotonic() - started < 5
    finally:
        proc.kill()
        proc.wait()


def test_lock_released_within_the_retries_is_waited_for(tmp_path):
    path = make_fixture_db(tmp_path / "briefly.duckdb")
    proc = _hold_write_lock(path, 0.3)
    try:
        assert len(queries.list_actors(path)) == 2
    finally:
        proc.wait()


def test_a_replaced_file_is_read_fresh(tmp_path):
    """The refresh publishes by os.replace: the next query sees the new file."""
    path = make_fixture_db(tmp_path / "presence.duckdb", one_report=True)
    assert queries.summarise_database(path)["n_reports"] == 1
    fresh = make_fixture_db(tmp_path / "next.duckdb")
    os.replace(fresh, path)
    assert queries.summarise_database(path)["n_reports"] == 9


# --- user input never becomes SQL ---------------------------------------------------------

SENTINEL = "Zq'9\"; DROP TABLE events; --"


def test_quotes_in_user_choices_are_only_parameters(db):
    hostile = Filters(place_ids=("Abu Kamal' OR '1'='1", SENTINEL),
                      actors=("islamic_state' --",), indicators=("patrol'",))
    assert queries.list_towns(db, hostile).empty
    assert queries.series_by_period(db, hostile).empty
    assert queries.list_evidence(db, hostile, indicator="x' OR 1=1 --").empty
    assert queries.what_changed(db, hostile).empty
    assert queries.list_quiet_towns(db, hostile).empty
    left_out = queries.count_left_out_by_precision(db, Filters(precisions=(SENTINEL,)))
    assert records(left_out, ["place_precision", "n_events"]) == [("town", 15), ("admin1", 2)]
    # ...and the tables are all still there.
    assert queries.summarise_database(db)["n_events"] == 18


def test_no_query_formats_user_values_into_sql(db, monkeypatch):
    """Every user value passed in reaches DuckDB as a parameter, never in the SQL text."""
    seen: list[tuple[str, list]] = []
    real_query = queries._query
    real_sql = duckdb.DuckDBPyConnection.sql

    def spy(con, sql, params=()):
        seen.append((sql, list(params)))
        return real_query(con, sql, params)

    monkeypatch.setattr(queries, "_query", spy)
    monkeypatch.setattr(queries, "EVIDENCE_LOOKUP_MAX", 10_000)
    filters = Filters(place_ids=(SENTINEL,), actors=(SENTINEL,), indicators=(SENTINEL,),
                      precisions=(SENTINEL,), date_from=date(2014, 1, 2),
                      date_to=date(2015, 3, 4), min_confidence=0.123, include_hedged=False)
    wide = Filters(place_ids=("abu_kamal", SENTINEL), date_from=date(2014, 1, 2),
                   min_confidence=0.123, include_hedged=False)
    queries.list_towns(db, filters)
    queries.count_left_out_by_precision(db, filters)
    queries.series_by_period(db, filters, "month")
    queries.list_evidence(db, filters, period_start=date(2015, 1, 5), indicator=SENTINEL,
                          limit=7)
    queries.list_evidence(db, wide, limit=2)  # the key lookups, with rows to look up
    queries.count_evidence(db, filters, period_start=date(2015, 1, 5), indicator=SENTINEL)
    queries.what_changed(db, filters)
    queries.list_quiet_towns(db, filters)
    queries.list_refresh_runs(db, limit=3)
    queries.list_rejected_inputs(db, runs=4)
    queries.list_unresolved_places(db, limit=5)
    assert len(seen) >= 12
    for sql, params in seen:
        for needle in ("Zq'9", "2014-01-02", "2015-03-04", "0.123", "abu_kamal"):
            assert needle not in sql, sql
    flat = [str(v) for _, params in seen for p in params
            for v in (p if isinstance(p, list) else [p])]
    assert SENTINEL in flat and "0.123" in flat and "abu_kamal" in flat
    # The one statement that does not go through _query takes only parameters too.
    assert real_sql is duckdb.DuckDBPyConnection.sql


# --- evidence: the newest rows by key lookups, and their count ----------------------------

def same_rows(a: pd.DataFrame, b: pd.DataFrame) -> bool:
    """The same columns and values (missing values alike, whatever their dtype)."""
    return list(a.columns) == list(b.columns) and \
        records(a, list(a.columns)) == records(b, list(b.columns))


EVIDENCE_CASES = [
    dict(filters=Filters(place_ids=("abu_kamal",))),
    dict(filters=Filters(place_ids=("abu_kamal", "al_qaim", "al_mayadin"))),
    dict(filters=Filters(place_ids=("abu_kamal",), min_confidence=0.6)),
    dict(filters=Filters(place_ids=("abu_kamal",), include_hedged=False)),
    dict(filters=Filters(place_ids=("al_qaim",)), include_negated=False),
    dict(filters=Filters(precisions=None)),
    dict(filters=Filters(place_ids=("abu_kamal",), **JAN)),
    dict(filters=Filters(place_ids=("abu_kamal",)), period_start=date(2015, 1, 21),
         indicator="checkpoint"),
    dict(filters=Filters(place_ids=("abu_kamal",)), period="month",
         period_start=date(2014, 12, 1)),
    dict(filters=Filters(place_ids=("nowhere",))),
    # counted on the observations alone (the range leaves no event out) ...
    dict(filters=Filters(place_ids=("abu_kamal", "al_qaim"), min_confidence=0.6,
                         date_from=date(2014, 10, 13), date_to=date(2015, 1, 20))),
    # ... or joined to the events (it does)
    dict(filters=Filters(place_ids=("abu_kamal",), min_confidence=0.6, **JAN)),
    dict(filters=Filters(place_ids=("abu_kamal",), include_hedged=False),
         period_start=date(2015, 1, 5)),
]


@pytest.mark.parametrize("case", EVIDENCE_CASES)
@pytest.mark.parametrize("limit", [1, 2, 3, 5, 100])
@pytest.mark.parametrize("keep", [True, False], ids=["kept", "own-connection"])
def test_evidence_with_a_limit_is_the_head_of_all_of_it(db, case, limit, keep, monkeypatch):
    if not keep:  # as while a refresh runs: no kept instance, no cached links
        monkeypatch.setattr(queries, "KEEP_IDLE_SECONDS", 0)
    everything = queries.list_evidence(db, **case)
    first = queries.list_evidence(db, **case, limit=limit)
    assert same_rows(first, everything.head(limit))
    assert queries.count_evidence(db, **case) == len(everything)


def test_cached_links_follow_the_towns_and_the_file(tmp_path, monkeypatch):
    """The links a kept instance caches per set of towns: evicted beyond LINKS_KEPT, and
    gone with the instance when a refresh replaces the file."""
    monkeypatch.setattr(queries, "LINKS_KEPT", 1)
    path = make_fixture_db(tmp_path / "presence.duckdb")
    queries.close_connections()
    views = [Filters(place_ids=("abu_kamal",)), Filters(place_ids=("al_qaim", "al_mayadin")),
             Filters(place_ids=("abu_kamal",))]
    for f in views:
        for _ in range(2):  # the first scans the links (and caches them), the second reads them
            assert same_rows(queries.list_evidence(path, f, limit=3),
                             queries.list_evidence(path, f).head(3))
            queries.wait_for_cached_links()
    kept = queries._KEPT[os.path.abspath(path)]
    assert list(kept.links) == [("abu_kamal",)]
    tables = kept.con.execute("SELECT table_name FROM duckdb_tables() "
                              "WHERE database_name = 'memory'").fetchall()
    assert len(tables) == 1
    # A refresh publishes a file where Abu Kamal has one report left: the new instance
    # does not answer from the old file's links.
    os.replace(make_fixture_db(tmp_path / "next.duckdb", one_report=True), path)
    for _ in range(2):
        fresh = queries.list_evidence(path, views[0], limit=3)
        assert fresh["observation_id"].tolist() == queries.list_evidence(
            path, views[0])["observation_id"].head(3).tolist()
        queries.wait_for_cached_links()
    assert queries.count_evidence(path, views[0]) == 3
    queries.close_connections()


def test_evidence_limit_without_key_lookups_gives_the_same(db, monkeypatch):
    """Many tied candidates (here: more than 0) take the join instead: same rows."""
    expected = queries.list_evidence(db, Filters(precisions=None), limit=4)
    monkeypatch.setattr(queries, "EVIDENCE_LOOKUP_MAX", 0)
    assert same_rows(queries.list_evidence(db, Filters(precisions=None), limit=4), expected)


def test_evidence_limit_when_filters_drop_candidate_observations(tmp_path):
    """An event whose only confident observation is hedged: with hedged ones left out and a
    confidence floor, the candidate events give too few rows and the join fills in."""
    path = make_fixture_db(tmp_path / "mixed.duckdb")
    con = duckdb.connect(str(path))
    # r05-o02 (hedged, 0.5) joins the event of r06-o01 (unhedged, 0.8), which becomes
    # "not all hedged" with best confidence 0.8; now make the unhedged one weak.
    con.execute("UPDATE observations SET confidence = 0.3 WHERE observation_id = 'r06-o01'")
    con.execute("UPDATE observations SET confidence = 0.9 WHERE observation_id = 'r05-o02'")
    con.execute("DELETE FROM event_observations WHERE observation_id = 'r05-o02'")
    con.execute("INSERT INTO event_observations VALUES ('ev-r06-o01', 'r05-o02')")
    con.execute("UPDATE events SET hedged = false, confidence = 0.9, n_observations = 2 "
                "WHERE event_id = 'ev-r06-o01'")
    con.execute("DELETE FROM events WHERE event_id = 'ev-r05-o02'")
    con.close()
    f = Filters(place_ids=("abu_kamal",), min_confidence=0.6, include_hedged=False)
    everything = queries.list_evidence(path, f)
    assert "r06-o01" not in everything["observation_id"].tolist()
    for limit in (1, 2, 3, 10):
        assert same_rows(queries.list_evidence(path, f, limit=limit), everything.head(limit))
    assert queries.count_evidence(path, f) == len(everything)


# --- one kept connection per process ------------------------------------------------------

def test_queries_share_one_kept_instance_until_the_file_is_replaced(tmp_path):
    path = make_fixture_db(tmp_path / "presence.duckdb", one_report=True)
    opened = []
    real_open = queries._open

    def counting_open(p):
        opened.append(p)
        return real_open(p)

    queries.close_connections()
    try:
        queries._open = counting_open
        for _ in range(3):
            assert queries.summarise_database(path)["n_reports"] == 1
            queries.list_towns(path)
        assert len(opened) == 1
        os.replace(make_fixture_db(tmp_path / "next.duckdb"), path)
        assert queries.summarise_database(path)["n_reports"] == 9
        assert len(opened) == 2
    finally:
        queries._open = real_open
        queries.close_connections()


def writer_waits(path, seconds: float) -> subprocess.CompletedProcess:
    """Another process opening the live file read-write, retrying as record_failed_run does."""
    return subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
        import sys, time, duckdb
        started = time.monotonic()
        while True:
            try:
                duckdb.connect({str(path)!r}).close()
                print(round(time.monotonic() - started, 2))
                break
            except duckdb.IOException:
                if time.monotonic() - started > {seconds}:
                    sys.exit("still locked")
                time.sleep(0.05)
    """)], capture_output=True, text=True, timeout=60)


def test_an_idle_kept_instance_lets_a_writer_in(tmp_path, monkeypatch):
    """The refresh writes a failed run's row into the live file: a dashboard that kept its
    instance must let go of the file once idle (the writer waits up to 2 s)."""
    path = make_fixture_db(tmp_path / "presence.duckdb", one_report=True)
    monkeypatch.setattr(queries, "KEEP_IDLE_SECONDS", 0.5)
    queries.summarise_database(path)
    assert os.path.abspath(path) in queries._KEPT
    waited = writer_waits(path, 3)
    assert waited.returncode == 0, waited.stderr
    assert 0.2 < float(waited.stdout) < 2
    queries.close_connections()


def test_no_instance_is_kept_while_a_refresh_holds_the_lock(tmp_path):
    """While another process holds <db>.lock (a refresh), each query opens and closes its
    own connection, and a kept instance is let go within a moment."""
    path = make_fixture_db(tmp_path / "presence.duckdb", one_report=True)
    queries.close_connections()
    queries.summarise_database(path)
    assert os.path.abspath(path) in queries._KEPT
    code = textwrap.dedent(f"""
        import fcntl, os, sys, time
        fd = os.open({str(path) + ".lock"!r}, os.O_CREAT | os.O_RDWR)
        fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        print("locked", flush=True)
        sys.stdin.readline()
    """)
    holder = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        assert queries._refresh_running(path)
        deadline = time.monotonic() + 3
        while os.path.abspath(path) in queries._KEPT:
            assert time.monotonic() < deadline, "the kept instance was not let go"
            time.sleep(0.05)
        assert queries.summarise_database(path)["n_reports"] == 1
        assert os.path.abspath(path) not in queries._KEPT
        con = duckdb.connect(str(path))  # a writer gets in: nothing holds the file
        con.close()
    finally:
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(timeout=10)
    assert not queries._refresh_running(path)
    queries.close_connections()


def test_the_lock_probe_never_drops_this_process_s_own_refresh_lock(tmp_path):
    from etl import load

    path = tmp_path / "presence.duckdb"
    make_fixture_db(path, one_report=True)
    with load.writer_lock(path):
        assert queries._refresh_running(path)
        queries.summarise_database(path)  # must not open and close the lock file
        with pytest.raises(load.LockedError):
            with load.writer_lock(path):
                pass
        probe = subprocess.run([sys.executable, "-c", textwrap.dedent(f"""
            import fcntl, os
            fd = os.open({str(path) + ".lock"!r}, os.O_RDWR)
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                print("free")
            except OSError:
                print("held")
        """)], capture_output=True, text=True)
        assert probe.stdout.strip() == "held"
    queries.close_connections()
