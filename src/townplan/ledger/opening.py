"""Opening a ledger file: connection settings, identification, migrations."""

from __future__ import annotations

import os
import sqlite3
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from townplan.errors import SchemaError
from townplan.ledger.own_schema import check_own_schema, reference
from townplan.ledger.schema import APPLICATION_ID, MIGRATIONS, Migration

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["BUSY_TIMEOUT_MS", "SCHEMA_VERSION", "check_complete", "connect", "migrate"]

#: The schema version this townplan writes.
SCHEMA_VERSION = MIGRATIONS[-1].version
#: How long a write waits for another writer to finish, in milliseconds.
BUSY_TIMEOUT_MS = 30_000


def connect(path: str | Path, *, read_only: bool = False) -> sqlite_utils.Database:
    """Open ``path`` (":memory:" for a private in-memory ledger) with townplan's settings:
    foreign keys on, WAL for files, a busy timeout so concurrent writers wait."""
    memory = str(path) == ":memory:"
    if not memory and Path(path).is_file() and Path(path).stat().st_size:
        with Path(path).open("rb") as head:
            if head.read(16) != b"SQLite format 3\x00":
                raise SchemaError(
                    f"{path}: not a readable SQLite database (it has no SQLite header); "
                    "townplan will not change it",
                    reason="not_sqlite", path=str(path),
                )  # fmt: skip
    conn: sqlite3.Connection | None = None
    try:
        if memory:
            conn = sqlite3.connect(":memory:", timeout=BUSY_TIMEOUT_MS / 1000)
        elif read_only:
            conn = _read_only(Path(path))
        else:
            conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        import sqlite_utils

        db = sqlite_utils.Database(conn, execute_plugins=False)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS:d}")
        _identify(db, path)
        check_own_schema(conn, path)  # before anything writes (and so fires a trigger)
        if not memory and not read_only:
            # A copy or a SQL tool may have switched the journal off WAL; readers and one
            # writer work side by side only in WAL.
            db.execute("PRAGMA journal_mode = WAL")
    except sqlite3.DatabaseError as exc:
        if conn is not None:
            conn.close()
        raise SchemaError(f"{path}: not a readable SQLite database ({exc})",
                          reason="not_sqlite", path=str(path)) from None  # fmt: skip
    except SchemaError:
        if conn is not None:
            conn.close()
        raise
    return db


def _read_only(path: Path) -> sqlite3.Connection:
    """A read-only connection; on a read-only medium, where SQLite cannot make the WAL
    index beside the file, the file is read as immutable (nobody can be writing it)."""
    if not path.exists():
        raise SchemaError(f"{path}: no such ledger file", reason="no_file", path=str(path))
    uri = path.resolve().as_uri()
    conn = sqlite3.connect(f"{uri}?mode=ro", uri=True, timeout=BUSY_TIMEOUT_MS / 1000)
    try:
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.OperationalError:
        conn.close()
        if os.access(path.parent, os.W_OK):
            raise
        conn = sqlite3.connect(f"{uri}?mode=ro&immutable=1", uri=True)
    return conn


def _identify(db: sqlite_utils.Database, path: str | Path) -> None:
    """Refuse a SQLite file that is not a townplan ledger, before touching it."""
    app_id = db.execute("PRAGMA application_id").fetchone()[0]
    tables = set(db.table_names())
    if app_id not in (0, APPLICATION_ID) or (tables and "townplan_meta" not in tables):
        raise SchemaError(
            f"{path}: this SQLite file is not a townplan ledger (it has tables "
            f"{sorted(tables)[:5]} and no townplan_meta); townplan will not change it",
            reason="not_a_ledger", path=str(path),
        )  # fmt: skip


def migrate(
    db: sqlite_utils.Database,
    path: str | Path,
    *,
    read_only: bool = False,
    target: int = SCHEMA_VERSION,
) -> int:
    """Apply every migration newer than the file's version up to ``target``; returns the
    file's version.

    The pending migrations run in one ``BEGIN IMMEDIATE`` transaction (each step with its
    record), so a file is always at a whole version and concurrent openers wait.
    """
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise SchemaError(
            f"{path}: ledger schema version {version} was written by a newer townplan "
            f"(this one reads up to {SCHEMA_VERSION}); upgrade townplan to open it",
            reason="newer_schema", path=str(path), version=version,
        )  # fmt: skip
    if version >= target:
        return version
    if read_only:
        raise SchemaError(
            f"{path}: ledger schema version {version} needs migrating to {SCHEMA_VERSION}, "
            "which a read-only ledger cannot do",
            reason="read_only_migration", path=str(path), version=version,
        )  # fmt: skip
    # Take the write lock before looking again: two processes opening a new file at once
    # must not both run migration 1.
    db.execute("BEGIN IMMEDIATE")
    try:
        version = int(db.execute("PRAGMA user_version").fetchone()[0])
        for step in MIGRATIONS:
            if step.version <= version or step.version > target:
                continue
            with db.atomic():
                _apply(db, step)
            version = step.version
        db.execute("COMMIT")
    except BaseException:
        if db.conn.in_transaction:
            db.execute("ROLLBACK")
        raise
    return version


def check_complete(db: sqlite_utils.Database, path: str | Path) -> None:
    """Refuse a file whose version promises tables and views it does not have (a damaged
    or hand-made file), before any read fails on one of them."""
    version = int(db.execute("PRAGMA user_version").fetchone()[0])
    missing = sorted(_schema_names(version) - _names(db.conn))
    if missing:
        raise SchemaError(
            f"{path}: a ledger at schema version {version} has the tables {missing[:5]}, "
            f"which this file lacks; it is not a whole townplan ledger",
            reason="not_a_ledger", path=str(path),
        )  # fmt: skip


def _names(conn: sqlite3.Connection) -> set[str]:
    rows = conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    return {name for (name,) in rows}


def _schema_names(version: int) -> frozenset[str]:
    """The tables and views of a ledger at ``version``, as the migrations make them."""
    return frozenset(name for kind, name in reference(version) if kind in ("table", "view"))


def _apply(db: sqlite_utils.Database, step: Migration) -> None:
    """One migration and its record (inside the caller's transaction)."""
    if step.version == 1:
        db.execute(f"PRAGMA application_id = {APPLICATION_ID:d}")
    step.apply(db)
    if step.version == 1:
        db.execute(
            "CREATE TABLE townplan_migrations (version INTEGER PRIMARY KEY, "
            "name TEXT NOT NULL, applied_at TEXT NOT NULL)"
        )
        db.execute("INSERT INTO townplan_meta (key, value) VALUES ('application', 'townplan')")
        # the file's identity: a city's rollup knows a town's ledger by it, whatever name
        # the town is given
        db.execute(
            "INSERT INTO townplan_meta (key, value) VALUES ('ledger_id', ?)", [uuid.uuid4().hex]
        )
    db.execute(
        "INSERT INTO townplan_migrations (version, name, applied_at) VALUES (?, ?, ?)",
        [step.version, step.name, datetime.now(UTC).isoformat(timespec="seconds")],
    )
    db.execute(f"PRAGMA user_version = {step.version:d}")
