"""Several writers on one ledger file: every write lands, and "database is locked" never
reaches the user (the busy timeout is there so writers wait for each other)."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.ledger import LedgerStore

pytestmark = pytest.mark.reliability

EACH = 1000

# Writer ``who`` waits for "go" on stdin, then appends EACH entries (or progress reports),
# one call per item, and prints how many calls failed and the first failure.
WRITER = """
import sys
from datetime import date
import townplan as tp
from townplan.ledger import LedgerStore

path, who, count, what = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
ledger = LedgerStore.open(path)
sys.stdin.readline()
failed, first = 0, ""
for i in range(count):
    try:
        if what == "entries":
            ledger.append_entry("heartbeat", who, date(2013, 7, 1), {"i": i})
        else:
            ledger.record_progress(tp.ProgressReport(
                project=f"{who}{i:04d}", period="2013-06", completed=tp.Money.of(i)))
    except Exception as exc:
        failed += 1
        first = first or f"{type(exc).__module__}.{type(exc).__name__}: {exc}"
ledger.close()
print(failed, first, sep="\\t")
"""


def release(children: list[subprocess.Popen[str]]) -> None:
    """Let every waiting child start at once."""
    for child in children:
        assert child.stdin is not None
        child.stdin.write("go\n")
        child.stdin.flush()


def race(path: Path, what: str, writers: str = "AB") -> list[tuple[int, str]]:
    """Start one process per writer, release them together, and collect their reports."""
    children = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(path), who, str(EACH), what],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for who in writers
    ]
    release(children)
    outputs = [child.communicate(timeout=300) for child in children]
    results = []
    for child, (out, err) in zip(children, outputs, strict=True):
        assert child.returncode == 0, err
        failed, first = out.rstrip("\n").split("\t")
        results.append((int(failed), first))
    return results


@pytest.fixture
def shared(tmp_path: Path) -> Path:
    """A ledger file with projects A0000…A0999 and B0000…B0999, created before the race."""
    path = tmp_path / "shared.db"
    with LedgerStore.open(path) as ledger:
        ledger.add_projects(
            tp.Project(code=f"{who}{i:04d}", name=f"项目{who}{i}", category=tp.Category.INDUSTRY)
            for who in "AB"
            for i in range(EACH)
        )
    return path


@pytest.mark.long
def test_two_processes_appending_entries_all_land(shared: Path) -> None:
    results = race(shared, "entries")
    assert results == [(0, ""), (0, "")]
    with LedgerStore.open(shared) as ledger:
        entries = ledger.entries("heartbeat")
        assert len(entries) == 2 * EACH
        for who in "AB":
            mine = [e.payload["i"] for e in entries if e.subject == who]
            assert sorted(mine) == list(range(EACH))
        assert ledger.db.execute("PRAGMA integrity_check").fetchone() == ("ok",)


@pytest.mark.long
def test_two_processes_recording_progress_all_land(shared: Path) -> None:
    results = race(shared, "progress")
    assert results == [(0, ""), (0, "")]
    with LedgerStore.open(shared) as ledger:
        assert ledger.counts()["progress"] == 2 * EACH


def test_a_transaction_that_reads_first_survives_a_concurrent_writer(shared: Path) -> None:
    """Deterministic form of the race: one connection reads inside its transaction, another
    process-like writer (a thread with its own connection) commits, then the first writes."""
    first = LedgerStore.open(shared)
    done = threading.Event()
    failures: list[BaseException] = []

    def other_writer() -> None:
        try:
            with LedgerStore.open(shared) as ledger:
                ledger.append_entry("note", "other", date(2013, 7, 1))
        except BaseException as exc:  # reported to the test thread below
            failures.append(exc)
        finally:
            done.set()

    try:
        with first.transaction():
            assert first.project("A0001").code == "A0001"  # the transaction has read
            thread = threading.Thread(target=other_writer)
            thread.start()
            done.wait(timeout=1)  # it commits at once, or waits for this transaction
            first.append_entry("note", "first", date(2013, 7, 1))
        thread.join(timeout=60)
        assert not failures, failures
        assert sorted(e.subject for e in first.entries("note")) == ["first", "other"]
    finally:
        first.close()


@pytest.mark.slow
def test_processes_creating_the_same_new_ledger_all_open_it(tmp_path: Path) -> None:
    opener = (
        "import sys\nfrom townplan.ledger import LedgerStore\nsys.stdin.readline()\n"
        "LedgerStore.open(sys.argv[1]).close()\n"
    )
    failures = []
    for trial in range(12):
        path = tmp_path / f"new{trial}.db"
        children = [
            subprocess.Popen([sys.executable, "-c", opener, str(path)], stdin=subprocess.PIPE,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for _ in range(4)
        ]  # fmt: skip
        release(children)
        for child in children:
            _, err = child.communicate(timeout=120)
            if child.returncode:
                failures.append(err.strip().splitlines()[-1])
    assert failures == []
