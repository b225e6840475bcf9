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
import time
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, NoReturn, Self
from zoneinfo import ZoneInfo

from townplan.errors import (
    ClosedError,
    ReadOnlyError,
    SchemaError,
    StorageError,
    TownplanError,
    ValidationError,
)
from townplan.ledger.asof import Cut, relation, unseen
from townplan.ledger.clock import DEFAULT_ZONE, Recorded, stamp, today, zone_named
from townplan.ledger.copying import copy_into
from townplan.ledger.locks import describe_holder
from townplan.ledger.opening import check_complete, connect, migrate
from townplan.ledger.own_schema import check_own_schema, schema_cookie
from townplan.ledger.sqlite_errors import storage_error, storage_errors
from townplan.model.arguments import day_argument

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["LOCAL_TIME", "LedgerBase", "Recorded", "as_recorded_at"]


def busy_timeout(db: sqlite_utils.Database) -> int:
    """How long a write on ``db`` waits for another writer, in milliseconds (townplan sets
    :data:`~townplan.ledger.opening.BUSY_TIMEOUT_MS`; ``PRAGMA busy_timeout`` changes it)."""
    return int(db.execute("PRAGMA busy_timeout").fetchone()[0])


def _refused_while_reading(
    exc: sqlite3.OperationalError, waited: float, db: sqlite_utils.Database
) -> bool:
    """True when SQLite refused the write lock because this connection is still reading:
    its snapshot was overtaken (``SQLITE_BUSY_SNAPSHOT``), or it was refused without the
    busy handler waiting, which SQLite does only to a connection holding a read."""
    code = getattr(exc, "sqlite_errorcode", 0)
    if code == _SQLITE_BUSY_SNAPSHOT:
        return True
    return code & 0xFF == sqlite3.SQLITE_BUSY and waited < busy_timeout(db) / 2000


def _stored_zone(db: sqlite_utils.Database) -> ZoneInfo:
    try:
        row = db.execute("SELECT value FROM townplan_meta WHERE key = 'zone'").fetchone()
    except sqlite3.OperationalError:
        row = None
    return zone_named(row[0]) if row else ZoneInfo(DEFAULT_ZONE)


_SQLITE_BUSY_SNAPSHOT: Final = sqlite3.SQLITE_BUSY | (2 << 8)

#: China Standard Time, the default zone of a ledger (see :mod:`townplan.ledger.clock`).
LOCAL_TIME: Final = timezone(timedelta(hours=8), "CST")


def as_recorded_at(value: Recorded, zone: ZoneInfo | None = None) -> str:
    """The stored text of a record time (in ``zone``, default the default ledger zone);
    a ledger's own writes use :meth:`LedgerBase.stamp`, which knows its zone."""
    return stamp(value, zone or ZoneInfo(DEFAULT_ZONE))


class _Connection:
    """The ledger's connection, shared by the ledger and its as-of views, so that once
    the ledger is closed every view knows it too.

    ``writer`` is a second connection to the same file, opened the first time a write
    finds the main one still reading (a query being iterated holds a read snapshot, and
    SQLite cannot turn a read snapshot that another process has overtaken into a write);
    ``active`` is the connection of the transaction under way, when it is the writer.
    """

    def __init__(self, db: sqlite_utils.Database) -> None:
        self.db: sqlite_utils.Database | None = db
        self.writer: sqlite_utils.Database | None = None
        self.active: sqlite_utils.Database | None = None
        #: the main connection while :meth:`LedgerBase.reading` holds a read transaction on it
        self.reading: sqlite_utils.Database | None = None
        #: the file's schema cookie when its schema was last found townplan's own
        self.cookie: int | None = None

    def open_writer(self, main: sqlite_utils.Database) -> sqlite_utils.Database:
        if self.writer is None:
            import sqlite_utils

            file = next(row[2] for row in main.execute("PRAGMA database_list") if row[1] == "main")
            self.writer = sqlite_utils.Database(sqlite3.connect(file), execute_plugins=False)
            self.writer.execute("PRAGMA foreign_keys = ON")
        # the writer waits as long as the main connection is set to
        self.writer.execute(f"PRAGMA busy_timeout = {busy_timeout(main):d}")
        return self.writer

    def close(self) -> None:
        for db in (self.writer, self.db):
            if db is not None:
                db.close()
        self.db = self.writer = self.active = None


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
        db = self._connection.active or self._connection.db
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
        ledger._connection.cookie = schema_cookie(db.conn)
        if read_only:
            ledger._read_only = True
        return ledger

    _read_only = False

    def copy(self, path: str | Path = ":memory:") -> Self:
        """A copy of the whole ledger file in ``path`` (default: in memory), made with
        SQLite's online backup — fast, and safe while others read the original.

        The copy is live (writable) even when made from an ``as_of`` view; it holds
        everything, and ``copy.as_of(day)`` gives the same view again. A file copy is
        whole or absent: it is written beside ``path`` and renamed when complete, so an
        interrupted copy leaves nothing at ``path`` (see :mod:`townplan.ledger.copying`);
        an existing ``path`` is never replaced (:class:`~townplan.ConflictError`).

        >>> from townplan.ledger import LedgerStore
        >>> original = LedgerStore.open(":memory:")
        >>> _ = original.add_units(["城建办"])
        >>> twin = original.copy()
        >>> twin.checksum() == original.checksum()
        True
        """
        if str(path) != ":memory:":
            copy_into(self._db.conn, Path(path))
            return type(self).open(path)
        target = sqlite3.connect(":memory:")
        try:
            self._db.conn.backup(target)
        except BaseException:
            target.close()
            raise
        import sqlite_utils

        db = sqlite_utils.Database(target, execute_plugins=False)
        db.execute("PRAGMA foreign_keys = ON")
        return type(self)(db, ":memory:")

    def close(self) -> None:
        """Close the file. Closing a view made by :meth:`as_of` does nothing: the view shares
        the ledger's connection, which closes with the ledger."""
        if self._as_of is None and not self._closed:
            self._connection.close()

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

    def unseen(self, first: date, last: date) -> int:
        """How many facts of the period ``first``…``last`` (progress reports of its
        months, project versions in force by ``last``, entries, funds, counts and
        standings dated in it) were recorded after this view's cut: what a report read
        from the view leaves out (0 for the live ledger, which knows everything).

        >>> from townplan.ledger import LedgerStore
        >>> from townplan.model.enums import Category
        >>> from townplan.model.records import Project
        >>> ledger = LedgerStore.open(":memory:")
        >>> _ = ledger.add_project(Project(code="P1", name="中心大道",
        ...     category=Category.LIVELIHOOD), on=date(2013, 1, 1), recorded_at=date(2013, 8, 1))
        >>> ledger.as_of(date(2013, 7, 15)).unseen(date(2013, 1, 1), date(2013, 6, 30))
        1
        >>> ledger.as_of(date(2013, 8, 1)).unseen(date(2013, 1, 1), date(2013, 6, 30))
        0
        """
        first = day_argument(first, record="unseen", field="first")
        last = day_argument(last, record="unseen", field="last")
        found = unseen(first, last, Cut(self._as_of))
        if found is None:
            return 0
        return int(self._db.execute(*found).fetchone()[0])

    # --- transactions -------------------------------------------------------------
    @contextlib.contextmanager
    def transaction(self) -> Iterator[Self]:
        """All or nothing: nothing written inside is kept unless the block completes.

        Nested blocks are savepoints: an inner failure that is caught rolls back only
        the inner block.

        A write waits for another writer of the file (up to ``PRAGMA busy_timeout``, 30 s
        by default) and is never refused because a query of this ledger is still being
        iterated; if the wait runs out, :class:`~townplan.StorageError` names what held
        the lock (the process, where the system tells it).
        """
        self._writable()
        if self._db.conn.in_transaction and self._db is not self._connection.reading:
            with self._db.atomic():  # a savepoint inside the outer transaction
                yield self
            return
        db = self._begin()
        conn = db.conn
        if db is not self._connection.db:
            self._connection.active = db
        try:
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
            self._raise_storage(exc)
        finally:
            self._connection.active = None

    @contextlib.contextmanager
    def reading(self) -> Iterator[Self]:
        """One read transaction over the reads inside the block: each sees the ledger file
        as the first found it, whatever another connection writes meanwhile (in WAL,
        readers and the one writer do not wait for each other). A write of this ledger
        inside the block goes through its second connection, so it is committed at once,
        as outside the block, and not seen by the block's reads.

        An in-memory ledger has no other connection, and a block inside a transaction
        reads what that transaction sees: both read as they do outside the block.
        """
        main = self._connection.db
        if main is None or self._path == ":memory:" or self._db.conn.in_transaction:
            yield self
            return
        main.execute("BEGIN")  # deferred: the first read takes the snapshot
        self._connection.reading = main
        try:
            yield self
        finally:
            self._connection.reading = None
            if main.conn.in_transaction:
                main.execute("ROLLBACK")  # nothing was written on it: the reads end

    def _begin(self) -> sqlite_utils.Database:
        """Take the write lock (``BEGIN IMMEDIATE``, waiting up to the busy timeout) and
        return the connection holding it, so a transaction that reads before it writes
        never finds its snapshot stale.

        Inside :meth:`reading` the main connection holds a read transaction, and the write
        goes through the second connection at once.

        A query still being iterated keeps the main connection reading an older state;
        once another process has committed, SQLite refuses at once to make that reading
        a write (``SQLITE_BUSY_SNAPSHOT``, or ``SQLITE_BUSY`` without waiting while the
        other still writes). The write then goes through a second connection, which
        waits its turn like any writer; the query goes on with what it began with.
        """
        main = self._connection.db
        assert main is not None  # _writable checked it
        started = time.monotonic()
        if main is not self._connection.reading:
            try:
                main.execute("BEGIN IMMEDIATE")
                return self._own_schema(main)
            except sqlite3.OperationalError as exc:
                waited = time.monotonic() - started
                if self._path == ":memory:" or not _refused_while_reading(exc, waited, main):
                    self._raise_storage(exc)
        writer = self._connection.open_writer(main)
        try:
            writer.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            self._raise_storage(exc)
        return self._own_schema(writer)

    def _own_schema(self, db: sqlite_utils.Database) -> sqlite_utils.Database:
        """``db`` (holding the write lock), once its schema is known to be townplan's own
        still: when another program changed the file's schema since it was last looked at,
        it is looked at again, so a trigger added meanwhile never fires on this write
        (:mod:`townplan.ledger.own_schema`)."""
        cookie = schema_cookie(db.conn)
        if cookie != self._connection.cookie:
            try:
                check_own_schema(db.conn, self._path)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            self._connection.cookie = cookie
        return db

    def _raise_storage(self, exc: sqlite3.OperationalError) -> NoReturn:
        """Raise ``exc`` as a townplan error (a write that waited out the busy timeout
        names what held the lock), or ``exc`` itself when it is not the file's failure."""
        if getattr(exc, "sqlite_errorcode", 0) & 0xFF == sqlite3.SQLITE_BUSY:
            holder = (
                describe_holder(self._path) if self._path != ":memory:" else "another connection"
            )
            waited = busy_timeout(self._db) / 1000
            raise StorageError(
                f"{self._path}: {holder} held the ledger's write lock for more than "
                f"{waited:g} s (a long import, or a transaction left open); "
                "nothing was written — try again when it has finished"
            ) from exc
        mapped = storage_error(self._path, exc)
        if mapped is exc:
            raise exc
        raise mapped from exc

    def _writable(self) -> None:
        if self._read_only:
            where = f"as of {self._as_of}" if self._as_of else "opened read-only"
            raise ReadOnlyError(f"this ledger view is read-only ({where}); write to the ledger")
        if self._closed:
            raise ClosedError(f"the ledger ({self._path}) is closed; open it again to write")

    def _rows(self, sql: str, params: list[Any] | dict[str, Any] | None = None) -> Iterator[Any]:
        with storage_errors(self._path):
            cursor = self._db.execute(sql, params or [])
            columns = [d[0] for d in cursor.description]
            for values in cursor:  # a damaged page may first show while fetching
                yield dict(zip(columns, values, strict=True))

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
