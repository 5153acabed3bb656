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
from datetime import timedelta

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


def build_events(obs: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Events and event->observation links from observations joined with their report's
    `source` and `published` (columns of `observations` plus those two)."""
    if obs.empty:
        return pd.DataFrame(columns=EVENT_COLUMNS), pd.DataFrame(columns=["event_id", "observation_id"])
    # Plain records, grouped in Python: per-group DataFrame work costs far more here.
    groups: dict[tuple, list[dict]] = {}
    for r in obs.to_dict("records"):
        groups.setdefault(tuple(_key(r[k]) for k in GROUP_KEY), []).append(r)
    events, links = [], []
    for key in sorted(groups):
        rows = sorted(groups[key], key=lambda r: (_key(r["date_start"]), _key(r["date_end"]), r["observation_id"]))
        for cluster in _clusters(rows):
            event = _event(cluster)
            events.append(event)
            links += [(event["event_id"], o["observation_id"]) for o in cluster]
    _grade_opposites(events)
    events.sort(key=lambda e: e["event_id"])
    links.sort()
    return pd.DataFrame(events, columns=EVENT_COLUMNS), pd.DataFrame(links, columns=["event_id", "observation_id"])


def _key(value):
    """A sort key that orders missing values first and never compares None with a value."""
    return (0, "") if not _present(value) else (1, value)


def _clusters(rows: list[dict]) -> list[list[dict]]:
    """Chains of overlapping spans (rows sorted by start): each chain is one happening, as
    long as its counts agree within a factor of MAX_COUNT_RATIO (12 and 45 dead in one city
    on nearby days are two attacks) and a day-precise chain spans at most MAX_CHAIN_DAYS."""
    clusters: list[list[dict]] = []
    end = None
    for r in rows:
        tol = timedelta(days=TOLERANCE_DAYS.get(r["date_precision"] or "day", 1))
        start = r["date_start"]
        if (clusters and end is not None and start is not None and start - tol <= end
                and _same_scale(clusters[-1], r) and _compatible_count(clusters[-1], r) and _short_enough(clusters[-1], r)):
            clusters[-1].append(r)
            end = max(end, r["date_end"] + tol)
        else:
            clusters.append([r])
            end = (r["date_end"] + tol) if r["date_end"] is not None else None
    return clusters


MAX_COUNT_RATIO = 3
MAX_CHAIN_DAYS = 3


def _compatible_count(cluster: list[dict], r: dict) -> bool:
    if not _present(r["quantity_low"]):
        return True
    counts = [int(o["quantity_low"]) for o in cluster if _present(o["quantity_low"])]
    q = int(r["quantity_low"])
    return all(max(q, c) <= MAX_COUNT_RATIO * max(1, min(q, c)) for c in counts)


def _short_enough(cluster: list[dict], r: dict) -> bool:
    if (r["date_precision"] or "day") != "day" or cluster[0]["date_start"] is None or r["date_end"] is None:
        return True
    return (r["date_end"] - min(o["date_start"] for o in cluster if o["date_start"] is not None)).days <= MAX_CHAIN_DAYS


def _same_scale(cluster: list[dict], r: dict) -> bool:
    """A tally over weeks does not swallow the day events inside it, nor the reverse."""
    return is_summary(cluster[0]["place_precision"], cluster[0]["date_start"], cluster[0]["date_end"]) == \
        is_summary(r["place_precision"], r["date_start"], r["date_end"])


def _event(cluster: list[dict]) -> dict:
    first = cluster[0]
    ids = sorted(o["observation_id"] for o in cluster)
    lows = [o["quantity_low"] for o in cluster if _present(o["quantity_low"])]
    highs = [o["quantity_high"] for o in cluster if _present(o["quantity_high"])]
    counts = sorted({int(x) for x in lows} | {int(x) for x in highs if not lows})
    low = int(min(lows)) if lows else None
    high = max([int(x) for x in highs] + [int(x) for x in lows]) if (highs or len(set(lows)) > 1) else None
    best = _median(counts)
    sources = {(o.get("source") or "").strip().lower() or o["report_id"] for o in cluster}
    reports = {o["report_id"] for o in cluster}
    published = [o["published"] for o in cluster if _present(o.get("published"))]
    counterparts = sorted({o["counterpart"] for o in cluster if _present(o["counterpart"])})
    precisions = [o["date_precision"] for o in cluster]
    starts = [o["date_start"] for o in cluster if o["date_start"] is not None]
    ends = [o["date_end"] for o in cluster if o["date_end"] is not None]
    contested = len({int(x) for x in lows}) > 1
    return {
        "event_id": hashlib.sha256("|".join(ids).encode()).hexdigest()[:20],
        "indicator": first["indicator"], "change": first["change"], "actor": first["actor"],
        "counterpart": counterparts[0] if counterparts else None,
        "place_id": first["place_id"], "place_name": first["place_name"], "admin1": first["admin1"],
        "place_precision": first["place_precision"], "latitude": first["latitude"], "longitude": first["longitude"],
        # The narrowest span the reports give: the most specific statement of when.
        "date_start": max(starts) if starts and max(starts) <= min(ends) else (min(starts) if starts else None),
        "date_end": min(ends) if starts and max(starts) <= min(ends) else (max(ends) if ends else None),
        "date_precision": min(precisions, key=lambda p: ["day", "week", "month", "year"].index(p or "day")),
        "quantity_best": best, "quantity_low": low, "quantity_high": high,
        "hedged": all(bool(o["hedged"]) for o in cluster), "negated": bool(first["negated"]),
        "n_reports": len(reports), "n_sources": len(sources),
        "first_reported": min(published) if published else None, "last_reported": max(published) if published else None,
        "is_summary": is_summary(first["place_precision"], min(starts) if starts else None, max(ends) if ends else None),
        "corroboration": "contested" if contested else ("several sources" if len(sources) > 1 else "single source"),
        "n_observations": len(cluster),
        "confidence": max(float(o["confidence"]) for o in cluster) if all(_present(o.get("confidence")) for o in cluster) else None,
        "country": first.get("country"),
    }


def _grade_opposites(events: list[dict]) -> None:
    """Reports that disagree on direction (checkpoints up vs down at one place and time):
    both events are contested."""
    index: dict[tuple, list[dict]] = {}
    for e in events:
        if not e["negated"]:
            index.setdefault((e["indicator"], e["actor"], e["place_id"]), []).append(e)
    for e in events:
        opposite = OPPOSITES.get((e["indicator"], e["change"]))
        if opposite is None or e["negated"]:
            continue
        for o in index.get((e["indicator"], e["actor"], e["place_id"]), []):
            if o["change"] == opposite and _overlap(e, o):
                e["corroboration"] = o["corroboration"] = "contested"


def _overlap(a: dict, b: dict) -> bool:
    if not all(_present(x) for x in (a["date_start"], a["date_end"], b["date_start"], b["date_end"])):
        return False
    tol = timedelta(days=max(TOLERANCE_DAYS.get(a["date_precision"], 1), TOLERANCE_DAYS.get(b["date_precision"], 1)))
    return a["date_start"] - tol <= b["date_end"] and b["date_start"] - tol <= a["date_end"]


def _present(v) -> bool:
    return v is not None and not (isinstance(v, float) and v != v) and v is not pd.NA


def _median(values: list[int]) -> int | None:
    if not values:
        return None
    return values[(len(values) - 1) // 2]
