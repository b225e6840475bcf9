"""The lifecycle part of the schema: procedure kinds (data with effective periods, the
common seven written in by the migration) and each project's procedures.

That a procedure was done, a project's status (停缓建 / 复工 / 取消) and an actual start or
finish set by hand are appended as generic ``entries`` (see
:mod:`townplan.ledger.lifecycle`), so each keeps its effective day and record time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["KINDS_RECORDED", "apply_lifecycle"]

#: The record time of the procedure kinds the migration writes in (fixed, so two new
#: ledgers have the same checksum).
KINDS_RECORDED: Final = "1900-01-01T00:00:00.000000"

_DAY = "GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"
_SQL: Final = f"""
CREATE TABLE procedure_kinds (
    code TEXT NOT NULL CHECK (length(code) BETWEEN 1 AND 64),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    name_en TEXT,
    position INTEGER NOT NULL DEFAULT 100,
    effective_from TEXT NOT NULL CHECK (effective_from {_DAY}),
    effective_to TEXT CHECK (effective_to IS NULL OR effective_to >= effective_from),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (code, effective_from)
);
CREATE TABLE procedures (
    project TEXT NOT NULL REFERENCES projects(code),
    kind TEXT NOT NULL CHECK (length(kind) BETWEEN 1 AND 64),
    required INTEGER NOT NULL CHECK (required IN (0, 1)),
    due TEXT CHECK (due IS NULL OR due {_DAY}),
    unit TEXT REFERENCES units(name),
    valid_from TEXT NOT NULL CHECK (valid_from {_DAY}),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (project, kind)
);
CREATE INDEX procedures_due ON procedures(due);
CREATE INDEX procedures_unit ON procedures(unit)
"""


def apply_lifecycle(db: sqlite_utils.Database) -> None:
    """Create the tables and write in :data:`DEFAULT_PROCEDURE_KINDS`."""
    from townplan.model.lifecycle import DEFAULT_PROCEDURE_KINDS

    for statement in _SQL.split(";\n"):
        db.execute(statement)
    db.conn.executemany(
        "INSERT INTO procedure_kinds (code, name, name_en, position, effective_from, "
        "effective_to, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (k.code, k.name, k.name_en, k.position, k.effective_from.isoformat(), None,
             KINDS_RECORDED)
            for k in DEFAULT_PROCEDURE_KINDS
        ],
    )  # fmt: skip
