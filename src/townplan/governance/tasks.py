"""Leading groups (领导小组), the command HQ (指挥部) and their dated tasks: progress and
completion are entries (kind ``task_progress``, subject the task's code, payload
``{"value": "<decimal text or null>", "done": true|false}``).

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> store = LedgerStore.open(":memory:")
>>> _ = store.add_groups([tp.LeadingGroup(code="G07", name="耕地统筹及农业招商引资工作领导小组",
...                                   established=date(2013, 2, 10))])
>>> _ = store.add_tasks([tp.Task(code="T09", group="G07", text="完成全镇耕地统筹工作",
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

A task with several measures ("11项32公里") has its progress per measure: each measure is an
indicator of its own (``<task>.<n>``, see :meth:`LedgerStore.indicators`) and the value
recorded toward it is that indicator's observation — one concept, read by
:func:`~townplan.governance.indicator_statuses` too:

>>> _ = store.add_tasks([tp.Task(code="T04", group="G07", text="11项32公里联网道路",
...     deadline=tp.Deadline.parse("年底前", year=2013),
...     targets=(tp.Measure(Decimal(11), "项"), tp.Measure(Decimal(32), "公里")))])
>>> _ = record_task_progress(store, "T04", measure="项", value=11, on=date(2013, 6, 30))
>>> s = record_task_progress(store, "T04", measure=2, value="20.5", on=date(2013, 6, 30))
>>> [(m.code, m.text_cn, m.met) for m in s.measures]
[('T04.1', '11/11项', True), ('T04.2', '20.5/32公里', False)]
>>> record_task_progress(store, "T04", value=3, on=date(2013, 7, 1))
Traceback (most recent call last):
...
townplan.errors.ValidationError: Task T04.measure: got None — expected one of the task's ...
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

import attrs

from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.governance.base import evaluation_day
from townplan.governance.targets import TARGET_ACTUAL as OBSERVATION
from townplan.ledger import Entry, LedgerStore
from townplan.ledger.base import Recorded
from townplan.model.arguments import count_argument
from townplan.model.enums import GroupKind
from townplan.model.records import Measure, Task

__all__ = [
    "TASK_PROGRESS",
    "GroupCompletion",
    "MeasureProgress",
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
class MeasureProgress:
    """One measure of a task (its indicator ``code``, ``<task>.<n>``) and its latest value
    effective by the day asked (``None`` while none is known)."""

    code: str
    target: Measure
    value: Decimal | None
    on: date | None

    @property
    def met(self) -> bool | None:
        """Whether the value meets the measure (None while no value is known)."""
        return None if self.value is None else self.target.met_by(self.value)

    @property
    def text_cn(self) -> str:
        """Value against target as an office writes it: "20.5/32公里" ("—/32公里" unknown)."""
        shown = "—" if self.value is None else _plain(self.value)
        return f"{shown}/{_plain(self.target.value)}{self.target.unit}"


def _plain(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


@attrs.frozen
class TaskStatus:
    """A task as it stands on a day."""

    task: Task
    done: bool
    done_on: date | None
    value: Decimal | None
    reported_on: date | None
    measures: tuple[MeasureProgress, ...] = ()

    @property
    def progress_cn(self) -> str:
        """Each measure's value against its target: "11/11项；20.5/32公里" ("" without
        measures)."""
        return "；".join(m.text_cn for m in self.measures)

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
    measure: int | str | None = None,
    done: bool = False,
    note: str = "",
    recorded_at: Recorded = None,
) -> TaskStatus:
    """Append progress toward ``task`` (``value`` toward its target; ``done`` when it is
    complete). Progress dated before the task's group was established is a conflict.

    For a task with measures, ``value`` is toward one of them: ``measure`` names it by
    its number (1, 2 …), its unit ("公里") or its indicator code ("T04.2"); a task with one
    measure needs no name. The value is recorded as the observation of the measure's
    indicator."""
    with store.transaction():
        milestone = store.task(task)
        amount = _value(task, value)
        number = _measure(milestone, measure, amount)
        group = store.group(milestone.group)
        if group.established is not None and on < group.established:
            raise ConflictError(
                f"Task {task}: progress on {on} is before its group {group.code} was "
                f"established ({group.established})",
                [FieldError(f"Task {task}", "on", on, f"a day on or after {group.established}")],
            )
        if number is not None and amount is not None:
            subject = f"{task}.{number}"
            store.append_entry(OBSERVATION, subject, on, {"value": str(amount)}, note=note,
                               recorded_at=recorded_at)  # fmt: skip
            amount = None
        payload = {"value": None if amount is None else str(amount), "done": bool(done)}
        store.append_entry(TASK_PROGRESS, task, on, payload, note=note, recorded_at=recorded_at)
    return _status(milestone, store.entries(kind=TASK_PROGRESS, subject=task), date.max,
                   _observations(store, task))  # fmt: skip


def _measure(milestone: Task, measure: int | str | None, value: Decimal | None) -> int | None:
    """The number of the measure ``measure`` names (``None``: a task without measures)."""
    count = len(milestone.targets)
    if measure is None and (count == 0 or value is None):
        return None
    if measure is None and count == 1:
        return 1
    code = milestone.code
    for n, target in enumerate(milestone.targets, start=1):
        if measure in (n, str(n), f"{code}.{n}", target.unit):
            if value is None:
                raise ValidationError.single(
                    record=f"Task {code}", field="value", value=value,
                    expected=f"a value toward measure {n} ({target.value}{target.unit})",
                )  # fmt: skip
            return n
    names = "、".join(f"{n} ({t.value}{t.unit})" for n, t in enumerate(milestone.targets, 1))
    expected = (
        f"one of the task's measures {names}: its number, unit or code {code}.<n>"
        if count
        else "no measure: the task has none"
    )
    raise ValidationError.single(
        record=f"Task {code}", field="measure", value=measure, expected=expected
    )


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
    observed: dict[str, list[Entry]] = {}
    for entry in store.entries(kind=OBSERVATION):
        observed.setdefault(entry.subject, []).append(entry)
    return [
        _status(m, progress.get(m.code, []), day, observed)
        for m in store.tasks(group)
        if m.group in established
    ]


def task_status(store: LedgerStore, task: str, *, on: date | None = None) -> TaskStatus:
    """One task as it stands on ``on``."""
    day = evaluation_day(store, on)
    entries = store.entries(kind=TASK_PROGRESS, subject=task)
    return _status(store.task(task), entries, day, _observations(store, task))


def _observations(store: LedgerStore, task: str) -> dict[str, list[Entry]]:
    found: dict[str, list[Entry]] = {}
    for entry in store.entries(kind=OBSERVATION):
        if entry.subject.startswith(f"{task}."):
            found.setdefault(entry.subject, []).append(entry)
    return found


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


def _status(
    milestone: Task,
    entries: list[Entry],
    on: date,
    observed: dict[str, list[Entry]] | None = None,
) -> TaskStatus:
    """The task on ``on``; a measure's value is its indicator's latest observation (for
    the first measure, a value recorded on the task itself also counts, the later wins)."""
    done, done_on, value, reported = False, None, None, None
    value_on: date | None = None
    for entry in entries:
        if entry.effective_on > on:
            continue
        reported = entry.effective_on
        if entry.payload.get("value") is not None:
            value, value_on = Decimal(entry.payload["value"]), entry.effective_on
        if entry.payload.get("done"):
            done_on = done_on if done else entry.effective_on
            done = True
        else:
            done, done_on = False, None
    measures = []
    for n, target in enumerate(milestone.targets, start=1):
        code = f"{milestone.code}.{n}"
        latest: tuple[Decimal | None, date | None] = (value, value_on) if n == 1 else (None, None)
        for entry in (observed or {}).get(code, []):
            if entry.effective_on <= on and (latest[1] is None or entry.effective_on >= latest[1]):
                latest = Decimal(entry.payload["value"]), entry.effective_on
        measures.append(MeasureProgress(code, target, *latest))
    if measures:
        value = measures[0].value
    return TaskStatus(milestone, done, done_on, value, reported, tuple(measures))
