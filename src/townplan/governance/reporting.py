"""Information reporting (信息报送): which monthly progress reports were owed, which came
late and which are missing.

A project owes a report for a month when the :class:`ReportingCalendar` in force at the
month's end covers it (by default: eligible under the threshold policy in force then,
reserve projects included), judged on the project as the register held it at the month's
end. A report is *late* when it arrived after the due day, *missing* when nothing had
arrived by the check day ``on`` and the due day has passed, *pending* before that. A
correction does not change when a month was first reported.

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> store = LedgerStore.open(":memory:")
>>> store.add_project(tp.Project(code="P1", name="临港大道", category=tp.Category.INFRASTRUCTURE,
...     government_investment=tp.Money.parse("1.1亿")), valid_from=date(2013, 1, 1))
>>> _ = store.record_progress(tp.ProgressReport(project="P1", period="2013-05",
...     completed=tp.Money.parse("300万"), reported_on=date(2013, 6, 9)))
>>> [(str(r.period), r.days_late) for r in late_reports(store, "2013-Q2", on=date(2013, 7, 31))]
[('2013-05', 4)]
>>> [str(r.period) for r in missing_reports(store, "2013-Q2", on=date(2013, 7, 31))]
['2013-04', '2013-06']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Final

import attrs

from townplan.errors import NotFoundError, ValidationError
from townplan.governance.base import cutoff, evaluation_day, rows
from townplan.governance.rulebook import choose, rules
from townplan.governance.rules import ReportingCalendar
from townplan.ledger import LedgerStore
from townplan.ledger.rows import PROJECT_COLUMNS, project_from_row
from townplan.model.period import Period
from townplan.model.policy import ThresholdPolicy, policy_in_force
from townplan.model.records import Project

__all__ = [
    "ExpectedReport",
    "ReportingCounts",
    "expected_reports",
    "late_reports",
    "missing_reports",
    "register_on",
    "reporting_summary",
]

_COLUMNS: Final = ", ".join((*PROJECT_COLUMNS, "version", "valid_from"))
_VERSIONS: Final = (
    f"SELECT {_COLUMNS} FROM projects WHERE recorded_at < :cutoff AND valid_from <= :last "
    f"UNION ALL SELECT {_COLUMNS} FROM project_history "
    "WHERE recorded_at < :cutoff AND valid_from <= :last ORDER BY code, valid_from, version"
)
_RECEIVED: Final = (
    "SELECT project, period, min(reported_on) AS first_on FROM progress "
    "WHERE recorded_at < :cutoff AND reported_on <= :day AND period BETWEEN :first AND :last "
    "GROUP BY project, period"
)
_BY: Final = ("unit", "project", "period")


@attrs.frozen
class ExpectedReport:
    """One monthly report a project owed, and what became of it by the check day."""

    project: Project
    period: Period
    due: date
    received_on: date | None
    status: str  # on_time | late | missing | pending

    @property
    def unit(self) -> str | None:
        """The responsible unit of the project at the month's end."""
        return self.project.responsible_unit

    @property
    def days_late(self) -> int | None:
        """Days past the due day a late report arrived (None unless late)."""
        if self.status != "late" or self.received_on is None:
            return None
        return (self.received_on - self.due).days


@attrs.frozen
class ReportingCounts:
    """Owed reports of one unit, project or month, by what became of them."""

    key: str
    expected: int
    on_time: int
    late: int
    missing: int
    pending: int


def expected_reports(
    store: LedgerStore, period: Period | str, *, on: date | None = None
) -> list[ExpectedReport]:
    """Every report owed for the months of ``period`` (a month, quarter, half or year)
    that began by ``on``, by month then project code."""
    day = evaluation_day(store, on)
    months = [m for m in Period.parse(period).months() if m.start <= day]
    if not months:
        return []
    versions = _versions(store, months[-1].end)
    received = {
        (r["project"], r["period"]): date.fromisoformat(r["first_on"])
        for r in rows(store, _RECEIVED, {
            "cutoff": cutoff(store), "day": day.isoformat(),
            "first": str(months[0]), "last": str(months[-1]),
        })
    }  # fmt: skip
    calendars = rules(store, ReportingCalendar)
    policies = store.policies()
    owed = []
    for month in months:
        calendar = choose(calendars, ReportingCalendar, month.end)
        policy = _policy(policies, month.end)
        due = calendar.due(month)
        for project in _register(versions, month.end):
            if not calendar.covers(project, policy):
                continue
            got = received.get((project.code, str(month)))
            status = (
                ("on_time" if got <= due else "late") if got is not None
                else ("missing" if day > due else "pending")
            )  # fmt: skip
            owed.append(ExpectedReport(project, month, due, got, status))
    return owed


def missing_reports(
    store: LedgerStore,
    period: Period | str,
    *,
    on: date | None = None,
    unit: str | None = None,
    project: str | None = None,
) -> list[ExpectedReport]:
    """Reports of ``period`` not received by ``on`` although due (of a unit or project)."""
    return _select(expected_reports(store, period, on=on), "missing", unit, project)


def late_reports(
    store: LedgerStore,
    period: Period | str,
    *,
    on: date | None = None,
    unit: str | None = None,
    project: str | None = None,
) -> list[ExpectedReport]:
    """Reports of ``period`` received by ``on`` after their due day (of a unit or project)."""
    return _select(expected_reports(store, period, on=on), "late", unit, project)


def reporting_summary(
    store: LedgerStore, period: Period | str, *, on: date | None = None, by: str = "unit"
) -> list[ReportingCounts]:
    """Counts of owed, on-time, late, missing and pending reports per ``by`` (``unit``,
    ``project`` or ``period``), by key."""
    if by not in _BY:
        raise ValidationError.single(
            record="reporting_summary", field="by", value=by, expected=f"one of {_BY}"
        )
    groups: dict[str, list[ExpectedReport]] = {}
    for r in expected_reports(store, period, on=on):
        key = {"unit": r.unit or "", "project": r.project.code, "period": str(r.period)}[by]
        groups.setdefault(key, []).append(r)
    return [_counts(key, groups[key]) for key in sorted(groups)]


def _counts(key: str, items: list[ExpectedReport]) -> ReportingCounts:
    def n(status: str) -> int:
        return sum(r.status == status for r in items)

    return ReportingCounts(key, len(items), n("on_time"), n("late"), n("missing"), n("pending"))


def _select(
    items: Iterable[ExpectedReport], status: str, unit: str | None, project: str | None
) -> list[ExpectedReport]:
    return [
        r
        for r in items
        if r.status == status
        and (unit is None or r.unit == unit)
        and (project is None or r.project.code == project)
    ]


def register_on(store: LedgerStore, day: date) -> list[Project]:
    """The register on ``day`` as the store knows it: each project's version valid then."""
    return _register(_versions(store, day), day)


def _versions(store: LedgerStore, last: date) -> dict[str, list[tuple[date, Project]]]:
    """Every version of every project known to the store and valid from ``last`` or before."""
    found: dict[str, list[tuple[date, Project]]] = {}
    params: dict[str, Any] = {"cutoff": cutoff(store), "last": last.isoformat()}
    for row in rows(store, _VERSIONS, params):
        found.setdefault(row["code"], []).append(
            (date.fromisoformat(row["valid_from"]), project_from_row(row))
        )
    return found


def _register(versions: dict[str, list[tuple[date, Project]]], day: date) -> list[Project]:
    """The register on ``day``: each project's latest version valid by then, by code."""
    register = []
    for code in sorted(versions):
        valid = [p for start, p in versions[code] if start <= day]
        if valid:
            register.append(valid[-1])
    return register


def _policy(policies: list[ThresholdPolicy], on: date) -> ThresholdPolicy:
    try:
        return policy_in_force(policies, on)
    except NotFoundError:
        return ThresholdPolicy.default()
