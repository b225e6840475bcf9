"""Tasks of leading groups on the tiny town: progress entries, open, overdue and due-soon
tasks, and completion per group — against answers worked out by hand.

G1 (established 1 Feb 2013) has T1 due 30 June, T3 due 31 July and T2 due 31 December."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import townplan as tp
import townplan.governance as gov
from townplan.ledger import LedgerStore

D = date


@pytest.fixture
def tasks(town: LedgerStore) -> LedgerStore:
    """T1 reported not done on 31 May and done late on 10 July; T3 done on 20 July;
    T2 at 6 of 11 on 30 September."""
    for task, day, value, done in [
        ("T1", D(2013, 5, 31), None, False),
        ("T1", D(2013, 7, 10), None, True),
        ("T3", D(2013, 7, 20), "1", True),
        ("T2", D(2013, 9, 30), "6", False),
    ]:
        gov.record_task_progress(town, task, on=day, value=value, done=done, recorded_at=day)
    return town


def _codes(items):
    return [t.task.code for t in items]


def test_task_progress_entries_have_the_shared_shape(tasks):
    entries = tasks.entries(kind="task_progress", subject="T2")
    assert [(e.effective_on, e.payload) for e in entries] == [
        (D(2013, 9, 30), {"value": None, "done": False})
    ]
    # the value toward T2's one measure is the observation of its indicator, T2.1
    (observed,) = tasks.entries(kind="target_actual", subject="T2.1")
    assert (observed.effective_on, observed.payload) == (D(2013, 9, 30), {"value": "6"})
    assert tasks.entries(kind="task_progress", subject="T1")[0].payload == {
        "value": None, "done": False,
    }  # fmt: skip


def test_open_overdue_and_due_soon_on_1_july(tasks):
    day = D(2013, 7, 1)
    assert _codes(gov.open_tasks(tasks, "G1", on=day)) == ["T1", "T3", "T2"]
    assert _codes(gov.overdue_tasks(tasks, on=day)) == ["T1"]
    assert _codes(gov.tasks_due_within(tasks, 30, on=day)) == ["T3"]
    assert _codes(gov.tasks_due_within(tasks, 29, on=day)) == []
    assert _codes(gov.tasks_due_within(tasks, 30, on=D(2013, 6, 30))) == ["T1"]  # due today
    assert _codes(gov.overdue_tasks(tasks.as_of(day))) == ["T1"]


def test_completion_per_group(tasks):
    (july,) = gov.group_completion(tasks, on=D(2013, 7, 1))
    assert (july.group, july.tasks, july.done, july.on_time, july.overdue, july.rate) == (
        "G1", 3, 0, 0, 1, Decimal("0.0000"),
    )  # fmt: skip
    (year_end,) = gov.group_completion(tasks, on=D(2013, 12, 31))
    assert (year_end.done, year_end.on_time, year_end.overdue, year_end.rate) == (
        2, 1, 0, Decimal("0.6667"),
    )  # fmt: skip
    (after,) = gov.group_completion(tasks, on=D(2014, 1, 1))
    assert after.overdue == 1  # T2 not done by 31 December
    assert gov.group_completion(tasks, on=D(2013, 1, 15)) == []  # G1 not yet established


def test_status_of_one_task(tasks):
    t1 = gov.task_status(tasks, "T1", on=D(2013, 12, 31))
    assert (t1.done, t1.done_on, t1.done_on_time, t1.due) == (
        True, D(2013, 7, 10), False, D(2013, 6, 30),
    )  # fmt: skip
    t2 = gov.task_status(tasks, "T2", on=D(2013, 12, 31))
    assert (t2.done, t2.value, t2.reported_on) == (False, Decimal(6), D(2013, 9, 30))
    t3 = gov.task_status(tasks, "T3", on=D(2013, 7, 19))
    assert (t3.done, t3.value) == (False, None)  # the completion is not effective yet


def test_a_task_can_be_reopened_and_done_again(tasks):
    gov.record_task_progress(tasks, "T3", on=D(2013, 8, 1), done=False, note="复查未通过")
    gov.record_task_progress(tasks, "T3", on=D(2013, 8, 15), done=True)
    t3 = gov.task_status(tasks, "T3", on=D(2013, 12, 31))
    assert (t3.done, t3.done_on, t3.done_on_time, t3.value) == (
        True, D(2013, 8, 15), False, Decimal(1),
    )  # fmt: skip


def test_progress_before_the_group_existed_is_refused(tasks):
    before = tasks.entries(kind="task_progress")
    with pytest.raises(tp.ConflictError) as caught:
        gov.record_task_progress(tasks, "T2", on=D(2013, 1, 31), done=True)
    assert "Task T2" in str(caught.value) and "G1" in str(caught.value)
    assert caught.value.errors[0].field == "on"
    assert tasks.entries(kind="task_progress") == before


def test_bad_task_progress(tasks):
    with pytest.raises(tp.NotFoundError):
        gov.record_task_progress(tasks, "T9", on=D(2013, 7, 1), done=True)
    with pytest.raises(tp.ValidationError) as caught:
        gov.record_task_progress(tasks, "T2", on=D(2013, 7, 1), value="七")
    assert caught.value.field == "value"
    with pytest.raises(tp.ValidationError):
        gov.record_task_progress(tasks, "T2", on=D(2013, 7, 1), value=6.5)  # type: ignore[arg-type]
    with pytest.raises(tp.ReadOnlyError):
        gov.record_task_progress(tasks.as_of(D(2013, 12, 31)), "T2", on=D(2013, 7, 1))
