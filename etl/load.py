"""Load stage: DuckDB, published atomically.

A refresh never writes the live database file. It copies it (or creates a new one) to a
temporary file beside it, migrates that copy to this code's schema, does all its work there in
one transaction, checkpoints, and `os.replace`s the temporary file over the live one. A reader
therefore sees the old database or the new one, never half a refresh, and a crash or kill -9
leaves the last good database (the next refresh removes the leftover temporary file).
The one exception is `record_failed_run`: one small transaction on the live database, after a
failed attempt, so that the failure is visible where the analysts look.

One writer at a time: a POSIX record lock on `<db>.lock` (`lockf`, not `flock`: it belongs to
the process, so forked extraction workers never hold it and it dies with the refresh); a
second refresh fails at once with `LockedError`.

The schema is built by the numbered migrations in `migrations/` (`0001_initial.sql`, ...),
applied in order and recorded one row each in `schema_version`; `schema.sql` is the full
schema they add up to, for reading.
"""
from __future__ import annotations

import errno
import fcntl
import os
import re
import shutil
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from etl.models import OBSERVATION_COLUMNS
from etl.places import Gazetteer

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
MIGRATIONS_DIR = Path(__file__).with_name("migrations")
_MIGRATION_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
# Opening the live database to write a failed-run row waits this long for dashboard readers.
LIVE_WRITE_ATTEMPTS = 20
LIVE_WRITE_RETRY_SECONDS = 0.1


class LockedError(RuntimeError):
    """Another refresh holds the database."""


class SchemaMismatch(RuntimeError):
    """The database was written by a newer version of the code, or is not a presence database."""


# --------------------------------------------------------------------------------------------
# Schema: numbered migrations
# --------------------------------------------------------------------------------------------
def load_migrations(folder: Path = MIGRATIONS_DIR) -> list[tuple[int, str, str]]:
    """(version, file name, SQL) of every migration, in order; numbered 1, 2, 3... without gaps."""
    found = []
    for path in sorted(folder.glob("*.sql")):
        m = _MIGRATION_NAME.match(path.name)
        if not m:
            raise RuntimeError(f"{path}: a migration is named NNNN_what_it_does.sql")
        found.append((int(m.group(1)), path.name, path.read_text(encoding="utf-8")))
    numbers = [v for v, _, _ in found]
    if numbers != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations in {folder} must be numbered 1..N without gaps; found {numbers}")
    return found


SCHEMA_VERSION = len(load_migrations())


def schema_version_of(con: duckdb.DuckDBPyConnection) -> int | None:
    """The schema version recorded in the database; 0 for an empty database, None for a
    database with tables but no `schema_version` (not a presence database)."""
    tables = {r[0] for r in con.execute(
        "select table_name from information_schema.tables where table_schema = 'main'").fetchall()}
    if "schema_version" not in tables:
        return 0 if not tables else None
    return con.execute("select coalesce(max(version), 0) from schema_version").fetchone()[0]


def ensure_schema(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Bring the database to SCHEMA_VERSION by applying the migrations it lacks, in order, one
    transaction each; returns the versions applied. Refuses a database of a newer version."""
    found = schema_version_of(con)
    if found is None:
        raise SchemaMismatch("the database has tables but no schema_version table: it is not a "
                             "presence database; give a new --db path")
    if found > SCHEMA_VERSION:
        raise SchemaMismatch(
            f"the database has schema version {found}, newer than this code (schema version "
            f"{SCHEMA_VERSION}): update presence (git pull, then bash scripts/setup.sh) and run "
            "again, or refresh into a new --db path")
    applied = []
    for version, _name, sql in load_migrations()[found:]:
        con.execute("begin")
        try:
            con.execute(sql)
            con.execute("insert into schema_version values (?, ?)", [version, _now()])
            con.execute("commit")
        except BaseException:
            con.execute("rollback")
            raise
        applied.append(version)
    return applied


# --------------------------------------------------------------------------------------------
# One writer, atomic publication
# --------------------------------------------------------------------------------------------
_LOCKS_HELD: set[str] = set()  # lock files this process holds (POSIX locks are per process)
_LOCKS_HELD_GUARD = threading.Lock()


def lock_path_of(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".lock")


@contextmanager
def writer_lock(db_path: Path):
    """Hold `<db>.lock` for the block, or raise LockedError at once."""
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = lock_path_of(db_path)
    key = str(lock_path.resolve())
    with _LOCKS_HELD_GUARD:
        if key in _LOCKS_HELD:  # opening and closing the file again would drop our own lock
            raise LockedError(f"another refresh is writing {db_path} (in this process; lock {lock_path}); "
                              "try again when it ends")
        _LOCKS_HELD.add(key)
    try:
        fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
        try:
            try:
                fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError as e:
                if e.errno not in (errno.EACCES, errno.EAGAIN):
                    raise
                holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip()
                holder = f"pid {holder}, " if holder.isdigit() else ""
                raise LockedError(f"another refresh is writing {db_path} ({holder}lock {lock_path}); "
                                  "try again when it ends") from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
            yield
        finally:
            os.close(fd)  # releases the lock
    finally:
        with _LOCKS_HELD_GUARD:
            _LOCKS_HELD.discard(key)


def temp_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".wal")


def remove_leftovers(db_path: Path) -> list[Path]:
    """Temporary files (and their WALs) of refreshes that died; call it holding the lock."""
    gone = []
    for p in db_path.parent.glob(db_path.name + ".tmp-*"):
        p.unlink(missing_ok=True)
        gone.append(p)
    return gone


def settle_live_wal(db_path: Path) -> bool:
    """Fold a write-ahead log left beside the live database (a failed-run row whose writer was
    killed) into it, so that the copy holds everything and no stale WAL outlives the file it
    belongs to once a new file is published. Call it holding the lock."""
    if not (db_path.exists() and wal_path(db_path).exists()):
        return False
    con = _connect_live(db_path)
    try:
        con.execute("checkpoint")
    finally:
        con.close()
    return True


WRITER_MEMORY_LIMIT = "256MB"


def open_working_copy(db_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A writable copy of the live database (or a new one) at this code's schema, and its path."""
    tmp = temp_path(db_path)
    tmp.unlink(missing_ok=True)
    wal_path(tmp).unlink(missing_ok=True)
    if db_path.exists():
        shutil.copyfile(db_path, tmp)
    # A bounded buffer pool: DuckDB spills to disk past it instead of growing with the
    # corpus, and the scheduled job stays small beside the dashboard.
    con = duckdb.connect(str(tmp), config={"memory_limit": WRITER_MEMORY_LIMIT, "preserve_insertion_order": False})
    try:
        ensure_schema(con)
    except BaseException:
        con.close()
        raise
    return con, tmp


def discard_working_copy(con: duckdb.DuckDBPyConnection, tmp: Path) -> None:
    try:
        con.close()
    finally:
        tmp.unlink(missing_ok=True)
        wal_path(tmp).unlink(missing_ok=True)


def publish(con: duckdb.DuckDBPyConnection, tmp: Path, db_path: Path) -> None:
    con.execute("checkpoint")
    con.close()
    if wal_path(tmp).exists():  # everything must be in the one file we are about to publish
        raise RuntimeError(f"{wal_path(tmp)} is left after a checkpoint; not publishing")
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, db_path)
    dir_fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def _connect_live(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the live database, waiting briefly for dashboard readers
    (their read-only connections hold a shared lock on the file)."""
    for attempt in range(LIVE_WRITE_ATTEMPTS):
        try:
            return duckdb.connect(str(db_path))
        except duckdb.IOException:
            if attempt + 1 == LIVE_WRITE_ATTEMPTS:
                raise
            time.sleep(LIVE_WRITE_RETRY_SECONDS)
    raise AssertionError("unreachable")


def record_failed_run(db_path: Path, run: dict) -> bool:
    """Add a refresh_runs row (status 'failed') to the live database in one small transaction,
    after a failed attempt; call it holding the lock. Only the columns the database has are
    written (a run that failed before migrating leaves an older schema). False when there is no
    database yet or it is not one this code understands."""
    if not db_path.exists():
        return False
    con = _connect_live(db_path)
    try:
        version = schema_version_of(con)
        if version is None or version == 0 or version > SCHEMA_VERSION:
            return False
        columns = [r[0] for r in con.execute(
            "select column_name from information_schema.columns where table_name = 'refresh_runs' "
            "order by ordinal_position").fetchall()]
        row = {k: v for k, v in run.items() if k in columns}
        con.execute("begin")
        con.execute(f"insert into refresh_runs ({', '.join(row)}) values ({', '.join('?' * len(row))})",
                    list(row.values()))
        con.execute("commit")
        con.execute("checkpoint")
    finally:
        con.close()
    return True


def load_places(con: duckdb.DuckDBPyConnection, gaz: Gazetteer) -> None:
    """The gazetteer as tables (rewritten each refresh: it is reference data, not history)."""
    place_frame = pd.DataFrame(  # noqa: F841 (scanned by name below)
        [(p.place_id, p.name, p.admin1, p.admin2, p.country, p.latitude, p.longitude, p.kind, p.population, p.source)
         for p in sorted(gaz.places.values(), key=lambda p: p.place_id)],
        columns=["place_id", "name", "admin1", "admin2", "country", "latitude", "longitude", "kind", "population", "source"],
    )
    alias_frame = pd.DataFrame(sorted(set(gaz.aliases)), columns=["place_id", "alias", "language"])  # noqa: F841
    con.execute("delete from places")
    con.execute("insert into places by name select * from place_frame")
    con.execute("delete from place_aliases")
    con.execute("insert into place_aliases by name select * from alias_frame")


def known_reports(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """report_id -> (extractor_version, source_key) of the stored reports."""
    return {r[0]: (r[1], r[2]) for r in con.execute("select report_id, extractor_version, source_key from reports").fetchall()}


def stored_reports(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, str, str, bool]]:
    """report_id -> (extractor_version, source_key, path, reader, removed) of the stored reports."""
    return {r[0]: (r[1], r[2] or "", r[3] or "", r[4] or "", r[5]) for r in con.execute(
        "select report_id, extractor_version, source_key, path, reader, removed_at is not null from reports"
    ).fetchall()}


def stored_report_rows(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> list[dict]:
    """Every column of the given stored reports, to extract them again from their text."""
    if not report_ids:
        return []
    ids = pd.DataFrame({"report_id": report_ids})  # noqa: F841 (scanned by name below)
    frame = con.execute("select * from reports where report_id in (select report_id from ids) "
                        "order by report_id").df()
    return [{k: (None if _is_null(v) else v) for k, v in row.items()} for row in frame.to_dict("records")]


def _is_null(value) -> bool:
    try:
        return bool(pd.isna(value))
    except (TypeError, ValueError):
        return False


def move_reports(con: duckdb.DuckDBPyConnection, moves: list[tuple[str, str, str]]) -> None:
    """(report_id, path, source_key): the same report, found at another file or record."""
    if moves:
        # One set-based UPDATE: a folder given by another path moves every report in it.
        move_frame = pd.DataFrame(moves, columns=["report_id", "path", "source_key"])  # noqa: F841
        con.execute("update reports set path = m.path, source_key = m.source_key "
                    "from move_frame m where reports.report_id = m.report_id")


def mark_removed(con: duckdb.DuckDBPyConnection, report_ids: list[str], when: datetime) -> None:
    _set_removed(con, report_ids, when)


def mark_present(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    _set_removed(con, report_ids, None)


def _set_removed(con, report_ids: list[str], when: datetime | None) -> None:
    if not report_ids:
        return
    ids = pd.DataFrame({"report_id": report_ids})  # noqa: F841 (scanned by name below)
    con.execute("update reports set removed_at = ? where report_id in (select report_id from ids)", [when])


def removed_report_ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [r[0] for r in con.execute(
        "select report_id from reports where removed_at is not null order by report_id").fetchall()]


def feed_states(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str | None, str | None]]:
    """feed -> (etag, last_modified) of the last request."""
    return {r[0]: (r[1], r[2]) for r in con.execute("select feed, etag, last_modified from feed_state").fetchall()}


def save_feed_state(con: duckdb.DuckDBPyConnection, feed: str, etag: str | None, last_modified: str | None,
                    status: int | None, changed: bool, when: datetime) -> None:
    old = con.execute("select changed_at from feed_state where feed = ?", [feed]).fetchone()
    changed_at = when if changed else (old[0] if old else None)
    con.execute("delete from feed_state where feed = ?", [feed])
    con.execute("insert into feed_state values (?, ?, ?, ?, ?, ?)",
                [feed, etag, last_modified, status, when, changed_at])


def insert_rejected(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    if rows:
        frame = pd.DataFrame(rows, columns=["run_id", "path", "record", "reason", "detail", "rejected_at"])  # noqa: F841
        con.execute("insert into rejected_inputs by name select * from frame")


def insert_run(con: duckdb.DuckDBPyConnection, run: dict) -> None:
    con.execute(f"insert into refresh_runs ({', '.join(run)}) values ({', '.join('?' * len(run))})",
                list(run.values()))


def delete_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    if not report_ids:
        return
    ids = pd.DataFrame({"report_id": report_ids})  # noqa: F841 (scanned by name below)
    _ensure_touched(con)
    con.execute(f"insert into {_TOUCHED} select indicator, change, actor, place_id, negated from observations "
                "where report_id in (select report_id from ids)")
    con.execute("delete from observations where report_id in (select report_id from ids)")
    con.execute("delete from unresolved_places where report_id in (select report_id from ids)")
    con.execute("delete from reports where report_id in (select report_id from ids)")


def insert_batch(con: duckdb.DuckDBPyConnection, report_rows: list[dict], observation_rows: list[dict],
                 unresolved_rows: list[dict] | None = None) -> None:
    """Bulk insert (DataFrame scans, not row-by-row); the events the new observations touch
    are rebuilt once at the end of the run (rebuild_events)."""
    if report_rows:
        report_frame = pd.DataFrame(report_rows)  # noqa: F841
        con.execute("insert into reports by name select * from report_frame")
    if observation_rows:
        obs_frame = pd.DataFrame(observation_rows, columns=list(OBSERVATION_COLUMNS))  # noqa: F841
        con.execute("insert into observations by name select * from obs_frame")
        _ensure_touched(con)
        con.execute(f"insert into {_TOUCHED} select indicator, change, actor, place_id, negated from obs_frame")
    if unresolved_rows:
        unresolved_frame = pd.DataFrame(unresolved_rows, columns=["report_id", "name", "sentence"])  # noqa: F841
        con.execute("insert into unresolved_places by name select * from unresolved_frame")


# Event groups (indicator, change, actor, place, denial) whose observations changed in this
# run: only those are merged again. A temporary table lives with the refresh's connection.
_TOUCHED = "touched_event_groups"
_GROUP_MATCH = ("k.indicator = {a}.indicator and k.change = {a}.change and k.actor = {a}.actor "
                "and k.place_id is not distinct from {a}.place_id and k.negated = {a}.negated")


def _ensure_touched(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create temp table if not exists {_TOUCHED} (indicator varchar, change varchar, "
                "actor varchar, place_id varchar, negated boolean)")


def rebuild_events(con: duckdb.DuckDBPyConnection) -> int:
    """Merge the observations of every touched group into events (etl/events.py), replacing
    that group's old events. Returns the number of events written."""
    from etl.events import EVENT_COLUMNS, build_events

    _ensure_touched(con)
    if not con.execute(f"select count(*) from {_TOUCHED}").fetchone()[0]:
        return 0
    con.execute(f"create or replace temp table touched_keys as select distinct * from {_TOUCHED}")
    old = f"select e.event_id from events e where exists (select 1 from touched_keys k where {_GROUP_MATCH.format(a='e')})"
    con.execute(f"delete from event_observations where event_id in ({old})")
    con.execute(f"delete from events where event_id in ({old})")
    touched = f"exists (select 1 from touched_keys k where {_GROUP_MATCH.format(a='o')})"
    n_obs = con.execute(f"select count(*) from observations o where {touched}").fetchone()[0]
    # Groups never span places, so places split the work into buckets that bound memory
    # (a cold refresh of 100k reports touches every group: a million observations).
    buckets = max(1, n_obs // REBUILD_BUCKET_ROWS)
    written = 0
    for bucket in range(buckets):
        obs = con.execute(f"""
            select {', '.join('o.' + c for c in _EVENT_INPUT_COLUMNS)}, r.source, r.published
            from observations o join reports r using (report_id)
            where {touched} and hash(coalesce(o.place_id, '')) % {buckets} = {bucket}
        """).df()
        for col in ("date_start", "date_end", "published"):
            obs[col] = [v.date() if hasattr(v, "date") else v for v in obs[col]]
        events, links = build_events(obs)
        del obs
        if len(events):
            event_frame = events[EVENT_COLUMNS]  # noqa: F841 (scanned by name below)
            link_frame = links  # noqa: F841
            con.execute("insert into events by name select * from event_frame")
            con.execute("insert into event_observations by name select * from link_frame")
        written += len(events)
    con.execute(f"delete from {_TOUCHED}")
    return written


REBUILD_BUCKET_ROWS = 100_000
# What merging needs of an observation (not its sentence: that is most of the bytes).
_EVENT_INPUT_COLUMNS = ("observation_id", "report_id", "indicator", "change", "actor", "counterpart",
                        "place_id", "place_name", "admin1", "country", "place_precision", "latitude",
                        "longitude", "date_start", "date_end", "date_precision", "quantity_low",
                        "quantity_high", "hedged", "negated", "confidence")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
