"""Eligibility policy (入库标准): which projects enter the major-project programme.

The default is the town's rule: government investment ≥ 1000万元 **or** social investment
≥ 2亿元, both inclusive. Thresholds differ between levels and years, so a policy has a
level and an effective period, and :func:`policy_in_force` picks the one for a date.

>>> from townplan.model.records import Project
>>> from townplan.model.enums import Category
>>> policy = ThresholdPolicy.default()
>>> v = policy.assess(Project(code="P1", name="中心大道", category=Category.INFRASTRUCTURE,
...                           government_investment=Money.parse("1000万元")))
>>> v.eligible
True
>>> v.reasons[0]
'government investment 1000万元 ≥ threshold 1000万元'
>>> v.reasons_cn[0]
'政府投资1000万元，达到1000万元的入库标准'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import ClassVar

import attrs

from townplan.errors import NotFoundError, ValidationError
from townplan.model.checks import check_money, check_text
from townplan.model.dated import ALWAYS, Dated, choose, rule_kind, since, until
from townplan.model.enums import Level
from townplan.model.money import ExchangeRate, Money
from townplan.model.records import Project

__all__ = ["ThresholdPolicy", "Verdict", "policy_in_force"]

_money = check_money()


def _to_level(value: str | Level) -> Level:
    return Level.parse(value)


@attrs.frozen
class Verdict:
    """The outcome of assessing one project under one policy, with the reasons."""

    project: str
    eligible: bool
    policy: str
    reasons: tuple[str, ...]
    reasons_cn: tuple[str, ...]


@rule_kind
@attrs.frozen
class ThresholdPolicy(Dated):
    """Government-investment OR social-investment thresholds, in force over a period."""

    kind: ClassVar[str] = "policy"

    name: str = attrs.field(validator=check_text)
    government_min: Money = attrs.field(validator=_money)
    social_min: Money = attrs.field(validator=_money)
    level: Level = attrs.field(default=Level.TOWN, converter=_to_level)
    effective_from: date = since()
    effective_to: date | None = until()

    @classmethod
    def default(cls, effective_from: date = ALWAYS) -> ThresholdPolicy:
        """Government ≥ 1000万元 or social ≥ 2亿元, inclusive, at town level."""
        return cls(
            name="三重项目入库标准",
            government_min=Money.parse("1000万元"),
            social_min=Money.parse("2亿元"),
            level=Level.TOWN,
            effective_from=effective_from,
        )

    def assess(self, project: Project, rate: ExchangeRate | None = None) -> Verdict:
        """Is ``project`` eligible? Amounts in another currency need an explicit ``rate``.

        >>> from townplan.model.enums import Category
        >>> usd = Project(code="F1", name="外资项目", category=Category.INDUSTRY,
        ...               government_investment=Money.zero("USD"),
        ...               social_investment=Money.parse("5000万美元"))
        >>> ThresholdPolicy.default().assess(usd)
        Traceback (most recent call last):
        ...
        townplan.errors.ValidationError: Project F1.government_investment: got '0.00 USD' — ...
        """
        gov = self._in_policy_currency(project, "government_investment", rate)
        social = self._in_policy_currency(project, "social_investment", rate)
        gov_ok = gov >= self.government_min
        social_ok = social >= self.social_min
        both = (
            (_reason_en("government", gov, self.government_min, gov_ok),
             _reason_cn("政府投资", gov, self.government_min, gov_ok)),
            (_reason_en("social", social, self.social_min, social_ok),
             _reason_cn("社会投资", social, self.social_min, social_ok)),
        )  # fmt: skip
        order = (0, 1) if gov_ok or not social_ok else (1, 0)
        reasons, reasons_cn = [both[i][0] for i in order], [both[i][1] for i in order]
        total = project.total_investment
        if not gov.amount and not social.amount and total.amount > 0:  # the split unknown
            reasons.insert(0, f"total investment {total.format_cn()} not split into "
                              "government and social investment")  # fmt: skip
            reasons_cn.insert(0, f"总投资{total.format_cn()}未分列政府投资和社会投资")
        return Verdict(
            project=project.code,
            eligible=gov_ok or social_ok,
            policy=self.name,
            reasons=tuple(reasons),
            reasons_cn=tuple(reasons_cn),
        )

    def _in_policy_currency(self, project: Project, field: str, rate: ExchangeRate | None) -> Money:
        money: Money = getattr(project, field)
        currency = self.government_min.currency
        if money.currency == currency:
            return money
        if rate is None or rate.base != money.currency or rate.quote != currency:
            raise ValidationError.single(
                record=f"Project {project.code}",
                field=field,
                value=str(money),
                expected=f"an amount in {currency}, or an explicit dated ExchangeRate "
                f"{money.currency}→{currency}",
            )
        return money.convert(rate)


def _reason_en(kind: str, amount: Money, threshold: Money, ok: bool) -> str:
    sign = "≥" if ok else "<"
    return f"{kind} investment {amount.format_cn()} {sign} threshold {threshold.format_cn()}"


def _reason_cn(kind: str, amount: Money, threshold: Money, ok: bool) -> str:
    verb = "达到" if ok else "未达到"
    return f"{kind}{amount.format_cn()}，{verb}{threshold.format_cn()}的入库标准"


def policy_in_force(
    policies: Iterable[ThresholdPolicy], on: date, level: Level | str | None = None
) -> ThresholdPolicy:
    """The policy in force on ``on`` (at ``level``); the latest start wins among several.

    >>> old = ThresholdPolicy.default()
    >>> new = attrs.evolve(old, name="2014标准", government_min=Money.parse("2000万"),
    ...                    effective_from=date(2014, 1, 1))
    >>> policy_in_force([old, new], date(2013, 6, 30)).name
    '三重项目入库标准'
    """
    wanted = Level.parse(level) if level is not None else None
    try:
        return choose([p for p in policies if wanted is None or p.level is wanted], on)
    except NotFoundError:
        raise NotFoundError(f"no eligibility policy in force on {on}") from None
