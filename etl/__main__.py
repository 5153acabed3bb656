"""The command line: parse, call one function, turn errors into one-line messages.

Exit codes (for schedulers):
  0    the run worked (rejected inputs included: they are recorded and counted)
  1    the run failed (nothing was published; the last good database is untouched and has a
       'failed' row in refresh_runs), or --strict and an input was rejected
  2    usage error (bad arguments, a missing --reports path, a bad config file)
  75   another refresh holds the database (EX_TEMPFAIL: try again later)
  130  a single run interrupted by SIGINT, 143 by SIGTERM (nothing published); a --every loop
       stopped by either exits 0
"""
from __future__ import annotations

import argparse
import json
import re
import signal
import sys
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

from etl import settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75
_INTERVAL = re.compile(r"(\d+(?:\.\d+)?)\s*([smhd]?)")
_UNIT_SECONDS = {"": 1, "s": 1, "m": 60, "h": 3600, "d": 86400}


class Interrupted(BaseException):
    """A second SIGTERM/SIGINT while a run is already stopping: stop now (still crash-safe)."""

    def __init__(self, signum: int) -> None:
        super().__init__(f"stopped by {signal.Signals(signum).name}")
        self.signum = signum


class _StopRequest:
    """SIGTERM and SIGINT while a refresh command runs (main thread only: Python delivers
    signals there). The first one asks the run to stop at its next safe point, before it
    publishes (refresh's `should_stop`), and wakes a --every loop that is waiting; a second
    one stops at once. Either way the last good database stays."""

    def __init__(self) -> None:
        self.event = threading.Event()
        self.signum: int | None = None
        self._previous: dict[int, object] = {}

    def __enter__(self) -> "_StopRequest":
        if threading.current_thread() is threading.main_thread():
            for signum in (signal.SIGTERM, signal.SIGINT):
                self._previous[signum] = signal.signal(signum, self._on_signal)
        return self

    def __exit__(self, *exc) -> None:
        for signum, handler in self._previous.items():
            signal.signal(signum, handler)

    def _on_signal(self, signum, _frame) -> None:
        if self.event.is_set():
            raise Interrupted(signum)
        self.signum = signum
        self.event.set()

    def reason(self) -> str | None:
        return f"stopped by {signal.Signals(self.signum).name}" if self.event.is_set() and self.signum else None

    @property
    def exit_code(self) -> int:
        return 128 + (self.signum or signal.SIGTERM)


def parse_interval(text: str) -> float:
    """"1h", "30m", "90s", "1h30m", "0.5s", "2d", or plain seconds -> seconds (> 0)."""
    compact = text.strip().lower().replace(" ", "")
    parts = _INTERVAL.findall(compact)
    if not compact or "".join(n + u for n, u in parts) != compact:
        raise argparse.ArgumentTypeError(f"--every wants an interval like 1h, 30m, 90s or 1h30m; got {text!r}")
    seconds = sum(float(n) * _UNIT_SECONDS[u] for n, u in parts)
    if seconds <= 0:
        raise argparse.ArgumentTypeError(f"--every must be longer than 0; got {text!r}")
    return seconds


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, got {text}")
    return value


def _emit(event: dict) -> None:
    """One structured log line (JSON) on stderr."""
    print(json.dumps(event, default=str, ensure_ascii=False), file=sys.stderr, flush=True)


class _Plan:
    """What a refresh command runs: sources, database and options, from the config file and
    the command line (the command line wins)."""

    def __init__(self, args) -> None:
        from etl.config import ConfigError, load_config, parse_csv_columns, source_for

        config = load_config(args.config) if args.config else None
        try:
            columns, default_format = parse_csv_columns(args.csv_columns)
        except ConfigError as e:
            raise ConfigError(f"--csv-columns: {e}") from None
        date_format = args.csv_date_format or default_format
        sources = list(config.sources) if config else []
        given = list(args.reports or [])
        missing = [p for p in given if not _is_url(p) and not Path(p).exists()]
        if missing:
            raise FileNotFoundError(f"no such file or folder: {', '.join(map(str, missing))}")
        sources += [source_for(p, columns, date_format) for p in given]
        sources += [source_for(p) if _is_url(p) else _feed_source(p) for p in (args.feeds or [])]
        if not sources:
            sources = [source_for(settings.DEMO_REPORTS_DIR)]
        self.sources = sources
        self.db = settings.db_path(args.db or (config.db if config else None))
        self.max_bytes = args.max_bytes if args.max_bytes is not None else (config.max_bytes if config else None)
        self.feed_timeout = args.feed_timeout or (config.feed_timeout_seconds if config else None)
        self.prune = args.prune or bool(config and config.prune)
        self.strict = args.strict or bool(config and config.strict)
        self.reextract = args.reextract
        self.quiet = args.quiet
        self.verbose = args.verbose


def _is_url(location: str) -> bool:
    from etl.read import is_url

    return is_url(location)


def _feed_source(location: str):
    from etl.config import Source

    if not Path(location).exists():
        raise FileNotFoundError(f"no such file or folder: {location}")
    return Source("feed", location)


def cmd_refresh(args) -> int:
    from etl.config import ConfigError

    try:
        plan = _Plan(args)
    except ConfigError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    except FileNotFoundError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_USAGE
    if args.max_runs and not args.every:
        print("error: --max-runs goes with --every", file=sys.stderr)
        return EXIT_USAGE
    with _StopRequest() as stop:
        if args.every:
            return _refresh_every(plan, args.every, args.max_runs, stop)
        try:
            return _refresh_once(plan, stop)
        except (Interrupted, _Stopped) as e:
            print(f"error: refresh {e}; nothing published, the last good database stays", file=sys.stderr)
            return stop.exit_code


class _Stopped(Exception):
    """The run stopped on request before publishing."""


def _refresh_once(plan: _Plan, stop: _StopRequest | None = None) -> int:
    """One run: the summary line on stdout, one JSON line per rejected input and per run on
    stderr; the exit code. Raises _Stopped when a signal stopped the run before it published."""
    from etl.load import LockedError, SchemaMismatch
    from etl.refresh import RefreshStopped, refresh

    kwargs = {"feed_timeout": plan.feed_timeout} if plan.feed_timeout else {}
    try:
        summary = refresh(plan.sources, plan.db, max_bytes=plan.max_bytes,
                          progress=None if not plan.quiet else False,
                          log=None if plan.quiet else (lambda msg: print(msg, file=sys.stderr)),
                          log_event=_emit, prune=plan.prune, reextract=plan.reextract,
                          should_stop=stop.reason if stop else None, **kwargs)
    except RefreshStopped as e:
        raise _Stopped(str(e).removesuffix(" before publishing")) from None
    except LockedError as e:
        print(f"error: {e}", file=sys.stderr)
        _emit({"event": "refresh", "status": "locked", "db": str(plan.db), "error": str(e)})
        return EXIT_LOCKED
    except SchemaMismatch as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as e:  # the run failed: say why in one line, keep the traceback for -v
        if plan.verbose:
            raise
        print(f"error: refresh failed, nothing published: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    print(summary.line(), flush=True)
    if plan.strict and summary.reports_failed:
        print(f"error: --strict: {summary.reports_failed} inputs rejected", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def _refresh_every(plan: _Plan, interval: float, max_runs: int | None, stop: _StopRequest) -> int:
    """Run, wait until `interval` after the start of the last run, run again; a failed run is
    logged and the loop goes on. SIGTERM/SIGINT stop it: at once while it waits; during a run,
    at the run's next safe point before it publishes (a second signal: at once). Exit code: 0
    when stopped by a signal, else the last run's (after --max-runs)."""
    code, runs = EXIT_OK, 0
    try:
        while not stop.event.is_set():
            started = time.monotonic()
            try:
                code = _refresh_once(plan, stop)
            except _Stopped as e:
                print(f"refresh loop {e} during a run; nothing of that run published", file=sys.stderr)
                return EXIT_OK
            except Exception as e:  # -v re-raises from _refresh_once; the loop still goes on
                print(f"error: refresh failed: {type(e).__name__}: {e}", file=sys.stderr)
                code = EXIT_FAILED
            runs += 1
            if max_runs and runs >= max_runs:
                return code
            wait = max(0.0, started + interval - time.monotonic())
            if not stop.event.is_set() and not plan.quiet:
                at = datetime.now(timezone.utc) + timedelta(seconds=wait)
                print(f"next refresh at {at.isoformat(timespec='seconds')} (every {interval:g}s; "
                      f"last exit {code})", file=sys.stderr, flush=True)
            stop.event.wait(wait)
    except Interrupted as e:
        print(f"refresh loop {e}; nothing of the current run published", file=sys.stderr)
        return EXIT_OK
    print(f"refresh loop {stop.reason() or 'stopped'}", file=sys.stderr)
    return EXIT_OK


def cmd_places_lookup(args) -> int:
    from etl.places import PlacesFileError, lookup_csv
    from etl.reference import default_reference

    names = list(args.names)
    if args.file:
        names += [ln.strip() for ln in Path(args.file).read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not names:
        print("error: give names or --file PATH", file=sys.stderr)
        return EXIT_USAGE
    try:
        gaz = default_reference().gazetteer
    except PlacesFileError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    sys.stdout.write(lookup_csv(gaz, names))
    return EXIT_OK


def cmd_places_import(args) -> int:
    from etl.places import PlacesFileError, load_gazetteer
    from etl.places_import import PlacesImportError, import_places

    out_dir = Path(args.dir) if args.dir else settings.imported_places_dir()
    if args.name and len(args.paths) > 1:
        print("error: --name names one import: give one PATH with it", file=sys.stderr)
        return EXIT_USAGE
    missing = [p for p in args.paths if not Path(p).exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(missing)}", file=sys.stderr)
        return EXIT_USAGE
    try:
        # The bundled gazetteer names the provinces and countries of imported rows, so an
        # import's output does not depend on what was imported before.
        gaz = load_gazetteer(settings.REFERENCE_DIR, with_imports=False)
        results = [import_places(Path(p), gaz, out_dir, name=args.name, fmt=args.format) for p in args.paths]
        loaded = load_gazetteer(settings.REFERENCE_DIR, imported_dir=out_dir)
    except (PlacesImportError, PlacesFileError, OSError) as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    for r in results:
        stats = loaded.import_stats.get(r.output.name, {})
        print(f"imported {r.rows} places from {r.source} ({r.format}) -> {r.output}: "
              f"{stats.get('added', 0)} new, {stats.get('merged', 0)} merged into places the gazetteer had, "
              f"{r.skipped} records left out")
        for note in r.notes:
            print(f"  {note}")
    return EXIT_OK


def cmd_evaluate(args) -> int:
    from etl.evaluate import evaluate_fakes, evaluate_gold

    if args.fakes:
        print(evaluate_fakes(Path(args.fakes), split=args.split, limit=args.limit, show_errors=args.show_errors))
        return EXIT_OK
    if not args.gold:
        print("error: give GOLD.jsonl or --fakes CSV", file=sys.stderr)
        return EXIT_USAGE
    print(evaluate_gold(Path(args.gold), show_errors=args.show_errors))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="presence ETL: reports in, indicators out (DuckDB).")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("refresh", help="read reports, extract observations, publish the database",
                       description="Read reports, extract observations, publish the database. Sources "
                       "come from --config, --reports and --feeds (all of them); with none, the demo reports.")
    r.add_argument("--config", metavar="TOML", help="sources and settings (see etl.example.toml)")
    r.add_argument("--reports", nargs="+", metavar="PATH", help="files, folders or feed URLs (default: the demo reports)")
    r.add_argument("--feeds", nargs="+", metavar="URL_OR_FILE", help="RSS/Atom feeds (URLs or files)")
    r.add_argument("--db", help="database file (default: the config's db, $PRESENCE_DB or data/presence.duckdb)")
    r.add_argument("--csv-columns", help="CSV column mapping FIELD=COLUMN,... (fields: text,title,published,source,url,id) or 'fakes'")
    r.add_argument("--csv-date-format", help="strptime format of the CSV date column, e.g. %%m/%%d/%%y")
    r.add_argument("--max-bytes", type=_positive_int, default=None, help="reject inputs larger than this (default 20 MB)")
    r.add_argument("--feed-timeout", type=float, metavar="SECONDS", help="per feed request (default 30)")
    r.add_argument("--prune", action="store_true",
                   help="delete reports whose file is gone (default: keep them, marked reports.removed_at)")
    r.add_argument("--reextract", action="store_true", help="extract every stored report again from its stored text")
    r.add_argument("--strict", action="store_true", help="exit 1 when any input is rejected")
    r.add_argument("--every", type=parse_interval, metavar="INTERVAL",
                   help="run again every INTERVAL (1h, 30m, 90s) until SIGTERM/SIGINT; a failed run is logged, the loop goes on")
    r.add_argument("--max-runs", type=_positive_int, metavar="N", help="with --every: stop after N runs")
    r.add_argument("--quiet", action="store_true", help="no progress bar, no human per-input lines (JSON lines stay)")
    r.add_argument("-v", "--verbose", action="store_true", help="show the traceback when the run fails")
    r.set_defaults(func=cmd_refresh)

    pl = sub.add_parser("places", help="the gazetteer")
    psub = pl.add_subparsers(dest="places_command", required=True)
    lk = psub.add_parser("lookup", help="how names resolve, as CSV")
    lk.add_argument("names", nargs="*")
    lk.add_argument("--file", help="a file with one name per line")
    lk.set_defaults(func=cmd_places_lookup)
    im = psub.add_parser(
        "import", help="add a GeoNames dump or an admin table to the gazetteer (kept for every later run)",
        description="Write the places of PATH to a CSV the gazetteer loads on every run "
                    "(default folder: $PRESENCE_PLACES_DIR or data/reference/imported/; delete the file to undo). "
                    "Layouts: a GeoNames country dump (SY.txt, IQ.txt or the .zip), an OCHA admin table "
                    "(CSV with NAME_EN, NAME_AR, PCODE), OpenSyria geography JSON (a file or its folder), "
                    "or a places CSV in the columns of places_curated.csv.")
    im.add_argument("paths", nargs="+", metavar="PATH", help="file or folder to import")
    im.add_argument("--format", default="auto", choices=["auto", "geonames", "ocha", "opensyria", "places"],
                    help="layout of PATH (default: detected)")
    im.add_argument("--name", help="name of the imported file (default: PATH's name); importing again replaces it")
    im.add_argument("--dir", help="folder of imported places (default: $PRESENCE_PLACES_DIR or data/reference/imported)")
    im.set_defaults(func=cmd_places_import)

    ev = sub.add_parser("evaluate", help="extraction quality against a gold file or FA-KES")
    ev.add_argument("gold", nargs="?", help="gold JSONL (format of ../shared/data/dev-gold/)")
    ev.add_argument("--fakes", metavar="CSV", help="FA-KES CSV: killings found, governorate, count")
    ev.add_argument("--split", default="all", choices=["all", "dev", "test"], help="FA-KES split by unit_id parity")
    ev.add_argument("--limit", type=int, help="FA-KES: only the first N articles")
    ev.add_argument("--show-errors", action="store_true", help="list every miss and extra")
    ev.set_defaults(func=cmd_evaluate)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
