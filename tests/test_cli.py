"""The command line: exact summary line, exit codes, places lookup CSV."""
from __future__ import annotations

import json
import os
import re

from conftest import PROJECT, run_cli, write_report

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


def json_lines(stderr: str) -> list[dict]:
    return [json.loads(line) for line in stderr.splitlines() if line.startswith("{")]


def test_structured_log_one_json_line_per_rejected_input_and_per_run(tmp_path):
    folder = tmp_path / "r"
    write_report(folder, "a.md", "IS fighters set up a checkpoint in Hajin on Saturday.", title="Hajin", date="2015-03-09")
    (folder / "empty.md").write_text("")
    (folder / "undated.txt").write_text("Fighters were seen near the river.\n")
    db = tmp_path / "x.duckdb"
    r = run_cli("refresh", "--reports", str(folder), "--db", str(db), "--quiet")
    assert r.returncode == 0, r.stderr
    events = json_lines(r.stderr)
    assert len(events) == len(r.stderr.splitlines()) == 3  # --quiet: only the JSON lines
    rejected, run = events[:2], events[2]
    assert [(e["event"], e["path"], e["record"], e["reason"]) for e in rejected] == [
        ("rejected", str(folder / "empty.md"), "", "empty"),
        ("rejected", str(folder / "undated.txt"), "", "no report date")]
    assert run["event"] == "refresh" and run["status"] == "ok" and run["db"] == str(db)
    assert (run["reports_seen"], run["reports_new"], run["reports_failed"], run["observations_added"]) == (1, 1, 2, 1)
    assert rejected[0]["run_id"] == run["run_id"] and run["duration_seconds"] >= 0 and run["error"] is None


def test_locked_refresh_logs_a_json_line_after_the_message(tmp_path):
    from etl import load

    db = tmp_path / "x.duckdb"
    with load.writer_lock(db):
        r = run_cli("refresh", "--reports", str(tmp_path), "--db", str(db), "--quiet")
    assert r.returncode == 75
    first, second = r.stderr.splitlines()
    assert first.startswith(f"error: another refresh is writing {db} (pid {os.getpid()}, lock {db}.lock)")
    assert json.loads(second) == {"event": "refresh", "status": "locked", "db": str(db), "error": first[len("error: "):]}


def test_bad_csv_columns_is_a_usage_error(tmp_path):
    r = run_cli("refresh", "--reports", str(tmp_path), "--db", str(tmp_path / "x.duckdb"), "--csv-columns", "body")
    assert r.returncode == 2
    assert r.stderr.strip() == "error: --csv-columns: csv columns want FIELD=COLUMN pairs, got 'body'"


def test_config_file_is_one_command_and_the_command_line_wins(tmp_path):
    folder = tmp_path / "inbox"
    write_report(folder, "a.md", "IS fighters set up a checkpoint in Hajin on Saturday.", title="Hajin", date="2015-03-09")
    (tmp_path / "etl.toml").write_text('db = "from-config.duckdb"\n[[sources]]\npath = "inbox"\n')
    r = run_cli("refresh", "--config", str(tmp_path / "etl.toml"), "--quiet", env={"PRESENCE_DB": str(tmp_path / "env.duckdb")})
    assert r.returncode == 0, r.stderr
    assert SUMMARY.match(r.stdout.strip()).group(7) == str(tmp_path / "from-config.duckdb")
    r = run_cli("refresh", "--config", str(tmp_path / "etl.toml"), "--db", str(tmp_path / "cli.duckdb"), "--quiet")
    assert SUMMARY.match(r.stdout.strip()).group(7) == str(tmp_path / "cli.duckdb")


def test_every_option_is_documented_in_the_readme():
    from etl.__main__ import build_parser

    readme = (PROJECT / "README.md").read_text()
    refresh_parser = build_parser()._subparsers._group_actions[0].choices["refresh"]
    options = [o for a in refresh_parser._actions for o in a.option_strings if o.startswith("--") and o != "--help"]
    assert [o for o in options if f"`{o}" not in readme] == []
