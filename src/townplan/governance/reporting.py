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
>>> _ = store.add_project(tp.Project(code="P1", name="临港大道",
...     category=tp.Category.INFRASTRUCTURE,
...     government_investment=tp.Money.parse("1.1亿")), on=date(2013, 1, 1))
>>> _ = store.record_progress(tp.ProgressReport(project="P1", period="2013-05",
...     completed=tp.Money.parse("300万"), reported_on=date(2013, 6, 9)))
>>> [(str(r.period), r.days_late) for r in late_reports(store, "2013-Q2", on=date(2013, 7, 31))]
[('2013-05', 4)]
>>> [str(r.period) for r in missing_reports(store, "2013-Q2", on=date(2013, 7, 31))]
['2013-04', '2013-06']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar, Final, Self, cast

import attrs

from townplan.errors import NotFoundError, ValidationError
from townplan.governance.base import evaluation_day, rows
from townplan.governance.rulebook import choose, rules
from townplan.governance.rules import ReportingCalendar
from townplan.ledger import LedgerStore
from townplan.ledger.reads import LedgerReader
from townplan.ledger.rows import PROJECT_COLUMNS, project_from_row
from townplan.model.enums import Category, ProjectKind, Stage
from townplan.model.money import ExchangeRate
from townplan.model.period import Period
from townplan.model.policy import ThresholdPolicy, policy_in_force
from townplan.model.records import Project
from townplan.query.base import DatedQuery, execute_tuples
from townplan.query.fields import Field, FieldSet, Kind
from townplan.query.projects import eligibility_condition
from townplan.query.sql import Fragment, Select, join

__all__ = [
    "EXPECTED_FIELDS",
    "ExpectedReport",
    "ExpectedReportQuery",
    "ReportingCounts",
    "expected_reports",
    "late_reports",
    "missing_reports",
    "register_on",
    "reporting_summary",
]

_STATUS: Final = ("on_time", "late", "missing", "pending")
_SELECTED: Final = ", ".join(f"x.{c}" for c in PROJECT_COLUMNS)
#: What iterating reads of each owed report.
_REPORTED: Final = "x.code, x.name, x.responsible_unit, x.period, x.due, x.received_on, x.status"
_BY: Final = ("unit", "project", "period")


@attrs.frozen
class ExpectedReport:
    """One monthly report a project owed, and what became of it by the check day.

    ``code``, ``name`` and ``unit`` are the project's as the register held it at the
    month's end; :attr:`project` is that whole record, read when asked for (a year's
    reports over a large portfolio are hundreds of thousands, and the bulletin and the
    assessment need only the names).
    """

    code: str
    name: str
    unit: str | None
    period: Period
    due: date
    received_on: date | None
    status: str  # on_time | late | missing | pending
    #: The project's register row (values of ``PROJECT_COLUMNS``), when it was read.
    row: tuple[Any, ...] = attrs.field(default=(), eq=False, repr=False)
    #: The ledger (or view) the report was judged in, to read :attr:`project` from.
    reader: LedgerReader | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def project(self) -> Project:
        """The project as the register held it at the month's end (as known in the
        ledger or view the report was judged in)."""
        if self.row or self.reader is None:
            return project_from_row(dict(zip(PROJECT_COLUMNS, self.row, strict=True)))
        sql, params = self.reader.register_relation(self.period.end)
        rows = self.reader.rows(f"SELECT * FROM ({sql}) WHERE code = :code",
                                {**params, "code": self.code})  # fmt: skip
        return project_from_row(rows[0])

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


def _text(name: str, column: str | None = None) -> Field:
    return Field(name, f"x.{column or name}", Kind.TEXT)


#: What an expected-report query filters and orders by: the owed month and what became
#: of it, and the project's fields as the register held them at the month's end.
EXPECTED_FIELDS = FieldSet(
    "expected_reports",
    (
        _text("code"), _text("name"), _text("unit", "responsible_unit"),
        Field("period", "x.period", Kind.PERIOD), Field("due", "x.due", Kind.DATE),
        Field("received_on", "x.received_on", Kind.DATE), _text("status"), _text("zone"),
        _text("village"), Field("category", "x.category", Kind.ENUM, enum=Category),
        Field("stage", "x.stage", Kind.ENUM, enum=Stage),
        Field("kind", "x.kind", Kind.ENUM, enum=ProjectKind), _text("town"),
    ),
)  # fmt: skip


def _period(value: Period | str) -> Period:
    return Period.parse(value)


@lru_cache(maxsize=256)
def _month(text: str) -> Period:
    return Period.parse(text)


@lru_cache(maxsize=4096)
def _day(text: str) -> date:
    return date.fromisoformat(text)


def _rates(value: Iterable[ExchangeRate]) -> tuple[ExchangeRate, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class ExpectedReportQuery(DatedQuery[ExpectedReport]):
    """The monthly reports owed for the months of ``period`` that began by the query's
    day (the check day, ``.on(day)``), with what became of each by then; by month, then
    project code. ``where(status="missing")`` (or ``.missing()``) keeps those not received
    though due, ``where(unit=...)`` those of a unit (the project's responsible unit at the
    month's end)."""

    FIELDS: ClassVar[FieldSet] = EXPECTED_FIELDS
    KEY: ClassVar[tuple[str, ...]] = ("period", "code")
    ALIASES: ClassVar[Mapping[str, str]] = {"project": "code"}

    period: Period = attrs.field(converter=_period)
    rates: tuple[ExchangeRate, ...] = attrs.field(default=(), converter=_rates)

    def missing(self) -> Self:
        """Reports not received by the check day although due."""
        return self.where(status="missing")

    def late(self) -> Self:
        """Reports received after their due day."""
        return self.where(status="late")

    def _lookup(self, lookup: str, value: object) -> Fragment:
        if lookup.partition("__")[0] == "status":
            wanted = [value] if lookup == "status" else value
            if isinstance(wanted, list | tuple | set | frozenset):
                _statuses(list(wanted))
        return super()._lookup(lookup, value)

    def _source(self) -> Fragment:
        return join(" UNION ALL ", self._months())

    def _months(self) -> list[Fragment]:
        """The owed reports of each month, in month order, one statement each."""
        day = self._on()
        months = [m for m in self.period.months() if m.start <= day]
        store = cast(LedgerStore, self.reader)  # rules and policies read only the view
        calendars = rules(store, ReportingCalendar)
        policies = store.policies()
        parts = []
        for i, month in enumerate(months or [next(iter(self.period.months()))]):
            calendar = choose(calendars, ReportingCalendar, month.end)
            policy = _policy(policies, month.end)
            part = self._owed(i, calendar, policy, month, calendar.due(month), day)
            parts.append(part if months else part + " AND 0")
        return parts

    def _statements(self) -> list[Fragment]:
        """What iterating runs: in the query's own order (by month, then project code)
        with no limit, each month on its own — the months come in order, and sorting each
        month's reports by code alone costs a fraction of sorting the year's by month and
        code (the whole year's rows, every column of each project); otherwise the one
        statement of :meth:`sql`."""
        columns = Fragment(_REPORTED)
        if self.ordering or self.limit_n is not None or self.offset_n:
            return [attrs.evolve(self._select(), columns=columns).fragment()]
        where = self.conditions + self._extra_conditions()
        code = self.FIELDS.get("code").order_expr
        return [
            Select(columns=columns, source=part, where=where, order_by=(code,)).fragment()
            for part in self._months()
        ]

    def _owed(
        self, i: int, calendar: ReportingCalendar, policy: ThresholdPolicy, month: Period,
        due: date, day: date,
    ) -> Fragment:  # fmt: skip
        """The projects owing ``month``'s report (the register at the month's end, known
        at the view's cut), with the first report received by ``day`` and its status."""
        register = Fragment.relation(*self.reader.register_relation(month.end), prefix=f"m{i}_")
        arrivals = Fragment.relation(*self.reader.arrivals_relation(), prefix=f"m{i}_")
        covers = [Fragment("x.kind <> 'reserve'")] if not calendar.include_reserve else []
        if calendar.eligible_only:
            covers.append(eligibility_condition(policy, self.rates))
        status = Fragment(
            "CASE WHEN r.first_on IS NOT NULL THEN "
            "CASE WHEN r.first_on <= ? THEN 'on_time' ELSE 'late' END "
            "WHEN ? > ? THEN 'missing' ELSE 'pending' END",
            (due.isoformat(), day.isoformat(), due.isoformat()),
        )
        received = (
            " LEFT JOIN (SELECT a.project, min(a.reported_on) AS first_on FROM (" + arrivals
            + Fragment(") AS a WHERE a.reported_on <= ? AND a.period = ? GROUP BY a.project) "
                       "AS r ON r.project = x.code", (day.isoformat(), str(month)))
        )  # fmt: skip
        columns = (
            _SELECTED + Fragment(", ? AS period, ? AS due", (str(month), due.isoformat()))
            + ", r.first_on AS received_on, " + status + " AS status"
        )  # fmt: skip
        where = join(" AND ", ("(" + c + ")" for c in covers)) if covers else Fragment("1")
        return "SELECT " + columns + " FROM (" + register + ") AS x" + received + " WHERE " + where

    def __iter__(self) -> Iterator[ExpectedReport]:
        # Streamed as tuples: the reports of a year over a large portfolio are millions
        # of rows, and building a dict for each costs more than the query.
        # Streamed as tuples of the report's own columns: the project's whole row is
        # read only when asked for (ExpectedReport.project).
        reader = self.reader
        for statement in self._statements():
            for code, name, unit, period, due, received, status in execute_tuples(
                reader, statement
            ):
                yield ExpectedReport(
                    code, name, unit, _month(period), _day(due),
                    None if received is None else _day(received), status, reader=reader,
                )  # fmt: skip

    def _record(self, row: Mapping[str, Any]) -> ExpectedReport:
        received = row["received_on"]
        return ExpectedReport(
            row["code"], row["name"], row["responsible_unit"], _month(row["period"]),
            date.fromisoformat(row["due"]),
            None if received is None else date.fromisoformat(received), row["status"],
            tuple(row[c] for c in PROJECT_COLUMNS),
        )  # fmt: skip

    def _plain(self, row: Mapping[str, Any]) -> dict[str, Any]:
        r = self._record(row)
        return {
            "code": r.code, "name": r.name, "unit": r.unit, "period": r.period, "due": r.due,
            "received_on": r.received_on, "status": r.status, "days_late": r.days_late,
        }  # fmt: skip


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
    of ``status`` when it is given (``q.expected_reports(period)`` as a list)."""
    wanted = _statuses(status)
    if not wanted:
        return []
    query = ExpectedReportQuery(reader=store, period=period, rates=tuple(rates))
    query = query.on(evaluation_day(store, on))
    if set(wanted) != set(_STATUS):
        query = query.where(status__in=wanted)
    return query.list()


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
    return _wanted(store, period, "missing", on, unit, project, rates)


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
    return _wanted(store, period, "late", on, unit, project, rates)


def _wanted(
    store: LedgerStore, period: Period | str, status: str, on: date | None,
    unit: str | None, project: str | None, rates: Iterable[ExchangeRate],
) -> list[ExpectedReport]:  # fmt: skip
    query = ExpectedReportQuery(reader=store, period=period, rates=tuple(rates))
    query = query.on(evaluation_day(store, on)).where(status=status)
    if unit is not None:
        query = query.where(unit=unit)
    if project is not None:
        query = query.where(code=project)
    return query.list()


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
