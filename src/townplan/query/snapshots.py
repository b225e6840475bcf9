"""The temporary tables behind :meth:`ProjectQuery.snapshot`: made, named and dropped
here, so that only names townplan made ever reach SQL text.

>>> from townplan.ledger import LedgerStore
>>> from townplan.query.sql import Fragment
>>> store = LedgerStore.open(":memory:")
>>> name = create(store, Fragment("SELECT 1 AS one"))
>>> store.db.execute(f"SELECT one FROM temp.{name}").fetchall()
[(1,)]
>>> drop(store, name)
>>> store.db.execute("SELECT count(*) FROM temp.sqlite_master").fetchone()
(0,)
"""

from __future__ import annotations

import contextlib
import itertools
import re
import sqlite3
from typing import Any, Final

import attrs

from townplan.errors import ValidationError
from townplan.ledger.reads import LedgerReader
from townplan.query.sql import Fragment

__all__ = ["check_name", "create", "drop"]

_COUNTER = itertools.count(1)
#: Per connection (by id), the tables SQLite refused to drop (emptied instead), dropped
#: at the next :func:`create` on it; a snapshot still in use — say one whose ``with``
#: block holds another's — is never here.
_PENDING: dict[int, set[str]] = {}
_PREFIX: Final = "townplan_snapshot_"
_NAME: Final = re.compile(rf"{_PREFIX}[0-9]+")


def check_name(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """An attrs validator: ``value`` is None or a name :func:`create` made."""
    if value is not None and not (isinstance(value, str) and _NAME.fullmatch(value)):
        raise ValidationError.single(
            record="projects", field=attribute.name, value=value,
            expected="None (the table of a snapshot is townplan's to name)",
        )  # fmt: skip


def create(reader: LedgerReader, select: Fragment) -> str:
    """A new temporary table holding the rows of ``select``; returns its name."""
    _drop_left_over(reader)
    name = f"{_PREFIX}{next(_COUNTER)}"
    sql, params = ("CREATE TEMP TABLE " + name + " AS " + select).render()
    reader.db.execute(sql, params)
    return name


def drop(reader: LedgerReader, name: str) -> None:
    """Drop a snapshot's table. While another statement on the connection is still open
    SQLite refuses to drop a table: then it is emptied, and dropped at the next
    :func:`create`. Never raises, so the ``with`` block's own exception is the one seen."""
    if not _NAME.fullmatch(name):
        return
    try:
        reader.db.execute(f"DROP TABLE IF EXISTS temp.{name}")
        return
    except sqlite3.Error:
        _PENDING.setdefault(id(reader.db.conn), set()).add(name)
    with contextlib.suppress(sqlite3.Error):
        reader.db.execute(f"DELETE FROM temp.{name}")


def _drop_left_over(reader: LedgerReader) -> None:
    pending = _PENDING.get(id(reader.db.conn), set())
    for name in sorted(pending):
        with contextlib.suppress(sqlite3.Error):
            reader.db.execute(f"DROP TABLE IF EXISTS temp.{name}")
            pending.discard(name)
