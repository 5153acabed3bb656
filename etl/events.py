"""Events: observations of one happening merged across reports.

Three outlets reporting the same four killings are one event with three sources, not twelve
dead. Observations merge when they have the same indicator, change, actor, denial and place,
and date spans that overlap within the tolerance of their precision (a day either side for
days, three for weeks, none for months). Counts across the reports are kept as low/high, and
an event whose reports disagree on the count (4 vs 6 killed), or on the direction of a change
(checkpoints up vs down at the same place and time), is graded "contested".

Summary tallies (province- or country-level statements, or spans longer than two weeks:
"more than 30 killed across Deir ez-Zor over two weeks") are flagged `is_summary` so that
town series never add them to the town events they restate.

Deterministic: the same observations in any order give the same events (they are sorted
before merging, and an event's id is a hash of its observations' ids). Incremental: only the
groups (indicator, change, actor, place) that a refresh touched are rebuilt.
"""
from __future__ import annotations

import hashlib
import sys
from bisect import bisect_left, bisect_right
from datetime import timedelta
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pandas only for the DataFrame interface: a refresh never imports it
    import pandas as pd

TOLERANCE_DAYS = {"day": 1, "week": 3, "month": 0, "year": 0}
SUMMARY_SPAN_DAYS = 14
GROUP_KEY = ["indicator", "change", "actor", "place_id", "negated"]
# Changes that say opposite things about one presence.
OPPOSITES = {
    ("checkpoint", "increase"): "decrease", ("checkpoint", "decrease"): "increase",
    ("checkpoint", "established"): "removed", ("checkpoint", "removed"): "established",
    ("patrol", "increase"): "decrease", ("patrol", "decrease"): "increase",
    ("patrol", "started"): "stopped", ("patrol", "stopped"): "started",
    ("troop_movement", "arrival"): "departure", ("troop_movement", "departure"): "arrival",
}
EVENT_COLUMNS = [
    "event_id", "indicator", "change", "actor", "counterpart", "place_id", "place_name", "admin1",
    "place_precision", "latitude", "longitude", "date_start", "date_end", "date_precision",
    "quantity_best", "quantity_low", "quantity_high", "hedged", "negated", "n_reports", "n_sources",
    "first_reported", "last_reported", "is_summary", "corroboration", "n_observations",
    "confidence", "country",
]


def is_summary(place_precision: str | None, date_start, date_end) -> bool:
    if place_precision in ("admin1", "country"):
        return True
    return date_start is not None and date_end is not None and (date_end - date_start).days > SUMMARY_SPAN_DAYS


# What merging reads of an observation, in this order (plus its report's source and published
# date): rows are plain tuples, the fastest thing Python can sort and group.
INPUT_COLUMNS = (
    "observation_id", "report_id", "indicator", "change", "actor", "counterpart", "place_id",
    "place_name", "admin1", "country", "place_precision", "latitude", "longitude", "date_start",
    "date_end", "date_precision", "quantity_low", "quantity_high", "hedged", "negated",
    "confidence", "source", "published",
)
(_OID, _RID, _IND, _CHG, _ACT, _CPT, _PID, _PNAME, _ADM1, _CTRY, _PPREC, _LAT, _LON, _START,
 _END, _DPREC, _QLOW, _QHIGH, _HEDGED, _NEG, _CONF, _SRC, _PUB) = range(len(INPUT_COLUMNS))
_PRECISION_RANK = {"day": 0, "week": 1, "month": 2, "year": 3}
_ONE_DAY = timedelta(days=1)
_TOLERANCE = {p: timedelta(days=d) for p, d in TOLERANCE_DAYS.items()}
_MAX_TOLERANCE = timedelta(days=max(TOLERANCE_DAYS.values()))


def build_events(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events and event->observation links from observations joined with their report's
    `source` and `published` (columns of `observations` plus those two)."""
    import pandas as pd

    if obs.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS), pd.DataFrame(columns=["event_id", "observation_id"])
    columns = [[None if not _present(v) else v for v in obs[c].tolist()] if c in obs.columns else [None] * len(obs)
               for c in INPUT_COLUMNS]
    events, links = build_event_rows(zip(*columns))
    return pd.DataFrame(events, columns=EVENT_COLUMNS), pd.DataFrame(links, columns=["event_id", "observation_id"])


def build_event_rows(rows, grade_opposites: bool = True, ordered: bool = True
                     ) -> tuple[list, list[tuple[str, str]]]:
    """The same as build_events over plain tuples in INPUT_COLUMNS order (missing values are
    None): events in EVENT_COLUMNS order and (event_id, observation_id) links, both sorted
    unless `ordered` is false. `grade_opposites=False` leaves the contested grade of opposite
    directions to the caller (load.rebuild_events does it in SQL)."""
    groups: dict[tuple, list[tuple]] = {}
    for r in rows:
        key = (r[_IND], r[_CHG], r[_ACT], r[_PID], r[_NEG])
        group = groups.get(key)
        if group is None:
            groups[key] = [r]
        else:
            group.append(r)
    events: list = []
    links: list[tuple[str, str]] = []
    for group in groups.values():
        if len(group) > 1:
            # Missing dates sort first (_row_order); without any, the plain tuple orders the same.
            group.sort(key=_row_order if any(r[_START] is None or r[_END] is None for r in group) else _DATED_ORDER)
        for cluster in _clusters(group):
            event = _event(cluster)
            events.append(event)
            if len(cluster) == 1:
                links.append((event[0], cluster[0][_OID]))
            else:
                event_id = event[0]
                links += [(event_id, o[_OID]) for o in cluster]
    if grade_opposites:
        events = [list(e) for e in events]
        _grade_opposites(events)
        events = [tuple(e) for e in events]
    if ordered:
        events.sort(key=_first)
        links.sort()
    return events, links


def _first(e):
    return e[0]


def _row_order(r: tuple):
    start, end = r[_START], r[_END]
    return ((0, "") if start is None else (1, start), (0, "") if end is None else (1, end), r[_OID])


_DATED_ORDER = itemgetter(_START, _END, _OID)


def _tolerance(precision) -> timedelta:
    return _TOLERANCE.get(precision or "day", _ONE_DAY)


def _row_is_summary(r: tuple) -> bool:
    return is_summary(r[_PPREC], r[_START], r[_END])


def _clusters(rows: list[tuple]) -> list[list[tuple]]:
    """Chains of overlapping spans (rows sorted by start): each chain is one happening, as
    long as its counts agree within a factor of MAX_COUNT_RATIO (12 and 45 dead in one city
    on nearby days are two attacks) and a day-precise chain spans at most MAX_CHAIN_DAYS."""
    clusters: list[list[tuple]] = []
    end = None
    # The current cluster: its scale (summary or not), smallest and largest count, first start.
    scale = low = high = first_start = None
    tolerances, one_day = _TOLERANCE, _ONE_DAY
    for r in rows:
        precision = r[_DPREC]
        tol = tolerances.get(precision or "day", one_day)
        start = r[_START]
        q = r[_QLOW]
        joins = end is not None and start is not None and start - tol <= end and clusters
        if joins:
            joins = is_summary(r[_PPREC], start, r[_END]) == scale
        if joins and q is not None and low is not None:
            q = int(q)
            joins = high <= MAX_COUNT_RATIO * max(1, q) and q <= MAX_COUNT_RATIO * max(1, low)
        if joins and (precision or "day") == "day" and first_start is not None and r[_END] is not None:
            joins = (r[_END] - first_start).days <= MAX_CHAIN_DAYS
        if joins:
            clusters[-1].append(r)
            reach = r[_END] + tol
            if reach > end:
                end = reach
            if r[_QLOW] is not None:
                q = int(r[_QLOW])
                low, high = (q, q) if low is None else (min(low, q), max(high, q))
        else:
            clusters.append([r])
            end = (r[_END] + tol) if r[_END] is not None else None
            scale = is_summary(r[_PPREC], start, r[_END])
            low = high = int(r[_QLOW]) if r[_QLOW] is not None else None
            first_start = start
    return clusters


MAX_COUNT_RATIO = 3
MAX_CHAIN_DAYS = 3


def _event(cluster: list[tuple]) -> tuple:
    first = cluster[0]
    if len(cluster) == 1:
        return _single_event(first)
    ids = sorted(o[_OID] for o in cluster)
    lows = [o[_QLOW] for o in cluster if o[_QLOW] is not None]
    highs = [o[_QHIGH] for o in cluster if o[_QHIGH] is not None]
    int_lows = {int(x) for x in lows}
    counts = sorted(int_lows | ({int(x) for x in highs} if not lows else set()))
    low = int(min(lows)) if lows else None
    high = max([int(x) for x in highs] + [int(x) for x in lows]) if (highs or len(set(lows)) > 1) else None
    best = _median(counts)
    sources = {(o[_SRC] or "").strip().lower() or o[_RID] for o in cluster}
    reports = {o[_RID] for o in cluster}
    published = [o[_PUB] for o in cluster if o[_PUB] is not None]
    counterparts = sorted({o[_CPT] for o in cluster if o[_CPT] is not None})
    starts = [o[_START] for o in cluster if o[_START] is not None]
    ends = [o[_END] for o in cluster if o[_END] is not None]
    contested = len(int_lows) > 1
    confidences = [o[_CONF] for o in cluster]
    narrow = bool(starts) and max(starts) <= min(ends)
    return (
        hashlib.sha256("|".join(ids).encode()).hexdigest()[:20],
        first[_IND], first[_CHG], first[_ACT], counterparts[0] if counterparts else None,
        first[_PID], first[_PNAME], first[_ADM1], first[_PPREC], first[_LAT], first[_LON],
        # The narrowest span the reports give: the most specific statement of when.
        max(starts) if narrow else (min(starts) if starts else None),
        min(ends) if narrow else (max(ends) if ends else None),
        min((o[_DPREC] for o in cluster), key=_precision_rank),
        best, low, high,
        all(bool(o[_HEDGED]) for o in cluster), bool(first[_NEG]),
        len(reports), len(sources),
        min(published) if published else None, max(published) if published else None,
        is_summary(first[_PPREC], min(starts) if starts else None, max(ends) if ends else None),
        "contested" if contested else ("several sources" if len(sources) > 1 else "single source"),
        len(cluster),
        max(float(c) for c in confidences) if all(c is not None for c in confidences) else None,
        first[_CTRY],
    )


def _single_event(o: tuple) -> tuple:
    """_event of a cluster of one observation, without the set and list building."""
    q_low, q_high = o[_QLOW], o[_QHIGH]
    if q_low is not None:
        low = int(q_low)
        high = max(int(q_high), low) if q_high is not None else None
        best = low
    else:
        low = None
        high = int(q_high) if q_high is not None else None
        best = high
    start, end, published = o[_START], o[_END], o[_PUB]
    return (
        hashlib.sha256(o[_OID].encode()).hexdigest()[:20],
        o[_IND], o[_CHG], o[_ACT], o[_CPT], o[_PID], o[_PNAME], o[_ADM1], o[_PPREC], o[_LAT], o[_LON],
        start, end,
        o[_DPREC], best, low, high, bool(o[_HEDGED]), bool(o[_NEG]), 1, 1,
        published, published,
        is_summary(o[_PPREC], start, end),
        "single source", 1,
        float(o[_CONF]) if o[_CONF] is not None else None,
        o[_CTRY],
    )


def _precision_rank(p) -> int:
    return _PRECISION_RANK[p or "day"]


# Positions in an event list (EVENT_COLUMNS order).
_E = {c: i for i, c in enumerate(EVENT_COLUMNS)}
_E_CHG, _E_IND, _E_ACT, _E_PID, _E_NEG = _E["change"], _E["indicator"], _E["actor"], _E["place_id"], _E["negated"]
_E_START, _E_END, _E_PREC, _E_CORR = _E["date_start"], _E["date_end"], _E["date_precision"], _E["corroboration"]


def _grade_opposites(events: list[list]) -> None:
    """Reports that disagree on direction (checkpoints up vs down at one place and time):
    both events are contested."""
    index: dict[tuple, list[list]] = {}
    for e in events:
        if (not e[_E_NEG] and (e[_E_IND], e[_E_CHG]) in OPPOSITES and e[_E_START] is not None
                and e[_E_END] is not None):
            index.setdefault((e[_E_IND], e[_E_ACT], e[_E_PID], e[_E_CHG]), []).append(e)
    for (indicator, actor, place_id, change), mine in index.items():
        opposite = OPPOSITES[(indicator, change)]
        if change > opposite:  # each pair of directions once
            continue
        theirs = index.get((indicator, actor, place_id, opposite))
        if not theirs:
            continue
        theirs.sort(key=_start_of)
        starts = [o[_E_START] for o in theirs]
        longest = max(o[_E_END] - o[_E_START] for o in theirs)
        for e in mine:
            lo = bisect_left(starts, e[_E_START] - _MAX_TOLERANCE - longest)
            hi = bisect_right(starts, e[_E_END] + _MAX_TOLERANCE)
            for o in theirs[lo:hi]:
                if _overlap(e, o):
                    e[_E_CORR] = o[_E_CORR] = "contested"


def _start_of(e):
    return e[_E_START]


def _overlap(a: list, b: list) -> bool:
    tol = timedelta(days=max(TOLERANCE_DAYS.get(a[_E_PREC], 1), TOLERANCE_DAYS.get(b[_E_PREC], 1)))
    return a[_E_START] - tol <= b[_E_END] and b[_E_START] - tol <= a[_E_END]


def _present(v) -> bool:
    pandas = sys.modules.get("pandas")  # pd.NA can only come from pandas, if it is loaded
    return v is not None and not (isinstance(v, float) and v != v) and not (pandas is not None and v is pandas.NA)


def _median(values: list[int]) -> int | None:
    if not values:
        return None
    return values[(len(values) - 1) // 2]


# --------------------------------------------------------------------------------------------
# The same merge in SQL where it is simple: load.rebuild_events runs these over the
# observations it rebuilds, and build_event_rows over the rest.
# --------------------------------------------------------------------------------------------
def tolerance_sql(precision: str) -> str:
    """TOLERANCE_DAYS of a precision column, in days (1 for NULL or unknown, as _tolerance)."""
    whens = " ".join(f"when '{p}' then {d}" for p, d in TOLERANCE_DAYS.items())
    return f"(case {precision} {whens} else 1 end)"


def single_flags_sql(condition: str) -> str:
    """observation_id and `single` of each observation `o` meeting `condition`: single when it is the whole of its cluster, for sure, from dates
    alone: its span starts after every earlier span of its group reaches (so it joins no
    cluster) and the next span starts after its own reaches (so nothing joins it; clusters only
    ever grow at the end). Such an observation is an event by itself (single_events_sql), and
    leaving it out changes no other cluster: the row after it starts past it, so past the
    cluster before it. The others go through build_event_rows."""
    tol = tolerance_sql("o.date_precision")
    window = ("partition by o.indicator, o.change, o.actor, o.place_id, o.negated "
              "order by o.date_start nulls first, o.date_end nulls first, o.observation_id")
    return f"""
        select observation_id,
               date_start is not null and date_end is not null and date_end >= date_start
               and (prev_reach is null or date_start - tol > prev_reach)
               and (next_start is null or next_start > date_end + tol) as single
        from (
            select o.observation_id, o.date_start, o.date_end, {tol} as tol,
                   max(o.date_end + {tol}) over ({window} rows between unbounded preceding and 1 preceding) as prev_reach,
                   lead(o.date_start - {tol}) over ({window}) as next_start
            from observations o
            where {condition}
        )"""


def single_events_sql(observations: str, events_table: str = "events") -> str:
    """(events, links) inserts for observations that are events by themselves: _single_event
    in SQL, the contested grade of opposite directions left to opposites_sql."""
    columns = ", ".join(EVENT_COLUMNS)
    event_id = "left(sha256(o.observation_id), 20)"
    events = f"""
        insert into {events_table} ({columns})
        select {event_id}, o.indicator, o.change, o.actor, o.counterpart, o.place_id, o.place_name,
               o.admin1, o.place_precision, o.latitude, o.longitude, o.date_start, o.date_end,
               o.date_precision, coalesce(o.quantity_low, o.quantity_high), o.quantity_low,
               case when o.quantity_high is null then null when o.quantity_low is null then o.quantity_high
                    else greatest(o.quantity_high, o.quantity_low) end,
               o.hedged, o.negated, 1, 1, r.published, r.published,
               coalesce(o.place_precision in ('admin1', 'country'), false)
                 or coalesce(o.date_end - o.date_start > {SUMMARY_SPAN_DAYS}, false),
               'single source', 1, o.confidence, o.country
        from observations o join reports r using (report_id)
        where o.observation_id in ({observations})"""
    links = f"""
        insert into event_observations (event_id, observation_id)
        select {event_id}, o.observation_id from observations o where o.observation_id in ({observations})"""
    return events, links


def opposites_sql(events_table: str) -> str:
    """_grade_opposites in SQL, within `events_table` (events of whole families): every event
    that overlaps an event of the opposite direction at the same place, for the same group and
    indicator, is contested (both are)."""
    opposite = " ".join(f"when indicator = '{ind}' and change = '{chg}' then '{opp}'"
                        for (ind, chg), opp in OPPOSITES.items())
    return f"""
        update {events_table} set corroboration = 'contested' where event_id in (
            with e as (
                select event_id, indicator, actor, place_id, change, date_start, date_end,
                       {tolerance_sql('date_precision')} as tol, case {opposite} end as opposite
                from {events_table}
                where not negated and date_start is not null and date_end is not null
            )
            select a.event_id
            from e a join e b on b.indicator = a.indicator and b.actor = a.actor
                             and b.place_id is not distinct from a.place_id and b.change = a.opposite
            where a.date_start - greatest(a.tol, b.tol) <= b.date_end
              and b.date_start - greatest(a.tol, b.tol) <= a.date_end)"""
