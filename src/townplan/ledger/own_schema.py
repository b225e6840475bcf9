"""Opening is safe: a ledger file holds only the schema townplan made.

Triggers and views are code that SQLite runs on its own — a trigger on every insert, a
view under every read. A file whose schema holds a trigger, view, table or index that
townplan's migrations did not make at the file's version, or one of townplan's own made
differently, is refused with :class:`~townplan.ForeignSchemaError` naming each object,
before any migration runs (a migration writes, and the file's triggers would fire on its
writes). The same check runs again before a write whenever the file's schema changed
while it was open, so a trigger added by another program never fires on townplan's
writes either.

Definitions are compared as SQLite keeps them, with quoting and spacing set aside (the
full-text triggers are written by sqlite-utils, whose quoting has changed over time); the
tables SQLite itself keeps behind a full-text index are compared by name, and SQLite's
own objects (``sqlite_*``) are left out.

>>> normal('CREATE TRIGGER "t" AFTER INSERT ON [x] BEGIN\\n  SELECT 1 ;\\nEND')
'CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;END'
"""

from __future__ import annotations

import functools
import re
import sqlite3
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from townplan.errors import ForeignSchemaError

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["check_own_schema", "normal", "schema_cookie"]

_QUOTES: Final = re.compile(r'["`\[\]]')
_SPACE_AROUND: Final = re.compile(r"\s*([(),;=])\s*")

Objects = Mapping[tuple[str, str], tuple[str, str]]


def normal(sql: str | None) -> str:
    """A definition with quoting and spacing set aside."""
    text = " ".join(_QUOTES.sub("", sql or "").split())
    return _SPACE_AROUND.sub(r"\1", text)


def schema_cookie(conn: sqlite3.Connection) -> int:
    """SQLite's count of the file's schema changes (``PRAGMA schema_version``)."""
    return int(conn.execute("PRAGMA schema_version").fetchone()[0])


def check_own_schema(conn: sqlite3.Connection, path: str | Path) -> None:
    """Refuse the file unless every object of its schema is townplan's own at the file's
    version (see the module). A file newer than this townplan is left to the version
    check, which refuses it with its own message."""
    from townplan.ledger.opening import SCHEMA_VERSION

    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        return
    expected = reference(version)
    shadows = {name for (_, name) in expected if _is_shadow(name, expected)}
    problems, found = [], []
    for (kind, name), (table, sql) in sorted(_objects(conn).items()):
        own = expected.get((kind, name))
        on = f" on {table}" if kind in ("trigger", "index") and table != name else ""
        if own is None:
            problems.append(f"{kind} {name}{on}")
            found.append((kind, name, table, False))
        elif name not in shadows and (own[0] != table or own[1] != normal(sql)):
            problems.append(f"{kind} {name}{on} (not as townplan made it)")
            found.append((kind, name, table, True))
    if problems:
        raise ForeignSchemaError(path, problems, version, found)


def _objects(conn: sqlite3.Connection) -> dict[tuple[str, str], tuple[str, str]]:
    rows = conn.execute("SELECT type, name, tbl_name, sql FROM main.sqlite_master")
    return {
        (kind, name): (table, sql or "")
        for kind, name, table, sql in rows
        if not name.startswith("sqlite_")
    }


def _is_shadow(name: str, expected: Objects) -> bool:
    """A table SQLite keeps behind a virtual (full-text) table of the schema."""
    virtual = [
        n for (k, n), (_, sql) in expected.items() if k == "table" and "VIRTUAL TABLE" in sql
    ]
    return any(name.startswith(f"{v}_") for v in virtual)


@functools.lru_cache(maxsize=4)
def reference(version: int) -> Objects:
    """Every object of a ledger at ``version``, as townplan's migrations make it."""
    import sqlite_utils

    from townplan.ledger.opening import migrate

    db: sqlite_utils.Database = sqlite_utils.Database(
        sqlite3.connect(":memory:"), execute_plugins=False
    )
    try:
        if version:
            migrate(db, ":memory:", target=version)
        objects = _objects(db.conn)
    finally:
        db.close()
    return MappingProxyType({key: (table, normal(sql)) for key, (table, sql) in objects.items()})
