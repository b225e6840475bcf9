"""The reference records of a portfolio: projects, zones, units, leading groups, tasks,
targets and investment attraction, plus the monthly progress report.

Every record is frozen and validated when it is made; a bad field raises
:class:`townplan.ValidationError` naming the record, the field and the value.

>>> p = Project(
...     code="P001", name="中心大道二期", category=Category.INFRASTRUCTURE,
...     government_investment=Money.parse("1.2亿"),
... )
>>> p.total_investment.format_cn()
'1.2亿元'
>>> Project(code="P 1", name="x", category=Category.INDUSTRY)
Traceback (most recent call last):
...
townplan.errors.ValidationError: Project.code: got 'P 1' — expected a code ...
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

import attrs

from townplan.errors import ValidationError
from townplan.model.checks import (
    check_choice,
    check_code,
    check_date,
    check_decimal,
    check_money,
    check_optional_text,
    check_text,
    check_year,
    record_name,
)
from townplan.model.enums import Category, Direction, GroupKind, LabelledEnum, ProjectKind, Stage
from townplan.model.money import Money
from townplan.model.period import Deadline, Period, PeriodKind

__all__ = [
    "AnnualTarget",
    "Attraction",
    "LeadingGroup",
    "Measure",
    "Milestone",
    "ProgressReport",
    "Project",
    "Task",
    "Unit",
    "Zone",
]

_money = check_money()
_signed_money = check_money(negative=True)


def _enum(
    kind: type[LabelledEnum],
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            choices = ", ".join(f"{kind.__name__}.{m.name} ({m.label_cn})" for m in kind)
            raise ValidationError.single(
                record=record_name(instance),
                field=attribute.name,
                value=value,
                expected=f"one of {choices}",
            )

    return check


def _strings(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError.single(
            record=record_name(instance),
            field=attribute.name,
            value=value,
            expected="a tuple of non-empty names",
        )
    for item in value:
        check_optional_text(instance, attribute, item)


@attrs.frozen
class Zone:
    """A planning zone (板块/片区), keyed by its name."""

    name: str = attrs.field(validator=check_text)
    name_en: str | None = attrs.field(default=None, validator=check_optional_text)


@attrs.frozen
class Unit:
    """A responsible unit (责任单位): a department or office, keyed by its name."""

    name: str = attrs.field(validator=check_text)
    name_en: str | None = attrs.field(default=None, validator=check_optional_text)


@attrs.frozen
class Project:
    """A project in the register (项目库).

    ``total_investment`` (总投资) defaults to government + social investment.
    ``annual_plan`` is the annual planned investment (年度计划投资) for ``plan_year``.
    """

    code: str = attrs.field(validator=check_code)
    name: str = attrs.field(validator=check_text)
    category: Category = attrs.field(validator=_enum(Category))
    stage: Stage = attrs.field(default=Stage.PREPARATION, validator=_enum(Stage))
    kind: ProjectKind = attrs.field(default=ProjectKind.CONSTRUCTION, validator=_enum(ProjectKind))
    government_investment: Money = attrs.field(factory=Money.zero, validator=_money)
    social_investment: Money = attrs.field(validator=_money)
    total_investment: Money = attrs.field(validator=_money)
    annual_plan: Money = attrs.field(validator=_money)
    plan_year: int | None = attrs.field(default=None, validator=check_year)
    zone: str | None = attrs.field(default=None, validator=check_optional_text)
    village: str | None = attrs.field(default=None, validator=check_optional_text)
    responsible_unit: str | None = attrs.field(default=None, validator=check_optional_text)
    leader: str | None = attrs.field(default=None, validator=check_optional_text)
    content: str = attrs.field(default="", validator=check_optional_text)
    start_year: int | None = attrs.field(default=None, validator=check_year)
    end_year: int | None = attrs.field(default=None, validator=check_year)
    town: str | None = attrs.field(default=None, validator=check_optional_text)

    @social_investment.default
    def _social_default(self) -> Money:
        gov = self.government_investment
        return Money.zero(gov.currency if isinstance(gov, Money) else "CNY")

    @total_investment.default
    def _total_default(self) -> Money:
        gov, social = self.government_investment, self.social_investment
        if not isinstance(gov, Money) or not isinstance(social, Money):
            return Money.zero()  # the field validators name the bad field
        if self.government_investment.currency != self.social_investment.currency:
            return self.government_investment  # the currency check below names the field
        return self.government_investment + self.social_investment

    @annual_plan.default
    def _plan_default(self) -> Money:
        total = self.total_investment
        return Money.zero(total.currency if isinstance(total, Money) else "CNY")

    def __attrs_post_init__(self) -> None:
        currency = self.government_investment.currency
        for name in ("social_investment", "total_investment", "annual_plan"):
            money: Money = getattr(self, name)
            if money.currency != currency:
                raise ValidationError.single(
                    record=record_name(self),
                    field=name,
                    value=str(money),
                    expected=f"the project's currency {currency}",
                )
        if self.start_year and self.end_year and self.end_year < self.start_year:
            raise ValidationError.single(
                record=record_name(self),
                field="end_year",
                value=self.end_year,
                expected=f"a year not before start_year {self.start_year}",
            )

    @property
    def currency(self) -> str:
        """The currency every amount of this project is in."""
        return self.government_investment.currency


@attrs.frozen
class Measure:
    """A measurable target: ``11 项``, ``32 公里``, ``1000 个岗位``, ``60 %``."""

    value: Decimal = attrs.field(validator=check_decimal)
    unit: str = attrs.field(validator=check_text)
    direction: Direction = attrs.field(default=Direction.AT_LEAST, validator=_enum(Direction))

    def met_by(self, actual: Decimal) -> bool:
        """True when ``actual`` meets the target in its direction."""
        return (
            actual >= self.value if self.direction is Direction.AT_LEAST else actual <= self.value
        )


@attrs.frozen
class LeadingGroup:
    """A leading group (领导小组) or the command HQ (指挥部)."""

    code: str = attrs.field(validator=check_code)
    name: str = attrs.field(validator=check_text)
    kind: GroupKind = attrs.field(default=GroupKind.GROUP, validator=_enum(GroupKind))
    leader: str | None = attrs.field(default=None, validator=check_optional_text)
    deputies: tuple[str, ...] = attrs.field(default=(), validator=_strings)
    member_units: tuple[str, ...] = attrs.field(default=(), validator=_strings)
    office_host: str | None = attrs.field(default=None, validator=check_optional_text)
    mandate: str = attrs.field(default="", validator=check_optional_text)
    established: date | None = attrs.field(default=None, validator=check_date)


def _measures(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, Measure) for v in value):
        raise ValidationError.single(
            record=record_name(instance),
            field=attribute.name,
            value=value,
            expected="a tuple of Measure",
        )


def _deadline(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Deadline):
        raise ValidationError.single(
            record=record_name(instance),
            field=attribute.name,
            value=value,
            expected="a Deadline, e.g. Deadline.parse('6月底前', year=2013)",
        )


@attrs.frozen
class Milestone:
    """A dated task (任务) of a leading group, with measurable targets."""

    code: str = attrs.field(validator=check_code)
    group: str = attrs.field(validator=check_code)
    text: str = attrs.field(validator=check_text)
    deadline: Deadline = attrs.field(validator=_deadline)
    targets: tuple[Measure, ...] = attrs.field(default=(), validator=_measures)


#: Milestones are called tasks in the reports; both names work.
Task = Milestone


@attrs.frozen
class AnnualTarget:
    """An expected target (预期目标) for a year, or for ``base_year``..``year``."""

    code: str = attrs.field(validator=check_code)
    indicator: str = attrs.field(validator=check_text)
    year: int = attrs.field(validator=check_year)
    direction: Direction = attrs.field(validator=_enum(Direction))
    value: Decimal = attrs.field(validator=check_decimal)
    unit: str = attrs.field(validator=check_text)
    indicator_en: str | None = attrs.field(default=None, validator=check_optional_text)
    base_year: int | None = attrs.field(default=None, validator=check_year)

    def met_by(self, actual: Decimal) -> bool:
        """True when ``actual`` meets the target in its direction."""
        return Measure(self.value, self.unit, self.direction).met_by(actual)


@attrs.frozen
class Attraction:
    """An investment-attraction figure (招商引资): contracted or utilised, foreign or domestic."""

    code: str = attrs.field(validator=check_code)
    kind: str = attrs.field(validator=check_choice("contracted", "utilised"))
    origin: str = attrs.field(validator=check_choice("foreign", "domestic"))
    amount: Money = attrs.field(validator=_money)
    year: int = attrs.field(validator=check_year)


def _to_period(value: str | Period) -> Period:
    return Period.parse(value)


def _month(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Period) or value.kind is not PeriodKind.MONTH:
        raise ValidationError.single(
            record=record_name(instance),
            field=attribute.name,
            value=value,
            expected="a month Period, e.g. Period.parse('2013-06')",
        )


@attrs.frozen
class ProgressReport:
    """A monthly progress report (月度调度) for one project.

    ``completed`` is the investment completed in the month (may be negative only in a
    correction); ``cumulative`` the total completed since the project began, when the
    office reports it. ``reported_on`` is the day the report was submitted. ``id`` and
    ``corrects`` are set by the ledger.
    """

    project: str = attrs.field(validator=check_code)
    period: Period = attrs.field(converter=_to_period, validator=_month)
    completed: Money = attrs.field(validator=_signed_money)
    cumulative: Money | None = attrs.field(default=None, validator=_money)
    note: str = attrs.field(default="", validator=check_optional_text)
    reported_on: date | None = attrs.field(default=None, validator=check_date)
    corrects: int | None = None
    id: int | None = None
