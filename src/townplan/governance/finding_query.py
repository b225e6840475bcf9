"""Supervision findings (督查落实) as a query: ``q.findings().on(day).overdue()``.

Each finding is judged on the query's day (``.on(day)``; else the view's cut, else
today): its state and unit come from the steps effective by then, in SQL, so
``open()``, ``overdue()`` and ``where(unit=...)`` are conditions of the one statement.

>>> import townplan as tp
>>> from townplan.governance import Finding, Inspection, add_inspection
>>> store = tp.Ledger.open(":memory:")
>>> _ = store.add_units(["国土分局"])
>>> _ = store.add_project(tp.Project(code="P1", name="古梅路延长线",
...                              category=tp.Category.INFRASTRUCTURE))
>>> add_inspection(store, Inspection(code="I1", title="一季度督查", held_on=date(2013, 4, 15)),
...     [Finding(code="F1", inspection="I1", project="P1", text="征地拆迁滞后",
...              rectify_by=date(2013, 5, 31), assigned_to="国土分局")])
>>> q = store.query().findings()
>>> q.on(date(2013, 6, 1)).overdue().count(), q.on(date(2013, 5, 31)).overdue().count()
(1, 0)
>>> q.where(unit="国土分局").one().state.label_cn
'已交办'
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Self

import attrs

from townplan.governance.records import Finding, WorkflowEvent
from townplan.governance.standing import events, standing
from townplan.governance.states import FindingState
from townplan.governance.workflow import FINDING
from townplan.query.base import DatedQuery, deprecated
from townplan.query.fields import Field, FieldSet, Kind
from townplan.query.sql import Fragment

__all__ = ["FINDING_FIELDS", "FindingQuery", "FindingStatus"]


@attrs.frozen
class FindingStatus:
    """A finding as it stands on a day, with its whole history."""

    finding: Finding
    inspected_on: date
    state: FindingState
    unit: str | None
    closed_on: date | None
    reopened: int
    rectified_on_time: bool
    history: tuple[WorkflowEvent, ...]

    @property
    def code(self) -> str:
        """The finding's code."""
        return self.finding.code

    @property
    def is_open(self) -> bool:
        """True unless the finding is closed (销号)."""
        return self.state is not FindingState.CLOSED

    def is_overdue(self, on: date) -> bool:
        """Open on ``on`` and past its rectification deadline."""
        return self.is_open and on > self.finding.rectify_by

    def rectification_late(self, on: date) -> bool:
        """Not closed by the end of its deadline, judged on ``on``: what the assessment
        penalises (a finding closed in time and reopened later was rectified in time)."""
        return on > self.finding.rectify_by and not self.rectified_on_time


def _text(name: str) -> Field:
    return Field(name, f"x.{name}", Kind.TEXT)


def _date(name: str) -> Field:
    return Field(name, f"x.{name}", Kind.DATE)


#: What a finding query filters and orders by.
FINDING_FIELDS = FieldSet(
    "findings",
    (
        _text("code"), _text("inspection"), _text("project"), _text("task"), _text("text"),
        _date("rectify_by"), _date("inspected_on"),
        Field("state", "x.state", Kind.ENUM, enum=FindingState), _text("unit"),
        _date("closed_on"), Field("reopened", "x.reopened", Kind.INT),
        Field("year", "CAST(substr(x.inspected_on, 1, 4) AS INTEGER)", Kind.INT),
    ),
)  # fmt: skip


@attrs.frozen(kw_only=True)
class FindingQuery(DatedQuery[FindingStatus]):
    """Findings raised by the query's day, as they stand then; by inspection day, then code."""

    FIELDS: ClassVar[FieldSet] = FINDING_FIELDS
    KEY: ClassVar[tuple[str, ...]] = ("inspected_on", "code")

    def open(self) -> Self:
        """Findings not closed on the query's day."""
        return self.where(state__ne=FindingState.CLOSED)

    def overdue(self, on: date | None = None) -> Self:
        """Open findings past their rectification deadline on the query's day (``on`` is
        short for ``.on(on).overdue()``)."""
        query = attrs.evolve(self, day=self._on(on))
        return query.open().where(rectify_by__lt=query._on())

    def at(self, on: date) -> Self:
        """Deprecated: ``.on(day)``."""
        deprecated("FindingQuery.at(day)", ".on(day)")
        return self.on(on)

    def for_unit(self, unit: str) -> Self:
        """Deprecated: ``where(unit=unit)``."""
        deprecated("FindingQuery.for_unit(...)", "where(unit=...)")
        return self.where(unit=unit)

    def for_project(self, project: str) -> Self:
        """Deprecated: ``where(project=project)``."""
        deprecated("FindingQuery.for_project(...)", "where(project=...)")
        return self.where(project=project)

    def _source(self) -> Fragment:
        return (
            "SELECT f.code, f.inspection, f.project, f.task, f.text, f.rectify_by, "
            "i.held_on AS inspected_on, s.state, s.unit, "
            "CASE WHEN s.state = 'closed' THEN s.closed_on END AS closed_on, "
            "s.reopened, s.history FROM findings AS f "
            "JOIN inspections AS i ON i.code = f.inspection "
            "JOIN (" + standing(self.reader, FINDING, self._on()) + ") AS s ON s.code = f.code"
        )

    def _record(self, row: Mapping[str, Any]) -> FindingStatus:
        steps = events(row["history"])
        rectify_by = date.fromisoformat(row["rectify_by"])
        record = Finding(
            code=row["code"], inspection=row["inspection"], text=row["text"],
            rectify_by=rectify_by, project=row["project"], task=row["task"],
            assigned_to=row["unit"],
        )  # fmt: skip
        in_time = FINDING.fold(row["code"], [e for e in steps if e.on <= rectify_by])
        return FindingStatus(
            finding=record,
            inspected_on=date.fromisoformat(row["inspected_on"]),
            state=FindingState(row["state"]),
            unit=row["unit"],
            closed_on=None if row["closed_on"] is None else date.fromisoformat(row["closed_on"]),
            reopened=int(row["reopened"]),
            rectified_on_time=in_time is FindingState.CLOSED,
            history=tuple(steps),
        )

    def _plain(self, row: Mapping[str, Any]) -> dict[str, Any]:
        status = self._record(row)
        plain = {f.name: row[f.name] for f in FINDING_FIELDS if f.name != "year"}
        plain.update(
            rectify_by=status.finding.rectify_by, inspected_on=status.inspected_on,
            state=status.state, closed_on=status.closed_on,
            rectified_on_time=status.rectified_on_time,
        )  # fmt: skip
        return plain
