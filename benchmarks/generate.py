"""Deterministic generator of realistic reports for the benchmarks.

    .venv/bin/python benchmarks/generate.py OUT_DIR N [--start K] [--seed S] [--force]

Writes reports K .. K+N-1 as Markdown files with YAML front matter (title, date, source,
url) under OUT_DIR, in folders of 1,000 (`OUT_DIR/00000/0000000.md`, ...), streaming: one
report is built, written and dropped at a time. Report i depends only on (seed, i), so a
corpus of 10k is the first ten folders of a corpus of 100k, and `--start 100000 N 10` gives
ten reports no smaller corpus holds (the incremental benchmark uses that). A folder that was
written completely carries a hidden `.complete` marker (hidden files are not read by the ETL)
and is skipped on the next run unless --force.

The text is news-like English, ~1.9 KB per file on average (about 1.5-2.3 KB): a dateline, a
lead, 4-7 indicator sentences (checkpoints set up/dismantled/dwindling, patrols, killings
with counts, departures/arrivals with origin and destination, airstrikes, captures, some
negated or hedged) over the gazetteer's towns (mostly Deir ez-Zor, Anbar, Raqqa and Nineveh,
sometimes spelled by an alias), the groups the actor table knows (IS, Daesh, SDF, Syrian
army, Iraqi forces, PMF, the coalition, Russian jets, ...), relative dates ("on Saturday",
"this week", "over the past two weeks"), and filler sentences (prices, power cuts, quotes).
Report dates span 2014-01-01 .. 2023-12-31.
"""
from __future__ import annotations

import argparse
import json
import random
import re
import sys
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CHUNK = 1000  # reports per folder
GENERATOR_VERSION = "1"
FIRST_DAY = date(2014, 1, 1)
N_DAYS = (date(2023, 12, 31) - FIRST_DAY).days + 1
FOCUS_ADMIN1 = ("Deir ez-Zor", "Anbar", "Raqqa", "Nineveh")
FOCUS_SHARE = 0.75  # of reports whose focus town lies in FOCUS_ADMIN1
ALIAS_SHARE = 0.15  # of town mentions spelled by an alias ("Al-Bokamel") rather than the name

OUTLETS = (
    "Syria Direct", "Crescent Wire Agency", "Al-Furat Courier", "Euphrates Monitor", "Anbar Daily",
    "Nineveh Post", "Raqqa Observer", "Levant Desk", "Mesopotamia Wire", "Deir Watch",
    "Eastern Euphrates Observer", "Tigris Bulletin",
)
WIRE = ("Reuters", "AFP", "AP", "CWA", "LWS", "dpa")
HUBS = ("BEIRUT", "BAGHDAD", "AMMAN", "ERBIL", "GAZIANTEP", "ISTANBUL", "DAMASCUS")
SOURCES = (
    "activists", "a local activist", "the Syrian Observatory for Human Rights", "Deir Ezzor 24",
    "a security source", "residents", "an opposition military source", "IraqiNews",
    "a tribal leader", "a local monitoring network", "Deir e-Zor is Being Slaughtered Silently",
    "a police officer", "medical sources", "a member of the provincial council",
)

# Groups by theatre: (surface form, possessive/plural-friendly form). Surfaces are aliases in
# data/reference/actors.csv.
GROUPS = {
    "Syria": ("IS", "Islamic State", "ISIS", "Daesh", "ISIL", "SDF", "Syrian Democratic Forces",
              "Syrian army", "regime forces", "Syrian government forces", "NDF", "Hezbollah",
              "Iran-backed militias", "Free Syrian Army", "Russian forces", "US forces"),
    "Iraq": ("IS", "Islamic State", "ISIS", "Daesh", "ISIL", "Iraqi forces", "Iraqi army",
             "Iraqi security forces", "PMF", "Popular Mobilization Forces", "Hashd al-Shaabi",
             "Counter-Terrorism Service", "Iraqi police", "tribal fighters", "US forces"),
}
IS_FORMS = ("IS", "Islamic State", "ISIS", "Daesh", "ISIL")
AIR = {
    "Syria": ("coalition warplanes", "the US-led coalition", "Russian jets", "Russian warplanes",
              "Syrian warplanes", "regime helicopters", "the international coalition",
              "coalition aircraft"),
    "Iraq": ("coalition warplanes", "the US-led coalition", "Iraqi jets", "Iraqi warplanes",
             "the Iraqi air force", "coalition aircraft", "the international coalition"),
}

WHEN = (
    "on Saturday", "on Sunday", "on Monday", "on Tuesday", "on Wednesday", "on Thursday",
    "on Friday", "on Friday night", "on Tuesday morning", "this week", "last week", "yesterday",
    "over the past two weeks", "earlier this month", "last month", "in recent days",
    "on {month} {day}", "", "", "",
)
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December")
NUMBER_WORDS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "twelve",
                "fifteen", "twenty")
COUNTS = ("{n}", "{n}", "at least {n}", "more than {n}", "nearly {n}", "about {n}",
          "between {n} and {m}", "{w}", "several", "dozens of", "a few")
VEHICLES = ("cars", "pickup trucks", "vehicles", "buses", "military vehicles")

# Indicator sentences. Slots: {G} group, {G2} another group, {AIR} air force, {T} the town,
# {T2} another town, {W} when, {C} a count phrase, {n} a bare number, {w} a number word,
# {S} a source, {V} vehicles. A leading lowercase letter is capitalised after filling.
CHECKPOINT = (
    "{G} set up {w} new checkpoints at the entrances of {T} {W}, {S} said.",
    "{G} fighters have dismantled their checkpoints in {T} {W}, according to {S}.",
    "The number of {G} checkpoints in {T} has decreased sharply {W}, {S} told {O}.",
    "Checkpoints manned by {G} have dwindled in {T} since the start of the month.",
    "{G} erected a checkpoint on the road between {T} and {T2} {W}.",
    "{G} checkpoints have multiplied around {T} {W}, {S} said.",
    "Gunmen attacked a {G} checkpoint near {T} {W}, {S} reported.",
    "{S} said {G} removed the checkpoint at the eastern entrance of {T} {W}.",
    "No checkpoints were set up in {T} {W}, residents said.",
    "{G} reportedly established a checkpoint near the bridge in {T} {W}.",
)
PATROL = (
    "{G} patrols roam the streets of {T} day and night, {S} said.",
    "{G} patrols in {T} have decreased {W}, {S} reported.",
    "{G} launched joint patrols in {T} {W}.",
    "Unknown gunmen ambushed a {G} patrol near {T} {W}, {S} said.",
    "{G} stopped its patrols in the market of {T} {W}.",
    "Patrols by {G} increased in {T} {W}, according to {S}.",
    "The al-Hisbah patrols began in {T} {W}, with {w} cars driving through the market.",
    "{G} has not patrolled the streets of {T} since the start of the year, residents said.",
)
KILLING = (
    "{C} {G} fighters were killed in clashes with {G2} near {T} {W}.",
    "Unknown gunmen shot dead a {G} commander in {T} {W}, {S} said.",
    "{G2} killed {C} {G} members in an ambush east of {T} {W}.",
    "{C} civilians were killed when {G} shelled {T} {W}, {S} said.",
    "{G} executed {C} men in the main square of {T} {W}, according to {S}.",
    "More than {n} {G} members have been assassinated in {T} over the past two weeks.",
    "At least {n} people died in a car bombing in {T} {W}.",
    "{C} {G} fighters were reportedly killed in {T} {W}, {S} said.",
    "The bodies of {w} {G} fighters were found near {T} {W}.",
)
MOVEMENT = (
    "{C} {V} of {G} fighters left {T} {W} heading toward {T2}.",
    "Reinforcements from {G} arrived in {T} from {T2} {W}.",
    "{G} withdrew its fighters from {T} {W}, moving them to {T2}, {S} said.",
    "A convoy of {G} fighters passed through {T} on its way to {T2} {W}.",
    "{G} redeployed units from {T} to {T2} {W}.",
    "{S} said {w} {V} carrying {G} fighters entered {T} {W}.",
    "{G} fighters and their families have been leaving {T} for {T2} {W}.",
)
AIRSTRIKE = (
    "{AIR} struck {G} positions in {T} {W}.",
    "Airstrikes by {AIR} hit {T} {W}, killing {C} {G} fighters.",
    "{T} was bombed by {AIR} {W}, {S} reported.",
    "{AIR} carried out {w} strikes near {T} {W}, according to {S}.",
    "{AIR} targeted a {G} headquarters in {T} and a bridge near {T2} {W}.",
    "Air raids on {T} {W} destroyed a school and several homes, {S} said.",
)
CAPTURE = (
    "{G} captured {T} from {G2} {W} after days of fighting.",
    "{G} fighters seized the village of {T} {W}, {S} said.",
    "{T} fell to {G} {W}.",
    "{G2} retook {T} from {G} {W}, according to {S}.",
    "{G} lost control of {T} {W}.",
    "{G} has controlled {T} since {month}.",
)
INDICATOR_TEMPLATES = {
    "checkpoint": CHECKPOINT, "patrol": PATROL, "killing": KILLING, "troop_movement": MOVEMENT,
    "airstrike": AIRSTRIKE, "control_change": CAPTURE,
}
INDICATOR_WEIGHTS = {"checkpoint": 3, "patrol": 2, "killing": 4, "troop_movement": 2,
                     "airstrike": 3, "control_change": 1}
FILLER = (
    "Prices of bread and fuel have risen sharply in the area, traders said.",
    "Electricity has been cut for most of the day for weeks.",
    "Many families have stayed indoors since the start of the month.",
    "The reports could not be independently verified.",
    "Schools in the province remain closed.",
    "The Euphrates valley has been one of the most contested areas of the war.",
    "Aid agencies say access to the area remains limited.",
    "Residents described the mood as tense but calm.",
    "Internet access has been cut, making it hard to verify reports from inside {T}.",
    "Local councils have struggled to pay salaries since the summer.",
    "A resident, who asked not to be named for fear of reprisals, said life had become harder.",
    "\"We no longer go out after dark,\" a shop owner in {T} said.",
    "The group has not commented on the reports.",
    "Farmers along the river say the harvest was the worst in years.",
    "The road to {T2} has been closed to civilian traffic for several days.",
    "Water pumping stations in the area have been out of service since the spring.",
    "Officials in {T} did not respond to requests for comment.",
    "Hospitals in the region are short of medicines and staff, doctors said.",
    "Displaced families from nearby villages have sought shelter in schools.",
    "\"Nobody knows what will happen next,\" said a teacher who fled the town last year.",
    "Smuggling across the border has increased as the economy deteriorated.",
    "Mobile phone networks work only intermittently in the countryside.",
)
HEADLINES = {
    "checkpoint": ("{G} checkpoints change the face of {T}", "New checkpoints in {T} as {G} tightens grip",
                   "Fewer checkpoints in {T}, residents say"),
    "patrol": ("{G} patrols return to the streets of {T}", "Patrols thin out in {T}"),
    "killing": ("Killings continue in {T}", "{G} members killed near {T}", "Deadly week in {T}"),
    "troop_movement": ("{G} fighters leave {T}", "Convoys move through {T}", "Reinforcements reach {T}"),
    "airstrike": ("Airstrikes hit {T}", "{T} bombed again", "Strikes pound {G} in {T}"),
    "control_change": ("{T} changes hands", "Battle for {T}", "{G} takes {T}"),
}


_PRESS_SPELLING = re.compile(r"[A-Z][A-Za-z]*(?:[ '-][A-Za-z]+)*")
_AN = re.compile(r"\b([Aa]) (?=[AEIO])")


class Places:
    """Town names (and press spellings) from the gazetteer, split into the focus provinces
    and the rest, by country."""

    def __init__(self):
        from etl.reference import default_reference

        gaz = default_reference().gazetteer
        towns = sorted((p for p in gaz.places.values() if p.kind == "town"), key=lambda p: p.place_id)
        self.focus = [p for p in towns if p.admin1 in FOCUS_ADMIN1]
        self.other = [p for p in towns if p.admin1 not in FOCUS_ADMIN1]
        aliases: dict[str, list[str]] = {}
        for pid, alias, lang in sorted(set(gaz.aliases)):
            if lang == "en" and _PRESS_SPELLING.fullmatch(alias) and 4 <= len(alias) <= 30:
                aliases.setdefault(pid, []).append(alias)
        self.aliases = aliases
        self.by_admin1: dict[str, list] = {}
        for p in towns:
            self.by_admin1.setdefault(p.admin1, []).append(p)

    def focus_town(self, rng: random.Random):
        return rng.choice(self.focus if rng.random() < FOCUS_SHARE else self.other)

    def near(self, rng: random.Random, town):
        same = self.by_admin1.get(town.admin1) or [town]
        other = rng.choice(same if rng.random() < 0.7 else (self.focus + self.other))
        return other if other.place_id != town.place_id else rng.choice(self.focus)

    def spell(self, rng: random.Random, town) -> str:
        if rng.random() < ALIAS_SHARE and self.aliases.get(town.place_id):
            return rng.choice(self.aliases[town.place_id])
        return town.name


def _when(rng: random.Random, published: date) -> str:
    w = rng.choice(WHEN)
    if "{month}" in w:
        d = published - timedelta(days=rng.randint(1, 20))
        w = w.format(month=MONTHS[d.month - 1], day=d.day)
    return w


def _count(rng: random.Random) -> str:
    n = rng.choice((2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 14, 15, 17, 20, 23, 25, 30, 35, 40, 50, 60))
    return rng.choice(COUNTS).format(n=n, m=n + rng.randint(2, 10), w=rng.choice(NUMBER_WORDS))


def _fill(rng: random.Random, template: str, env: dict, published: date) -> str:
    values = {
        "G": env["group"] if rng.random() < 0.7 else rng.choice(GROUPS[env["country"]]),
        "G2": env["other_group"],
        "AIR": rng.choice(AIR[env["country"]]),
        "T": env["spell"](env["town"]) if rng.random() < 0.75 else env["spell"](env["near"]()),
        "T2": env["spell"](env["near"]()),
        "W": _when(rng, published),
        "C": _count(rng),
        "n": str(rng.choice((3, 5, 7, 10, 12, 15, 20, 30, 40))),
        "w": rng.choice(NUMBER_WORDS),
        "S": rng.choice(SOURCES),
        "O": rng.choice(OUTLETS),
        "V": rng.choice(VEHICLES),
        "month": rng.choice(MONTHS),
    }
    s = template.format(**values)
    s = " ".join(s.split()).replace(" ,", ",").replace(" .", ".")
    s = _AN.sub(r"\1n ", s)
    return s[0].upper() + s[1:]


def make_report(i: int, seed: int, places: Places) -> tuple[dict, str]:
    """Report i: (front matter, body). Depends only on (seed, i)."""
    rng = random.Random(f"presence-bench:{seed}:{i}")
    published = FIRST_DAY + timedelta(days=rng.randrange(N_DAYS))
    town = places.focus_town(rng)
    country = town.country if town.country in GROUPS else "Syria"
    group = rng.choice(IS_FORMS) if rng.random() < 0.6 else rng.choice(GROUPS[country])
    other_group = rng.choice([g for g in GROUPS[country] if g != group])
    env = {
        "town": town, "country": country, "group": group, "other_group": other_group,
        "spell": lambda p: places.spell(rng, p), "near": lambda: places.near(rng, town),
    }
    indicators = list(INDICATOR_WEIGHTS)
    weights = list(INDICATOR_WEIGHTS.values())
    lead_indicator = rng.choices(indicators, weights)[0]
    target = rng.randint(1350, 1950)  # body chars; with front matter, files average ~1.9 KB

    outlet = rng.choice(OUTLETS)
    style = rng.random()
    if style < 0.4:
        dateline = f"{rng.choice(HUBS)} ({rng.choice(WIRE)}) - "
    elif style < 0.6:
        dateline = f"{rng.choice(HUBS)}, {MONTHS[published.month - 1][:3]} {published.day} ({rng.choice(WIRE)}) - "
    elif style < 0.75:
        dateline = f"{outlet} | {town.name} | {published:%d/%m/%Y}\n\n"
    else:
        dateline = ""
    lead = _fill(rng, rng.choice(INDICATOR_TEMPLATES[lead_indicator]), env, published)
    paragraphs = [dateline + lead]
    length = len(paragraphs[0])
    n_indicator = rng.randint(4, 7)
    pool = [("i", rng.choices(indicators, weights)[0]) for _ in range(n_indicator)]
    pool += [("f", None) for _ in range(rng.randint(4, 7))]
    rng.shuffle(pool)
    k = 0
    fillers: list[str] = []
    while length < target:
        kind, ind = pool[k % len(pool)]
        k += 1
        para = []
        for _ in range(rng.choice((1, 2, 2, 3))):
            if kind == "i" or (k > len(pool)):
                ind = ind or rng.choices(indicators, weights)[0]
                para.append(_fill(rng, rng.choice(INDICATOR_TEMPLATES[ind]), env, published))
                ind = None
                kind = "f" if rng.random() < 0.5 else "i"
            else:
                if not fillers:
                    fillers = list(FILLER)
                    rng.shuffle(fillers)
                para.append(_fill(rng, fillers.pop(), env, published))
                kind = "i" if rng.random() < 0.3 else "f"
        text = " ".join(para)
        paragraphs.append(text)
        length += len(text) + 2
    if rng.random() < 0.2:
        paragraphs.append(rng.choice(("Share this article", "Read more: related coverage",
                                      "3 min read")))
    body = "\n\n".join(paragraphs) + "\n"
    title = rng.choice(HEADLINES[lead_indicator]).format(G=group, T=town.name)
    meta = {"title": title, "date": published.isoformat(), "source": outlet,
            "url": f"https://bench.invalid/{seed}/{i}"}
    return meta, body


def render(meta: dict, body: str) -> str:
    # JSON strings are valid YAML scalars: safe quoting for any title.
    head = "\n".join(f"{k}: {json.dumps(v) if k != 'date' else v}" for k, v in meta.items())
    return f"---\n{head}\n---\n{body}"


def report_path(out: Path, i: int) -> Path:
    return out / f"{i // CHUNK:05d}" / f"{i:07d}.md"


def generate(out: Path, n: int, *, start: int = 0, seed: int = 1, force: bool = False,
             places: Places | None = None) -> dict:
    """Write reports start .. start+n-1 under `out`; returns counts and bytes written."""
    written = skipped = nbytes = 0
    i = start
    end = start + n
    while i < end:
        chunk = i // CHUNK
        chunk_end = min(end, (chunk + 1) * CHUNK)
        folder = out / f"{chunk:05d}"
        marker = folder / f".complete-{seed}-v{GENERATOR_VERSION}"
        whole = i == chunk * CHUNK and chunk_end == (chunk + 1) * CHUNK
        if whole and marker.exists() and not force:
            skipped += chunk_end - i
            i = chunk_end
            continue
        folder.mkdir(parents=True, exist_ok=True)
        places = places or Places()  # the gazetteer is loaded only when something is written
        for j in range(i, chunk_end):
            meta, body = make_report(j, seed, places)
            data = render(meta, body).encode("utf-8")
            path = report_path(out, j)
            with open(path, "wb") as f:
                f.write(data)
            nbytes += len(data)
            written += 1
        if whole:
            marker.touch()
        i = chunk_end
    return {"written": written, "skipped": skipped, "bytes": nbytes}


def corpus_paths(out: Path, n: int, start: int = 0) -> list[str]:
    """The paths to give `etl refresh` for reports start .. start+n-1: whole folders where a
    folder is wholly inside the range, single files otherwise."""
    paths: list[str] = []
    i, end = start, start + n
    while i < end:
        chunk = i // CHUNK
        chunk_end = min(end, (chunk + 1) * CHUNK)
        if i == chunk * CHUNK and chunk_end == (chunk + 1) * CHUNK:
            paths.append(str(out / f"{chunk:05d}"))
        else:
            paths.extend(str(report_path(out, j)) for j in range(i, chunk_end))
        i = chunk_end
    return paths


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("out", type=Path, help="folder to write into (keep it out of the repo: /tmp or benchmarks/out/)")
    p.add_argument("n", type=int, help="number of reports")
    p.add_argument("--start", type=int, default=0, help="index of the first report (default 0)")
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--force", action="store_true", help="rewrite folders already complete")
    args = p.parse_args(argv)
    stats = generate(args.out, args.n, start=args.start, seed=args.seed, force=args.force)
    avg = stats["bytes"] / stats["written"] if stats["written"] else 0
    print(f"wrote {stats['written']} reports ({stats['bytes'] / 1e6:.1f} MB, {avg:.0f} B each), "
          f"skipped {stats['skipped']} already there -> {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
