"""Reference data: trigger lexicon, actor aliases and the gazetteer, loaded from data files
under data/reference/ and validated once (every problem reported at once), then passed to the
extractor explicitly."""
from __future__ import annotations

import csv
import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from etl.models import CHANGES, INDICATORS, MANNERS, UNITS
from etl.places import Gazetteer, cached_gazetteer
from etl.settings import REFERENCE_DIR

ROLES = {"subject", "object", "agent", "owner", "victims", "perpetrator", "attacker", "context", None}


class ReferenceError(ValueError):
    """A reference file is malformed; the message lists every problem found."""


@dataclass(frozen=True)
class Trigger:
    indicator: str
    change: str
    regex: re.Pattern
    actor_role: str
    counterpart_role: str | None
    manner: str | None
    nominal: bool
    absence: bool  # the denial is the meaning ("not a single patrol has been seen" = stopped)
    # Patterns are matched on the lowercased sentence without re.IGNORECASE, which is 4-7x
    # faster in Python's re. A pattern with a case-sensitive part ("(?-i:hit)", so that the
    # town of Hit is no verb) is matched on the original sentence instead.
    case_sensitive: bool = False
    # Only right after a strike the report told ("- Qamishli: a power station ... was struck
    # twice", under a drone strike's item): a passive verb that names no weapon of its own.
    after_strike: bool = False


@dataclass(frozen=True)
class Lexicon:
    triggers: tuple[Trigger, ...]
    words: dict[str, tuple[str, ...]]
    combatants: frozenset[str]
    civilians: frozenset[str]
    manners: tuple[tuple[str, tuple[str, ...]], ...]
    vague_quantities: dict[str, int]
    units: dict[str, str]  # noun -> unit
    actor_adjectives: dict[str, str]  # "Turkish" -> turkey, before a military noun
    country_actors: dict[str, str]  # country (gazetteer name) -> its forces, when it is a verb's subject
    speaker_countries: dict[str, str]  # country -> its forces, when its officials speak of "its troops"
    # Anaphor -> the group it stands for when the report names no insurgent ("the organization").
    actor_anaphor_defaults: dict[str, str]
    cues: dict[str, re.Pattern]  # indicator -> cheap pre-test of a sentence (lowercased)
    # (indicator, its cue or None, its triggers) in lexicon order: the extractor tests each
    # cue once per sentence and tries the triggers behind it only where it matches.
    trigger_groups: tuple[tuple[str, re.Pattern | None, tuple[Trigger, ...]], ...] = ()
    # Parties on one side (a handover between them is no change of hands).
    allied_blocs: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class Reference:
    lexicon: Lexicon
    actor_aliases: dict[str, str]  # alias -> canonical actor
    gazetteer: Gazetteer
    # alias (as written) -> (actor, year): a name that meant that actor in reports published
    # before that year ("New Syrian Army", rebels of 2016; the state's "new Syrian army" since 2025)
    dated_actor_aliases: dict[str, tuple[str, int]] = field(default_factory=dict)


def _expand(pattern: str, macros: dict[str, str]) -> str:
    # Macros may use other macros; expand until stable.
    for _ in range(5):
        new = re.sub(r"\{(\w+)\}", lambda m: macros.get(m.group(1), m.group(0)), pattern)
        if new == pattern:
            break
        pattern = new
    return pattern


def literal_alternation(words) -> str:
    """A regex matching any of `words` (literals), as a trie: "kill|killed|killing" becomes
    "kill(?:ed|ing)?". Python's re tries a flat alternation one branch after another at every
    position; the trie fails on the first letter, which makes the actor and vague-word scans
    several times faster. Longer words win, as in a length-sorted alternation."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def emit(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(ch) + emit(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        if ends:
            return "(?:" + body + ")?" if len(branches) > 1 or len(body) > 1 else body + "?"
        return body

    return emit(trie) if trie else "(?!)"


def _compile_cue(pattern: str) -> re.Pattern:
    """A cue that is a plain list of words ("kill|assassin|...") is compiled as a trie, which
    Python's re scans about a third faster; any other pattern as written."""
    words = pattern.split("|")
    if all(re.fullmatch(r"[a-z0-9 -]+", w) for w in words):
        return re.compile(literal_alternation(words))
    return re.compile(pattern)


def _has_upper(pattern: str) -> bool:
    """An upper-case letter outside escapes (\\W, \\S) and case-sensitive groups."""
    return any(c.isupper() for c in re.sub(r"\\.|\(\?-i:[^)]*\)", "", pattern))


def load_lexicon(path: Path) -> Lexicon:
    with open(path, "rb") as f:
        raw = tomllib.load(f)
    errors: list[str] = []
    macros = raw.get("macros", {})
    triggers = []
    for i, t in enumerate(raw.get("trigger", []), 1):
        where = f"{path.name} trigger #{i} ({t.get('indicator')}/{t.get('change')})"
        if t.get("indicator") not in INDICATORS:
            errors.append(f"{where}: unknown indicator")
            continue
        if t.get("change") not in CHANGES[t["indicator"]]:
            errors.append(f"{where}: change must be one of {CHANGES[t['indicator']]}")
        for key in ("actor", "counterpart"):
            if t.get(key) not in ROLES:
                errors.append(f"{where}: {key} role {t.get(key)!r} is not one of {sorted(r for r in ROLES if r)}")
        if t.get("manner") not in (None, *MANNERS):
            errors.append(f"{where}: manner {t.get('manner')!r} unknown")
        expanded = _expand(t.get("pattern", ""), macros)
        if "{" in re.sub(r"\{\d*,?\d*\}", "", expanded):
            errors.append(f"{where}: unknown macro in pattern")
        case_sensitive = "(?-i:" in expanded
        if not case_sensitive and _has_upper(expanded):
            errors.append(f"{where}: write the pattern in lower case (it is matched on lowercased text)")
        if not expanded.startswith(r"\b"):
            # Triggers start at a word: tested once before the alternatives, this is also what
            # keeps "unmanned" from reading as "manned".
            expanded = r"\b(?:" + expanded + ")"
        try:
            regex = re.compile(expanded, re.IGNORECASE if case_sensitive else 0)
        except re.error as e:
            errors.append(f"{where}: bad pattern: {e}")
            continue
        triggers.append(Trigger(t["indicator"], t["change"], regex, t.get("actor", "subject"),
                                t.get("counterpart"), t.get("manner"), bool(t.get("nominal", False)),
                                bool(t.get("absence", False)), case_sensitive, bool(t.get("after_strike", False))))
    manners = tuple((m, tuple(cues)) for m, cues in raw.get("manners", {}).items())
    for ind, pattern in raw.get("cues", {}).items():
        if ind not in INDICATORS:
            errors.append(f"{path.name} [cues]: unknown indicator {ind!r}")
        if _has_upper(pattern):
            errors.append(f"{path.name} [cues] {ind}: write the pattern in lower case (it is matched on lowercased text)")
        try:
            re.compile(pattern)
        except re.error as e:
            errors.append(f"{path.name} [cues] {ind}: bad pattern: {e}")
    for m, _ in manners:
        if m not in MANNERS:
            errors.append(f"{path.name} [manners]: unknown manner {m!r}")
    units = {}
    for unit, nouns in raw.get("units", {}).items():
        if unit not in UNITS:
            errors.append(f"{path.name} [units]: unknown unit {unit!r}")
        for n in nouns:
            units[n.lower()] = unit
    needed = ("hedges", "negations", "modals", "background", "source_nouns",
              "place_anaphors", "actor_anaphors", "region_cues", "admin1_suffixes", "town_suffixes",
              "historical", "civil_modifiers", "non_territory", "civil_checkpoints", "non_violent", "killed_abstractions",
              "country_adjectives", "country_actor_verbs", "military_nouns", "not_places", "non_victims",
              "person_titles", "borrowed_group_names", "attack_verbs", "attack_nouns", "government_seats", "non_strikes",
              "speaker_label_words", "table_death_headers", "table_own_dead", "table_enemy_dead",
              "table_strike_headers")
    words = raw.get("words", {})
    for k in needed:
        if k not in words:
            errors.append(f"{path.name} [words]: missing list {k!r}")
    if errors:
        raise ReferenceError("reference data is invalid:\n  " + "\n  ".join(errors))
    cues = {ind: _compile_cue(pattern) for ind, pattern in raw.get("cues", {}).items()}
    by_indicator: dict[str, list[Trigger]] = {}
    for trig in triggers:
        by_indicator.setdefault(trig.indicator, []).append(trig)
    return Lexicon(
        triggers=tuple(triggers),
        words={k: tuple(v) for k, v in words.items()},
        combatants=frozenset(raw["killing"]["combatants"]),
        civilians=frozenset(raw["killing"]["civilians"]),
        manners=manners,
        vague_quantities=dict(raw["quantities"]["vague"]),
        units=units,
        actor_adjectives=dict(raw.get("actor_adjectives", {})),
        country_actors=dict(raw.get("country_actors", {})),
        speaker_countries=dict(raw.get("speaker_countries", {})),
        actor_anaphor_defaults={k.lower(): v for k, v in raw.get("actor_anaphor_defaults", {}).items()},
        allied_blocs=tuple(frozenset(b) for b in raw.get("allies", {}).get("blocs", [])),
        cues=cues,
        trigger_groups=tuple((ind, cues.get(ind), tuple(group)) for ind, group in by_indicator.items()),
    )


def load_actor_aliases(path: Path) -> tuple[dict[str, str], dict[str, tuple[str, int]]]:
    """alias -> actor, and apart from them the rows that give a year in the `until` column:
    alias -> (actor, year), a name that meant that actor in reports published before then."""
    aliases: dict[str, str] = {}
    dated: dict[str, tuple[str, int]] = {}
    errors = []
    with open(path, encoding="utf-8") as f:
        for n, row in enumerate(csv.DictReader(f), 2):
            alias, actor = (row.get("alias") or "").strip(), (row.get("actor") or "").strip()
            until = (row.get("until") or "").strip()
            if not alias or not re.fullmatch(r"[a-z_]+", actor) or (until and not re.fullmatch(r"\d{4}", until)):
                errors.append(f"{path.name} line {n}: need alias, a snake_case actor and an optional year, got {row}")
                continue
            if until:
                dated[alias] = (actor, int(until))
                continue
            if alias in aliases and aliases[alias] != actor:
                errors.append(f"{path.name} line {n}: {alias!r} maps to both {aliases[alias]} and {actor}")
            aliases[alias] = actor
    if errors:
        raise ReferenceError("reference data is invalid:\n  " + "\n  ".join(errors))
    return aliases, dated


def load_reference(reference_dir: Path = REFERENCE_DIR) -> Reference:
    aliases, dated = load_actor_aliases(reference_dir / "actors.csv")
    return Reference(
        lexicon=load_lexicon(reference_dir / "lexicon.toml"),
        actor_aliases=aliases,
        dated_actor_aliases=dated,
        gazetteer=cached_gazetteer(reference_dir),
    )


@lru_cache(maxsize=4)
def default_reference(reference_dir: Path = REFERENCE_DIR) -> Reference:
    """The reference data, loaded once per process (it is read-only after loading)."""
    return load_reference(reference_dir)
