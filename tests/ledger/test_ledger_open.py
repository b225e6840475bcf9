"""Opening a ledger: files and memory, connection settings, the version table, and files
that are not (or not yet) this townplan's ledgers."""

from __future__ import annotations

import gc
import os
import sqlite3
from datetime import date
from pathlib import Path

import pytest
import sqlite_utils

import townplan as tp
from townplan.ledger import SCHEMA_VERSION, LedgerStore, opening
from townplan.ledger.schema import APPLICATION_ID


def pragma(ledger: LedgerStore, name: str) -> object:
    return ledger.db.execute(f"PRAGMA {name}").fetchone()[0]


def make_foreign_sqlite(path: Path) -> bytes:
    """A SQLite file another program made: a table of its own, no townplan marks."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE customers (id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO customers (name) VALUES ('王五')")
    conn.commit()
    conn.close()
    return path.read_bytes()


def test_open_creates_a_file_that_reopens_with_its_data(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    assert not path.exists()
    with LedgerStore.open(path) as ledger:
        ledger.add_zones(["东区"])
        assert ledger.path == str(path)
    assert path.exists()
    with LedgerStore.open(str(path)) as again:
        assert [z.name for z in again.zones()] == ["东区"]
        assert again.schema_version == SCHEMA_VERSION


def test_memory_ledgers_are_private_and_complete() -> None:
    with LedgerStore.open(":memory:") as one, LedgerStore.open() as two:
        one.add_zones(["东区"])
        assert two.zones() == []
        assert one.schema_version == two.schema_version == SCHEMA_VERSION


def test_leaving_the_with_block_closes_the_ledger(tmp_path: Path) -> None:
    with LedgerStore.open(tmp_path / "town.db") as ledger:
        pass
    with pytest.raises(tp.TownplanError):
        ledger.add_zones(["东区"])


def test_file_connection_settings(tmp_path: Path) -> None:
    with LedgerStore.open(tmp_path / "town.db") as ledger:
        assert pragma(ledger, "foreign_keys") == 1
        assert pragma(ledger, "journal_mode") == "wal"
        assert int(pragma(ledger, "busy_timeout")) >= 1000  # type: ignore[call-overload]
        assert pragma(ledger, "application_id") == APPLICATION_ID


def test_memory_connection_settings() -> None:
    with LedgerStore.open(":memory:") as ledger:
        assert pragma(ledger, "foreign_keys") == 1
        assert pragma(ledger, "journal_mode") == "memory"
        assert int(pragma(ledger, "busy_timeout")) >= 1000  # type: ignore[call-overload]


def test_reopening_keeps_settings_that_live_on_the_connection(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    LedgerStore.open(path).close()
    with LedgerStore.open(path) as ledger:
        assert pragma(ledger, "foreign_keys") == 1
        assert int(pragma(ledger, "busy_timeout")) >= 1000  # type: ignore[call-overload]


def test_reopening_turns_wal_back_on(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    LedgerStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    with LedgerStore.open(path) as ledger:
        assert pragma(ledger, "journal_mode") == "wal"


def test_migrations_are_recorded_in_the_file(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    LedgerStore.open(path).close()
    conn = sqlite3.connect(path)
    rows = conn.execute("SELECT version, name, applied_at FROM townplan_migrations").fetchall()
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    conn.close()
    assert [r[0] for r in rows] == list(range(1, SCHEMA_VERSION + 1))
    assert all(name.strip() and applied for _, name, applied in rows)
    assert user_version == SCHEMA_VERSION


def test_reopening_applies_nothing_twice(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    with LedgerStore.open(path) as ledger:
        first = ledger.db.execute("SELECT * FROM townplan_migrations").fetchall()
    with LedgerStore.open(path) as ledger:
        assert ledger.db.execute("SELECT * FROM townplan_migrations").fetchall() == first


def test_file_from_a_newer_townplan_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "future.db"
    LedgerStore.open(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    before = path.read_bytes()
    with pytest.raises(tp.SchemaError, match=str(SCHEMA_VERSION + 1)) as info:
        LedgerStore.open(path)
    assert "newer" in str(info.value)
    assert path.read_bytes() == before


def test_foreign_sqlite_file_is_refused_untouched(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite"
    before = make_foreign_sqlite(path)
    with pytest.raises(tp.SchemaError, match="not a townplan ledger"):
        LedgerStore.open(path)
    assert path.read_bytes() == before
    conn = sqlite3.connect(path)
    names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]
    conn.close()
    assert names == ["customers"]


def test_sqlite_file_of_another_application_is_refused_even_when_empty(tmp_path: Path) -> None:
    path = tmp_path / "other.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1196444487")  # GeoPackage's "GPKG"
    conn.close()
    before = path.read_bytes()
    with pytest.raises(tp.SchemaError):
        LedgerStore.open(path)
    assert path.read_bytes() == before


@pytest.mark.parametrize(
    "content",
    [b"code,name\nP001,\xe4\xb8\xad\xe5\xbf\x83\xe5\xa4\xa7\xe9\x81\x93\n", bytes(range(256)) * 16],
    ids=["csv-text", "binary"],
)
def test_a_file_that_is_not_sqlite_is_refused_untouched(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "town.db"
    path.write_bytes(content)
    with pytest.raises(tp.SchemaError, match=path.name):
        LedgerStore.open(path)
    assert path.read_bytes() == content


def test_a_directory_or_unreachable_path_gives_a_townplan_error(tmp_path: Path) -> None:
    with pytest.raises(tp.SchemaError):
        LedgerStore.open(tmp_path)
    with pytest.raises(tp.SchemaError):
        LedgerStore.open(tmp_path / "no" / "such" / "dir" / "town.db")


@pytest.mark.skipif(not Path("/proc/self/fd").exists(), reason="needs /proc/self/fd")
def test_a_refused_file_is_released(tmp_path: Path) -> None:
    path = tmp_path / "crm.sqlite"
    make_foreign_sqlite(path)
    gc.collect()
    gc.disable()
    try:
        before = len(os.listdir("/proc/self/fd"))
        for _ in range(5):
            with pytest.raises(tp.SchemaError):
                LedgerStore.open(path)
        after = len(os.listdir("/proc/self/fd"))
    finally:
        gc.enable()
    assert after == before


def test_read_only_ledger_reads_and_refuses_writes(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    with LedgerStore.open(path) as ledger:
        ledger.add_zones(["东区"])
    before = path.read_bytes()
    with LedgerStore.open(path, read_only=True) as ledger:
        assert [z.name for z in ledger.zones()] == ["东区"]
        with pytest.raises(tp.ReadOnlyError):
            ledger.add_zones(["西区"])
        with pytest.raises(tp.ReadOnlyError):
            ledger.append_entry("note", "东区", date(2013, 6, 30))
        with pytest.raises(tp.ReadOnlyError), ledger.transaction():
            pass
    assert path.read_bytes() == before


def test_read_only_open_of_a_missing_or_unmigrated_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(tp.SchemaError):
        LedgerStore.open(tmp_path / "missing.db", read_only=True)
    path = tmp_path / "old.db"
    db = opening.connect(path)
    opening.migrate(db, path, target=1)
    db.close()
    with pytest.raises(tp.SchemaError, match="read-only"):
        LedgerStore.open(path, read_only=True)


class _RacingConnection(sqlite3.Connection):
    """Lets another opener finish migrating the same file just before this one's first
    transaction begins: the interleaving two processes opening a new file can hit."""

    rival_path: str = ""

    def execute(self, sql: str, *args: object) -> sqlite3.Cursor:  # type: ignore[override]
        if self.rival_path and sql.lstrip().upper().startswith("BEGIN"):
            path, self.rival_path = self.rival_path, ""
            rival = opening.connect(path)
            opening.migrate(rival, path)
            rival.close()
        return super().execute(sql, *args)


def test_an_opener_that_lost_the_race_to_migrate_still_opens(tmp_path: Path) -> None:
    path = tmp_path / "new.db"
    conn = sqlite3.connect(path, factory=_RacingConnection)
    conn.rival_path = str(path)
    db = sqlite_utils.Database(conn, execute_plugins=False)
    try:
        assert opening.migrate(db, path) == SCHEMA_VERSION
    finally:
        db.close()
    with LedgerStore.open(path) as ledger:
        versions = [r[0] for r in ledger.db.execute("SELECT version FROM townplan_migrations")]
    assert versions == list(range(1, SCHEMA_VERSION + 1))


def test_closing_an_as_of_view_leaves_the_ledger_open(tmp_path: Path) -> None:
    with LedgerStore.open(tmp_path / "town.db") as ledger:
        ledger.add_units(["城建办"])
        view = ledger.as_of(date(2013, 6, 30))
        view.close()
        assert [u.name for u in ledger.units()] == ["城建办"]
