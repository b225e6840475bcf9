"""The reference records of a portfolio: projects, zones, units, leading groups, tasks,
targets and investment attraction, plus the monthly progress report.

Every record is frozen and validated when it is made; a bad field raises
:class:`townplan.ValidationError` naming the record, the field and the value.

Each field declares what it means outside Python with ``metadata=meta(...)``
(:mod:`townplan.model.fields`): its Chinese label, unit, sheet headers, ledger column.
The ledger's rows, the query fields, sheet import and export, JSON, Datasette and
OC4IDS are derived from these declarations, so a new field is its declaration here
plus the migration that adds its column (``townplan/ledger/schema.py``)::

    permit_no: str | None = attrs.field(
        default=None, validator=check_optional_text,
        metadata=meta(label_cn="施工许可证号", label_en="building permit number",
                      headers=("施工许可证编号",)),
    )

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

from townplan.deprecation import deprecated
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
from townplan.model.fields import meta
from townplan.model.money import Money
from townplan.model.period import Deadline, Period, PeriodKind

__all__ = [
    "AnnualTarget",
    "Attraction",
    "Baseline",
    "Indicator",
    "LeadingGroup",
    "Measure",
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
    ``annual_plan`` is the annual planned investment (年度计划投资) for ``plan_year``,
    ``annual_goal`` the work to be done in that year (年度工作目标).
    """

    code: str = attrs.field(
        validator=check_code,
        metadata=meta(label_cn="项目编号", label_en="project code", headers=("项目代码", "编号")),
    )
    name: str = attrs.field(
        validator=check_text, metadata=meta(label_cn="项目名称", label_en="project name")
    )
    category: Category = attrs.field(
        validator=_enum(Category),
        metadata=meta(label_cn="项目类别", label_en="category", headers=("项目类型",), group=True),
    )
    stage: Stage = attrs.field(
        default=Stage.PREPARATION,
        validator=_enum(Stage),
        metadata=meta(label_cn="建设阶段", label_en="stage", group=True),
    )
    kind: ProjectKind = attrs.field(
        default=ProjectKind.CONSTRUCTION,
        validator=_enum(ProjectKind),
        metadata=meta(label_cn="项目性质", label_en="kind", group=True),
    )
    government_investment: Money = attrs.field(
        factory=Money.zero,
        validator=_money,
        metadata=meta(
            label_cn="政府投资", label_en="government investment", column="government_fen"
        ),
    )
    social_investment: Money = attrs.field(
        validator=_money,
        metadata=meta(label_cn="社会投资", label_en="social investment", column="social_fen"),
    )
    total_investment: Money = attrs.field(
        validator=_money,
        metadata=meta(
            label_cn="总投资",
            label_en="total investment",
            headers=("计划总投资",),
            column="total_fen",
        ),
    )
    annual_plan: Money = attrs.field(
        validator=_money,
        metadata=meta(
            label_cn="年度计划投资",
            label_en="annual planned investment",
            headers=("本年计划投资", "计划投资"),
            column="plan_fen",
        ),
    )
    plan_year: int | None = attrs.field(
        default=None,
        validator=check_year,
        metadata=meta(
            label_cn="计划年度",
            label_en="year of the annual plan",
            unit="年",
            headers=("计划年份",),
            group=True,
        ),
    )
    zone: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(
            label_cn="所属板块",
            label_en="planning zone",
            sheet="所属板块/片区",
            headers=("所属片区", "所属板块/片区", "板块/片区", "片区", "板块"),
            group=True,
        ),
    )
    village: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(
            label_cn="所属村（社区）",
            label_en="village or community",
            headers=("所属村", "村(社区)"),
            group=True,
        ),
    )
    responsible_unit: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(
            label_cn="责任单位",
            label_en="responsible unit",
            headers=("责任部门", "牵头单位", "项目责任单位"),
            group=True,
        ),
    )
    leader: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(
            label_cn="挂点领导",
            label_en="leader in charge",
            headers=("挂钩领导", "包联领导", "包保领导", "联系领导", "责任领导", "责任人"),
            group=True,
        ),
    )
    content: str = attrs.field(
        default="",
        validator=check_optional_text,
        metadata=meta(
            label_cn="建设内容",
            label_en="scope of works",
            headers=("主要建设内容", "建设规模及内容", "建设内容及规模", "主要建设内容及规模"),
        ),
    )
    start_year: int | None = attrs.field(
        default=None,
        validator=check_year,
        metadata=meta(
            label_cn="开工年份",
            label_en="start year",
            unit="年",
            sheet="起止年限",
            oc4ids="period.startDate",
        ),
    )
    end_year: int | None = attrs.field(
        default=None,
        validator=check_year,
        metadata=meta(
            label_cn="竣工年份",
            label_en="completion year",
            unit="年",
            sheet="起止年限",
            oc4ids="period.endDate",
        ),
    )
    town: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(
            label_cn="所属镇",
            label_en="town (set in a city rollup)",
            headers=("所属镇街",),
            group=True,
        ),
    )
    planned_start: date | None = attrs.field(
        default=None,
        validator=check_date,
        metadata=meta(
            label_cn="计划开工时间",
            label_en="planned start",
            headers=("计划开工日期",),
            oc4ids="period.startDate",
        ),
    )
    planned_finish: date | None = attrs.field(
        default=None,
        validator=check_date,
        metadata=meta(
            label_cn="计划竣工时间",
            label_en="planned completion",
            headers=("计划竣工日期", "计划完工时间"),
            oc4ids="period.endDate",
        ),
    )
    annual_goal: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(
            label_cn="年度工作目标",
            label_en="the year's work target (of the plan year)",
            headers=("年度建设目标", "年度目标任务", "年度形象进度目标"),
        ),
    )

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
        start, finish = self.planned_start, self.planned_finish
        if start is not None and finish is not None and finish < start:
            raise ValidationError.single(
                record=record_name(self), field="planned_finish", value=finish,
                expected=f"a day not before planned_start {start}",
            )  # fmt: skip
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

    code: str = attrs.field(validator=check_code, metadata=meta(label_cn="编号", label_en="code"))
    name: str = attrs.field(validator=check_text, metadata=meta(label_cn="名称", label_en="name"))
    kind: GroupKind = attrs.field(
        default=GroupKind.GROUP,
        validator=_enum(GroupKind),
        metadata=meta(label_cn="类型", label_en="kind"),
    )
    leader: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(label_cn="组长", label_en="leader"),
    )
    deputies: tuple[str, ...] = attrs.field(
        default=(),
        validator=_strings,
        metadata=meta(label_cn="副组长", label_en="deputies (JSON list)"),
    )
    member_units: tuple[str, ...] = attrs.field(
        default=(),
        validator=_strings,
        metadata=meta(label_cn="成员单位", label_en="member units", stored=False),
    )
    office_host: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(label_cn="办公室设在", label_en="unit hosting the office"),
    )
    mandate: str = attrs.field(
        default="",
        validator=check_optional_text,
        metadata=meta(label_cn="职责", label_en="mandate"),
    )
    established: date | None = attrs.field(
        default=None,
        validator=check_date,
        metadata=meta(label_cn="成立日期", label_en="established on"),
    )


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
class Task:
    """A dated task (任务) of a leading group, with measurable targets (its former name,
    ``Milestone``, still works for one release and warns)."""

    code: str = attrs.field(
        validator=check_code, metadata=meta(label_cn="任务编号", label_en="task code")
    )
    group: str = attrs.field(
        validator=check_code,
        metadata=meta(label_cn="领导小组编号", label_en="group", column="group_code"),
    )
    text: str = attrs.field(
        validator=check_text, metadata=meta(label_cn="任务内容", label_en="task")
    )
    deadline: Deadline = attrs.field(
        validator=_deadline, metadata=meta(label_cn="完成时限", label_en="deadline")
    )
    targets: tuple[Measure, ...] = attrs.field(
        default=(),
        validator=_measures,
        metadata=meta(
            label_cn="目标", label_en="measurable targets (JSON: value, unit, direction)"
        ),
    )


def __getattr__(name: str) -> Any:
    # ``Milestone`` was the former name of :class:`Task`; kept for one release.
    if name == "Milestone":
        deprecated("townplan.Milestone", "townplan.Task", depth=1)
        return Task
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def _optional_decimal(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_decimal(instance, attribute, value)


def _optional_enum(
    kind: type[LabelledEnum],
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    check = _enum(kind)

    def optional(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is not None:
            check(instance, attribute, value)

    return optional


def _optional_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_code(instance, attribute, value)


@attrs.frozen
class Baseline:
    """An indicator's baseline (基数): its value in ``year``, in ``unit`` (which may differ
    from the indicator's: the base of "生产总值增长15%" is 107.7亿元), with a comment."""

    year: int
    value: Decimal
    unit: str
    comment: str = ""

    def text_cn(self) -> str:
        """``"107.7亿元（2012年）"`` — the baseline as an official writes it."""
        note = f"，{self.comment}" if self.comment else ""
        return f"{self.value}{self.unit}（{self.year}年{note}）"


@attrs.frozen(kw_only=True)
class Indicator:
    """An indicator (指标), the way IATI results carry one: a unit, a direction, a baseline
    (year, value), a target for ``year`` (``base_year``..``year`` for a multi-year one) and
    dated observations (entries of kind ``target_actual``).

    An expected target (预期目标) is an indicator with a ``value`` to reach
    (:data:`AnnualTarget` is its other name); a statistic the report only states (生产总值
    107.7亿元 in the review year) is one without, observed once; a measure of a task (11项,
    32公里) names its ``task``. ``aspirational`` marks "力争" targets.

    >>> k = Indicator(code="K01", indicator="生产总值增长", year=2013, unit="%",
    ...               direction=Direction.AT_LEAST, value=Decimal(15),
    ...               baseline_year=2012, baseline_value=Decimal("107.7"), baseline_unit="亿元")
    >>> k.baseline.text_cn(), k.met_by(Decimal("14.2"))
    ('107.7亿元（2012年）', False)
    >>> Indicator(code="R01", indicator="生产总值", year=2012, unit="亿元").has_target
    False
    """

    code: str = attrs.field(validator=check_code, metadata=meta(label_cn="编号", label_en="code"))
    indicator: str = attrs.field(
        validator=check_text, metadata=meta(label_cn="指标", label_en="indicator")
    )
    year: int = attrs.field(validator=check_year, metadata=meta(label_cn="年度", label_en="year"))
    direction: Direction | None = attrs.field(
        default=None,
        validator=_optional_enum(Direction),
        metadata=meta(label_cn="方向", label_en="direction (none for a statistic)"),
    )
    value: Decimal | None = attrs.field(
        default=None,
        validator=_optional_decimal,
        metadata=meta(label_cn="目标值", label_en="target value (decimal text; none: no target)"),
    )
    unit: str = attrs.field(validator=check_text, metadata=meta(label_cn="单位", label_en="unit"))
    indicator_en: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(label_cn="", label_en="indicator in English"),
    )
    base_year: int | None = attrs.field(
        default=None,
        validator=check_year,
        metadata=meta(label_cn="基期年", label_en="base year (multi-year targets)"),
    )
    baseline_year: int | None = attrs.field(
        default=None,
        validator=check_year,
        metadata=meta(label_cn="基数年份", label_en="baseline year"),
    )
    baseline_value: Decimal | None = attrs.field(
        default=None,
        validator=_optional_decimal,
        metadata=meta(label_cn="基数", label_en="baseline value (decimal text)"),
    )
    baseline_unit: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(label_cn="基数单位", label_en="baseline unit (default: the unit)"),
    )
    baseline_comment: str | None = attrs.field(
        default=None,
        validator=check_optional_text,
        metadata=meta(label_cn="基数说明", label_en="baseline comment"),
    )
    task: str | None = attrs.field(
        default=None,
        validator=_optional_code,
        metadata=meta(label_cn="任务编号", label_en="task it measures"),
    )
    aspirational: bool = attrs.field(
        default=False,
        validator=attrs.validators.instance_of(bool),
        metadata=meta(label_cn="力争", label_en="aspirational (力争)"),
    )

    def __attrs_post_init__(self) -> None:
        if self.value is not None and self.direction is None:
            raise ValidationError.single(
                record=record_name(self), field="direction", value=None,
                expected="a Direction for a target value (at least / at most)",
            )  # fmt: skip
        if (self.baseline_year is None) != (self.baseline_value is None):
            raise ValidationError.single(
                record=record_name(self), field="baseline_value", value=self.baseline_value,
                expected="a baseline year and value together, or neither",
            )  # fmt: skip

    @property
    def has_target(self) -> bool:
        """Whether there is a value to reach (a statistic has none)."""
        return self.value is not None

    @property
    def baseline(self) -> Baseline | None:
        """The baseline, when there is one."""
        if self.baseline_year is None or self.baseline_value is None:
            return None
        return Baseline(self.baseline_year, self.baseline_value,
                        self.baseline_unit or self.unit, self.baseline_comment or "")  # fmt: skip

    def met_by(self, actual: Decimal) -> bool:
        """True when ``actual`` meets the target in its direction (False without a target)."""
        if self.value is None or self.direction is None:
            return False
        return Measure(self.value, self.unit, self.direction).met_by(actual)


#: An expected target (预期目标) is an :class:`Indicator` with a value to reach.
AnnualTarget = Indicator


@attrs.frozen
class Attraction:
    """An investment-attraction figure (招商引资): contracted or utilised, foreign or domestic."""

    code: str = attrs.field(validator=check_code, metadata=meta(label_cn="编号", label_en="code"))
    kind: str = attrs.field(
        validator=check_choice("contracted", "utilised"),
        metadata=meta(label_cn="合同/实际", label_en="contracted or utilised"),
    )
    origin: str = attrs.field(
        validator=check_choice("foreign", "domestic"),
        metadata=meta(label_cn="外资/内资", label_en="foreign or domestic"),
    )
    amount: Money = attrs.field(
        validator=_money, metadata=meta(label_cn="金额", label_en="amount", column="amount_fen")
    )
    year: int = attrs.field(validator=check_year, metadata=meta(label_cn="年度", label_en="year"))


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

    project: str = attrs.field(
        validator=check_code,
        metadata=meta(label_cn="项目编号", label_en="project code", headers=("项目代码", "编号")),
    )
    period: Period = attrs.field(
        converter=_to_period,
        validator=_month,
        metadata=meta(label_cn="月份", label_en="month reported (YYYY-MM)", headers=("报送月份",)),
    )
    completed: Money = attrs.field(
        validator=_signed_money,
        metadata=meta(
            label_cn="本月完成投资",
            label_en="investment completed in the month",
            headers=("本月完成", "本月实际完成投资", "本月实际完成"),
            column="completed_fen",
        ),
    )
    cumulative: Money | None = attrs.field(
        default=None,
        validator=_money,
        metadata=meta(
            label_cn="累计完成投资",
            label_en="cumulative investment completed",
            headers=("累计完成", "自开始累计完成投资", "自开始累积完成投资"),
            column="cumulative_fen",
        ),
    )
    note: str = attrs.field(
        default="",
        validator=check_optional_text,
        metadata=meta(
            label_cn="形象进度",
            label_en="physical progress note",
            headers=("工程形象进度", "本月形象进度"),
        ),
    )
    reported_on: date | None = attrs.field(
        default=None,
        validator=check_date,
        metadata=meta(label_cn="报送日期", label_en="day the report arrived"),
    )
    corrects: int | None = attrs.field(
        default=None,
        metadata=meta(
            label_cn="更正",
            label_en="the id of the report this entry corrects (empty for an original)",
            sheets=False,
        ),
    )
    id: int | None = attrs.field(
        default=None,
        metadata=meta(label_cn="报告序号", label_en="entry id", stored=False, sheets=False),
    )
