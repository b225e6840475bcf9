"""Faults from outside: a read-only file or medium, a full disk, a truncated file, random
bytes. Each must give a clear townplan error and never leave a damaged ledger behind.

Read-only files and full disks are made for real where the test may mount file systems
(root on Linux: a read-only bind mount, a 2 MB tmpfs) and skip cleanly elsewhere; a full
disk is also simulated everywhere with ``PRAGMA max_page_count``, which makes SQLite fail
exactly as on a full disk (SQLITE_FULL).
"""

from __future__ import annotations

import contextlib
import gc
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.ledger import LedgerStore

pytestmark = pytest.mark.reliability

NEEDS_MOUNT = pytest.mark.skipif(
    not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"),
    reason="mounting file systems needs root on Linux",
)


def fill(ledger: LedgerStore, projects: int = 200) -> tuple[dict[str, int], str]:
    ledger.add_units(["城建办"])
    ledger.add_projects(
        tp.Project(code=f"P{i:04d}", name=f"第{i}号道路工程", category=tp.Category.INFRASTRUCTURE,
                   responsible_unit="城建办")
        for i in range(projects)
    )  # fmt: skip
    ledger.record_progress_many(
        tp.ProgressReport(project=f"P{i:04d}", period="2013-06", completed=tp.Money.of(i),
                          note="路基施工顺利推进", reported_on=date(2013, 7, 3))
        for i in range(projects)
    )  # fmt: skip
    return ledger.counts(), ledger.checksum()


def big_batch(notes: int = 2000) -> Iterator[tp.ProgressReport]:
    for i in range(200):
        for month in range(1, 13):
            yield tp.ProgressReport(
                project=f"P{i:04d}", period=tp.Period.month(2014, month),
                completed=tp.Money.of(month), note="进展" * (notes // 2),
            )  # fmt: skip


def run(*command: str) -> None:
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode:
        pytest.skip(f"{' '.join(command)} not permitted here: {done.stderr.strip()}")


@contextlib.contextmanager
def mounted(*command: str, target: Path) -> Iterator[None]:
    run(*command)
    try:
        yield
    finally:
        gc.collect()  # connections townplan failed to close would keep the mount busy
        if subprocess.run(["umount", str(target)], capture_output=True).returncode:
            subprocess.run(["umount", "-l", str(target)], capture_output=True)


@pytest.fixture
def town(tmp_path: Path) -> tuple[Path, tuple[dict[str, int], str], bytes]:
    path = tmp_path / "town.db"
    with LedgerStore.open(path) as ledger:
        state = fill(ledger)
    return path, state, path.read_bytes()


@contextlib.contextmanager
def read_only_file(path: Path) -> Iterator[None]:
    """``path`` becomes unwritable for this process: a read-only bind mount for root
    (permissions do not stop root), chmod for anyone else."""
    if os.geteuid() == 0:
        if not sys.platform.startswith("linux") or not shutil.which("mount"):
            pytest.skip("root can write any file; a read-only bind mount needs Linux")
        with mounted("mount", "--bind", str(path), str(path), target=path):
            run("mount", "-o", "remount,ro,bind", str(path))
            yield
        return
    path.chmod(0o444)
    try:
        yield
    finally:
        path.chmod(0o644)


# --- a read-only file --------------------------------------------------------------------------
def test_read_only_file_can_be_read_and_is_never_changed(town: tuple[Path, object, bytes]) -> None:
    path, state, raw = town
    with read_only_file(path):
        with LedgerStore.open(path) as ledger:
            assert (ledger.counts(), ledger.checksum()) == state
            with contextlib.suppress(Exception):
                ledger.append_entry("note", "P0001", date(2013, 7, 1))
            with contextlib.suppress(Exception):
                ledger.record_progress_many(big_batch(notes=10))
            assert (ledger.counts(), ledger.checksum()) == state
        with LedgerStore.open(path, read_only=True) as ledger:
            assert ledger.checksum() == state[1]  # type: ignore[index]
            with pytest.raises(tp.ReadOnlyError):
                ledger.append_entry("note", "P0001", date(2013, 7, 1))
        assert path.read_bytes() == raw


def test_writing_a_read_only_file_raises_read_only_error(town: tuple[Path, object, bytes]) -> None:
    path, _, _ = town
    with (
        read_only_file(path),
        LedgerStore.open(path) as ledger,
        pytest.raises(tp.ReadOnlyError, match=str(path.name)),
    ):
        ledger.append_entry("note", "P0001", date(2013, 7, 1))


@pytest.fixture
def read_only_medium(tmp_path: Path, town: tuple[Path, object, bytes]) -> Iterator[Path]:
    """The town's ledger on a file system mounted read-only (a CD, an archive share)."""
    medium = tmp_path / "medium"
    medium.mkdir()
    with mounted("mount", "-t", "tmpfs", "-o", "size=4m", "tmpfs", str(medium), target=medium):
        shutil.copyfile(town[0], medium / "town.db")
        run("mount", "-o", "remount,ro", str(medium))
        yield medium / "town.db"


@NEEDS_MOUNT
def test_a_ledger_on_a_read_only_medium_is_refused_cleanly(
    read_only_medium: Path, town: tuple[Path, object, bytes]
) -> None:
    with pytest.raises(tp.TownplanError):
        LedgerStore.open(read_only_medium).close()
    assert read_only_medium.read_bytes() == town[2]


@NEEDS_MOUNT
def test_a_ledger_on_a_read_only_medium_opens_read_only(
    read_only_medium: Path, town: tuple[Path, tuple[dict[str, int], str], bytes]
) -> None:
    with LedgerStore.open(read_only_medium, read_only=True) as ledger:
        assert ledger.checksum() == town[1][1]


# --- a full disk -----------------------------------------------------------------------------
@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[LedgerStore]:
    """A ledger on a 2 MB file system, filled with a town's data."""
    disk = tmp_path / "disk"
    disk.mkdir()
    with mounted("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(disk), target=disk):
        ledger = LedgerStore.open(disk / "town.db")
        try:
            yield ledger
        finally:
            ledger.close()


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[LedgerStore]:
    """A ledger whose file may not grow (SQLite's page cap: the same SQLITE_FULL)."""
    with LedgerStore.open(tmp_path / "town.db") as ledger:
        yield ledger


def overflow(ledger: LedgerStore, cap: bool) -> tuple[tuple[dict[str, int], str], BaseException]:
    """Fill the ledger, then write a batch that cannot fit; returns the state before it
    and the error the batch raised."""
    before = fill(ledger)
    if cap:
        pages = ledger.db.execute("PRAGMA page_count").fetchone()[0]
        ledger.db.execute(f"PRAGMA max_page_count = {pages + 8}")
    try:
        ledger.record_progress_many(big_batch())
    except Exception as error:  # what kind of error is what the tests below look at
        return before, error
    raise AssertionError("the batch fitted; the disk was not full")


@pytest.mark.parametrize("disk", [pytest.param("tiny_disk", marks=NEEDS_MOUNT), "capped"])
def test_a_full_disk_leaves_the_ledger_intact(disk: str, request: pytest.FixtureRequest) -> None:
    ledger: LedgerStore = request.getfixturevalue(disk)
    before, error = overflow(ledger, cap=disk == "capped")
    assert "full" in str(error)
    assert (ledger.counts(), ledger.checksum()) == before
    assert ledger.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    path = ledger.path
    ledger.close()
    with LedgerStore.open(path) as again:
        assert (again.counts(), again.checksum()) == before
        assert again.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.parametrize("disk", [pytest.param("tiny_disk", marks=NEEDS_MOUNT), "capped"])
def test_a_full_disk_gives_a_storage_error_naming_the_file(
    disk: str, request: pytest.FixtureRequest
) -> None:
    ledger: LedgerStore = request.getfixturevalue(disk)
    _, error = overflow(ledger, cap=disk == "capped")
    assert isinstance(error, tp.StorageError), repr(error)
    assert ledger.path in str(error)


# --- truncated and random files --------------------------------------------------------------
def read_everything(path: Path) -> tuple[dict[str, int], str]:
    with LedgerStore.open(path) as ledger:
        list(ledger.projects())
        list(ledger.progress())
        return ledger.counts(), ledger.checksum()


@pytest.mark.parametrize("keep", [0.0, 0.01, 0.25, 0.5, 0.9, 0.999, -4096, -1])
def test_a_truncated_ledger_is_refused_or_intact_and_never_changed(
    town: tuple[Path, tuple[dict[str, int], str], bytes], keep: float
) -> None:
    path, state, raw = town
    size = int(len(raw) * keep) if keep >= 0 else len(raw) + int(keep)
    if size == 0:
        size = 60  # shorter than SQLite's 100-byte header
    path.write_bytes(raw[:size])
    try:
        found, refusal = read_everything(path), ""
    except tp.TownplanError as error:
        found, refusal = None, str(error)
    if found is None:
        assert str(path) in refusal
    else:
        assert found == state  # only a cut inside unused space may open
    assert path.read_bytes() == raw[:size]


@pytest.mark.parametrize(
    ("size", "header"),
    [
        (1, False), (2, False), (100, False), (4096, False), (65536, False), (8192, True),
    ],
)  # fmt: skip
def test_random_bytes_are_refused_untouched(tmp_path: Path, size: int, header: bool) -> None:
    path = tmp_path / "noise.db"
    noise = random.Random(size).randbytes(size)
    if header:
        noise = b"SQLite format 3\x00" + noise[16:]
    path.write_bytes(noise)
    with pytest.raises(tp.SchemaError):
        read_everything(path)
    assert path.read_bytes() == noise


def test_a_ledger_with_damaged_pages_gives_a_townplan_error(
    town: tuple[Path, object, bytes],
) -> None:
    path, _, raw = town
    conn = sqlite3.connect(path)
    try:
        size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = [r[0] for r in conn.execute("SELECT pageno FROM dbstat WHERE name = 'progress'")]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the progress pages")
    finally:
        conn.close()
    damaged = bytearray(raw)
    noise = random.Random(7)
    for page in pages:  # the schema stays readable; the progress table's pages do not
        damaged[(page - 1) * size : page * size] = noise.randbytes(size)
    path.write_bytes(damaged)
    with pytest.raises(tp.StorageError, match=path.name):
        read_everything(path)
    assert path.read_bytes() == damaged
