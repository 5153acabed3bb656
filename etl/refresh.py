"""The scheduled job: read -> extract -> load, incremental and idempotent.

An unchanged report (same content hash) is not extracted again; a report whose content changed
at the same source key replaces the old one; every rejected input is recorded with its reason
and the run goes on. Reports whose file is gone from a file or folder source read in this run
are kept with a tombstone (`reports.removed_at`), or deleted with `prune`; feed entries are
never tombstoned (a feed shows only its latest items). Stored reports written by another
extractor version (or all of them, with `reextract`) are extracted again from their stored
text, whether or not their source is read in this run.

Files are not even opened when they are unchanged: the size, mtime and ctime of each file read
whole (every record a report) are kept in `source_files` with the reports it gave, and a file
found again with the same ones counts as read (with `reextract`, every file is read). Files
are read and extracted in worker processes, fed in chunks as the folders are walked; the main
process keeps the books and writes the database.

Everything happens on a working copy of the database, published at the end (load.py); a run
that fails leaves the last good database and records a 'failed' row in it.
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import signal
import sys
import time
import uuid
from array import array
from collections import deque
from collections.abc import Callable, Container, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from operator import attrgetter
from pathlib import Path

from etl import load, settings
from etl.config import Source, source_for
from etl.extract import EXTRACTOR_VERSION, extract_observations, find_unresolved_places
from etl.models import OBSERVATION_COLUMNS, Rejected, Report
from etl.read import (
    DEFAULT_FEED_TIMEOUT_SECONDS,
    READER_VERSION,
    FeedFetch,
    folder_files,
    read_feed,
    read_file,
    source_files,
)
from etl.reference import Reference, default_reference

BATCH = 1000  # reports per bulk insert
CHUNK = 5000  # stored reports or feed entries extracted at a time (bounds memory)
FILE_CHUNK = 500  # files sent to the workers at a time (two chunks in flight)
WALK_CHUNK = 20000  # files walked (mostly unchanged) before the chunk is handed on anyway
PARALLEL_FROM = 400  # below this many reports to extract, one process is faster
# A file changed less than this long before the run started may change again within the same
# timestamp tick without its mtime moving: it is read again next time rather than trusted.
RACY_SECONDS = 3

EventLog = Callable[[dict], None]


class RefreshStopped(BaseException):
    """The caller asked the run to stop (SIGTERM, SIGINT) before it published: nothing was.
    A BaseException, like KeyboardInterrupt, so that no `except Exception` swallows it."""


@dataclass
class RefreshSummary:
    run_id: str
    db_path: Path
    reports_seen: int = 0
    reports_new: int = 0
    reports_unchanged: int = 0
    reports_replaced: int = 0
    reports_failed: int = 0
    observations_added: int = 0
    reports_removed: int = 0  # tombstoned in this run
    reports_restored: int = 0  # tombstone cleared: the report is back
    reports_pruned: int = 0
    reports_reextracted: int = 0
    feeds_not_modified: int = 0
    events_rebuilt: int = 0  # events written for the date segments this run touched
    unresolved_names: int = 0  # place names in this run's new reports that nothing resolved
    files_skipped: int = 0  # files taken as read: same size, mtime and ctime as last time
    seconds: float = 0.0
    rejected: list[Rejected] = field(default_factory=list)

    def line(self) -> str:
        return (f"refresh ok: {self.reports_seen} reports seen, {self.reports_new} new, "
                f"{self.reports_unchanged} unchanged, {self.reports_replaced} replaced, "
                f"{self.reports_failed} rejected, {self.observations_added} observations added "
                f"in {self.seconds:.1f}s -> {self.db_path}")

    def counts(self) -> dict:
        return {k: getattr(self, k) for k in (
            "reports_seen", "reports_new", "reports_unchanged", "reports_replaced", "reports_failed",
            "observations_added", "reports_removed", "reports_restored", "reports_pruned",
            "reports_reextracted", "feeds_not_modified", "events_rebuilt", "unresolved_names",
            "files_skipped")}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# --------------------------------------------------------------------------------------------
# Reading and extraction, fanned out over processes
# --------------------------------------------------------------------------------------------
# What a worker process reads with (set before the pool forks): the reference data, and the
# ids of the reports already stored (read, not extracted again).
_WORKER_REFERENCE: Reference | None = None
_WORKER_STORED: Container[str] = frozenset()
_OBSERVATION_FIELDS = attrgetter(*OBSERVATION_COLUMNS[:-1])
assert OBSERVATION_COLUMNS[-1] == "extractor_version"


def _init_worker() -> None:
    # Die with the refresh: a worker orphaned by kill -9 would otherwise wait forever on its
    # task queue (Linux PR_SET_PDEATHSIG; elsewhere the workers exit when the queue breaks).
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass
    # Ctrl-C and SIGTERM are the parent's to handle: it terminates the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


# A report as the main process takes it: (report_id, path, source_key, rows), where rows is None
# for a report already stored (not extracted), else its rows encoded for load.RowBatch.
def _extract(report: Report, ref: Reference) -> tuple:
    observations = extract_observations(report, ref)
    version = EXTRACTOR_VERSION
    report_row = (report.report_id, report.source, report.url, report.title, report.published, report.path,
                  report.source_key, report.reader, hashlib.sha256(report.text.encode("utf-8")).hexdigest(),
                  report.text, version, len(observations))  # load.NEW_REPORT_COLUMNS
    observation_rows = [_OBSERVATION_FIELDS(o) + (version,) for o in observations]
    unresolved_rows = [(report.report_id, name, sentence) for name, sentence in find_unresolved_places(report, ref)]
    return report.report_id, report.path, report.source_key, load.encode_rows(report_row, observation_rows, unresolved_rows)


def _extract_or_reject(report: Report, ref: Reference):
    """_extract, or a Rejected when the extractor fails on this report: one report it cannot
    read must not stop the refresh (its file is read again on the next run)."""
    try:
        return _extract(report, ref)
    except Exception as e:  # noqa: BLE001
        return Rejected(report.path or "", report.source_key or "", "extraction failed", f"{type(e).__name__}: {e}"[:500])


def _read_task(task: tuple, ref: Reference, known: Container[str]) -> list:
    """One file's items: Rejected, or reports (extracted unless `known`)."""
    path, max_bytes, csv_columns, csv_date_format = task
    items = []
    for item in read_file(path, max_bytes, csv_columns, csv_date_format):
        if isinstance(item, Rejected):
            items.append(item)
        elif item.report_id in known:
            items.append((item.report_id, item.path, item.source_key, None))
        else:
            items.append(_extract_or_reject(item, ref))
    return items


def _read_in_worker(task: tuple) -> list:
    return _read_task(task, _WORKER_REFERENCE, _WORKER_STORED)


def _extract_in_worker(report: Report):
    return _extract_or_reject(report, _WORKER_REFERENCE)


class _Workers:
    """Reads and extracts, in worker processes once there is enough to do. The pool is forked
    at the first large batch (sharing the loaded reference data and the ids of the stored
    reports; the extractor is pure) and kept for the rest of the run."""

    def __init__(self, ref: Callable[[], Reference], stored: Callable[[], Container[str]], con=None):
        self._ref = ref
        self.stored = stored
        self.pool = None
        self.con = con  # the writer's DuckDB: all the cores while no worker runs, else one
        self._threads(os.cpu_count() or 1)

    @property
    def ref(self) -> Reference:
        return self._ref()

    def _threads(self, n: int) -> None:
        if self.con is not None:
            try:
                self.con.execute(f"set threads = {n}")
            except Exception:  # noqa: BLE001 (a failed run's connection: its error is the one to report)
                pass

    def _parallel(self, n: int) -> bool:
        if self.pool is None and (n < PARALLEL_FROM or (os.cpu_count() or 1) < 2):
            return False
        if self.pool is None:
            global _WORKER_REFERENCE, _WORKER_STORED
            _WORKER_REFERENCE, _WORKER_STORED = self.ref, self.stored()
            gc.collect()
            gc.freeze()  # the workers' collections never touch (and so copy) the parent's objects
            try:
                self.pool = multiprocessing.get_context("fork").Pool(os.cpu_count(), initializer=_init_worker)
            finally:
                gc.unfreeze()
            self._threads(1)
        return True

    def read(self, tasks: list[tuple], known: Container[str], parallel: bool) -> Iterator[list]:
        """The items of each file task, in order; `known` (report ids not to extract) is used
        when reading in this process, the stored ids in the workers."""
        if parallel and self._parallel(PARALLEL_FROM):
            return self.pool.imap(_read_in_worker, tasks, chunksize=8)
        return (_read_task(t, self.ref, known) for t in tasks)

    def extract(self, reports: list[Report]) -> Iterator:
        """Each report's rows (as _extract gives them), or a Rejected."""
        if self._parallel(len(reports)):
            return self.pool.imap(_extract_in_worker, reports, chunksize=16)
        return (_extract_or_reject(r, self.ref) for r in reports)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None
            self._threads(os.cpu_count() or 1)


class _KnownIds:
    """Report ids not to extract when reading in this process: read earlier in the run, or
    stored (asked of the database, one id at a time: this is for small runs)."""

    def __init__(self, seen: Container[str], con, stored: bool):
        self.seen, self.con, self.stored = seen, con, stored

    def __contains__(self, report_id: object) -> bool:
        return report_id in self.seen or (self.stored and bool(load.stored_of(self.con, [report_id], [])[0]))


# --------------------------------------------------------------------------------------------
# The run
# --------------------------------------------------------------------------------------------
def refresh(paths: Iterable[str | os.PathLike | Source], db_path: str | os.PathLike, *,
            csv_columns: dict | None = None, csv_date_format: str | None = None,
            max_bytes: int | None = None, reference: Reference | None = None,
            progress: bool | None = None, log: Callable[[str], None] | None = None,
            log_event: EventLog | None = None, prune: bool = False, reextract: bool = False,
            feed_timeout: float = DEFAULT_FEED_TIMEOUT_SECONDS,
            should_stop: Callable[[], str | None] | None = None) -> RefreshSummary:
    """Bring the database at `db_path` up to date with the reports from `paths`: files,
    folders, feed URLs or files, or `Source`s (csv_columns/csv_date_format apply to the plain
    paths). `log` gets one human line per rejected input; `log_event` one dict per rejected
    input and one per run (ok or failed), for structured logs. `should_stop` is asked between
    inputs and between extracted reports; when it returns a reason the run stops before
    publishing (RefreshStopped), and once the last check before the commit has passed, the
    run completes. Raises load.LockedError at once when another refresh holds the database;
    any other failure leaves the last good database, with a 'failed' row in refresh_runs."""
    db_path = Path(db_path)
    sources = [source_for(p, csv_columns, csv_date_format) for p in paths]
    started = _now()
    t0 = time.perf_counter()
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    summary = RefreshSummary(run_id=run_id, db_path=db_path)
    with load.writer_lock(db_path):  # before anything slow: a second refresh exits at once
        try:
            _Run(sources, db_path, summary, started, reference=reference, progress=progress,
                 log=log, log_event=log_event, max_bytes=max_bytes, prune=prune,
                 reextract=reextract, feed_timeout=feed_timeout, should_stop=should_stop).run()
        except BaseException as e:
            summary.seconds = time.perf_counter() - t0
            error = _describe(e)
            recorded = False
            if not isinstance(e, load.SchemaMismatch):  # never write into a database we refuse
                try:
                    recorded = load.record_failed_run(db_path, _run_row(summary, started, "failed", error))
                except Exception as record_error:  # the run's own error is the one to report
                    error += f" (the failed run could not be recorded: {_describe(record_error)})"
            if log_event:
                log_event(_run_event(summary, started, "failed", error, recorded=recorded))
            raise
    summary.seconds = time.perf_counter() - t0
    if log_event:
        log_event(_run_event(summary, started, "ok", None))
    return summary


# A run that adds, replaces or extracts again at most this many reports writes in place (one
# transaction on the live file); a larger one, on a working copy published at the end.
IN_PLACE_MAX_REPORTS = 1000


class _Run:
    """One refresh: what is new, changed, unchanged, moved and gone, and the rows written. The
    books of what was seen are kept in temporary tables (load.start_run_tables), so that files
    taken as read again cost no Python work per report."""

    def __init__(self, sources: list[Source], db_path: Path, summary: RefreshSummary, started: datetime, *,
                 reference, progress, log, log_event, max_bytes, prune, reextract, feed_timeout, should_stop):
        self.sources, self.db_path, self.summary, self.started = sources, db_path, summary, started
        self.reference, self.log, self.log_event = reference, log, log_event
        self.max_bytes = settings.max_bytes() if max_bytes is None else max_bytes
        self.prune, self.reextract, self.feed_timeout, self.should_stop = prune, reextract, feed_timeout, should_stop
        self.show = progress if progress is not None else sys.stderr.isatty()
        self.bar = None
        self.session = None
        self.workers = None

    def stop_point(self) -> None:
        reason = self.should_stop() if self.should_stop else None
        if reason:
            raise RefreshStopped(f"{reason} before publishing")

    # ---- the run -------------------------------------------------------------------------
    def run(self) -> None:
        t0 = time.perf_counter()
        self.walk_started_ns = time.time_ns()
        summary = self.summary
        self.stop_point()
        load.remove_leftovers(self.db_path)
        load.settle_live_wal(self.db_path)
        self.session = session = load.Session(self.db_path)
        self.con = con = session.con
        try:
            session.open()
            self.ref = self.reference or default_reference()
            self.places_loaded = False
            if session.mode == "copy":
                self._places()
            load.start_run_tables(con)
            self.had_reports = con.execute("select exists (select 1 from reports)").fetchone()[0]
            self.check_stamps = self.had_reports and not self.reextract and load.has_file_stamps(con)
            self.feed_states = load.feed_states(con)
            self.now = now = _now()
            self.ingested = _now()
            self.workers = _Workers(lambda: self.ref, lambda: load.stored_ids(con) if self.had_reports else frozenset(), con)
            if self.show:
                from tqdm import tqdm
                self.bar = tqdm(unit="report", file=sys.stderr)

            self.new_ids: set[str] = set()  # reports new to the database, read in this run
            self.replaced: list[str] = []
            self.replaced_set: set[str] = set()
            self.scopes: list[str] = []
            self.rejected_keys: set[str] = set()
            self.rejected_files: set[str] = set()
            self.seen_rows: list[tuple] = []
            self.stamp_rows: list[tuple] = []
            self.kept_columns: list[tuple] = []  # re-extracted: (report_id, ingested_at, removed_at)
            self.feed_updates: list[tuple] = []
            self.batch = load.RowBatch()
            self.to_extract: list[Report] = []  # feed entries: extracted after the files

            # ---- read: what is new, changed, unchanged -------------------------------------
            # Every folder is walked first (names and stats), so that one query finds all the
            # files unchanged since they were read whole; then the sources are read in order.
            walked = [self._walk(i, source) if source.kind != "feed" else None
                      for i, source in enumerate(self.sources)]
            to_read = self._unchanged_files(walked)
            self.reads_to_come = (len(to_read) if to_read is not None
                                  else sum(len(w.names) for w in walked if w is not None))
            for i, source in enumerate(self.sources):
                if source.kind == "feed":
                    self._read_feed(i, source)
                elif walked[i] is not None:
                    self._read_files(source, walked[i], to_read)
                    walked[i] = None
            self._extract_reports(self.to_extract)
            self.to_extract = []
            self._flush_books()

            # ---- write: in place when the change is small --------------------------------------
            stale = [rid for rid in load.reports_to_reextract(con, EXTRACTOR_VERSION, self.reextract)
                     if rid not in self.new_ids]
            session.to_write(in_place=len(self.batch) + len(self.replaced) + len(stale) <= IN_PLACE_MAX_REPORTS)
            self._places()
            self._flush()
            for feed in self.feed_updates:
                load.save_feed_state(con, *feed, when=now)

            # ---- moved, replaced, gone, back: what the stored reports' files say -------------
            load.add_run_rows(con, "scopes", [(s, s.rstrip(os.sep) + os.sep) for s in self.scopes])
            if self.had_reports:
                load.add_run_rows(con, "rejected_keys", [(k,) for k in self.rejected_keys])
                load.add_run_rows(con, "rejected_files", [(p,) for p in self.rejected_files])
                fate = load.settle_seen(con, self.replaced, now)
                summary.reports_replaced -= fate["still_there"]
                summary.reports_new += fate["still_there"]
                summary.reports_removed, summary.reports_restored = fate["removed"], fate["restored"]
            if self.prune:
                pruned = load.removed_report_ids(con)
                load.delete_reports(con, pruned)
                summary.reports_pruned = len(pruned)

            # ---- stored reports to extract again: another extractor version, or --reextract
            if self.prune and stale:
                stale = [rid for rid in load.reports_to_reextract(con, EXTRACTOR_VERSION, self.reextract)
                         if rid not in self.new_ids]
            summary.reports_reextracted = len(stale)
            for i in range(0, len(stale), CHUNK):
                rows = load.stored_report_rows(con, stale[i:i + CHUNK])
                load.delete_reports(con, [row["report_id"] for row in rows])
                reports = []
                for row in rows:
                    self.kept_columns.append((row["report_id"], row["ingested_at"], row["removed_at"]))
                    reports.append(_stored_report(row))
                del rows
                self._extract_reports(reports)
            self._flush()
            load.keep_report_columns(con, self.kept_columns)
            self.workers.close()  # their memory goes before the events' comes
            # Events: observations of one happening merged, rebuilt only where this run touched.
            summary.events_rebuilt = load.rebuild_events(con, step=session.step)

            # ---- files read whole: their size and times, so that the next run skips them -------
            session.fit_memory()
            load.save_file_stamps(con)

            # ---- the record of the run -------------------------------------------------------
            summary.reports_failed = len(summary.rejected)
            load.insert_rejected(con, [{"run_id": summary.run_id, "path": r.path, "record": r.record,
                                        "reason": r.reason, "detail": r.detail, "rejected_at": now}
                                       for r in summary.rejected])
            summary.seconds = time.perf_counter() - t0
            load.insert_run(con, _run_row(summary, self.started, "ok", None))
            self.stop_point()  # the last one: from here on the run completes
            if self.bar is not None:
                self.bar.close()
            session.finish()
        except BaseException:
            if self.workers is not None:
                self.workers.close()
            if self.bar is not None:
                self.bar.close()
            session.close()
            raise

    def _places(self) -> None:
        if not self.places_loaded:
            load.load_places(self.con, self.ref.gazetteer)
            self.places_loaded = True

    # ---- one report, one rejection ---------------------------------------------------------
    def reject(self, item: Rejected) -> None:
        self.summary.rejected.append(item)
        if item.record:
            self.rejected_keys.add(f"{item.path}#{item.record}")
        else:
            self.rejected_files.add(item.path)
        if self.log:
            self.log(f"rejected {item.path}{'#' + item.record if item.record else ''}: {item.reason}"
                     f"{' (' + item.detail + ')' if item.detail else ''}")
        if self.log_event:
            self.log_event({"event": "rejected", "run_id": self.summary.run_id, "path": item.path,
                            "record": item.record, "reason": item.reason, "detail": item.detail})

    def take(self, rid: str, path: str, key: str, order: int, record: int,
             stored: Container[str], owners: dict[str, str]) -> bool:
        """Count a report read at `key`; True when it is new to the database (to be loaded).
        `stored`/`owners`: which report ids are stored, and the stored report at each key."""
        summary = self.summary
        summary.reports_seen += 1
        if self.had_reports:
            self.seen_rows.append((order, record, rid, path, key))
        if rid in self.new_ids or rid in stored:
            summary.reports_unchanged += 1
            return False
        self.new_ids.add(rid)
        old = owners.get(key)
        if old is not None and old != rid and old not in self.replaced_set and old not in self.new_ids:
            self.replaced.append(old)
            self.replaced_set.add(old)
            summary.reports_replaced += 1
        else:
            summary.reports_new += 1
        return True

    def _lookup(self, items: list[tuple]) -> tuple[Container[str], dict[str, str]]:
        """stored/owners for take() over a chunk of (report_id, source_key)."""
        if not self.had_reports or not items:
            return frozenset(), {}
        return load.stored_of(self.con, [rid for rid, _key in items], [key for _rid, key in items])

    def load_rows(self, encoded: tuple) -> None:
        """Queue an extracted report's rows for the next bulk insert."""
        self.batch.add(encoded)
        self.summary.unresolved_names += encoded[4]
        if len(self.batch) >= BATCH:
            if self.session.mode == "read" and len(self.batch) > IN_PLACE_MAX_REPORTS:
                self.session.to_copy()  # too large to write in place
                self._places()
            if self.session.mode != "read":
                self._flush()

    def _flush(self) -> None:
        load.insert_batch(self.con, self.batch, self.ingested)
        self.summary.observations_added += self.batch.n_observations
        self.batch = load.RowBatch()
        self._flush_books()
        self.session.step()

    def _flush_books(self) -> None:
        load.add_run_rows(self.con, "seen", self.seen_rows)
        load.add_run_rows(self.con, "new_stamps", self.stamp_rows)
        self.seen_rows, self.stamp_rows = [], []

    def _tick(self) -> None:
        self.stop_point()
        if self.bar is not None:
            self.bar.update()

    # ---- feeds -----------------------------------------------------------------------------
    def _read_feed(self, index: int, source: Source) -> None:
        """A feed's entries; its conditional-request state is saved with the reports it
        produced (or not at all)."""
        etag, last_modified = self.feed_states.get(source.location, (None, None))
        fetch = FeedFetch(etag=etag, last_modified=last_modified)
        items = []
        try:
            for item in read_feed(source.location, fetch=fetch, timeout=self.feed_timeout, max_bytes=self.max_bytes):
                self.stop_point()
                items.append(item)
        except Exception as e:  # one bad feed must not stop the refresh (as for files)
            items.append(Rejected(source.location, "", "unreadable", f"{type(e).__name__}: {e}"))
        stored, owners = self._lookup([(i.report_id, i.source_key) for i in items if not isinstance(i, Rejected)])
        for position, item in enumerate(items):
            if isinstance(item, Rejected):
                self.reject(item)
            elif self.take(item.report_id, item.path, item.source_key, _order(index, position), 0, stored, owners):
                self.to_extract.append(item)
        if fetch.not_modified:
            self.summary.feeds_not_modified += 1
        # read_feed keeps the ETag/Last-Modified it was given unless a 200 brought new ones
        self.feed_updates.append((source.location, fetch.etag, fetch.last_modified, fetch.status,
                                  fetch.status in (0, 200)))
        if len(self.to_extract) >= CHUNK:
            self._extract_reports(self.to_extract)
            self.to_extract = []

    def _extract_reports(self, reports: list[Report]) -> None:
        """Extract and load reports held in memory (feed entries, stored reports)."""
        for item in self.workers.extract(reports):
            self._tick()
            if isinstance(item, Rejected):
                self.reject(item)
                continue
            self.load_rows(item[3])

    # ---- files and folders -----------------------------------------------------------------
    def _walk(self, index: int, source: Source) -> _Walked | None:
        """A file or folder source's files, names and stats only, in walk order (and, when
        stamps are to be compared, their rows of temp.listing as CSV lines)."""
        # Absolute, so that the stamps of a file read before match whether it is named from
        # another directory or relatively ("data/reports" and "/srv/presence/data/reports").
        path = Path(os.path.abspath(source.location))
        if not path.exists():
            self.reject(Rejected(source.location, "", "source unreachable", "no such file or folder"))
            return None
        self.scopes.append(str(path))
        scope = len(self.scopes)
        read_with = json.dumps([READER_VERSION, source.csv_columns, source.csv_date_format], sort_keys=True)
        walked = _Walked(scope, read_with)
        names, stats, listing = walked.names, walked.stats, walked.listing
        tail = f',{load.csv_quote(read_with)},false\n'
        base = _order(index, 0)
        found = folder_files(path) if path.is_dir() else source_files(path)
        for position, entry in enumerate(found):
            if isinstance(entry, Rejected):
                names.append(entry)
                continue
            name, st = entry
            names.append(name)
            size, mtime, ctime = st.st_size, st.st_mtime_ns, st.st_ctime_ns
            stats.extend((base + position, size, mtime, ctime))
            if self.check_stamps:
                listing.append(f'{base + position},{scope},{load.csv_quote(name)},{size},{mtime},{ctime}{tail}')
        return walked

    def _unchanged_files(self, walked: list) -> set[tuple[int, str]] | None:
        """(scope, path) of the files to read: those not unchanged since they were read whole
        (in SQL: the unchanged ones' reports count as seen without any Python work each).
        None: read every file."""
        if not self.check_stamps:
            return None
        lines = [line for w in filter(None, walked) for line in w.listing]
        for w in filter(None, walked):
            w.listing = []
        load.add_listing_lines(self.con, lines)
        del lines
        files, reports = load.unchanged_files(self.con, self.max_bytes)
        self.summary.files_skipped += files
        self.summary.reports_seen += reports
        self.summary.reports_unchanged += reports
        return load.files_to_read(self.con)

    def _read_files(self, source: Source, walked: _Walked, to_read: set[tuple[int, str]] | None) -> None:
        """Read a source's files (but those unchanged) in the workers, in chunks, two chunks in
        flight."""
        entries = list(walked.entries(None if to_read is None else {path for scope, path in to_read if scope == walked.scope}))
        del walked.names, walked.stats
        options = (self.max_bytes, source.csv_columns, source.csv_date_format)
        n_reads = sum(1 for f in entries if not isinstance(f, Rejected))
        parallel = n_reads + self.reads_to_come >= PARALLEL_FROM
        self.reads_to_come -= n_reads
        known = _KnownIds(self.new_ids, self.con, self.had_reports)
        in_flight: deque = deque()
        for i in range(0, len(entries), FILE_CHUNK):
            chunk = entries[i:i + FILE_CHUNK]
            tasks = [(f[1], *options) for f in chunk if not isinstance(f, Rejected)]
            in_flight.append((chunk, self.workers.read(tasks, known, parallel), walked.read_with))
            if len(in_flight) > 1:
                self._take_files(*in_flight.popleft())
        while in_flight:
            self._take_files(*in_flight.popleft())

    def _take_files(self, chunk: list, results: Iterator[list], read_with: str) -> None:
        read = []  # (entry, items)
        for entry in chunk:
            read.append((entry, None if isinstance(entry, Rejected) else next(results)))
        stored, owners = self._lookup([(item[0], item[2]) for _e, items in read for item in items or ()
                                       if not isinstance(item, Rejected)])
        racy_after = self.walk_started_ns - RACY_SECONDS * 10**9
        for entry, items in read:
            if items is None:
                self.reject(entry)
                continue
            order, name, size, mtime, ctime = entry
            records = []
            clean = bool(items)
            for record, item in enumerate(items):
                self._tick()
                if isinstance(item, Rejected):
                    self.reject(item)
                    clean = False
                    continue
                rid, path, key, rows = item
                records.append((key, rid))
                if self.take(rid, path, key, order, record, stored, owners) and rows is not None:
                    self.load_rows(rows)
            if clean and max(mtime, ctime) < racy_after:
                self.stamp_rows += [(name, size, mtime, ctime, read_with, key, rid, i)
                                    for i, (key, rid) in enumerate(records)]


class _Walked:
    """A source's files as walked, compactly: names (or a Rejected), and per file its order,
    size, mtime_ns and ctime_ns in one array."""

    def __init__(self, scope: int, read_with: str):
        self.scope, self.read_with = scope, read_with
        self.names: list = []
        self.stats = array("q")
        self.listing: list[str] = []  # CSV lines of temp.listing

    def entries(self, wanted: set[str] | None = None) -> Iterator:
        """Each file's (order, path, size, mtime_ns, ctime_ns), or a Rejected, in walk order;
        given `wanted` paths, only those files (and every Rejected). (A file's tuple is built
        only when wanted: a re-scan of 100k unchanged files wants a handful.)"""
        stats = self.stats
        i = 0
        for name in self.names:
            if isinstance(name, Rejected):
                yield name
                continue
            if wanted is None or name in wanted:
                yield (stats[4 * i], name, stats[4 * i + 1], stats[4 * i + 2], stats[4 * i + 3])
            i += 1


def _order(source: int, position: int) -> int:
    """A file's (or feed entry's) place in the run: sources in order, then their items."""
    return source * 10**12 + position


def _stored_report(row: dict) -> Report:
    published = row["published"]
    if isinstance(published, datetime):
        published = published.date()
    elif not isinstance(published, date):
        published = date.fromisoformat(str(published)[:10])
    return Report(report_id=row["report_id"], source=row["source"] or "", url=row["url"] or "",
                  title=row["title"] or "", published=published, text=row["text"],
                  path=row["path"] or "", source_key=row["source_key"] or "", reader=row["reader"] or "")


def _run_row(summary: RefreshSummary, started: datetime, status: str, error: str | None) -> dict:
    return {
        "run_id": summary.run_id, "started_at": started, "finished_at": _now(), "status": status,
        "reports_seen": summary.reports_seen, "reports_new": summary.reports_new,
        "reports_unchanged": summary.reports_unchanged, "reports_replaced": summary.reports_replaced,
        "reports_failed": len(summary.rejected), "observations_added": summary.observations_added,
        "extractor_version": EXTRACTOR_VERSION, "error": error,
        "duration_seconds": round(summary.seconds, 3), "reports_removed": summary.reports_removed,
        "reports_reextracted": summary.reports_reextracted, "reports_pruned": summary.reports_pruned,
        "events_rebuilt": summary.events_rebuilt, "unresolved_names": summary.unresolved_names,
    }


def _run_event(summary: RefreshSummary, started: datetime, status: str, error: str | None,
               **extra) -> dict:
    counts = summary.counts()
    counts["reports_failed"] = len(summary.rejected)
    return {"event": "refresh", "run_id": summary.run_id, "status": status, "db": str(summary.db_path),
            "started_at": started.isoformat(timespec="seconds") + "Z",
            "duration_seconds": round(summary.seconds, 3), **counts,
            "extractor_version": EXTRACTOR_VERSION, "error": error, **extra}


def _describe(e: BaseException) -> str:
    if isinstance(e, KeyboardInterrupt):
        return "KeyboardInterrupt: interrupted"
    if isinstance(e, RefreshStopped):
        return str(e)
    return f"{type(e).__name__}: {e}"
