"""Presence dashboard: per-town trends of armed-group indicators, with the sentence behind
every point.

    streamlit run dashboard.py                     # database from PRESENCE_DB or data/
    streamlit run dashboard.py -- --db PATH        # or name it here

Widgets and layout only: every query lives in etl/queries.py (parameterised, read-only,
one kept instance per process that lets go of the file for the refresh). Filters live in the
URL, so a link reproduces the view. Report text is untrusted: it is shown only through
st.dataframe and st.text, never as Markdown or HTML. Charts are Altair; exports are built
on click.
"""
from __future__ import annotations

import streamlit as st

TITLE = "Armed-group presence by town"
# An empty Vega-Lite chart, a pixel wide: sent first, it makes the browser fetch Vega's code
# (a lazily loaded chunk of Streamlit's) while the server imports pandas and DuckDB.
VEGA_WARM_UP = {"data": {"values": []}, "mark": "point", "width": 1, "height": 1}


def start_page() -> tuple:
    """The first things a run sends, before the imports below: the page settings, the title,
    the sidebar's container for the filters and, on a session's first run, the warm-up chart
    at the bottom of the sidebar (main() empties its slot at the end of the run)."""
    st.set_page_config(page_title="Presence", layout="wide")
    st.title(TITLE)
    sidebar = st.sidebar.container()  # filled after the first chart (current_filters)
    warm_up = st.sidebar.empty()
    if not st.session_state.get("_vega_warmed_up"):
        warm_up.vega_lite_chart(VEGA_WARM_UP)
    return sidebar, warm_up


if __name__ == "__main__":  # streamlit run: send these before importing the rest
    _PAGE = start_page()

import argparse
import dataclasses
import shlex
import sys
import warnings
from datetime import date
from pathlib import Path
from urllib.parse import urlsplit

import altair as alt
import pandas as pd

PROJECT_DIR = str(Path(__file__).resolve().parent)
if PROJECT_DIR not in sys.path:  # `etl` lives beside this file; the script reruns often
    sys.path.insert(0, PROJECT_DIR)

from etl import queries  # noqa: E402
from etl.models import INDICATORS, UNLOCATED_PLACE_PREFIX  # noqa: E402
from etl.settings import db_path  # noqa: E402

REFRESH_COMMAND = "python -m etl refresh --reports data/reports"
PRECISION_CHOICES: dict[str, tuple[str, ...] | None] = {
    "towns": ("town",),
    "towns_districts": ("town", "district"),
    "all": None,
}
PRECISION_LABELS = {
    "towns": "Towns only",
    "towns_districts": "Towns and districts",
    "all": "All, incl. provinces",
}
PERIOD_LABELS = {"week": "Weekly", "month": "Monthly"}
CHART_SELECTION = "pick"
MAP_SELECTION = "town_pick"
EVIDENCE_ROWS = 100  # the newest evidence rows shown (count_evidence gives the total)
EVIDENCE_TEXT_ROWS = 50
# Widget keys in session state, and the URL parameter each one is kept in.
URL_KEYS = {
    "f_dates": ("from", "to"),
    "f_towns": "town",
    "f_groups": "group",
    "f_indicators": "indicator",
    "f_precision": "precision",
    "f_conf": "conf",
    "f_hedged": "hedged",
    "f_period": "period",
}


# --- configuration ------------------------------------------------------------------------

def parse_db_argument(argv: list[str]) -> str | None:
    """`--db PATH` after `streamlit run dashboard.py --`; other arguments are ignored."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--db")
    known, _ = parser.parse_known_args(argv)
    return known.db


def database_stamp(path: Path) -> tuple[int, int, int]:
    """Part of every cache key: a refresh publishes a new file (os.replace), so a new
    inode and mtime, and the cached results of the old one are no longer used."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return (0, 0, 0)
    return (info.st_mtime_ns, info.st_ino, info.st_size)


# --- cached queries (keyed by path, file stamp and parameters) ----------------------------

@st.cache_data(show_spinner=False, max_entries=32)
def load_summary(db: str, stamp: tuple) -> dict:
    return queries.summarise_database(db)


@st.cache_data(show_spinner=False, max_entries=32)
def load_last_refresh(db: str, stamp: tuple) -> pd.DataFrame:
    return queries.get_last_refresh(db)


@st.cache_data(show_spinner=False, max_entries=32)
def load_actors(db: str, stamp: tuple) -> pd.DataFrame:
    return queries.list_actors(db)


@st.cache_data(show_spinner=False, max_entries=64)
def load_towns(db: str, stamp: tuple, filters: queries.Filters) -> pd.DataFrame:
    return queries.list_towns(db, filters)


@st.cache_data(show_spinner=False, max_entries=64)
def load_left_out(db: str, stamp: tuple, filters: queries.Filters) -> pd.DataFrame:
    return queries.count_left_out_by_precision(db, filters)


@st.cache_data(show_spinner=False, max_entries=64)
def load_series(db: str, stamp: tuple, filters: queries.Filters, period: str) -> pd.DataFrame:
    return queries.series_by_period(db, filters, period)


@st.cache_data(show_spinner=False, max_entries=64)
def load_evidence(db: str, stamp: tuple, filters: queries.Filters, period_start: date | None,
                  period: str, indicator: str | None) -> pd.DataFrame:
    return queries.list_evidence(db, filters, period_start=period_start, period=period,
                                 indicator=indicator, limit=EVIDENCE_ROWS)


@st.cache_data(show_spinner=False, max_entries=64)
def load_evidence_count(db: str, stamp: tuple, filters: queries.Filters,
                        period_start: date | None, period: str, indicator: str | None) -> int:
    return queries.count_evidence(db, filters, period_start=period_start, period=period,
                                  indicator=indicator)


def town_evidence_total(db: str, stamp: tuple, filters: queries.Filters, period: str) -> int:
    """All the observations behind the chosen towns' charts (no bar picked)."""
    shown = load_evidence(db, stamp, filters, None, period, None)
    return evidence_total(db, stamp, shown, filters, None, period, None)


def evidence_total(db: str, stamp: tuple, shown: pd.DataFrame, filters: queries.Filters,
                   period_start: date | None, period: str, indicator: str | None) -> int:
    """All the rows behind `shown` (the newest EVIDENCE_ROWS): counted only when capped."""
    if len(shown) < EVIDENCE_ROWS:
        return len(shown)
    return load_evidence_count(db, stamp, filters, period_start, period, indicator)


@st.cache_data(show_spinner=False, max_entries=32)
def load_what_changed(db: str, stamp: tuple, filters: queries.Filters) -> pd.DataFrame:
    return queries.what_changed(db, filters)


@st.cache_data(show_spinner=False, max_entries=32)
def load_quiet_towns(db: str, stamp: tuple, filters: queries.Filters) -> pd.DataFrame:
    return queries.list_quiet_towns(db, filters)


@st.cache_data(show_spinner=False, max_entries=64)
def load_summary_tallies(db: str, stamp: tuple, filters: queries.Filters) -> pd.DataFrame:
    return queries.list_summary_tallies(db, filters)


@st.cache_data(show_spinner=False, max_entries=16)
def load_health(db: str, stamp: tuple) -> dict[str, pd.DataFrame]:
    return {
        "runs": queries.list_refresh_runs(db),
        "rejected": queries.list_rejected_inputs(db),
        "unresolved": queries.list_unresolved_places(db),
    }


# --- filters and the URL ------------------------------------------------------------------

def _first(params: dict[str, list[str]], name: str) -> str | None:
    values = params.get(name) or []
    return values[0] if values else None


def _parse_date(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text) if text else None
    except ValueError:
        return None


def state_from_url(params: dict[str, list[str]], *, first: date, last: date,
                   town_ids: list[str], actors: list[str]) -> dict[str, object]:
    """Widget values from URL parameters (repeated keys as lists), each validated against
    what the database offers; anything missing or invalid takes its default."""
    start = _parse_date(_first(params, "from")) or first
    end = _parse_date(_first(params, "to")) or last
    start, end = min(max(start, first), last), min(max(end, first), last)
    if start > end:
        start, end = first, last
    if "town" in params:
        towns = [t for t in params["town"] if t in town_ids]
    else:
        towns = town_ids[:1]  # the most active town
    try:
        conf = min(max(float(_first(params, "conf") or 0.0), 0.0), 1.0)
    except ValueError:
        conf = 0.0
    precision = _first(params, "precision")
    period = _first(params, "period")
    return {
        "f_dates": (start, end),
        "f_towns": towns,
        "f_groups": [a for a in params.get("group", []) if a in actors],
        "f_indicators": [i for i in params.get("indicator", []) if i in INDICATORS],
        "f_precision": precision if precision in PRECISION_CHOICES else "towns",
        "f_conf": round(round(conf / 0.05) * 0.05, 2),  # the slider's step
        "f_hedged": _first(params, "hedged") != "0",
        "f_period": period if period in queries.PERIODS else "week",
    }


def url_from_state(state: dict[str, object]) -> dict[str, str | list[str]]:
    """The URL parameters for the widget values: every filter, so a link fixes the view."""
    start, end = state["f_dates"]
    params: dict[str, str | list[str]] = {"from": start.isoformat(), "to": end.isoformat()}
    for key in ("f_towns", "f_groups", "f_indicators"):
        if state[key]:
            params[URL_KEYS[key]] = list(state[key])
    if not state["f_towns"]:
        params["town"] = ""  # no town chosen, as opposed to "the default town"
    params["precision"] = state["f_precision"]
    params["conf"] = f"{float(state['f_conf']):g}"
    params["hedged"] = "1" if state["f_hedged"] else "0"
    params["period"] = state["f_period"]
    return params


def read_url() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params.keys()}


def write_url(params: dict[str, str | list[str]]) -> None:
    wanted = {k: v if isinstance(v, list) else [v] for k, v in params.items()}
    if read_url() != wanted:
        st.query_params.from_dict(params)


@dataclasses.dataclass(frozen=True)
class FilterChoices:
    """What the filter widgets offer, read from the database."""
    first: date
    last: date
    actors: list[str]
    town_names: dict[str, str]


def current_filters(db: str, stamp: tuple, summary: dict
                    ) -> tuple[queries.Filters, str, FilterChoices]:
    """The filters from session state (seeded from the URL), before any widget is drawn:
    the first chart is computed and sent before the sidebar's widgets, whose code the
    browser would otherwise load first (draw_filters draws them with these values)."""
    first = summary["first_event_date"]
    last = summary["last_event_date"]
    actors = load_actors(db, stamp)["actor"].tolist()
    precision_now = st.session_state.get("f_precision", _first(read_url(), "precision"))
    town_scope = queries.Filters(precisions=PRECISION_CHOICES.get(precision_now, ("town",)))
    all_towns = load_towns(db, stamp, town_scope)
    state = st.session_state
    if not state.get("_seeded_from_url") or any(key not in state for key in URL_KEYS):
        # Once per session; and again for widgets a run without the sidebar forgot (the URL
        # holds the view since the last run that drew it).
        seeded = state_from_url(read_url(), first=first, last=last,
                                town_ids=all_towns["place_id"].tolist(), actors=actors)
        for key, value in seeded.items():
            if key not in state or not state.get("_seeded_from_url"):
                state[key] = value
        state["_seeded_from_url"] = True
    # Options can shrink after a refresh or a precision change: drop what is gone.
    town_names = dict(zip(all_towns["place_id"], town_labels(all_towns)))
    state["f_towns"] = [t for t in state.get("f_towns", []) if t in town_names]
    state["f_groups"] = [a for a in state.get("f_groups", []) if a in actors]
    dates = state.get("f_dates") or (first, last)
    if len(dates) == 2:
        state["f_dates"] = (min(max(dates[0], first), last), min(max(dates[1], first), last))
    dates = state["f_dates"] if state.get("f_dates") else (first, last)
    # A half-picked range keeps the full span until the second click.
    start, end = (dates[0], dates[1]) if len(dates) == 2 else (first, last)
    precision = state["f_precision"] if state["f_precision"] in PRECISION_CHOICES else "towns"
    period = state["f_period"] if state["f_period"] in queries.PERIODS else "week"
    filters = queries.Filters(
        date_from=start, date_to=end,
        actors=tuple(state["f_groups"]) or None,
        indicators=tuple(state["f_indicators"]) or None,
        min_confidence=float(state["f_conf"]), include_hedged=bool(state["f_hedged"]),
        precisions=PRECISION_CHOICES[precision], place_ids=tuple(state["f_towns"]),
    )
    write_url(url_from_state({
        "f_dates": (start, end), "f_towns": state["f_towns"], "f_groups": state["f_groups"],
        "f_indicators": state["f_indicators"], "f_precision": precision,
        "f_conf": state["f_conf"], "f_hedged": state["f_hedged"], "f_period": period,
    }))
    return filters, period, FilterChoices(first, last, actors, town_names)


def town_labels(towns: pd.DataFrame) -> list[str]:
    """Picker labels: the town's name; a village the gazetteer lacks (kept by the name the
    reports give, without coordinates) says so, with its province where known."""
    labels = []
    for place_id, name, admin1 in zip(towns["place_id"], towns["place_name"], towns["admin1"]):
        if str(place_id).startswith(UNLOCATED_PLACE_PREFIX):
            where = f"{admin1}, " if isinstance(admin1, str) and admin1 else ""
            name = f"{name} ({where}not in the gazetteer: no map point)"
        labels.append(name)
    return labels


def draw_filters(side, db: str, stamp: tuple, filters: queries.Filters,
                 choices: FilterChoices) -> None:
    """The filter widgets, showing (and from the next run on, changing) the session state
    current_filters read."""
    town_names = choices.town_names
    side.header("Filters")
    side.date_input("Date range", key="f_dates", min_value=choices.first,
                    max_value=choices.last)
    side.multiselect(
        "Towns", options=list(town_names), key="f_towns",
        format_func=lambda pid: town_names.get(pid, pid),
        placeholder="Choose towns", help="Most active first. Click a town on the map too.")
    side.multiselect("Groups", options=choices.actors, key="f_groups",
                     placeholder="All groups")
    side.multiselect("Indicators", options=list(INDICATORS), key="f_indicators",
                     placeholder="All indicators")
    side.radio("Place precision", options=list(PRECISION_CHOICES),
               key="f_precision", format_func=PRECISION_LABELS.get)
    side.slider("Minimum confidence", 0.0, 1.0, step=0.05, key="f_conf")
    side.toggle("Include hedged reports", key="f_hedged",
                help="Hedged: the report marks it unconfirmed ('reportedly').")
    side.radio("Periods", options=list(queries.PERIODS), key="f_period",
               format_func=PERIOD_LABELS.get, horizontal=True)
    # Across all places (not just the chosen towns): what the precision filter hides.
    left_out = load_left_out(db, stamp, dataclasses.replace(filters, place_ids=None))
    n_left = int(left_out["n_observations"].sum()) if not left_out.empty else 0
    if n_left:
        by_kind = ", ".join(f"{int(n)} {kind_label(k)}" for k, n in
                            zip(left_out["place_precision"], left_out["n_observations"]))
        side.badge(f"{n_left} observations left out", color="orange")
        side.caption(f"Not tied to a town: {by_kind}. Choose 'All, incl. provinces' to "
                     "include them.")


def kind_label(precision: str) -> str:
    return {"town": "town-level", "admin1": "province-level", "country": "country-level",
            "district": "district-level", "unresolved": "unresolved-place"}.get(
        precision, "other")


def select_town_from_map() -> None:
    """Map click -> town filter. Runs as a callback, before the widgets are drawn."""
    event = st.session_state.get("map_chart")
    picked = (event or {}).get("selection", {}).get(MAP_SELECTION) or []
    ids = [p["place_id"] for p in picked if isinstance(p, dict) and p.get("place_id")]
    if ids:
        st.session_state["f_towns"] = ids[:1]


# --- chart builders -----------------------------------------------------------------------

def series_labels(series: pd.DataFrame) -> pd.Series:
    """One line per town, or per town and group when several groups are shown."""
    if series["actor"].nunique() > 1:
        return series["place_name"] + " · " + series["actor"]
    return series["place_name"]


def stack_by_period(frame: pd.DataFrame, value: str) -> pd.DataFrame:
    """Add `y0`/`y1` so series stack within each period: positive values upward from 0,
    negative ones downward (net direction can be either). Bars are drawn as rects from
    period start to period end, so a week's bar spans its week on the shared time axis."""
    out = frame.assign(_v=frame[value].astype("float").fillna(0.0))
    out["_pos"] = out["_v"].clip(lower=0)
    out["_neg"] = out["_v"].clip(upper=0)
    out = out.sort_values(["period_start", "series"])
    pos_top = out.groupby("period_start")["_pos"].cumsum()
    neg_bottom = out.groupby("period_start")["_neg"].cumsum()
    out["y1"] = pos_top.where(out["_v"] >= 0, neg_bottom)
    out["y0"] = (pos_top - out["_pos"]).where(out["_v"] >= 0, neg_bottom - out["_neg"])
    return out.drop(columns=["_v", "_pos", "_neg"])


def _stacked_panel(frame: pd.DataFrame, value: str, title: str, y_title: str,
                   color: alt.Color, pick: alt.Parameter, tooltip: list,
                   height: int) -> alt.Chart:
    stacked = stack_by_period(frame, value)
    return (
        alt.Chart(stacked, title=title)
        .mark_rect(stroke="white", strokeWidth=0.5)
        .encode(x=alt.X("period_start:T", title=None), x2="period_end:T",
                y=alt.Y("y0:Q", title=y_title, axis=alt.Axis(tickMinStep=1, format="d")),
                y2="y1:Q", color=color,
                opacity=alt.when(pick).then(alt.value(1.0)).otherwise(alt.value(0.3)),
                tooltip=tooltip)
        .add_params(pick)
        .properties(height=height, width="container")
    )


def build_series_chart(series: pd.DataFrame, period: str) -> alt.VConcatChart | None:
    """Small multiples, one panel per indicator (events per period, stacked by town), plus
    killed (lower bound, with a rule up to the upper bound where known) and net direction
    for checkpoints and patrols; all panels share the time axis. A click on a bar selects
    (period, indicator, town) and narrows the evidence."""
    if series.empty:
        return None
    # The zero-filled series spans the whole date range in every panel, so the shared
    # x scale covers it without an explicit domain.
    data = series.assign(series=series_labels(series))
    color = alt.Color("series:N",
                      title="Town · group" if data["actor"].nunique() > 1 else "Town",
                      legend=alt.Legend(orient="top", columns=4, labelLimit=280))
    pick = alt.selection_point(name=CHART_SELECTION,
                               fields=["period_label", "indicator", "place_id"])
    unit = "week" if period == "week" else "month"
    base_tip = [alt.Tooltip("period_label:N", title=f"{unit} of"),
                alt.Tooltip("series:N", title="town")]
    panels = []
    for indicator in [i for i in INDICATORS if i in set(data["indicator"])]:
        rows = data[data["indicator"] == indicator]
        name = indicator.replace("_", " ")
        panels.append(_stacked_panel(
            rows, "events", f"{name}: events per {unit}", "events", color, pick,
            [*base_tip, alt.Tooltip("events:Q")], 100))
        if indicator == "killing":
            panels.append(build_killed_panel(rows, color, pick, base_tip, unit))
        if indicator in queries.DIRECTION_INDICATORS:
            net = _stacked_panel(
                rows, "net_direction", f"{name}: net direction (growth minus shrinkage)",
                "net", color, pick,
                [*base_tip, alt.Tooltip("increases:Q"), alt.Tooltip("decreases:Q"),
                 alt.Tooltip("net_direction:Q", title="net")], 80)
            panels.append(net + alt.Chart().mark_rule(color="gray").encode(y=alt.datum(0)))
    with warnings.catch_warnings():
        # One selection shared by every panel is what we want; Altair merges it and says so.
        warnings.filterwarnings("ignore", message="Automatically deduplicated selection")
        chart = alt.vconcat(*panels, spacing=12).resolve_scale(x="shared", color="shared")
    # Fit the panels to the page width. Streamlit would pick "pad" because some panels are
    # layers, and the axes would then overflow the page on the right.
    return chart.properties(autosize=alt.AutoSizeParams(type="fit-x", contains="padding"))


def build_killed_panel(rows: pd.DataFrame, color: alt.Color,
                       pick: alt.Parameter, base_tip: list, unit: str) -> alt.Chart:
    """People killed: stacked lower bounds, a black rule up to the summed upper bounds
    where every upper bound is known, and a '+' where one is open-ended ("more than 30")."""
    tooltip = [*base_tip, alt.Tooltip("killed_low:Q", title="at least"),
               alt.Tooltip("killed_high:Q", title="at most (blank: open)")]
    bars = _stacked_panel(rows, "killed_low", f"killed per {unit} (bar: at least; line: up "
                          "to at most; +: open-ended)", "people", color, pick,
                          tooltip, 100)
    totals = (rows.assign(killed_low=rows["killed_low"].astype("float"),
                          killed_high=rows["killed_high"].astype("float"),
                          killed_high_open=rows["killed_high_open"].astype("boolean"))
              .groupby(["period_start", "period_end"], as_index=False)
              .agg(low=("killed_low", "sum"), high=("killed_high", "sum"),
                   n_high=("killed_high", "count"), n=("killed_low", "size"),
                   open=("killed_high_open", "any")))
    totals["mid"] = totals["period_start"] + (totals["period_end"] - totals["period_start"]) / 2
    layers = [bars]
    x_mid = alt.X("mid:T", title=None)
    known = totals[(totals["n_high"] == totals["n"]) & (totals["high"] > totals["low"])]
    if not known.empty:
        layers.append(alt.Chart(known).mark_rule(color="black", strokeWidth=2)
                      .encode(x=x_mid, y="low:Q", y2="high:Q"))
    open_ended = totals[totals["open"].fillna(False).astype(bool)]
    if not open_ended.empty:
        layers.append(alt.Chart(open_ended).mark_text(dy=-9, fontSize=15, fontWeight="bold")
                      .encode(x=x_mid, y="low:Q", text=alt.value("+")))
    return alt.layer(*layers) if len(layers) > 1 else bars


MAP_LABELS = 10  # the most active towns get a name on the map; the rest show on hover


def build_map_chart(towns: pd.DataFrame, selected: list[str]) -> alt.LayerChart | None:
    """Towns on a Mercator projection fitted to them (no tiles: works offline): size =
    events in the period, colour = net direction of checkpoints and patrols (red growing,
    blue shrinking); a click selects the town."""
    located = towns.dropna(subset=["latitude", "longitude"]).copy()
    if located.empty:
        return None
    located["selected"] = located["place_id"].isin(selected)
    located["net_direction"] = located["net_direction"].astype("float")
    # Invisible corners a little outside the towns: the projection is fitted to all layers,
    # so this pads the view (and a single town does not zoom in without bound).
    pad = 0.25
    corners = pd.DataFrame({"longitude": [located["longitude"].min() - pad,
                                          located["longitude"].max() + pad],
                            "latitude": [located["latitude"].min() - pad,
                                         located["latitude"].max() + pad]})
    geo = {"longitude": "longitude:Q", "latitude": "latitude:Q"}
    frame = alt.Chart(corners).mark_point(opacity=0).encode(**geo)
    pick = alt.selection_point(name=MAP_SELECTION, fields=["place_id"])
    limit = max(1.0, float(located["net_direction"].abs().max()))
    dots = alt.Chart(located).mark_circle(opacity=0.85, stroke="black").encode(
        **geo,
        size=alt.Size("n_events:Q", title="events", scale=alt.Scale(range=[60, 900])),
        color=alt.Color("net_direction:Q", title="net direction",
                        scale=alt.Scale(scheme="redblue", reverse=True,
                                        domain=[-limit, limit])),
        strokeWidth=alt.when(alt.datum.selected).then(alt.value(3)).otherwise(alt.value(0)),
        tooltip=[alt.Tooltip("place_name:N", title="town"), alt.Tooltip("admin1:N"),
                 alt.Tooltip("n_events:Q", title="events"),
                 alt.Tooltip("net_direction:Q", title="net direction")],
    ).add_params(pick)
    named = located[located["selected"]
                    | located["place_id"].isin(located["place_id"].head(MAP_LABELS))]
    labels = alt.Chart(named).mark_text(dy=-22, fontSize=12).encode(**geo, text="place_name:N")
    return (alt.layer(frame, dots, labels).project(type="mercator")
            .properties(height=460, width="container")
            .configure_legend(orient="bottom", direction="horizontal")
            .configure_view(stroke="#ddd"))


# --- views --------------------------------------------------------------------------------

def safe_link(url: object) -> str | None:
    """Only http(s) links become clickable; a `javascript:` URL in a report does not."""
    if not isinstance(url, str):
        return None
    return url if urlsplit(url.strip()).scheme.lower() in ("http", "https") else None


def evidence_table(evidence: pd.DataFrame) -> pd.DataFrame:
    table = evidence.assign(
        link=[safe_link(u) for u in evidence["url"]],
        quantity=[format_quantity(lo, hi) for lo, hi in
                  zip(evidence["quantity_low"], evidence["quantity_high"])],
    )
    return table[["event_date", "place_name", "indicator", "change", "actor",
                  "sentence_marked", "hedged", "negated", "confidence", "quantity",
                  "counterpart", "title", "source", "published", "link", "date_start",
                  "date_end"]]


def format_quantity(low: object, high: object) -> str:
    low = None if pd.isna(low) else int(low)
    high = None if pd.isna(high) else int(high)
    if low is None and high is None:
        return ""
    if high is None:
        return f"{low}+"
    if low is None:
        return f"up to {high}"
    return str(low) if low == high else f"{low}–{high}"


def evidence_text(row: pd.Series) -> str:
    """One evidence row as plain text (rendered with st.text: no Markdown, no HTML)."""
    badges = [b for b, on in (("HEDGED", row["hedged"]), ("NEGATED", row["negated"])) if on]
    when = pd.Timestamp(row["event_date"]).date().isoformat()
    head = (f"{when} · {row['place_name']} · {row['indicator']}/{row['change']} · "
            f"{row['actor']} · confidence {row['confidence']:.2f}")
    if badges:
        head += " · " + " · ".join(badges)
    published = pd.Timestamp(row["published"]).date().isoformat()
    return f"{head}\n{row['sentence_marked']}\n— {row['title']} ({row['source']}, {published})"


def chart_pick(event: object) -> dict | None:
    """The bar the user clicked (period_label, indicator, place_id) or None."""
    try:
        picked = event["selection"][CHART_SELECTION]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    if isinstance(picked, list) and picked and isinstance(picked[0], dict):
        return picked[0]
    return None


def town_view(db: str, stamp: tuple, filters: queries.Filters, period: str) -> None:
    """Charts and evidence for the chosen towns."""
    if not filters.place_ids:
        st.info("Choose one or more towns in the sidebar (or click one on the map).")
        return
    series = load_series(db, stamp, filters, period)
    chart = build_series_chart(series, period)
    pick = None
    if chart is None:
        st.info("No counted events for these towns and filters.")
    else:
        event = st.altair_chart(chart, key="series_chart", on_select="rerun",
                                selection_mode=CHART_SELECTION, width="stretch")
        pick = chart_pick(event)

    st.subheader("Evidence")
    evidence_filters = filters
    period_start = indicator = None
    if pick:
        period_start = queries_date(pick.get("period_label"))
        indicator = pick.get("indicator") if pick.get("indicator") in INDICATORS else None
        if pick.get("place_id") in (filters.place_ids or ()):
            evidence_filters = dataclasses.replace(filters, place_ids=(pick["place_id"],))
    evidence = load_evidence(db, stamp, evidence_filters, period_start, period, indicator)
    n_evidence = evidence_total(db, stamp, evidence, evidence_filters, period_start, period,
                                indicator)
    n_all = town_evidence_total(db, stamp, filters, period) if pick else n_evidence
    newest = (f" (the newest {len(evidence)} below)" if len(evidence) < n_evidence else "")
    if pick and period_start:
        st.caption(f"Narrowed to the {period} of {period_start.isoformat()}"
                   f"{', ' + indicator.replace('_', ' ') if indicator else ''}: "
                   f"{n_evidence} of {n_all} observations{newest}. "
                   "Double-click the chart to clear.")
    elif newest:
        st.caption(f"Showing the newest {len(evidence)} of {n_evidence} observations (negated "
                   "ones are shown, flagged, and never counted; the Export tab has them all). "
                   "Click a bar to narrow to its period.")
    else:
        st.caption(f"{n_evidence} observations (negated ones are shown, flagged, and "
                   "never counted). Click a bar to narrow to its period.")
    if evidence.empty:
        st.info("No evidence for this selection.")
        return
    st.dataframe(
        evidence_table(evidence), key="evidence_table", hide_index=True,
        column_config={
            "event_date": st.column_config.DateColumn("date"),
            "place_name": "town",
            "sentence_marked": st.column_config.TextColumn(
                "sentence («trigger»)", width=520),
            "hedged": st.column_config.CheckboxColumn("hedged"),
            "negated": st.column_config.CheckboxColumn("negated"),
            "confidence": st.column_config.ProgressColumn(
                "confidence", min_value=0.0, max_value=1.0, format="%.2f"),
            "title": st.column_config.TextColumn("report", width="medium"),
            "published": st.column_config.DateColumn("published"),
            "link": st.column_config.LinkColumn("link", display_text="open"),
            "date_start": st.column_config.DateColumn("from"),
            "date_end": st.column_config.DateColumn("to"),
        },
    )
    with st.expander(f"Read the sentences ({min(len(evidence), EVIDENCE_TEXT_ROWS)} "
                     f"of {n_evidence})", expanded=True):
        with st.container(key="evidence_text"):
            for _, row in evidence.head(EVIDENCE_TEXT_ROWS).iterrows():
                st.text(evidence_text(row))


def queries_date(label: object) -> date | None:
    try:
        return date.fromisoformat(str(label))
    except ValueError:
        return None


def map_view(db: str, stamp: tuple, filters: queries.Filters) -> None:
    towns = load_towns(db, stamp, dataclasses.replace(filters, place_ids=None))
    chart = build_map_chart(towns, list(filters.place_ids or ()))
    if chart is None:
        st.info("No located towns with events for these filters.")
        return
    st.caption("Size: events in the period. Colour: net direction of checkpoints and "
               "patrols (red growing, blue shrinking). Click a town to show it.")
    st.altair_chart(chart, key="map_chart", on_select=select_town_from_map,
                    selection_mode=MAP_SELECTION, width="stretch")
    st.dataframe(towns[["place_name", "admin1", "country", "n_events", "n_observations",
                        "net_direction", "last_event_date"]],
                 hide_index=True, key="map_table",
                 column_config={"place_name": "town",
                                "last_event_date": st.column_config.DateColumn("last event")})


def what_changed_view(db: str, stamp: tuple, filters: queries.Filters) -> None:
    scope = dataclasses.replace(filters, place_ids=None)
    changed = load_what_changed(db, stamp, scope)
    quiet = load_quiet_towns(db, stamp, scope)
    if changed.empty:
        st.info("No counted events in the 16 weeks before the end of the range.")
    else:
        row = changed.iloc[0]
        st.caption(
            f"Events in the last 4 weeks ({row['recent_from']:%Y-%m-%d} to "
            f"{row['recent_to']:%Y-%m-%d}) against the 12 weeks before, as weekly rates. "
            "Bands: ≥ +25% large rise, +10 to +25% moderate rise, −10 to +10% stable, "
            "−10 to −25% moderate drop, ≤ −25% large drop.")
        st.dataframe(
            changed[["place_name", "indicator", "band", "change_pct", "recent_events",
                     "baseline_events", "recent_per_week", "baseline_per_week"]],
            hide_index=True, key="what_changed_table",
            column_config={
                "place_name": "town",
                "change_pct": st.column_config.NumberColumn("change", format="%+.0f%%"),
                "recent_per_week": st.column_config.NumberColumn("recent / week",
                                                                 format="%.2f"),
                "baseline_per_week": st.column_config.NumberColumn("baseline / week",
                                                                   format="%.2f"),
            })
    st.subheader("Summary tallies")
    tallies = load_summary_tallies(db, stamp, scope)
    if tallies.empty:
        st.caption("No province-level or multi-week tallies in the range.")
    else:
        st.caption("Province-level and multi-week totals ('more than 30 killed across Deir ez-Zor "
                   "over two weeks'). They restate town events, so they are kept out of the town series.")
        st.dataframe(tallies, hide_index=True, key="tallies_table")
    st.subheader("Gone quiet")
    if quiet.empty:
        st.caption("Every town with reports in the range was reported on in its last 4 weeks.")
    else:
        st.caption("Towns with reports in the range but none in its last 4 weeks.")
        st.dataframe(quiet[["place_name", "last_report", "weeks_silent", "n_reports_before"]],
                     hide_index=True, key="quiet_table",
                     column_config={"place_name": "town",
                                    "last_report": st.column_config.DateColumn("last report")})


def health_view(db: str, stamp: tuple) -> None:
    health = load_health(db, stamp)
    runs = health["runs"]
    if runs.empty:
        st.info("No refresh has been recorded in this database.")
    else:
        last = runs.iloc[0]
        cols = st.columns([2, 1, 1, 1, 1])
        cols[0].metric("Last refresh", f"{last['started_at']:%Y-%m-%d %H:%M}")
        cols[1].metric("Status", "ok" if last["status"] == "ok" else "failed")
        cols[2].metric("Reports seen", int(last["reports_seen"]))
        cols[3].metric("New reports", int(last["reports_new"]))
        cols[4].metric("Rejected", int(last["reports_failed"]))
        st.subheader("Refresh history")
        st.dataframe(runs, hide_index=True, key="runs_table")
    st.subheader("Rejected inputs (latest runs)")
    if health["rejected"].empty:
        st.caption("None.")
    else:
        st.dataframe(health["rejected"], hide_index=True, key="rejected_table")
    st.subheader("Unresolved place names")
    if health["unresolved"].empty:
        st.caption("None: every place name was found in the gazetteer.")
    else:
        st.caption("Add them to data/reference/ or import a GeoNames dump "
                   "(python -m etl places import PATH).")
        st.dataframe(health["unresolved"], hide_index=True, key="unresolved_table")


def to_safe_csv(frame: pd.DataFrame) -> bytes:
    """CSV that a spreadsheet opens as text: a cell starting with = + - @ (report text can)
    is prefixed with ' so it is never evaluated as a formula."""
    def guard(value: object) -> object:
        if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
            return "'" + value
        return value
    return frame.map(guard).to_csv(index=False).encode()


def to_parquet(frame: pd.DataFrame) -> bytes:
    import io

    buffer = io.BytesIO()
    frame.to_parquet(buffer, index=False)
    return buffer.getvalue()


def chart_png(series: pd.DataFrame, period: str) -> bytes:
    """The town view's charts as a PNG, rendered in-process by vl-convert (no browser, no
    network): called only when the user asks for it."""
    import vl_convert

    chart = build_series_chart(series, period)
    return vl_convert.vegalite_to_png(chart.to_json(), scale=2) if chart is not None else b""


def export_view(db: str, stamp: tuple, filters: queries.Filters, period: str) -> None:
    """Download buttons for the current view; each file is built when its button is
    clicked (the observations are read then, all of them)."""
    if filters.place_ids:
        series = load_series(db, stamp, filters, period)
        n_observations = town_evidence_total(db, stamp, filters, period)
    else:
        series, n_observations = pd.DataFrame(), 0
    if series.empty and not n_observations:
        st.info("Nothing to export: choose towns with events first.")
        return
    st.caption("The current view: observations (evidence) and the series behind the charts.")
    if not series.empty:
        st.download_button("charts as PNG", lambda: chart_png(series, period), file_name="presence_charts.png",
                           mime="image/png", key="dl_chart_png", on_click="ignore")

    def observations() -> pd.DataFrame:
        return queries.list_evidence(db, filters, period=period)

    for name, frame, present in (("observations", observations, n_observations > 0),
                                 ("series", lambda: series, not series.empty)):
        if not present:
            continue
        cols = st.columns(2)
        cols[0].download_button(f"{name} as CSV", lambda frame=frame: to_safe_csv(frame()),
                                file_name=f"presence_{name}.csv", mime="text/csv",
                                key=f"dl_{name}_csv", on_click="ignore")
        cols[1].download_button(f"{name} as Parquet", lambda frame=frame: to_parquet(frame()),
                                file_name=f"presence_{name}.parquet",
                                mime="application/vnd.apache.parquet",
                                key=f"dl_{name}_parquet", on_click="ignore")


def show_no_data(message: str, path: Path, db_argument: str | None) -> None:
    """The way out of an empty or missing database: the refresh command (PRESENCE_DB, when
    set, names the database for the refresh too; a --db given here is passed on)."""
    st.info(message)
    st.text(f"Database: {path}\nBuild or update it with:")
    command = REFRESH_COMMAND
    if db_argument:
        command += " --db " + shlex.quote(db_argument)
    st.code(command, language="bash")


def header_caption(db: str, stamp: tuple, summary: dict) -> str:
    last = load_last_refresh(db, stamp)
    if last.empty:
        refreshed = "no refresh recorded"
    else:
        row = last.iloc[0]
        status = "ok" if row["status"] == "ok" else "FAILED"
        when = row["finished_at"] if pd.notna(row["finished_at"]) else row["started_at"]
        refreshed = f"{when:%Y-%m-%d %H:%M} ({status})"
    return (f"Last refresh: {refreshed} · {summary['n_reports']} reports · "
            f"{summary['n_events']} events")


TABS = ["Town view", "Map", "What changed", "Data health", "Export"]


def main(argv: list[str] | None = None) -> None:
    page = globals().get("_PAGE") or start_page()
    try:
        show_page(page[0], argv)
    finally:
        page[1].empty()  # the warm-up chart has done its work
        st.session_state["_vega_warmed_up"] = True


def show_page(sidebar, argv: list[str] | None) -> None:
    db_argument = parse_db_argument(sys.argv[1:] if argv is None else argv)
    path = db_path(db_argument)
    stamp = database_stamp(path)
    db = str(path)
    try:
        summary = load_summary(db, stamp)
        st.caption(header_caption(db, stamp, summary))
        if summary["is_empty"]:
            show_no_data("The database has no reports with events yet.", path, db_argument)
            health_view(db, stamp)
            return
        filters, period, choices = current_filters(db, stamp, summary)
        # Only the open tab runs (a click on another tab reruns the script): the first
        # page computes and sends the town view alone.
        tabs = st.tabs(TABS, key="tab", on_change="rerun")
        if tabs[0].open:
            with tabs[0]:
                town_view(db, stamp, filters, period)
        draw_filters(sidebar, db, stamp, filters, choices)
        if tabs[1].open:
            with tabs[1]:
                map_view(db, stamp, filters)
        if tabs[2].open:
            with tabs[2]:
                what_changed_view(db, stamp, filters)
        if tabs[3].open:
            with tabs[3]:
                health_view(db, stamp)
        if tabs[4].open:
            with tabs[4]:
                export_view(db, stamp, filters, period)
    except queries.DatabaseMissing:
        show_no_data("No database yet.", path, db_argument)
    except queries.DatabaseUnavailable as exc:
        st.error("The database cannot be read right now (a refresh may be publishing it, "
                 "or it is not a presence database). Reload in a moment.")
        st.text(str(exc))


if __name__ == "__main__":
    main()
