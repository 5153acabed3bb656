"""The refresh through its public entry points: idempotent, incremental, bad input recorded,
crash-safe publication, one writer at a time."""
from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT, run_cli, write_report
from etl import load, refresh as refresh_mod
from etl.refresh import refresh

CONTENT_TABLES = {
    "reports": "report_id, source, url, title, published, path, source_key, reader, sha256, text, ingested_at, extractor_version, n_observations",
    "observations": "*",
    "events": "*",
    "event_observations": "*",
    "places": "*",
    "place_aliases": "*",
}

GOOD = ("Islamic State fighters set up three new checkpoints in Al-Mayadin on Saturday, "
        "residents said. Coalition warplanes struck Abu Kamal on Sunday.")


def snapshot(db: Path) -> dict[str, list]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"select {cols} from {t}").fetchall())) for t, cols in CONTENT_TABLES.items()}
    finally:
        con.close()


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "reports"
    write_report(folder, "a.md", GOOD, title="Checkpoints in Mayadin", date="2015-03-09")
    write_report(folder, "b.md", "Unknown gunmen killed two IS members in Hajin on Monday.", title="Hajin killing", date="2015-03-10")
    return folder


def test_refresh_twice_changes_nothing(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    first = refresh([corpus], db, progress=False)
    before = snapshot(db)
    second = refresh([corpus], db, progress=False)
    assert snapshot(db) == before
    assert (first.reports_new, second.reports_new, second.reports_unchanged) == (2, 0, 2)
    assert second.observations_added == 0
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from refresh_runs where status = 'ok'").fetchone()[0] == 2
    con.close()


def test_unchanged_report_is_not_extracted_again(corpus, tmp_path, monkeypatch):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    calls = []
    real = refresh_mod.extract_observations
    monkeypatch.setattr(refresh_mod, "extract_observations", lambda r, ref: calls.append(r.path) or real(r, ref))
    write_report(corpus, "c.md", "Daesh patrols increased in Hit this week.", title="Hit patrols", date="2015-04-01")
    summary = refresh([corpus], db, progress=False)
    assert calls == [str(corpus / "c.md")]
    assert (summary.reports_new, summary.reports_unchanged) == (1, 2)


def test_changed_report_replaces_its_old_observations(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    write_report(corpus, "a.md", "Islamic State dismantled its checkpoints in Al-Mayadin on Saturday.",
                 title="Checkpoints in Mayadin", date="2015-03-09")
    summary = refresh([corpus], db, progress=False)
    assert summary.reports_replaced == 1
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select o.change from observations o join reports r using (report_id) "
                       "where r.path like '%a.md' and o.indicator = 'checkpoint'").fetchall()
    n_reports = con.execute("select count(*) from reports").fetchone()[0]
    con.close()
    assert rows == [("removed",)]
    assert n_reports == 2


def test_bad_inputs_are_rejected_with_reasons_and_good_ones_load(corpus, tmp_path):
    (corpus / "empty.txt").write_text("")
    (corpus / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (corpus / "latin1.txt").write_bytes("Report of 2015-01-19: caf\xe9 checkpoints".encode("latin-1"))
    (corpus / "undated.txt").write_text("Fighters were seen near the river. Nothing else is known.\n")
    db = tmp_path / "p.duckdb"
    result = run_cli("refresh", "--reports", str(corpus), "--db", str(db), "--quiet")
    assert result.returncode == 0, result.stderr
    assert "2 new" in result.stdout and "4 rejected" in result.stdout
    con = duckdb.connect(str(db), read_only=True)
    reasons = dict(con.execute("select regexp_extract(path, '[^/]+$'), reason from rejected_inputs").fetchall())
    n_reports = con.execute("select count(*) from reports").fetchone()[0]
    con.close()
    assert reasons == {"empty.txt": "empty", "binary.txt": "binary", "latin1.txt": "invalid encoding",
                       "undated.txt": "no report date"}
    assert n_reports == 2


def test_a_failed_refresh_keeps_the_last_good_database(corpus, tmp_path, monkeypatch):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    before = snapshot(db)
    write_report(corpus, "c.md", "Daesh patrols increased in Hit this week.", title="Hit patrols", date="2015-04-01")

    def boom(*a, **k):
        raise RuntimeError("disk on fire")
    monkeypatch.setattr(load, "insert_batch", boom)
    with pytest.raises(RuntimeError):
        refresh([corpus], db, progress=False)
    assert snapshot(db) == before
    assert not list(tmp_path.glob("p.duckdb.tmp-*"))


def test_leftover_temporary_file_of_a_killed_run_is_removed(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    leftover = tmp_path / "p.duckdb.tmp-99999"
    leftover.write_bytes(b"half a database")
    refresh([corpus], db, progress=False)
    assert not leftover.exists()


def test_second_writer_exits_75_and_changes_nothing(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    before = snapshot(db)
    with load.writer_lock(db):
        result = run_cli("refresh", "--reports", str(corpus), "--db", str(db), "--quiet")
    assert result.returncode == 75
    assert result.stderr.startswith("error: another refresh is writing")
    assert snapshot(db) == before


def test_demo_reports_load(tmp_path):
    db = tmp_path / "demo.duckdb"
    summary = refresh([PROJECT / "data" / "reports"], db, progress=False)
    assert summary.reports_seen >= 60 and summary.reports_failed == 0
    con = duckdb.connect(str(db), read_only=True)
    towns = con.execute("select count(distinct place_id) from observations where place_precision = 'town' "
                        "and admin1 in ('Deir ez-Zor', 'Anbar')").fetchone()[0]
    years = {r[0] for r in con.execute("select distinct year(date_start) from observations").fetchall()}
    con.close()
    assert towns >= 8
    assert {2014, 2015, 2016} <= years
