"""A small hand-made presence database for the query and dashboard tests.

Three towns (Abu Kamal, Al-Mayadin, Al-Qaim) and two provinces, two groups
(islamic_state, iraqi_forces), 16 weeks of observations from 2014-10-13 to 2015-01-20,
one event per observation (as the v1 loader writes them), reports whose text holds every
sentence at its stored offsets, one hostile report, two refresh runs, a rejected input and
unresolved place names. The expected numbers in test_queries.py are worked out from the
table below by hand; change both together.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

import duckdb

from etl.load import SCHEMA_VERSION

SCHEMA = Path(__file__).resolve().parent.parent / "etl" / "schema.sql"
EXTRACTOR_VERSION = "fixture-1"

PLACES = {
    # place_id: (name, admin1, country, latitude, longitude, kind)
    "abu_kamal": ("Abu Kamal", "Deir ez-Zor", "SY", 34.4506, 40.9188, "town"),
    "al_mayadin": ("Al-Mayadin", "Deir ez-Zor", "SY", 35.0206, 40.4531, "town"),
    "al_qaim": ("Al-Qaim", "Anbar", "IQ", 34.3686, 41.0944, "town"),
    "deir_ez_zor": ("Deir ez-Zor", "Deir ez-Zor", "SY", 35.3333, 40.1500, "admin1"),
    "anbar": ("Anbar", "Anbar", "IQ", 33.3667, 42.4500, "admin1"),
}
ALIASES = [
    ("abu_kamal", "Al-Bokamel", "en"), ("abu_kamal", "Albu Kamal", "en"),
    ("abu_kamal", "البوكمال", "ar"), ("al_mayadin", "Mayadeen", "en"),
    ("al_mayadin", "الميادين", "ar"), ("al_qaim", "Qaim", "en"),
]

HOSTILE_SENTENCE = (
    "IS patrols <script>alert(1)</script> decreased <img src=x onerror=alert(2)> in "
    "Al-Bokamel, see [click](http://evil.invalid)."
)
HOSTILE_TITLE = "<b>Breaking</b> [click](http://evil.invalid)"


@dataclass(frozen=True)
class Obs:
    sentence: str
    trigger: str
    indicator: str
    change: str
    actor: str
    place_id: str
    date_start: date
    date_end: date | None = None
    counterpart: str | None = None
    manner: str | None = None
    quantity_low: int | None = None
    quantity_high: int | None = None
    unit: str | None = None
    hedged: bool = False
    negated: bool = False
    confidence: float = 0.8


@dataclass(frozen=True)
class Rep:
    key: str
    title: str
    source: str
    url: str
    published: date
    observations: tuple[Obs, ...]


D = date
REPORTS = (
    Rep("r01", "Checkpoints multiply in Al-Bokamel", "Syria Direct",
        "https://syriadirect.example/r01", D(2014, 10, 14), (
            Obs("Islamic State fighters set up a new checkpoint at the eastern entrance of "
                "Al-Bokamel.", "set up", "checkpoint", "established", "islamic_state",
                "abu_kamal", D(2014, 10, 13), unit="checkpoints", confidence=0.9),
            Obs("Hisbah patrols roam the streets of Al-Bokamel every evening.", "roam",
                "patrol", "present", "islamic_state", "abu_kamal", D(2014, 10, 13)),
        )),
    Rep("r09", "Patrols in Al-Mayadin", "Deir ez-Zor 24",
        "https://deirezzor24.example/r09", D(2014, 10, 21), (
            Obs("IS patrols roam the streets of Al-Mayadin.", "roam", "patrol", "present",
                "islamic_state", "al_mayadin", D(2014, 10, 20)),
        )),
    Rep("r02", "Al-Mayadin under patrol", "Deir ez-Zor 24",
        "https://deirezzor24.example/r02", D(2014, 11, 4), (
            Obs("IS patrols have increased in Al-Mayadin since the start of the month.",
                "increased", "patrol", "increase", "islamic_state", "al_mayadin",
                D(2014, 11, 3), confidence=0.85),
            Obs("Iraqi forces set up checkpoints around Al-Qaim.", "set up", "checkpoint",
                "established", "iraqi_forces", "al_qaim", D(2014, 11, 3), confidence=0.9),
        )),
    Rep("r03", "Killings in Al-Qaim", "IraqiNews", "https://iraqinews.example/r03",
        D(2014, 12, 2), (
            Obs("Unknown gunmen killed 4 Iraqi soldiers in Al-Qaim on Monday.", "killed",
                "killing", "killed", "iraqi_forces", "al_qaim", D(2014, 12, 1),
                counterpart="unknown", manner="unknown", quantity_low=4, quantity_high=4,
                unit="people"),
            Obs("No IS checkpoints were set up in Al-Qaim.", "set up", "checkpoint",
                "established", "islamic_state", "al_qaim", D(2014, 12, 1), negated=True,
                confidence=0.7),
        )),
    Rep("r04", "More checkpoints in Al-Bokamel", "Syria Direct",
        "https://syriadirect.example/r04", D(2014, 12, 9), (
            Obs("IS increased its checkpoints in Al-Bokamel this week.", "increased",
                "checkpoint", "increase", "islamic_state", "abu_kamal", D(2014, 12, 8),
                confidence=0.85),
            Obs("IS patrols have increased in Al-Mayadin.", "increased", "patrol",
                "increase", "islamic_state", "al_mayadin", D(2014, 12, 8)),
        )),
    Rep("r05", "IS fighters leave Al-Bokamel", "Syria Direct",
        "https://syriadirect.example/r05", D(2015, 1, 6), (
            Obs("Five cars of IS fighters were seen leaving Al-Bokamel toward Iraq.",
                "leaving", "troop_movement", "departure", "islamic_state", "abu_kamal",
                D(2015, 1, 5), quantity_low=5, quantity_high=5, unit="vehicles",
                confidence=0.75),
            Obs("IS patrols reportedly decreased in Al-Bokamel.", "decreased", "patrol",
                "decrease", "islamic_state", "abu_kamal", D(2015, 1, 5), hedged=True,
                confidence=0.5),
        )),
    Rep("r08", "Al-Mayadin patrols thin", "Deir ez-Zor 24",
        "https://deirezzor24.example/r08", D(2015, 1, 13), (
            Obs("IS patrols in Al-Mayadin have decreased sharply.", "decreased", "patrol",
                "decrease", "islamic_state", "al_mayadin", D(2015, 1, 12)),
        )),
    Rep("r06", "Islamic State less visible in Al-Bokamel amidst assassinations, airstrikes",
        "Syria Direct", "https://syriadirect.example/r06", D(2015, 1, 19), (
            Obs("IS checkpoints have dwindled in Al-Bokamel.", "dwindled", "checkpoint",
                "decrease", "islamic_state", "abu_kamal", D(2015, 1, 19), confidence=0.9),
            Obs("A citizen journalist said IS dismantled the checkpoints at the city "
                "entrance of Al-Bokamel.", "dismantled", "checkpoint", "removed",
                "islamic_state", "abu_kamal", D(2015, 1, 19), confidence=0.85),
            Obs("Several IS members were killed in a coalition airstrike on Saturday.",
                "killed", "killing", "killed", "islamic_state", "abu_kamal", D(2015, 1, 17),
                counterpart="us_led_coalition", manner="airstrike", quantity_low=3,
                unit="people"),
            Obs("More than 30 IS members have been assassinated in Deir ez-Zor province "
                "over the past two weeks.", "assassinated", "killing", "killed",
                "islamic_state", "deir_ez_zor", D(2015, 1, 5), D(2015, 1, 19),
                counterpart="unknown", manner="assassination", quantity_low=31,
                unit="people"),
            Obs("Iraqi forces reportedly killed 60 IS fighters in Anbar on Sunday.",
                "killed", "killing", "killed", "islamic_state", "anbar", D(2015, 1, 18),
                counterpart="iraqi_forces", manner="clash", quantity_low=60,
                quantity_high=60, unit="fighters", hedged=True, confidence=0.55),
        )),
    Rep("r07", HOSTILE_TITLE, "Hostile Wire", "javascript:alert(3)", D(2015, 1, 20), (
        Obs(HOSTILE_SENTENCE, "decreased", "patrol", "decrease", "islamic_state",
            "abu_kamal", D(2015, 1, 20), confidence=0.7),
    )),
)
ONE_REPORT_KEY = "r06"


def report_id(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()[:24]


def observation_id(key: str, index: int) -> str:
    return f"{key}-o{index:02d}"


def _report_text(rep: Rep) -> tuple[str, list[tuple[int, int, int, int]]]:
    """The report's text (a dateline, then the sentences) and each observation's
    (span_start, span_end, trigger_start, trigger_end)."""
    text = f"{rep.source.upper()}, {rep.published.isoformat()} — "
    spans, seen = [], {}
    for obs in rep.observations:
        if obs.sentence in seen:
            start = seen[obs.sentence]
        else:
            start = len(text)
            text += obs.sentence + " "
            seen[obs.sentence] = start
        t = obs.sentence.index(obs.trigger)
        spans.append((start, start + len(obs.sentence), start + t, start + t + len(obs.trigger)))
    return text.rstrip() + "\n", spans


def make_fixture_db(path: str | Path, *, empty: bool = False, one_report: bool = False) -> Path:
    """Build the fixture database at `path` (replacing a file there) and return the path.
    `empty`: the schema only; `one_report`: only the founding report (r06)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    con = duckdb.connect(str(path))
    try:
        con.execute(SCHEMA.read_text())
        if not empty:
            _fill(con, one_report=one_report)
    finally:
        con.close()
    return path


def _insert(con: duckdb.DuckDBPyConnection, table: str, row: dict) -> None:
    """Insert by column name, so columns the schema gains later keep their defaults."""
    columns = ", ".join(row)
    marks = ", ".join("?" for _ in row)
    con.execute(f"INSERT INTO {table} ({columns}) VALUES ({marks})", list(row.values()))


def _fill(con: duckdb.DuckDBPyConnection, *, one_report: bool) -> None:
    ingested = datetime(2015, 1, 21, 6, 0, 5)
    _insert(con, "schema_version", {"version": SCHEMA_VERSION, "applied_at": ingested})
    for pid, (name, admin1, country, lat, lon, kind) in PLACES.items():
        _insert(con, "places", {"place_id": pid, "name": name, "admin1": admin1,
                                "country": country, "latitude": lat, "longitude": lon,
                                "kind": kind, "source": "fixture"})
    for pid, alias, language in ALIASES:
        _insert(con, "place_aliases", {"place_id": pid, "alias": alias, "language": language})
    reports = [r for r in REPORTS if r.key == ONE_REPORT_KEY] if one_report else REPORTS
    for rep in reports:
        rid = report_id(rep.key)
        text, spans = _report_text(rep)
        _insert(con, "reports", {
            "report_id": rid, "source": rep.source, "url": rep.url, "title": rep.title,
            "published": rep.published, "path": f"data/reports/{rep.key}.txt",
            "source_key": f"data/reports/{rep.key}.txt", "reader": "text",
            "sha256": hashlib.sha256(text.encode()).hexdigest(), "text": text,
            "ingested_at": ingested, "extractor_version": EXTRACTOR_VERSION,
            "n_observations": len(rep.observations)})
        for i, (obs, (s0, s1, t0, t1)) in enumerate(zip(rep.observations, spans), start=1):
            oid = observation_id(rep.key, i)
            name, admin1, country, lat, lon, kind = PLACES[obs.place_id]
            precision = "admin1" if kind == "admin1" else "town"
            date_end = obs.date_end or obs.date_start
            date_precision = "day" if date_end == obs.date_start else "week"
            place = {"place_id": obs.place_id, "place_name": name, "admin1": admin1,
                     "latitude": lat, "longitude": lon, "place_precision": precision}
            what = {"indicator": obs.indicator, "change": obs.change, "actor": obs.actor,
                    "counterpart": obs.counterpart, "date_start": obs.date_start,
                    "date_end": date_end, "date_precision": date_precision,
                    "quantity_low": obs.quantity_low, "quantity_high": obs.quantity_high,
                    "hedged": obs.hedged, "negated": obs.negated}
            _insert(con, "observations", {
                "observation_id": oid, "report_id": rid, **what, **place,
                "manner": obs.manner, "country": country, "unit": obs.unit,
                "attribution": rep.source, "sentence": obs.sentence, "span_start": s0,
                "span_end": s1, "trigger": obs.trigger, "trigger_start": t0,
                "trigger_end": t1, "confidence": obs.confidence,
                "extractor_version": EXTRACTOR_VERSION})
            best = obs.quantity_low if obs.quantity_low is not None else obs.quantity_high
            # v1 loader: one event per observation (negated ones too; queries skip them).
            _insert(con, "events", {
                "event_id": "ev-" + oid, **what, **place, "quantity_best": best,
                "n_reports": 1, "n_sources": 1, "first_reported": rep.published,
                "last_reported": rep.published, "confidence": obs.confidence, "country": country,
                "n_observations": 1})
            _insert(con, "event_observations", {"event_id": "ev-" + oid, "observation_id": oid})
    runs = [("run-1", datetime(2015, 1, 20, 6, 0, 0), datetime(2015, 1, 20, 6, 0, 4),
             8, 8, 0, 0, 17)]
    if one_report:
        runs = [("run-1", datetime(2015, 1, 20, 6, 0, 0), datetime(2015, 1, 20, 6, 0, 3),
                 1, 1, 0, 0, 5)]
    else:
        runs.append(("run-2", datetime(2015, 1, 21, 6, 0, 0), datetime(2015, 1, 21, 6, 0, 6),
                     10, 1, 8, 1, 1))
    for run_id, started, finished, seen, new, unchanged, failed, added in runs:
        _insert(con, "refresh_runs", {
            "run_id": run_id, "started_at": started, "finished_at": finished, "status": "ok",
            "reports_seen": seen, "reports_new": new, "reports_unchanged": unchanged,
            "reports_replaced": 0, "reports_failed": failed, "observations_added": added,
            "extractor_version": EXTRACTOR_VERSION})
    if one_report:
        return
    _insert(con, "rejected_inputs", {
        "run_id": "run-2", "path": "data/reports/broken.txt", "record": "",
        "reason": "no report date", "detail": "no date in front matter or text",
        "rejected_at": datetime(2015, 1, 21, 6, 0, 2)})
    for key, name, sentence in (
        ("r06", "Al-Sousa", "IS fighters were seen near Al-Sousa."),
        ("r05", "Al-Sousa", "The convoy passed Al-Sousa at dawn."),
        ("r02", "Hamdan", "Patrols also reached Hamdan."),
    ):
        _insert(con, "unresolved_places", {"report_id": report_id(key), "name": name,
                                           "sentence": sentence})
