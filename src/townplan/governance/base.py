"""What every working system shares: the evaluation day, reading rows, and writing a
reference row so that a clash with the ledger is a ConflictError naming the record."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Final

from townplan.errors import ConflictError, FieldError
from townplan.ledger import LedgerStore
from townplan.ledger.sqlite_errors import constraint, is_duplicate
from townplan.model.arguments import optional_day

__all__ = ["CENT", "evaluation_day", "insert_row", "quantize", "rows"]

#: Points and days are shown to the hundredth.
CENT: Final = Decimal("0.01")


def evaluation_day(store: LedgerStore, on: date | None) -> date:
    """``on`` (a date: anything else is refused, naming ``on``), else the day the view is
    cut at, else today in the ledger's zone."""
    return optional_day(on, record="governance", field="on") or store.cut or store.today()


def rows(
    store: LedgerStore, sql: str, params: dict[str, Any] | None = None
) -> list[dict[str, Any]]:
    """Rows of a parameterised query as dicts."""
    return store.rows(sql, params)


def insert_row(store: LedgerStore, table: str, row: dict[str, Any], record: str) -> None:
    """Insert ``row`` into one of governance's own tables (``table`` is never user input)."""
    names = ", ".join(row)
    marks = ", ".join(f":{k}" for k in row)
    try:
        store.db.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", row)
    except sqlite3.IntegrityError as exc:
        message = str(exc)
        if is_duplicate(exc):
            field, expected = "code", "a code not already in the ledger"
        elif constraint(exc) == "foreignkey":
            field, expected = None, "references (project, task, inspection) the ledger holds"
        else:
            field, expected = None, "values the ledger's constraints accept"
        value = row.get("code", row.get("name"))
        raise ConflictError(
            f"{record} conflicts with the ledger ({message})",
            [FieldError(record, field, value, expected)],
        ) from None


def quantize(value: Decimal) -> Decimal:
    """``value`` to the hundredth, half up."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP)
