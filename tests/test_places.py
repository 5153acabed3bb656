"""The gazetteer: normalisation rules, Arabic forms, province precision, context, the fuzzy
threshold, the importers (small fixtures under tests/fixtures/places/, made up for these
tests), the lookup command's exact output and the town-variants measure."""
from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl.places import (Gazetteer, PlacesFileError, ascii_fold, distance_km, load_gazetteer,
                        lookup_csv, loose_key, name_key, normalise_arabic, parse_query, skeleton,
                        unglue_article)
from etl.places_import import PlacesImportError, detect_format, import_places, read_places
from etl.settings import REFERENCE_DIR
from conftest import run_cli

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "places"
SHARED = Path(__file__).resolve().parents[2] / "shared"
VARIANTS_CSV = SHARED / "data" / "town_variants" / "focus_town_variants.csv"
NO_IMPORTS = Path("/nonexistent/presence-imported-places")


@pytest.fixture(scope="module")
def gaz() -> Gazetteer:
    # Only the bundled data: a user's imported places must not change these answers.
    return load_gazetteer(REFERENCE_DIR, imported_dir=NO_IMPORTS)


def resolved_id(gaz: Gazetteer, name: str, **kw) -> str | None:
    r = gaz.resolve(name, **kw)
    return r.place.place_id if r else None


# ---------------------------------------------------------------- normalisation rules

@pytest.mark.parametrize("a, b", [
    ("Ḩadīthah", "Hadithah"),            # diacritics
    ("Tall ‘Afar", "Tall Afar"),          # ayn mark
    ("Al-Qa'im", "Qaim"),                 # apostrophe, article
    ("Deir-ez-Zor", "Deir ez Zor"),       # hyphens, article ez-
    ("al-Mayadin", "Mayadin"), ("el-Mayadin", "Mayadin"), ("ad-Dawr", "Dawr"),
    ("ash-Shaddadi", "Shaddadi"), ("as-Sukhnah", "Sukhnah"), ("az-Zab", "Zab"),
    ("Hesîçe", "Hesice"), ("Dıbis", "Dibis"), ("SHEQŁAWE", "Sheqlawe"),  # letters with no NFKD form
])
def test_name_key_drops_diacritics_articles_hyphens_apostrophes(a, b):
    assert name_key(a) == name_key(b)


@pytest.mark.parametrize("a, b", [
    ("hajeen", "hajin"),       # e/i
    ("mohasan", "muhasan"),    # o/u
    ("mohassan", "muhasan"),   # doubled letters
    ("qaim", "kaim"),          # q/k
    ("dhiban", "ziban"),       # dh/z
    ("routba", "rutba"),       # ou/u
    ("asharah", "ashara"), ("ashareh", "ashara"),  # taa marbuta endings
    ("hadjin", "hajin"), ("mayadine", "mayadin"),  # French dj, mute e
    ("ramadee", "ramadi"),
])
def test_loose_key_folds_transliteration_variants(a, b):
    assert loose_key(a) == loose_key(b)


def test_skeleton_folds_vowels_and_pairs():
    assert skeleton(name_key("Al-Bokamel")) == skeleton(name_key("Abu Kamal")) == "bkml"
    assert skeleton("qubaisa") == skeleton("kubaysa")


def test_glued_articles_come_off():
    assert unglue_article(["albw", "kmal"]) == ["bw", "kmal"]
    assert unglue_article(["arraqqa"]) == ["raqqa"]
    assert unglue_article(["ezzor"]) == ["zor"]


@pytest.mark.parametrize("spelling, place_id", [
    ("Ramadee", "iq-ramadi"), ("Falloojah", "iq-fallujah"), ("Mosoul", "iq-mosul"),
    ("Mousel", "iq-mosul"), ("Qubaisa", "iq-kubaisa"), ("Routba", "iq-al-rutbah"),
])
def test_spellings_no_alias_lists_resolve_by_the_rules(gaz, spelling, place_id):
    assert name_key(spelling) not in gaz.by_key  # the rule, not a listed alias
    ids, inexact = gaz.candidates(spelling)
    assert ids[:1] == [place_id] and not inexact


@pytest.mark.parametrize("forms", [
    ("الرقة", "الرقه", "الرقــة", "الرَّقَّة", "ﺍﻟﺮﻗﺔ"),   # taa marbuta, tatweel, harakat, presentation forms
    ("أبو كمال", "ابو كمال", "إبو كمال", "آبو كمال"),       # alef forms
    ("ديالى", "ديالي"),                                    # alef maqsura / yaa
    ("دیر الزور", "دير الزور"),                             # Persian yeh
    ("السويداء", "السويدا"), ("كربلاء", "كربلا"),           # a final hamza left out
])
def test_arabic_forms_share_one_key(forms):
    assert len({normalise_arabic(f) for f in forms}) == 1


@pytest.mark.parametrize("name, place_id", [
    ("البوكمال", "sy-abu-kamal"), ("أبو كمال", "sy-abu-kamal"), ("الميادين", "sy-al-mayadin"),
    ("الرقــة", "sy-raqqa"), ("دیر الزور", "sy-deir-ez-zor"), ("ديالى", "iq-adm1-diyala"),
])
def test_arabic_names_resolve(gaz, name, place_id):
    assert resolved_id(gaz, name) == place_id


def test_no_fuzzy_matching_of_arabic(gaz):
    assert gaz.fuzzy_candidates("البوكما") == ([], 0.0)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_case_and_an_added_article_never_change_the_place(gaz, data):
    latin = sorted({(pid, a) for pid, a, lang in gaz.aliases if lang == "en" and len(name_key(a)) >= 4})
    pid, alias = data.draw(st.sampled_from(latin))
    for variant in (alias.upper(), alias.lower(), "al-" + alias):
        assert pid in gaz.candidates(variant)[0], variant


# ---------------------------------------------------------------- descriptors, precision

@pytest.mark.parametrize("text, core, kind", [
    ("Hajin nahiyah", "Hajin", "district"),
    ("Nahiyat Markaz Albu Kamal", "Albu Kamal", "district"),
    ("Abu Kamal Subdistrict", "Abu Kamal", "district"),
    ("Al Qā’im town", "Al Qā’im", "town"),
    ("the city of Mosul", "Mosul", "town"),
    ("Deir-ez-Zor province", "Deir-ez-Zor", "admin1"),
    ("ناحية مركز البوكمال", "البوكمال", "district"),
    ("محافظة الرقة", "الرقة", "admin1"),
])
def test_parse_query_takes_descriptors_off(text, core, kind):
    q = parse_query(text)
    assert (q.core, q.kind) == (core, kind)


def test_parse_query_keeps_countries_and_hints():
    assert parse_query("the Syrian town of Azaz").countries == ("Syria",)
    assert parse_query("Mosul district, Ninewa province").hints == ("Ninewa province",)


@pytest.mark.parametrize("name, place_id, precision", [
    ("Anbar", "iq-adm1-anbar", "admin1"),
    ("Raqqa province", "sy-adm1-raqqa", "admin1"),
    ("محافظة الرقة", "sy-adm1-raqqa", "admin1"),
    ("Deir ez-Zor governorate", "sy-adm1-deir-ez-zor", "admin1"),
    ("Abu Kamal province", "sy-adm1-deir-ez-zor", "admin1"),  # the province a town is in
    ("Syria", "country-sy", "country"),
    # A province's capital is what the press means by the bare name.
    ("Raqqa", "sy-raqqa", "town"),
    ("Deir ez-Zor city", "sy-deir-ez-zor", "town"),
])
def test_provinces_and_countries_resolve_at_their_precision(gaz, name, place_id, precision):
    r = gaz.resolve(name)
    assert (r.place.place_id, r.place.precision) == (place_id, precision)


def test_a_province_name_never_resolves_to_another_same_named_town(gaz):
    # GeoNames has a Qadsayya near Damascus with the alternate name "Qadisiya", and a village in
    # Erbil whose Arabic name is صلاح الدين.
    assert resolved_id(gaz, "Qadisiya") == "iq-adm1-qadisiyah"
    assert resolved_id(gaz, "صلاح الدين") == "iq-adm1-salahuddin"
    ids, _ = gaz.candidates("Qadisiya")
    assert gaz.rank(ids)[0].kind == "admin1"
    # ...unless the text says the town.
    assert gaz.rank(ids, prefer_kind="town")[0].place_id == "gn-166251"
    assert resolved_id(gaz, "Qadisiya town") == "gn-166251"


def test_generic_words_are_not_places(gaz):
    for phrase in ("the city", "his home", "the same village", "Iraqi city", "houses", "the dam"):
        assert gaz.resolve(phrase) is None, phrase
    assert gaz.candidates("Old City") == ([], False)  # its skeleton with a t is Laodicea's


# ---------------------------------------------------------------- context

def test_context_province_country_and_nearby_places_choose_between_homonyms(gaz):
    ids, _ = gaz.candidates("Sinjar")
    assert {"iq-sinjar", "gn-164094"} <= set(ids)
    assert gaz.rank(ids)[0].place_id == "iq-sinjar"  # curated, without context
    assert gaz.rank(ids, frozenset({"Idlib"}))[0].place_id == "gn-164094"
    assert gaz.rank(ids, countries=frozenset({"Syria"}))[0].place_id == "gn-164094"
    idlib = gaz.places["gn-169389"]
    assert gaz.rank(ids, near=((idlib.latitude, idlib.longitude),))[0].place_id == "gn-164094"
    assert resolved_id(gaz, "Sinjar", near=((idlib.latitude, idlib.longitude),)) == "gn-164094"


def test_context_of_the_report_places(gaz):
    admin1, countries, near = gaz.context_of([gaz.places["sy-hajin"], gaz.places["iq-adm1-anbar"]])
    assert admin1 == {"Deir ez-Zor", "Anbar"} and countries == {"Syria", "Iraq"} and len(near) == 1


def test_a_country_the_name_gives_is_required(gaz):
    assert resolved_id(gaz, "Palmyra, Syria") == "sy-palmyra"
    assert resolved_id(gaz, "Sinjar, Syria") == "gn-164094"
    assert gaz.resolve("the Jordanian city of Ramtha") is None  # not Ar Rumaythah in Iraq


# ---------------------------------------------------------------- fuzzy matching

def test_hajeen_is_hajin_never_anah(gaz):
    assert resolved_id(gaz, "Hajeen") == "sy-hajin"
    ids, _ = gaz.fuzzy_candidates("Hajeen")
    assert "iq-anah" not in ids


def test_without_hajin_hajeen_does_not_become_another_town(tmp_path):
    for f in ("countries.csv", "admin1.csv"):
        shutil.copy(REFERENCE_DIR / f, tmp_path / f)
    with open(REFERENCE_DIR / "places_curated.csv", encoding="utf-8") as src, \
            open(tmp_path / "places_curated.csv", "w", encoding="utf-8") as dst:
        dst.writelines(line for line in src if not line.startswith("sy-hajin,"))
    from etl.places import geonames_sy_iq

    cities = [c for c in geonames_sy_iq() if int(c["geonameid"]) != 174506]
    small = load_gazetteer(tmp_path, cities, imported_dir=NO_IMPORTS)
    for spelling in ("Hajeen", "Hajin", "Hajjin", "Hadjin"):
        assert small.resolve(spelling) is None, spelling


@pytest.mark.parametrize("name, place_id", [("Haditah", "iq-haditha"), ("Hadeetah", "iq-haditha")])
def test_fuzzy_matching_finds_close_spellings(gaz, name, place_id):
    r = gaz.resolve(name)
    assert (r.place.place_id, r.method, r.fuzzy) == (place_id, "fuzzy", True)
    assert gaz.resolve(name, fuzzy=False) is None


@pytest.mark.parametrize("name", ["Texas", "Karim", "Konya", "Syrian", "Iraqi", "shells", "Devrek"])
def test_fuzzy_threshold_rejects_names_that_are_not_places_here(gaz, name):
    # Near misses measured by benchmarks/bench_places.py at a flat threshold of 88.
    assert gaz.resolve(name) is None


def test_fuzzy_results_are_cached(gaz):
    gaz.resolve("Haditah")
    assert any(k[0] == "Haditah" for k in gaz._resolve_cache)
    assert loose_key(name_key("Haditah")) in gaz._fuzzy_cache


# ---------------------------------------------------------------- importers

def test_geonames_dump_rows(gaz):
    fmt, rows, skipped, _ = read_places(FIXTURES / "SY.txt", gaz)
    assert (fmt, skipped) == ("geonames", 1)  # the wadi is left out
    by_id = {r["place_id"]: r for r in rows}
    village = by_id["gn-9100001"]
    assert (village["name"], village["kind"], village["admin1"], village["country"]) == (
        "Tall Zaytun", "town", "Deir ez-Zor", "Syria")
    assert village["aliases_arabic"] == "تل زيتون"
    assert "OSZZ" not in village["aliases_latin"] and "Tell Zeitoun" in village["aliases_latin"]
    assert by_id["gn-9100003"]["kind"] == "landmark"


def test_imported_places_load_and_never_shadow_curated_ones(tmp_path):
    base = load_gazetteer(REFERENCE_DIR, imported_dir=NO_IMPORTS)
    result = import_places(FIXTURES / "SY.txt", base, tmp_path)
    assert result.output == tmp_path / "SY.csv" and result.rows == 4
    g = load_gazetteer(REFERENCE_DIR, imported_dir=tmp_path)
    assert g.import_stats["SY.csv"] == {"added": 2, "merged": 2}
    assert resolved_id(g, "Tell Zeitoun") == "gn-9100001"
    assert resolved_id(g, "تل زيتون") == "gn-9100001"
    assert resolved_id(g, "Tall Zaytun airbase") == "gn-9100003"
    # Hajin by geonameid, Al-Bahra by name within 5 km: their spellings join the curated place.
    assert "gn-174506" not in g.places and resolved_id(g, "Hadjine") == "sy-hajin"
    assert "gn-9100002" not in g.places and resolved_id(g, "Bahra East") == "sy-al-bahra"
    assert g.places["sy-hajin"] == base.places["sy-hajin"]


def test_ocha_and_opensyria_tables_merge_by_pcode(tmp_path):
    base = load_gazetteer(REFERENCE_DIR, imported_dir=NO_IMPORTS)
    assert detect_format(FIXTURES / "ocha_admin3.csv") == "ocha"
    import_places(FIXTURES / "ocha_admin3.csv", base, tmp_path)
    import_places(FIXTURES / "opensyria_subdistricts.json", base, tmp_path)
    rows = list(csv.DictReader(open(tmp_path / "ocha_admin3.csv", encoding="utf-8")))
    # "Deir-ez-Zor" is the gazetteer's "Deir ez-Zor"; the ADM0 columns swapped in the source do
    # not matter (the P-code gives the country).
    assert {r["admin1"] for r in rows} == {"Deir ez-Zor", "Raqqa"} and {r["country"] for r in rows} == {"Syria"}
    hajin = next(r for r in rows if r["pcode"] == "SY090201")
    assert (hajin["kind"], hajin["admin2"]) == ("district", "Abu Kamal")
    assert (float(hajin["latitude"]), float(hajin["longitude"])) == (34.692, 40.831)  # its town's
    g = load_gazetteer(REFERENCE_DIR, imported_dir=tmp_path)
    r = g.resolve("SY099901")
    assert (r.place.name, r.place.precision, r.method) == ("Tall Zaytun", "district", "pcode")
    assert (r.place.latitude, r.place.longitude) == (35.09, 40.39)  # from OpenSyria: OCHA has none
    assert resolved_id(g, "Nahiyat Tall Zaytun") == "pcode-sy099901"
    assert resolved_id(g, "ناحية تل زيتون") == "pcode-sy099901"
    assert resolved_id(g, "Khirbet Zeitoun") == "pcode-sy119902"
    assert g.places["pcode-sy119902"].admin1 == "Raqqa"
    assert resolved_id(g, "Hajin") == "sy-hajin"  # the town, not the sub-district
    assert resolved_id(g, "Hajin subdistrict") == "pcode-sy090201"


def test_an_unknown_layout_says_which_ones_are_known(tmp_path):
    bad = tmp_path / "places.csv"
    bad.write_text("town,lat,lon\nX,1,2\n", encoding="utf-8")
    with pytest.raises(PlacesImportError, match="not a layout the importer knows: a GeoNames dump"):
        import_places(bad, load_gazetteer(REFERENCE_DIR, imported_dir=NO_IMPORTS), tmp_path / "out")


def test_a_malformed_imported_file_lists_every_problem(tmp_path):
    (tmp_path / "bad.csv").write_text(
        "place_id,name,kind,admin1,admin2,country,latitude,longitude,geonameid,aliases_latin,aliases_arabic\n"
        "x-1,Somewhere,village,,,Syria,35,40,,,\n"
        "x-2,Elsewhere,town,,,Syria,135,40,,,\n", encoding="utf-8")
    with pytest.raises(PlacesFileError) as err:
        load_gazetteer(REFERENCE_DIR, imported_dir=tmp_path)
    assert "bad.csv line 2: kind must be one of" in str(err.value)
    assert "bad.csv line 3: coordinates out of range" in str(err.value)


def test_user_aliases_are_checked(tmp_path):
    for f in ("countries.csv", "admin1.csv", "places_curated.csv"):
        shutil.copy(REFERENCE_DIR / f, tmp_path / f)
    (tmp_path / "place_aliases.csv").write_text("alias,place_id\nBukamal Town,sy-abu-kamal\nNowhere,sy-nowhere\n,sy-hajin\n",
                                                encoding="utf-8")
    with pytest.raises(PlacesFileError) as err:
        load_gazetteer(tmp_path, imported_dir=NO_IMPORTS)
    assert "place_aliases.csv line 3: unknown place_id 'sy-nowhere'" in str(err.value)
    assert "place_aliases.csv line 4: need an alias and a place_id" in str(err.value)


def test_bundled_user_aliases_resolve(gaz):
    assert resolved_id(gaz, "Wilayat al-Khayr") == "sy-adm1-deir-ez-zor"
    assert resolved_id(gaz, "ولاية البركة") == "sy-adm1-al-hasakah"


def test_geonames_towns_show_the_press_spelling_and_keep_their_geonames_name(gaz):
    # press_names.csv: the database shows "Khan Sheikhoun" where GeoNames says "Khan Shaykhun".
    assert gaz.places["gn-168325"].name == "Khan Sheikhoun"
    assert gaz.places["gn-172256"].name == "Kobani"
    for spelling in ("Khan Shaykhun", "Khan Sheikhoun", "Khan Sheikhun"):
        assert resolved_id(gaz, spelling) == "gn-168325"
    assert resolved_id(gaz, "Ayn al Arab") == "gn-172256"


def test_excluded_aliases_resolve_to_nothing(gaz):
    # alias_exclusions.csv: GeoNames lists "Al Jazira" for As Suwayrah; reports mean the region.
    for name in ("al-Jazeera", "Jazira", "Al Jazira"):
        assert resolved_id(gaz, name) is None, name
    assert resolved_id(gaz, "Suwaira") == "gn-98459"


def test_press_names_are_checked(tmp_path):
    for f in ("countries.csv", "admin1.csv", "places_curated.csv"):
        shutil.copy(REFERENCE_DIR / f, tmp_path / f)
    (tmp_path / "press_names.csv").write_text("place_id,name,geonames_name\nsy-hajin,Hajeen,\n", encoding="utf-8")
    with pytest.raises(PlacesFileError, match="press_names.csv line 2: need a GeoNames place_id"):
        load_gazetteer(tmp_path, imported_dir=NO_IMPORTS)


# ---------------------------------------------------------------- the command line

LOOKUP_GOLDEN = """\
query,place_id,name,admin1,country,latitude,longitude,precision
Al-Bokamel,sy-abu-kamal,Abu Kamal,Deir ez-Zor,Syria,34.453,40.93,town
البوكمال,sy-abu-kamal,Abu Kamal,Deir ez-Zor,Syria,34.453,40.93,town
Hajeen,sy-hajin,Hajin,Deir ez-Zor,Syria,34.692,40.831,town
Raqqa province,sy-adm1-raqqa,Raqqa,Raqqa,Syria,35.9,38.95,admin1
Anbar,iq-adm1-anbar,Anbar,Anbar,Iraq,33.0,41.6,admin1
Nowhereville,,,,,,,
"""


def test_lookup_prints_exact_csv(tmp_path):
    r = run_cli("places", "lookup", "Al-Bokamel", "البوكمال", "Hajeen", "Raqqa province", "Anbar", "Nowhereville",
                env={"PRESENCE_PLACES_DIR": str(tmp_path)})
    assert (r.returncode, r.stdout, r.stderr) == (0, LOOKUP_GOLDEN, "")
    assert lookup_csv(load_gazetteer(REFERENCE_DIR, imported_dir=NO_IMPORTS),
                      ["Al-Bokamel", "البوكمال", "Hajeen", "Raqqa province", "Anbar", "Nowhereville"]) == LOOKUP_GOLDEN


def test_lookup_reads_names_from_a_file(tmp_path):
    names = tmp_path / "names.txt"
    names.write_text("Hajeen\n\nAnbar\n", encoding="utf-8")
    r = run_cli("places", "lookup", "--file", str(names), env={"PRESENCE_PLACES_DIR": str(tmp_path / "none")})
    assert r.returncode == 0 and r.stdout.splitlines()[1:] == LOOKUP_GOLDEN.splitlines()[3:4] + LOOKUP_GOLDEN.splitlines()[5:6]


def test_import_command_writes_a_file_later_runs_load(tmp_path):
    out = tmp_path / "imported"
    r = run_cli("places", "import", str(FIXTURES / "SY.txt"), "--dir", str(out))
    assert r.returncode == 0, r.stderr
    assert r.stdout == (f"imported 4 places from {FIXTURES / 'SY.txt'} (geonames) -> {out / 'SY.csv'}: "
                        "2 new, 2 merged into places the gazetteer had, 1 records left out\n")
    first = (out / "SY.csv").read_bytes()
    assert run_cli("places", "import", str(FIXTURES / "SY.txt"), "--dir", str(out)).returncode == 0
    assert (out / "SY.csv").read_bytes() == first  # importing again changes nothing
    r = run_cli("places", "lookup", "Tell Zeitoun", "Hadjine", env={"PRESENCE_PLACES_DIR": str(out)})
    assert r.stdout.splitlines()[1:] == ["Tell Zeitoun,gn-9100001,Tall Zaytun,Deir ez-Zor,Syria,35.1,40.4,town",
                                         "Hadjine,sy-hajin,Hajin,Deir ez-Zor,Syria,34.692,40.831,town"]


def test_import_command_errors(tmp_path):
    r = run_cli("places", "import", str(tmp_path / "missing.txt"), "--dir", str(tmp_path))
    assert (r.returncode, r.stderr) == (2, f"error: no such file or folder: {tmp_path / 'missing.txt'}\n")
    bad = tmp_path / "bad.txt"
    bad.write_text("just text\n", encoding="utf-8")
    r = run_cli("places", "import", str(bad), "--dir", str(tmp_path / "out"))
    assert r.returncode == 1 and r.stderr.startswith(f"error: {bad}: not a layout the importer knows")


# ---------------------------------------------------------------- the measure

def test_town_variants_resolve_to_their_town(gaz):
    if not VARIANTS_CSV.exists():
        pytest.skip(f"{VARIANTS_CSV} not present: ../shared (real data) is not on this machine")
    rows = list(csv.DictReader(open(VARIANTS_CSV, encoding="utf-8")))
    # GeoNames coordinates from the file; rounded published coordinates for the three towns
    # it gives none for.
    where = {"Muhasan": (35.217, 40.317), "Ashara": (34.917, 40.567), "Husaybah": (34.400, 40.983)}
    for r in rows:
        if r["source"] == "geonames":
            note = dict(kv.split("=") for kv in r["note"].split(";"))
            where[r["canonical"]] = (float(note["lat"]), float(note["lon"]))
    misses = []
    for r in rows:
        place, _ = gaz.lookup(r["variant"])
        if place is None or place.latitude is None or distance_km(*where[r["canonical"]], place.latitude, place.longitude) > 15:
            misses.append((r["canonical"], r["variant"], place and place.name))
    assert len(rows) == 444
    assert 1 - len(misses) / len(rows) >= 0.98, misses


def test_ascii_fold_keeps_plain_text():
    assert ascii_fold("Abu Kamal") == "abu kamal"


def test_the_gazetteer_cache_gives_the_same_gazetteer_and_follows_its_files(tmp_path, monkeypatch):
    from etl.places import cached_gazetteer

    monkeypatch.setenv("PRESENCE_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("PRESENCE_PLACES_DIR", str(tmp_path / "imported"))
    ref_dir = tmp_path / "reference"
    shutil.copytree(REFERENCE_DIR, ref_dir)
    built = cached_gazetteer(ref_dir)
    (cached,) = (tmp_path / "cache").glob("gazetteer-*.pickle")
    again = cached_gazetteer(ref_dir)
    assert again is not built  # read back from the pickle
    assert again.places == built.places and dict(again.by_key) == dict(built.by_key)
    assert again.resolve("Al-Bokamel").place.place_id == built.resolve("Al-Bokamel").place.place_id
    # A reference file changes: a new key, and the new alias is there.
    with open(ref_dir / "place_aliases.csv", "a", encoding="utf-8") as f:
        f.write("Bokamelino,sy-abu-kamal\n")
    changed = cached_gazetteer(ref_dir)
    (newer,) = set((tmp_path / "cache").glob("gazetteer-*.pickle")) - {cached}
    assert changed.candidates("Bokamelino")[0] == ["sy-abu-kamal"]
    assert built.candidates("Bokamelino")[0] == []
    # A broken cache file is built afresh, not trusted.
    newer.write_bytes(b"not a pickle")
    rebuilt = cached_gazetteer(ref_dir)
    assert rebuilt.candidates("Bokamelino")[0] == ["sy-abu-kamal"]


# ---------------------------------------------------------------- landmarks and their towns

def test_a_landmark_names_its_town(gaz):
    assert gaz.places[gaz.landmark_towns["iq-qayyarah-airbase"]].name == "Qayyarah"
    assert gaz.places[gaz.landmark_towns["iq-camp-speicher"]].name == "Tikrit"
    assert "sy-jabal-al-zawiya" not in gaz.landmark_towns  # a region, no one town


def test_a_city_neighbourhood_names_its_city(gaz):
    # the codebook's place is the town: Sheikh Maqsoud's events are Aleppo's, Al-Zanjili's Mosul's
    assert gaz.places[gaz.landmark_towns["sy-sheikh-maqsoud"]].name == "Aleppo"
    assert gaz.places[gaz.landmark_towns["iq-al-zanjili"]].name == "Mosul"
    assert "sy-yalda" not in gaz.landmark_towns  # a town of its own beside Damascus


def test_a_landmark_town_that_is_no_town_of_its_province_is_an_error(tmp_path):
    for f in ("countries.csv", "admin1.csv"):
        shutil.copy(REFERENCE_DIR / f, tmp_path / f)
    text = (REFERENCE_DIR / "places_curated.csv").read_text(encoding="utf-8")
    lines = [line.replace(",Tikrit", ",Atlantis") if line.startswith("iq-camp-speicher,") else line for line in text.splitlines()]
    (tmp_path / "places_curated.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(PlacesFileError, match="iq-camp-speicher: no town 'Atlantis'"):
        load_gazetteer(tmp_path, imported_dir=NO_IMPORTS)


# ---------------------------------------------------------------- a city-province's countryside

def test_damascus_countryside_is_rif_dimashq(gaz):
    assert gaz.countryside["Damascus"] == "sy-adm1-rif-dimashq"


def test_a_countryside_that_is_no_province_is_an_error(tmp_path):
    for f in ("countries.csv", "places_curated.csv"):
        shutil.copy(REFERENCE_DIR / f, tmp_path / f)
    text = (REFERENCE_DIR / "admin1.csv").read_text(encoding="utf-8")
    (tmp_path / "admin1.csv").write_text(text.replace(",sy-adm1-rif-dimashq\n", ",sy-nowhere\n"), encoding="utf-8")
    with pytest.raises(PlacesFileError, match="countryside 'sy-nowhere'"):
        load_gazetteer(tmp_path, imported_dir=NO_IMPORTS)
