"""The scoring scheme of assessment and notification (考核通报), as data with an
effective period.

Default points (a town changes them by adding a scheme from a later date):

- progress: 60 × (investment completed this year ÷ annual plan), the ratio capped at 1;
- scale: +10 for a total investment of 10亿元 or more, +6 from 5亿元, +3 from 1亿元;
- type: +5 industry, +3 infrastructure, +3 livelihood, +2 urban renewal;
- start of operation (投产): +5;
- penalties: −1 per late monthly report, −2 per missing one, −2 per rapid-response
  problem not answered in time, −1 per supervision finding not rectified in time;
- a unit earns the mean of its construction projects' bonuses (``unit_bonuses="sum"``
  adds them up instead, favouring units with more projects);
- the notice commends the top 3 and names the bottom 3.

>>> s = ScoringScheme.default()
>>> s.scale_points(Money.parse("6亿元"))
Decimal('6')
>>> s.category_points(Category.INDUSTRY)
Decimal('5')
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from townplan.errors import ValidationError
from townplan.model.checks import check_decimal, check_money, check_text
from townplan.model.dated import Dated, check_period, rule_kind, since, until
from townplan.model.enums import Category
from townplan.model.money import Money

__all__ = ["CategoryPoints", "ScaleTier", "ScoringScheme"]


def _to_decimal(value: int | str | Decimal) -> Decimal:
    if isinstance(value, int | str) and not isinstance(value, bool):
        try:
            return Decimal(value)
        except ArithmeticError:
            pass
    return value  # type: ignore[return-value]  # the validator names what is wrong


def _not_negative(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    check_decimal(instance, attribute, value)
    if isinstance(value, Decimal) and value < 0:
        raise ValidationError.single(
            record=type(instance).__name__, field=attribute.name, value=value,
            expected="points of zero or more (penalties are written as positive points)",
        )  # fmt: skip


def _whole(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError.single(
            record="ScoringScheme", field=attribute.name, value=value,
            expected="a whole number of zero or more",
        )  # fmt: skip


def _mean_or_sum(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value not in ("mean", "sum"):
        raise ValidationError.single(
            record="ScoringScheme", field=attribute.name, value=value,
            expected="'mean' or 'sum' (how a unit counts its projects' bonuses)",
        )  # fmt: skip


def _category(value: str | Category) -> Category:
    return Category.parse(value)


@attrs.frozen
class ScaleTier:
    """Bonus points for a project whose total investment is at least ``minimum``."""

    minimum: Money = attrs.field(validator=check_money())
    points: Decimal = attrs.field(converter=_to_decimal, validator=_not_negative)


@attrs.frozen
class CategoryPoints:
    """Bonus points for a project of ``category``."""

    category: Category = attrs.field(converter=_category)
    points: Decimal = attrs.field(converter=_to_decimal, validator=_not_negative)


_TIERS = (
    ScaleTier(Money.parse("10亿元"), Decimal(10)),
    ScaleTier(Money.parse("5亿元"), Decimal(6)),
    ScaleTier(Money.parse("1亿元"), Decimal(3)),
)
_CATEGORIES = (
    CategoryPoints(Category.INDUSTRY, Decimal(5)),
    CategoryPoints(Category.INFRASTRUCTURE, Decimal(3)),
    CategoryPoints(Category.LIVELIHOOD, Decimal(3)),
    CategoryPoints(Category.URBAN_RENEWAL, Decimal(2)),
)


@rule_kind
@attrs.frozen
class ScoringScheme(Dated):
    """Points for progress and bonuses, deductions for penalties, and the notice sizes.

    Penalties are written as positive points and deducted.
    """

    kind: ClassVar[str] = "scoring"

    name: str = attrs.field(default="“三重”建设考核评分办法", validator=check_text)
    progress_points: Decimal = attrs.field(
        default=Decimal(60), converter=_to_decimal, validator=_not_negative
    )
    progress_cap: Decimal = attrs.field(
        default=Decimal(1), converter=_to_decimal, validator=_not_negative
    )
    scale_tiers: tuple[ScaleTier, ...] = _TIERS
    category_bonus: tuple[CategoryPoints, ...] = _CATEGORIES
    operation_points: Decimal = attrs.field(
        default=Decimal(5), converter=_to_decimal, validator=_not_negative
    )
    late_report_penalty: Decimal = attrs.field(
        default=Decimal(1), converter=_to_decimal, validator=_not_negative
    )
    missing_report_penalty: Decimal = attrs.field(
        default=Decimal(2), converter=_to_decimal, validator=_not_negative
    )
    overdue_response_penalty: Decimal = attrs.field(
        default=Decimal(2), converter=_to_decimal, validator=_not_negative
    )
    overdue_finding_penalty: Decimal = attrs.field(
        default=Decimal(1), converter=_to_decimal, validator=_not_negative
    )
    unit_bonuses: str = attrs.field(default="mean", validator=_mean_or_sum)
    commended: int = attrs.field(default=3, validator=_whole)
    named: int = attrs.field(default=3, validator=_whole)
    effective_from: date = since()
    effective_to: date | None = until()

    def __attrs_post_init__(self) -> None:
        check_period(self)
        currencies = {tier.minimum.currency for tier in self.scale_tiers}
        if len(currencies) > 1:
            raise ValidationError.single(
                record=f"ScoringScheme {self.name}", field="scale_tiers",
                value=sorted(currencies), expected="tiers in one currency",
            )  # fmt: skip

    @classmethod
    def default(cls) -> ScoringScheme:
        """The default scheme (see the module docstring)."""
        return cls()

    def scale_points(self, total_investment: Money) -> Decimal:
        """Points of the highest tier ``total_investment`` reaches (0 below every tier).

        Tiers are in one currency; an amount in another raises ValidationError (convert
        it first with a dated rate).
        """
        best = Decimal(0)
        for tier in self.scale_tiers:
            if total_investment >= tier.minimum:
                best = max(best, tier.points)
        return best

    def category_points(self, category: Category) -> Decimal:
        """Bonus points for a project of ``category``."""
        return sum((c.points for c in self.category_bonus if c.category is category), Decimal(0))
