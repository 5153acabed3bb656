"""One declaration of the columns, checked against the schema; reference data validated."""
from __future__ import annotations

import re
import shutil

import duckdb
import pytest

from etl.load import SCHEMA_PATH, SchemaMismatch, ensure_schema
from etl.models import OBSERVATION_COLUMNS
from etl.reference import ReferenceError, load_actor_aliases, load_lexicon, load_reference
from etl.settings import REFERENCE_DIR


def test_observation_columns_match_schema():
    con = duckdb.connect()
    con.execute(SCHEMA_PATH.read_text())
    cols = [r[0] for r in con.execute("select column_name from information_schema.columns "
                                      "where table_name = 'observations' order by ordinal_position").fetchall()]
    assert tuple(cols) == OBSERVATION_COLUMNS


def test_contract_tables_exist():
    con = duckdb.connect()
    con.execute(SCHEMA_PATH.read_text())
    tables = {r[0] for r in con.execute("select table_name from information_schema.tables").fetchall()}
    assert {"reports", "observations", "events", "places", "place_aliases", "refresh_runs", "rejected_inputs"} <= tables


def test_database_of_another_schema_version_is_refused(tmp_path):
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    ensure_schema(con)
    con.execute("update schema_version set version = 99")
    with pytest.raises(SchemaMismatch, match="schema version 99"):
        ensure_schema(con)


def test_reference_data_loads():
    ref = load_reference()
    assert ref.actor_aliases["Daesh"] == "islamic_state"
    assert ref.actor_aliases["al-Hisbeh"] == "islamic_state"
    assert len(ref.lexicon.triggers) >= 15
    assert len(ref.gazetteer.places) > 500


def test_dated_actor_alias_is_kept_apart(tmp_path):
    # An alias with an `until` year means its actor only in reports published before then;
    # it stays out of the plain alias map, and a year that is not one is an error.
    ref = load_reference()
    assert ref.dated_actor_aliases["New Syrian Army"] == ("opposition", 2025)
    assert "New Syrian Army" not in ref.actor_aliases
    assert ref.actor_aliases["new Syrian army"] == "syrian_government"
    (tmp_path / "actors.csv").write_text("alias,actor,until\nDaesh,islamic_state,\nOld Army,opposition,soon\n")
    with pytest.raises(ReferenceError, match="line 3: need alias, a snake_case actor and an optional year"):
        load_actor_aliases(tmp_path / "actors.csv")


def test_bad_lexicon_reports_every_problem(tmp_path):
    for f in REFERENCE_DIR.iterdir():
        if f.is_file():
            shutil.copy(f, tmp_path / f.name)
    text = (tmp_path / "lexicon.toml").read_text()
    text = text.replace('indicator = "checkpoint"\nchange = "decrease"', 'indicator = "checkpoint"\nchange = "vanished"', 1)
    text = text.replace('indicator = "patrol"\nchange = "decrease"', 'indicator = "patrols"\nchange = "decrease"', 1)
    text = text.replace("f-35s?", "F-35s?", 1)  # triggers are matched on lowercased text
    text = text.replace("patrol = 'patrol|", "patrol = 'Patrol|", 1)
    (tmp_path / "lexicon.toml").write_text(text)
    with pytest.raises(ReferenceError) as err:
        load_lexicon(tmp_path / "lexicon.toml")
    message = str(err.value)
    assert re.search(r"checkpoint/vanished\): change must be one of", message)
    assert "(patrols/decrease): unknown indicator" in message
    assert "(airstrike/strike): write the pattern in lower case" in message
    assert "[cues] patrol: write the pattern in lower case" in message


def _describe_schema(con) -> dict:
    columns = con.execute("""select table_name, column_name, ordinal_position, data_type, is_nullable, column_default
        from information_schema.columns where table_schema = 'main' order by table_name, ordinal_position""").fetchall()
    constraints = con.execute("""select table_name, constraint_type, constraint_column_names::varchar
        from duckdb_constraints() where schema_name = 'main' order by all""").fetchall()
    return {"columns": columns, "constraints": constraints}


def test_the_migrations_build_exactly_schema_sql():
    """schema.sql is the readable full schema; the numbered migrations are what runs. Add a
    migration and the same change to schema.sql (new columns last)."""
    from etl.load import SCHEMA_VERSION, load_migrations

    migrated = duckdb.connect()
    assert ensure_schema(migrated) == list(range(1, SCHEMA_VERSION + 1))
    assert [v for (v,) in migrated.execute("select version from schema_version order by version").fetchall()] == \
        [v for v, _, _ in load_migrations()]
    written = duckdb.connect()
    written.execute(SCHEMA_PATH.read_text())
    assert _describe_schema(migrated) == _describe_schema(written)


def test_an_older_database_is_migrated_in_order(tmp_path):
    from etl.load import SCHEMA_VERSION, load_migrations

    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    con.execute(load_migrations()[0][2])
    con.execute("insert into schema_version values (1, now())")
    assert ensure_schema(con) == list(range(2, SCHEMA_VERSION + 1))
    assert ensure_schema(con) == []
    assert "removed_at" in [r[0] for r in con.execute("describe reports").fetchall()]


def test_a_database_that_is_not_ours_is_refused(tmp_path):
    con = duckdb.connect(str(tmp_path / "x.duckdb"))
    con.execute("create table sales (id integer)")
    with pytest.raises(SchemaMismatch, match="not a presence database"):
        ensure_schema(con)
