"""Importers: a GeoNames country dump or an admin table (OCHA, OpenSyria) in, a places file the
gazetteer loads on every run out (`<settings.imported_places_dir()>/<name>.csv`, in the columns
of places_curated.csv plus population and pcode). Users of another region load their own
places this way; `python -m etl places import PATH` is the command.

Each layout has one reader that only reads and yields rows (dicts of IMPORTED_COLUMNS); names
of provinces and countries are put in the gazetteer's own spelling ("Deir-ez-Zor" ->
"Deir ez-Zor") through the gazetteer passed in. Whether an imported place is new or one the
gazetteer already has (same geonameid, P-code, or name within 5 km) is decided when the
gazetteer loads the file (etl.places.load_imported), so a later change to the curated files
still wins.

Layouts:
- GeoNames dump (`SY.txt`, `IQ.txt` or the `.zip`; https://download.geonames.org/export/dump/
  readme.txt): 19 tab-separated columns, alternatenames comma-separated. Kept: populated places
  (class P but historical PPLH), administrative units ADM1-ADM4 and countries (class A), and
  the landmarks a conflict report names (FEATURE_LANDMARKS: airports and bases, border posts,
  dams, bridges, camps, prisons, oil and gas fields).
- OCHA administrative tables (HDX "Administrative Boundaries" attribute tables as CSV):
  NAME_EN, NAME_AR, PCODE and the ADMn_EN/ADMn_PCODE of the units above; point layers
  (neighbourhoods, communities) add LATITUDE and LONGITUDE.
- OpenSyria data-geography JSON (governorates, districts, subdistricts): id, governorateId,
  districtId, name.en/name.ar, aliases[], centroid, population, externalIds.ochaPcode.
- A places CSV in the curated columns (copied after validation).
"""
from __future__ import annotations

import csv
import io
import json
import os
import re
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from etl.places import (IMPORTED_COLUMNS, PLACE_COLUMNS, Gazetteer, PlacesFileError, is_arabic,
                        name_key, plain_name)

GEONAMES_COLUMNS = ("geonameid", "name", "asciiname", "alternatenames", "latitude", "longitude",
                    "feature_class", "feature_code", "country_code", "cc2", "admin1_code", "admin2_code",
                    "admin3_code", "admin4_code", "population", "elevation", "dem", "timezone",
                    "modification_date")
FEATURE_LANDMARKS = frozenset({
    "AIRB", "AIRF", "AIRH", "AIRP", "AIRQ", "MILB", "INSM", "CSTM", "PSTB", "DAM", "DAMSB", "BDG",
    "CMP", "CMPRF", "PRN", "OILR", "OILF", "GASF", "OILW"})
FORMATS = ("geonames", "ocha", "opensyria", "places")


class PlacesImportError(ValueError):
    """The file is not in a layout the importer knows, or is malformed; the message says which
    layouts are known."""


@dataclass(frozen=True)
class ImportResult:
    source: Path
    format: str
    output: Path
    rows: int       # places written
    skipped: int    # records left out (other feature classes, no name)
    notes: tuple[str, ...] = ()  # files of a folder left out, and why


# ---------------------------------------------------------------- helpers

def _latin_or_arabic(names: Iterable[str]) -> tuple[list[str], list[str]]:
    """Split alternate names by script, dropping other scripts, codes ("OSDZ", "DEZ") and
    links; one spelling per normalised key."""
    latin, arabic, seen = [], [], set()
    for n in names:
        n = n.strip()
        if not n or "http" in n or any(ch.isdigit() for ch in n) or (n.isupper() and " " not in n and len(n) <= 5):
            continue
        key = name_key(n)
        if len(key) < 3 or key in seen:
            continue
        if is_arabic(n):
            arabic.append(n)
        elif all(not ch.isalpha() or unicodedata.name(ch, "").startswith("LATIN") for ch in n):
            latin.append(n)
        else:
            continue
        seen.add(key)
    return latin, arabic


def _row(place_id: str, name: str, kind: str, admin1: str | None, admin2: str | None, country: str,
         lat: float | None, lon: float | None, latin: list[str], arabic: list[str], *,
         geonameid: str = "", population: int | None = None, pcode: str = "") -> dict:
    name = name.strip()
    latin = [a for a in latin if a != name and "|" not in a]
    arabic = [a for a in arabic if a != name and "|" not in a]
    if is_arabic(name):  # a record with only an Arabic name keeps it as its name
        arabic = [name, *arabic]
    return {
        "place_id": place_id, "name": name, "kind": kind, "admin1": admin1 or "", "admin2": admin2 or "",
        "country": country, "latitude": "" if lat is None else f"{lat:.5f}",
        "longitude": "" if lon is None else f"{lon:.5f}", "geonameid": geonameid,
        "aliases_latin": "|".join(latin), "aliases_arabic": "|".join(arabic),
        "population": "" if not population else str(population), "pcode": pcode,
    }


def _canonical_admin1(gaz: Gazetteer, name: str, country: str) -> str:
    """The gazetteer's name of a province written another way ("Deir-ez-Zor", "Ar-Raqqa",
    "Idleb" -> "Deir ez-Zor", "Raqqa", "Idlib"); the name as written (plain) when unknown."""
    if not name:
        return ""
    ids, _ = gaz.candidates(name, min_loose=3)
    for pid in ids:
        p = gaz.places[pid]
        if p.kind == "admin1" and p.country == country:
            return p.name
    return plain_name(name)


def _seat(gaz: Gazetteer, name: str, admin1: str) -> tuple[float | None, float | None]:
    """Coordinates of the town an admin unit is named after, in the same province (the OCHA
    tables have none): district "Abu Kamal" -> the town Abu Kamal."""
    ids, _ = gaz.candidates(name, min_loose=3)
    for pid in ids:
        p = gaz.places[pid]
        if p.kind in ("town", "landmark") and p.admin1 == admin1 and p.latitude is not None:
            return p.latitude, p.longitude
    return None, None


def _float(value) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        return None


# ---------------------------------------------------------------- GeoNames dump

def _geonames_lines(path: Path) -> Iterator[list[str]]:
    if path.suffix.lower() == ".zip":
        with zipfile.ZipFile(path) as z:
            inner = [n for n in z.namelist() if n.lower().endswith(".txt") and "readme" not in n.lower()]
            if not inner:
                raise PlacesImportError(f"{path}: the zip holds no GeoNames .txt file")
            with z.open(inner[0]) as f:
                for line in io.TextIOWrapper(f, encoding="utf-8"):
                    yield line.rstrip("\n").split("\t")
        return
    with open(path, encoding="utf-8") as f:
        for line in f:
            yield line.rstrip("\n").split("\t")


def read_geonames_dump(path: Path, gaz: Gazetteer) -> tuple[list[dict], int]:
    """Rows of a GeoNames country dump, and how many records were left out."""
    admin1_names: dict[tuple[str, str], str] = {}
    admin2_names: dict[tuple[str, str, str], str] = {}
    countries = gaz.country_code_names()
    records = []
    for n, cols in enumerate(_geonames_lines(path), 1):
        if len(cols) != len(GEONAMES_COLUMNS):
            if not any(c.strip() for c in cols):
                continue
            raise PlacesImportError(f"{path} line {n}: {len(cols)} tab-separated columns, a GeoNames dump has "
                               f"{len(GEONAMES_COLUMNS)} (geonameid, name, asciiname, alternatenames, ...)")
        r = dict(zip(GEONAMES_COLUMNS, cols))
        records.append(r)
        if r["feature_code"] == "ADM1":
            admin1_names[(r["country_code"], r["admin1_code"])] = r["name"]
        elif r["feature_code"] == "ADM2":
            admin2_names[(r["country_code"], r["admin1_code"], r["admin2_code"])] = r["name"]
        elif r["feature_code"] in ("PCLI", "PCLD", "PCLIX", "PCLS") and r["country_code"] not in countries:
            countries[r["country_code"]] = plain_name(r["name"])
    rows, skipped = [], 0
    for r in records:
        fclass, fcode, cc = r["feature_class"], r["feature_code"], r["country_code"]
        if fclass == "P" and fcode != "PPLH":
            kind = "landmark" if fcode == "PPLX" else "town"
        elif fclass == "A" and fcode in ("ADM1", "ADM2", "ADM3", "ADM4"):
            kind = "admin1" if fcode == "ADM1" else "district"
        elif fclass == "A" and fcode in ("PCLI", "PCLD", "PCLIX", "PCLS"):
            kind = "country"
        elif fcode in FEATURE_LANDMARKS:
            kind = "landmark"
        else:
            skipped += 1
            continue
        country = countries.get(cc, cc)
        # The gazetteer's own province names where it knows the code (Syria, Iraq), else the dump's.
        a1 = gaz.admin1_codes.get((cc, r["admin1_code"].zfill(2))) or _canonical_admin1(
            gaz, admin1_names.get((cc, r["admin1_code"]), ""), country)
        if kind == "admin1":
            a1 = gaz.admin1_codes.get((cc, r["admin1_code"].zfill(2))) or plain_name(r["name"])
        a2 = admin2_names.get((cc, r["admin1_code"], r["admin2_code"]))
        latin, arabic = _latin_or_arabic([r["name"], r["asciiname"], *r["alternatenames"].split(",")])
        # The plain-ASCII form is the press form ("Yabrud", not "Yabrūd"), as for the package.
        name = plain_name(r["name"])
        if not name_key(name):
            skipped += 1
            continue
        pop = int(r["population"]) if r["population"].isdigit() else None
        rows.append(_row(f"gn-{r['geonameid']}", name, kind, a1 if kind != "country" else "",
                         plain_name(a2) if a2 and kind not in ("admin1", "country") else "",
                         country, _float(r["latitude"]), _float(r["longitude"]), latin, arabic,
                         geonameid=r["geonameid"], population=pop))
    return rows, skipped


# ---------------------------------------------------------------- OCHA admin tables

def read_ocha_admin(path: Path, gaz: Gazetteer) -> tuple[list[dict], int]:
    """Rows of an OCHA administrative table (admin1/2/3 or a point layer)."""
    countries = gaz.country_code_names()
    rows, skipped = [], 0
    with open(path, encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        cols = set(reader.fieldnames or ())
        if not {"NAME_EN", "PCODE"} <= cols:
            raise PlacesImportError(f"{path}: an OCHA admin table needs the columns NAME_EN and PCODE, got {sorted(cols)}")
        points = {"LATITUDE", "LONGITUDE"} <= cols
        level = 3 if "ADM2_PCODE" in cols else 2 if "ADM1_PCODE" in cols else 1
        for rec in reader:
            name_en = (rec.get("NAME_EN") or "").strip()
            pcode = (rec.get("PCODE") or "").strip().upper()
            if not name_en or not pcode:
                skipped += 1
                continue
            # ADM0_EN and ADM0_AR are swapped in some tables (syr_admin3): the P-code is safe.
            cc = (rec.get("ADM0_PCODE") or pcode[:2]).strip().upper()
            country = countries.get(cc, cc)
            if points:
                kind = "landmark" if pcode.startswith("N") else "town"
            else:
                kind = "admin1" if level == 1 else "district"
            a1 = _canonical_admin1(gaz, name_en if kind == "admin1" else rec.get("ADM1_EN", ""), country)
            a2 = name_en if (kind == "district" and level == 2) else (rec.get("ADM2_EN") or "")
            # Joined neighbourhoods are one row: "Al Thawra_ Al Jourah", "Beit Meheb / Jdeydeh";
            # reference names add the city: "Al- Thawrah (Lattakia)", "الثورة - اللاذقية".
            # "Al_Sad" is one name with an underscore for a space.
            names = [re.sub(r"_(?=\S)", " ", rec.get(c) or "") for c in ("NAME_EN", "NAM_EN_REF", "NAME_AR", "NAM_AR_REF")]
            parts = [re.sub(r"\s*\(.*?\)|\s+-\s+.*$", "", part) for n in names for part in re.split(r"_\s+|\s*/\s*", n)]
            latin, arabic = _latin_or_arabic([*names[1:], *parts])
            name_en = re.sub(r"\s*_\s+|\s*/\s*", " / ", names[0])
            if points:
                lat, lon = _float(rec.get("LATITUDE")), _float(rec.get("LONGITUDE"))
            elif kind == "district":
                lat, lon = _seat(gaz, name_en, a1)
            else:
                lat, lon = None, None
            rows.append(_row(f"pcode-{pcode.lower()}", name_en, kind, a1, a2, country, lat, lon, latin, arabic,
                             pcode=pcode))
    return rows, skipped


# ---------------------------------------------------------------- OpenSyria JSON

def _opensyria_records(paths: list[Path]) -> list[dict]:
    out = []
    for p in paths:
        try:
            data = json.loads(p.read_text(encoding="utf-8"))
        except ValueError as e:
            raise PlacesImportError(f"{p}: not JSON ({e})") from e
        if not (isinstance(data, list) and data and isinstance(data[0], dict)
                and isinstance(data[0].get("name"), dict) and "en" in data[0]["name"]):
            raise PlacesImportError(f"{p}: OpenSyria geography is a JSON list of records with name.en and name.ar")
        out += data
    return out


def read_opensyria(paths: list[Path], gaz: Gazetteer) -> tuple[list[dict], int]:
    """Rows of OpenSyria data-geography records (governorates, districts, subdistricts); give
    all three files together so districts find their governorate's name."""
    records = _opensyria_records(paths)
    names = {r.get("id"): (r.get("name") or {}).get("en", "") for r in records}
    countries = gaz.country_code_names()
    rows, skipped = [], 0
    for r in records:
        name_en = ((r.get("name") or {}).get("en") or "").strip()
        rid = r.get("id") or ""
        if not name_en or not rid:
            skipped += 1
            continue
        ext = r.get("externalIds") or {}
        pcode = (ext.get("ochaPcode") or "").strip().upper()
        cc = (pcode[:2] or rid.split("-")[0]).upper()
        country = countries.get(cc, cc)
        kind = "district" if r.get("governorateId") else "admin1"

        def unit_name(uid: str | None, parent: str = "sy") -> str:
            # A unit's name from the records given, else from its id, which extends its
            # parent's: "sy-deir-ez-zor" -> "Deir Ez Zor", "sy-deir-ez-zor-abu-kamal" -> "Abu Kamal".
            if not uid:
                return ""
            if uid in names and names[uid]:
                return names[uid]
            slug = uid[len(parent) + 1:] if parent and uid.startswith(parent + "-") else uid.split("-", 1)[-1]
            return slug.replace("-", " ").title()

        a1 = _canonical_admin1(gaz, name_en if kind == "admin1" else unit_name(r.get("governorateId")), country)
        a2 = (unit_name(r.get("districtId"), r.get("governorateId") or "") if r.get("districtId")
              else (name_en if kind == "district" else ""))
        centroid = r.get("centroid") or {}
        alias_values = [a.get("value", "") for a in r.get("aliases") or [] if isinstance(a, dict)]
        latin, arabic = _latin_or_arabic([(r.get("name") or {}).get("ar", ""), *alias_values])
        pop = (r.get("population") or {}).get("value")
        gid = str(ext.get("geonames") or "")
        rows.append(_row(f"pcode-{pcode.lower()}" if pcode else f"opensyria-{rid}", name_en, kind, a1, a2, country,
                         _float(centroid.get("latitude")), _float(centroid.get("longitude")), latin, arabic,
                         geonameid=gid if gid.isdigit() else "", population=int(pop) if isinstance(pop, (int, float)) else None,
                         pcode=pcode))
    return rows, skipped


# ---------------------------------------------------------------- our own layout

def read_places_csv(path: Path, gaz: Gazetteer) -> tuple[list[dict], int]:
    with open(path, encoding="utf-8") as f:
        reader = csv.DictReader(f)
        missing = set(PLACE_COLUMNS) - set(reader.fieldnames or ())
        if missing:
            raise PlacesImportError(f"{path}: a places CSV needs the columns {', '.join(PLACE_COLUMNS)}; missing {sorted(missing)}")
        rows = [{c: (rec.get(c) or "") for c in IMPORTED_COLUMNS} for rec in reader]
    return rows, 0


# ---------------------------------------------------------------- driver

def detect_format(path: Path) -> str:
    """geonames | ocha | opensyria | places, from the file's first line."""
    suffix = path.suffix.lower()
    if suffix == ".zip":
        return "geonames"
    if suffix == ".json":
        return "opensyria"
    try:
        with open(path, encoding="utf-8-sig") as f:
            first = f.readline()
    except (OSError, UnicodeDecodeError) as e:
        raise PlacesImportError(f"{path}: cannot read it as UTF-8 text ({e})") from e
    if first.count("\t") == len(GEONAMES_COLUMNS) - 1:
        return "geonames"
    header = {h.strip() for h in next(csv.reader([first]), [])}
    if {"NAME_EN", "PCODE"} <= header:
        return "ocha"
    if set(PLACE_COLUMNS) <= header:
        return "places"
    raise PlacesImportError(
        f"{path}: not a layout the importer knows: a GeoNames dump (19 tab-separated columns), an OCHA "
        f"admin table (CSV with NAME_EN, NAME_AR, PCODE), OpenSyria geography JSON, or a places CSV "
        f"({','.join(PLACE_COLUMNS)}); give --format if it is one of them")


def _output_name(path: Path) -> str:
    stem = path.name if path.is_dir() else path.stem
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", stem) or "imported"


def _sources(path: Path) -> list[Path]:
    """The files a path stands for: itself, or the place files in a folder (OpenSyria's
    sources.json and READMEs left out)."""
    if not path.is_dir():
        return [path]
    files = []
    for p in sorted(path.iterdir()):
        if p.suffix.lower() in (".txt", ".csv", ".json", ".zip", ".tsv") and p.name.lower() not in (
                "sources.json", "readme.txt", "source.md") and not p.name.startswith("."):
            files.append(p)
    return files


def read_places(path: Path, gaz: Gazetteer, fmt: str = "auto") -> tuple[str, list[dict], int, list[str]]:
    """The rows of one file or folder, its layout, how many records were left out and notes
    on files left out."""
    files = _sources(path)
    if not files:
        raise PlacesImportError(f"{path}: no place files in this folder")
    rows, skipped, formats, notes = [], 0, [], []
    json_files = []
    for p in files:
        f = detect_format(p) if fmt == "auto" else fmt
        if f == "opensyria":
            if path.is_dir() and p.suffix.lower() != ".json":
                continue
            try:
                _opensyria_records([p])
            except PlacesImportError:
                if path.is_dir():
                    continue  # other JSON in the folder
                raise
            json_files.append(p)
            formats.append(f)
            continue
        reader = {"geonames": read_geonames_dump, "ocha": read_ocha_admin, "places": read_places_csv}.get(f)
        if reader is None:
            raise PlacesImportError(f"unknown format {f!r}: one of {', '.join(FORMATS)}")
        r, s = reader(p, gaz)
        if path.is_dir() and f == "ocha" and r and all(row["pcode"].startswith("N") for row in r):
            # City neighbourhoods ("Al-Joura") are not towns: a report about them is about their
            # city. Only an import that names the file adds them.
            notes.append(f"left out {p.name} (city neighbourhoods; import the file itself to add them)")
            continue
        rows += r
        skipped += s
        formats.append(f)
    if json_files:
        r, s = read_opensyria(json_files, gaz)
        rows += r
        skipped += s
    return "+".join(sorted(set(formats))), rows, skipped, notes


def write_places(rows: list[dict], out: Path) -> None:
    """Write rows atomically (a reader never sees half a file); the same place twice in one
    import is written once."""
    out.parent.mkdir(parents=True, exist_ok=True)
    seen = set()
    tmp = out.with_name(f".{out.name}.tmp-{os.getpid()}")
    with open(tmp, "w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=IMPORTED_COLUMNS, lineterminator="\n")
        w.writeheader()
        for row in rows:
            if row["place_id"] in seen:
                continue
            seen.add(row["place_id"])
            w.writerow(row)
    os.replace(tmp, out)


def import_places(path: Path, gaz: Gazetteer, out_dir: Path, *, name: str | None = None,
                  fmt: str = "auto") -> ImportResult:
    """Read `path` (a file or a folder) and write its places to `out_dir/<name>.csv`, replacing
    an earlier import of the same name (so importing twice changes nothing)."""
    if not path.exists():
        raise PlacesImportError(f"{path}: no such file or folder")
    fmt_found, rows, skipped, notes = read_places(path, gaz, fmt)
    if not rows:
        raise PlacesImportError(f"{path}: no places found ({skipped} records left out)")
    out = out_dir / f"{name or _output_name(path)}.csv"
    write_places(rows, out)
    return ImportResult(path, fmt_found, out, len({r["place_id"] for r in rows}), skipped, tuple(notes))


__all__ = ["FORMATS", "PlacesImportError", "ImportResult", "PlacesFileError", "detect_format", "import_places",
           "read_geonames_dump", "read_ocha_admin", "read_opensyria", "read_places"]
