"""Every query the dashboard runs, against the database contract in schema.sql.

Rules this module keeps (STYLE.md 10):
- Read-only, and never in the refresh's way. A process keeps one read-only DuckDB instance
  per database file and gives each query its own cursor on it (a page view's dozen queries
  then share the instance's cache instead of reopening a 500 MB file a dozen times). The
  instance is dropped, and the next query opens the file afresh, when the file is replaced
  (the refresh publishes by `os.replace`: a new inode), when a refresh holds `<db>.lock` (it
  may have to write a failed run's row into the live file, which a reader would block), and
  after KEEP_IDLE_SECONDS without a query. While a refresh runs, every query opens and closes
  its own connection, as before. Opening is retried briefly when the file is locked or being
  swapped.
- User choices only ever reach DuckDB as `?` parameters. The SQL text is assembled from
  constant fragments chosen by which filters are set (and `?` placeholders, one per value
  of a list), never from the values themselves.
- Results are pandas DataFrames with stable column names; an empty database gives empty
  frames with those columns, a missing file raises `DatabaseMissing`.

Trends count events (CODEBOOK.md "Trends"): negated observations never count, hedged ones
count unless the caller leaves them out.
"""
from __future__ import annotations

import contextlib
import dataclasses
import os
import struct
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

import duckdb
import pandas as pd

OPEN_ATTEMPTS = 5
OPEN_RETRY_SECONDS = 0.2  # 5 attempts over about a second
# A kept instance is closed after this long without a query (0: never keep one).
KEEP_IDLE_SECONDS = 60.0
# How often kept instances are checked for a replaced file, a running refresh, idleness.
WATCH_SECONDS = 0.25

PERIODS = ("week", "month")
# Changes that grow or shrink a presence (CODEBOOK.md change values per indicator).
GROWING_CHANGES = ("increase", "established", "started")
SHRINKING_CHANGES = ("decrease", "removed", "stopped")
DIRECTION_INDICATORS = ("checkpoint", "patrol")

# "What changed" bands: percentage change of the weekly event rate, recent vs baseline.
BAND_NEW = "new activity"
BAND_LARGE_RISE = "large rise"
BAND_MODERATE_RISE = "moderate rise"
BAND_STABLE = "stable"
BAND_MODERATE_DROP = "moderate drop"
BAND_LARGE_DROP = "large drop"


class DatabaseUnavailable(RuntimeError):
    """The database cannot be read; `str(exc)` is a message for the user."""


class DatabaseMissing(DatabaseUnavailable, FileNotFoundError):
    """No database file at the configured path (no refresh has run yet)."""


class DatabaseBusy(DatabaseUnavailable):
    """The file stayed locked or unreadable through every retry."""


class DatabaseNotInitialised(DatabaseUnavailable):
    """The file opens but lacks the presence tables (not a presence database)."""


@dataclass(frozen=True)
class Filters:
    """The filters every view shares. `None` for actors/indicators means all of them; an
    empty tuple means none (and so an empty result)."""

    date_from: date | None = None
    date_to: date | None = None
    actors: tuple[str, ...] | None = None
    indicators: tuple[str, ...] | None = None
    min_confidence: float = 0.0
    include_hedged: bool = True
    precisions: tuple[str, ...] | None = ("town",)  # None: every precision, also unresolved
    place_ids: tuple[str, ...] | None = None
    # Summary tallies ("more than 30 killed across Deir ez-Zor over two weeks") restate the
    # town events inside them: left out of series unless asked for (list_summary_tallies).
    include_summaries: bool = False


# --- connection ---------------------------------------------------------------------------

def _stamp(path: Path) -> tuple[int, int, int, int]:
    """What changes when a refresh publishes a new file (os.replace: a new inode)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise DatabaseMissing(f"No database at {path}.") from None
    return (info.st_dev, info.st_ino, info.st_mtime_ns, info.st_size)


def _open(path: Path) -> duckdb.DuckDBPyConnection:
    """A new in-memory DuckDB instance with the file attached read-only as its default
    database. ATTACH rather than duckdb.connect(path): connect() hands out a live instance of
    the same path from a process-wide cache, which after os.replace still reads the old file."""
    last_error: Exception | None = None
    for attempt in range(OPEN_ATTEMPTS):
        con = duckdb.connect(":memory:")
        try:
            con.execute("ATTACH ? AS presence (READ_ONLY)", [str(path)])
            con.execute("USE presence")
            return con
        except (duckdb.IOException, duckdb.InvalidInputException) as exc:
            # The refresh holds a lock, or os.replace is swapping the file right now.
            con.close()
            last_error = exc
            if attempt + 1 < OPEN_ATTEMPTS:
                time.sleep(OPEN_RETRY_SECONDS)
                if not path.exists():
                    raise DatabaseMissing(f"No database at {path}.") from exc
        except BaseException:
            con.close()
            raise
    raise DatabaseBusy(f"Could not open {path} read-only: {last_error}") from last_error


# struct flock on Linux (l_type, l_whence, l_start, l_len, l_pid, padding): F_GETLK asks
# whether a lock is held without taking one.
_FLOCK = "hhqqi4x" if sys.platform.startswith("linux") else None


def _refresh_running(path: Path) -> bool:
    """Whether a refresh holds `<db>.lock` (etl/load.py writer_lock, a POSIX record lock)."""
    lock = path.with_name(path.name + ".lock")
    load = sys.modules.get("etl.load")
    held = getattr(load, "_LOCKS_HELD", None)
    guard = getattr(load, "_LOCKS_HELD_GUARD", None)
    with guard if guard is not None else contextlib.nullcontext():
        if held:
            # This process is refreshing. POSIX locks belong to the process, and closing any
            # descriptor of the lock file would drop its lock: do not open it at all.
            return True
        if _FLOCK is None:
            return False  # elsewhere the idle timeout alone releases the file
        try:
            fd = os.open(lock, os.O_RDONLY | os.O_CLOEXEC)
        except FileNotFoundError:
            return False
        except OSError:
            return True  # cannot tell: behave as while a refresh runs
        try:
            import fcntl

            probe = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
            answer = fcntl.fcntl(fd, fcntl.F_GETLK, probe)
            return struct.unpack(_FLOCK, answer)[0] != fcntl.F_UNLCK
        except OSError:
            return True
        finally:
            os.close(fd)


class _Kept:
    """One read-only instance of one database file, shared by the queries of this process."""

    def __init__(self, con: duckdb.DuckDBPyConnection, stamp: tuple):
        self.con = con
        self.stamp = stamp
        self.users = 0
        self.last_used = time.monotonic()
        self.retired = False
        # The event links of the towns recently shown (see _cached_links), newest last.
        self.links: dict[tuple[str, ...], str] = {}
        self.links_making: set[tuple[str, ...]] = set()
        self.links_lock = threading.Lock()
        self.links_made = 0


_KEPT: dict[str, _Kept] = {}
# The kept instance the current thread's query runs on (None: a connection of its own).
_RUNNING = threading.local()
_KEPT_LOCK = threading.Lock()
_WATCHER: list[threading.Thread] = []


def _retire(key: str, kept: _Kept) -> None:
    """Forget `kept`; close it now if no query uses it, else when the last one ends.
    Call holding _KEPT_LOCK."""
    if _KEPT.get(key) is kept:
        del _KEPT[key]
    kept.retired = True
    if kept.users == 0:
        kept.con.close()


def _watch() -> None:
    """Drop kept instances whose file was replaced, whose database a refresh is writing, or
    that sat idle: an idle dashboard then holds no lock on the live file."""
    while True:
        time.sleep(WATCH_SECONDS)
        with _KEPT_LOCK:
            if not _KEPT:
                _WATCHER.clear()
                return
            items = list(_KEPT.items())
        for key, kept in items:
            path = Path(key)
            try:
                stale = _stamp(path) != kept.stamp or _refresh_running(path)
            except Exception:  # noqa: BLE001 (gone, unreadable: let it go)
                stale = True
            with _KEPT_LOCK:
                idle = time.monotonic() - kept.last_used > KEEP_IDLE_SECONDS
                if (stale or idle) and kept.users == 0 and _KEPT.get(key) is kept:
                    _retire(key, kept)


def close_connections() -> None:
    """Close every kept instance (tests; a process that is about to fork)."""
    with _KEPT_LOCK:
        for key, kept in list(_KEPT.items()):
            _retire(key, kept)


def _cursor(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    cur = con.cursor()
    try:
        cur.execute("USE presence")  # a cursor starts in the instance's in-memory database
    except BaseException:
        cur.close()
        raise
    return cur


@contextlib.contextmanager
def _connection(db: str | Path) -> Iterator[duckdb.DuckDBPyConnection]:
    """A read-only connection to `db` for one query (or a few, back to back)."""
    path = Path(db)
    stamp = _stamp(path)
    key = os.path.abspath(path)
    keep = KEEP_IDLE_SECONDS > 0 and not _refresh_running(path)
    kept = None
    if keep:
        with _KEPT_LOCK:
            kept = _KEPT.get(key)
            if kept is not None and kept.stamp != stamp:
                _retire(key, kept)  # the file was replaced: the next query opens the new one
                kept = None
            if kept is not None:
                kept.users += 1
    if kept is None:
        con = _open(path)
        if keep:
            with _KEPT_LOCK:
                if key not in _KEPT:
                    kept = _KEPT[key] = _Kept(con, stamp)
                    kept.users += 1
                    if not _WATCHER:
                        _WATCHER.append(threading.Thread(target=_watch, name="presence-db-watch",
                                                         daemon=True))
                        _WATCHER[0].start()
        if kept is None:  # not kept (a refresh is running), or another thread kept its own
            try:
                _RUNNING.kept = None
                yield con
            finally:
                con.close()
            return
    try:
        cur = _cursor(kept.con)
    except BaseException:
        _release(kept)
        raise
    try:
        _RUNNING.kept = kept
        yield cur
    finally:
        _RUNNING.kept = None
        cur.close()
        _release(kept)


def _release(kept: _Kept) -> None:
    with _KEPT_LOCK:
        kept.users -= 1
        kept.last_used = time.monotonic()
        if kept.retired and kept.users == 0:
            kept.con.close()


def _not_initialised(db: str | Path, exc: Exception) -> DatabaseNotInitialised:
    return DatabaseNotInitialised(
        f"{db} is not a presence database (missing table: {exc}). "
        "Build it with: python -m etl refresh --reports data/reports --db PATH")


def _query(con: duckdb.DuckDBPyConnection, sql: str, params: Sequence[object] = ()):
    """Every statement goes through here (tests spy on it: no user value in the SQL text)."""
    return con.execute(sql, list(params))


def _fetch(db: str | Path, sql: str, params: Sequence[object] = ()) -> pd.DataFrame:
    try:
        with _connection(db) as con:
            return _query(con, sql, params).df()
    except duckdb.CatalogException as exc:
        raise _not_initialised(db, exc) from exc


def _as_list(values: Sequence[str] | None) -> list[str] | None:
    return None if values is None else [str(v) for v in values]


# --- the shared filter over events --------------------------------------------------------

# One row per counted event: not negated, with its best confidence and date.
_EVENTS_SELECT = """
WITH ev AS (
    SELECT e.event_id, e.indicator, e.change, e.actor, e.place_id,
           e.place_name, e.admin1, e.country, e.latitude, e.longitude,
           coalesce(e.place_precision, 'unresolved') AS place_precision,
           coalesce(e.date_start, e.first_reported) AS event_date,
           e.quantity_low, e.quantity_high, e.hedged,
           coalesce(e.confidence, 1.0) AS confidence,
           coalesce(e.n_observations, 1) AS n_observations
    FROM events e
    WHERE NOT e.negated
"""
# The events table carries what the views need (place, best confidence, observation count),
# so no view joins the observations of a million rows (benchmarks/bench_refresh.py).
_EVENTS_GROUP = """
      AND coalesce(e.confidence, 1.0) >= ?
)
"""


def _event_filters(f: Filters, *, with_precision: bool = True,
                   date_to: date | None = None) -> tuple[str, list[object]]:
    """The WHERE clauses for `f` over events `e` (constant SQL) and their parameters."""
    sql, params = "", []
    if f.date_from is not None:
        sql += " AND coalesce(e.date_start, e.first_reported) >= ?"
        params.append(f.date_from)
    end = date_to if date_to is not None else f.date_to
    if end is not None:
        sql += " AND coalesce(e.date_start, e.first_reported) <= ?"
        params.append(end)
    if not f.include_summaries:
        sql += " AND NOT coalesce(e.is_summary, false)"
    more_sql, more = _choice_filters(f, "e", with_precision=with_precision, with_places=True)
    return sql + more_sql, params + more


def _observation_filters(f: Filters, *, with_places: bool) -> tuple[str, list[object]]:
    """The WHERE clauses for `f` over observations `o` and their parameters."""
    return _choice_filters(f, "o", with_precision=True, with_places=with_places)


def _choice_filters(f: Filters, alias: str, *, with_precision: bool,
                    with_places: bool) -> tuple[str, list[object]]:
    """Groups, indicators, hedging, place precision and chosen places over table `alias`
    (events and observations share these columns): constant SQL, values as parameters."""
    sql, params = "", []
    if f.actors is not None:
        sql += f" AND list_contains(?::VARCHAR[], {alias}.actor)"
        params.append(_as_list(f.actors))
    if f.indicators is not None:
        sql += f" AND list_contains(?::VARCHAR[], {alias}.indicator)"
        params.append(_as_list(f.indicators))
    if not f.include_hedged:
        sql += f" AND NOT {alias}.hedged"
    if with_precision and f.precisions is not None:
        sql += f" AND list_contains(?::VARCHAR[], coalesce({alias}.place_precision, 'unresolved'))"
        params.append(_as_list(f.precisions))
    if with_places and f.place_ids is not None:
        sql += f" AND list_contains(?::VARCHAR[], {alias}.place_id)"
        params.append(_as_list(f.place_ids))
    return sql, params


def _events_cte(f: Filters, *, with_precision: bool = True,
                date_to: date | None = None) -> tuple[str, list[object]]:
    where, params = _event_filters(f, with_precision=with_precision, date_to=date_to)
    return _EVENTS_SELECT + where + _EVENTS_GROUP, [*params, float(f.min_confidence)]


def _check_period(period: str) -> str:
    if period not in PERIODS:
        raise ValueError(f"period must be one of {PERIODS}, not {period!r}")
    return period


def period_start_of(day: date, period: str) -> date:
    """The first day of the week (Monday, as DuckDB's date_trunc) or month holding `day`."""
    if _check_period(period) == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def next_period_start(start: date, period: str) -> date:
    if _check_period(period) == "week":
        return start + timedelta(days=7)
    return (start.replace(day=28) + timedelta(days=4)).replace(day=1)


# --- overview -----------------------------------------------------------------------------

def summarise_database(db: str | Path) -> dict[str, object]:
    """Row counts and the span of event dates; `is_empty` when no report has been loaded."""
    df = _fetch(db, """
        SELECT (SELECT count(*) FROM reports) AS n_reports,
               (SELECT count(*) FROM observations) AS n_observations,
               (SELECT count(*) FROM events) AS n_events,
               (SELECT count(*) FROM places) AS n_places,
               (SELECT min(coalesce(date_start, first_reported)) FROM events) AS first_event_date,
               (SELECT max(coalesce(date_start, first_reported)) FROM events) AS last_event_date
    """)
    row = df.iloc[0].to_dict()
    for key in ("n_reports", "n_observations", "n_events", "n_places"):
        row[key] = int(row[key])
    for key in ("first_event_date", "last_event_date"):
        row[key] = None if pd.isna(row[key]) else pd.Timestamp(row[key]).date()
    row["is_empty"] = row["n_reports"] == 0 or row["n_events"] == 0
    return row


def list_actors(db: str | Path) -> pd.DataFrame:
    """Groups with at least one counted event: actor, n_events (most active first)."""
    return _fetch(db, """
        SELECT actor, count(*)::BIGINT AS n_events
        FROM events WHERE NOT negated
        GROUP BY actor ORDER BY n_events DESC, actor
    """)


def list_towns(db: str | Path, filters: Filters = Filters()) -> pd.DataFrame:
    """Places with counted events under `filters`, most active first: place_id, place_name,
    admin1, country, place_precision, latitude, longitude, n_observations, n_events,
    net_direction (checkpoint/patrol growth minus shrinkage), last_event_date."""
    cte, params = _events_cte(filters)
    sql = cte + f"""
        SELECT place_id, any_value(place_name) AS place_name, any_value(admin1) AS admin1,
               any_value(country) AS country, any_value(place_precision) AS place_precision,
               any_value(latitude) AS latitude, any_value(longitude) AS longitude,
               sum(n_observations)::BIGINT AS n_observations,
               count(*)::BIGINT AS n_events,
               coalesce(sum({_NET_STEP}), 0)::BIGINT AS net_direction,
               max(event_date) AS last_event_date
        FROM ev
        WHERE place_id IS NOT NULL
        GROUP BY place_id
        ORDER BY n_events DESC, place_name, place_id
    """
    return _fetch(db, sql, params)


def _sql_list(values: Sequence[str]) -> str:
    """A constant of this module as an SQL list literal (never a user's value)."""
    return "(" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + ")"


# +1 for a growing, -1 for a shrinking checkpoint/patrol event, else 0: one expression over
# the module's constant lists (two FILTER counts with list parameters cost twice as much).
_NET_STEP = (f"CASE WHEN indicator IN {_sql_list(DIRECTION_INDICATORS)} THEN "
             f"CASE WHEN change IN {_sql_list(GROWING_CHANGES)} THEN 1 "
             f"WHEN change IN {_sql_list(SHRINKING_CHANGES)} THEN -1 ELSE 0 END ELSE 0 END")


def count_left_out_by_precision(db: str | Path, filters: Filters = Filters()) -> pd.DataFrame:
    """Counted events the precision filter leaves out (e.g. province-level ones when only
    towns are shown): place_precision, n_events, n_observations."""
    cte, params = _events_cte(filters, with_precision=False)
    sql = cte + """
        SELECT place_precision, count(*)::BIGINT AS n_events,
               sum(n_observations)::BIGINT AS n_observations
        FROM ev
    """
    if filters.precisions is not None:
        sql += " WHERE NOT list_contains(?::VARCHAR[], place_precision)"
        params.append(_as_list(filters.precisions))
    else:
        sql += " WHERE FALSE"
    sql += " GROUP BY place_precision ORDER BY n_events DESC, place_precision"
    return _fetch(db, sql, params)


# --- trends -------------------------------------------------------------------------------

SERIES_COLUMNS = [
    "period_start", "period_end", "period_label", "indicator", "place_id", "place_name",
    "actor", "events", "killed_low", "killed_high", "killed_high_open", "increases",
    "decreases", "net_direction",
]


def series_by_period(db: str | Path, filters: Filters, period: str = "week") -> pd.DataFrame:
    """Events per period, indicator, place and actor (zero-filled over the date range for
    every combination that has an event), with:
    - killed_low: sum of quantity_low of killing events (unknown lower bounds count 0);
    - killed_high: sum of upper bounds (quantity_high, else quantity_low), NULL when some
      upper bound is open ("more than 30") — then killed_high_open is true;
    - net_direction for checkpoint/patrol: (increase + established/started) minus
      (decrease + removed/stopped); NULL for other indicators.
    Columns: SERIES_COLUMNS, sorted by indicator, place name, actor and period.

    DuckDB counts the periods that have events and numbers the series in their output
    order; the zero-filled grid (series x periods: 28k rows for one busy town over ten years
    of weeks) is then laid out by index arithmetic, without a join or a string per cell."""
    period = _check_period(period)
    cte, params = _events_cte(filters)
    sql = cte + f"""
        , counted AS (
            SELECT date_trunc(?, event_date)::DATE AS period_start, indicator, place_id, actor,
                   any_value(place_name) AS place_name,
                   count(*)::BIGINT AS events,
                   sum(quantity_low)::BIGINT AS low,
                   sum(coalesce(quantity_high, quantity_low))::BIGINT AS high,
                   bool_or(quantity_low IS NOT NULL AND quantity_high IS NULL) AS open,
                   count(*) FILTER (WHERE change IN {_sql_list(GROWING_CHANGES)})::BIGINT
                       AS increases,
                   count(*) FILTER (WHERE change IN {_sql_list(SHRINKING_CHANGES)})::BIGINT
                       AS decreases
            FROM ev
            WHERE place_id IS NOT NULL
            GROUP BY ALL
        ),
        series AS (
            SELECT indicator, place_id, actor, any_value(place_name) AS place_name
            FROM counted GROUP BY ALL
        ),
        numbered AS (
            SELECT *, (row_number() OVER (ORDER BY indicator, place_name, actor, place_id) - 1)
                          ::INTEGER AS series_no
            FROM series
        )
        SELECT n.series_no, {_PERIOD_NUMBER[period]} AS period_no,
               c.events, c.low, c.high, c.open, c.increases, c.decreases,
               -- the series' names once, on its first row (a string per row costs more)
               CASE WHEN row_number() OVER (PARTITION BY n.series_no) = 1 THEN n.indicator END
                   AS indicator,
               CASE WHEN row_number() OVER (PARTITION BY n.series_no) = 1 THEN n.place_id END
                   AS place_id,
               CASE WHEN row_number() OVER (PARTITION BY n.series_no) = 1 THEN n.place_name END
                   AS place_name,
               CASE WHEN row_number() OVER (PARTITION BY n.series_no) = 1 THEN n.actor END
                   AS actor
        FROM counted c JOIN numbered n USING (indicator, place_id, actor)
    """
    params.append(period)
    raw = _fetch(db, sql, params)
    if raw.empty:
        return pd.DataFrame({c: pd.Series(dtype="object") for c in SERIES_COLUMNS})
    return _lay_out_series(raw, filters, period)


def _period_number(day: date, period: str) -> int:
    """Weeks since 0001-01-01 (a Monday), or months since year 0 (as _PERIOD_NUMBER)."""
    if period == "week":
        return (day.toordinal() - 1) // 7
    return day.year * 12 + day.month - 1


def _period_day(number: int, period: str) -> date:
    """The first day of the period _period_number gave `number`."""
    if period == "week":
        return date.fromordinal(number * 7 + 1)
    return date(number // 12, number % 12 + 1, 1)


_PERIOD_NUMBER = {
    "week": "(date_diff('day', DATE '0001-01-01', c.period_start) // 7)::BIGINT",
    "month": "(year(c.period_start) * 12 + month(c.period_start) - 1)::BIGINT",
}


def _lay_out_series(raw: pd.DataFrame, filters: Filters, period: str) -> pd.DataFrame:
    """The zero-filled grid, series by series, period by period (SERIES_COLUMNS)."""
    import numpy as np

    numbers = raw["period_no"].to_numpy(dtype="int64")
    first = period_start_of(filters.date_from or _period_day(int(numbers.min()), period), period)
    last = filters.date_to or _period_day(int(numbers.max()), period)
    periods = []
    cursor = first
    while cursor <= last:
        periods.append(cursor)
        cursor = next_period_start(cursor, period)
    n_periods = len(periods)
    series = raw.dropna(subset=["indicator"]).sort_values("series_no")
    n_series = len(series)
    # Cell of each counted row; rows outside the grid (none, as the filters bound the dates)
    # are dropped rather than wrapped around.
    offset = numbers - _period_number(first, period)
    inside = (offset >= 0) & (offset < n_periods)
    cell = raw["series_no"].to_numpy(dtype="int64")[inside] * n_periods + offset[inside]
    size = n_series * n_periods

    def spread(column: str, fill, dtype) -> np.ndarray:
        values = np.full(size, fill, dtype=dtype)
        values[cell] = raw[column].to_numpy(dtype=dtype, na_value=fill)[inside]
        return values

    events = spread("events", 0, "int64")
    increases = spread("increases", 0, "int64")
    decreases = spread("decreases", 0, "int64")
    low = spread("low", 0, "int64")
    high = spread("high", 0, "int64")
    open_ = spread("open", False, "bool")
    series_of_cell = np.repeat(np.arange(n_series), n_periods)
    period_of_cell = np.tile(np.arange(n_periods), n_series)

    def text(values: np.ndarray) -> pd.Series:
        # object dtype: pandas would otherwise copy every cell into an Arrow string array
        return pd.Series(values, dtype="object", copy=False)

    indicator = series["indicator"].to_numpy(dtype=object)[series_of_cell]
    is_killing = indicator == "killing"
    directional = np.isin(indicator, DIRECTION_INDICATORS)
    starts = pd.DatetimeIndex(pd.to_datetime(periods))
    ends = pd.DatetimeIndex(pd.to_datetime([next_period_start(p, period) for p in periods]))
    out = pd.DataFrame({
        "period_start": starts[period_of_cell],
        "period_end": ends[period_of_cell],
        "period_label": text(np.array([p.isoformat() for p in periods], dtype=object)[period_of_cell]),
        "indicator": text(indicator),
        "place_id": text(series["place_id"].to_numpy(dtype=object)[series_of_cell]),
        "place_name": text(series["place_name"].to_numpy(dtype=object)[series_of_cell]),
        "actor": text(series["actor"].to_numpy(dtype=object)[series_of_cell]),
        "events": events,
        "killed_low": pd.array(low, dtype="Int64"),
        "killed_high": pd.array(high, dtype="Int64"),
        "killed_high_open": open_.astype(object),
        "increases": increases,
        "decreases": decreases,
        "net_direction": pd.array(increases - decreases, dtype="Int64"),
    })
    out["killed_low"] = out["killed_low"].where(is_killing)
    out["killed_high"] = out["killed_high"].where(is_killing & ~open_)
    out["killed_high_open"] = out["killed_high_open"].where(is_killing, None)
    out["net_direction"] = out["net_direction"].where(directional)
    return out[SERIES_COLUMNS]


# --- evidence -----------------------------------------------------------------------------

EVIDENCE_COLUMNS = [
    "observation_id", "event_id", "event_date", "indicator", "change", "actor", "counterpart",
    "manner", "place_id", "place_name", "place_precision", "date_start", "date_end",
    "date_precision", "quantity_low", "quantity_high", "unit", "hedged", "negated",
    "confidence", "attribution", "sentence", "sentence_marked", "trigger", "span_start",
    "span_end", "trigger_start", "trigger_end", "trigger_in_sentence_start",
    "trigger_in_sentence_end", "offsets_ok", "report_id", "title", "source", "url",
    "published",
]


def mark_trigger(sentence: str, start: int, end: int, left: str = "«", right: str = "»") -> str:
    """The sentence with its trigger words between «» (offsets relative to the sentence);
    unchanged when the offsets do not fall inside it."""
    if not isinstance(sentence, str):
        return ""
    if start is None or end is None or pd.isna(start) or pd.isna(end):
        return sentence
    start, end = int(start), int(end)
    if not 0 <= start < end <= len(sentence):
        return sentence
    return sentence[:start] + left + sentence[start:end] + right + sentence[end:]


# The columns of an evidence row: `c` is the event (event_id, event_date), `o` the
# observation, `r` its report.
_EVIDENCE_SELECT = """
    SELECT o.observation_id, c.event_id, c.event_date,
           o.indicator, o.change, o.actor, o.counterpart, o.manner, o.place_id,
           o.place_name, coalesce(o.place_precision, 'unresolved') AS place_precision,
           o.date_start, o.date_end, o.date_precision, o.quantity_low, o.quantity_high,
           o.unit, o.hedged, o.negated, o.confidence, o.attribution, o.sentence,
           o.trigger, o.span_start, o.span_end, o.trigger_start, o.trigger_end,
           (substring(r.text, o.span_start + 1, o.span_end - o.span_start) = o.sentence
            AND substring(r.text, o.trigger_start + 1, o.trigger_end - o.trigger_start)
                = o.trigger
            AND o.trigger_start >= o.span_start AND o.trigger_end <= o.span_end)
               AS offsets_ok,
           o.report_id, r.title, r.source, r.url, r.published
"""
_EVIDENCE_ORDER = """
    ORDER BY c.event_date DESC, r.published DESC, o.confidence DESC, o.report_id,
             o.span_start, o.trigger_start, o.observation_id
"""
# Up to this many candidate events, their observations and reports are fetched by key
# (DuckDB's primary-key indexes) instead of joining the tables of a million rows.
EVIDENCE_LOOKUP_MAX = 1000


def _evidence_filters(f: Filters, period_start: date | None, period: str,
                      indicator: str | None, include_negated: bool
                      ) -> tuple[str, list[object], str, list[object]]:
    """(WHERE over events `e`, its parameters, WHERE over observations `o`, its parameters).
    An event's group, place, denial and date are its observations' (etl/events.py merges
    only observations that share them), so those filter the events; confidence and hedging
    belong to each observation: the event's best confidence and "all hedged" are necessary
    conditions, and each observation is checked too. Summary tallies are evidence as well."""
    group_sql, group_params = _evidence_group_filters(f, indicator, include_negated, "e")
    date_sql, date_params = _evidence_date_filters(f, period_start, period)
    ev_sql = group_sql + " AND coalesce(e.confidence, 1.0) >= ?" + \
        ("" if f.include_hedged else " AND NOT e.hedged") + "".join(" AND " + d for d in date_sql)
    ev_params = [*group_params, float(f.min_confidence), *date_params]
    obs_sql, obs_params = _evidence_own_filters(f)
    return ev_sql, ev_params, obs_sql, obs_params


def _evidence_group_filters(f: Filters, indicator: str | None, include_negated: bool,
                            alias: str) -> tuple[str, list[object]]:
    """What an event and each of its observations share: group, place, denial."""
    sql, params = ("" if include_negated else f" AND NOT {alias}.negated"), []
    more_sql, more = _choice_filters(replace(f, include_hedged=True), alias,
                                     with_precision=True, with_places=True)
    sql += more_sql
    params += more
    if indicator is not None:
        sql += f" AND {alias}.indicator = ?"
        params.append(str(indicator))
    return sql, params


def _evidence_date_filters(f: Filters, period_start: date | None,
                           period: str) -> tuple[list[str], list[object]]:
    """Conditions on the event's date (each a piece of SQL over `e`), and their parameters."""
    date_expr = "coalesce(e.date_start, e.first_reported)"
    conditions, params = [], []
    if f.date_from is not None:
        conditions.append(f"{date_expr} >= ?")
        params.append(f.date_from)
    if f.date_to is not None:
        conditions.append(f"{date_expr} <= ?")
        params.append(f.date_to)
    if period_start is not None:
        conditions.append(f"date_trunc(?, {date_expr})::DATE = ?")
        params += [period, period_start_of(period_start, period)]
    return conditions, params


def _evidence_own_filters(f: Filters) -> tuple[str, list[object]]:
    """What belongs to each observation `o`: its confidence and hedging."""
    sql = " AND o.confidence >= ?"
    if not f.include_hedged:
        sql += " AND NOT o.hedged"
    return sql, [float(f.min_confidence)]


def _placeholders(n: int) -> str:
    return ", ".join("?" * n)


LINKS_KEPT = 8  # sets of towns whose event links a kept instance holds (a few MB each)


def _cached_links(con: duckdb.DuckDBPyConnection, place_ids: tuple[str, ...] | None,
                  event_ids: list[str]) -> list[tuple[str, str]] | None:
    """(observation_id, event_id) of `event_ids`, all events at `place_ids`, from the table
    of those towns' links the kept instance holds; None when it holds none yet (the caller
    scans the links, and a thread makes the table for the next evidence of these towns:
    another week, other filters) or no instance is kept or no towns are chosen."""
    kept = getattr(_RUNNING, "kept", None)
    if kept is None or not place_ids:
        return None
    places = tuple(sorted(set(place_ids)))
    with kept.links_lock:
        table = kept.links.pop(places, None)
        if table is not None:
            kept.links[places] = table  # newest last
            return _query(con, f"SELECT observation_id, event_id FROM {table} "
                               "WHERE event_id = ANY(?::VARCHAR[])", [event_ids]).fetchall()
        if places in kept.links_making:
            return None
        kept.links_making.add(places)
        with _KEPT_LOCK:
            kept.users += 1  # the thread's: the instance stays open until it is done
    # Started once this query is over (list_evidence), not to compete with it for the cores.
    _PENDING_LINKS.append((kept, places))
    return None


_PENDING_LINKS: list[tuple[_Kept, tuple[str, ...]]] = []


def _start_pending_links() -> None:
    while _PENDING_LINKS:
        kept, places = _PENDING_LINKS.pop()
        threading.Thread(target=_make_links, args=(kept, places), name="presence-links",
                         daemon=True).start()


def _make_links(kept: _Kept, places: tuple[str, ...]) -> None:
    """Make the links table of `places` on `kept` (in its own in-memory database: the file
    stays read-only); the oldest beyond LINKS_KEPT is dropped. A failure only means no cache."""
    try:
        cur = _cursor(kept.con)
        try:
            with kept.links_lock:
                kept.links_made += 1
                table = f"memory.main.evidence_links_{kept.links_made}"  # a counter, not input
            _query(cur, f"""
                CREATE TABLE {table} AS
                SELECT eo.observation_id, eo.event_id FROM event_observations eo
                WHERE eo.event_id IN (SELECT e.event_id FROM events e
                                      WHERE e.place_id = ANY(?::VARCHAR[]))
            """, [list(places)])
            with kept.links_lock:
                kept.links[places] = table
                while len(kept.links) > LINKS_KEPT:
                    oldest = next(iter(kept.links))
                    _query(cur, f"DROP TABLE IF EXISTS {kept.links.pop(oldest)}")
        finally:
            cur.close()
    except Exception:  # noqa: BLE001 (a cache: the scan stays correct without it)
        pass
    finally:
        with kept.links_lock:
            kept.links_making.discard(places)
        _release(kept)


def wait_for_cached_links(seconds: float = 10.0) -> None:
    """Until no links table is being made (tests, the benchmark)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with _KEPT_LOCK:
            kept_now = list(_KEPT.values())
        if not any(k.links_making for k in kept_now):
            return
        time.sleep(0.01)


def forget_cached_links() -> None:
    """Drop the links every kept instance cached (the benchmark's first view of a town)."""
    wait_for_cached_links()
    with _KEPT_LOCK:
        kept_now = list(_KEPT.values())
    for kept in kept_now:
        with kept.links_lock:
            for table in kept.links.values():
                cur = kept.con.cursor()
                try:
                    cur.execute(f"DROP TABLE IF EXISTS {table}")
                finally:
                    cur.close()
            kept.links.clear()


def list_evidence(db: str | Path, filters: Filters, *, period_start: date | None = None,
                  period: str = "week", indicator: str | None = None,
                  include_negated: bool = True, limit: int | None = None) -> pd.DataFrame:
    """The sentences behind the points: one row per observation at `filters.place_ids`
    (and, when given, in the period starting `period_start` and for `indicator`), dated by
    its event. Negated observations are included and flagged unless `include_negated` is
    false. `sentence_marked` puts the trigger between «»; `offsets_ok` says the stored spans
    match reports.text. Newest first; the first `limit` rows when given (count_evidence
    gives the total). Columns: EVIDENCE_COLUMNS."""
    period = _check_period(period)
    ev_sql, ev_params, obs_sql, obs_params = _evidence_filters(
        filters, period_start, period, indicator, include_negated)
    events = f"""
        SELECT e.event_id, coalesce(e.date_start, e.first_reported) AS event_date
        FROM events e WHERE TRUE {ev_sql}
    """
    try:
        with _connection(db) as con:
            df = None
            if limit is not None:
                df = _evidence_newest(con, events, ev_params, obs_sql, obs_params, int(limit),
                                      filters.place_ids)
            if df is None:
                sql = (f"WITH c AS ({events}) {_EVIDENCE_SELECT} FROM c "
                       "JOIN event_observations eo ON eo.event_id = c.event_id "
                       "JOIN observations o ON o.observation_id = eo.observation_id "
                       f"JOIN reports r ON r.report_id = o.report_id WHERE TRUE {obs_sql} "
                       + _EVIDENCE_ORDER)
                params = [*ev_params, *obs_params]
                if limit is not None:
                    sql += " LIMIT ?"
                    params.append(int(limit))
                df = _query(con, sql, params).df()
    except duckdb.CatalogException as exc:
        raise _not_initialised(db, exc) from exc
    finally:
        _start_pending_links()
    rel_start = df["trigger_start"] - df["span_start"]
    rel_end = df["trigger_end"] - df["span_start"]
    df["trigger_in_sentence_start"] = rel_start
    df["trigger_in_sentence_end"] = rel_end
    df["sentence_marked"] = [
        mark_trigger(s, a, b) for s, a, b in zip(df["sentence"], rel_start, rel_end)
    ]
    return df[EVIDENCE_COLUMNS]


def _evidence_newest(con: duckdb.DuckDBPyConnection, events: str, ev_params: list,
                     obs_sql: str, obs_params: list, limit: int,
                     place_ids: tuple[str, ...] | None) -> pd.DataFrame | None:
    """The newest `limit` evidence rows by key lookups, or None when a join does better.

    Rows are ordered by their event's date first, so they all come from the events on or
    after the date of the `limit`-th newest event (ties included): every such event has an
    observation that passes the filters but for rare combinations of confidence and hedging,
    which the check at the end catches. Their observations and reports are then fetched by
    key (the primary-key indexes) instead of joining tables of a million rows. The links
    (event_observations has no index) cost one scan of one column, once per set of towns
    while the instance is kept (_cached_links)."""
    candidates = _query(con, f"""
        WITH fe AS MATERIALIZED ({events}),
        cut AS (SELECT min(event_date) AS day
                FROM (SELECT event_date FROM fe ORDER BY event_date DESC LIMIT ?))
        SELECT event_id, event_date, (SELECT count(*) FROM fe) AS n_all
        FROM fe, cut WHERE fe.event_date >= cut.day
    """, [*ev_params, max(limit, 1)]).fetchall()
    if not candidates or len(candidates) > EVIDENCE_LOOKUP_MAX:
        return None  # nothing to show (the join is quick then), or too many ties
    complete = len(candidates) == candidates[0][2]  # every filtered event is a candidate
    event_ids = [row[0] for row in candidates]
    links = _cached_links(con, place_ids, event_ids)
    if links is None:
        links = _query(con, "SELECT observation_id, event_id FROM event_observations "
                            "WHERE event_id = ANY(?::VARCHAR[])", [event_ids]).fetchall()
    if not links:
        return None
    obs_ids = [row[0] for row in links]
    # Fetched on their own: DuckDB looks keys up in the index only when nothing else filters
    # the scan (a confidence filter here would turn it into a full scan).
    observations = con.sql(
        f"SELECT * FROM observations WHERE observation_id IN ({_placeholders(len(obs_ids))})",
        params=obs_ids).to_arrow_table()
    report_ids = sorted(set(observations.column("report_id").to_pylist()))
    con.register("evidence_observations", observations)
    try:
        df = _query(con, f"""
            {_EVIDENCE_SELECT}
            FROM evidence_observations o
            JOIN (SELECT unnest(?::VARCHAR[]) AS observation_id,
                         unnest(?::VARCHAR[]) AS event_id) l
              ON l.observation_id = o.observation_id
            JOIN (SELECT unnest(?::VARCHAR[]) AS event_id, unnest(?::DATE[]) AS event_date) c
              ON c.event_id = l.event_id
            JOIN (SELECT * FROM reports
                  WHERE report_id IN ({_placeholders(len(report_ids))})) r
              ON r.report_id = o.report_id
            WHERE TRUE {obs_sql}
            {_EVIDENCE_ORDER} LIMIT ?
        """, [obs_ids, [row[1] for row in links], event_ids, [row[1] for row in candidates],
              *report_ids, *obs_params, limit]).df()
    finally:
        con.unregister("evidence_observations")
    if len(df) < limit and not complete:
        return None  # filters dropped observations of candidate events: join everything
    return df


def count_evidence(db: str | Path, filters: Filters, *, period_start: date | None = None,
                   period: str = "week", indicator: str | None = None,
                   include_negated: bool = True) -> int:
    """How many rows list_evidence gives without a limit (for "showing N of M").

    Without a confidence floor or hedged ones left out, every observation of a passing event
    passes: the events count them. Otherwise, when no event of the chosen towns and groups
    falls outside the dates (the default full range), the observations are counted on
    their own; only a narrowed range with such filters joins observations to events."""
    period = _check_period(period)
    ev_sql, ev_params, obs_sql, obs_params = _evidence_filters(
        filters, period_start, period, indicator, include_negated)
    try:
        with _connection(db) as con:
            if filters.min_confidence <= 0 and filters.include_hedged:
                sql = ("SELECT coalesce(sum(coalesce(e.n_observations, 1)), 0) "
                       f"FROM events e WHERE TRUE {ev_sql}")
                return int(_query(con, sql, ev_params).fetchone()[0])
            group_sql, group_params = _evidence_group_filters(filters, indicator,
                                                              include_negated, "e")
            dates, date_params = _evidence_date_filters(filters, period_start, period)
            outside = 0
            if dates:
                outside = _query(con, f"""
                    SELECT count(*) FROM events e
                    WHERE NOT coalesce({' AND '.join(dates)}, false) {group_sql}
                """, [*date_params, *group_params]).fetchone()[0]
            own_sql, own_params = _evidence_group_filters(filters, indicator,
                                                          include_negated, "o")
            sql = f"SELECT count(*) FROM observations o WHERE TRUE {own_sql} {obs_sql}"
            params = [*own_params, *obs_params]
            if outside:
                # Semi-joins (a hash join would read both columns of the links for all rows).
                sql += f""" AND o.observation_id IN (
                    SELECT eo.observation_id FROM event_observations eo
                    WHERE eo.event_id IN (SELECT e.event_id FROM events e WHERE TRUE {ev_sql}))"""
                params += ev_params
            return int(_query(con, sql, params).fetchone()[0])
    except duckdb.CatalogException as exc:
        raise _not_initialised(db, exc) from exc


# --- what changed -------------------------------------------------------------------------

def band_for(change_pct: float | None, baseline_events: int, recent_events: int) -> str:
    """The band of a percentage change of the weekly rate (bounds in DESIGN: >= +25 large
    rise, +10..+25 moderate rise, -10..+10 stable, -25..-10 moderate drop, <= -25 large drop)."""
    if baseline_events == 0:
        return BAND_NEW if recent_events > 0 else BAND_STABLE
    if change_pct >= 25:
        return BAND_LARGE_RISE
    if change_pct >= 10:
        return BAND_MODERATE_RISE
    if change_pct > -10:
        return BAND_STABLE
    if change_pct > -25:
        return BAND_MODERATE_DROP
    return BAND_LARGE_DROP


WHAT_CHANGED_COLUMNS = [
    "place_id", "place_name", "indicator", "recent_events", "baseline_events",
    "recent_per_week", "baseline_per_week", "change_pct", "band", "recent_from",
    "recent_to", "baseline_from", "baseline_to",
]


def _range_end(db: str | Path, filters: Filters) -> date | None:
    if filters.date_to is not None:
        return filters.date_to
    return summarise_database(db)["last_event_date"]


def what_changed(db: str | Path, filters: Filters, *, recent_weeks: int = 4,
                 baseline_weeks: int = 12) -> pd.DataFrame:
    """Per place and indicator: counted events in the last `recent_weeks` weeks of the range
    (ending at filters.date_to, else the last event) against the `baseline_weeks` weeks
    before, compared as weekly rates, with a band. The range start is ignored: the baseline
    is always the full 12 weeks. Largest changes first. Columns: WHAT_CHANGED_COLUMNS."""
    end = _range_end(db, filters)
    if end is None:
        return pd.DataFrame(columns=WHAT_CHANGED_COLUMNS)
    recent_from = end - timedelta(days=7 * recent_weeks - 1)
    baseline_from = recent_from - timedelta(days=7 * baseline_weeks)
    baseline_to = recent_from - timedelta(days=1)
    window = dataclasses.replace(filters, date_from=baseline_from, date_to=end)
    cte, params = _events_cte(window)
    sql = cte + """
        SELECT place_id, any_value(place_name) AS place_name, indicator,
               count(*) FILTER (WHERE event_date >= ?)::BIGINT AS recent_events,
               count(*) FILTER (WHERE event_date < ?)::BIGINT AS baseline_events
        FROM ev
        WHERE place_id IS NOT NULL
        GROUP BY place_id, indicator
    """
    df = _fetch(db, sql, [*params, recent_from, recent_from])
    if df.empty:
        return pd.DataFrame(columns=WHAT_CHANGED_COLUMNS)
    df["recent_per_week"] = df["recent_events"] / recent_weeks
    df["baseline_per_week"] = df["baseline_events"] / baseline_weeks
    # Rates compared in integers first, so a boundary such as exactly -25 % stays exact.
    df["change_pct"] = [
        None if b == 0 else round((r * baseline_weeks - b * recent_weeks) * 100
                                  / (b * recent_weeks), 1)
        for r, b in zip(df["recent_events"], df["baseline_events"])
    ]
    df["change_pct"] = df["change_pct"].astype("Float64")
    df["band"] = [band_for(p, b, r) for p, b, r in
                  zip(df["change_pct"], df["baseline_events"], df["recent_events"])]
    df["recent_from"], df["recent_to"] = recent_from, end
    df["baseline_from"], df["baseline_to"] = baseline_from, baseline_to
    order = df["change_pct"].abs().fillna(float("inf"))
    df = df.assign(_order=order).sort_values(
        ["_order", "recent_events", "place_name", "indicator"],
        ascending=[False, False, True, True])
    return df[WHAT_CHANGED_COLUMNS].reset_index(drop=True)


QUIET_COLUMNS = ["place_id", "place_name", "last_report", "weeks_silent", "n_reports_before"]


def list_quiet_towns(db: str | Path, filters: Filters, *, weeks: int = 4) -> pd.DataFrame:
    """Places with reports in the range but none in its last `weeks` weeks (a place that
    went quiet: fewer eyes, or less happening). Dated by report publication.
    Columns: QUIET_COLUMNS, longest silence first.

    The events narrow the places first (their first and last report dates): a place one of
    whose events was surely reported in the last weeks is not quiet. Only the remaining few
    are counted exactly over their observations and reports."""
    end = _range_end(db, filters)
    if end is None:
        return pd.DataFrame(columns=QUIET_COLUMNS)
    quiet_from = end - timedelta(days=7 * weeks - 1)
    # Surely reported: every observation of the event passes the filters (the event's
    # confidence is its best observation's, its hedging "all hedged").
    every_observation_passes = filters.min_confidence <= 0 and filters.include_hedged
    sure = "TRUE" if every_observation_passes else "coalesce(e.n_observations, 1) = 1"
    narrow = """
        SELECT e.place_id FROM events e
        WHERE NOT e.negated AND e.place_id IS NOT NULL AND coalesce(e.confidence, 1.0) >= ?
          AND (e.first_reported IS NULL OR e.first_reported <= ?)
    """
    narrow_params: list[object] = [float(filters.min_confidence), end]
    if filters.date_from is not None:
        narrow += " AND (e.last_reported IS NULL OR e.last_reported >= ?)"
        narrow_params.append(filters.date_from)
    where, more = _choice_filters(filters, "e", with_precision=True, with_places=False)
    narrow += where + f"""
        GROUP BY e.place_id
        HAVING NOT coalesce(bool_or({sure} AND (e.first_reported >= ?
                                                OR e.last_reported BETWEEN ? AND ?)), false)
    """
    narrow_params += [*more, quiet_from, quiet_from, end]
    sql = """
        SELECT o.place_id, any_value(o.place_name) AS place_name,
               max(r.published) AS last_report,
               count(DISTINCT r.report_id)::BIGINT AS n_reports_before
        FROM observations o JOIN reports r ON r.report_id = o.report_id
        WHERE o.place_id IS NOT NULL AND NOT o.negated AND o.confidence >= ?
          AND r.published <= ? AND o.place_id = ANY(?::VARCHAR[])
    """
    try:
        with _connection(db) as con:
            places = [row[0] for row in _query(con, narrow, narrow_params).fetchall()]
            params: list[object] = [float(filters.min_confidence), end, places]
            if filters.date_from is not None:
                sql += " AND r.published >= ?"
                params.append(filters.date_from)
            where, more = _observation_filters(filters, with_places=False)
            sql += where + """
                GROUP BY o.place_id
                HAVING max(r.published) < ?
                ORDER BY last_report, place_name
            """
            params += [*more, quiet_from]
            df = _query(con, sql, params).df()
    except duckdb.CatalogException as exc:
        raise _not_initialised(db, exc) from exc
    df["weeks_silent"] = [
        (end - pd.Timestamp(d).date()).days // 7 for d in df["last_report"]
    ]
    return df[QUIET_COLUMNS]


# --- data health --------------------------------------------------------------------------

def get_last_refresh(db: str | Path) -> pd.DataFrame:
    """The latest refresh run (0 or 1 row, all refresh_runs columns)."""
    return _fetch(db, "SELECT * FROM refresh_runs ORDER BY started_at DESC, run_id DESC LIMIT 1")


def list_refresh_runs(db: str | Path, limit: int = 50) -> pd.DataFrame:
    """Refresh history, newest first, with duration_s."""
    return _fetch(db, """
        SELECT *, date_diff('millisecond', started_at, finished_at) / 1000.0 AS duration_s
        FROM refresh_runs ORDER BY started_at DESC, run_id DESC LIMIT ?
    """, [int(limit)])


def list_rejected_inputs(db: str | Path, runs: int = 5) -> pd.DataFrame:
    """Inputs rejected by the latest `runs` refresh runs: run_id, started_at, path, record,
    reason, detail, rejected_at; newest first."""
    return _fetch(db, """
        WITH latest AS (
            SELECT run_id, started_at FROM refresh_runs
            ORDER BY started_at DESC, run_id DESC LIMIT ?
        )
        SELECT j.run_id, l.started_at, j.path, j.record, j.reason, j.detail, j.rejected_at
        FROM rejected_inputs j JOIN latest l ON l.run_id = j.run_id
        ORDER BY l.started_at DESC, j.rejected_at DESC, j.path, j.record
    """, [int(runs)])


def list_unresolved_places(db: str | Path, limit: int = 200) -> pd.DataFrame:
    """Place names the gazetteer could not resolve: name, n_mentions, n_reports and one
    example sentence; most frequent first."""
    return _fetch(db, """
        SELECT name, count(*)::BIGINT AS n_mentions,
               count(DISTINCT report_id)::BIGINT AS n_reports,
               min(sentence) AS example_sentence
        FROM unresolved_places
        GROUP BY name ORDER BY n_mentions DESC, name LIMIT ?
    """, [int(limit)])


def list_summary_tallies(db: str | Path, filters: Filters = Filters()) -> pd.DataFrame:
    """Province-level and multi-week tallies, kept apart from the town series they restate:
    indicator, change, actor, place, span, counts, sources and corroboration."""
    f = replace(filters, include_summaries=True, precisions=None)
    where, params = _event_filters(f)
    return _fetch(db, f"""
        SELECT e.indicator, e.change, e.actor, e.place_name, e.place_precision, e.date_start, e.date_end,
               e.quantity_low, e.quantity_high, e.n_reports, e.n_sources, e.corroboration
        FROM events e
        WHERE NOT e.negated AND coalesce(e.is_summary, false) {where}
        ORDER BY e.date_start DESC, e.indicator, e.place_name
        LIMIT 500
    """, params)
