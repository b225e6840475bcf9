"""A copy is whole or absent: a process copying a ledger (``ledger.copy(path)``) is killed
with SIGKILL at a random moment; afterwards ``path`` is either absent or a whole ledger
equal to the original, never a file that refuses to open or opens empty.

4 runs with ``--runlong`` (CI), 40 with ``--reliability-full``; none in the everyday run
(each starts a process). The kill delay is drawn from a seeded random.Random over the
copy's measured duration, so the runs spread over the whole copy.
"""

from __future__ import annotations

import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, datetime
from pathlib import Path

import pytest
from tests.reliability.test_crash import assert_sound, run_child

import townplan as tp
from townplan.ledger import LedgerStore

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

SEED = 20130715
PROJECTS = 1000
MONTHS = 24

# The child opens the ledger, says "ready", copies it in one call, says "done".
COPY_CHILD = """
import sys, time
from townplan.ledger import LedgerStore

ledger = LedgerStore.open(sys.argv[1])
print("ready", flush=True)
start = time.perf_counter()
ledger.copy(sys.argv[1] + ".copy").close()
print("done", time.perf_counter() - start, flush=True)
"""


def copy_runs(config: pytest.Config) -> int:
    return 40 if config.getoption("--reliability-full") else 4


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "copy_run" in metafunc.fixturenames:
        runs = range(copy_runs(metafunc.config))
        metafunc.parametrize("copy_run", [pytest.param(r, marks=pytest.mark.long) for r in runs])


@pytest.fixture(scope="module")
def copy_world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A ledger of some megabytes (1,000 projects, two years of reports), its checksum,
    and how long copying it takes in a process that is not killed."""
    root = tmp_path_factory.mktemp("copy")
    source = root / "town.db"
    with LedgerStore.open(source) as ledger:
        ledger.add_projects(
            tp.Project(code=f"P{i:04d}", name=f"第{i}号项目", category=tp.Category.INDUSTRY)
            for i in range(PROJECTS)
        )
        ledger.record_progress_many(
            (
                tp.ProgressReport(
                    project=f"P{i:04d}", period=tp.Period.month(2012 + m // 12, m % 12 + 1),
                    completed=tp.Money.from_fen(100 * i + m + 1),
                    note=f"第{i}号项目第{m + 1}月：主体施工顺利推进", reported_on=date(2013, 7, 1),
                )
                for i in range(PROJECTS)
                for m in range(MONTHS)
            ),
            recorded_at=datetime(2013, 7, 1, 9),
        )  # fmt: skip
        checksum = ledger.checksum()
    printed = run_child(COPY_CHILD, source, kill_after=None)
    copied = Path(f"{source}.copy")
    with LedgerStore.open(copied) as ledger:
        assert ledger.checksum() == checksum
    copied.unlink()
    return {"source": source, "checksum": checksum, "seconds": float(printed.split("done")[1])}


def test_killed_while_copying_the_target_is_whole_or_absent(
    copy_world: dict[str, object], tmp_path: Path, copy_run: int
) -> None:
    source = tmp_path / "town.db"
    shutil.copyfile(copy_world["source"], source)  # type: ignore[arg-type]
    target = Path(f"{source}.copy")
    delay = random.Random(SEED + copy_run).uniform(0, 1.2 * copy_world["seconds"])  # type: ignore[operator]
    printed = run_child(COPY_CHILD, source, kill_after=delay)
    if "done" in printed:
        assert target.exists()
    if target.exists():
        with LedgerStore.open(target) as copy:
            assert_sound(copy)
            assert copy.checksum() == copy_world["checksum"]
        outcome = "whole copy"
    else:
        outcome = "no copy"
    with LedgerStore.open(source) as original:
        assert original.checksum() == copy_world["checksum"]
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".copying"))
    print(f"run {copy_run}: killed after {delay:.3f}s -> {outcome}; beside it: {leftovers}")


@pytest.mark.long
def test_a_copy_after_a_killed_one_removes_its_hidden_file(
    copy_world: dict[str, object], tmp_path: Path
) -> None:
    source = tmp_path / "town.db"
    shutil.copyfile(copy_world["source"], source)  # type: ignore[arg-type]
    target = Path(f"{source}.copy")
    child = subprocess.Popen(
        [sys.executable, "-c", COPY_CHILD, str(source)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert child.stdout is not None and child.stdout.readline().strip() == "ready"
    deadline = time.monotonic() + 60
    while not any(p.name.endswith(".copying") for p in tmp_path.iterdir()):
        assert time.monotonic() < deadline and child.poll() is None, "the copy never began"
    child.send_signal(signal.SIGKILL)
    child.communicate(timeout=60)
    left = [p.name for p in tmp_path.iterdir() if p.name.endswith(".copying")]
    assert left and not target.exists()  # killed while writing its hidden file
    with LedgerStore.open(source) as ledger, ledger.copy(target) as copy:
        assert copy.checksum() == copy_world["checksum"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["town.db", "town.db.copy"]


def test_a_copy_never_replaces_a_file(tmp_path: Path) -> None:
    with LedgerStore.open(":memory:") as ledger:
        target = tmp_path / "copy.db"
        target.write_bytes(b"the office's own file")
        with pytest.raises(tp.ConflictError, match="exists"):
            ledger.copy(target)
        assert target.read_bytes() == b"the office's own file"
        assert sorted(p.name for p in tmp_path.iterdir()) == ["copy.db"]
        with pytest.raises(tp.StorageError, match="no folder"):
            ledger.copy(tmp_path / "missing" / "copy.db")
