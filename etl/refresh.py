"""The scheduled job: read -> extract -> load, incremental and idempotent.

An unchanged report (same content hash) is not extracted again; a report whose content changed
at the same source key replaces the old one; every rejected input is recorded with its reason
and the run goes on. Reports whose file is gone from a file or folder source read in this run
are kept with a tombstone (`reports.removed_at`), or deleted with `prune`; feed entries are
never tombstoned (a feed shows only its latest items). Stored reports written by another
extractor version (or all of them, with `reextract`) are extracted again from their stored
text, whether or not their source is read in this run.

Everything happens on a working copy of the database, published at the end (load.py); a run
that fails leaves the last good database and records a 'failed' row in it.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import signal
import sys
import time
import uuid
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from pathlib import Path

from etl import load
from etl.config import Source, source_for
from etl.extract import EXTRACTOR_VERSION, extract_observations, find_unresolved_places
from etl.models import Rejected, Report
from etl.read import DEFAULT_FEED_TIMEOUT_SECONDS, FeedFetch, read_feed, read_reports
from etl.reference import Reference, default_reference

BATCH = 500  # reports per bulk insert
CHUNK = 5000  # reports read before they are extracted and loaded (bounds memory)
PARALLEL_FROM = 400  # below this many reports to extract, one process is faster

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
    events_rebuilt: int = 0  # events written for the groups this run touched
    unresolved_names: int = 0  # place names in this run's new reports that nothing resolved
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
            "reports_reextracted", "feeds_not_modified", "events_rebuilt", "unresolved_names")}


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# --------------------------------------------------------------------------------------------
# Extraction, fanned out over processes
# --------------------------------------------------------------------------------------------
# The reference data a worker process extracts with (set before the pool forks).
_WORKER_REFERENCE: Reference | None = None


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


def _extract_one(report: Report):
    return _extract(report, _WORKER_REFERENCE)


def _extract(report: Report, ref: Reference):
    """A report's observations and the place names in it no gazetteer entry matches."""
    return report, extract_observations(report, ref), find_unresolved_places(report, ref)


class _Extractor:
    """Extracts chunks of reports, in worker processes once a chunk is large enough. The pool
    is forked at the first large chunk (sharing the loaded reference data; the extractor is
    pure) and kept for the next chunks."""

    def __init__(self, ref: Reference):
        self.ref = ref
        self.pool = None

    def run(self, reports: list[Report]) -> Iterator[tuple[Report, list, list]]:
        global _WORKER_REFERENCE
        _WORKER_REFERENCE = self.ref
        if self.pool is None and (len(reports) < PARALLEL_FROM or (os.cpu_count() or 1) < 2):
            for r in reports:
                yield _extract(r, self.ref)
            return
        if self.pool is None:
            self.pool = multiprocessing.get_context("fork").Pool(os.cpu_count(), initializer=_init_worker)
        yield from self.pool.imap(_extract_one, reports, chunksize=32)

    def close(self) -> None:
        if self.pool is not None:
            self.pool.terminate()
            self.pool.join()
            self.pool = None


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
            _run(sources, db_path, summary, started, reference=reference, progress=progress,
                 log=log, log_event=log_event, max_bytes=max_bytes, prune=prune,
                 reextract=reextract, feed_timeout=feed_timeout, should_stop=should_stop)
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


def _run(sources: list[Source], db_path: Path, summary: RefreshSummary, started: datetime, *,
         reference, progress, log, log_event, max_bytes, prune, reextract, feed_timeout,
         should_stop) -> None:
    t0 = time.perf_counter()

    def stop_point() -> None:
        reason = should_stop() if should_stop else None
        if reason:
            raise RefreshStopped(f"{reason} before publishing")

    ref = reference or default_reference()
    extractor: _Extractor | None = None
    stop_point()
    load.remove_leftovers(db_path)
    load.settle_live_wal(db_path)
    con, tmp = load.open_working_copy(db_path)
    try:
        con.execute("begin")
        load.load_places(con, ref.gazetteer)
        stored = load.stored_reports(con)
        by_source_key = {sk: rid for rid, (_v, sk, _p, _r, _gone) in stored.items() if sk}
        feed_states = load.feed_states(con)
        now = _now()

        def reject(item: Rejected) -> None:
            summary.rejected.append(item)
            if log:
                log(f"rejected {item.path}{'#' + item.record if item.record else ''}: {item.reason}"
                    f"{' (' + item.detail + ')' if item.detail else ''}")
            if log_event:
                log_event({"event": "rejected", "run_id": summary.run_id, "path": item.path,
                           "record": item.record, "reason": item.reason, "detail": item.detail})

        # ---- read: what is new, changed, unchanged, moved, gone ----------------------------
        to_extract: list[Report] = []
        queued: set[str] = set()  # report ids read in this run and extracted (or about to be)
        kept_columns: dict[str, dict] = {}
        extractor = _Extractor(ref)
        show = progress if progress is not None else sys.stderr.isatty()
        ingested = _now()

        def extract_and_load(reports: list[Report]) -> None:
            results = extractor.run(reports)
            if show:
                from tqdm import tqdm
                results = tqdm(results, total=len(reports), unit="report", file=sys.stderr)
            report_rows, obs_rows, unresolved_rows = [], [], []
            for report, observations, unresolved in results:
                stop_point()
                report_rows.append(_report_row(report, ingested, len(observations), kept_columns.get(report.report_id)))
                obs_rows.extend(o.as_row(EXTRACTOR_VERSION) for o in observations)
                unresolved_rows.extend({"report_id": report.report_id, "name": name, "sentence": sentence}
                                       for name, sentence in unresolved)
                summary.unresolved_names += len(unresolved)
                if len(report_rows) >= BATCH:
                    load.insert_batch(con, report_rows, obs_rows, unresolved_rows)
                    summary.observations_added += len(obs_rows)
                    report_rows, obs_rows, unresolved_rows = [], [], []
            load.insert_batch(con, report_rows, obs_rows, unresolved_rows)
            summary.observations_added += len(obs_rows)

        replaced: list[str] = []
        # report_id -> (path, source_key) where it was first read (not the Report: its text
        # would keep a whole corpus in memory on an incremental run)
        seen_ids: dict[str, tuple[str, str]] = {}
        seen_at: dict[str, set[str]] = {}  # report_id -> source keys it was read at
        seen_keys: set[str] = set()
        rejected_keys: set[str] = set()
        rejected_files: set[str] = set()
        scopes: list[str] = []  # file and folder sources read in this run: where tombstones apply
        for source in sources:
            for item in _read_source(source, max_bytes, feed_timeout, feed_states, summary, con, now, scopes):
                stop_point()
                if isinstance(item, Rejected):
                    reject(item)
                    if item.record:
                        rejected_keys.add(f"{item.path}#{item.record}")
                    else:
                        rejected_files.add(item.path)
                    continue
                summary.reports_seen += 1
                seen_keys.add(item.source_key)
                seen_at.setdefault(item.report_id, set()).add(item.source_key)
                if item.report_id in seen_ids or item.report_id in stored:
                    seen_ids.setdefault(item.report_id, (item.path, item.source_key))
                    summary.reports_unchanged += 1
                    continue
                seen_ids[item.report_id] = (item.path, item.source_key)
                old = by_source_key.get(item.source_key)
                if old is not None and old != item.report_id and old not in replaced:
                    replaced.append(old)
                    summary.reports_replaced += 1
                else:
                    summary.reports_new += 1
                to_extract.append(item)
                queued.add(item.report_id)
                if len(to_extract) >= CHUNK:
                    # Extract and load as we read: memory holds a chunk of reports, not a corpus.
                    extract_and_load(to_extract)
                    to_extract = []
        # A replaced report that is still found elsewhere (copied, then edited) stays.
        still_there = [rid for rid in replaced if rid in seen_ids]
        replaced = [rid for rid in replaced if rid not in seen_ids]
        summary.reports_replaced -= len(still_there)
        summary.reports_new += len(still_there)

        # The same report at another file or record (renamed, moved): follow it.
        moves = []
        for rid, (path, key) in seen_ids.items():
            if rid in stored and stored[rid][1] not in seen_at[rid]:
                moves.append((rid, path, key))
        load.move_reports(con, moves)
        moved = {rid: key for rid, _path, key in moves}
        load.delete_reports(con, replaced)

        # ---- tombstones: reports gone from a file or folder read in this run ---------------
        removed, restored = [], []
        for rid, (_v, key, path, reader, gone) in stored.items():
            if rid in replaced:
                continue
            if rid in seen_ids:
                if gone:
                    restored.append(rid)
                continue
            key = moved.get(rid, key)
            if (gone or reader == "feed" or not _in_scope(path, scopes) or key in seen_keys
                    or key in rejected_keys or path in rejected_files):
                continue
            removed.append(rid)
        load.mark_removed(con, removed, now)
        load.mark_present(con, restored)
        summary.reports_removed, summary.reports_restored = len(removed), len(restored)
        if prune:
            pruned = load.removed_report_ids(con)
            load.delete_reports(con, pruned)
            summary.reports_pruned = len(pruned)

        # ---- stored reports to extract again: another extractor version, or --reextract ----
        stale = [rid for rid, (version, *_rest) in load.stored_reports(con).items()
                 if rid not in queued and (reextract or version != EXTRACTOR_VERSION)]
        for row in load.stored_report_rows(con, stale):
            kept_columns[row["report_id"]] = {"ingested_at": row["ingested_at"], "removed_at": row["removed_at"]}
            to_extract.append(_stored_report(row))
        load.delete_reports(con, stale)
        summary.reports_reextracted = len(stale)

        # ---- extract and insert what is left --------------------------------------------------
        try:
            extract_and_load(to_extract)
        finally:
            extractor.close()
        # Events: observations of one happening merged, rebuilt only where this run touched.
        summary.events_rebuilt = load.rebuild_events(con)

        # ---- the record of the run -------------------------------------------------------
        summary.reports_failed = len(summary.rejected)
        load.insert_rejected(con, [{"run_id": summary.run_id, "path": r.path, "record": r.record,
                                    "reason": r.reason, "detail": r.detail, "rejected_at": now}
                                   for r in summary.rejected])
        summary.seconds = time.perf_counter() - t0
        load.insert_run(con, _run_row(summary, started, "ok", None))
        stop_point()  # the last one: from here on the run completes
        con.execute("commit")
        load.publish(con, tmp, db_path)
    except BaseException:
        if extractor is not None:
            extractor.close()
        load.discard_working_copy(con, tmp)
        raise


def _read_source(source: Source, max_bytes: int | None, feed_timeout: float,
                 feed_states: dict, summary: RefreshSummary, con, now: datetime,
                 scopes: list[str]) -> Iterator[Report | Rejected]:
    """The items of one source. A feed's conditional-request state is saved in the working
    copy, so it is published with the reports it produced (or not at all)."""
    if source.kind == "feed":
        etag, last_modified = feed_states.get(source.location, (None, None))
        fetch = FeedFetch(etag=etag, last_modified=last_modified)
        try:
            yield from read_feed(source.location, fetch=fetch, timeout=feed_timeout, max_bytes=max_bytes)
        except Exception as e:  # one bad feed must not stop the refresh (as read_reports does for files)
            yield Rejected(source.location, "", "unreadable", f"{type(e).__name__}: {e}")
        if fetch.not_modified:
            summary.feeds_not_modified += 1
        # read_feed keeps the ETag/Last-Modified it was given unless a 200 brought new ones
        load.save_feed_state(con, source.location, fetch.etag, fetch.last_modified, fetch.status,
                             changed=fetch.status in (0, 200), when=now)
        return
    path = Path(source.location)
    if not path.exists():
        yield Rejected(source.location, "", "source unreachable", "no such file or folder")
        return
    scopes.append(str(path))
    yield from read_reports([path], csv_columns=source.csv_columns,
                            csv_date_format=source.csv_date_format, max_bytes=max_bytes)


def _in_scope(path: str, scopes: list[str]) -> bool:
    return any(path == s or path.startswith(s.rstrip(os.sep) + os.sep) for s in scopes)


def _stored_report(row: dict) -> Report:
    published = row["published"]
    if isinstance(published, datetime):
        published = published.date()
    elif not isinstance(published, date):
        published = date.fromisoformat(str(published)[:10])
    return Report(report_id=row["report_id"], source=row["source"] or "", url=row["url"] or "",
                  title=row["title"] or "", published=published, text=row["text"],
                  path=row["path"] or "", source_key=row["source_key"] or "", reader=row["reader"] or "")


def _report_row(report: Report, ingested: datetime, n_observations: int, kept: dict | None = None) -> dict:
    return {
        "report_id": report.report_id, "source": report.source, "url": report.url, "title": report.title,
        "published": report.published, "path": report.path, "source_key": report.source_key,
        "reader": report.reader, "sha256": hashlib.sha256(report.text.encode("utf-8")).hexdigest(),
        "text": report.text, "ingested_at": (kept or {}).get("ingested_at") or ingested,
        "extractor_version": EXTRACTOR_VERSION, "n_observations": n_observations,
        "removed_at": (kept or {}).get("removed_at"),
    }


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
