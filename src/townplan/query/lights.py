"""Red/amber/green status (红黄绿灯) against the time-proportional schedule (序时进度).

By the end of month *m* a project is expected to have completed m/12 of its annual plan.
Its completion rate (完成率) is the year-to-date completed investment ÷ the annual plan for
that year; it is ``points_behind = (m/12 − rate) × 100`` percentage points behind. The
default rule lights amber from 10 points behind up to 30 (both inclusive) and red beyond
30. Reserve projects (重大预备项目) and projects without a plan for the year get no light.

A rule is data with an effective period, kept with the ledger's other dated rules: a town
that changes it adds one (``ledger.add_rule(LightRule(...))``), and the rule in force on a
day (as known at the cut) is used.

>>> rule = LightRule.default()
>>> rule.judge(Fraction(15))
<Light.AMBER: 'amber'>
>>> v = verdict(rule, "P02", "东环路改造", ytd_fen=700_000_000, plan_fen=2_000_000_000,
...             currency="CNY", on=date(2013, 6, 30))
>>> v.light, v.points_behind
(<Light.AMBER: 'amber'>, Decimal('15.00'))
>>> print(v.reason_cn)
截至2013年6月完成年度计划2000万元中的700万元（35.0%），序时进度50.0%，落后15.0个百分点：黄灯（...）
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache
from typing import Any, ClassVar

import attrs

from townplan.errors import ValidationError
from townplan.model.checks import check_text
from townplan.model.dated import Dated, check_period, choose, rule_kind, since, until
from townplan.model.enums import Light
from townplan.model.money import Money, prose_cn

__all__ = ["LightRule", "LightVerdict", "judging", "rule_in_force", "verdict"]


def _points(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Decimal) or not value.is_finite() or value < 0:
        raise ValidationError.single(
            record="LightRule", field=attribute.name, value=value,
            expected="a Decimal number of percentage points ≥ 0",
        )  # fmt: skip


@rule_kind
@attrs.frozen
class LightRule(Dated):
    """When a project lights amber or red, in points behind the time-proportional schedule."""

    kind: ClassVar[str] = "light"

    name: str = attrs.field(default="序时进度", validator=check_text)
    amber_from: Decimal = attrs.field(default=Decimal(10), validator=_points)
    red_above: Decimal = attrs.field(default=Decimal(30), validator=_points)
    effective_from: date = since()
    effective_to: date | None = until()

    def __attrs_post_init__(self) -> None:
        check_period(self)
        if self.red_above < self.amber_from:
            raise ValidationError.single(
                record="LightRule", field="red_above", value=self.red_above,
                expected=f"at least amber_from ({self.amber_from})",
            )  # fmt: skip

    @classmethod
    def default(cls) -> LightRule:
        """Amber 10–30 points behind, red more than 30 behind.

        >>> LightRule.default().red_above
        Decimal('30')
        """
        return cls()

    def judge(self, points_behind: Fraction) -> Light:
        """The light for a project ``points_behind`` the schedule (exact)."""
        if points_behind > Fraction(self.red_above):
            return Light.RED
        if points_behind >= Fraction(self.amber_from):
            return Light.AMBER
        return Light.GREEN

    def describe(self) -> tuple[str, str]:
        """The rule in words (English, Chinese)."""
        return (
            f"amber from {self.amber_from} points behind, red above {self.red_above}",
            f"落后{self.amber_from}个百分点起黄灯，超过{self.red_above}个百分点红灯",
        )


def rule_in_force(rules: Iterable[LightRule], on: date) -> LightRule:
    """The rule in force on ``on`` (the latest start wins; the default if none).

    >>> strict = LightRule(name="严格", amber_from=Decimal(5), effective_from=date(2013, 7, 1))
    >>> rule_in_force([strict], date(2013, 6, 30)).name
    '序时进度'
    """
    return choose(rules, on, LightRule.default())


@attrs.frozen
class LightVerdict:
    """One project's light on a day, with the numbers and the reason.

    The reasons are worded when read (a light list over a large portfolio judges many
    projects and a report usually shows one language)."""

    project: str
    name: str
    light: Light
    on: date
    completion_rate: Decimal
    expected: Decimal
    points_behind: Decimal
    #: Completed this year to the day, in fen of the plan's currency, as the ledger keeps
    #: it (:attr:`year_to_date` is the amount): a light list judges many projects and
    #: words each amount once, from the integer.
    year_to_date_fen: int
    planned: Money
    rule: str
    #: The rule's thresholds in words (English, Chinese), as :meth:`LightRule.describe`.
    rule_words: tuple[str, str] = attrs.field(default=("", ""), repr=False)

    @property
    def year_to_date(self) -> Money:
        """Completed this year to the day."""
        return Money.from_fen(self.year_to_date_fen, self.planned.currency)

    @property
    def reason(self) -> str:
        """Why the project has its light, in English."""
        done, plan, rate, expected, gap = self._figures()
        side = f"{gap} points behind" if self.points_behind >= 0 else f"{gap} points ahead"
        return (
            f"completed {done} of the {self.on.year} plan {plan} by {self.on:%Y-%m} "
            f"({rate}%), schedule {expected}%: {side}: {self.light.value} "
            f"({self.rule_words[0]})"
        )

    @property
    def reason_cn(self) -> str:
        """Why the project has its light, in Chinese (as a bulletin words it)."""
        done, plan, rate, expected, gap = self._figures()
        side = f"落后{gap}个百分点" if self.points_behind >= 0 else f"超前{gap}个百分点"
        return (
            f"截至{self.on.year}年{self.on.month}月完成年度计划{plan}中的{done}（{rate}%），"
            f"序时进度{expected}%，{side}：{self.light.label_cn}（{self.rule_words[1]}）"
        )

    def _figures(self) -> tuple[str, str, str, str, str]:
        """Completed, plan, rate %, schedule % and points behind (or ahead), as written."""
        # A portfolio's plans and a month's schedule repeat: each is worded once.
        return (
            prose_cn(self.year_to_date_fen, self.planned.currency),
            _repeated_amount(self.planned),
            _pct(self.completion_rate * 100), _schedule(self.expected),
            _pct(abs(self.points_behind)),
        )  # fmt: skip


def _amount(value: Money) -> str:
    """An amount as a reason writes it: two decimals of its unit at most, no trailing
    zeros ("1.16亿元", "461.92万元", "4000万元").

    >>> _amount(Money.parse("1.164021亿"))
    '1.16亿元'
    """
    return value.format_cn(places=2, trim=True)


_repeated_amount = lru_cache(maxsize=4096)(_amount)


@lru_cache(maxsize=64)
def _schedule(expected: Decimal) -> str:
    return _pct(expected * 100)


def verdict(
    rule: LightRule, code: str, name: str, *, ytd_fen: int, plan_fen: int, currency: str, on: date
) -> LightVerdict:
    """Judge one project with a plan for ``on.year`` (``plan_fen`` > 0)."""
    return judging(rule, on)(code, name, ytd_fen, plan_fen, currency)


def judging(rule: LightRule, on: date) -> Callable[[str, str, int, int, str], LightVerdict]:
    """:func:`verdict` for many projects under one rule on one day: ``judge(code, name,
    ytd_fen, plan_fen, currency)``, with the rule's thresholds and words looked up once.

    >>> judge = judging(LightRule.default(), date(2013, 6, 30))
    >>> judge("P02", "东环路改造", 700_000_000, 2_000_000_000, "CNY").light
    <Light.AMBER: 'amber'>
    """
    red, amber = Fraction(rule.red_above), Fraction(rule.amber_from)
    red_num, red_den, amber_num, amber_den = (
        red.numerator, red.denominator, amber.numerator, amber.denominator
    )  # fmt: skip
    words, month, name_of_rule = _described(rule), on.month, rule.name
    expected = Decimal(month) / Decimal(12)
    # A portfolio's plans repeat (round amounts): each is made into Money (and into the
    # Decimal the rate divides by) once.
    plans: dict[tuple[int, str], tuple[Money, Decimal]] = {}

    def judge(code: str, name: str, ytd_fen: int, plan_fen: int, currency: str) -> LightVerdict:
        # Exact, in integers: points behind = (100·m·plan − 1200·ytd) / (12·plan).
        numerator, denominator = 100 * month * plan_fen - 1200 * ytd_fen, 12 * plan_fen
        if numerator * red_den > red_num * denominator:
            light = Light.RED
        elif numerator * amber_den >= amber_num * denominator:
            light = Light.AMBER
        else:
            light = Light.GREEN
        plan = plans.get((plan_fen, currency))
        if plan is None:
            plan = plans[plan_fen, currency] = (
                Money.from_fen(plan_fen, currency),
                Decimal(plan_fen),
            )
        planned, divisor = plan
        rate = Decimal(ytd_fen) / divisor
        return LightVerdict(
            code, name, light, on, rate, expected, (expected - rate) * 100, ytd_fen,
            planned, name_of_rule, words,
        )  # fmt: skip

    return judge


def _described(rule: LightRule) -> tuple[str, str]:
    # Cached by the thresholds as written: LightRule(amber_from=Decimal("10.0")) equals
    # the rule with Decimal("10") but says "10.0".
    return _description(str(rule.amber_from), str(rule.red_above), rule)


@lru_cache(maxsize=64)
def _description(amber: str, red: str, rule: LightRule) -> tuple[str, str]:
    return rule.describe()


_TENTH = Decimal("0.1")


def _pct(value: Decimal) -> str:
    # str() and a positional rounding: half the cost of an f-string and a keyword, and a
    # light list words two per project.
    return str(value.quantize(_TENTH, ROUND_HALF_UP))
