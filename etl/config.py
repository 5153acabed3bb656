"""The refresh's sources, configured once: `etl.toml` (see etl.example.toml), read with tomllib.

    db = "data/presence.duckdb"          # optional; --db beats it, it beats $PRESENCE_DB
    max_bytes = 20_000_000               # optional; inputs larger than this are rejected
    feed_timeout_seconds = 30            # optional; per feed request, for the whole answer
    prune = false                        # optional; delete reports whose file is gone
    strict = false                       # optional; exit 1 when any input is rejected

    [[sources]]
    path = "data/reports"                # a file or a folder (it may grow between runs)

    [[sources]]
    feed = "https://example.org/rss"     # an RSS/Atom feed: URL or file

    [[sources]]
    path = "exports/fakes.csv"
    csv_columns = "fakes"                # or { text = "body", published = "date", ... }
    csv_date_format = "%m/%d/%y"

Relative paths are relative to the config file. Every problem in the file is reported at once
(`ConfigError`), before anything runs.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from etl.read import CSV_COLUMN_CANDIDATES, DEFAULT_FEED_TIMEOUT_SECONDS, FAKES_COLUMNS, FAKES_DATE_FORMAT, FEED_SUFFIXES, is_url

TOP_LEVEL_KEYS = {"db", "max_bytes", "feed_timeout_seconds", "prune", "strict", "sources"}
SOURCE_KEYS = {"path", "feed", "csv_columns", "csv_date_format"}


class ConfigError(ValueError):
    """The config file (or a --csv-columns spec) is wrong; the message lists every problem."""


@dataclass(frozen=True)
class Source:
    """One place reports come from. kind "path": a file or folder read by read_reports (with
    its CSV column mapping); kind "feed": an RSS/Atom URL or file read by read_feed, with
    conditional requests."""

    kind: str  # path | feed
    location: str
    csv_columns: dict | None = field(default=None, compare=False)
    csv_date_format: str | None = None

    def __str__(self) -> str:
        return self.location


@dataclass(frozen=True)
class RefreshConfig:
    sources: tuple[Source, ...]
    db: Path | None = None
    max_bytes: int | None = None
    feed_timeout_seconds: float = DEFAULT_FEED_TIMEOUT_SECONDS
    prune: bool = False
    strict: bool = False
    path: Path | None = None  # the file it was read from


def source_for(location: str | os.PathLike | Source, csv_columns: dict | None = None,
               csv_date_format: str | None = None) -> Source:
    """A command-line input as a Source: an http(s) URL or a .rss/.atom file is a feed,
    anything else a path."""
    if isinstance(location, Source):
        return location
    text = str(location)
    if is_url(text) or Path(text).suffix.lower() in FEED_SUFFIXES:
        return Source("feed", text)
    return Source("path", text, csv_columns, csv_date_format)


def parse_csv_columns(spec: str | dict | None) -> tuple[dict | None, str | None]:
    """(column mapping, default date format) from "fakes", "text=body,title=headline" or a
    TOML table {text = "body", ...}."""
    if spec is None or spec == "":
        return None, None
    if isinstance(spec, str) and spec.strip().lower() == "fakes":
        return dict(FAKES_COLUMNS), FAKES_DATE_FORMAT
    if isinstance(spec, str):
        mapping = {}
        for part in spec.split(","):
            key, _, column = part.partition("=")
            if not column.strip():
                raise ConfigError(f"csv columns want FIELD=COLUMN pairs, got {part!r}")
            mapping[key.strip()] = column.strip()
    elif isinstance(spec, dict):
        mapping = dict(spec)
    else:
        raise ConfigError(f"csv columns are 'fakes', 'FIELD=COLUMN,...' or a table; got {spec!r}")
    problems = []
    for key, column in mapping.items():
        if key not in CSV_COLUMN_CANDIDATES:
            problems.append(f"unknown report field {key!r} (fields: {', '.join(CSV_COLUMN_CANDIDATES)})")
        if not isinstance(column, str):
            problems.append(f"field {key!r}: the column name must be a string, got {column!r}")
    if problems:
        raise ConfigError("; ".join(problems))
    return mapping, None


def load_config(path: str | os.PathLike) -> RefreshConfig:
    """Read and check `path`; every problem is listed in one ConfigError."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"no config file at {path} (copy etl.example.toml to start one)") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ConfigError(f"{path}: not valid TOML: {e}") from None
    base = path.resolve().parent
    problems: list[str] = []

    def where(key: str) -> str:
        return f"{path}: {key}"

    for key in sorted(set(data) - TOP_LEVEL_KEYS):
        problems.append(f"{where(key)}: unknown setting (known: {', '.join(sorted(TOP_LEVEL_KEYS))})")
    db = data.get("db")
    if db is not None and not (isinstance(db, str) and db):
        problems.append(f"{where('db')}: a file path string")
    max_bytes = data.get("max_bytes")
    if max_bytes is not None and not (isinstance(max_bytes, int) and not isinstance(max_bytes, bool) and max_bytes > 0):
        problems.append(f"{where('max_bytes')}: a positive whole number of bytes")
    timeout = data.get("feed_timeout_seconds", DEFAULT_FEED_TIMEOUT_SECONDS)
    if isinstance(timeout, bool) or not isinstance(timeout, (int, float)) or timeout <= 0:
        problems.append(f"{where('feed_timeout_seconds')}: a positive number of seconds")
    for key in ("prune", "strict"):
        if not isinstance(data.get(key, False), bool):
            problems.append(f"{where(key)}: true or false")

    sources: list[Source] = []
    raw_sources = data.get("sources", [])
    if not isinstance(raw_sources, list) or not all(isinstance(s, dict) for s in raw_sources):
        problems.append(f"{where('sources')}: a list of [[sources]] tables")
        raw_sources = []
    if not raw_sources:
        problems.append(f"{path}: no [[sources]]: add at least one (path = ... or feed = ...)")
    for n, raw in enumerate(raw_sources, start=1):
        at = f"{path}: sources #{n}"
        for key in sorted(set(raw) - SOURCE_KEYS):
            problems.append(f"{at}: unknown key {key!r} (known: {', '.join(sorted(SOURCE_KEYS))})")
        kinds = [k for k in ("path", "feed") if k in raw]
        if len(kinds) != 1:
            problems.append(f"{at}: give exactly one of path = ... or feed = ...")
            continue
        kind = kinds[0]
        location = raw[kind]
        if not isinstance(location, str) or not location.strip():
            problems.append(f"{at}: {kind} must be a non-empty string")
            continue
        if kind == "path" and is_url(location):
            problems.append(f"{at}: {location} is a URL: write feed = {location!r}")
            continue
        if not is_url(location):
            location = str((base / os.path.expanduser(location)).resolve())
        columns, date_format = None, raw.get("csv_date_format")
        if date_format is not None and not isinstance(date_format, str):
            problems.append(f"{at}: csv_date_format must be a strptime format string")
            date_format = None
        if "csv_columns" in raw or "csv_date_format" in raw:
            if kind == "feed":
                problems.append(f"{at}: csv_columns and csv_date_format are for path sources")
                continue
            try:
                columns, default_format = parse_csv_columns(raw.get("csv_columns"))
            except ConfigError as e:
                problems.append(f"{at}: csv_columns: {e}")
                continue
            date_format = date_format or default_format
        sources.append(Source(kind, location, columns, date_format))
    if problems:
        raise ConfigError("\n".join(problems))
    return RefreshConfig(
        sources=tuple(sources),
        db=(base / os.path.expanduser(db)).resolve() if db else None,
        max_bytes=max_bytes,
        feed_timeout_seconds=float(timeout),
        prune=data.get("prune", False),
        strict=data.get("strict", False),
        path=path,
    )
