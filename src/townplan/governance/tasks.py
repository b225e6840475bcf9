"""Leading groups (领导小组), the command HQ (指挥部) and their dated tasks: progress and
completion are entries (kind ``task_progress``, subject the task's code, payload
``{"value": "<decimal text or null>", "done": true|false}``).

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> store = LedgerStore.open(":memory:")
>>> store.add_groups([tp.LeadingGroup(code="G07", name="耕地统筹及农业招商引资工作领导小组",
...                                   established=date(2013, 2, 10))])
>>> store.add_milestones([tp.Task(code="T09", group="G07", text="完成全镇耕地统筹工作",
...                               deadline=tp.Deadline.parse("6月底前", year=2013))])
>>> [t.task.code for t in overdue_tasks(store, on=date(2013, 7, 1))]
['T09']
>>> s = record_task_progress(store, "T09", on=date(2013, 10, 15), done=True)
>>> s.done, s.done_on_time
(True, False)
>>> record_task_progress(store, "T09", on=date(2013, 1, 5), done=True)
Traceback (most recent call last):
...
townplan.errors.ConflictError: Task T09: progress on 2013-01-05 is before its group G07 ...
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import attrs

from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.governance.base import evaluation_day
from townplan.ledger import Entry, LedgerStore
from townplan.ledger.base import Recorded
from townplan.model.arguments import count_argument
from townplan.model.enums import GroupKind
from townplan.model.records import Milestone

__all__ = [
    "TASK_PROGRESS",
    "GroupCompletion",
    "TaskStatus",
    "group_completion",
    "open_tasks",
    "overdue_tasks",
    "record_task_progress",
    "task_status",
    "task_statuses",
    "tasks_due_within",
]

#: The entry kind of task progress; the query layer reads the same entries.
TASK_PROGRESS = "task_progress"


@attrs.frozen
class TaskStatus:
    """A task as it stands on a day."""

    task: Milestone
    done: bool
    done_on: date | None
    value: Decimal | None
    reported_on: date | None

    @property
    def due(self) -> date:
        """The day the task is due (the end of the period its deadline names)."""
        return self.task.deadline.due

    def is_overdue(self, on: date) -> bool:
        """Not done on ``on``, and ``on`` is past the due day."""
        return not self.done and on > self.due

    @property
    def done_on_time(self) -> bool:
        """Done, on or before the due day."""
        return self.done_on is not None and self.done_on <= self.due


@attrs.frozen
class GroupCompletion:
    """How far one leading group is with its tasks on a day; ``rate`` = done ÷ tasks."""

    group: str
    name: str
    kind: GroupKind
    tasks: int
    done: int
    on_time: int
    overdue: int
    rate: Decimal


def record_task_progress(
    store: LedgerStore,
    task: str,
    *,
    on: date,
    value: Decimal | int | str | None = None,
    done: bool = False,
    note: str = "",
    recorded_at: Recorded = None,
) -> TaskStatus:
    """Append progress toward ``task`` (``value`` toward its target; ``done`` when it is
    complete). Progress dated before the task's group was established is a conflict."""
    with store.transaction():
        milestone = store.milestone(task)
        amount = _value(task, value)
        group = store.group(milestone.group)
        if group.established is not None and on < group.established:
            raise ConflictError(
                f"Task {task}: progress on {on} is before its group {group.code} was "
                f"established ({group.established})",
                [FieldError(f"Task {task}", "on", on, f"a day on or after {group.established}")],
            )
        payload = {"value": None if amount is None else str(amount), "done": bool(done)}
        store.append_entry(TASK_PROGRESS, task, on, payload, note=note, recorded_at=recorded_at)
    return _status(milestone, store.entries(kind=TASK_PROGRESS, subject=task), date.max)


def _value(task: str, value: Decimal | int | str | None) -> Decimal | None:
    if value is None:
        return None
    try:
        if isinstance(value, bool | float):
            raise InvalidOperation
        amount = Decimal(value)
    except (InvalidOperation, ValueError, TypeError):
        amount = None
    if amount is None or not amount.is_finite():
        raise ValidationError.single(
            record=f"Task {task}", field="value", value=value,
            expected="a decimal number (text, int or Decimal) toward the task's target",
        )  # fmt: skip
    return amount


def task_statuses(
    store: LedgerStore, *, on: date | None = None, group: str | None = None
) -> list[TaskStatus]:
    """Tasks of the groups established by ``on`` (of one group), as they stand on ``on``,
    by due day then code."""
    day = evaluation_day(store, on)
    established = {g.code for g in store.groups() if g.established is None or g.established <= day}
    progress: dict[str, list[Entry]] = {}
    for entry in store.entries(kind=TASK_PROGRESS):
        progress.setdefault(entry.subject, []).append(entry)
    return [
        _status(m, progress.get(m.code, []), day)
        for m in store.milestones(group)
        if m.group in established
    ]


def task_status(store: LedgerStore, task: str, *, on: date | None = None) -> TaskStatus:
    """One task as it stands on ``on``."""
    day = evaluation_day(store, on)
    return _status(store.milestone(task), store.entries(kind=TASK_PROGRESS, subject=task), day)


def open_tasks(
    store: LedgerStore, group: str | None = None, *, on: date | None = None
) -> list[TaskStatus]:
    """Tasks (of ``group``) not done on ``on``."""
    return [t for t in task_statuses(store, on=on, group=group) if not t.done]


def overdue_tasks(store: LedgerStore, *, on: date | None = None) -> list[TaskStatus]:
    """Tasks not done on ``on`` whose due day has passed."""
    day = evaluation_day(store, on)
    return [t for t in task_statuses(store, on=day) if t.is_overdue(day)]


def tasks_due_within(store: LedgerStore, days: int, *, on: date | None = None) -> list[TaskStatus]:
    """Tasks not done on ``on`` that fall due from ``on`` to ``days`` days after it."""
    day = evaluation_day(store, on)
    days = count_argument(days, record="tasks_due_within", field="days")
    last = day + timedelta(days=days) if days <= (date.max - day).days else date.max
    return [t for t in task_statuses(store, on=day) if not t.done and day <= t.due <= last]


def group_completion(store: LedgerStore, *, on: date | None = None) -> list[GroupCompletion]:
    """Per leading group established by ``on``: tasks, done, done on time, overdue, and the
    completion rate (to four places), by group code."""
    day = evaluation_day(store, on)
    by_group: dict[str, list[TaskStatus]] = {}
    for status in task_statuses(store, on=day):
        by_group.setdefault(status.task.group, []).append(status)
    result = []
    for g in store.groups():
        if g.established is not None and g.established > day:
            continue
        items = by_group.get(g.code, [])
        done = sum(t.done for t in items)
        rate = Decimal(done) / len(items) if items else Decimal(0)
        result.append(
            GroupCompletion(
                group=g.code, name=g.name, kind=g.kind, tasks=len(items), done=done,
                on_time=sum(t.done_on_time for t in items),
                overdue=sum(t.is_overdue(day) for t in items),
                rate=rate.quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP),
            )
        )  # fmt: skip
    return result


def _status(milestone: Milestone, entries: list[Entry], on: date) -> TaskStatus:
    done, done_on, value, reported = False, None, None, None
    for entry in entries:
        if entry.effective_on > on:
            continue
        reported = entry.effective_on
        if entry.payload.get("value") is not None:
            value = Decimal(entry.payload["value"])
        if entry.payload.get("done"):
            done_on = done_on if done else entry.effective_on
            done = True
        else:
            done, done_on = False, None
    return TaskStatus(milestone, done, done_on, value, reported)
