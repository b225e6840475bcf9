"""Batches and transactions are all or nothing: one bad record in a thousand leaves the
ledger's content exactly as it was (row counts and content checksum), and the error names
every bad record."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.ledger import LedgerStore

BATCH = 1000
CHUNK = 100  # several chunks are written before a late bad record is reached


def project(n: int, **change: Any) -> tp.Project:
    """Project ``n`` of a batch (N0000…), under the town's one unit."""
    fields: dict[str, Any] = {
        "code": f"N{n:04d}", "name": f"新项目{n}", "category": tp.Category.LIVELIHOOD,
        "responsible_unit": "城建办",
    }  # fmt: skip
    return tp.Project(**{**fields, **change})


def report(n: int, **change: Any) -> tp.ProgressReport:
    """Report ``n`` of a batch: 50 projects a month, each (project, month) once."""
    fields: dict[str, Any] = {
        "project": f"E{n % 50:02d}",
        "period": tp.Period.month(2010 + n // 600, (n // 50) % 12 + 1),
        "completed": tp.Money.of(n),
        "reported_on": date(2014, 1, 5),
    }
    fields.update(change)
    return tp.ProgressReport(**fields)


def state(ledger: LedgerStore) -> tuple[dict[str, int], str]:
    return ledger.counts(), ledger.checksum()


@pytest.fixture
def town(tmp_path: Path) -> Iterator[LedgerStore]:
    """A file ledger with a unit, 50 projects (E00…E49), one in USD (U01), one reported month."""
    with LedgerStore.open(tmp_path / "town.db") as ledger:
        ledger.add_units(["城建办"])
        ledger.add_projects(
            tp.Project(code=f"E{i:02d}", name=f"在建项目{i}", category=tp.Category.INDUSTRY)
            for i in range(50)
        )
        usd = tp.Money.zero("USD")
        ledger.add_project(
            tp.Project(code="U01", name="外资项目", category=tp.Category.INDUSTRY,
                       government_investment=usd, social_investment=usd)
        )  # fmt: skip
        ledger.record_progress(report(7, period="2009-12"))
        yield ledger


def bad_projects(kind: str, at: int) -> tuple[list[Any], str, str]:
    """1000 projects with one bad one at ``at``: (batch, record named, field named)."""
    batch: list[Any] = [project(n) for n in range(BATCH)]
    name = f"Project N{at:04d}"
    if kind == "code already in the ledger":
        batch[at] = project(at, code="E03")
        name = "Project E03"
    elif kind == "missing unit":
        batch[at] = project(at, responsible_unit="不存在局")
    elif kind == "code twice in the batch":
        batch[at] = project((at + 1) % BATCH) if at < BATCH - 1 else project(0)
        name = f"Project N{(at + 1) % BATCH:04d}" if at < BATCH - 1 else "Project N0000"
    elif kind == "not a project":
        batch[at] = {"code": "N9999", "name": "字典"}
        name = f"item {at + 1}"
    return batch, name, {"missing unit": "responsible_unit", "not a project": ""}.get(kind, "code")


@pytest.mark.parametrize("at", [0, 555, BATCH - 1])
@pytest.mark.parametrize(
    "kind",
    ["code already in the ledger", "missing unit", "code twice in the batch", "not a project"],
)
def test_one_bad_project_in_a_thousand_changes_nothing(
    town: LedgerStore, kind: str, at: int
) -> None:
    before = state(town)
    batch, record, field = bad_projects(kind, at)
    with pytest.raises((tp.ValidationError, tp.ConflictError)) as info:
        town.add_projects(batch, chunk_size=CHUNK)
    problems = info.value.errors  # type: ignore[union-attr]
    assert any(p.record == record and (p.field or "") == field for p in problems), problems
    assert record in str(info.value)
    assert state(town) == before
    path = town.path
    town.close()
    with LedgerStore.open(path) as again:
        assert state(again) == before


@pytest.mark.parametrize("at", [0, 555, BATCH - 1])
@pytest.mark.parametrize(
    ("change", "field", "error"),
    [
        ({"project": "P404"}, "project", tp.ConflictError),
        ({"project": "E07", "period": "2009-12"}, "period", tp.ConflictError),
        ({"project": "U01"}, "completed", tp.ValidationError),
    ],
    ids=["missing project", "month already reported", "wrong currency"],
)
def test_one_bad_report_in_a_thousand_changes_nothing(
    town: LedgerStore, change: dict[str, str], field: str, error: type[Exception], at: int
) -> None:
    before = state(town)
    batch = [report(n) for n in range(BATCH)]
    batch[at] = report(at, **change)
    with pytest.raises(error) as info:
        town.record_progress_many(iter(batch), chunk_size=CHUNK)
    record = f"ProgressReport {batch[at].project} {batch[at].period}"
    assert any(p.record == record and p.field == field for p in info.value.errors)  # type: ignore[attr-defined]
    assert state(town) == before


def test_every_bad_record_of_a_batch_is_named(town: LedgerStore) -> None:
    before = state(town)
    batch: list[Any] = [project(n) for n in range(BATCH)]
    batch[10] = project(10, responsible_unit="甲局")
    batch[505] = project(505, responsible_unit="乙局")
    batch[990] = project(990, code="E01")
    with pytest.raises(tp.ConflictError) as info:
        town.add_projects(batch, chunk_size=CHUNK)
    named = {(p.record, p.value) for p in info.value.errors}
    assert {("Project N0010", "甲局"), ("Project N0505", "乙局"), ("Project E01", "E01")} <= named
    assert state(town) == before


def test_a_good_batch_streams_from_a_generator(town: LedgerStore) -> None:
    assert town.record_progress_many((report(n) for n in range(BATCH)), chunk_size=CHUNK) == BATCH
    assert town.counts()["progress"] == BATCH + 1


def test_a_source_that_fails_midway_leaves_nothing(town: LedgerStore) -> None:
    before = state(town)

    def rows() -> Iterator[tp.ProgressReport]:
        for n in range(BATCH):
            if n == 700:
                tp.Money.parse("12.3.4万")  # a bad cell deep in the source file
            yield report(n)

    with pytest.raises(tp.ValidationError):
        town.record_progress_many(rows(), chunk_size=CHUNK)
    assert state(town) == before


def test_every_bad_task_of_a_batch_is_named(town: LedgerStore) -> None:
    town.add_groups([tp.LeadingGroup(code="G01", name="道路组")])
    deadline = tp.Deadline.parse("年底前", year=2013)
    tasks = [tp.Task(code=f"T{n}", group="G01", text="任务", deadline=deadline) for n in range(5)]
    tasks[1] = tp.Task(code="T1", group="G404", text="任务", deadline=deadline)
    tasks[3] = tp.Task(code="T3", group="G405", text="任务", deadline=deadline)
    with pytest.raises(tp.ConflictError) as info:
        town.add_tasks(tasks)
    assert {p.record for p in info.value.errors} == {"Task T1", "Task T3"}


# --- transactions --------------------------------------------------------------------------
def write_then_fail(town: LedgerStore, error: BaseException) -> None:
    """Several writes of every kind in one transaction, then ``error``."""
    with town.transaction():
        town.add_units(["交通局"])
        town.add_projects(project(n) for n in range(BATCH))
        town.record_progress(report(1, project="N0001"))
        town.append_entry("stage_change", "N0001", date(2013, 7, 1))
        raise error


def test_transaction_keeps_everything_or_nothing(town: LedgerStore) -> None:
    before = state(town)
    with pytest.raises(RuntimeError, match="changes its mind"):
        write_then_fail(town, RuntimeError("the caller changes its mind"))
    assert state(town) == before
    with town.transaction():
        town.add_project(project(1))
        town.record_progress(report(1, project="N0001"))
    assert town.counts()["progress"] == before[0]["progress"] + 1


def test_an_interrupt_inside_a_transaction_keeps_nothing(town: LedgerStore) -> None:
    before = state(town)
    with pytest.raises(KeyboardInterrupt):
        write_then_fail(town, KeyboardInterrupt())
    assert state(town) == before


def inner_block_fails(town: LedgerStore) -> None:
    with town.transaction():
        town.add_project(project(4))
        raise ValueError("inner block fails")


def test_a_caught_failure_inside_rolls_back_only_the_inner_block(town: LedgerStore) -> None:
    before = state(town)
    with town.transaction():
        town.add_project(project(1))
        with pytest.raises(tp.ConflictError):
            town.add_projects([project(2), project(3, code="E05")])
        with pytest.raises(ValueError, match="inner block fails"):
            inner_block_fails(town)
        town.add_project(project(5))
    codes = {p.code for p in town.projects()}
    assert {"N0001", "N0005"} <= codes
    assert not {"N0002", "N0003", "N0004"} & codes
    assert town.counts()["projects"] == before[0]["projects"] + 2


def outer_block_fails(town: LedgerStore) -> None:
    with town.transaction():
        with town.transaction():
            town.add_project(project(1))
            with town.transaction():
                town.record_progress(report(1, project="N0001"))
        raise LookupError("outer block fails")


def test_an_outer_failure_undoes_completed_inner_blocks(town: LedgerStore) -> None:
    before = state(town)
    with pytest.raises(LookupError, match="outer block fails"):
        outer_block_fails(town)
    assert state(town) == before


def test_a_committed_transaction_survives_reopening(town: LedgerStore) -> None:
    with town.transaction():
        town.add_projects(project(n) for n in range(10))
    path, after = town.path, state(town)
    town.close()
    with LedgerStore.open(path) as again:
        assert state(again) == after
