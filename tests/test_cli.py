"""The command line: exact summary line, exit codes, places lookup CSV."""
from __future__ import annotations

import re

from conftest import run_cli, write_report

SUMMARY = re.compile(r"^refresh ok: (\d+) reports seen, (\d+) new, (\d+) unchanged, (\d+) replaced, "
                     r"(\d+) rejected, (\d+) observations added in \d+\.\ds -> (.+)$")


def test_refresh_prints_one_summary_line_and_exits_0(tmp_path):
    folder = tmp_path / "r"
    write_report(folder, "a.md", "IS fighters set up a checkpoint in Hajin on Saturday.", title="Hajin", date="2015-03-09")
    (folder / "empty.md").write_text("   \n")
    db = tmp_path / "x.duckdb"
    r = run_cli("refresh", "--reports", str(folder), "--db", str(db), "--quiet")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.strip().splitlines()
    assert len(lines) == 1
    m = SUMMARY.match(lines[0])
    assert m, lines[0]
    assert m.groups()[:6] == ("1", "1", "0", "0", "1", "1") and m.group(7) == str(db)
    again = run_cli("refresh", "--reports", str(folder), "--db", str(db), "--quiet")
    assert SUMMARY.match(again.stdout.strip()).groups()[:6] == ("1", "0", "1", "0", "1", "0")


def test_rejections_are_logged_one_line_each_when_not_quiet(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "empty.md").write_text("")
    r = run_cli("refresh", "--reports", str(folder), "--db", str(tmp_path / "x.duckdb"))
    assert r.returncode == 0
    assert f"rejected {folder / 'empty.md'}: empty" in r.stderr


def test_strict_makes_a_rejection_fatal(tmp_path):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "empty.md").write_text("")
    r = run_cli("refresh", "--reports", str(folder), "--db", str(tmp_path / "x.duckdb"), "--quiet", "--strict")
    assert r.returncode == 1
    assert "error: --strict: 1 inputs rejected" in r.stderr


def test_missing_path_is_a_usage_error(tmp_path):
    r = run_cli("refresh", "--reports", str(tmp_path / "nope"), "--db", str(tmp_path / "x.duckdb"))
    assert r.returncode == 2
    assert r.stderr.strip() == f"error: no such file or folder: {tmp_path / 'nope'}"


def test_db_from_environment(tmp_path):
    folder = tmp_path / "r"
    write_report(folder, "a.md", "IS fighters set up a checkpoint in Hajin on Saturday.", title="Hajin", date="2015-03-09")
    db = tmp_path / "env.duckdb"
    r = run_cli("refresh", "--reports", str(folder), "--quiet", env={"PRESENCE_DB": str(db)})
    assert r.returncode == 0 and db.exists()


def test_places_lookup_prints_csv():
    r = run_cli("places", "lookup", "Al-Bokamel", "البوكمال", "Mayadeen", "Nowhereville")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0] == "query,place_id,name,admin1,country,latitude,longitude,precision"
    rows = {line.split(",")[0]: line.split(",") for line in lines[1:]}
    assert rows["Al-Bokamel"][2] == "Abu Kamal" and rows["البوكمال"][2] == "Abu Kamal"
    assert rows["Mayadeen"][2] == "Al-Mayadin" and rows["Mayadeen"][7] == "town"
    assert rows["Nowhereville"][1:] == ["", "", "", "", "", "", ""]
