"""Information reporting (信息报送): which monthly progress reports were owed, which came
late and which are missing.

A project owes a report for a month when the :class:`ReportingCalendar` in force at the
month's end covers it (by default: eligible under the threshold policy in force then,
reserve projects included), judged on the project as the register held it at the month's
end. A report is *late* when it arrived after the due day, *missing* when nothing had
arrived by the check day ``on`` and the due day has passed, *pending* before that. A
correction does not change when a month was first reported.

A project whose investment is in another currency than the policy's is eligible, and so
owes reports, only through a dated exchange rate passed as ``rates`` (as with
``ProjectQuery.eligible``); without one it owes none.

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
from townplan.model.money import ExchangeRate
from townplan.model.period import Period
from townplan.model.policy import ThresholdPolicy, policy_in_force
from townplan.model.records import Project
from townplan.query.projects import eligibility_condition
from townplan.query.sql import Fragment, Select

__all__ = [
    "ExpectedReport",
    "ReportingCounts",
    "expected_reports",
    "late_reports",
    "missing_reports",
    "register_on",
    "reporting_summary",
]

_STATUS: Final = ("on_time", "late", "missing", "pending")
_SELECTED: Final = ", ".join(f"x.{c}" for c in PROJECT_COLUMNS)
_CODE, _NAME, _UNIT = (PROJECT_COLUMNS.index(c) for c in ("code", "name", "responsible_unit"))
_BY: Final = ("unit", "project", "period")


@attrs.frozen
class ExpectedReport:
    """One monthly report a project owed, and what became of it by the check day.

    ``code``, ``name`` and ``unit`` are the project's as the register held it at the
    month's end; :attr:`project` is that whole record, built when asked for (a bulletin
    over a large portfolio lists thousands of reports and needs only the names).
    """

    code: str
    name: str
    unit: str | None
    period: Period
    due: date
    received_on: date | None
    status: str  # on_time | late | missing | pending
    #: The project's register row (values of ``PROJECT_COLUMNS``), for :attr:`project`.
    row: tuple[Any, ...] = attrs.field(eq=False, repr=False)

    @property
    def project(self) -> Project:
        """The project as the register held it at the month's end."""
        return project_from_row(dict(zip(PROJECT_COLUMNS, self.row, strict=True)))

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
    store: LedgerStore,
    period: Period | str,
    *,
    on: date | None = None,
    status: str | Iterable[str] | None = None,
    rates: Iterable[ExchangeRate] = (),
) -> list[ExpectedReport]:
    """Every report owed for the months of ``period`` (a month, quarter, half or year)
    that began by ``on``, by month then project code; only those whose ``status`` is one
    of ``status`` when it is given (the filter runs in SQL, so asking for the missing
    and late reports of a large portfolio reads only those projects)."""
    wanted, rates = _statuses(status), tuple(rates)
    if not wanted:
        return []
    day = evaluation_day(store, on)
    months = [m for m in Period.parse(period).months() if m.start <= day]
    calendars = rules(store, ReportingCalendar)
    policies = store.policies()
    owed = []
    for month in months:
        calendar = choose(calendars, ReportingCalendar, month.end)
        due = calendar.due(month)
        policy = _policy(policies, month.end)
        sql, params = _owed(store, calendar, policy, rates, month, due, day, wanted).render()
        for *values, first_on, judged in store.db.execute(sql, params):
            got = None if first_on is None else date.fromisoformat(first_on)
            owed.append(
                ExpectedReport(
                    values[_CODE], values[_NAME], values[_UNIT], month, due, got, judged,
                    tuple(values),
                )
            )  # fmt: skip
    return owed


def _statuses(status: str | Iterable[str] | None) -> tuple[str, ...]:
    if status is None:
        return _STATUS
    wanted: tuple[object, ...] = (
        tuple(status) if isinstance(status, Iterable) and not isinstance(status, str) else (status,)
    )
    for value in wanted:
        if value not in _STATUS:
            raise ValidationError.single(
                record="expected_reports", field="status", value=value,
                expected=f"one of {', '.join(_STATUS)}",
            )  # fmt: skip
    return tuple(str(v) for v in wanted)


def _owed(
    store: LedgerStore, calendar: ReportingCalendar, policy: ThresholdPolicy,
    rates: tuple[ExchangeRate, ...], month: Period, due: date, day: date,
    wanted: tuple[str, ...],
) -> Fragment:  # fmt: skip
    """The projects owing ``month``'s report (the register at the month's end, known at
    the store's cut), with the first report received by ``day`` and its status."""
    register = Fragment.relation(*store.register_relation(month.end))
    covers = [Fragment("x.kind <> 'reserve'")] if not calendar.include_reserve else []
    if calendar.eligible_only:
        covers.append(eligibility_condition(policy, rates))
    status = Fragment(
        "CASE WHEN r.first_on IS NOT NULL THEN "
        "CASE WHEN r.first_on <= ? THEN 'on_time' ELSE 'late' END "
        "WHEN ? > ? THEN 'missing' ELSE 'pending' END",
        (due.isoformat(), day.isoformat(), due.isoformat()),
    )
    marks = ", ".join("?" for _ in wanted)
    received = Fragment(
        " LEFT JOIN (SELECT project, min(reported_on) AS first_on FROM progress "
        "WHERE recorded_at < ? AND reported_on <= ? AND period = ? GROUP BY project) AS r "
        "ON r.project = x.code",
        (cutoff(store), day.isoformat(), str(month)),
    )
    return Select(
        columns=_SELECTED + ", r.first_on AS first_on, " + status + " AS status",
        source=register,
        joins=received,
        where=(*covers, status + Fragment(f" IN ({marks})", wanted))
        if set(wanted) != set(_STATUS)
        else tuple(covers),
        order_by=("x.code",),
    ).fragment()


def missing_reports(
    store: LedgerStore,
    period: Period | str,
    *,
    on: date | None = None,
    unit: str | None = None,
    project: str | None = None,
    rates: Iterable[ExchangeRate] = (),
) -> list[ExpectedReport]:
    """Reports of ``period`` not received by ``on`` although due (of a unit or project)."""
    owed = expected_reports(store, period, on=on, status="missing", rates=rates)
    return _select(owed, unit, project)


def late_reports(
    store: LedgerStore,
    period: Period | str,
    *,
    on: date | None = None,
    unit: str | None = None,
    project: str | None = None,
    rates: Iterable[ExchangeRate] = (),
) -> list[ExpectedReport]:
    """Reports of ``period`` received by ``on`` after their due day (of a unit or project)."""
    owed = expected_reports(store, period, on=on, status="late", rates=rates)
    return _select(owed, unit, project)


def reporting_summary(
    store: LedgerStore,
    period: Period | str,
    *,
    on: date | None = None,
    by: str = "unit",
    rates: Iterable[ExchangeRate] = (),
) -> list[ReportingCounts]:
    """Counts of owed, on-time, late, missing and pending reports per ``by`` (``unit``,
    ``project`` or ``period``), by key."""
    if by not in _BY:
        raise ValidationError.single(
            record="reporting_summary", field="by", value=by, expected=f"one of {_BY}"
        )
    groups: dict[str, list[ExpectedReport]] = {}
    for r in expected_reports(store, period, on=on, rates=rates):
        key = {"unit": r.unit or "", "project": r.code, "period": str(r.period)}[by]
        groups.setdefault(key, []).append(r)
    return [_counts(key, groups[key]) for key in sorted(groups)]


def _counts(key: str, items: list[ExpectedReport]) -> ReportingCounts:
    def n(status: str) -> int:
        return sum(r.status == status for r in items)

    return ReportingCounts(key, len(items), n("on_time"), n("late"), n("missing"), n("pending"))


def _select(
    items: Iterable[ExpectedReport], unit: str | None, project: str | None
) -> list[ExpectedReport]:
    return [
        r
        for r in items
        if (unit is None or r.unit == unit) and (project is None or r.code == project)
    ]


def register_on(store: LedgerStore, day: date) -> list[Project]:
    """The register on ``day`` as the store knows it: each project's version valid then."""
    sql, params = store.register_relation(day)
    return [
        project_from_row(r) for r in rows(store, f"SELECT * FROM ({sql}) ORDER BY code", params)
    ]


def _policy(policies: list[ThresholdPolicy], on: date) -> ThresholdPolicy:
    try:
        return policy_in_force(policies, on)
    except NotFoundError:
        return ThresholdPolicy.default()
