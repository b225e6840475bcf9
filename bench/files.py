"""Ledger files for the benchmarks: one townplan ledger and one plain-sqlite3 baseline file,
with the same schema, the same reference rows and the same settings.

The baseline gets townplan's schema by opening a :class:`LedgerStore` on its file and
closing it, so it has the same tables, indexes, FTS triggers and WAL journal; it is then
written with plain ``sqlite3`` and foreign keys on.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench.data import RECORDED, RECORDED_AT, UNITS, ZONES
from townplan.ledger import LedgerStore

#: Columns a new project row fills, in schema order (``version`` and ``change_note`` default).
PROJECT_FIELDS = (
    "code", "name", "category", "stage", "kind", "currency", "government_fen", "social_fen",
    "total_fen", "plan_fen", "plan_year", "zone", "village", "responsible_unit", "leader",
    "content", "start_year", "end_year", "town", "valid_from", "recorded_at",
)  # fmt: skip
#: Columns a progress row fills (``id`` is assigned).
PROGRESS_FIELDS = (
    "project", "period", "currency", "completed_fen", "cumulative_fen", "note", "reported_on",
    "recorded_at", "corrects",
)  # fmt: skip


def insert_sql(table: str, fields: tuple[str, ...]) -> str:
    """``INSERT INTO table (fields) VALUES (?, …)``."""
    return f"INSERT INTO {table} ({', '.join(fields)}) VALUES ({', '.join('?' * len(fields))})"


PROJECT_INSERT = insert_sql("projects", PROJECT_FIELDS)
PROGRESS_INSERT = insert_sql("progress", PROGRESS_FIELDS)


def townplan_ledger(path: Path) -> LedgerStore:
    """A new ledger at ``path`` holding the zones and units the generated projects name."""
    ledger = LedgerStore.open(path)
    ledger.add_zones(ZONES, recorded_at=RECORDED)
    ledger.add_units(UNITS, recorded_at=RECORDED)
    return ledger


def baseline_file(path: Path) -> sqlite3.Connection:
    """A new file at ``path`` with townplan's schema and reference rows, opened with plain
    sqlite3 in autocommit mode (the caller writes BEGIN/COMMIT) and foreign keys on."""
    LedgerStore.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("BEGIN")
    zones = [(z, RECORDED_AT) for z in ZONES]
    units = [(u, RECORDED_AT) for u in UNITS]
    conn.executemany("INSERT INTO zones (name, recorded_at) VALUES (?, ?)", zones)
    conn.executemany("INSERT INTO units (name, recorded_at) VALUES (?, ?)", units)
    conn.execute("COMMIT")
    return conn


def drop_progress_fts_trigger(conn: sqlite3.Connection) -> None:
    """Stop indexing progress notes on insert (to measure what the FTS5 trigram index costs)."""
    conn.execute("DROP TRIGGER progress_ai")


def same_content(a: LedgerStore, b: LedgerStore) -> bool:
    """True when two ledgers hold the same rows (townplan's content checksum)."""
    return a.checksum() == b.checksum()
