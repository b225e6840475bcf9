"""The ledger's connection, transactions, clock and "as of" cut.

A ledger object is either live (reads see everything, writes allowed) or a read-only
view cut at a day (``as_of``): reads see what was effective on that day **and** recorded
by its end in the ledger's zone (:mod:`townplan.ledger.clock`); writes raise
:class:`townplan.ReadOnlyError`. What "effective and known" means for each table is
decided in :mod:`townplan.ledger.asof` alone.
"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Self
from zoneinfo import ZoneInfo

from townplan.errors import (
    ClosedError,
    ConflictError,
    ReadOnlyError,
    SchemaError,
    TownplanError,
    ValidationError,
)
from townplan.ledger.asof import Cut, relation
from townplan.ledger.clock import DEFAULT_ZONE, Recorded, stamp, today, zone_named
from townplan.ledger.opening import check_complete, connect, migrate
from townplan.ledger.sqlite_errors import storage_error
from townplan.model.arguments import day_argument

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["LOCAL_TIME", "LedgerBase", "Recorded", "as_recorded_at"]


def _stored_zone(db: sqlite_utils.Database) -> ZoneInfo:
    try:
        row = db.execute("SELECT value FROM townplan_meta WHERE key = 'zone'").fetchone()
    except sqlite3.OperationalError:
        row = None
    return zone_named(row[0]) if row else ZoneInfo(DEFAULT_ZONE)


#: China Standard Time, the default zone of a ledger (see :mod:`townplan.ledger.clock`).
LOCAL_TIME: Final = timezone(timedelta(hours=8), "CST")


def as_recorded_at(value: Recorded, zone: ZoneInfo | None = None) -> str:
    """The stored text of a record time (in ``zone``, default the default ledger zone);
    a ledger's own writes use :meth:`LedgerBase.stamp`, which knows its zone."""
    return stamp(value, zone or ZoneInfo(DEFAULT_ZONE))


class _Connection:
    """The ledger's connection, shared by the ledger and its as-of views, so that once
    the ledger is closed every view knows it too."""

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db: sqlite_utils.Database | None = db


class LedgerBase:
    """Connection, transactions and the as-of cut shared by reads and writes."""

    def __init__(
        self,
        db: sqlite_utils.Database | _Connection,
        path: str,
        as_of: date | None = None,
        zone: ZoneInfo | None = None,
    ) -> None:
        self._connection = db if isinstance(db, _Connection) else _Connection(db)
        self._path = path
        self._as_of = as_of
        self._zone = zone or _stored_zone(self._db)

    @property
    def _db(self) -> sqlite_utils.Database:
        db = self._connection.db
        if db is None:
            raise ClosedError(f"the ledger ({self._path}) is closed; open it again to use it")
        return db

    @property
    def _closed(self) -> bool:
        return self._connection.db is None

    # --- opening and closing ----------------------------------------------------
    @classmethod
    def open(cls, path: str | Path = ":memory:", *, read_only: bool = False) -> Self:
        """Open the ledger at ``path``, creating and migrating it as needed.

        >>> from townplan.ledger import SCHEMA_VERSION, LedgerStore
        >>> with LedgerStore.open(":memory:") as ledger:
        ...     ledger.schema_version == SCHEMA_VERSION
        True
        """
        db = connect(path, read_only=read_only)
        try:
            migrate(db, path, read_only=read_only)
            if str(path) != ":memory:":
                check_complete(db, path)
        except sqlite3.OperationalError as exc:
            db.close()
            raise SchemaError(f"{path}: cannot prepare the ledger ({exc})") from None
        except TownplanError:
            db.close()
            raise
        ledger = cls(db, str(path))
        if read_only:
            ledger._read_only = True
        return ledger

    _read_only = False

    def copy(self, path: str | Path = ":memory:") -> Self:
        """A copy of the whole ledger file in ``path`` (default: in memory), made with
        SQLite's online backup — fast, and safe while others read the original.

        The copy is live (writable) even when made from an ``as_of`` view; it holds
        everything, and ``copy.as_of(day)`` gives the same view again.

        >>> from townplan.ledger import LedgerStore
        >>> original = LedgerStore.open(":memory:")
        >>> original.add_units(["城建办"])
        >>> twin = original.copy()
        >>> twin.checksum() == original.checksum()
        True
        """
        memory = str(path) == ":memory:"
        if not memory and Path(path).exists():
            raise ConflictError(f"{path} exists; a copy goes into a new file")
        target = sqlite3.connect(str(path), timeout=30)
        try:
            self._db.conn.backup(target)
        except BaseException:
            target.close()
            raise
        if not memory:
            target.close()
            return type(self).open(path)
        import sqlite_utils

        db = sqlite_utils.Database(target, execute_plugins=False)
        db.execute("PRAGMA foreign_keys = ON")
        return type(self)(db, ":memory:")

    def close(self) -> None:
        """Close the file. Closing a view made by :meth:`as_of` does nothing: the view shares
        the ledger's connection, which closes with the ledger."""
        if self._as_of is None and not self._closed:
            self._db.close()
            self._connection.db = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        if self._as_of is None:
            self.close()

    @property
    def path(self) -> str:
        """Where the ledger lives (":memory:" for an in-memory one)."""
        return self._path

    @property
    def db(self) -> sqlite_utils.Database:
        """The sqlite-utils Database, for reading with your own SQL (write through townplan)."""
        return self._db

    @property
    def schema_version(self) -> int:
        """The schema version of the file."""
        return int(self._db.execute("PRAGMA user_version").fetchone()[0])

    @property
    def cut(self) -> date | None:
        """The day this view is cut at, or None for the live ledger."""
        return self._as_of

    def as_of(self, day: date) -> Self:
        """A read-only view of what was known on ``day``: effective by then and recorded
        before the end of that day in the ledger's zone."""
        day = day_argument(day, record="as_of", field="day")
        view = type(self)(self._connection, self._path, as_of=day, zone=self._zone)
        view._read_only = True
        return view

    # --- the clock ---------------------------------------------------------------------
    @property
    def zone(self) -> ZoneInfo:
        """The ledger's zone: record times are its local time, ``as_of(day)`` the end of
        ``day`` there."""
        return self._zone

    def stamp(self, value: Recorded = None, *, record: str = "entry") -> str:
        """The stored text of a record time ``value`` (None: now) in the ledger's zone."""
        return stamp(value, self._zone, record=record)

    def today(self) -> date:
        """Today in the ledger's zone (the default day of a reading)."""
        return today(self._zone)

    # --- the as-of rule (see townplan.ledger.asof) -----------------------------------------
    def relation(self, name: str, on: date | None = None) -> tuple[str, dict[str, str]]:
        """SQL (a subquery) and its named parameters for the rows of ``name`` in force on
        ``on`` (default: the cut's day; a live ledger: everything) and known at the cut.
        The query and governance layers build on these; see :data:`asof.RELATIONS`."""
        if on is not None and (not isinstance(on, date) or isinstance(on, datetime)):
            raise ValidationError.single(record=name, field="on", value=on, expected="a date")
        return relation(name, Cut(on if on is not None else self._as_of, self._as_of))

    # --- transactions -------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Self]:
        """All or nothing: nothing written inside is kept unless the block completes.

        Nested blocks are savepoints: an inner failure that is caught rolls back only
        the inner block.
        """
        self._writable()
        conn = self._db.conn
        if conn.in_transaction:
            with self._db.atomic():  # a savepoint inside the outer transaction
                yield self
            return
        try:
            # IMMEDIATE takes the write lock at the start (waiting up to the busy timeout),
            # so a transaction that reads before it writes never finds its snapshot stale.
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield self
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")
        except sqlite3.OperationalError as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            mapped = storage_error(self._path, exc)
            if mapped is exc:
                raise
            raise mapped from exc

    def _writable(self) -> None:
        if self._read_only:
            where = f"as of {self._as_of}" if self._as_of else "opened read-only"
            raise ReadOnlyError(f"this ledger view is read-only ({where}); write to the ledger")
        if self._closed:
            raise ClosedError(f"the ledger ({self._path}) is closed; open it again to write")

    def _rows(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Iterator[Any]:
        try:
            cursor = self._db.execute(sql, params or [])
            columns = [d[0] for d in cursor.description]
            for values in cursor:  # a damaged page may first show while fetching
                yield dict(zip(columns, values, strict=True))
        except sqlite3.DatabaseError as exc:
            mapped = storage_error(self._path, exc)
            if mapped is exc:
                raise
            raise mapped from exc

    # --- content checksum -------------------------------------------------------------
    def checksum(self) -> str:
        """SHA-256 of the ledger's content (every table's rows in key order).

        Two ledgers with the same records, entries and record times have the same
        checksum, whatever file they live in; migration bookkeeping and the file's own
        identity (``townplan_meta`` key ``ledger_id``) are left out.
        """
        digest = hashlib.sha256()
        skip = {"townplan_migrations"}
        for table in sorted(self._db.table_names()):
            if table in skip or table.startswith(("sqlite_", "_")) or "_fts" in table:
                continue
            order = ", ".join(f"[{c}]" for c in self._db.table(table).columns_dict)
            digest.update(table.encode())
            where = " WHERE key <> 'ledger_id'" if table == "townplan_meta" else ""
            for row in self._db.execute(f"SELECT * FROM [{table}]{where} ORDER BY {order}"):
                digest.update(repr(row).encode())
        return digest.hexdigest()
