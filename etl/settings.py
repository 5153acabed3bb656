"""Configuration from one place: environment variables with defaults under data/."""
from __future__ import annotations

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
REFERENCE_DIR = DATA_DIR / "reference"
DEMO_REPORTS_DIR = DATA_DIR / "reports"
DEFAULT_DB = DATA_DIR / "presence.duckdb"
# Inputs larger than this are rejected as "too large" (bytes); PRESENCE_MAX_BYTES overrides.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


def db_path(override: str | os.PathLike | None = None) -> Path:
    """--db beats PRESENCE_DB beats the demo database under data/."""
    if override:
        return Path(override)
    env = os.environ.get("PRESENCE_DB")
    return Path(env) if env else DEFAULT_DB


def max_bytes() -> int:
    return int(os.environ.get("PRESENCE_MAX_BYTES", DEFAULT_MAX_BYTES))


def imported_places_dir(reference_dir: Path = REFERENCE_DIR) -> Path:
    """Where `python -m etl places import` writes places and where the gazetteer loads them
    from (every CSV there): PRESENCE_PLACES_DIR, else `imported/` beside the reference files."""
    env = os.environ.get("PRESENCE_PLACES_DIR")
    return Path(env) if env else reference_dir / "imported"


def cache_dir() -> Path:
    """Derived files that are safe to delete (the Syria/Iraq extract of the GeoNames package):
    PRESENCE_CACHE_DIR, else $XDG_CACHE_HOME/presence, else ~/.cache/presence."""
    env = os.environ.get("PRESENCE_CACHE_DIR")
    if env:
        return Path(env)
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg) if xdg else Path.home() / ".cache") / "presence"
