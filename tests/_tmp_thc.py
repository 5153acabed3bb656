"""Golden hard cases: short hand-written sentences and what an analyst expects from each
(tests/cases/hard_cases.jsonl, one case per line). One test per case.

Each case: {"id", "published", "text", "title", "expect": [...], "forbid": [...], "exact", "note"}.

Matching rules for a partial observation (an `expect` or `forbid` item):
  - every field given must equal the observation's field; a list value means "one of these";
  - `place` compares with `place_name`, or with `admin1` when `"precision": "admin1"` is given
    (any other `precision`, or `"admin1"` without a `place`, compares with `place_precision`);
  - `destination` / `origin` compare with `destination_name` / `origin_name`;
  - dates compare exactly as ISO strings; `null` requires the field to be empty.
  - an `expect` item without `negated` means a non-negated observation (a denial does not
    satisfy an assertion); each `expect` item needs its own observation.
  - a `forbid` item is checked against non-negated observations, unless it names `negated`
    itself (then it is checked against observations with that negation).
  - `exact`: every non-negated observation must be one of the expected ones (no extras, no
    duplicates of one event).
  - an `expect` item may be {"any_of": [item, item, ...]} where the codebook accepts more than
    one reading (a redeployment anchored at either end); any one alternative satisfies it.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from etl.extract import extract_observations
from etl.models import Report, make_report_id
from etl.reference import default_reference

CASES_FILE = Path('/work/redteam/new_cases.jsonl')
FIELD_MAP = {"place": "place_name", "destination": "destination_name", "origin": "origin_name"}
META = {"precision"}


def _load_cases() -> list[dict]:
    cases = []
    with open(CASES_FILE, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            line = line.strip()
            if line:
                case = json.loads(line)
                case.setdefault("title", "")
                case.setdefault("expect", [])
                case.setdefault("forbid", [])
                case.setdefault("exact", False)
                case["_line"] = n
                cases.append(case)
    return cases


CASES = _load_cases()


@pytest.fixture(scope="module")
def ref():
    return default_reference()


def _norm(value):
    if isinstance(value, date):
        return value.isoformat()
    return value


def _field_ok(obs, key: str, want, item: dict) -> bool:
    if key in META:
        if key == "precision" and (want != "admin1" or "place" not in item):
            return _one_of(obs.place_precision, want)
        return True  # (with a place: the place is compared with admin1)
    if key == "place" and item.get("precision") == "admin1":
        got = obs.admin1
    else:
        got = getattr(obs, FIELD_MAP.get(key, key))
    return _one_of(_norm(got), want)


def _one_of(got, want) -> bool:
    if isinstance(want, list):
        return got in want
    return got == want


def matches(obs, item: dict) -> bool:
    return all(_field_ok(obs, k, v, item) for k, v in item.items())


def _expect_matches(obs, item: dict) -> bool:
    if "any_of" in item:
        return any(_expect_matches(obs, alt) for alt in item["any_of"])
    full = item if "negated" in item else {**item, "negated": False}
    return matches(obs, full)


def _assign(expect: list[dict], obs: list) -> dict[int, int]:
    """Maximum matching of expected items to distinct observations (Kuhn's algorithm)."""
    cand = [[j for j, o in enumerate(obs) if _expect_matches(o, e)] for e in expect]
    owner: dict[int, int] = {}  # observation index -> expect index

    def try_assign(i: int, seen: set[int]) -> bool:
        for j in cand[i]:
            if j in seen:
                continue
            seen.add(j)
            if j not in owner or try_assign(owner[j], seen):
                owner[j] = i
                return True
        return False

    for i in range(len(expect)):
        try_assign(i, set())
    return {i: j for j, i in owner.items()}


def _show(o) -> str:
    parts = [f"{o.indicator}/{o.change}", f"actor={o.actor}"]
    if o.counterpart:
        parts.append(f"counterpart={o.counterpart}")
    if o.manner:
        parts.append(f"manner={o.manner}")
    parts.append(f"place={o.place_name} ({o.place_precision}, admin1={o.admin1})")
    if o.origin_name or o.destination_name:
        parts.append(f"origin={o.origin_name} destination={o.destination_name}")
    parts.append(f"dates={_norm(o.date_start)}..{_norm(o.date_end)} ({o.date_precision})")
    if o.quantity_low is not None or o.quantity_high is not None:
        parts.append(f"qty={o.quantity_low}..{o.quantity_high} {o.unit}")
    if o.negated:
        parts.append("NEGATED")
    if o.hedged:
        parts.append("hedged")
    parts.append(f"trigger={o.trigger!r}")
    return "  " + " ".join(parts)


def run_case(case: dict, ref) -> list:
    published = date.fromisoformat(case["published"])
    title, text = case["title"], case["text"]
    report = Report(make_report_id(title, text), "Test", "", title, published, text, "case")
    return extract_observations(report, ref)


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_hard_case(case, ref):
    obs = run_case(case, ref)
    problems = []
    ids = [o.observation_id for o in obs]
    if len(ids) != len(set(ids)):
        problems.append("two observations share an id (the database's primary key): the load would fail")

    assigned = _assign(case["expect"], obs)
    for i, item in enumerate(case["expect"]):
        if i not in assigned:
            problems.append(f"missing expected: {json.dumps(item)}")

    for item in case["forbid"]:
        pool = obs if "negated" in item else [o for o in obs if not o.negated]
        for o in pool:
            if matches(o, item):
                problems.append(f"forbidden {json.dumps(item)} matched:\n{_show(o)}")

    if case["exact"]:
        used = set(assigned.values())
        for j, o in enumerate(obs):
            if not o.negated and j not in used:
                problems.append(f"unexpected (exact case):\n{_show(o)}")

    if problems:
        produced = "\n".join(_show(o) for o in obs) or "  (nothing)"
        pytest.fail(
            f"[{case['id']}] {case['text']!r} (published {case['published']})\n"
            f"note: {case.get('note', '')}\n"
            + "\n".join(problems)
            + f"\nproduced:\n{produced}",
            pytrace=False,
        )


def test_cases_file_is_well_formed():
    ids = [c["id"] for c in CASES]
    assert len(ids) == len(set(ids)), "duplicate case ids"
    assert len(CASES) >= 170
    from etl.models import CHANGES

    for c in CASES:
        date.fromisoformat(c["published"])
        items = [alt for item in c["expect"] for alt in item.get("any_of", [item])]
        for item in items:
            assert item["indicator"] in CHANGES, c["id"]
            changes = item["change"] if isinstance(item["change"], list) else [item["change"]]
            assert all(ch in CHANGES[item["indicator"]] for ch in changes), c["id"]
