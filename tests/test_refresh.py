"""The refresh through its public entry points: idempotent, incremental, bad input recorded,
crash-safe publication, one writer at a time."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings, strategies as st

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
    for i, town in enumerate(towns):  # the same happenings again: clusters to merge
        write_report(folder, f"again-{i}.md", f"IS fighters set up {i + 3} checkpoints in {town} on Saturday.",
                     title=f"Checkpoints again {i}", date=f"2015-03-{i + 9:02d}", source="Other Wire")
    one = tmp_path / "one.duckdb"
    refresh([folder], one, progress=False)
    monkeypatch.setattr(refresh_mod, "CHUNK", 3)
    monkeypatch.setattr(refresh_mod, "FILE_CHUNK", 3)
    monkeypatch.setattr(refresh_mod, "PARALLEL_FROM", 2)  # the chunks go through the worker pool
    monkeypatch.setattr(load, "BUILD_CHUNK_ROWS", 2)  # and events are merged there, in chunks
    chunked = tmp_path / "chunked.duckdb"
    refresh([folder], chunked, progress=False)
    strip = lambda snap: {t: [r.replace(str(chunked), "").replace(str(one), "") for r in rows] for t, rows in snap.items()}
    a, b = snapshot(one), snapshot(chunked)
    a.pop("reports"), b.pop("reports")  # ingested_at differs between the two runs
    assert strip(a) == strip(b)


# ---- files not read again: size, mtime and ctime per file ----------------------------------
@pytest.fixture
def count_reads(monkeypatch):
    """The files the refresh reads, in the order it reads them (serial reading: small runs)."""
    reads = []
    real = refresh_mod.read_file
    monkeypatch.setattr(refresh_mod, "read_file", lambda path, *a: reads.append(Path(path).name) or real(path, *a))
    monkeypatch.setattr(refresh_mod, "RACY_SECONDS", 0)  # files written by the test count as settled
    return reads


def stamps(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return dict(con.execute("select regexp_extract(path, '[^/]+$'), count(*) from source_files group by 1").fetchall())
    finally:
        con.close()


def test_an_unchanged_file_is_not_read_again_a_changed_one_is(corpus, tmp_path, count_reads):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    assert count_reads == ["a.md", "b.md"] and stamps(db) == {"a.md": 1, "b.md": 1}
    count_reads.clear()
    again = refresh([corpus], db, progress=False)
    assert count_reads == []
    assert (again.reports_seen, again.reports_unchanged, again.files_skipped) == (2, 2, 2)
    text = (corpus / "a.md").read_text()
    (corpus / "a.md").write_text(text.replace("three", "seven"))  # same size, new content
    changed = refresh([corpus], db, progress=False)
    assert count_reads == ["a.md"] and changed.reports_replaced == 1
    assert report_states(db) == {"a.md": False, "b.md": False}


def test_a_folder_named_relatively_then_absolutely_is_not_read_again(corpus, tmp_path, count_reads, monkeypatch):
    # The stamps are kept under absolute paths: naming the folder from another directory or
    # by its absolute path finds them (a 100k corpus would otherwise be read whole again).
    db = tmp_path / "p.duckdb"
    monkeypatch.chdir(corpus.parent)
    refresh([corpus.name], db, progress=False)
    assert count_reads == ["a.md", "b.md"]
    count_reads.clear()
    again = refresh([str(corpus.resolve())], db, progress=False)
    assert count_reads == [] and (again.reports_unchanged, again.files_skipped) == (2, 2)


def test_a_file_changed_just_before_the_run_is_read_again_next_time(corpus, tmp_path, count_reads, monkeypatch):
    monkeypatch.setattr(refresh_mod, "RACY_SECONDS", 3600)  # as if everything was written a moment ago
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    assert stamps(db) == {}
    refresh([corpus], db, progress=False)
    assert count_reads == ["a.md", "b.md", "a.md", "b.md"]


def test_skipped_files_still_tombstone_prune_and_follow_moves(corpus, tmp_path, count_reads):
    db = tmp_path / "p.duckdb"
    shutil.copy(corpus / "b.md", corpus / "b-copy.md")  # one report at two files
    first = refresh([corpus], db, progress=False)
    assert (first.reports_new, first.reports_unchanged) == (2, 1)
    (corpus / "b.md").unlink()  # the copy is still there, unread: the report moves to it
    count_reads.clear()
    moved = refresh([corpus], db, progress=False)
    assert count_reads == [] and moved.reports_removed == 0
    assert report_states(db) == {"a.md": False, "b-copy.md": False}
    (corpus / "a.md").unlink()
    gone = refresh([corpus], db, progress=False)
    assert gone.reports_removed == 1 and report_states(db) == {"a.md": True, "b-copy.md": False}
    assert stamps(db) == {"b-copy.md": 1}
    pruned = refresh([corpus], db, progress=False, prune=True)
    assert pruned.reports_pruned == 1 and report_states(db) == {"b-copy.md": False}
    assert count_reads == []


def test_reextract_and_a_new_reader_version_read_every_file(corpus, tmp_path, count_reads, monkeypatch):
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    count_reads.clear()
    refresh([corpus], db, progress=False, reextract=True)
    assert sorted(count_reads) == ["a.md", "b.md"] and stamps(db) == {"a.md": 1, "b.md": 1}
    count_reads.clear()
    monkeypatch.setattr(refresh_mod, "READER_VERSION", "next")
    refresh([corpus], db, progress=False)
    assert sorted(count_reads) == ["a.md", "b.md"]


def test_a_file_with_a_rejected_record_is_read_and_rejected_every_run(tmp_path, count_reads):
    folder = tmp_path / "r"
    folder.mkdir()
    (folder / "export.csv").write_text("id,title,date,text\n1,One,2015-03-09,IS fighters set up checkpoints in Hit.\n"
                                       "2,Two,,Fighters were seen near the river.\n", encoding="utf-8")
    write_report(folder, "a.md", GOOD, title="Checkpoints in Mayadin", date="2015-03-09")
    db = tmp_path / "p.duckdb"
    for _ in range(2):
        summary = refresh([folder], db, progress=False)
        assert (summary.reports_failed, summary.rejected[0].reason) == (1, "no report date")
    assert count_reads == ["a.md", "export.csv", "export.csv"]
    assert stamps(db) == {"a.md": 1}


# ---- events: rebuilt where a run touched, the same as merging everything from scratch ------
@pytest.mark.parametrize("full_rebuild_share", [2.0, load.FULL_REBUILD_SHARE])
def test_incremental_events_are_the_events_of_a_cold_refresh(tmp_path, monkeypatch, full_rebuild_share):
    """Reports arrive, change and go in random order over a few weeks and towns (counts that
    agree and disagree, checkpoints up and down); after each run, the events and their links
    are exactly those of merging every observation at once, and of one cold refresh of the
    same files. With a share of 2, every run after the first rebuilds touched segments only."""
    import random

    monkeypatch.setattr(load, "FULL_REBUILD_SHARE", full_rebuild_share)

    rng = random.Random(8)
    towns = ["Hajin", "Al-Mayadin", "Abu Kamal"]
    verbs = ["set up {n} new checkpoints in {town}", "removed {n} checkpoints in {town}",
             "killed {n} civilians in {town}"]
    folder, db = tmp_path / "r", tmp_path / "p.duckdb"

    def write(i: int) -> None:
        day = 1 + rng.randrange(24)
        verb = rng.choice(verbs).format(n=rng.choice([2, 3, 4, 12]), town=rng.choice(towns))
        write_report(folder, f"{i:03d}.md", f"Islamic State fighters {verb} on 2015-03-{day:02d}, residents said.",
                     title=f"Report {i}", date=f"2015-03-{day + 2:02d}", source=rng.choice(["Wire A", "Monitor B"]))

    def events(path: Path) -> dict:
        con = duckdb.connect(str(path), read_only=True)
        try:
            return {t: sorted(con.execute(f"select * from {t}").fetchall()) for t in ("events", "event_observations")}
        finally:
            con.close()

    def from_scratch(path: Path) -> dict:
        """The events of the same observations, merged all at once."""
        copy = tmp_path / "scratch.duckdb"
        shutil.copyfile(path, copy)
        con = duckdb.connect(str(copy))
        con.execute("begin")  # as in a refresh
        con.execute("delete from events")
        con.execute("delete from event_observations")
        load._ensure_touched(con)
        con.execute("insert into touched_reports select report_id from reports")
        load.rebuild_events(con)
        con.execute("commit")
        con.close()
        found = events(copy)
        copy.unlink()
        return found

    for i in range(12):
        write(i)
    names = list(range(12))
    for step in range(8):
        prune = step % 3 == 2
        refresh([folder], db, progress=False, prune=prune)
        assert events(db) == from_scratch(db), f"step {step}"
        if prune:  # nothing tombstoned left: the same as a cold refresh of the files
            cold = tmp_path / f"cold{step}.duckdb"
            refresh([folder], cold, progress=False)
            assert events(db) == events(cold), f"step {step}"
        for _ in range(3):  # add, change, remove
            names.append(max(names) + 1)
            write(names[-1])
        write(rng.choice(names))
        gone = rng.choice(names)
        (folder / f"{gone:03d}.md").unlink(missing_ok=True)
        names.remove(gone)
    con = duckdb.connect(str(db), read_only=True)
    merged, contested = con.execute("select count(*) filter (n_observations > 1), "
                                    "count(*) filter (corroboration = 'contested') from events").fetchone()
    con.close()
    assert merged and contested  # the cases that make merging incremental hard were there


# ---- rows travel to the writer as CSV: every value reads back exactly --------------------------
texts = st.text(alphabet=st.characters(codec="utf-8"), max_size=40)


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(texts, st.one_of(st.none(), texts), st.one_of(st.none(), st.integers(-2**31, 2**31 - 1)),
                          st.one_of(st.none(), st.floats(allow_nan=False)), st.booleans(),
                          st.one_of(st.none(), st.dates())), min_size=1, max_size=4))
def test_rows_reach_the_database_exactly_as_extracted(tmp_path_factory, values):
    from datetime import datetime

    from etl.models import OBSERVATION_COLUMNS

    folder = tmp_path_factory.mktemp("rows")
    con = duckdb.connect(str(folder / "x.duckdb"))
    load.ensure_schema(con)
    batch, expected_obs = load.RowBatch(), []
    for i, (text, title, q, lat, hedged, day) in enumerate(values):
        rid = f"r{i}"
        report = (rid, "src", "", title, day or datetime(2015, 1, 1).date(), "p", "k", "text", "h", text or "-", "v", 1)
        obs = {c: None for c in OBSERVATION_COLUMNS}
        obs.update(observation_id=f"o{i}", report_id=rid, indicator="killing", change="killed", actor=title or "",
                   latitude=lat, date_start=day, quantity_low=q, hedged=hedged, negated=not hedged, sentence=text,
                   span_start=0, span_end=1, trigger=text, trigger_start=0, trigger_end=1, confidence=0.5,
                   extractor_version="v")
        expected_obs.append(tuple(obs.values()))
        batch.add(load.encode_rows(report, [tuple(obs.values())], [(rid, text, title or "")]))
    when = datetime(2026, 1, 2, 3, 4, 5, 678901)
    load.insert_batch(con, batch, when)
    got = con.execute(f"select {', '.join(OBSERVATION_COLUMNS)} from observations order by observation_id").fetchall()
    reports = con.execute(f"select {', '.join(load.REPORT_COLUMNS)} from reports order by report_id").fetchall()
    con.close()
    assert got == sorted(expected_obs)
    assert [(r[3], r[9], r[10], r[13]) for r in reports] == [(t, x or "-", when, None) for x, t, *_ in values]
    assert [p.name for p in folder.iterdir()] == ["x.duckdb"]


def test_file_listing_reaches_the_database_exactly(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    con = duckdb.connect(str(folder / "x.duckdb"))
    load.start_run_tables(con)
    files = [(i, 1, name, 10 + i, 2**62 + i, 2**62 - i, rw) for i, (name, rw) in enumerate(
        [("/a/b.md", '["1", null, null]'), ('/a/"q",c\nd.md', '["1", {"text": "body"}, "%d/%m"]'), ("/é/ü.txt", "x"),
         ("/nul\x00.md", "x")])]
    load.add_listing_lines(con, [f"{o},{s},{load.csv_quote(p)},{z},{m},{c},{load.csv_quote(rw)},false\n"
                                 for o, s, p, z, m, c, rw in files[:3]])
    load.add_listing_lines(con, [f"{o},{s},{load.csv_quote(p)},{z},{m},{c},{load.csv_quote(rw)},false\n"
                                 for o, s, p, z, m, c, rw in files[3:]])
    got = con.execute("select ord, scope, path, size, mtime_ns, ctime_ns, read_with, same from listing order by ord").fetchall()
    con.close()
    assert got == [(*f, False) for f in files]


def test_a_few_new_files_among_many_unchanged_are_read_here_not_in_a_pool(tmp_path, count_reads, monkeypatch):
    folder = tmp_path / "r"
    for i in range(12):
        write_report(folder, f"{i:02d}.md", f"IS fighters set up {i + 2} checkpoints in Hajin on Saturday.",
                     title=f"Checkpoints {i}", date=f"2015-03-{i + 9:02d}")
    db = tmp_path / "p.duckdb"
    refresh([folder], db, progress=False)
    count_reads.clear()
    monkeypatch.setattr(refresh_mod, "PARALLEL_FROM", 5)  # 12 files listed, 2 to read: no pool
    write_report(folder, "new-1.md", "Daesh patrols increased in Hit this week.", title="Hit", date="2015-04-01")
    write_report(folder, "new-2.md", "Daesh patrols decreased in Hit this week.", title="Hit 2", date="2015-04-08")
    summary = refresh([folder], db, progress=False)
    assert sorted(count_reads) == ["new-1.md", "new-2.md"]  # read in this process (counted here)
    assert (summary.reports_new, summary.files_skipped) == (2, 12)


def test_a_process_that_queried_the_database_can_refresh_it(corpus, tmp_path):
    """A notebook reads the database (etl.queries keeps a read-only instance of it), then
    refreshes it with one more report: the refresh waits for the kept instance to let go,
    writes in place and the next query sees the new report."""
    from etl import queries

    db = tmp_path / "p.duckdb"
    refresh([str(corpus)], db)
    before = queries.summarise_database(db)["n_reports"]
    assert os.path.abspath(db) in queries._KEPT
    try:
        write_report(corpus, "late.md", "Islamic State fighters left Al-Mayadin on Tuesday.",
                     title="Mayadin", date="2015-03-12")
        summary = refresh([str(corpus)], db)
        assert summary.reports_new == 1
        assert queries.summarise_database(db)["n_reports"] == before + 1
    finally:
        queries.close_connections()


def test_a_report_the_extractor_fails_on_is_rejected_and_the_run_goes_on(corpus, tmp_path, monkeypatch):
    """An extractor bug on one report is recorded as that report's rejection (with the error)
    and the other reports load; the failing file is read again on the next run."""
    real = refresh_mod.extract_observations

    def flaky(report, ref):
        if "Hajin" in report.title:
            raise TypeError("boom")
        return real(report, ref)

    monkeypatch.setattr(refresh_mod, "extract_observations", flaky)
    db = tmp_path / "p.duckdb"
    summary = refresh([corpus], db, progress=False)
    assert summary.reports_new == 1
    assert [(r.reason, r.detail) for r in summary.rejected] == [("extraction failed", "TypeError: boom")]
    con = duckdb.connect(str(db), read_only=True)
    try:
        assert con.execute("select count(*) from reports").fetchone()[0] == 1
        assert con.execute("select reason from rejected_inputs").fetchall() == [("extraction failed",)]
        assert con.execute("select status from refresh_runs").fetchall() == [("ok",)]
    finally:
        con.close()
    monkeypatch.setattr(refresh_mod, "extract_observations", real)
    again = refresh([corpus], db, progress=False)
    assert again.reports_new == 1 and not again.rejected  # fixed: the file is read again


def test_a_village_the_gazetteer_lacks_is_kept_by_name_without_a_map_point(tmp_path):
    # The report names a village no reference file or GeoNames row knows: the observation
    # keeps its name and the province in view, and makes up no coordinates.
    folder = tmp_path / "reports"
    write_report(folder, "v.md", "Government forces captured Kafr Zita last week. On Wednesday, HTS fighters "
                 "briefly recaptured the village of Kafr Barqoum.", title="Fighting in northern Hama", date="2019-05-23")
    db = tmp_path / "p.duckdb"
    refresh([folder], db)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("select actor, place_id, place_name, admin1, latitude, longitude, place_precision "
                           "from observations where place_name = 'Kafr Barqoum'").fetchall()
        events = con.execute("select count(*) from events where place_id like 'unlocated:%'").fetchone()[0]
    finally:
        con.close()
    assert rows == [("hts", "unlocated:syria:kafrbarqoum", "Kafr Barqoum", "Hama", None, None, "town")]
    assert events == 1
