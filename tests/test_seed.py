"""The founding report (CODEBOOK.md, worked example): every row, through the public refresh
and the database contract. The report is read from ../shared as the raw .txt it is."""
from __future__ import annotations

import shutil
from datetime import date

import duckdb
import pandas as pd
import pytest

from conftest import SEED, need, run_cli

D = date.fromisoformat

# indicator, change, actor, counterpart, place, precision, date_start, date_end, quantity_low, extra checks
WORKED_EXAMPLE = [
    ("checkpoint", "decrease", "islamic_state", None, "Abu Kamal", "town", "2015-01-19", "2015-01-19", None, {}),
    ("checkpoint", "removed", "islamic_state", None, "Abu Kamal", "town", "2015-01-19", "2015-01-19", None, {}),
    ("patrol", "decrease", "islamic_state", None, "Abu Kamal", "town", "2015-01-19", "2015-01-19", None, {}),
    ("airstrike", "strike", "us_led_coalition", "islamic_state", "Abu Kamal", "town", "2015-01-17", "2015-01-17", None, {}),
    ("killing", "killed", "islamic_state", None, "Abu Kamal", "town", "2015-01-17", "2015-01-17", 3, {"manner": "airstrike"}),
    ("killing", "killed", "islamic_state", "unknown", "Deir ez-Zor", "admin1", "2015-01-05", "2015-01-19", 31, {"manner": "assassination", "quantity_high": None}),
    ("killing", "killed", "islamic_state", "unknown", "Al-Mayadin", "town", "2015-01-05", "2015-01-19", None, {"manner": "assassination"}),
    ("control_change", "captured", "islamic_state", None, "Al-Mayadin", "town", "2014-07-01", "2014-07-31", None, {"date_precision": "month"}),
    ("troop_movement", "departure", "islamic_state", None, "Abu Kamal", "town", "2015-01-13", "2015-01-19", None, {"date_precision": "week", "destination_name": "Iraq"}),
    ("troop_movement", "departure", "islamic_state", None, "Abu Kamal", "town", "2015-01-19", "2015-01-19", 5, {"unit": "vehicles", "destination_name": "Iraq"}),
    ("killing", "killed", "islamic_state", "iraqi_forces", "Anbar", "admin1", "2015-01-18", "2015-01-18", 60, {"manner": "clash", "hedged": True}),
]


@pytest.fixture(scope="module")
def seed_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("seed")
    shutil.copy(need(SEED), folder / SEED.name)
    db = folder / "seed.duckdb"
    result = run_cli("refresh", "--reports", str(folder / SEED.name), "--db", str(db), "--quiet")
    assert result.returncode == 0, result.stderr
    con = duckdb.connect(str(db), read_only=True)
    rows = con.execute("select * from observations").fetchdf()
    con.close()
    for col in ("date_start", "date_end"):
        rows[col] = [d.date() if hasattr(d, "date") else d for d in rows[col]]
    return rows


@pytest.mark.parametrize("row", WORKED_EXAMPLE, ids=[f"{r[0]}-{r[1]}-{r[4]}-{r[6]}" for r in WORKED_EXAMPLE])
def test_worked_example_row(seed_db, row):
    indicator, change, actor, counterpart, place, precision, start, end, qty, extra = row
    obs = seed_db[(seed_db.indicator == indicator) & (seed_db.change == change) & (seed_db.actor == actor)
                  & (seed_db.place_name == place) & (seed_db.place_precision == precision)
                  & (seed_db.date_start == D(start)) & (seed_db.date_end == D(end)) & (~seed_db.negated)]
    assert len(obs) >= 1, f"no {row} among:\n{seed_db[['indicator', 'change', 'actor', 'place_name', 'date_start', 'date_end', 'quantity_low']]}"
    o = obs.iloc[0]
    if counterpart is not None:
        assert o.counterpart == counterpart
    if qty is None:
        assert pd.isna(o.quantity_low)
    else:
        assert o.quantity_low == qty
    for field, value in extra.items():
        got = o[field]
        if value is None:
            assert pd.isna(got), f"{field}={got!r}"
        else:
            assert got == value, f"{field}={got!r}, want {value!r}"
    # Evidence: the trigger lies inside the sentence that is stored with it.
    assert o.span_start <= o.trigger_start < o.trigger_end <= o.span_end


def test_nothing_placed_in_amman_or_source_towns(seed_db):
    # Amman is the dateline; Deir ez-Zor city is only where a source lives.
    assert not (seed_db.place_name.str.contains("Amman", na=False)).any()
    assert not ((seed_db.place_name == "Deir ez-Zor") & (seed_db.place_precision == "town")).any()
    assert set(seed_db.place_name) <= {"Abu Kamal", "Al-Mayadin", "Deir ez-Zor", "Anbar"}


def test_no_observation_beyond_the_worked_example(seed_db):
    affirmed = seed_db[~seed_db.negated]
    assert len(affirmed) == len(WORKED_EXAMPLE), affirmed[["indicator", "change", "place_name", "trigger"]]
