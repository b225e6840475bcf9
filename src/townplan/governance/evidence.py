"""The facts an assessment scores, gathered once: the projects in scope, what each
completed this year, and the late or missing reports, late responses and late
rectifications, per project and per unit."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date
from typing import Final

import attrs

from townplan.governance.base import rows
from townplan.governance.reporting import expected_reports, register_on
from townplan.governance.response import problems
from townplan.governance.supervision import findings
from townplan.ledger import LedgerStore
from townplan.model.money import Money
from townplan.model.period import Period
from townplan.model.records import Project

__all__ = ["Evidence", "gather"]

# The reports in force for the year's months, effective by the day and known at the cut.
_COMPLETED: Final = """
SELECT project, currency, sum(completed_fen) AS fen FROM ({progress}) AS r
WHERE period BETWEEN :first AND :last
GROUP BY project, currency
"""


@attrs.frozen
class Evidence:
    """The projects in scope (as on the day), their completed investment this year, and
    penalty counts (``late_reports``, ``missing_reports``, ``overdue_responses``,
    ``overdue_findings``) per project code and per unit name."""

    projects: dict[str, Project]
    completed: dict[str, Money]
    by_project: defaultdict[str, Counter[str]]
    by_unit: defaultdict[str, Counter[str]]
    #: Months of the year some report of which arrived by the day.
    reported: tuple[Period, ...] = ()
    #: Months past their due day of which no project's report arrived: the ledger holds
    #: no data of them, and their reports are not counted as missing.
    uncovered: tuple[Period, ...] = ()
    #: Units that owed reports in the year and of which none arrived.
    silent_units: tuple[str, ...] = ()

    def count(self, component: str, project: str | None, unit: str | None) -> None:
        """Count one penalty event against its project and its unit."""
        if project is not None:
            self.by_project[project][component] += 1
        if unit is not None:
            self.by_unit[unit][component] += 1


def gather(store: LedgerStore, year: int, day: date) -> Evidence:
    """Everything :func:`~townplan.governance.assess` needs for ``year``, judged on ``day``."""
    owed = expected_reports(store, str(year), on=day)
    in_scope = {r.code for r in owed}
    # The plan of the year assessed, even when judged after the register moved on.
    held = register_on(store, min(day, date(year, 12, 31)))
    register = {p.code: p for p in held if p.code in in_scope}
    for r in owed:  # a project that left the register keeps its last version in scope
        if r.code not in register:
            register[r.code] = r.project
    # A month of which nothing at all arrived is a month the ledger has no data of (a past
    # year loaded from June on), not a month every project failed to report.
    reported = {r.period for r in owed if r.received_on is not None}
    uncovered = {r.period for r in owed if r.status == "missing"} - reported
    owing = {r.unit for r in owed if r.unit is not None}
    heard = {r.unit for r in owed if r.unit is not None and r.received_on is not None}
    evidence = Evidence(
        register, _completed(store, year, day), defaultdict(Counter), defaultdict(Counter),
        _months(reported), _months(uncovered), tuple(sorted(owing - heard)),
    )  # fmt: skip
    for r in owed:
        if r.status == "late" or (r.status == "missing" and r.period not in uncovered):
            evidence.count(f"{r.status}_reports", r.code, r.unit)
    for p in problems(store, on=day, year=year):
        if p.response_late(day):
            evidence.count("overdue_responses", p.problem.project, p.unit)
    for f in findings(store, on=day, year=year):
        if f.rectification_late(day):
            evidence.count("overdue_findings", f.finding.project, f.unit)
    return evidence


def _months(months: set[Period]) -> tuple[Period, ...]:
    return tuple(sorted(months, key=lambda m: (m.year, m.index)))


def _completed(store: LedgerStore, year: int, day: date) -> dict[str, Money]:
    progress, params = store.relation("progress", on=day)
    found = rows(store, _COMPLETED.format(progress=progress),
                 {**params, "first": f"{year}-01", "last": f"{year}-12"})  # fmt: skip
    return {r["project"]: Money.from_fen(r["fen"], r["currency"]) for r in found}
