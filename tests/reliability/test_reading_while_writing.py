"""Writers wait, readers do not block them: a query being iterated (past one fetch batch,
so its read is still open) must not make a write on the same ledger fail because another
connection or process wrote meanwhile. A write waits for the busy timeout or succeeds; if
the timeout passes, the error says what held the lock."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query.base import BATCH

pytestmark = pytest.mark.reliability

PROJECTS = BATCH + 100  # more than one fetch batch: the read stays open between batches


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("reading") / "template.db"
    with tp.Ledger.open(path) as ledger:
        ledger.add_projects(
            tp.Project(code=f"P{i:04d}", name=f"项目{i}", category=tp.Category.INDUSTRY)
            for i in range(PROJECTS)
        )
    return path


@pytest.fixture
def town(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "town.db"
    path.write_bytes(template.read_bytes())
    return path


def raw_write(path: Path, subject: str) -> None:
    """Another program's write: plain sqlite3, its own connection."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute(
        "INSERT INTO entries (kind, subject, effective_on, recorded_at, payload, note) "
        "VALUES ('note', ?, '2013-07-01', '2013-07-01T09:00:00.000000', '{}', '')",
        [subject],
    )
    conn.close()


def subjects(path: Path) -> list[str]:
    with LedgerStore.open(path) as ledger:
        return sorted(e.subject for e in ledger.entries("note"))


def test_a_write_during_a_long_read_lands_after_another_connection_committed(
    town: Path,
) -> None:
    ledger = tp.Ledger.open(town)
    try:
        projects = iter(ledger.query().projects())
        assert next(projects).code == "P0000"  # the read is open, one batch fetched
        raw_write(town, "other")
        ledger.append_entry("note", "reader", date(2013, 7, 1))  # refused at once before
        ledger.add_units(["城建办"])
        assert sum(1 for _ in projects) == PROJECTS - 1  # the read goes on, whole
        assert [unit.name for unit in ledger.units()] == ["城建办"]
    finally:
        ledger.close()
    assert subjects(town) == ["other", "reader"]


def test_a_write_during_a_long_read_waits_for_the_writer_holding_the_lock(town: Path) -> None:
    ledger = tp.Ledger.open(town)
    other = sqlite3.connect(town, isolation_level=None, check_same_thread=False)
    try:
        ledger.db.execute("PRAGMA busy_timeout = 5000")
        rows = ledger.query().projects().rows()
        next(rows)
        other.execute("BEGIN IMMEDIATE")  # another writer is in the middle of a write
        other.execute(
            "INSERT INTO entries (kind, subject, effective_on, recorded_at, payload, note) "
            "VALUES ('note', 'other', '2013-07-01', '2013-07-01T09:00:00.000000', '{}', '')"
        )
        threading.Timer(0.15, lambda: other.execute("COMMIT")).start()
        started = time.monotonic()
        ledger.append_entry("note", "reader", date(2013, 7, 1))
        assert time.monotonic() - started >= 0.12  # it waited, then wrote
        assert sum(1 for _ in rows) == PROJECTS - 1
    finally:
        ledger.close()
        other.close()
    assert subjects(town) == ["other", "reader"]


def test_a_write_that_waits_out_the_busy_timeout_says_what_held_the_lock(town: Path) -> None:
    ledger = tp.Ledger.open(town)
    other = sqlite3.connect(town, isolation_level=None)
    try:
        ledger.db.execute("PRAGMA busy_timeout = 100")
        other.execute("BEGIN IMMEDIATE")
        with pytest.raises(tp.StorageError, match=r"write lock for more than 0\.1 s"):
            ledger.append_entry("note", "reader", date(2013, 7, 1))
        other.execute("ROLLBACK")
        ledger.append_entry("note", "reader", date(2013, 7, 1))  # free again: it writes
    finally:
        ledger.close()
        other.close()
    assert subjects(town) == ["reader"]


# The other process: appends ``count`` entries, one call each, and prints how many failed.
APPENDER = """
import sys
from datetime import date
from townplan.ledger import LedgerStore

ledger = LedgerStore.open(sys.argv[1])
print("ready", flush=True)
sys.stdin.readline()
failed = 0
for i in range(int(sys.argv[2])):
    try:
        ledger.append_entry("note", "appender", date(2013, 7, 1), {"i": i})
    except Exception:
        failed += 1
ledger.close()
print(failed, flush=True)
"""

HOLDER = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@pytest.mark.long
def test_a_process_writing_while_another_reads_and_writes_every_write_lands(town: Path) -> None:
    """The measured case: one process iterates a query and writes an entry every fifth record
    while another process appends entries; before, most of the reader's writes were
    refused with "another writer held the ledger too long"."""
    child = subprocess.Popen(
        [sys.executable, "-c", APPENDER, str(town), "300"],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None and child.stdin is not None
    assert child.stdout.readline().strip() == "ready"
    failed = 0
    with tp.Ledger.open(town) as ledger:
        child.stdin.write("go\n")
        child.stdin.flush()
        for number, project in enumerate(ledger.query().projects()):
            if number % 5:
                continue
            try:
                ledger.append_entry("note", "reader", date(2013, 7, 1), {"code": project.code})
            except tp.TownplanError:
                failed += 1
    out, err = child.communicate(timeout=300)
    assert child.returncode == 0, err
    print(f"refused: {failed} of {PROJECTS // 5} reader writes, {int(out)} of 300 appender writes")
    assert (failed, int(out)) == (0, 0)
    found = subjects(town)
    assert (found.count("reader"), found.count("appender")) == (PROJECTS // 5, 300)


@pytest.mark.long
def test_the_busy_error_names_the_process_holding_the_lock(town: Path) -> None:
    child = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(town), "5"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "holding"
    try:
        with tp.Ledger.open(town) as ledger:
            ledger.db.execute("PRAGMA busy_timeout = 300")
            with pytest.raises(tp.StorageError) as caught:
                ledger.append_entry("note", "reader", date(2013, 7, 1))
    finally:
        child.kill()
        child.communicate()
    message = str(caught.value)
    assert "held the ledger's write lock for more than 0.3 s" in message
    if sys.platform == "linux" and os.path.exists("/proc/locks"):
        assert f"process {child.pid} (" in message and "BEGIN IMMEDIATE" not in message
