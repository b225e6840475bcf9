"""Rapid-response problems (快速反应) as a query: ``q.problems().on(day).open().overdue()``.

Each problem is judged on the query's day (``.on(day)``; else the view's cut, else
today): its state, its unit and its response deadline come from the steps effective by
then, in SQL, so ``open()``, ``overdue()`` and ``where(unit=...)`` are conditions of the
one statement and ``count()`` reads no problem it does not count. The deadline is the
:class:`~townplan.governance.ResponseRule` in force on the day of assignment applied to
that day and the severity; the rules are data, so the deadlines of the days problems were
assigned on are worked out once per query and bound as one JSON parameter.

>>> import townplan as tp
>>> from townplan.governance import Problem, raise_problem
>>> store = tp.Ledger.open(":memory:")
>>> _ = store.add_units(["城建办", "国土分局"])
>>> _ = store.add_project(tp.Project(code="P1", name="古梅路延长线",
...                              category=tp.Category.INFRASTRUCTURE))
>>> _ = raise_problem(store, Problem(code="Q1", project="P1", text="征地补偿未谈妥",
...     raised_by="城建办", raised_on=date(2013, 3, 12), severity="urgent",
...     assigned_to="国土分局"))
>>> q = store.query().problems()
>>> q.on(date(2013, 3, 18)).open().overdue().count(), q.on(date(2013, 3, 14)).overdue().count()
(1, 0)
>>> [p.code for p in q.where(unit="国土分局")], q.where(unit="城建办").count()
(['Q1'], 0)
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from typing import Any, ClassVar, Self, cast

import attrs

from townplan.governance.records import Problem, WorkflowEvent
from townplan.governance.rulebook import choose, rules
from townplan.governance.rules import ResponseRule
from townplan.governance.standing import events, standing
from townplan.governance.states import ProblemState, Severity
from townplan.governance.workflow import PROBLEM
from townplan.ledger.store import LedgerStore
from townplan.query.base import DatedQuery, deprecated
from townplan.query.fields import Field, FieldSet, Kind
from townplan.query.sql import Fragment

__all__ = ["PROBLEM_FIELDS", "ProblemQuery", "ProblemStatus"]


@attrs.frozen
class ProblemStatus:
    """A problem as it stands on a day: its state, unit, dates and response deadline."""

    problem: Problem
    state: ProblemState
    unit: str | None
    due: date | None
    assigned_on: date | None
    acknowledged_on: date | None
    answered_on: date | None
    closed_on: date | None
    history: tuple[WorkflowEvent, ...]

    @property
    def code(self) -> str:
        """The problem's code."""
        return self.problem.code

    @property
    def is_open(self) -> bool:
        """True until the problem is closed."""
        return self.state is not ProblemState.CLOSED

    def is_overdue(self, on: date) -> bool:
        """True when the answer is still owed and its deadline passed before ``on``."""
        waiting = self.state in (ProblemState.ASSIGNED, ProblemState.ACKNOWLEDGED)
        return waiting and self.due is not None and on > self.due

    @property
    def answered_late(self) -> bool:
        """True when the answer came after the deadline."""
        if self.answered_on is None or self.due is None:
            return False
        return self.answered_on > self.due

    def response_late(self, on: date) -> bool:
        """Answered late, or overdue on ``on``: what the assessment penalises."""
        return self.answered_late or self.is_overdue(on)

    @property
    def response_days(self) -> int | None:
        """Calendar days from assignment to answer."""
        if self.answered_on is None or self.assigned_on is None:
            return None
        return (self.answered_on - self.assigned_on).days


def _date(name: str) -> Field:
    return Field(name, f"x.{name}", Kind.DATE)


#: What a problem query filters and orders by.
PROBLEM_FIELDS = FieldSet(
    "problems",
    (
        Field("code", "x.code", Kind.TEXT), Field("project", "x.project", Kind.TEXT),
        Field("text", "x.text", Kind.TEXT), Field("raised_by", "x.raised_by", Kind.TEXT),
        _date("raised_on"), Field("severity", "x.severity", Kind.ENUM, enum=Severity),
        Field("state", "x.state", Kind.ENUM, enum=ProblemState),
        Field("unit", "x.unit", Kind.TEXT), _date("due"), _date("assigned_on"),
        _date("acknowledged_on"), _date("answered_on"), _date("closed_on"),
        Field("year", "CAST(substr(x.raised_on, 1, 4) AS INTEGER)", Kind.INT),
    ),
)  # fmt: skip

_WAITING = (ProblemState.ASSIGNED.value, ProblemState.ACKNOWLEDGED.value)


@attrs.frozen(kw_only=True)
class ProblemQuery(DatedQuery[ProblemStatus]):
    """Problems raised by the query's day, as they stand then; by day raised, then code."""

    FIELDS: ClassVar[FieldSet] = PROBLEM_FIELDS
    KEY: ClassVar[tuple[str, ...]] = ("raised_on", "code")

    def open(self) -> Self:
        """Problems not closed on the query's day."""
        return self.where(state__ne=ProblemState.CLOSED)

    def overdue(self, on: date | None = None) -> Self:
        """Problems whose answer is owed and past its deadline on the query's day
        (``on`` is short for ``.on(on).overdue()``)."""
        query = attrs.evolve(self, day=self._on(on))
        return query.where(state__in=_WAITING, due__lt=query._on())

    def at(self, on: date) -> Self:
        """Deprecated: ``.on(day)``."""
        deprecated("ProblemQuery.at(day)", ".on(day)")
        return self.on(on)

    def for_unit(self, unit: str) -> Self:
        """Deprecated: ``where(unit=unit)``."""
        deprecated("ProblemQuery.for_unit(...)", "where(unit=...)")
        return self.where(unit=unit)

    def for_project(self, project: str) -> Self:
        """Deprecated: ``where(project=project)``."""
        deprecated("ProblemQuery.for_project(...)", "where(project=...)")
        return self.where(project=project)

    def _source(self) -> Fragment:
        day = self._on()
        return (
            "SELECT p.code, p.project, p.text, p.raised_by, p.raised_on, p.severity, s.state, "
            "s.unit, s.assigned_on, s.acknowledged_on, s.answered_on, s.closed_on, s.history, "
            "CASE p.severity WHEN 'urgent' THEN d.urgent ELSE d.normal END AS due "
            "FROM problems AS p JOIN (" + standing(self.reader, PROBLEM, day) + ") AS s "
            "ON s.code = p.code LEFT JOIN (SELECT json_extract(value, '$[0]') AS day, "
            "json_extract(value, '$[1]') AS urgent, json_extract(value, '$[2]') AS normal "
            "FROM json_each(" + Fragment("?", (self._deadlines(day),)) + ")) AS d "
            "ON d.day = s.assigned_on"
        )

    def _deadlines(self, day: date) -> str:
        """JSON ``[[assigned day, urgent due, normal due], …]`` for every day a problem
        was assigned on by ``day``, under the rule in force on each."""
        entries = Fragment.relation(*self.reader.relation("entries"))
        sql, params = (
            "SELECT DISTINCT e.effective_on FROM (" + entries
            + Fragment(") AS e WHERE e.kind = ? AND e.effective_on <= ? "
                       "AND json_extract(e.payload, '$.action') = 'assigned'",
                       (PROBLEM.entry_kind, day.isoformat()))
        ).render()  # fmt: skip
        known = rules(cast(LedgerStore, self.reader), ResponseRule)  # rules read only the view
        table = []
        for (text,) in self.reader.db.execute(sql, params):
            assigned = date.fromisoformat(text)
            rule = choose(known, ResponseRule, assigned)
            urgent, normal = (rule.due(assigned, s) for s in (Severity.URGENT, Severity.NORMAL))
            table.append([text, urgent.isoformat(), normal.isoformat()])
        return json.dumps(table)

    def _record(self, row: Mapping[str, Any]) -> ProblemStatus:
        record = Problem(
            code=row["code"], project=row["project"], text=row["text"],
            raised_by=row["raised_by"], raised_on=date.fromisoformat(row["raised_on"]),
            severity=row["severity"], assigned_to=row["unit"],
        )  # fmt: skip
        return ProblemStatus(
            record, ProblemState(row["state"]), row["unit"], _day(row["due"]),
            _day(row["assigned_on"]), _day(row["acknowledged_on"]), _day(row["answered_on"]),
            _day(row["closed_on"]), tuple(events(row["history"])),
        )  # fmt: skip

    def _plain(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {
            f.name: row[f.name] if f.kind is not Kind.DATE else _day(row[f.name])
            for f in PROBLEM_FIELDS
            if f.name != "year"
        } | {"state": ProblemState(row["state"]), "severity": Severity(row["severity"])}


def _day(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)
