"""`python -m etl evaluate` agrees with the scorers the extraction is judged by
(../shared/tools), and holds the quality measured when this was written."""
from __future__ import annotations

import re
import subprocess
import sys

from conftest import DEV_GOLD, FAKES_DEV, PROJECT, SCORER, need, run_cli


def _overall(text: str) -> tuple[float, float, float]:
    m = re.search(r"overall\s+F1 ([\d.]+) \(P ([\d.]+), R ([\d.]+)", text)
    if m:
        return float(m.group(2)), float(m.group(3)), float(m.group(1))
    m = re.search(r"^overall\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", text, re.MULTILINE)
    return float(m.group(1)), float(m.group(2)), float(m.group(3))


def test_evaluate_agrees_with_the_shared_scorer_on_the_dev_gold():
    need(DEV_GOLD)
    need(SCORER)
    ours = run_cli("evaluate", str(DEV_GOLD))
    assert ours.returncode == 0, ours.stderr
    theirs = subprocess.run([sys.executable, str(SCORER), str(DEV_GOLD)], capture_output=True, text=True,
                            cwd=PROJECT, timeout=600)
    assert theirs.returncode == 0, theirs.stdout + theirs.stderr
    p1, r1, f1 = _overall(ours.stdout)
    p2, r2, f2 = _overall(theirs.stdout)
    assert (round(p1, 2), round(r1, 2), round(f1, 2)) == (round(p2, 2), round(r2, 2), round(f2, 2))
    # Per indicator too: the same table.
    for indicator in ("checkpoint", "patrol", "killing", "troop_movement", "airstrike", "control_change"):
        a = re.search(rf"^{indicator}\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)", ours.stdout, re.MULTILINE)
        b = re.search(rf"^{indicator}\s+P=([\d.]+) R=([\d.]+) F1=([\d.]+)", theirs.stdout, re.MULTILINE)
        assert a.groups() == b.groups(), indicator
    # A floor under the quality measured when this test was written (overall F1 0.90).
    assert f1 >= 0.87


def test_evaluate_fakes_agrees_with_the_shared_scorer():
    need(FAKES_DEV)
    scorer = need(SCORER.with_name("fakes_score.py"))
    ours = run_cli("evaluate", "--fakes", str(FAKES_DEV), "--split", "all", "--limit", "60")
    theirs = subprocess.run([sys.executable, str(scorer), str(FAKES_DEV), "--split", "all", "--limit", "60"],
                            capture_output=True, text=True, cwd=PROJECT, timeout=600)
    assert ours.returncode == 0 and theirs.returncode == 0, ours.stderr + theirs.stdout
    assert ours.stdout.strip() == theirs.stdout.strip()


def test_evaluate_fakes_show_errors_lists_each_miss_under_the_same_summary():
    need(FAKES_DEV)
    plain = run_cli("evaluate", "--fakes", str(FAKES_DEV), "--limit", "30")
    listed = run_cli("evaluate", "--fakes", str(FAKES_DEV), "--limit", "30", "--show-errors")
    assert plain.returncode == 0 and listed.returncode == 0, plain.stderr + listed.stderr
    summary, blank, *errors = listed.stdout.splitlines()
    assert summary == plain.stdout.strip() and blank == ""
    # Every article whose largest count is not the total is listed, with the sentence it came from.
    exact = float(re.search(r"count exact ([\d.]+)", summary).group(1))
    count_lines = [e for e in errors if re.match(r"\d+  count: gold ", e)]
    assert len(count_lines) == round(30 * (1 - exact)) - sum("no killing found" in e for e in errors)
    assert all(re.match(r"\d+  (?:no killing found|governorate: gold |count: gold )", e) for e in errors)


def test_evaluate_leaves_no_temporary_database_behind(tmp_path, monkeypatch):
    # Each run refreshes into a throwaway database; thousands of runs once filled /tmp.
    import tempfile

    from etl.evaluate import evaluate_gold

    gold = tmp_path / "gold.jsonl"
    gold.write_text('{"id": "g1", "published": "2015-01-19", "title": "", "text": "IS set up a checkpoint in Mayadin '
                    'on Saturday.", "expected": [{"indicator": "checkpoint", "change": "established", '
                    '"actor": "islamic_state", "place": ["Mayadin", "Al-Mayadin"]}]}\n', encoding="utf-8")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    report = evaluate_gold(gold)
    assert re.search(r"^checkpoint\s+1\.00", report, re.MULTILINE), report
    assert list(scratch.iterdir()) == []
