"""Rules a town may change, as data with an effective period: the response deadline of
rapid response (快速反应) and the reporting calendar of information reporting (信息报送).

Working days are Monday to Friday, less the rule's ``holidays``, plus its
``extra_workdays`` (weekend days made working days, 调休).

>>> rule = ResponseRule.default()
>>> rule.due(date(2013, 3, 12), Severity.URGENT)     # a Tuesday + 3 working days
datetime.date(2013, 3, 15)
>>> rule.due(date(2013, 3, 15), Severity.URGENT)     # a Friday: the weekend does not count
datetime.date(2013, 3, 20)
>>> ReportingCalendar.default().due(Period.parse("2013-12"))
datetime.date(2014, 1, 5)
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, ClassVar

import attrs

from townplan.errors import ValidationError
from townplan.governance.states import Severity
from townplan.model.checks import check_text
from townplan.model.dated import Dated, rule_kind, since, until
from townplan.model.enums import ProjectKind
from townplan.model.period import Period, PeriodKind
from townplan.model.policy import ThresholdPolicy
from townplan.model.records import Project

__all__ = [
    "ReportingCalendar",
    "ResponseRule",
    "add_working_days",
    "is_working_day",
]


def is_working_day(
    day: date, holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
) -> bool:
    """True for Monday–Friday that is not a holiday, and for an extra working day.

    >>> is_working_day(date(2013, 6, 8), extra_workdays=[date(2013, 6, 8)])  # a Saturday
    True
    """
    if day in set(extra_workdays):
        return True
    return day.weekday() < 5 and day not in set(holidays)


def add_working_days(
    start: date, days: int, holidays: Iterable[date] = (), extra_workdays: Iterable[date] = ()
) -> date:
    """The day ``days`` working days after ``start`` (``start`` itself is day 0).

    >>> add_working_days(date(2013, 6, 7), 1, holidays=[date(2013, 6, 10)])
    datetime.date(2013, 6, 11)
    """
    off, on = set(holidays), set(extra_workdays)
    day = start
    counted = 0
    while counted < days:
        day += timedelta(days=1)
        if is_working_day(day, off, on):
            counted += 1
    return day


def _count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 366:
        raise ValidationError.single(
            record=f"{type(instance).__name__}", field=attribute.name, value=value,
            expected="a whole number of days from 0 to 366",
        )  # fmt: skip


def _days(value: Iterable[date]) -> tuple[date, ...]:
    return tuple(sorted(set(value)))


@rule_kind
@attrs.frozen
class ResponseRule(Dated):
    """How long a unit has to answer a rapid-response problem, counted from assignment:
    ``urgent_days`` or ``normal_days``, in working days (or calendar days when
    ``working_days`` is False)."""

    kind: ClassVar[str] = "response"

    name: str = attrs.field(default="快速反应答复时限", validator=check_text)
    urgent_days: int = attrs.field(default=3, validator=_count)
    normal_days: int = attrs.field(default=10, validator=_count)
    working_days: bool = True
    holidays: tuple[date, ...] = attrs.field(default=(), converter=_days)
    extra_workdays: tuple[date, ...] = attrs.field(default=(), converter=_days)
    effective_from: date = since()
    effective_to: date | None = until()

    @classmethod
    def default(cls) -> ResponseRule:
        """3 working days for an urgent problem, 10 for a normal one."""
        return cls()

    def days(self, severity: Severity | str) -> int:
        """The days allowed for ``severity``."""
        return self.urgent_days if Severity.parse(severity) is Severity.URGENT else self.normal_days

    def due(self, assigned_on: date, severity: Severity | str) -> date:
        """The last day to answer a problem of ``severity`` assigned on ``assigned_on``."""
        if not self.working_days:
            return assigned_on + timedelta(days=self.days(severity))
        return add_working_days(
            assigned_on, self.days(severity), self.holidays, self.extra_workdays
        )


def _due_day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 31:
        raise ValidationError.single(
            record="ReportingCalendar", field=attribute.name, value=value,
            expected="a day of the month from 1 to 31",
        )  # fmt: skip


def _lag(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 12:
        raise ValidationError.single(
            record="ReportingCalendar", field=attribute.name, value=value,
            expected="a number of months from 0 to 12",
        )  # fmt: skip


@rule_kind
@attrs.frozen
class ReportingCalendar(Dated):
    """When a monthly progress report (月度调度) is due, and which projects owe one.

    The report for month m is due on ``due_day`` of month m + ``months_after`` (the
    last day of that month when it is shorter). Projects in the programme owe a report
    every month: those eligible under the threshold policy in force at the month's end
    (every project when ``eligible_only`` is False), reserve projects included unless
    ``include_reserve`` is False.
    """

    kind: ClassVar[str] = "reporting"

    name: str = attrs.field(default="月度进度报送", validator=check_text)
    due_day: int = attrs.field(default=5, validator=_due_day)
    months_after: int = attrs.field(default=1, validator=_lag)
    eligible_only: bool = True
    include_reserve: bool = True
    effective_from: date = since()
    effective_to: date | None = until()

    @classmethod
    def default(cls) -> ReportingCalendar:
        """Month m is due by the 5th of m+1; every eligible project reports."""
        return cls()

    def due(self, period: Period | str) -> date:
        """The last day the report for the month ``period`` is on time."""
        month = Period.parse(period)
        if month.kind is not PeriodKind.MONTH:
            raise ValidationError.single(
                record="ReportingCalendar", field="period", value=str(month),
                expected="a month, e.g. '2013-06'",
            )  # fmt: skip
        target = month
        for _ in range(self.months_after):
            target = target.next()
        last = calendar.monthrange(target.year, target.index)[1]
        return date(target.year, target.index, min(self.due_day, last))

    def covers(self, project: Project, policy: ThresholdPolicy) -> bool:
        """True when ``project`` owes monthly reports under this calendar and ``policy``."""
        if project.kind is ProjectKind.RESERVE and not self.include_reserve:
            return False
        return not self.eligible_only or policy.assess(project).eligible
