"""Questions about projects: filters, eligibility, the schedule, lights and summaries.

>>> from townplan.ledger import LedgerStore
>>> import townplan as tp
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(tp.Project(code="P001", name="中心大道二期",
...     category=tp.Category.INFRASTRUCTURE, government_investment=tp.Money.parse("1.2亿"),
...     annual_plan=tp.Money.parse("4000万"), plan_year=2013), on=date(2013, 1, 1))
>>> r = ledger.record_progress(tp.ProgressReport(project="P001", period="2013-06",
...     completed=tp.Money.parse("1000万"), reported_on=date(2013, 7, 3)))
>>> q = ProjectQuery(reader=ledger)
>>> [p.code for p in q.where(category="基础设施").eligible().behind_plan()]
['P001']
>>> v = next(q.lights())
>>> v.light, v.points_behind
(<Light.AMBER: 'amber'>, Decimal('25.00'))
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, ClassVar, Self

import attrs

from townplan.errors import ValidationError
from townplan.ledger.reads import LedgerReader
from townplan.ledger.rows import project_from_row
from townplan.model.arguments import day_argument
from townplan.model.enums import Category, Light, ProjectKind, Stage
from townplan.model.money import ExchangeRate, Money
from townplan.model.period import Period
from townplan.model.policy import ThresholdPolicy
from townplan.model.records import Project
from townplan.query import snapshots
from townplan.query.aggregate import ProjectSummary
from townplan.query.base import BaseQuery, deprecated, execute_tuples
from townplan.query.dates import in_period_condition, late_condition
from townplan.query.fields import MEASURED, PROJECT_FIELDS, Field, FieldSet, Kind
from townplan.query.lights import LightRule, LightVerdict, judging
from townplan.query.month import MonthCells, ProjectMonth, month_cells, month_rows
from townplan.query.schedule import default_day, light_condition, light_rule, measured_projects
from townplan.query.sql import Fragment, Select, join
from townplan.query.where import condition, split_lookup

__all__ = ["ProjectQuery", "eligibility_condition"]

#: A leading group of a project's responsible unit, for ``where(group=...)``.
_GROUP = FieldSet("projects", (Field("group", "gm.group_code", Kind.TEXT),))

#: What :meth:`ProjectQuery.lights` reads of each project.
_VERDICT_COLUMNS = "x.code, x.name, x.ytd_fen, x.year_plan_fen, x.currency"


@attrs.frozen(kw_only=True)
class ProjectQuery(BaseQuery[Project]):
    """Projects in the register (项目库) as the ledger or its as-of view holds them.

    ``day`` is the day completion is measured on (see :meth:`on`); the light filter, the
    eligibility policy and the light rule are resolved against it when the query runs.
    """

    FIELDS: ClassVar[FieldSet] = PROJECT_FIELDS
    ALIASES: ClassVar[Mapping[str, str]] = {"unit": "responsible_unit"}

    day: date | None = None
    measured: bool = False
    lights_wanted: frozenset[Light] | None = None
    rule: LightRule | None = None
    eligible_only: bool = False
    policy: ThresholdPolicy | None = None
    rates: tuple[ExchangeRate, ...] = ()
    #: A temporary table holding the measured rows of :meth:`snapshot` (townplan's name).
    table: str | None = attrs.field(default=None, repr=False, validator=snapshots.check_name)

    # --- named filters ------------------------------------------------------------------
    def on(self, day: date) -> Self:
        """Measure completion, lights and eligibility on ``day``."""
        day = day_argument(day, record="projects", field="on")
        if self.table is not None and day != self.day:
            raise ValidationError.single(
                record="projects", field="on", value=day,
                expected=f"the snapshot's day {self.day}",
            )  # fmt: skip
        return attrs.evolve(self, day=day)

    def by_zone(self, *zones: str) -> Self:
        """Deprecated: ``where(zone__in=zones)``."""
        deprecated("ProjectQuery.by_zone(...)", "where(zone=...) or where(zone__in=[...])")
        return self.where(zone__in=zones)

    def by_unit(self, *units: str) -> Self:
        """Deprecated: ``where(unit__in=units)``."""
        deprecated("ProjectQuery.by_unit(...)", "where(unit=...) or where(unit__in=[...])")
        return self.where(unit__in=units)

    def by_group(self, *codes: str) -> Self:
        """Deprecated: ``where(group__in=codes)``."""
        deprecated("ProjectQuery.by_group(...)", "where(group=...) or where(group__in=[...])")
        return self.where(group__in=codes)

    def _lookup(self, lookup: str, value: object) -> Fragment:
        # ``group``: projects whose responsible unit is a member unit of the group(s).
        if lookup.partition("__")[0] == "group":
            group = condition(_GROUP, lookup, value)
            return (
                "x.responsible_unit IN (SELECT gm.unit FROM group_members AS gm WHERE "
                + group + ")"
            )  # fmt: skip
        return super()._lookup(lookup, value)

    def stage(self, *stages: Stage | str) -> Self:
        """Projects in any of the stages (member, value or Chinese label, e.g. "续建")."""
        return self.where(stage__in=stages)

    def category(self, *categories: Category | str) -> Self:
        """Projects in any of the categories (e.g. "infrastructure" or "基础设施")."""
        return self.where(category__in=categories)

    def kind(self, *kinds: ProjectKind | str) -> Self:
        """Construction (建设) or reserve (预备) projects."""
        return self.where(kind__in=kinds)

    def started_late(self, on: date | None = None) -> Self:
        """Construction projects whose planned start (计划开工) is before ``on`` (default:
        the query's day) and that had not started by it — started later, or not at all —
        as known in the view on ``on``; suspended or cancelled ones left out."""
        day = self._day_or(on)
        return attrs.evolve(
            self, conditions=(*self.conditions, late_condition(self.reader, "start", day))
        )

    def finished_late(self, on: date | None = None) -> Self:
        """Construction projects whose planned finish (计划竣工) is before ``on`` and that
        had not finished by it (see :meth:`started_late`)."""
        day = self._day_or(on)
        return attrs.evolve(
            self, conditions=(*self.conditions, late_condition(self.reader, "finish", day))
        )

    def started_in(self, period: Period | str) -> Self:
        """Projects whose actual start (实际开工) falls in ``period`` (a month, quarter or
        year), as known in the view at its end."""
        return self._actual_in("start", period)

    def finished_in(self, period: Period | str) -> Self:
        """Projects whose actual finish (实际竣工) falls in ``period``."""
        return self._actual_in("finish", period)

    def in_operation_in(self, period: Period | str) -> Self:
        """Projects that went into operation (投产) in ``period``."""
        return self._actual_in("operation", period)

    def codes_sql(self) -> Fragment:
        """SQL selecting the codes of the matching projects, to nest in another question."""
        return attrs.evolve(self._select(), columns=Fragment("x.code"), order_by=()).fragment()

    def rows_sql(self) -> Fragment:
        """SQL selecting the rows of the matching projects (every column; measured ones
        too when the query is), to nest in another question."""
        return attrs.evolve(self._select(), columns=Fragment("x.*"), order_by=()).fragment()

    def _actual_in(self, which: str, period: Period | str) -> Self:
        span = Period.parse(period)
        cond = in_period_condition(self.reader, which, span)
        return attrs.evolve(self, conditions=(*self.conditions, cond))

    def _day_or(self, on: date | None) -> date:
        if on is not None:
            return day_argument(on, record="projects", field="on")
        return self.day or self.reader.cut or date.today()

    def eligible(
        self, policy: ThresholdPolicy | None = None, *, rates: Iterable[ExchangeRate] = ()
    ) -> Self:
        """Projects that meet the eligibility policy (入库标准): ``policy``, or the one the
        ledger has in force on the query's day. Projects in another currency than the
        policy's count only with a dated ``rates`` entry from their currency."""
        rates = tuple(rates)
        if policy is not None:
            eligibility_condition(
                policy, rates
            )  # a rate into another currency fails here, not later
        return attrs.evolve(self, eligible_only=True, policy=policy, rates=rates)

    def behind_plan(self, on: date | None = None, rule: LightRule | None = None) -> Self:
        """Projects at least ``rule.amber_from`` points (default 10) behind the
        time-proportional schedule on ``on``: those lit amber or red."""
        return self.light(Light.AMBER, Light.RED, on=on, rule=rule)

    def light(
        self, *lights: Light | str, on: date | None = None, rule: LightRule | None = None
    ) -> Self:
        """Projects whose light is one of ``lights`` (e.g. "red", "红灯")."""
        wanted = frozenset(Light.parse(light, field="light") for light in lights)
        if self.lights_wanted is not None:
            wanted &= self.lights_wanted
        query = self.on(on) if on is not None else self
        return attrs.evolve(query, lights_wanted=wanted, rule=rule or self.rule, measured=True)

    # --- measured fields ------------------------------------------------------------------
    def where(self, **lookups: object) -> Self:
        query = super().where(**lookups)
        if any(_measured(self._field_name(k)) for k in lookups):
            query = attrs.evolve(query, measured=True)
        return query

    def order_by(self, *names: str) -> Self:
        query = super().order_by(*names)
        if any(n.removeprefix("-") in MEASURED for n in names):
            query = attrs.evolve(query, measured=True)
        return query

    # --- execution --------------------------------------------------------------------------
    def resolved(self) -> Self:
        """This query with its day, light rule and policy fixed (reads the ledger)."""
        day = self.day or default_day(self.reader)
        rule = self.rule or (
            light_rule(self.reader, day) if self.lights_wanted is not None else None
        )
        policy = self.policy or (self.reader.policy(on=day) if self.eligible_only else None)
        return attrs.evolve(self, day=day, rule=rule, policy=policy)

    def _source(self) -> Fragment:
        if self.table is not None:
            return Fragment(f"SELECT * FROM temp.{self.table}")
        if self.measured:
            assert self.day is not None
            return measured_projects(self.reader, self.day)
        return Fragment.relation(*self.reader.relation("projects"))

    def _extra_conditions(self) -> tuple[Fragment, ...]:
        extra = []
        if self.eligible_only:
            assert self.policy is not None
            extra.append(eligibility_condition(self.policy, self.rates))
        if self.lights_wanted is not None:
            assert self.rule is not None
            extra.append(light_condition(self.rule, self.lights_wanted))
        return tuple(extra)

    def _select(self) -> Select:
        return BaseQuery._select(self.resolved())

    def _record(self, row: Mapping[str, Any]) -> Project:
        return project_from_row(row)

    def _plain(self, row: Mapping[str, Any]) -> dict[str, Any]:
        plain = super()._plain(row)
        currency, plan = row["currency"], row["year_plan_fen"]
        plain["year_to_date"] = Money.from_fen(row["ytd_fen"], currency)
        plain["cumulative"] = Money.from_fen(row["cum_fen"], currency)
        plain["completion_rate"] = Decimal(row["ytd_fen"]) / Decimal(plan) if plan else None
        return plain

    def rows(self) -> Iterator[dict[str, Any]]:
        """Plain dicts of the project's fields plus ``year_to_date``, ``cumulative`` and
        ``completion_rate`` (None without a plan for the year) on the query's day."""
        return BaseQuery.rows(attrs.evolve(self, measured=True))

    def lights(
        self, on: date | None = None, rule: LightRule | None = None
    ) -> Iterator[LightVerdict]:
        """The light of every matching project that gets one, with the numbers and reason."""
        query = self.light(*Light, on=on, rule=rule).resolved()
        assert query.day is not None and query.rule is not None
        select = attrs.evolve(BaseQuery._select(query), columns=Fragment(_VERDICT_COLUMNS))
        judge = judging(query.rule, query.day)
        for code, name, ytd_fen, plan_fen, currency in execute_tuples(
            query.reader, select.fragment()
        ):
            yield judge(code, name, ytd_fen, plan_fen, currency)

    def month_figures(self, period: Period | str) -> Iterator[ProjectMonth]:
        """Every matching project by code with ``period``'s report in force (completed
        and works done), and its year to date, completion and light on the query's day:
        the rows of a bulletin's annex, read in one statement
        (:mod:`townplan.query.month`)."""
        return month_rows(*self._month(period))

    def month_cells(self, period: Period | str) -> Iterator[MonthCells]:
        """:meth:`month_figures` as plain tuples of cells in :class:`ProjectMonth`'s
        order ("" for no unit), for a table of every project of a large portfolio.

        >>> from townplan.fixtures import sample_town_ledger
        >>> q = sample_town_ledger().query().projects().eligible().on(date(2013, 6, 30))
        >>> figures = [attrs.astuple(r, recurse=False) for r in q.month_figures("2013-06")]
        >>> [(*r[:2], r[2] or "", *r[3:]) for r in figures] == list(q.month_cells("2013-06"))
        True
        """
        return month_cells(*self._month(period))

    def _month(self, period: Period | str) -> tuple[LedgerReader, Select, LightRule, Period, bool]:
        span = Period.parse(period)
        query = attrs.evolve(self, measured=True).resolved()
        assert query.day is not None
        rule = query.rule or light_rule(query.reader, query.day)
        # a snapshot holds the figures of its day's month (see :meth:`snapshot`)
        stored = query.table is not None and span == Period.of(query.day)
        return query.reader, BaseQuery._select(query), rule, span, stored

    @contextmanager
    def snapshot(self) -> Iterator[Self]:
        """The matching projects measured once, for asking many questions of them.

        Inside the ``with`` block the query yielded reads a temporary table holding each
        matching project with its completion on the query's day and each month's
        completed investment of the year to date, so grouping it several ways (by month
        too), listing its lights, counting it and reading the day's month's figures
        (:meth:`month_cells`) read the ledger's history once. The table is dropped when
        the block ends; other months' figures are still read from the ledger.

        >>> import townplan as tp
        >>> from townplan.fixtures import load_sample_town
        >>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
        >>> q = town.query().projects().eligible().on(date(2013, 6, 30))
        >>> with q.snapshot() as s:
        ...     s.count() == q.count(), list(s.group_by("zone")) == list(q.group_by("zone"))
        (True, True)
        """
        resolved = attrs.evolve(self.resolved(), measured=True)
        assert resolved.day is not None
        # The months of the year to date are measured too, in the same pass: the monthly
        # totals and the month's figures of the day's month read them from the table. A
        # snapshot of a snapshot reads its parent's table, which holds them already and
        # only the rows the parent's filters kept.
        select = BaseQuery._select(resolved)
        if self.table is None:
            source = measured_projects(self.reader, resolved.day, months=True)
            select = attrs.evolve(select, source=source)
        if select.limit is None and not select.offset:
            select = attrs.evolve(select, order_by=())
        name = snapshots.create(self.reader, select.fragment())
        try:
            yield attrs.evolve(
                resolved, conditions=(), lights_wanted=None, eligible_only=False,
                limit_n=None, offset_n=0, table=name,
            )  # fmt: skip
        finally:
            snapshots.drop(self.reader, name)

    def group_by(self, *keys: str) -> ProjectSummary:
        """Totals per key (zone, category, stage, kind, group, responsible_unit, village,
        plan_year, town, month) and currency; no key gives one row per currency."""
        return ProjectSummary.of(self, keys)

    def summary(self) -> ProjectSummary:
        """Totals over every matching project, one row per currency."""
        return ProjectSummary.of(self, ())


def _measured(lookup: str) -> bool:
    if lookup.partition("__")[0] == "group":
        return False
    return split_lookup(PROJECT_FIELDS, lookup)[0].name in MEASURED


def eligibility_condition(policy: ThresholdPolicy, rates: tuple[ExchangeRate, ...]) -> Fragment:
    """Government ≥ minimum OR social ≥ minimum, exactly, in the policy's currency."""
    currency = policy.government_min.currency
    gov, social = policy.government_min.fen(), policy.social_min.fen()
    parts = [
        Fragment(
            "x.currency = ? AND (x.government_fen >= ? OR x.social_fen >= ?)",
            (currency, gov, social),
        )
    ]
    for rate in rates:
        if rate.quote != currency:
            raise ValidationError.single(
                record="ExchangeRate", field="quote", value=rate.quote,
                expected=f"the policy's currency {currency}",
            )  # fmt: skip
        r = Fraction(rate.rate)
        parts.append(
            Fragment(
                "x.currency = ? AND (x.government_fen * ? >= ? OR x.social_fen * ? >= ?)",
                (rate.base, r.numerator, gov * r.denominator, r.numerator, social * r.denominator),
            )
        )
    return join(" OR ", ("(" + p + ")" for p in parts))
