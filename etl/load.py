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

import csv
import errno
import fcntl
import io
import os
import re
import shutil
import struct
import sys
import threading
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from etl.models import OBSERVATION_COLUMNS

if TYPE_CHECKING:
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
        "select table_name from information_schema.tables where table_schema = 'main' "
        "and table_catalog = current_database()").fetchall()}
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
# The lock file also says when a refresh last wrote the database in place (second line, ns),
# so that the next one does not do it again too soon (Session.to_write).
_LOCK_FDS: dict[str, int] = {}  # held lock file descriptor, by lock file
_LAST_IN_PLACE: dict[str, int] = {}  # what the lock file said when taken, by lock file


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
                holder = (os.pread(fd, 64, 0).decode("ascii", "replace").split() or [""])[0]
                holder = f"pid {holder}, " if holder.isdigit() else ""
                raise LockedError(f"another refresh is writing {db_path} ({holder}lock {lock_path}); "
                                  "try again when it ends") from None
            said = os.pread(fd, 64, 0).decode("ascii", "replace").split()
            last = int(said[1]) if len(said) > 1 and said[1].isdigit() else 0
            _write_lock_file(fd, last)
            _LOCK_FDS[key], _LAST_IN_PLACE[key] = fd, last
            yield
        finally:
            _LOCK_FDS.pop(key, None)
            _LAST_IN_PLACE.pop(key, None)
            os.close(fd)  # releases the lock
    finally:
        with _LOCKS_HELD_GUARD:
            _LOCKS_HELD.discard(key)


def _write_lock_file(fd: int, last_in_place: int) -> None:
    os.ftruncate(fd, 0)
    os.pwrite(fd, f"{os.getpid()}\n{last_in_place}\n".encode(), 0)


def _lock_key(db_path: Path) -> str:
    return str(lock_path_of(Path(db_path)).resolve())


def seconds_since_in_place(db_path: Path) -> float:
    """Since a refresh last wrote `db_path` in place (call it holding the lock; inf: never)."""
    last = _LAST_IN_PLACE.get(_lock_key(db_path), 0)
    return (time.time_ns() - last) / 1e9 if last else float("inf")


def note_in_place(db_path: Path) -> None:
    fd = _LOCK_FDS.get(_lock_key(db_path))
    if fd is not None:
        _write_lock_file(fd, time.time_ns())


def temp_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")


def wal_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".wal")


def remove_leftovers(db_path: Path) -> list[Path]:
    """Temporary files (working copies, their WALs, row files, DuckDB's spill folders) of
    refreshes that died; call it holding the lock."""
    gone = []
    for p in db_path.parent.glob(db_path.name + ".tmp-*"):
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
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


# The writer's DuckDB: a buffer pool that DuckDB spills to disk past, instead of growing with
# the corpus, but large enough for what it must hold: the primary-key indexes of the tables a
# run writes (reports, observations, events; about 48 bytes a key) beside its working memory.
# It is set again as the tables grow (Session.fit_memory). One thread while extraction workers
# run (they have the other cores), all of them otherwise.
WRITER_MEMORY_BASE = 40 << 20
WRITER_MEMORY_PER_KEY = 48
# ... and the files listed by a run that compares stamps (temp.listing, the stamps it replaces
# and writes: a 100k-file corpus re-read whole after its files were touched needs ~25 MB more).
WRITER_MEMORY_PER_FILE = 256
WRITER_MEMORY_LIMIT = "96MB"  # the least
WRITER_THREADS = 1
# Writing in place waits this long for dashboard readers to let go of the file, then copies it.
LIVE_ATTACH_ATTEMPTS = 5
LIVE_ATTACH_RETRY_SECONDS = 0.05
# A reader locked out while a refresh writes in place tries again every 0.2 s for about a second
# (etl/queries.py OPEN_ATTEMPTS, OPEN_RETRY_SECONDS): no refresh writes in place again before it
# has had a free moment longer than that, so that no reader is locked out twice running.
IN_PLACE_QUIET_SECONDS = 0.5
COPY_CHECKPOINT_THRESHOLD = "64MB"
# A small change written in place leaves DuckDB's vacuum (which merges row groups holding
# deleted rows when fewer would do) to a later run: it can rewrite several full row groups of a
# large table to reclaim a few thousand deleted rows (~1 s of a 2.5 s run into 1M events, where
# the rest of the checkpoint takes 0.03 s). Each in-place run appends a small row group to the
# tables it writes; once a table holds VACUUM_SLACK_ROW_GROUPS more row groups than its rows
# need, the run lets the vacuum run, which bounds the space deleted rows keep.
VACUUM_SLACK_ROW_GROUPS = 8
VACUUM_TABLES = ("reports", "observations", "event_observations", "events", "unresolved_places", "source_files")
ROW_GROUP_ROWS = 122_880  # DuckDB's default row group size


class Session:
    """The refresh's DuckDB: an in-memory instance with the database file attached as its
    default catalog (temporary tables live in the instance, whatever is attached).

    A run first reads with the live file attached read-only (dashboards go on reading). Then
    it writes either in place, in one transaction (a small change: DuckDB's commit is atomic,
    so a crash or kill -9 leaves the last committed database, and a reader sees the old or the
    new one), or on a working copy beside the file, published with os.replace (a new database,
    a migration, a large change, or readers that keep the file busy). A working copy is
    committed in steps (`step`): it is published whole at the end or thrown away."""

    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self.tmp = temp_path(self.db_path)
        self.mode: str | None = None  # "read" (live, read-only) | "live" (writing in place) | "copy"
        self.attached: Path | None = None
        self.in_transaction = False
        self.con = duckdb.connect(config={
            "memory_limit": WRITER_MEMORY_LIMIT, "threads": WRITER_THREADS, "preserve_insertion_order": False,
            "temp_directory": f"{self.tmp}.spill"})

    # ---- phases ----------------------------------------------------------------------------
    def open(self) -> None:
        """Attach the live database read-only, or start a working copy (a new database, or
        one to migrate: migrations run in the copy, so a failed one publishes nothing)."""
        if self.db_path.exists():
            try:
                self._attach(self.db_path, read_only=True)
            except duckdb.Error:  # open in this process already (DuckDB attaches a file once)
                self.to_copy()
                return
            version = schema_version_of(self.con)
            if version is None or version > SCHEMA_VERSION:
                ensure_schema(self.con)  # raises SchemaMismatch with what to do
            if version == SCHEMA_VERSION:
                self.mode = "read"
                self.fit_memory()
                return
        self.to_copy()

    def to_copy(self) -> None:
        """Go on in a working copy of the live database (nothing was written to it)."""
        if self.mode == "copy":
            return
        if self.attached is not None:
            self._detach()
        self.tmp.unlink(missing_ok=True)
        wal_path(self.tmp).unlink(missing_ok=True)
        if self.db_path.exists():
            shutil.copyfile(self.db_path, self.tmp)
        self._attach(self.tmp, read_only=False)
        ensure_schema(self.con)
        self.mode = "copy"
        # A working copy folds its write-ahead log in less often than DuckDB's default (each
        # checkpoint writes the primary-key indexes out whole), but often enough that those
        # indexes do not pile up in memory (they can be let go once written).
        self.con.execute(f"set checkpoint_threshold = '{COPY_CHECKPOINT_THRESHOLD}'")
        self.fit_memory()
        self._begin()

    def to_write(self, in_place: bool) -> None:
        """From reading to writing: in place when asked and no reader has the file open (a
        dashboard reading now would be locked out while the change is written; so would one
        that comes meanwhile, for that short while, and it retries), else in a working copy."""
        if self.mode != "read":
            return
        if in_place and seconds_since_in_place(self.db_path) > IN_PLACE_QUIET_SECONDS:
            self._detach()
            for attempt in range(LIVE_ATTACH_ATTEMPTS if not _file_locked(self.db_path) else 0):
                try:
                    self._attach(self.db_path, read_only=False)
                except duckdb.IOException:  # a reader holds the file (a shared lock)
                    time.sleep(LIVE_ATTACH_RETRY_SECONDS)
                    continue
                except duckdb.Error:  # open in this process already
                    break
                self.mode = "live"
                self.fit_memory()
                self._begin()
                return
        self.to_copy()

    def step(self) -> None:
        """Commit what a working copy holds so far (DuckDB then writes rows out instead of
        keeping them in memory); in place, the run stays one transaction."""
        if self.mode == "copy":
            self.con.execute("commit")
            self._begin()
        self.fit_memory()

    def fit_memory(self) -> None:
        """DuckDB's memory limit for the database as large as it is now (see WRITER_MEMORY_*)."""
        keys = self.con.execute("select (select count(*) from reports) + (select count(*) from observations) "
                                "+ (select count(*) from events)").fetchone()[0]
        files = self.con.execute("select count(*) from duckdb_tables() where temporary and table_name = 'listing'").fetchone()[0] \
            and self.con.execute("select count(*) from temp.listing").fetchone()[0]
        limit = max(_bytes(WRITER_MEMORY_LIMIT), WRITER_MEMORY_BASE + WRITER_MEMORY_PER_KEY * keys + WRITER_MEMORY_PER_FILE * files)
        if limit != getattr(self, "memory_limit", None):
            self.con.execute(f"set memory_limit = '{limit // (1 << 20)}MB'")
            self.memory_limit = limit

    def finish(self) -> None:
        """Commit and make the result the live database."""
        self.con.execute("commit")
        self.in_transaction = False
        if self.mode == "live":
            self.con.execute(f"set max_vacuum_tasks = {100 if self.vacuum_due() else 0}")
        self.con.execute("checkpoint")
        self._detach()
        if self.mode == "live":
            note_in_place(self.db_path)
        if self.mode == "copy":
            if wal_path(self.tmp).exists():  # everything must be in the one file we publish
                raise RuntimeError(f"{wal_path(self.tmp)} is left after a checkpoint; not publishing")
            with open(self.tmp, "rb") as f:
                os.fsync(f.fileno())
            os.replace(self.tmp, self.db_path)
            dir_fd = os.open(self.db_path.parent, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        self.close()

    def vacuum_due(self) -> bool:
        """Whether a table of the attached database holds VACUUM_SLACK_ROW_GROUPS more row
        groups than its rows need (see VACUUM_SLACK_ROW_GROUPS)."""
        for table in VACUUM_TABLES:
            groups, rows = self.con.execute(
                f"select (select count(distinct row_group_id) from pragma_storage_info('{table}')), "
                f"(select count(*) from {table})").fetchone()
            if groups > -(-rows // ROW_GROUP_ROWS) + VACUUM_SLACK_ROW_GROUPS:
                return True
        return False

    def close(self) -> None:
        """Let go of everything; what was not committed (in place) or published (a copy) is
        gone."""
        try:
            if self.in_transaction:
                self.in_transaction = False
                self.con.execute("rollback")
            if self.attached is not None:
                self._detach()
        finally:
            self.con.close()
            if self.mode == "copy":
                self.tmp.unlink(missing_ok=True)
                wal_path(self.tmp).unlink(missing_ok=True)
            shutil.rmtree(f"{self.tmp}.spill", ignore_errors=True)

    # ---- helpers ---------------------------------------------------------------------------
    def _attach(self, path: Path, read_only: bool) -> None:
        quoted = str(path).replace("'", "''")
        self.con.execute(f"attach '{quoted}' as presence_db{' (read_only)' if read_only else ''}")
        self.attached = path
        self.con.execute("use presence_db")

    def _detach(self) -> None:
        self.con.execute("use memory")
        self.con.execute("detach presence_db")
        self.attached = None

    def _begin(self) -> None:
        self.con.execute("begin")
        self.in_transaction = True


# struct flock on Linux (l_type, l_whence, l_start, l_len, l_pid, padding).
_FLOCK = "hhqqi4x" if sys.platform.startswith("linux") else None


def _file_locked(path: Path) -> bool:
    """Whether another process holds a lock on `path` (a DuckDB reader's shared lock): asked
    with F_GETLK, which takes none. Where that cannot be asked, say yes."""
    if _FLOCK is None:
        return True
    try:
        fd = os.open(path, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return True
    try:
        probe = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        return struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, probe))[0] != fcntl.F_UNLCK
    except OSError:
        return True
    finally:
        os.close(fd)


def _bytes(size: str) -> int:
    """'96MB' -> bytes."""
    units = {"KB": 1 << 10, "MB": 1 << 20, "GB": 1 << 30}
    return int(float(size[:-2]) * units[size[-2:].upper()])


def _connect_live(db_path: Path) -> duckdb.DuckDBPyConnection:
    """A read-write connection to the live database, waiting briefly for dashboard readers
    (their read-only connections hold a shared lock on the file; a reader in this very process,
    etl.queries' kept instance, shows as ResourceInUseException until it lets go)."""
    for attempt in range(LIVE_WRITE_ATTEMPTS):
        try:
            return duckdb.connect(str(db_path))
        except (duckdb.IOException, duckdb.ResourceInUseException):
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


# --------------------------------------------------------------------------------------------
# Moving rows in: Python lists as DuckDB list parameters, unnested (new reports: RowBatch)
# --------------------------------------------------------------------------------------------
_COLUMN_TYPES: dict[str, dict[str, str]] = {}


def _column_types(con: duckdb.DuckDBPyConnection, table: str) -> dict[str, str]:
    if table not in _COLUMN_TYPES:
        _COLUMN_TYPES[table] = dict(con.execute(
            "select column_name, data_type from information_schema.columns where table_name = ? "
            "and table_catalog = current_database() order by ordinal_position", [table]).fetchall())
    return _COLUMN_TYPES[table]


CSV_FROM_ROWS = 200


def insert_rows(con: duckdb.DuckDBPyConnection, table: str, columns, rows: list[tuple],
                create_like: str | None = None, types_of: str | None = None, types: dict | None = None) -> None:
    """Insert `rows` (tuples in the order of `columns`) into `table`, typed as the columns of
    `create_like` (which `table` is first created from, empty), of `types_of`, or of `table`
    itself. Many rows go as CSV text (see RowBatch), a few as list parameters, unnested."""
    columns = list(columns)
    if types:
        pass
    elif create_like:
        types = _column_types(con, create_like)
    elif types_of:
        types = _column_types(con, types_of)
    else:
        types = {} if table.startswith("temp.") else _column_types(con, table)
    if create_like:
        con.execute(f"create or replace temp table {table.removeprefix('temp.')} as "
                    f"select {', '.join(columns)} from {create_like} limit 0")
    if not rows:
        return
    if len(rows) >= CSV_FROM_ROWS and len(types) >= len(columns):
        text = _csv_text(rows)
        if "\x00" not in text:
            _insert_csv(con, table, columns, types, [text])
            return
    unnest = ", ".join(f"unnest(${i + 1}::{types[c]}[])" if c in types else f"unnest(${i + 1})"
                       for i, c in enumerate(columns))
    con.execute(f"insert into {table} ({', '.join(columns)}) select {unnest}", [list(c) for c in zip(*rows)])


def _insert_csv(con: duckdb.DuckDBPyConnection, table: str, columns: list[str], types: dict[str, str],
                texts: list[str], constants: dict | None = None) -> None:
    """Insert CSV text (the lines of _csv_text, in the order of `columns` but those given in
    `constants`, the same for every row) into `table`, through a file beside the database
    (deleted at once; a leftover is a `*.tmp-*` file the next refresh removes)."""
    database = con.execute("select path from duckdb_databases() where database_name = current_database()").fetchone()[0]
    if database:  # named like a working copy: a leftover is removed by the next refresh
        path = Path(f"{database}.tmp-{os.getpid()}.rows.csv")
    else:  # an in-memory database
        import tempfile

        path = Path(tempfile.gettempdir()) / f"presence-rows-{os.getpid()}.csv"
    constants = constants or {}
    read = [c for c in columns if c not in constants]
    spec = ", ".join(f"'{c}': '{types[c]}'" for c in read)
    select = ", ".join("?" if c in constants else c for c in columns)
    max_line = max(2 << 20, 2 * max(map(len, texts)) + 1024)  # a report's whole text is one field
    try:
        with open(path, "w", encoding="utf-8", newline="") as f:
            f.writelines(texts)
        con.execute(f"insert into {table} ({', '.join(columns)}) select {select} from read_csv(?, columns = {{{spec}}}, "
                    f"{_CSV_OPTIONS}, max_line_size = {max_line})",
                    [*(constants[c] for c in columns if c in constants), str(path)])
    finally:
        path.unlink(missing_ok=True)


def _id_table(con: duckdb.DuckDBPyConnection, name: str, ids, column: str = "report_id") -> str:
    """A temporary one-column table of the given ids (replaced if it exists); its name."""
    con.execute(f"create or replace temp table {name} ({column} varchar)")
    if ids:
        con.execute(f"insert into {name} select unnest(?::varchar[])", [list(ids)])
    return name


def load_places(con: duckdb.DuckDBPyConnection, gaz: Gazetteer) -> None:
    """The gazetteer as tables (rewritten each refresh: it is reference data, not history)."""
    place_columns = ["place_id", "name", "admin1", "admin2", "country", "latitude", "longitude", "kind",
                     "population", "source"]
    places = [(p.place_id, p.name, p.admin1, p.admin2, p.country, p.latitude, p.longitude, p.kind,
               p.population, p.source) for p in sorted(gaz.places.values(), key=lambda p: p.place_id)]
    con.execute("delete from places")
    insert_rows(con, "places", place_columns, places)
    con.execute("delete from place_aliases")
    insert_rows(con, "place_aliases", ["place_id", "alias", "language"], sorted(set(gaz.aliases)))


def known_reports(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """report_id -> (extractor_version, source_key) of the stored reports."""
    return {r[0]: (r[1], r[2]) for r in con.execute("select report_id, extractor_version, source_key from reports").fetchall()}


def stored_reports(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str, str, str, bool]]:
    """report_id -> (extractor_version, source_key, path, reader, removed) of the stored reports."""
    return {r[0]: (r[1], r[2] or "", r[3] or "", r[4] or "", r[5]) for r in con.execute(
        "select report_id, extractor_version, source_key, path, reader, removed_at is not null from reports"
    ).fetchall()}


def reports_to_reextract(con: duckdb.DuckDBPyConnection, extractor_version: str, everything: bool) -> list[str]:
    """Stored reports written by another extractor version (or all of them)."""
    if everything:
        return [r[0] for r in con.execute("select report_id from reports order by report_id").fetchall()]
    return [r[0] for r in con.execute("select report_id from reports where extractor_version <> ? "
                                      "order by report_id", [extractor_version]).fetchall()]


def stored_report_rows(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> list[dict]:
    """Every column of the given stored reports, to extract them again from their text."""
    if not report_ids:
        return []
    _id_table(con, "wanted_reports", report_ids)
    result = con.execute("select * from reports where report_id in (select report_id from wanted_reports) "
                         "order by report_id")
    names = [d[0] for d in result.description]
    return [dict(zip(names, row)) for row in result.fetchall()]


def move_reports(con: duckdb.DuckDBPyConnection, moves: list[tuple[str, str, str]]) -> None:
    """(report_id, path, source_key): the same report, found at another file or record."""
    if moves:
        # One set-based UPDATE: a folder given by another path moves every report in it.
        con.execute("create or replace temp table moved_reports (report_id varchar, path varchar, source_key varchar)")
        insert_rows(con, "temp.moved_reports", ["report_id", "path", "source_key"], moves)
        con.execute("update reports set path = m.path, source_key = m.source_key "
                    "from moved_reports m where reports.report_id = m.report_id")


def mark_removed(con: duckdb.DuckDBPyConnection, report_ids: list[str], when: datetime) -> None:
    _set_removed(con, report_ids, when)


def mark_present(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    _set_removed(con, report_ids, None)


def _set_removed(con, report_ids: list[str], when: datetime | None) -> None:
    if not report_ids:
        return
    _id_table(con, "removed_ids", report_ids)
    con.execute("update reports set removed_at = ? where report_id in (select report_id from removed_ids)", [when])


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


REJECTED_COLUMNS = ("run_id", "path", "record", "reason", "detail", "rejected_at")


def insert_rejected(con: duckdb.DuckDBPyConnection, rows: list[dict]) -> None:
    insert_rows(con, "rejected_inputs", REJECTED_COLUMNS, [tuple(r[c] for c in REJECTED_COLUMNS) for r in rows])


def insert_run(con: duckdb.DuckDBPyConnection, run: dict) -> None:
    con.execute(f"insert into refresh_runs ({', '.join(run)}) values ({', '.join('?' * len(run))})",
                list(run.values()))


# --------------------------------------------------------------------------------------------
# What a run saw, kept in temporary tables: files listed, reports seen, files not read again
# --------------------------------------------------------------------------------------------
SOURCE_FILE_COLUMNS = ("path", "size", "mtime_ns", "ctime_ns", "read_with", "source_key", "report_id", "record")
_RUN_TABLES = {
    # every file of the file and folder sources read (when some file has a stamp)
    "listing": "ord bigint, scope integer, path varchar, size bigint, mtime_ns bigint, ctime_ns bigint, "
               "read_with varchar, same boolean",
    # every report read (or taken as read), where: ord is the file's (or feed entry's) place
    # in the run, rec the record's in its file
    "seen": "ord bigint, rec integer, report_id varchar, path varchar, source_key varchar",
    "scopes": "scope varchar, prefix varchar",  # file and folder sources: where tombstones apply
    "rejected_keys": "source_key varchar",
    "rejected_files": "path varchar",
    "new_stamps": "path varchar, size bigint, mtime_ns bigint, ctime_ns bigint, read_with varchar, "
                  "source_key varchar, report_id varchar, record integer",
}
_RUN_TYPES = {name: dict(c.rsplit(" ", 1) for c in columns.split(", ")) for name, columns in _RUN_TABLES.items()}


def start_run_tables(con: duckdb.DuckDBPyConnection) -> None:
    for name, columns in _RUN_TABLES.items():
        con.execute(f"create or replace temp table {name} ({columns})")
    _ensure_touched(con)


def add_run_rows(con: duckdb.DuckDBPyConnection, table: str, rows: list[tuple]) -> None:
    """Rows (in the columns of _RUN_TABLES[table]) into a run table."""
    insert_rows(con, f"temp.{table}", list(_RUN_TYPES[table]), rows, types=_RUN_TYPES[table])


def csv_quote(text: str) -> str:
    """A string as one quoted CSV field (the format of _csv_text)."""
    return '"' + text.replace('"', '""') + '"'


def add_listing_lines(con: duckdb.DuckDBPyConnection, lines: list[str]) -> None:
    """Rows of temp.listing as CSV lines (ord, scope, path, size, mtime_ns, ctime_ns,
    read_with, same), written directly by the walk (refresh._Run._walk)."""
    if not lines:
        return
    if any("\x00" in line for line in lines):  # DuckDB's CSV reader stops at NUL: one row at a time
        for line in lines:
            row = next(csv.reader([line]))
            add_run_rows(con, "listing", [(int(row[0]), int(row[1]), row[2], int(row[3]), int(row[4]),
                                           int(row[5]), row[6], False)])
        return
    _insert_csv(con, "temp.listing", list(_RUN_TYPES["listing"]), _RUN_TYPES["listing"], ["".join(lines)])


def has_file_stamps(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select exists (select 1 from source_files)").fetchone()[0]


def unchanged_files(con: duckdb.DuckDBPyConnection, max_bytes: int) -> tuple[int, int]:
    """Mark the listed files found again as they were read whole before (same size, mtime,
    ctime and reading, every report they gave still stored) and count their reports as seen
    again. Returns (files, reports)."""
    con.execute("""update listing set same = true where path in (
        select l.path from listing l
        join source_files f on f.path = l.path
        left join reports r on r.report_id = f.report_id
        where l.size <= $1
        group by l.path
        having bool_and(f.size = l.size and f.mtime_ns = l.mtime_ns and f.ctime_ns = l.ctime_ns
                        and f.read_with = l.read_with and r.report_id is not null)
           and min(f.record) = 0 and max(f.record) + 1 = count(*) and count(distinct f.record) = count(*))""",
                [max_bytes])
    con.execute("""insert into seen select l.ord, f.record, f.report_id, f.path, f.source_key
        from listing l join source_files f on f.path = l.path where l.same""")
    return con.execute("select (select count(*) from listing where same), (select count(*) from seen)").fetchone()


def files_to_read(con: duckdb.DuckDBPyConnection) -> set[tuple[int, str]]:
    return set(con.execute("select scope, path from listing where not same").fetchall())


def stored_of(con: duckdb.DuckDBPyConnection, report_ids: list[str], source_keys: list[str]
              ) -> tuple[set[str], dict[str, str]]:
    """Which of `report_ids` are stored, and the stored report at each of `source_keys`."""
    if not report_ids and not source_keys:
        return set(), {}
    stored = {r[0] for r in con.execute(
        "select report_id from reports where report_id in (select unnest(?::varchar[]))", [report_ids]).fetchall()}
    owners = dict(con.execute(
        "select source_key, min(report_id) from reports where source_key in (select unnest(?::varchar[])) "
        "group by source_key", [source_keys]).fetchall())
    return stored, owners


def stored_ids(con: duckdb.DuckDBPyConnection) -> frozenset[str]:
    return frozenset(r[0] for r in con.execute("select report_id from reports").fetchall())


def settle_seen(con: duckdb.DuckDBPyConnection, replaced: list[str], now: datetime) -> dict:
    """The stored reports' fate from what this run saw (temp.seen): a replaced report still
    found elsewhere stays; a report found at another file or record follows it; the replaced
    ones go (with their observations); a report gone from a file or folder this run read
    (temp.scopes), not rejected there (temp.rejected_keys/_files), is tombstoned; a tombstoned
    one found again is restored. Reports inserted in this run (temp.touched_reports) are not
    stored ones."""
    _id_table(con, "replaced_reports", replaced)
    still_there = {r[0] for r in con.execute(
        "select distinct report_id from seen where report_id in (select report_id from replaced_reports)").fetchall()}
    gone = [rid for rid in replaced if rid not in still_there]
    _id_table(con, "replaced_reports", gone)
    con.execute(f"""create or replace temp table moved_reports as
        with moved as (
            select distinct s.report_id from seen s
            join reports r on r.report_id = s.report_id
            anti join {_TOUCHED_REPORTS} t on t.report_id = r.report_id
            anti join seen k on k.report_id = r.report_id and k.source_key = coalesce(r.source_key, '')
        )
        select report_id, first(path order by ord, rec) as path, first(source_key order by ord, rec) as source_key
        from seen where report_id in (select report_id from moved) group by report_id""")
    moved = con.execute("select count(*) from moved_reports").fetchone()[0]
    if moved:
        con.execute("update reports set path = m.path, source_key = m.source_key "
                    "from moved_reports m where reports.report_id = m.report_id")
    delete_reports(con, gone)
    removed = [r[0] for r in con.execute(f"""
        with candidates as (
            select r.report_id, coalesce(r.path, '') as path, coalesce(r.source_key, '') as source_key
            from reports r
            anti join seen s on s.report_id = r.report_id
            anti join {_TOUCHED_REPORTS} t on t.report_id = r.report_id
            where r.removed_at is null and coalesce(r.reader, '') <> 'feed'
        )
        select distinct c.report_id from candidates c
        join scopes s on c.path = s.scope or starts_with(c.path, s.prefix)
        anti join seen k on k.source_key = c.source_key
        anti join rejected_keys rk on rk.source_key = c.source_key
        anti join rejected_files rf on rf.path = c.path
        order by c.report_id""").fetchall()]
    restored = con.execute("select count(*) from reports where removed_at is not null "
                           "and report_id in (select report_id from seen)").fetchone()[0]
    if restored:
        con.execute("update reports set removed_at = null where removed_at is not null "
                    "and report_id in (select report_id from seen)")
    mark_removed(con, removed, now)
    return {"still_there": len(still_there), "replaced": gone, "removed": len(removed), "restored": restored}


def save_file_stamps(con: duckdb.DuckDBPyConnection) -> None:
    """Stamps of the files read whole in this run (temp.new_stamps) replace those of the files
    read again; the stamps of files gone from a source read in this run are dropped."""
    con.execute("""create or replace temp table dropped_stamps as
        select path from listing where not same
        union select path from new_stamps
        union select u.path from (select distinct f.path from source_files f anti join listing l on l.path = f.path) u
              join scopes s on u.path = s.scope or starts_with(u.path, s.prefix)""")
    con.execute("delete from source_files where path in (select path from dropped_stamps)")
    con.execute("insert into source_files select distinct * from new_stamps")
    con.execute("drop table dropped_stamps")


# --------------------------------------------------------------------------------------------
# Reports and observations in, and out
# --------------------------------------------------------------------------------------------
REPORT_COLUMNS = ("report_id", "source", "url", "title", "published", "path", "source_key", "reader",
                  "sha256", "text", "ingested_at", "extractor_version", "n_observations", "removed_at")
UNRESOLVED_COLUMNS = ("report_id", "name", "sentence")
# A new report's row as extraction gives it: ingested_at and removed_at are the run's to set.
NEW_REPORT_COLUMNS = tuple(c for c in REPORT_COLUMNS if c not in ("ingested_at", "removed_at"))


def delete_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    """Delete reports with their observations; the events those were part of are rebuilt at
    the end of the run (rebuild_events)."""
    if not report_ids:
        return
    _id_table(con, "deleted_reports", report_ids)
    _ensure_touched(con)
    con.execute(f"""insert into {_TOUCHED_EVENTS} select distinct eo.event_id from event_observations eo
        where eo.observation_id in (select observation_id from observations
                                    where report_id in (select report_id from deleted_reports))""")
    con.execute("delete from observations where report_id in (select report_id from deleted_reports)")
    con.execute("delete from unresolved_places where report_id in (select report_id from deleted_reports)")
    con.execute("delete from reports where report_id in (select report_id from deleted_reports)")


# Rows travel from the extraction workers to the writer as CSV text: the workers write it (the
# csv module, in C), DuckDB's CSV reader loads it; no Python object per value in the writer,
# and no Arrow (pyarrow would bring numpy and pandas into the writer: 100 MB). Strings are
# always quoted, NULL is an unquoted empty field (allow_quoted_nulls=false keeps "" apart), and
# floats are written with repr, so every value reads back exactly (tests check it). A report
# with a NUL character anywhere travels as plain tuples instead.
class _Null(float):
    """None as the csv module writes it unquoted (QUOTE_NONNUMERIC quotes None otherwise)."""

    def __str__(self) -> str:
        return ""

    __repr__ = __str__


_NULL = _Null()
_CSV_BUFFER = io.StringIO()
_CSV_WRITER = csv.writer(_CSV_BUFFER, quoting=csv.QUOTE_NONNUMERIC, lineterminator="\n")
_CSV_OPTIONS = ("header = false, auto_detect = false, delim = ',', quote = '\"', escape = '\"', "
                "nullstr = '', allow_quoted_nulls = false, new_line = '\\n'")


def _csv_text(rows) -> str:
    _CSV_BUFFER.seek(0)
    _CSV_BUFFER.truncate()
    _CSV_WRITER.writerows([[_NULL if v is None else v for v in row] for row in rows])
    return _CSV_BUFFER.getvalue()


def encode_rows(report_row: tuple, observation_rows: list[tuple], unresolved_rows: list[tuple]) -> tuple:
    """A new report's rows (NEW_REPORT_COLUMNS, OBSERVATION_COLUMNS, UNRESOLVED_COLUMNS) as
    RowBatch takes them: (report, observations, unresolved, n_observations, n_unresolved),
    each part CSV text, or the tuples themselves when some value holds a NUL."""
    parts = (_csv_text((report_row,)), _csv_text(observation_rows), _csv_text(unresolved_rows))
    if any("\x00" in p for p in parts):
        return report_row, observation_rows, unresolved_rows, len(observation_rows), len(unresolved_rows)
    return (*parts, len(observation_rows), len(unresolved_rows))


class RowBatch:
    """New reports' rows gathered for one bulk insert (insert_batch)."""

    def __init__(self) -> None:
        self.report_ids: list[str] = []
        self.reports: list[str] = []
        self.observations: list[str] = []
        self.unresolved: list[str] = []
        self.report_rows: list[tuple] = []  # the few that travel as tuples
        self.observation_rows: list[tuple] = []
        self.unresolved_rows: list[tuple] = []
        self.n_reports = self.n_observations = 0

    def add(self, encoded: tuple) -> None:
        report, observations, unresolved, n_observations, _n_unresolved = encoded
        if isinstance(report, str):
            self.reports.append(report)
            self.observations.append(observations)
            self.unresolved.append(unresolved)
            self.report_ids.append(report[1:report.index('"', 1)])  # the first field: a quoted hex id
        else:
            self.report_rows.append(report)
            self.observation_rows += observations
            self.unresolved_rows += unresolved
            self.report_ids.append(report[0])
        self.n_reports += 1
        self.n_observations += n_observations

    def __len__(self) -> int:
        return self.n_reports


def insert_batch(con: duckdb.DuckDBPyConnection, batch: RowBatch, ingested_at: datetime) -> None:
    """Bulk insert of new reports with their observations and unresolved place names; their
    events are rebuilt once at the end of the run (rebuild_events)."""
    if not batch.n_reports:
        return
    _ensure_touched(con)
    if batch.reports:
        _insert_csv(con, "reports", [*NEW_REPORT_COLUMNS, "ingested_at"], _column_types(con, "reports"),
                    batch.reports, constants={"ingested_at": ingested_at})
    insert_rows(con, "reports", [*NEW_REPORT_COLUMNS, "ingested_at"], [(*r, ingested_at) for r in batch.report_rows])
    for table, columns, texts, rows in (
            ("observations", OBSERVATION_COLUMNS, batch.observations, batch.observation_rows),
            ("unresolved_places", UNRESOLVED_COLUMNS, batch.unresolved, batch.unresolved_rows)):
        if any(texts):
            _insert_csv(con, table, list(columns), _column_types(con, table), texts)
        insert_rows(con, table, columns, rows)
    con.execute(f"insert into {_TOUCHED_REPORTS} select unnest(?::varchar[])", [batch.report_ids])


def keep_report_columns(con: duckdb.DuckDBPyConnection, kept: list[tuple]) -> None:
    """(report_id, ingested_at, removed_at) of reports extracted again: as they were."""
    if kept:
        con.execute("create or replace temp table kept_columns (report_id varchar, ingested_at timestamp, "
                    "removed_at timestamp)")
        insert_rows(con, "temp.kept_columns", ["report_id", "ingested_at", "removed_at"], kept)
        con.execute("update reports set ingested_at = k.ingested_at, removed_at = k.removed_at "
                    "from kept_columns k where reports.report_id = k.report_id")
        con.execute("drop table kept_columns")


# --------------------------------------------------------------------------------------------
# Events: rebuilt where this run added or removed observations
# --------------------------------------------------------------------------------------------
# Reports inserted in this run (their observations are new), and events that lost observations
# in this run: temporary tables that live with the refresh's connection.
_TOUCHED_REPORTS = "touched_reports"
_TOUCHED_EVENTS = "touched_events"
# Observations of one place, indicator and group ("a family": merging and the contested grade
# never look beyond one) fall apart into independent date segments wherever a start lies more
# than this many days after every earlier end: farther than any merge tolerance (3 days) can
# reach from either side, so no cluster and no contested pair spans a gap. A refresh rebuilds
# only the segments holding observations it added, or the rest of an event it removed
# observations from; the events of every other segment stay as they are.
SEGMENT_GAP_DAYS = 7
REBUILD_BUCKET_ROWS = 25_000  # observations merged at a time
FULL_REBUILD_SHARE = 0.3  # of reports added or events touched: merge everything again
_FAMILY = ("indicator", "actor", "place_id")
_SAME_FAMILY = ("{a}.indicator = {b}.indicator and {a}.actor = {b}.actor "
                "and {a}.place_id is not distinct from {b}.place_id")


def _ensure_touched(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(f"create temp table if not exists {_TOUCHED_REPORTS} (report_id varchar)")
    con.execute(f"create temp table if not exists {_TOUCHED_EVENTS} (event_id varchar)")


def rebuild_events(con: duckdb.DuckDBPyConnection, step=None, build=None) -> int:
    """Merge the observations of the date segments this run touched into events
    (etl/events.py), replacing those segments' old events; the result is the same as merging
    every observation from scratch. When most of the database was touched (a new database, a
    re-extraction), every event is merged again. Families of observations (one place, group
    and indicator) are merged a bucket of families at a time, which bounds the memory; in
    each, an observation that is the whole of its cluster becomes its event in SQL and the
    others are merged by build_event_rows. Returns the number of events written. `step()` is
    called between buckets (Session.step); `build`, see _rebuild_bucket."""
    step = step or (lambda: None)
    _ensure_touched(con)
    touched_reports, touched_events, n_reports, n_events, n_observations = con.execute(f"""select
        (select count(*) from {_TOUCHED_REPORTS}), (select count(*) from {_TOUCHED_EVENTS}),
        (select count(*) from reports), (select count(*) from events), (select count(*) from observations)""").fetchone()
    if not (touched_reports or touched_events):
        return 0
    family = "hash(o.indicator, o.actor, o.place_id)"
    if touched_reports >= FULL_REBUILD_SHARE * n_reports or touched_events >= FULL_REBUILD_SHARE * n_events:
        con.execute("delete from event_observations")
        con.execute("delete from events")
        step()
        buckets = max(1, -(-n_observations // REBUILD_BUCKET_ROWS))
        scope = "true"
    else:
        _dirty_segments(con)
        con.execute(f"""create or replace temp table old_events as
            select event_id from {_TOUCHED_EVENTS}
            union select eo.event_id from event_observations eo
                  where eo.observation_id in (select observation_id from rebuild_obs)""")
        con.execute("delete from event_observations where event_id in (select event_id from old_events)")
        con.execute("delete from events where event_id in (select event_id from old_events)")
        con.execute("drop table old_events")
        buckets = max(1, -(-con.execute("select count(*) from rebuild_obs").fetchone()[0] // REBUILD_BUCKET_ROWS))
        scope = "o.observation_id in (select observation_id from rebuild_obs)"
    written = 0
    for bucket in range(buckets):
        written += _rebuild_bucket(con, f"{scope} and {family} % {buckets} = {bucket}", build)
        step()
    con.execute(f"delete from {_TOUCHED_REPORTS}")
    con.execute(f"delete from {_TOUCHED_EVENTS}")
    con.execute("drop table if exists rebuild_obs")
    return written


BUILD_CHUNK_ROWS = 5000  # observations merged per task when merging is fanned out


def build_events_encoded(rows: list[tuple]) -> tuple:
    """build_event_rows over whole families, without the contested grade of opposites, as
    (events, links): CSV text (or tuples when a value holds a NUL); for _rebuild_bucket,
    in this process or a worker."""
    from etl.events import build_event_rows

    events, links = build_event_rows(rows, grade_opposites=False, ordered=False)
    texts = (_csv_text(events), _csv_text(links))
    return (events, links) if any("\x00" in t for t in texts) else texts


def _rebuild_bucket(con: duckdb.DuckDBPyConnection, condition: str, build=None) -> int:
    """Events of the observations `o` meeting `condition` (whole date segments of families),
    merged in a temporary table (where the contested grade of opposite directions is given:
    no opposite lies outside) and then added to `events`. `build` maps chunks of rows (whole
    families each) to build_events_encoded results, e.g. in worker processes."""
    from etl.events import (
        EVENT_COLUMNS,
        INPUT_COLUMNS,
        opposites_sql,
        single_events_sql,
        single_flags_sql,
    )

    con.execute(f"create or replace temp table rebuild_flags as {single_flags_sql(condition)}")
    con.execute(f"create or replace temp table bucket_events as select {', '.join(EVENT_COLUMNS)} from events limit 0")
    for sql in single_events_sql("select observation_id from rebuild_flags where single", "temp.bucket_events"):
        con.execute(sql)
    observation_columns = [c for c in INPUT_COLUMNS if c not in ("source", "published")]
    rows = con.execute(f"""
        select {', '.join('o.' + c for c in observation_columns)}, r.source, r.published
        from observations o join reports r using (report_id)
        where o.observation_id in (select observation_id from rebuild_flags where not single)""").fetchall()
    chunks = _family_chunks(rows, INPUT_COLUMNS.index("indicator"), INPUT_COLUMNS.index("actor"),
                            INPUT_COLUMNS.index("place_id"))
    del rows
    types = _column_types(con, "events")
    link_types = _column_types(con, "event_observations")
    for events, links in (build or map)(build_events_encoded, chunks):
        if isinstance(events, str):
            if events:
                _insert_csv(con, "temp.bucket_events", list(EVENT_COLUMNS), types, [events])
            if links:
                _insert_csv(con, "event_observations", ["event_id", "observation_id"], link_types, [links])
        else:
            insert_rows(con, "temp.bucket_events", EVENT_COLUMNS, events, types_of="events")
            insert_rows(con, "event_observations", ["event_id", "observation_id"], links)
    del chunks
    con.execute(opposites_sql("temp.bucket_events"))
    con.execute(f"insert into events ({', '.join(EVENT_COLUMNS)}) select * from temp.bucket_events")
    written = con.execute("select count(*) from temp.bucket_events").fetchone()[0]
    con.execute("drop table rebuild_flags")
    con.execute("drop table bucket_events")
    return written


def _family_chunks(rows: list[tuple], *family: int) -> list[list[tuple]]:
    """Rows grouped by family, in chunks of about BUILD_CHUNK_ROWS, never cutting a family."""
    families: dict[tuple, list[tuple]] = {}
    for row in rows:
        key = tuple(row[i] for i in family)
        members = families.get(key)
        if members is None:
            families[key] = [row]
        else:
            members.append(row)
    chunks, chunk = [], []
    for members in families.values():
        chunk += members
        if len(chunk) >= BUILD_CHUNK_ROWS:
            chunks.append(chunk)
            chunk = []
    if chunk:
        chunks.append(chunk)
    return chunks


def _dirty_segments(con: duckdb.DuckDBPyConnection) -> None:
    """temp.rebuild_obs: the observations of every date segment that holds an observation
    added in this run, or one that shared an event with an observation removed in this run."""
    family = ", ".join(_FAMILY)
    order = f"partition by {family} order by date_start, date_end, observation_id"
    con.execute(f"""create or replace temp table rebuild_seeds as
        select observation_id from observations where report_id in (select report_id from {_TOUCHED_REPORTS})
        union select observation_id from event_observations
              where event_id in (select event_id from {_TOUCHED_EVENTS})""")
    con.execute(f"""create or replace temp table rebuild_families as
        select distinct {family} from observations
        where observation_id in (select observation_id from rebuild_seeds)""")
    con.execute(f"""create or replace temp table family_obs as
        with members as (
            select o.observation_id, o.indicator, o.actor, o.place_id, o.date_start, o.date_end
            from observations o join rebuild_families f on {_SAME_FAMILY.format(a='o', b='f')}
        ), marked as (
            select *,
                bool_or(date_start is null or date_end is null) over (partition by {family}) as undated,
                max(date_end) over ({order} rows between unbounded preceding and 1 preceding) as before_end
            from members
        )
        select observation_id, {family},
            sum(case when not undated and (before_end is null or date_start > before_end + {SEGMENT_GAP_DAYS})
                     then 1 else 0 end) over ({order} rows between unbounded preceding and current row) as segment
        from marked""")
    con.execute(f"""create or replace temp table rebuild_obs as
        select m.observation_id
        from family_obs m
        semi join (select distinct {family}, segment from family_obs
                   where observation_id in (select observation_id from rebuild_seeds)) d
          on {_SAME_FAMILY.format(a='m', b='d')} and m.segment = d.segment""")
    for name in ("rebuild_families", "rebuild_seeds", "family_obs"):
        con.execute(f"drop table if exists {name}")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
