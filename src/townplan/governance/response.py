"""Rapid response (快速反应): a problem raised on a project is assigned to a responsible
unit, which must answer by a deadline the :class:`ResponseRule` in force sets; the
acknowledgement, the answer and the closure are dated steps.

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> store = LedgerStore.open(":memory:")
>>> _ = store.add_units(["城建办", "国土分局"])
>>> _ = store.add_project(tp.Project(code="P1", name="古梅路延长线",
...                              category=tp.Category.INFRASTRUCTURE))
>>> s = raise_problem(store, Problem(code="Q1", project="P1", text="征地补偿未谈妥",
...     raised_by="城建办", raised_on=date(2013, 3, 12), severity="urgent",
...     assigned_to="国土分局"))
>>> s.state.value, s.due
('assigned', datetime.date(2013, 3, 15))
>>> [p.code for p in overdue_responses(store, on=date(2013, 3, 18))]
['Q1']
>>> answer(store, "Q1", on=date(2013, 3, 19)).answered_late
True
>>> close(store, "Q1", on=date(2013, 8, 20)).state.value
'closed'
>>> answer(store, "Q1", on=date(2013, 8, 21))
Traceback (most recent call last):
...
townplan.errors.ConflictError: Problem Q1 is closed (已办结); it cannot be answered ...
"""

from __future__ import annotations

import statistics
from datetime import date
from decimal import Decimal

import attrs

from townplan.errors import NotFoundError
from townplan.governance.base import evaluation_day, insert_row, quantize
from townplan.governance.problem_query import ProblemQuery, ProblemStatus
from townplan.governance.records import Problem
from townplan.governance.workflow import PROBLEM, append_step
from townplan.ledger import LedgerStore, as_recorded_at
from townplan.ledger.base import Recorded

__all__ = [
    "ProblemStatus",
    "ResponseTimes",
    "acknowledge",
    "answer",
    "assign_problem",
    "close",
    "open_problems",
    "overdue_responses",
    "problem",
    "problems",
    "raise_problem",
    "response_times",
]


@attrs.frozen
class ResponseTimes:
    """How one unit answers: counts, and the mean and median of calendar days from
    assignment to answer (to the hundredth)."""

    unit: str
    answered: int
    mean_days: Decimal | None
    median_days: Decimal | None
    late: int
    open: int


# --- writing -------------------------------------------------------------------------------
def raise_problem(
    store: LedgerStore, problem: Problem, *, recorded_at: Recorded = None
) -> ProblemStatus:
    """Record a problem raised on a project (and its assignment when ``assigned_to`` is set)."""
    row = {
        "code": problem.code, "project": problem.project, "text": problem.text,
        "raised_by": problem.raised_by, "raised_on": problem.raised_on.isoformat(),
        "severity": problem.severity.value, "recorded_at": as_recorded_at(recorded_at),
    }  # fmt: skip
    with store.transaction():
        insert_row(store, "problems", row, f"Problem {problem.code}")
        on = problem.raised_on
        append_step(store, PROBLEM, problem.code, "raised", on, recorded_at=recorded_at)
        if problem.assigned_to is not None:
            append_step(store, PROBLEM, problem.code, "assigned", on,
                        unit=problem.assigned_to, recorded_at=recorded_at)  # fmt: skip
    return _after(store, problem.code)


def assign_problem(
    store: LedgerStore, code: str, unit: str, *, on: date, note: str = "",
    recorded_at: Recorded = None,
) -> ProblemStatus:  # fmt: skip
    """Assign (or reassign) a problem to ``unit``; the response deadline counts from ``on``."""
    return _step(store, code, "assigned", on, note, recorded_at, unit)


def acknowledge(
    store: LedgerStore, code: str, *, on: date, note: str = "", recorded_at: Recorded = None
) -> ProblemStatus:
    """The responsible unit acknowledges (受理) the problem."""
    return _step(store, code, "acknowledged", on, note, recorded_at)


def answer(
    store: LedgerStore, code: str, *, on: date, note: str = "", recorded_at: Recorded = None
) -> ProblemStatus:
    """The responsible unit answers (答复) the problem."""
    return _step(store, code, "answered", on, note, recorded_at)


def close(
    store: LedgerStore, code: str, *, on: date, note: str = "", recorded_at: Recorded = None
) -> ProblemStatus:
    """The problem is settled (办结)."""
    return _step(store, code, "closed", on, note, recorded_at)


def _step(
    store: LedgerStore, code: str, action: str, on: date, note: str,
    recorded_at: Recorded, unit: str | None = None,
) -> ProblemStatus:  # fmt: skip
    with store.transaction():
        append_step(store, PROBLEM, code, action, on, note=note, unit=unit, recorded_at=recorded_at)
    return _after(store, code)


def _after(store: LedgerStore, code: str) -> ProblemStatus:
    return problem(store, code, on=date.max)


# --- reading ----------------------------------------------------------------------------------
def problem(store: LedgerStore, code: str, *, on: date | None = None) -> ProblemStatus:
    """One problem as it stands on ``on`` (default: the store's cut, or today)."""
    day = evaluation_day(store, on)
    found = ProblemQuery(reader=store).on(day).where(code=code).first()
    if found is None:
        raise NotFoundError(f"no problem with code {code!r} raised by {day}")
    return found


def problems(
    store: LedgerStore,
    *,
    on: date | None = None,
    project: str | None = None,
    unit: str | None = None,
    year: int | None = None,
) -> list[ProblemStatus]:
    """Problems raised by ``on`` (of a project, assigned to a unit, raised in a year), as
    they stand on ``on``, by day raised then code (``q.problems()`` as a list)."""
    query = ProblemQuery(reader=store).on(evaluation_day(store, on))
    wanted = {"project": project, "unit": unit, "year": year}
    return query.where(**{k: v for k, v in wanted.items() if v is not None}).list()


def open_problems(store: LedgerStore, *, on: date | None = None) -> list[ProblemStatus]:
    """Problems not closed on ``on``."""
    return ProblemQuery(reader=store).on(evaluation_day(store, on)).open().list()


def overdue_responses(store: LedgerStore, *, on: date | None = None) -> list[ProblemStatus]:
    """Problems whose answer is owed and past its deadline on ``on``."""
    return ProblemQuery(reader=store).on(evaluation_day(store, on)).overdue().list()


def response_times(
    store: LedgerStore, *, on: date | None = None, year: int | None = None
) -> list[ResponseTimes]:
    """Per responsible unit: answered problems, mean and median days to answer, late and
    open counts — by unit name."""
    day = evaluation_day(store, on)
    by_unit: dict[str, list[ProblemStatus]] = {}
    for p in problems(store, on=day, year=year):
        if p.unit is not None:
            by_unit.setdefault(p.unit, []).append(p)
    result = []
    for unit in sorted(by_unit):
        items = by_unit[unit]
        days = [Decimal(p.response_days) for p in items if p.response_days is not None]
        result.append(
            ResponseTimes(
                unit=unit,
                answered=len(days),
                mean_days=quantize(sum(days, Decimal(0)) / len(days)) if days else None,
                median_days=quantize(statistics.median(days)) if days else None,
                late=sum(p.response_late(day) for p in items),
                open=sum(p.is_open for p in items),
            )
        )
    return result
