"""A copy of a ledger into a new file that is whole or absent.

SQLite's online backup writes the copy into a hidden file beside the target
(``.town.db.<random>.copying``); only once it is complete, closed and flushed to disk is
it given the target's name, by a hard link, which never replaces a file that appeared
there meanwhile. A copy that fails removes its hidden file; a copy killed on the way
(SIGKILL, a power cut) leaves nothing at the target — at most the hidden file, which the
next copy beside it removes. While a copy writes, it holds a lock on its hidden file
(``flock``), so the next copy tells a dead copy's file from a live one's and leaves the
live one alone (where there is no ``flock``, as on Windows, a dead copy's file stays and
can be deleted by hand).

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
import re
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from townplan.errors import ConflictError, StorageError

__all__ = ["copy_into", "remove_dead_copies"]


def copy_into(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database of ``source`` into the new file ``target`` (see the module)."""
    if not target.parent.is_dir():
        raise StorageError(f"{target}: no folder {target.parent} to copy the ledger into")
    remove_dead_copies(target)
    if target.exists():
        raise ConflictError(f"{target} exists; a copy goes into a new file")
    try:
        with _partial_beside(target) as partial:
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
    with contextlib.suppress(OSError):
        _flush(target.parent)


def remove_dead_copies(target: Path) -> list[Path]:
    """Remove the hidden files that copies to ``target`` killed on the way left beside it
    (those no live copy holds); returns the files removed.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / ".copy.db.0123456789ab.copying").write_bytes(b"half a copy")
    >>> [p.name for p in remove_dead_copies(folder / "copy.db")]
    ['.copy.db.0123456789ab.copying']
    >>> list(folder.iterdir())
    []
    """
    if fcntl is None:  # pragma: no cover - Windows: a live copy cannot be told apart
        return []
    own = re.compile(rf"\.{re.escape(target.name)}\.[0-9a-f]{{12}}\.copying")
    removed = []
    with contextlib.suppress(OSError):
        for found in sorted(target.parent.iterdir()):
            if not own.fullmatch(found.name):
                continue
            try:
                fd = os.open(found, os.O_RDONLY)
            except OSError:
                continue
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:
                os.close(fd)
                continue  # a live copy is writing it
            try:
                # removed while still locked: a copy that locks the name after this sees
                # it no longer names its file and takes another
                _remove(found)
            finally:
                os.close(fd)
            removed.append(found)
    return removed


@contextlib.contextmanager
def _partial_beside(target: Path) -> Iterator[Path]:
    """A new hidden file beside ``target``, locked while the copy writes it and removed
    afterwards (see the module). The descriptor stays open until SQLite has closed the
    file: closing another descriptor of a file would drop SQLite's own locks on it."""
    while True:
        partial = target.with_name(f".{target.name}.{uuid.uuid4().hex[:12]}.copying")
        fd = os.open(partial, os.O_RDWR | os.O_CREAT | os.O_EXCL, 0o644)
        if fcntl is None:
            break
        fcntl.flock(fd, fcntl.LOCK_EX)
        if _is_file(fd, partial):
            break
        os.close(fd)  # another copy took it for a dead one's before it was locked
    try:
        yield partial
    finally:
        _remove(partial)
        os.close(fd)


def _is_file(fd: int, path: Path) -> bool:
    """Whether ``path`` still names the file open as ``fd``."""
    try:
        named, held = os.stat(path), os.fstat(fd)
    except OSError:
        return False
    return (named.st_dev, named.st_ino) == (held.st_dev, held.st_ino)


def _remove(partial: Path) -> None:
    for leftover in (partial, *(Path(f"{partial}{end}") for end in ("-journal", "-wal", "-shm"))):
        with contextlib.suppress(OSError):
            leftover.unlink()


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
