"""A presence database with N observations for the dashboard-query benchmark.

    .venv/bin/python benchmarks/make_query_db.py OUT.duckdb [--observations 1000000]

Bulk-inserts (Arrow tables, no row-by-row SQL) straight into the schema the ETL writes
(etl.load.ensure_schema: etl/schema.sql and its migrations): reports (5 observations each,
with a ~1.9 KB text the evidence spans point into), observations over ~500 gazetteer towns (a
skewed distribution: the busiest town has a few percent of all rows, as a provincial capital
would) and 10 years (2014-2023), and one event per observation with its event_observations
row, as etl/load.py v1 built them (every column the events table has is filled). Also
places/place_aliases (etl.load.load_places), a refresh history, rejected inputs and unresolved
place names, so every dashboard query has rows to read.
Deterministic (seeded numpy generator).
"""
from __future__ import annotations

import argparse
import hashlib
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

OBS_PER_REPORT = 5
N_TOWNS = 500
FIRST_DAY = date(2014, 1, 1)
N_DAYS = (date(2023, 12, 31) - FIRST_DAY).days + 1
SEGMENT = 300  # chars of report text per observation sentence (sentence + filler)
BATCH_REPORTS = 40_000

INDICATORS = {"killing": 0.30, "airstrike": 0.20, "checkpoint": 0.15, "troop_movement": 0.13,
              "patrol": 0.12, "control_change": 0.10}
ACTORS = {"islamic_state": 0.45, "syrian_government": 0.12, "sdf": 0.10, "iraqi_forces": 0.10,
          "pmf": 0.06, "us_led_coalition": 0.07, "russia": 0.05, "opposition": 0.03, "unknown": 0.02}
SURFACE = {"islamic_state": "IS", "syrian_government": "Syrian army", "sdf": "SDF",
           "iraqi_forces": "Iraqi forces", "pmf": "PMF", "us_led_coalition": "the coalition",
           "russia": "Russian jets", "opposition": "rebels", "unknown": "unknown gunmen"}
TRIGGER = {"killing": "killed", "airstrike": "struck", "checkpoint": "set up a checkpoint",
           "troop_movement": "left", "patrol": "patrols", "control_change": "captured"}
SENTENCE = {
    "killing": "{n} {a} fighters were {t} in clashes near {p} on Saturday",
    "airstrike": "{a} {t} positions in {p} on Sunday",
    "checkpoint": "{a} {t} at the entrance of {p} this week",
    "troop_movement": "{a} fighters {t} {p} on Monday heading east",
    "patrol": "{a} {t} roam the streets of {p} day and night",
    "control_change": "{a} {t} {p} after days of fighting",
}
MANNERS = ("assassination", "airstrike", "clash", "execution", "bombing", "shelling", "unknown")
OUTLETS = ("Syria Direct", "Crescent Wire Agency", "Al-Furat Courier", "Euphrates Monitor",
           "Anbar Daily", "Nineveh Post", "Raqqa Observer", "Levant Desk")
FILLER = ("Prices of bread and fuel have risen sharply in the area, traders said. Electricity has "
          "been cut for most of the day for weeks. The reports could not be independently "
          "verified. Aid agencies say access to the area remains limited. Residents described "
          "the mood as tense but calm. Schools in the province remain closed. ") * 8


# How each events column is built from an observation `o` and its report `r` (a superset of
# the schema's columns: the builder fills those the current schema has).
EVENT_EXPRESSIONS = {
    "event_id": "o.observation_id", "indicator": "o.indicator", "change": "o.change", "actor": "o.actor",
    "counterpart": "o.counterpart", "place_id": "o.place_id", "place_name": "o.place_name",
    "admin1": "o.admin1", "place_precision": "o.place_precision", "latitude": "o.latitude",
    "longitude": "o.longitude", "date_start": "o.date_start", "date_end": "o.date_end",
    "date_precision": "o.date_precision", "quantity_best": "coalesce(o.quantity_low, o.quantity_high)",
    "quantity_low": "o.quantity_low", "quantity_high": "o.quantity_high", "hedged": "o.hedged",
    "negated": "o.negated", "n_reports": "1", "n_sources": "1", "first_reported": "r.published",
    "last_reported": "r.published",
    "is_summary": "(o.place_precision in ('admin1', 'country') or date_diff('day', o.date_start, o.date_end) > 14)",
    "corroboration": "'single source'", "n_observations": "1", "confidence": "o.confidence",
    "country": "o.country",
}


def _hex(prefix: str, i: int, n: int) -> str:
    return hashlib.md5(f"{prefix}{i}".encode()).hexdigest()[:n]


def pick_towns(gaz, n: int = N_TOWNS) -> list:
    towns = sorted((p for p in gaz.places.values() if p.kind == "town"), key=lambda p: p.place_id)
    # The curated towns of the focus provinces first (Deir ez-Zor, Abu Kamal, Mayadin, ...),
    # then by population: the busiest town is a provincial capital, as in real data.
    focus = sorted((p for p in towns if p.admin1 in ("Deir ez-Zor", "Anbar", "Raqqa", "Nineveh")),
                   key=lambda p: (p.source != "curated", p.admin1 != "Deir ez-Zor", -(p.population or 0), p.place_id))
    rest = [p for p in towns if p not in focus]
    return (focus + rest)[:n]


def build(db_path: Path, n_observations: int = 1_000_000, seed: int = 7, log=print) -> dict:
    import duckdb
    import pyarrow as pa

    from etl import load
    from etl.models import CHANGES
    from etl.reference import default_reference

    t0 = time.perf_counter()
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    for p in (db_path, db_path.with_name(db_path.name + ".wal")):
        p.unlink(missing_ok=True)
    tmp = db_path.with_name(db_path.name + ".building")
    tmp.unlink(missing_ok=True)
    con = duckdb.connect(str(tmp))
    load.ensure_schema(con)
    gaz = default_reference().gazetteer
    load.load_places(con, gaz)

    have = [r[0] for r in con.execute(
        "select column_name from information_schema.columns where table_name = 'events' order by ordinal_position").fetchall()]
    missing = [c for c in have if c not in EVENT_EXPRESSIONS]
    if missing:
        raise RuntimeError(f"events has columns this builder does not know how to fill: {missing}")
    event_cols = have
    rng = np.random.default_rng(seed)
    towns = pick_towns(gaz)
    rank = np.arange(len(towns))
    town_w = 1.0 / (rank + 8.0) ** 1.1
    town_w /= town_w.sum()
    admin1_place = {t.place_id: gaz.places.get(gaz.admin1_ids.get(t.admin1 or "", "")) for t in towns}
    countries = {p.name: p for p in gaz.places.values() if p.kind == "country"}
    ind_names, ind_w = list(INDICATORS), np.array(list(INDICATORS.values()))
    act_names, act_w = list(ACTORS), np.array(list(ACTORS.values()))

    n_reports = max(1, n_observations // OBS_PER_REPORT)
    ingested = datetime(2024, 1, 1)
    obs_done = 0
    for b0 in range(0, n_reports, BATCH_REPORTS):
        b1 = min(n_reports, b0 + BATCH_REPORTS)
        nr = b1 - b0
        published = rng.integers(0, N_DAYS, nr)
        focus = rng.choice(len(towns), nr, p=town_w)
        outlets = rng.integers(0, len(OUTLETS), nr)
        no = nr * OBS_PER_REPORT
        if obs_done + no > n_observations:
            no = n_observations - obs_done
        rep_of = np.repeat(np.arange(nr), OBS_PER_REPORT)[:no]
        k_of = np.tile(np.arange(OBS_PER_REPORT), nr)[:no]
        other = rng.choice(len(towns), no, p=town_w)
        town_idx = np.where(rng.random(no) < 0.7, focus[rep_of], other)
        prec_r = rng.random(no)
        ind = rng.choice(len(ind_names), no, p=ind_w / ind_w.sum())
        act = rng.choice(len(act_names), no, p=act_w / act_w.sum())
        cp = rng.choice(len(act_names), no, p=act_w / act_w.sum())
        lag = rng.integers(0, 7, no)
        dprec_r = rng.random(no)
        change_r = rng.random(no)
        qty = rng.integers(1, 61, no)
        qty_kind = rng.random(no)
        hedged = rng.random(no) < 0.12
        negated = rng.random(no) < 0.03
        conf = rng.choice(np.array([0.85, 0.75, 0.7, 0.65, 0.5]), no)
        manner = rng.integers(0, len(MANNERS), no)

        rep_ids = [_hex("r", b0 + j, 24) for j in range(nr)]
        pub_dates = [FIRST_DAY + timedelta(days=int(d)) for d in published]
        cols: dict[str, list] = {c: [] for c in (
            "observation_id", "report_id", "indicator", "change", "actor", "counterpart", "manner",
            "place_id", "place_name", "admin1", "country", "latitude", "longitude", "place_precision",
            "origin_place_id", "destination_place_id", "origin_name", "destination_name",
            "date_start", "date_end", "date_precision", "quantity_low", "quantity_high", "unit",
            "hedged", "negated", "attribution", "sentence", "span_start", "span_end", "trigger",
            "trigger_start", "trigger_end", "confidence", "extractor_version")}
        segments: list[list[str]] = [[] for _ in range(nr)]
        for j in range(no):
            r = int(rep_of[j])
            town = towns[int(town_idx[j])]
            place = town
            if prec_r[j] < 0.09 and admin1_place.get(town.place_id) is not None:
                place = admin1_place[town.place_id]
            elif prec_r[j] > 0.97 and town.country in countries:
                place = countries[town.country]
            indicator = ind_names[int(ind[j])]
            actor = act_names[int(act[j])]
            changes = CHANGES[indicator]
            change = changes[int(change_r[j] * len(changes))]
            counterpart = act_names[int(cp[j])] if indicator in ("killing", "airstrike", "control_change") else None
            if counterpart == actor:
                counterpart = None
            d0 = pub_dates[r] - timedelta(days=int(lag[j]))
            if dprec_r[j] < 0.85:
                d1, dp = d0, "day"
            elif dprec_r[j] < 0.95:
                d0, d1, dp = d0 - timedelta(days=6), d0, "week"
            else:
                d0 = d0.replace(day=1)
                d1, dp = (d0.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1), "month"
            low = high = None
            unit = None
            if indicator == "killing" and qty_kind[j] < 0.7:
                low = int(qty[j])
                high = low if qty_kind[j] < 0.45 else None
                unit = "fighters"
            trig = TRIGGER[indicator]
            sentence = SENTENCE[indicator].format(n=int(qty[j]), a=SURFACE[actor], t=trig, p=place.name) + "."
            sentence = sentence[0].upper() + sentence[1:]
            k = int(k_of[j])
            span_start = k * (SEGMENT + 1)
            segments[r].append((sentence + " " + FILLER)[:SEGMENT])
            t_at = span_start + sentence.find(trig)
            obs_id = _hex("o", obs_done + j, 20)
            row = (obs_id, rep_ids[r], indicator, change, actor, counterpart,
                   MANNERS[int(manner[j])] if indicator == "killing" else None,
                   place.place_id, place.name, place.admin1 if place.kind != "country" else None,
                   place.country, place.latitude, place.longitude, place.precision,
                   None, None, None, None, d0, d1, dp, low, high, unit,
                   bool(hedged[j]), bool(negated[j]), None, sentence, span_start,
                   span_start + len(sentence), trig, t_at, t_at + len(trig), float(conf[j]), "bench")
            for c, v in zip(cols, row):
                cols[c].append(v)
        texts = [" ".join(seg) + " " + FILLER[:1900 - (SEGMENT + 1) * len(seg)] for seg in segments]
        reports_arrow = pa.table({
            "report_id": rep_ids,
            "source": [OUTLETS[int(o)] for o in outlets],
            "url": [f"https://bench.invalid/q/{b0 + j}" for j in range(nr)],
            "title": [f"Report {b0 + j} from {towns[int(focus[j])].name}" for j in range(nr)],
            "published": pub_dates,
            "path": [f"/bench/q/{b0 + j}.md" for j in range(nr)],
            "source_key": [f"/bench/q/{b0 + j}.md" for j in range(nr)],
            "reader": ["text"] * nr,
            "sha256": [_hex("s", b0 + j, 32) * 2 for j in range(nr)],
            "text": texts,
            "ingested_at": [ingested] * nr,
            "extractor_version": ["bench"] * nr,
            "n_observations": [len(s) for s in segments],
        })
        obs_arrow = pa.table(cols)
        con.execute("begin")
        con.execute("insert into reports by name select * from reports_arrow")
        con.execute("insert into observations by name select * from obs_arrow")
        # One event per observation (a corpus where no two reports tell the same happening: the
        # most events 1M observations can give), with every column the events table has.
        con.execute(f"insert into events ({', '.join(event_cols)}) "
                    f"select {', '.join(EVENT_EXPRESSIONS[c] for c in event_cols)} "
                    "from obs_arrow o join reports_arrow r using (report_id)")
        con.execute("insert into event_observations select observation_id, observation_id from obs_arrow")
        con.execute("commit")
        obs_done += no
        log(f"  query db: {obs_done:,} / {n_observations:,} observations ({time.perf_counter() - t0:.0f}s)")
        if obs_done >= n_observations:
            break

    # Data-health tables.
    runs_arrow = pa.table({
        "run_id": [f"bench-{i:03d}" for i in range(50)],
        "started_at": [datetime(2023, 1, 1) + timedelta(days=7 * i) for i in range(50)],
        "finished_at": [datetime(2023, 1, 1, 0, 5) + timedelta(days=7 * i) for i in range(50)],
        "status": ["ok"] * 50, "reports_seen": [n_reports] * 50, "reports_new": [n_reports // 50] * 50,
        "reports_unchanged": [0] * 50, "reports_replaced": [0] * 50, "reports_failed": [2] * 50,
        "observations_added": [n_observations // 50] * 50, "extractor_version": ["bench"] * 50,
        "error": [None] * 50,
    })
    con.execute("insert into refresh_runs by name select * from runs_arrow")
    rejected_arrow = pa.table({
        "run_id": [f"bench-{i // 2:03d}" for i in range(100)], "path": [f"/bench/bad/{i}.md" for i in range(100)],
        "record": [""] * 100, "reason": ["no report date"] * 100, "detail": ["no date field"] * 100,
        "rejected_at": [datetime(2023, 1, 1) + timedelta(days=7 * (i // 2)) for i in range(100)],
    })
    con.execute("insert into rejected_inputs by name select * from rejected_arrow")
    unresolved_arrow = pa.table({
        "report_id": [_hex("r", i * 7, 24) for i in range(20_000)],
        "name": [f"Unknownville {i % 700}" for i in range(20_000)],
        "sentence": [f"Fighting was reported near Unknownville {i % 700}." for i in range(20_000)],
    })
    con.execute("insert into unresolved_places by name select * from unresolved_arrow")
    con.execute("checkpoint")
    con.close()
    tmp.rename(db_path)
    return {"observations": obs_done, "reports": n_reports, "seconds": time.perf_counter() - t0,
            "bytes": db_path.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("db", type=Path)
    p.add_argument("--observations", type=int, default=1_000_000)
    p.add_argument("--seed", type=int, default=7)
    args = p.parse_args(argv)
    info = build(args.db, args.observations, args.seed, log=lambda m: print(m, file=sys.stderr))
    print(f"{info['observations']:,} observations, {info['reports']:,} reports in "
          f"{info['seconds']:.0f}s -> {args.db} ({info['bytes'] / 1e6:.0f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
