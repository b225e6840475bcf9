"""``ledger.copy(path)`` leaves no hidden file beside ``path``: a copy that fails removes
its own, and a copy removes what a copy killed on the way (SIGKILL) left there — but never
the hidden file of a copy still writing, nor anyone else's file.

A killed copy's file is written here by hand as one is found in an office's folder: a
dot, the target's name, twelve hex digits, ``.copying``, and half a database in it (the
SIGKILL itself is in tests/reliability/test_copy_crash.py)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.ledger.copying import copy_into

fcntl = pytest.importorskip("fcntl")  # the lock a copy holds while it writes


def ledger_with_a_unit() -> LedgerStore:
    ledger = LedgerStore.open(":memory:")
    ledger.add_units(["城建办"])
    return ledger


def half_a_copy(folder: Path, name: str) -> Path:
    """What a copy into ``folder / name`` killed half-way leaves: the hidden file with the
    first pages of a database, and its rollback journal."""
    dead = folder / f".{name}.5f3a9c01d2e4.copying"
    conn = sqlite3.connect(dead)
    conn.execute("CREATE TABLE projects (code TEXT)")
    conn.commit()
    conn.close()
    Path(f"{dead}-journal").write_bytes(b"\xd9\xd5\x05\xf9\x20\xa1\x63\xd7")
    return dead


def test_a_copy_removes_what_a_killed_copy_left_and_succeeds(tmp_path: Path) -> None:
    half_a_copy(tmp_path, "copy.db")
    (tmp_path / "notes.copying").write_text("the office's own file")
    (tmp_path / ".other.db.5f3a9c01d2e4.copying").write_text("half a copy of another file")
    with ledger_with_a_unit() as ledger, ledger.copy(tmp_path / "copy.db") as copy:
        assert [u.name for u in copy.units()] == ["城建办"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        ".other.db.5f3a9c01d2e4.copying", "copy.db", "notes.copying",
    ]  # fmt: skip


def test_a_killed_copy_beside_an_existing_file_is_removed_and_the_file_kept(
    tmp_path: Path,
) -> None:
    half_a_copy(tmp_path, "copy.db")
    (tmp_path / "copy.db").write_bytes(b"the office's own file")
    with ledger_with_a_unit() as ledger, pytest.raises(tp.ConflictError, match="exists"):
        ledger.copy(tmp_path / "copy.db")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db"]
    assert (tmp_path / "copy.db").read_bytes() == b"the office's own file"


def test_the_hidden_file_of_a_copy_still_writing_is_left_alone(tmp_path: Path) -> None:
    live = half_a_copy(tmp_path, "copy.db")
    with open(live, "rb") as held:  # a copy writing holds this lock on its file
        fcntl.flock(held, fcntl.LOCK_EX)
        with ledger_with_a_unit() as ledger, ledger.copy(tmp_path / "copy.db") as copy:
            assert [u.name for u in copy.units()] == ["城建办"]
        assert live.exists() and Path(f"{live}-journal").exists()
    with ledger_with_a_unit() as ledger, ledger.copy(tmp_path / "again.db"):
        pass
    assert live.exists()  # another target's copy leaves it alone too


def test_a_copy_that_fails_leaves_nothing_beside_its_target(tmp_path: Path) -> None:
    source = sqlite3.connect(":memory:")
    source.close()  # the backup step fails once the hidden file is made
    with pytest.raises(tp.StorageError, match=r"copy failed.*nothing was written"):
        copy_into(source, tmp_path / "copy.db")
    assert list(tmp_path.iterdir()) == []
