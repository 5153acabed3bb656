"""The scheduled job: read -> extract -> load, incremental and idempotent.

An unchanged report (same content hash, same extractor version) is not extracted again; a
report whose content changed at the same source key replaces the old one; every rejected
input is recorded with its reason and the run goes on.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import sys
import time
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterable, Iterator

from etl import load
from etl.extract import EXTRACTOR_VERSION, extract_observations
from etl.models import Rejected, Report
from etl.read import read_reports
from etl.reference import Reference, default_reference

BATCH = 500  # reports per bulk insert
PARALLEL_FROM = 400  # below this many reports to extract, one process is faster


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
    seconds: float = 0.0
    rejected: list[Rejected] = field(default_factory=list)

    def line(self) -> str:
        return (f"refresh ok: {self.reports_seen} reports seen, {self.reports_new} new, "
                f"{self.reports_unchanged} unchanged, {self.reports_replaced} replaced, "
                f"{self.reports_failed} rejected, {self.observations_added} observations added "
                f"in {self.seconds:.1f}s -> {self.db_path}")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


# The reference data a worker process extracts with (set before the pool forks).
_WORKER_REFERENCE: Reference | None = None


def _extract_one(report: Report):
    return report, extract_observations(report, _WORKER_REFERENCE)


def _extract_all(reports: Iterable[Report], ref: Reference, parallel: bool) -> Iterator[tuple[Report, list]]:
    global _WORKER_REFERENCE
    _WORKER_REFERENCE = ref
    if not parallel or (os.cpu_count() or 1) < 2:
        for r in reports:
            yield r, extract_observations(r, ref)
        return
    # fork shares the loaded reference data with the workers; the extractor is pure.
    with multiprocessing.get_context("fork").Pool(os.cpu_count()) as pool:
        yield from pool.imap(_extract_one, reports, chunksize=32)


def refresh(paths: list[str | os.PathLike], db_path: Path, *, csv_columns: dict | None = None,
            csv_date_format: str | None = None, max_bytes: int | None = None,
            reference: Reference | None = None, progress: bool | None = None,
            log=None) -> RefreshSummary:
    """Bring the database at `db_path` up to date with the reports under `paths`."""
    started = _now()
    t0 = time.perf_counter()
    run_id = started.strftime("%Y%m%dT%H%M%S") + "-" + uuid.uuid4().hex[:8]
    summary = RefreshSummary(run_id=run_id, db_path=db_path)
    ref = reference or default_reference()
    with load.writer_lock(db_path):
        load.remove_leftovers(db_path)
        con, tmp = load.open_working_copy(db_path)
        try:
            con.execute("begin")
            load.load_places(con, ref.gazetteer)
            known = load.known_reports(con)
            by_source_key = {sk: rid for rid, (_v, sk) in known.items()}
            kwargs = {"csv_columns": csv_columns, "csv_date_format": csv_date_format}
            if max_bytes is not None:
                kwargs["max_bytes"] = max_bytes
            to_extract: list[Report] = []
            replaced: list[str] = []
            seen_ids: set[str] = set()
            for item in read_reports([str(p) for p in paths], **kwargs):
                if isinstance(item, Rejected):
                    summary.rejected.append(item)
                    if log:
                        log(f"rejected {item.path}{'#' + item.record if item.record else ''}: {item.reason}"
                            f"{' (' + item.detail + ')' if item.detail else ''}")
                    continue
                summary.reports_seen += 1
                if item.report_id in seen_ids:
                    summary.reports_unchanged += 1  # the same report twice in this run
                    continue
                seen_ids.add(item.report_id)
                if item.report_id in known and known[item.report_id][0] == EXTRACTOR_VERSION:
                    summary.reports_unchanged += 1
                    continue
                old = by_source_key.get(item.source_key)
                if item.report_id in known:
                    replaced.append(item.report_id)  # stored by an older extractor: extract again
                elif old is not None and old != item.report_id:
                    replaced.append(old)
                    summary.reports_replaced += 1
                else:
                    summary.reports_new += 1
                to_extract.append(item)
            load.delete_reports(con, replaced)

            show = progress if progress is not None else sys.stderr.isatty()
            results = _extract_all(to_extract, ref, parallel=len(to_extract) >= PARALLEL_FROM)
            if show:
                from tqdm import tqdm
                results = tqdm(results, total=len(to_extract), unit="report", file=sys.stderr)
            report_rows, obs_rows = [], []
            ingested = _now()
            for report, observations in results:
                report_rows.append(_report_row(report, ingested, len(observations)))
                obs_rows.extend(o.as_row(EXTRACTOR_VERSION) for o in observations)
                if len(report_rows) >= BATCH:
                    load.insert_batch(con, report_rows, obs_rows)
                    summary.observations_added += len(obs_rows)
                    report_rows, obs_rows = [], []
            load.insert_batch(con, report_rows, obs_rows)
            summary.observations_added += len(obs_rows)

            summary.reports_failed = len(summary.rejected)
            summary.seconds = time.perf_counter() - t0
            for r in summary.rejected:
                con.execute("insert into rejected_inputs values (?, ?, ?, ?, ?, ?)",
                            [run_id, r.path, r.record, r.reason, r.detail, _now()])
            con.execute("insert into refresh_runs values (?, ?, ?, 'ok', ?, ?, ?, ?, ?, ?, ?, null)",
                        [run_id, started, _now(), summary.reports_seen, summary.reports_new,
                         summary.reports_unchanged, summary.reports_replaced, summary.reports_failed,
                         summary.observations_added, EXTRACTOR_VERSION])
            con.execute("commit")
            load.publish(con, tmp, db_path)
        except BaseException:
            try:
                con.close()
            finally:
                tmp.unlink(missing_ok=True)
            raise
    summary.seconds = time.perf_counter() - t0
    return summary


def _report_row(report: Report, ingested: datetime, n_observations: int) -> dict:
    return {
        "report_id": report.report_id, "source": report.source, "url": report.url, "title": report.title,
        "published": report.published, "path": report.path, "source_key": report.source_key,
        "reader": report.reader, "sha256": hashlib.sha256(report.text.encode("utf-8")).hexdigest(),
        "text": report.text, "ingested_at": ingested, "extractor_version": EXTRACTOR_VERSION,
        "n_observations": n_observations,
    }
