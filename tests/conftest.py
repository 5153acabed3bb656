"""Shared test helpers: where ../shared is, and small report folders written per test."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("PRESENCE_SHARED", PROJECT.parent / "shared"))
SEED = SHARED / "data" / "seed" / "2015-01-19-syria-direct-al-bokamel.txt"
DEV_GOLD = SHARED / "data" / "dev-gold" / "dev.jsonl"
FAKES_DEV = SHARED / "data" / "fakes-dev" / "fakes-dev.csv"
SCORER = SHARED / "tools" / "score.py"


def need(path: Path) -> Path:
    """Skip the test, with the reason, when real data from ../shared is not on this machine."""
    if not path.exists():
        pytest.skip(f"{path} not present: ../shared (real data) is not on this machine")
    return path


def run_cli(*args: str, env: dict | None = None, cwd: Path = PROJECT, timeout: float = 300) -> subprocess.CompletedProcess:
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([sys.executable, "-m", "etl", *args], capture_output=True, text=True,
                          env=full_env, cwd=cwd, timeout=timeout)


def write_report(folder: Path, name: str, body: str, *, title: str = "", date: str = "", source: str = "Test Wire") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    front = ""
    if title or date:
        front = "---\n" + (f'title: "{title}"\n' if title else "") + (f"date: {date}\n" if date else "") \
            + f'source: "{source}"\n---\n'
    path = folder / name
    path.write_text(front + body, encoding="utf-8")
    return path
