"""Load stage: DuckDB, published atomically.

A refresh never writes the live database file. It copies it (or creates a new one from
schema.sql) to a temporary file beside it, does all its work there in one transaction,
checkpoints, and `os.replace`s the temporary file over the live one. A reader therefore sees
the old database or the new one, never half a refresh, and a crash or kill leaves the last
good database (the next refresh removes the leftover temporary file).
One writer at a time: an exclusive lock on `<db>.lock`; a second refresh fails at once.
"""
from __future__ import annotations

import fcntl
import os
import shutil
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd

from etl.models import OBSERVATION_COLUMNS
from etl.places import Gazetteer

SCHEMA_PATH = Path(__file__).with_name("schema.sql")
SCHEMA_VERSION = 1


class LockedError(RuntimeError):
    """Another refresh holds the database."""


class SchemaMismatch(RuntimeError):
    """The database was written by another version of the code."""


@contextmanager
def writer_lock(db_path: Path):
    db_path.parent.mkdir(parents=True, exist_ok=True)
    lock_path = db_path.with_name(db_path.name + ".lock")
    fd = os.open(lock_path, os.O_CREAT | os.O_RDWR, 0o644)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise LockedError(f"another refresh is writing {db_path} (lock {lock_path}); try again when it ends") from None
        yield
    finally:
        os.close(fd)


def temp_path(db_path: Path) -> Path:
    return db_path.with_name(f"{db_path.name}.tmp-{os.getpid()}")


def remove_leftovers(db_path: Path) -> list[Path]:
    """Temporary files of refreshes that died (we hold the lock, so none is in use)."""
    gone = []
    for p in db_path.parent.glob(db_path.name + ".tmp-*"):
        p.unlink(missing_ok=True)
        gone.append(p)
    return gone


def open_working_copy(db_path: Path) -> tuple[duckdb.DuckDBPyConnection, Path]:
    """A writable copy of the live database (or a new one), and its path."""
    tmp = temp_path(db_path)
    tmp.unlink(missing_ok=True)
    if db_path.exists():
        shutil.copyfile(db_path, tmp)
    con = duckdb.connect(str(tmp))
    ensure_schema(con)
    return con, tmp


def ensure_schema(con: duckdb.DuckDBPyConnection) -> None:
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    if "schema_version" not in tables:
        con.execute(SCHEMA_PATH.read_text())
        con.execute("insert into schema_version values (?, ?)", [SCHEMA_VERSION, _now()])
        return
    found = con.execute("select max(version) from schema_version").fetchone()[0]
    if found != SCHEMA_VERSION:
        raise SchemaMismatch(
            f"the database has schema version {found}, this code writes version {SCHEMA_VERSION}: "
            "rebuild it with a refresh into a new --db path")


def publish(con: duckdb.DuckDBPyConnection, tmp: Path, db_path: Path) -> None:
    con.execute("checkpoint")
    con.close()
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, db_path)
    dir_fd = os.open(db_path.parent, os.O_RDONLY)
    try:
        os.fsync(dir_fd)
    finally:
        os.close(dir_fd)


def load_places(con: duckdb.DuckDBPyConnection, gaz: Gazetteer) -> None:
    """The gazetteer as tables (rewritten each refresh: it is reference data, not history)."""
    place_frame = pd.DataFrame(
        [(p.place_id, p.name, p.admin1, p.admin2, p.country, p.latitude, p.longitude, p.kind, p.population, p.source)
         for p in sorted(gaz.places.values(), key=lambda p: p.place_id)],
        columns=["place_id", "name", "admin1", "admin2", "country", "latitude", "longitude", "kind", "population", "source"],
    )
    alias_frame = pd.DataFrame(sorted(set(gaz.aliases)), columns=["place_id", "alias", "language"])
    con.execute("delete from places")
    con.execute("insert into places by name select * from place_frame")
    con.execute("delete from place_aliases")
    con.execute("insert into place_aliases by name select * from alias_frame")


def known_reports(con: duckdb.DuckDBPyConnection) -> dict[str, tuple[str, str]]:
    """report_id -> (extractor_version, source_key) of the stored reports."""
    return {r[0]: (r[1], r[2]) for r in con.execute("select report_id, extractor_version, source_key from reports").fetchall()}


def delete_reports(con: duckdb.DuckDBPyConnection, report_ids: list[str]) -> None:
    if not report_ids:
        return
    ids = pd.DataFrame({"report_id": report_ids})  # noqa: F841 (scanned by name below)
    con.execute("delete from event_observations where observation_id in "
                "(select observation_id from observations where report_id in (select report_id from ids))")
    con.execute("delete from events where event_id not in (select event_id from event_observations)")
    con.execute("delete from observations where report_id in (select report_id from ids)")
    con.execute("delete from unresolved_places where report_id in (select report_id from ids)")
    con.execute("delete from reports where report_id in (select report_id from ids)")


def insert_batch(con: duckdb.DuckDBPyConnection, report_rows: list[dict], observation_rows: list[dict]) -> None:
    """Bulk insert (DataFrame scans, not row-by-row), then one event per new observation."""
    if report_rows:
        report_frame = pd.DataFrame(report_rows)
        con.execute("insert into reports by name select * from report_frame")
    if observation_rows:
        obs_frame = pd.DataFrame(observation_rows, columns=list(OBSERVATION_COLUMNS))
        con.execute("insert into observations by name select * from obs_frame")
        con.execute("""
            insert into events by name
            select o.observation_id as event_id, o.indicator, o.change, o.actor, o.counterpart,
                   o.place_id, o.place_name, o.admin1, o.place_precision, o.latitude, o.longitude,
                   o.date_start, o.date_end, o.date_precision,
                   coalesce(o.quantity_low, o.quantity_high) as quantity_best, o.quantity_low, o.quantity_high,
                   o.hedged, o.negated, 1 as n_reports, 1 as n_sources,
                   r.published as first_reported, r.published as last_reported
            from obs_frame o join reports r using (report_id)
        """)
        con.execute("insert into event_observations select observation_id, observation_id from obs_frame")


def _now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)
