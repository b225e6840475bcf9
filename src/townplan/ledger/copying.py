"""A copy of a ledger into a new file that is whole or absent.

SQLite's online backup writes the copy into a hidden file beside the target
(``.town.db.<random>.copying``); only once it is complete, closed and flushed to disk is
it given the target's name, by a hard link, which never replaces a file that appeared
there meanwhile. A copy killed on the way leaves nothing at the target — at most the
hidden file, which can be deleted.

>>> import sqlite3, tempfile
>>> from pathlib import Path
>>> source = sqlite3.connect(":memory:")
>>> _ = source.execute("CREATE TABLE t (x)")
>>> target = Path(tempfile.mkdtemp()) / "copy.db"
>>> copy_into(source, target)
>>> sqlite3.connect(target).execute("SELECT name FROM sqlite_master").fetchall()
[('t',)]
>>> sorted(p.name for p in target.parent.iterdir())
['copy.db']
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import uuid
from pathlib import Path

from townplan.errors import ConflictError, StorageError

__all__ = ["copy_into"]


def copy_into(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database of ``source`` into the new file ``target`` (see the module)."""
    if target.exists():
        raise ConflictError(f"{target} exists; a copy goes into a new file")
    if not target.parent.is_dir():
        raise StorageError(f"{target}: no folder {target.parent} to copy the ledger into")
    partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.copying")
    try:
        conn = sqlite3.connect(partial)
        try:
            source.backup(conn)
            # the copy stands alone: no -wal file of its own to carry beside it
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
        _flush(partial)
        _publish(partial, target)
    except sqlite3.Error as exc:
        raise StorageError(f"{target}: the copy failed ({exc}); nothing was written") from None
    except OSError as exc:
        raise StorageError(f"{target}: the copy failed ({exc}); nothing was written") from None
    finally:
        for leftover in (
            partial,
            *(Path(f"{partial}{end}") for end in ("-journal", "-wal", "-shm")),
        ):
            with contextlib.suppress(OSError):
                leftover.unlink()
    with contextlib.suppress(OSError):
        _flush(target.parent)


def _publish(partial: Path, target: Path) -> None:
    """Give the whole copy the target's name without replacing anything there."""
    try:
        os.link(partial, target)
    except FileExistsError:
        raise ConflictError(f"{target} exists; a copy goes into a new file") from None
    except OSError:  # a file system without hard links
        if target.exists():
            raise ConflictError(f"{target} exists; a copy goes into a new file") from None
        os.rename(partial, target)


def _flush(path: Path) -> None:
    """Make ``path`` (a file or a folder's entries) durable before going on."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) if path.is_dir() else os.O_RDONLY
    fd = os.open(path, flags)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
