"""What a SQLite failure means, read from the codes SQLite gives (``sqlite_errorcode`` and
``sqlite_errorname``, Python 3.11) rather than from the wording of its messages, which
changes between SQLite versions and locales.

>>> import sqlite3
>>> conn = sqlite3.connect(":memory:")
>>> _ = conn.execute("CREATE TABLE t (code TEXT PRIMARY KEY)")
>>> _ = conn.execute("INSERT INTO t VALUES ('P1')")
>>> try:
...     conn.execute("INSERT INTO t VALUES ('P1')")
... except sqlite3.IntegrityError as exc:
...     print(constraint(exc))
primarykey
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from townplan.errors import ReadOnlyError, StorageError

__all__ = ["constraint", "is_duplicate", "storage_error", "storage_errors"]

_CONSTRAINT: Final = "SQLITE_CONSTRAINT_"
#: Primary result codes that mean the file itself failed, not the statement.
_STORAGE: Final = frozenset(
    {
        sqlite3.SQLITE_READONLY, sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_IOERR, sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_CANTOPEN,
    }
)  # fmt: skip


def _primary(exc: sqlite3.Error) -> int | None:
    code = getattr(exc, "sqlite_errorcode", None)
    return None if code is None else int(code) & 0xFF


def constraint(exc: sqlite3.Error) -> str | None:
    """The constraint a statement broke — ``"unique"``, ``"primarykey"``,
    ``"foreignkey"``, ``"check"``, ``"notnull"`` … — or None for another failure."""
    name = getattr(exc, "sqlite_errorname", None) or ""
    return name.removeprefix(_CONSTRAINT).lower() if name.startswith(_CONSTRAINT) else None


def is_duplicate(exc: sqlite3.Error) -> bool:
    """True when the statement broke a unique key (a code already there)."""
    return constraint(exc) in ("unique", "primarykey")


def storage_error(path: str, exc: sqlite3.Error) -> Exception:
    """The townplan error for a failure of the file itself (else ``exc`` unchanged)."""
    code = _primary(exc)
    if code not in _STORAGE:
        return exc
    if code == sqlite3.SQLITE_READONLY:
        return ReadOnlyError(f"{path}: the file cannot be written ({exc}); nothing was written")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED):
        return StorageError(f"{path}: another writer held the ledger too long ({exc})")
    return StorageError(f"{path}: {exc}; nothing was written")


@contextmanager
def storage_errors(path: str) -> Iterator[None]:
    """Raise a failure of the file at ``path`` inside the block as its townplan error
    (:func:`storage_error`); any other SQLite error goes on as it was. Reading rows
    belongs inside: a damaged page may first show while they are fetched.

    >>> try:
    ...     with storage_errors("town.db"):
    ...         sqlite3.connect(":memory:").execute("SELECT * FROM nowhere")
    ... except sqlite3.OperationalError as exc:
    ...     print(exc)
    no such table: nowhere
    """
    try:
        yield
    except sqlite3.DatabaseError as exc:
        mapped = storage_error(path, exc)
        if mapped is exc:
            raise
        raise mapped from exc
