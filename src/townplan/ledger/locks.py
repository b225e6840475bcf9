"""Who holds a ledger's write lock, for the error that says a write waited too long.

In WAL mode SQLite takes the write lock as a POSIX lock on byte 120 of the ``-shm`` file
beside the ledger. On Linux ``/proc/locks`` lists every such lock with the process that
holds it; reading it never touches the lock itself (opening and closing the ``-shm`` file
would drop this process's own SQLite locks). Elsewhere the holder is not known.

>>> line = "7: POSIX  ADVISORY  WRITE 4242 08:01:1234 120 120"
>>> _holder_in([line], device=(8, 1), inode=1234)
4242
>>> _holder_in([line], device=(8, 1), inode=99) is None
True
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Final

__all__ = ["describe_holder"]

#: The byte of the ``-shm`` file whose lock is WAL's write lock (WALINDEX_LOCK_OFFSET).
_WRITE_BYTE: Final = 120


def describe_holder(path: str) -> str:
    """Who holds the write lock of the ledger at ``path``: "process 4242 (python3 …)",
    or "another connection" when it cannot be told (another OS, or this process)."""
    pid = None
    with contextlib.suppress(OSError, ValueError):
        shm = os.stat(f"{path}-shm")
        device = (os.major(shm.st_dev), os.minor(shm.st_dev))
        pid = _holder_in(Path("/proc/locks").read_text().splitlines(), device, shm.st_ino)
    if pid is None or pid == os.getpid():
        return "another connection"
    command = ""
    with contextlib.suppress(OSError):
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
        command = " ".join(part.decode(errors="replace") for part in raw.split(b"\0") if part)
    if len(command) > 80:
        command = command[:77] + "..."
    return f"process {pid} ({command})" if command else f"process {pid}"


def _holder_in(lines: Iterable[str], device: tuple[int, int], inode: int) -> int | None:
    for line in lines:
        parts = line.split()
        if len(parts) < 8 or parts[1] != "POSIX" or parts[3] != "WRITE":
            continue
        where = parts[5].split(":")
        if len(where) != 3 or int(where[2]) != inode:
            continue
        if (int(where[0], 16), int(where[1], 16)) != device:
            continue
        end = _WRITE_BYTE if parts[7] == "EOF" else int(parts[7])
        if int(parts[6]) <= _WRITE_BYTE <= end:
            return int(parts[4])
    return None
