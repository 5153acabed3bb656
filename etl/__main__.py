"""The command line: parse, call one function, turn errors into one-line messages.

Exit codes (for schedulers):
  0   the run worked (rejected inputs included: they are recorded and counted)
  1   the run failed (nothing was published; the last good database is untouched)
  2   usage error
  75  another refresh holds the database (EX_TEMPFAIL: try again later)
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from etl import settings

EXIT_OK, EXIT_FAILED, EXIT_USAGE, EXIT_LOCKED = 0, 1, 2, 75


def _csv_columns(spec: str | None) -> dict | None:
    """"text=article_content,title=article_title" -> mapping; "fakes" -> the FA-KES layout."""
    if not spec:
        return None
    from etl.read import FAKES_COLUMNS

    if spec.lower() == "fakes":
        return dict(FAKES_COLUMNS)
    out = {}
    for part in spec.split(","):
        key, _, col = part.partition("=")
        if not col:
            raise argparse.ArgumentTypeError(f"--csv-columns wants FIELD=COLUMN pairs, got {part!r}")
        out[key.strip()] = col.strip()
    return out


def cmd_refresh(args) -> int:
    from etl.load import LockedError, SchemaMismatch
    from etl.refresh import refresh

    db = settings.db_path(args.db)
    paths = args.reports or [settings.DEMO_REPORTS_DIR]
    missing = [p for p in paths if not Path(p).exists()]
    if missing:
        print(f"error: no such file or folder: {', '.join(map(str, missing))}", file=sys.stderr)
        return EXIT_USAGE
    date_format = args.csv_date_format
    if args.csv_columns and args.csv_columns.lower() == "fakes" and not date_format:
        date_format = "%m/%d/%y"
    try:
        summary = refresh(paths, db, csv_columns=_csv_columns(args.csv_columns), csv_date_format=date_format,
                          max_bytes=args.max_bytes, progress=None if not args.quiet else False,
                          log=None if args.quiet else (lambda msg: print(msg, file=sys.stderr)))
    except LockedError as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_LOCKED
    except SchemaMismatch as e:
        print(f"error: {e}", file=sys.stderr)
        return EXIT_FAILED
    except Exception as e:  # the run failed: say why in one line, keep the traceback for -v
        if args.verbose:
            raise
        print(f"error: refresh failed, nothing published: {type(e).__name__}: {e}", file=sys.stderr)
        return EXIT_FAILED
    print(summary.line())
    if args.strict and summary.reports_failed:
        print(f"error: --strict: {summary.reports_failed} inputs rejected", file=sys.stderr)
        return EXIT_FAILED
    return EXIT_OK


def cmd_places_lookup(args) -> int:
    from etl.places import lookup_csv
    from etl.reference import default_reference

    names = list(args.names)
    if args.file:
        names += [ln.strip() for ln in Path(args.file).read_text(encoding="utf-8").splitlines() if ln.strip()]
    if not names:
        print("error: give names or --file PATH", file=sys.stderr)
        return EXIT_USAGE
    sys.stdout.write(lookup_csv(default_reference().gazetteer, names))
    return EXIT_OK


def cmd_evaluate(args) -> int:
    from etl.evaluate import evaluate_fakes, evaluate_gold

    if args.fakes:
        print(evaluate_fakes(Path(args.fakes), split=args.split, limit=args.limit))
        return EXIT_OK
    if not args.gold:
        print("error: give GOLD.jsonl or --fakes CSV", file=sys.stderr)
        return EXIT_USAGE
    print(evaluate_gold(Path(args.gold), show_errors=args.show_errors))
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m etl", description="presence ETL: reports in, indicators out (DuckDB).")
    sub = p.add_subparsers(dest="command", required=True)

    r = sub.add_parser("refresh", help="read reports, extract observations, publish the database")
    r.add_argument("--reports", nargs="+", metavar="PATH", help="files or folders (default: the demo reports)")
    r.add_argument("--db", help="database file (default: $PRESENCE_DB or data/presence.duckdb)")
    r.add_argument("--csv-columns", help="CSV column mapping FIELD=COLUMN,... (fields: text,title,published,source,url) or 'fakes'")
    r.add_argument("--csv-date-format", help="strptime format of the CSV date column, e.g. %%m/%%d/%%y")
    r.add_argument("--max-bytes", type=int, default=None, help="reject inputs larger than this (default 20 MB)")
    r.add_argument("--strict", action="store_true", help="exit 1 when any input is rejected")
    r.add_argument("--quiet", action="store_true", help="no progress bar, no per-input log lines")
    r.add_argument("-v", "--verbose", action="store_true", help="show the traceback when the run fails")
    r.set_defaults(func=cmd_refresh)

    pl = sub.add_parser("places", help="the gazetteer")
    psub = pl.add_subparsers(dest="places_command", required=True)
    lk = psub.add_parser("lookup", help="how names resolve, as CSV")
    lk.add_argument("names", nargs="*")
    lk.add_argument("--file", help="a file with one name per line")
    lk.set_defaults(func=cmd_places_lookup)

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
