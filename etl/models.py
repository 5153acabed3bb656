"""Typed records that flow between the stages: read -> extract -> load.

One declaration of each record; `OBSERVATION_COLUMNS` is the column order of the
`observations` table (tests check it against schema.sql).
"""
from __future__ import annotations

import dataclasses
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import date

INDICATORS = ("checkpoint", "patrol", "killing", "troop_movement", "airstrike", "control_change")

CHANGES = {
    "checkpoint": ("increase", "decrease", "established", "removed", "attacked", "present"),
    "patrol": ("increase", "decrease", "started", "stopped", "present", "attacked"),
    "killing": ("killed", "killed_by"),
    "troop_movement": ("arrival", "departure", "transit", "redeployment"),
    "airstrike": ("strike",),
    "control_change": ("captured", "lost", "contested"),
}
MANNERS = ("assassination", "airstrike", "clash", "execution", "bombing", "shelling", "unknown")
PRECISIONS = ("town", "district", "admin1", "country")
DATE_PRECISIONS = ("day", "week", "month", "year")
UNITS = ("people", "fighters", "vehicles", "checkpoints", "patrols", "strikes")


@dataclass(frozen=True)
class Report:
    """One report as a reader yields it. `published` is None when no date could be found
    (the refresh then rejects it with the reason "no report date")."""

    report_id: str
    source: str
    url: str
    title: str
    published: date | None
    text: str
    path: str
    # Which record of `path` this is ("" for one-report files, a row or record key otherwise):
    # a changed report at the same source_key replaces the old one.
    source_key: str = ""
    reader: str = ""


# The place ids of villages a report names that the gazetteer lacks: kept by name, with no
# coordinates ("unlocated:syria:kafrbarqoum").
UNLOCATED_PLACE_PREFIX = "unlocated:"


@dataclass(frozen=True)
class Place:
    place_id: str
    name: str
    admin1: str | None
    admin2: str | None
    country: str
    latitude: float | None
    longitude: float | None
    kind: str  # town | district | admin1 | country | landmark
    population: int | None = None
    source: str = ""

    @property
    def precision(self) -> str:
        return {"admin1": "admin1", "country": "country", "district": "district"}.get(self.kind, "town")


@dataclass(frozen=True)
class Observation:
    """One report says one thing about one indicator, for one group, at one place and span."""

    report_id: str
    indicator: str
    change: str
    actor: str
    counterpart: str | None
    manner: str | None
    place_id: str | None
    place_name: str | None
    admin1: str | None
    country: str | None
    latitude: float | None
    longitude: float | None
    place_precision: str | None
    origin_place_id: str | None
    destination_place_id: str | None
    origin_name: str | None
    destination_name: str | None
    date_start: date | None
    date_end: date | None
    date_precision: str | None
    quantity_low: int | None
    quantity_high: int | None
    unit: str | None
    hedged: bool
    negated: bool
    attribution: str | None
    sentence: str
    span_start: int  # sentence span in the report text
    span_end: int
    trigger: str  # the words that triggered it, for highlighting
    trigger_start: int  # trigger span in the report text
    trigger_end: int
    confidence: float

    @property
    def observation_id(self) -> str:
        key = "|".join(
            str(x)
            for x in (self.report_id, self.indicator, self.change, self.actor, self.counterpart,
                      self.place_id, self.date_start, self.date_end, self.trigger_start, self.negated)
        )
        return hashlib.sha256(key.encode()).hexdigest()[:20]

    def as_row(self, extractor_version: str) -> dict:
        row = dataclasses.asdict(self)
        row["observation_id"] = self.observation_id
        row["extractor_version"] = extractor_version
        return {c: row[c] for c in OBSERVATION_COLUMNS}


OBSERVATION_COLUMNS = (
    "observation_id", "report_id", "indicator", "change", "actor", "counterpart", "manner",
    "place_id", "place_name", "admin1", "country", "latitude", "longitude", "place_precision",
    "origin_place_id", "destination_place_id", "origin_name", "destination_name",
    "date_start", "date_end", "date_precision", "quantity_low", "quantity_high", "unit",
    "hedged", "negated", "attribution", "sentence", "span_start", "span_end",
    "trigger", "trigger_start", "trigger_end", "confidence", "extractor_version",
)


def normalise_content(text: str) -> str:
    """The form of a report's text that its id is a hash of: Unicode NFC, whitespace collapsed,
    so re-encoded or re-wrapped copies of one report get one id."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFC", text)).strip()


def make_report_id(title: str, text: str) -> str:
    body = normalise_content(f"{title}\n{text}")
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]


@dataclass(frozen=True)
class Rejected:
    """An input the refresh could not take, with a short stable reason ("empty", "binary",
    "invalid encoding", "too large", "no report date", "no text", "unreadable") and detail."""

    path: str
    record: str
    reason: str
    detail: str = ""
