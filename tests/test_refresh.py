"""The refresh through its public entry points: idempotent, incremental, bad input recorded,
crash-safe publication, one writer at a time."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
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


# ---- tombstones, prune, moves -------------------------------------------------------------
def report_states(db: Path) -> dict[str, bool]:
    """file name -> removed (tombstoned)."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("select regexp_extract(path, '[^/]+$'), removed_at is not null from reports").fetchall())
    finally:
        con.close()


def test_a_report_gone_from_its_folder_is_tombstoned_then_restored(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    con = duckdb.connect(str(db), read_only=True)
    n_obs_before = con.execute("select count(*) from observations o join reports r using (report_id) "
                               "where r.path like '%b.md'").fetchone()[0]
    con.close()
    b = (corpus / "b.md").read_text()
    (corpus / "b.md").unlink()
    gone = refresh([corpus], db, progress=False)
    assert gone.reports_removed == 1
    assert report_states(db) == {"a.md": False, "b.md": True}
    con = duckdb.connect(str(db), read_only=True)
    n_obs = con.execute("select count(*) from observations o join reports r using (report_id) "
                        "where r.path like '%b.md'").fetchone()[0]
    assert con.execute("select reports_removed from refresh_runs order by started_at desc limit 1").fetchone() == (1,)
    con.close()
    assert n_obs == n_obs_before  # kept, with its observations
    again = refresh([corpus], db, progress=False)
    assert again.reports_removed == 0  # already marked
    (corpus / "b.md").write_text(b)
    back = refresh([corpus], db, progress=False)
    assert (back.reports_restored, back.reports_new) == (1, 0)
    assert report_states(db) == {"a.md": False, "b.md": False}


def test_only_sources_read_in_this_run_tombstone(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    other = tmp_path / "other"
    write_report(other, "c.md", "Daesh patrols increased in Hit this week.", title="Hit patrols", date="2015-04-01")
    summary = refresh([other], db, progress=False)  # the corpus folder is not read: nothing is gone
    assert summary.reports_removed == 0
    assert report_states(db) == {"a.md": False, "b.md": False, "c.md": False}
    (corpus / "a.md").write_bytes(b"\x00\x01binary now")  # rejected as a whole: not "gone"
    summary = refresh([corpus], db, progress=False)
    assert (summary.reports_removed, summary.reports_failed) == (0, 1)
    assert report_states(db)["a.md"] is False


def test_prune_deletes_gone_reports_with_their_observations(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    (corpus / "b.md").unlink()
    refresh([corpus], db, progress=False)
    r = run_cli("refresh", "--reports", str(corpus), "--db", str(db), "--quiet", "--prune")
    assert r.returncode == 0, r.stderr
    assert report_states(db) == {"a.md": False}
    con = duckdb.connect(str(db), read_only=True)
    orphans = con.execute("select count(*) from observations where report_id not in (select report_id from reports)").fetchone()[0]
    pruned = con.execute("select reports_pruned from refresh_runs order by started_at desc limit 1").fetchone()[0]
    con.close()
    assert (orphans, pruned) == (0, 1)


def test_a_renamed_file_is_followed_not_tombstoned(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    (corpus / "b.md").rename(corpus / "b-renamed.md")
    summary = refresh([corpus], db, progress=False)
    assert (summary.reports_new, summary.reports_removed, summary.reports_unchanged) == (0, 0, 2)
    assert report_states(db) == {"a.md": False, "b-renamed.md": False}


# ---- re-extraction ------------------------------------------------------------------------
def test_a_new_extractor_version_reextracts_stored_reports_from_their_text(corpus, tmp_path, monkeypatch):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    other = tmp_path / "other"
    write_report(other, "c.md", "Daesh patrols increased in Hit this week.", title="Hit patrols", date="2015-04-01")
    shutil.rmtree(corpus)  # the stored reports' files are not even there: their text is in the database
    monkeypatch.setattr(refresh_mod, "EXTRACTOR_VERSION", "presence-rules-next")
    summary = refresh([other], db, progress=False)
    assert (summary.reports_new, summary.reports_reextracted) == (1, 2)
    con = duckdb.connect(str(db), read_only=True)
    versions = con.execute("select distinct extractor_version from reports").fetchall()
    obs_versions = con.execute("select distinct extractor_version from observations").fetchall()
    con.close()
    assert versions == obs_versions == [("presence-rules-next",)]
    again = refresh([other], db, progress=False)
    assert again.reports_reextracted == 0


def test_reextract_extracts_everything_again_and_changes_no_content(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    before = snapshot(db)
    r = run_cli("refresh", "--reports", str(corpus), "--db", str(db), "--quiet", "--reextract")
    assert r.returncode == 0, r.stderr
    assert snapshot(db) == before  # the same extractor: the same observations, ingested_at kept
    event = [json.loads(line) for line in r.stderr.splitlines() if line.startswith('{"event": "refresh"')][0]
    assert event["reports_reextracted"] == 2


# ---- the record of a failed run -----------------------------------------------------------
def test_a_failed_run_is_recorded_in_the_last_good_database(corpus, tmp_path, monkeypatch):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    monkeypatch.setattr(load, "insert_batch", lambda *a: (_ for _ in ()).throw(OSError("disk full")))
    events = []
    with pytest.raises(OSError):
        refresh([corpus], db, progress=False, log_event=events.append, reextract=True)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select status, error, duration_seconds is not null from refresh_runs order by started_at").fetchall()
    con.close()
    assert rows == [("ok", None, True), ("failed", "OSError: disk full", True)]
    assert events[-1]["event"] == "refresh" and events[-1]["status"] == "failed" and events[-1]["recorded"] is True
    assert not load.wal_path(db).exists()


def test_a_stale_wal_beside_the_live_database_is_folded_in_first(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    # a writer of a failed-run row killed before its checkpoint leaves a WAL beside the file
    killed_writer = (
        "import duckdb, os, sys\n"
        "con = duckdb.connect(sys.argv[1])\n"
        "con.execute(\"SET checkpoint_threshold = '1TB'\")\n"
        "con.execute(\"insert into refresh_runs (run_id, started_at, status, reports_seen, reports_new, "
        "reports_unchanged, reports_replaced, reports_failed, observations_added, extractor_version) "
        "values ('killed-writer', now(), 'failed', 0, 0, 0, 0, 0, 0, 'x')\")\n"
        "os.kill(os.getpid(), 9)\n")
    subprocess.run([sys.executable, "-c", killed_writer, str(db)], check=False)
    wal = load.wal_path(db)
    assert wal.exists()
    refresh([corpus], db, progress=False)
    assert not wal.exists()
    con = duckdb.connect(str(db), read_only=True)
    ids = [r[0] for r in con.execute("select run_id from refresh_runs order by started_at").fetchall()]
    con.close()
    assert ids[1] == "killed-writer" and len(ids) == 3


def test_a_run_asked_to_stop_publishes_nothing_and_says_so(corpus, tmp_path):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    before = snapshot(db)
    write_report(corpus, "c.md", "Daesh patrols increased in Hit this week.", title="Hit patrols", date="2015-04-01")
    asked = []
    with pytest.raises(refresh_mod.RefreshStopped, match="stopped by the test before publishing"):
        refresh([corpus], db, progress=False, should_stop=lambda: asked.append(1) or (len(asked) > 2 and "stopped by the test"))
    assert snapshot(db) == before
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select status, error from refresh_runs order by started_at").fetchall()
    con.close()
    assert rows == [("ok", None), ("failed", "stopped by the test before publishing")]


def test_unresolved_place_names_are_recorded_and_counted(tmp_path):
    folder = tmp_path / "r"
    write_report(folder, "a.md", "Islamic State fighters set up two checkpoints near Khirbet Umm Zaytoun on Saturday.",
                 title="Checkpoints", date="2015-03-09")
    db = tmp_path / "p.duckdb"
    summary = refresh([folder], db, progress=False)
    assert summary.unresolved_names == 1
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select name, sentence from unresolved_places").fetchall()
    runs = con.execute("select unresolved_names from refresh_runs").fetchall()
    con.close()
    assert rows == [("Khirbet Umm Zaytoun", "Islamic State fighters set up two checkpoints near Khirbet Umm Zaytoun on Saturday.")]
    assert runs == [(1,)]


def test_extracting_in_chunks_gives_the_same_database(tmp_path, monkeypatch):
    folder = tmp_path / "r"
    towns = ["Hajin", "Al-Mayadin", "Abu Kamal", "Hit", "Rawa", "Anah", "Al-Qaim"]
    for i, town in enumerate(towns):
        write_report(folder, f"{i}.md", f"IS fighters set up {i + 2} checkpoints in {town} on Saturday.",
                     title=f"Checkpoints {i}", date=f"2015-03-{i + 9:02d}")
    one = tmp_path / "one.duckdb"
    refresh([folder], one, progress=False)
    monkeypatch.setattr(refresh_mod, "CHUNK", 3)
    monkeypatch.setattr(refresh_mod, "PARALLEL_FROM", 2)  # the chunks go through the worker pool
    chunked = tmp_path / "chunked.duckdb"
    refresh([folder], chunked, progress=False)
    strip = lambda snap: {t: [r.replace(str(chunked), "").replace(str(one), "") for r in rows] for t, rows in snap.items()}
    a, b = snapshot(one), snapshot(chunked)
    a.pop("reports"), b.pop("reports")  # ingested_at differs between the two runs
    assert strip(a) == strip(b)
