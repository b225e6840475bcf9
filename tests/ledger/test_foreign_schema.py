"""Opening is safe: a ledger file whose schema holds triggers, views, tables or indexes
townplan did not create — or its own made differently — is refused before anything runs
in it, naming each object; a trigger added while the ledger is open never fires on
townplan's writes. The files are tampered with through sqlite3 directly, and what the
file holds afterwards is read the same way."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.ledger import SCHEMA_VERSION, LedgerStore, opening

SPY = (
    "CREATE TRIGGER spy AFTER INSERT ON {table} BEGIN "
    "UPDATE townplan_meta SET value = 'the file ran its own code' WHERE key = 'application'; END"
)


def tamper(path: Path, *statements: str) -> str:
    """Run ``statements`` on the file with plain sqlite3; returns the file's digest."""
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in statements:
        conn.execute(statement)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read(path: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


@pytest.fixture
def town(tmp_path: Path) -> Path:
    path = tmp_path / "town.db"
    with LedgerStore.open(path) as ledger:
        ledger.add_units(["城建办"])
    return path


def test_a_file_with_foreign_triggers_views_and_tables_is_refused_untouched(town: Path) -> None:
    digest = tamper(
        town,
        SPY.format(table="progress"),
        "CREATE TABLE audit (what TEXT)",
        "CREATE VIEW leaked AS SELECT * FROM units",
        "CREATE INDEX units_by_english ON units (name_en)",
    )
    with pytest.raises(tp.ForeignSchemaError) as caught:
        LedgerStore.open(town)
    assert caught.value.objects == (
        "index units_by_english on units",
        "table audit",
        "trigger spy on progress",
        "view leaked",
    )
    message = str(caught.value)
    assert "trigger spy on progress" in message and "did not create" in message
    # the statements that remove exactly what was added, in a copy
    assert 'DROP INDEX "units_by_english"; DROP TABLE "audit"; DROP TRIGGER "spy";' in message
    assert isinstance(caught.value, tp.SchemaError)  # a SchemaError like any refused file
    with pytest.raises(tp.ForeignSchemaError):
        LedgerStore.open(town, read_only=True)
    assert hashlib.sha256(town.read_bytes()).hexdigest() == digest


def test_a_townplan_trigger_rewritten_in_the_file_is_refused(town: Path) -> None:
    (sql,) = read(town, "SELECT sql FROM sqlite_master WHERE name = 'progress_ai'")[0]
    assert "INSERT INTO" in sql
    tamper(
        town,
        "DROP TRIGGER progress_ai",
        "CREATE TRIGGER progress_ai AFTER INSERT ON progress BEGIN "
        "DELETE FROM progress WHERE id < new.id; END",
    )
    with pytest.raises(tp.ForeignSchemaError) as caught:
        LedgerStore.open(town)
    assert caught.value.objects == ("trigger progress_ai on progress (not as townplan made it)",)
    # townplan's own trigger is not to be dropped: the message says to open a good copy
    assert "DROP" not in str(caught.value)
    assert "open the last copy of the file as townplan wrote it" in str(caught.value)


def test_a_file_with_only_a_foreign_table_is_not_said_to_run_code(town: Path) -> None:
    tamper(town, "CREATE TABLE audit (what TEXT)")
    with pytest.raises(tp.ForeignSchemaError) as caught:
        LedgerStore.open(town)
    message = str(caught.value)
    assert "trigger or view" not in message
    assert "only a file whose schema it made" in message and 'DROP TABLE "audit";' in message


def test_an_older_file_with_its_own_trigger_is_refused_before_migrating(tmp_path: Path) -> None:
    """A version-1 file whose trigger would fire when the migration records its steps."""
    path = tmp_path / "v1.db"
    db = opening.connect(path)
    assert opening.migrate(db, path, target=1) == 1
    db.close()
    digest = tamper(path, SPY.format(table="townplan_migrations"))
    with pytest.raises(tp.ForeignSchemaError) as caught:
        LedgerStore.open(path)
    assert caught.value.objects == ("trigger spy on townplan_migrations",)
    assert read(path, "PRAGMA user_version") == [(1,)]  # no migration ran
    assert read(path, "SELECT value FROM townplan_meta WHERE key = 'application'") == [
        ("townplan",)
    ]
    assert hashlib.sha256(path.read_bytes()).hexdigest() == digest


def test_a_trigger_added_while_the_ledger_is_open_never_fires_on_its_writes(town: Path) -> None:
    ledger = LedgerStore.open(town)
    try:
        ledger.append_entry("note", "before", date(2013, 7, 1))
        tamper(town, SPY.format(table="entries"))
        with pytest.raises(tp.ForeignSchemaError, match="trigger spy on entries"):
            ledger.append_entry("note", "after", date(2013, 7, 1))
    finally:
        ledger.close()
    assert read(town, "SELECT subject FROM entries") == [("before",)]
    assert read(town, "SELECT value FROM townplan_meta WHERE key = 'application'") == [
        ("townplan",)
    ]


def test_a_whole_ledger_with_sqlite_statistics_still_opens(town: Path) -> None:
    tamper(town, "ANALYZE")  # SQLite's own sqlite_stat1 table is not a foreign object
    with LedgerStore.open(town) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        ledger.add_units(["经济贸易办公室"])
