"""Crash safety: a process writing a large batch (or creating a ledger) is killed with
SIGKILL at a random moment; the file must open, pass PRAGMA integrity_check (and the
full-text indexes their own check), and hold the batch wholly or not at all.

10 runs by default, 100 with ``--reliability-full``. The kill delay is drawn from a seeded
random.Random over the batch's measured duration, so the runs spread over the whole write.
"""

from __future__ import annotations

import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.ledger import SCHEMA_VERSION, LedgerStore

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL"),
]

BATCH = 20_000
PROJECTS = 500
SEED = 20130630

# The child opens the ledger, says "ready", writes one batch in one call, says "done".
BATCH_CHILD = f"""
import sys, time
from datetime import date, datetime
import townplan as tp
from townplan.ledger import LedgerStore

ledger = LedgerStore.open(sys.argv[1])
reports = (
    tp.ProgressReport(
        project=f"P{{i % {PROJECTS}:03d}}",
        period=tp.Period.month(2000 + (i // {PROJECTS}) // 12, (i // {PROJECTS}) % 12 + 1),
        completed=tp.Money.from_fen(i + 1),
        note=f"第{{i}}号进展：路基施工顺利推进",
        reported_on=date(2013, 7, 1),
    )
    for i in range({BATCH})
)
print("ready", flush=True)
start = time.perf_counter()
ledger.record_progress_many(reports, recorded_at=datetime(2013, 7, 1, 9), chunk_size=2_000)
print("done", time.perf_counter() - start, flush=True)
ledger.close()
"""
OPEN_CHILD = """
import sys, time
from townplan.ledger import LedgerStore
print("ready", flush=True)
start = time.perf_counter()
LedgerStore.open(sys.argv[1]).close()
print("done", time.perf_counter() - start, flush=True)
"""


def crash_runs(config: pytest.Config) -> int:
    return 100 if config.getoption("--reliability-full") else 10


def _runs(count: int) -> list[object]:
    """The first two kills run every day; the rest are ``long`` (``--runlong``, CI)."""
    return [run if run < 2 else pytest.param(run, marks=pytest.mark.long) for run in range(count)]


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if "crash_run" in metafunc.fixturenames:
        metafunc.parametrize("crash_run", _runs(crash_runs(metafunc.config)))
    if "create_run" in metafunc.fixturenames:
        metafunc.parametrize("create_run", _runs(crash_runs(metafunc.config) // 2))


def run_child(script: str, path: Path, kill_after: float | None) -> str:
    """Run ``script`` on ``path``; SIGKILL it ``kill_after`` seconds after it is ready.
    Returns what it printed."""
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    ready = child.stdout.readline()
    assert ready.strip() == "ready", child.communicate()[1]
    if kill_after is not None:
        time.sleep(kill_after)
        child.send_signal(signal.SIGKILL)
    out, err = child.communicate(timeout=120)
    if kill_after is None:
        assert child.returncode == 0, err
    return ready + out


def state(ledger: LedgerStore) -> tuple[int, str]:
    return ledger.counts()["progress"], ledger.checksum()


def assert_sound(ledger: LedgerStore) -> None:
    assert ledger.db.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    for fts in ("projects_fts", "milestones_fts", "progress_fts"):
        ledger.db.execute(f"INSERT INTO {fts} ({fts}) VALUES ('integrity-check')")


@pytest.fixture(scope="module")
def batch_world(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A ledger of 500 projects, the state after the whole batch (from one run that is not
    killed) and how long the batch took there."""
    root = tmp_path_factory.mktemp("crash")
    template = root / "template.db"
    with LedgerStore.open(template) as ledger:
        ledger.add_projects(
            tp.Project(code=f"P{i:03d}", name=f"第{i}号项目", category=tp.Category.INDUSTRY)
            for i in range(PROJECTS)
        )
        before = state(ledger)
    whole = root / "whole.db"
    shutil.copyfile(template, whole)
    printed = run_child(BATCH_CHILD, whole, kill_after=None)
    seconds = float(printed.split("done")[1])
    with LedgerStore.open(whole) as ledger:
        after = state(ledger)
    assert after[0] == BATCH
    return {"template": template, "before": before, "after": after, "seconds": seconds}


def test_killed_in_the_middle_of_a_batch_the_file_holds_all_or_nothing(
    batch_world: dict[str, object], tmp_path: Path, crash_run: int
) -> None:
    path = tmp_path / "town.db"
    shutil.copyfile(batch_world["template"], path)  # type: ignore[arg-type]
    delay = random.Random(SEED + crash_run).uniform(0, 1.2 * batch_world["seconds"])  # type: ignore[operator]
    printed = run_child(BATCH_CHILD, path, kill_after=delay)
    with LedgerStore.open(path) as ledger:
        assert_sound(ledger)
        found = state(ledger)
        assert found in (batch_world["before"], batch_world["after"]), found[0]
        outcome = "whole batch" if found == batch_world["after"] else "no batch"
        if "done" in printed:
            assert outcome == "whole batch"
        ledger.append_entry("after_crash", "town", date(2013, 7, 1))  # and it still writes
    print(f"run {crash_run}: killed after {delay:.3f}s -> {outcome}")


@pytest.fixture(scope="module")
def create_seconds(tmp_path_factory: pytest.TempPathFactory) -> float:
    """How long creating (and migrating) a new ledger takes here."""
    path = tmp_path_factory.mktemp("create") / "timing.db"
    return float(run_child(OPEN_CHILD, path, kill_after=None).split("done")[1])


def test_killed_while_creating_a_ledger_the_file_is_at_a_whole_version(
    tmp_path: Path, create_seconds: float, create_run: int
) -> None:
    path = tmp_path / "new.db"
    delay = random.Random(SEED - create_run).uniform(0, 1.5 * create_seconds)
    run_child(OPEN_CHILD, path, kill_after=delay)
    if path.exists() and path.stat().st_size:
        conn = sqlite3.connect(path)
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
        recorded = (
            [r[0] for r in conn.execute("SELECT version FROM townplan_migrations")]
            if "townplan_migrations" in tables
            else []
        )
        conn.close()
        assert recorded == list(range(1, version + 1))
    with LedgerStore.open(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        assert_sound(ledger)
    assert not os.path.exists(str(path) + "-journal")
