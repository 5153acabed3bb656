"""The extractor as a pure function of one report: rules of the codebook on small sentences."""
from __future__ import annotations

from datetime import date

import pytest

from etl.extract import extract_observations, find_quantities, split_sentences
from etl.models import Report, make_report_id
from etl.reference import default_reference

MONDAY = date(2015, 1, 19)


@pytest.fixture(scope="module")
def ref():
    return default_reference()


def extract(ref, text, title="", published=MONDAY):
    report = Report(make_report_id(title, text), "Test Wire", "", title, published, text, "t.txt")
    return extract_observations(report, ref)


def only(obs, indicator):
    found = [o for o in obs if o.indicator == indicator]
    assert len(found) == 1, [(o.indicator, o.change, o.place_name) for o in obs]
    return found[0]


def test_pure_same_report_same_observations(ref):
    text = "Islamic State fighters set up two checkpoints in Hajin on Saturday."
    assert extract(ref, text) == extract(ref, text)


def test_checkpoint_established_with_count_and_weekday(ref):
    o = only(extract(ref, "Islamic State fighters set up two checkpoints in Hajin on Saturday."), "checkpoint")
    assert (o.change, o.actor, o.place_name, o.date_start, o.quantity_low, o.unit) == (
        "established", "islamic_state", "Hajin", date(2015, 1, 17), 2, "checkpoints")


def test_negated_checkpoint_is_kept_and_marked(ref):
    o = only(extract(ref, "No new checkpoints were set up by Daesh in Al-Mayadin this week."), "checkpoint")
    assert o.negated and o.actor == "islamic_state"


def test_hedged_statement_is_flagged_with_lower_confidence(ref):
    plain = only(extract(ref, "ISIS patrols increased in Hit on Sunday."), "patrol")
    hedged = only(extract(ref, "ISIS patrols reportedly increased in Hit on Sunday."), "patrol")
    assert hedged.hedged and not plain.hedged
    assert hedged.confidence < plain.confidence


def test_killing_of_group_members_by_unknown_gunmen(ref):
    o = only(extract(ref, "Unknown gunmen shot dead three IS members in Muhasan on Friday."), "killing")
    assert (o.change, o.actor, o.counterpart, o.manner, o.quantity_low, o.place_name, o.date_start) == (
        "killed", "islamic_state", "unknown", "assassination", 3, "Muhasan", date(2015, 1, 16))


def test_civilians_killed_by_perpetrator(ref):
    o = only(extract(ref, "Russian warplanes killed at least 12 civilians in Al-Mayadin on Sunday."), "killing")
    assert (o.change, o.actor, o.quantity_low, o.quantity_high) == ("killed_by", "russia", 12, None)


def test_province_wide_tally_is_admin1_not_a_town(ref):
    o = only(extract(ref, "More than 30 IS members have been killed across Deir ez-Zor over the past two weeks."), "killing")
    assert (o.place_precision, o.admin1, o.quantity_low) == ("admin1", "Deir ez-Zor", 31)
    assert (o.date_start, o.date_end) == (date(2015, 1, 5), date(2015, 1, 19))


def test_dateline_is_not_an_event_place(ref):
    obs = extract(ref, "BEIRUT (Wire) - Coalition jets struck Islamic State positions in Al-Qaim on Saturday.")
    o = only(obs, "airstrike")
    assert o.place_name == "Al-Qaim" and o.actor == "us_led_coalition" and o.counterpart == "islamic_state"
    assert all(x.place_name != "Beirut" for x in obs)


def test_departure_with_origin_destination_and_vehicles(ref):
    o = only(extract(ref, "Five cars of IS fighters left Abu Kamal heading toward Iraq on Monday."), "troop_movement")
    assert (o.change, o.place_name, o.destination_name, o.quantity_low, o.unit) == (
        "departure", "Abu Kamal", "Iraq", 5, "vehicles")


def test_civilians_moving_are_not_troop_movements(ref):
    obs = extract(ref, "Hundreds of families fled Hajin toward the desert on Sunday.")
    assert [o for o in obs if o.indicator == "troop_movement"] == []


def test_plans_are_not_observations(ref):
    obs = extract(ref, "The army plans to set up checkpoints in Ramadi next month.")
    assert [o for o in obs if o.indicator == "checkpoint"] == []


def test_capture_needs_a_place(ref):
    obs = extract(ref, "IS militants seized citizens' homes on charges of apostasy. "
                       "Iraqi forces recaptured Rawa from the Islamic State on Friday.")
    o = only(obs, "control_change")
    assert (o.change, o.actor, o.counterpart, o.place_name) == ("captured", "iraqi_forces", "islamic_state", "Rawa")


def test_month_capture_in_background(ref):
    o = only(extract(ref, "Islamic State seized Al-Mayadin last July."), "control_change")
    assert (o.date_start, o.date_end, o.date_precision) == (date(2014, 7, 1), date(2014, 7, 31), "month")


def test_evidence_spans_point_into_the_text(ref):
    text = "3 min read\n\nAMMAN: Coalition jets struck Abu Kamal on Saturday, activists said.\n\nShare this article"
    o = only(extract(ref, text), "airstrike")
    assert text[o.span_start:o.span_end] == o.sentence
    assert text[o.trigger_start:o.trigger_end] == o.trigger
    assert o.attribution == "activists"


def test_sentences_skip_clutter_and_keep_offsets():
    text = "3 min read\n\nFirst one here. Second one, by the U.S. army, there.\nShare this article"
    sents = split_sentences(text)
    assert [s.text for s in sents] == ["First one here.", "Second one, by the U.S. army, there."]
    assert all(text[s.start:s.start + len(s.text)] == s.text for s in sents)


@pytest.mark.parametrize("phrase, low, high", [
    ("more than 30 fighters", 31, None), ("at least 12 people", 12, None), ("between 10 and 15 people", 10, 15),
    ("five cars", 5, 5), ("60 fighters", 60, 60), ("nearly 300 fighters", None, 300), ("several guards", 3, None),
    ("dozens of fighters", 24, None), ("twenty-two fighters", 22, 22), ("a few fighters", 2, None),
    ("hundreds of fighters", 200, None), ("scores of people", 40, None),
])
def test_quantities(ref, phrase, low, high):
    qs = find_quantities(f"They saw {phrase} there.", ref.lexicon)
    assert [(q.low, q.high) for q in qs] == [(low, high)]


def test_years_and_days_of_dates_are_not_counts(ref):
    assert find_quantities("On January 19, 2015 they met.", ref.lexicon) == []


def test_unresolved_place_names_are_listed_with_their_sentence(ref):
    from etl.extract import find_unresolved_places

    text = ("Moadamiyet al-Zeitoun: The army checkpoint remains closed. "
            "Fighters were seen near Khirbet Umm Zaytoun on Monday. Coalition jets struck Hajin.")
    report = Report(make_report_id("", text), "T", "", "", MONDAY, text, "t")
    names = dict(find_unresolved_places(report, ref))
    assert set(names) == {"Moadamiyet al-Zeitoun", "Khirbet Umm Zaytoun"}
    assert names["Khirbet Umm Zaytoun"] == "Fighters were seen near Khirbet Umm Zaytoun on Monday."


def test_a_heading_we_cannot_place_silences_its_paragraph(ref):
    text = "Moadamiyet al-Zeitoun: The army set up two checkpoints in the town on Sunday."
    assert extract(ref, text) == []


def test_literal_alternation_prefers_the_longest_word_like_a_sorted_alternation():
    import re

    from etl.reference import literal_alternation
    words = ["al", "al-Nusra", "al-Nusra Front", "IS", "ISIS", "ISIL", "a.b"]
    trie = re.compile(r"(?<![\w-])(?:" + literal_alternation(words) + r")(?![\w])")
    flat = re.compile(r"(?<![\w-])(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + r")(?![\w])")
    text = "ISIS and ISIL, al-Nusra Front fighters; al-Nusra men, IS, ISx, a.b and axb"
    assert [m.group(0) for m in trie.finditer(text)] == [m.group(0) for m in flat.finditer(text)]
    assert [m.group(0) for m in trie.finditer(text)] == ["ISIS", "ISIL", "al-Nusra Front", "al-Nusra", "IS", "a.b"]
    assert literal_alternation([]) == "(?!)"


def test_lowercase_keeps_offsets():
    from etl.extract import lowercase
    s = "İdlib: IS fighters"
    assert len(lowercase(s)) == len(s) and lowercase(s).endswith("is fighters")


def test_every_trigger_match_passes_its_indicators_cue():
    """The cues only pre-filter: wherever a trigger matches, its indicator's cue must match too,
    or the cue would silently drop observations. Checked over the hard cases and demo reports."""
    import json
    from pathlib import Path

    from etl.extract import lowercase, split_sentences
    from etl.reference import load_reference
    lex = load_reference().lexicon
    root = Path(__file__).resolve().parents[1]
    texts = [json.loads(line)["text"] for line in (root / "tests/cases/hard_cases.jsonl").read_text().splitlines() if line.strip()]
    texts += [p.read_text(encoding="utf-8", errors="replace") for p in sorted((root / "data/reports").rglob("*")) if p.is_file()]
    checked = 0
    for text in texts:
        for sent in split_sentences(text):
            lower = lowercase(sent.text)
            for trig in lex.triggers:
                cue = lex.cues.get(trig.indicator)
                if cue is None or not trig.regex.search(sent.text if trig.case_sensitive else lower):
                    continue
                checked += 1
                assert cue.search(lower), (trig.indicator, trig.change, sent.text)
    assert checked > 300


def test_no_module_level_name_is_bound_twice():
    """A pattern defined again further down a module silently replaces the first for every
    use (it happened twice in etl/extract.py: a rule read another rule's regex)."""
    import ast
    from collections import Counter
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    for path in sorted((root / "etl").glob("*.py")) + [root / "dashboard.py"]:
        names = Counter()
        for node in ast.parse(path.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.Assign):
                names.update(t.id for t in node.targets if isinstance(t, ast.Name))
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names[node.target.id] += 1
            elif isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                names[node.name] += 1
        assert not [n for n, k in names.items() if k > 1], f"{path.name}: bound twice: {[n for n, k in names.items() if k > 1]}"


def test_no_control_characters_in_code_or_reference_data():
    """A stray control character in a pattern (a backspace written for "\\b" in a plain
    string) silently makes it match nothing."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    files = sorted((root / "etl").glob("*.py")) + [root / "dashboard.py"] + sorted((root / "data" / "reference").glob("*.*"))
    for path in files:
        text = path.read_text(encoding="utf-8")
        bad = [hex(ord(c)) for c in set(text) if ord(c) < 32 and c not in "\t\n\r"]
        assert not bad, f"{path.name}: control characters {bad}"
