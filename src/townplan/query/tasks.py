"""Questions about the dated tasks (任务) of leading groups: done, open, overdue, due soon.

Whether a task is done on a day comes from ledger entries of kind ``"task_progress"``
whose subject is the task's code and whose payload is ``{"done": true, "value": "…"}``:
the latest such entry effective on or before the day decides (so a later
``{"done": false}`` reopens the task). A task is overdue on ``on`` when its due day
(``deadline.due``) is before ``on`` and it is not done by ``on``. Without ``on`` the day is
the view's cut, else today. As of a day, only tasks of groups established by then count.

>>> from townplan.ledger import LedgerStore
>>> import townplan as tp
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_groups([tp.LeadingGroup(code="G1", name="耕地统筹工作领导小组")])
>>> _ = ledger.add_tasks([tp.Task(code="T1", group="G1", text="完成全镇耕地统筹工作",
...     deadline=tp.Deadline.parse("6月底前", year=2013))])
>>> q = TaskQuery(reader=ledger)
>>> [t.code for t in q.overdue(on=date(2013, 7, 1))]
['T1']
>>> _ = ledger.append_entry("task_progress", "T1", date(2013, 7, 20), {"done": True, "value": ""})
>>> [t.code for t in q.overdue(on=date(2013, 8, 1))]
[]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, ClassVar, Final, Self

import attrs

from townplan.ledger.reads import LedgerReader
from townplan.ledger.rows import task_from_row
from townplan.model.arguments import count_argument
from townplan.model.records import Task
from townplan.query.base import DatedQuery, deprecated
from townplan.query.fields import TASK_FIELDS, FieldSet
from townplan.query.sql import Fragment
from townplan.query.totals import TaskTotals

__all__ = ["TASK_PROGRESS", "TaskQuery", "done_by"]

#: The kind of ledger entry that reports a task's progress (payload ``{"done": bool}``).
TASK_PROGRESS: Final = "task_progress"


def done_by(reader: LedgerReader, on: date) -> Fragment:
    """True (1) for a task (row alias ``x``) done by ``on`` in the reader's view."""
    entries = Fragment.relation(*reader.relation("entries"))
    return (
        "COALESCE((SELECT json_extract(e.payload, '$.done') FROM ("
        + entries
        + Fragment(
            ") AS e WHERE e.kind = ? AND e.subject = x.code AND e.effective_on <= ? "
            "ORDER BY e.effective_on DESC, e.id DESC LIMIT 1), 0) = 1",
            (TASK_PROGRESS, on.isoformat()),
        )
    )


@attrs.frozen(kw_only=True)
class TaskQuery(DatedQuery[Task]):
    """Tasks (milestones) of leading groups, by due day then code unless ordered; done,
    open and overdue are judged on the query's day (``.on(day)``)."""

    FIELDS: ClassVar[FieldSet] = TASK_FIELDS
    KEY: ClassVar[tuple[str, ...]] = ("due", "code")

    def by_group(self, *codes: str) -> Self:
        """Deprecated: ``where(group__in=codes)``."""
        deprecated("TaskQuery.by_group(...)", "where(group=...) or where(group__in=[...])")
        return self.where(group__in=codes)

    def done(self, on: date | None = None) -> Self:
        """Tasks done by ``on``."""
        day = self._on(on)
        return attrs.evolve(self, day=day, conditions=(*self.conditions, done_by(self.reader, day)))

    def open(self, on: date | None = None) -> Self:
        """Tasks not done by ``on``."""
        day = self._on(on)
        cond = "NOT (" + done_by(self.reader, day) + ")"
        return attrs.evolve(self, day=day, conditions=(*self.conditions, cond))

    def overdue(self, on: date | None = None) -> Self:
        """Tasks due before the day and not done by then (``on`` is short for
        ``.on(on).overdue()``)."""
        day = self._on(on)
        return self.open(day).where(due__lt=day)

    def due_within(self, days: int, on: date | None = None) -> Self:
        """Tasks due from ``on`` to ``days`` days after it (inclusive), done or not."""
        days = count_argument(days, record="milestones", field="days")
        day = self._on(on)
        try:
            last = day + timedelta(days=days)
        except OverflowError:  # past the last day a date can hold: every later task
            last = date.max
        return attrs.evolve(self, day=day).where(due__range=(day, last))

    def group_by(self, *keys: str) -> TaskTotals:
        """Counts per ``"group"`` or due ``"month"``: tasks, done, open, overdue on the day."""
        return TaskTotals.of(self, keys, self._on(None))

    def _source(self) -> Fragment:
        if self.reader.cut is None:
            return Fragment("SELECT * FROM milestones")
        return Fragment(
            "SELECT * FROM milestones WHERE group_code IN (SELECT code FROM leading_groups "
            "WHERE established IS NULL OR established <= ?)",
            (self.reader.cut.isoformat(),),
        )

    def _record(self, row: Mapping[str, Any]) -> Task:
        return task_from_row(row)
