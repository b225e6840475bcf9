"""What the town achieved beyond its projects' progress: its standing in the city's
assessments, the projects registered in the fixed-asset investment statistics (入统), and
the investment-attraction pipeline (招商引资).

- A :class:`Standing` is a rank the town got from a ranking body (全市“三重”建设第1名).
- A project's statistics status (:class:`StatsStatus`: 拟入统 → 已入统 → 在统 → 出统) is
  dated; a :class:`StatsCount` is the fixed-asset investment of one month that the
  statistics counted for it ("先入库后有数": nothing counts before it is registered).
- A :class:`Deal` (招商项目) moves through dated stages (:class:`DealStage`: 洽谈 → 签约 →
  开工 → 投产); its contract value counts in the year it is signed, the capital actually
  used (实际利用) on the days it arrives, and it is linked to a project once there is one.

>>> Deal(code="D01", name="中粮产业园", origin="domestic", contract=Money.parse("10亿元")).currency
'CNY'
>>> DealStage.parse("签约"), StatsStatus.parse("在统").label_cn
(<DealStage.SIGNED: 'signed'>, '在统')
>>> Standing(code="S1", body="东莞市", assessment="“三重”建设", year=2012, rank=1,
...          announced_on=date(2013, 1, 18)).text_cn()
'东莞市“三重”建设第1名'
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from townplan.errors import ValidationError
from townplan.model.checks import (
    check_choice,
    check_code,
    check_date,
    check_money,
    check_optional_text,
    check_text,
    check_year,
    record_name,
)
from townplan.model.enums import LabelledEnum, register_labels
from townplan.model.money import Money
from townplan.model.period import Period, PeriodKind

__all__ = ["Deal", "DealStage", "Standing", "StatsCount", "StatsStatus", "Utilisation"]


class DealStage(LabelledEnum):
    """Where an attracted investment (招商项目) stands."""

    NEGOTIATING = "negotiating"
    SIGNED = "signed"
    STARTED = "started"
    OPERATING = "operating"


class StatsStatus(LabelledEnum):
    """A project's place in the fixed-asset investment statistics (入统)."""

    PROPOSED = "proposed"
    REGISTERED = "registered"
    COUNTING = "counting"
    REMOVED = "removed"

    @property
    def counts(self) -> bool:
        """Whether the statistics count the project's investment (已入统 or 在统)."""
        return self in (StatsStatus.REGISTERED, StatsStatus.COUNTING)


register_labels(DealStage, {"negotiating": "洽谈", "signed": "签约", "started": "开工",
                            "operating": "投产"})  # fmt: skip
register_labels(StatsStatus, {"proposed": "拟入统", "registered": "已入统", "counting": "在统",
                              "removed": "出统"})  # fmt: skip

_money = check_money()


def _required(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        raise ValidationError.single(record=record_name(instance), field=attribute.name,
                                     value=value, expected="a value")  # fmt: skip
    if attribute.type in (date, "date"):
        check_date(instance, attribute, value)
    else:
        check_year(instance, attribute, value)


def _rank(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None and attribute.name == "out_of":
        return
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError.single(
            record=record_name(instance), field=attribute.name, value=value,
            expected="a whole number of 1 or more",
        )  # fmt: skip


@attrs.frozen(kw_only=True)
class Standing:
    """A rank the town got from a ranking body (e.g. the city) in one of its assessments,
    for ``year``, announced on ``announced_on``."""

    code: str = attrs.field(validator=check_code)
    body: str = attrs.field(validator=check_text)
    assessment: str = attrs.field(validator=check_text)
    year: int = attrs.field(validator=_required)
    rank: int = attrs.field(validator=_rank)
    announced_on: date = attrs.field(validator=_required)
    out_of: int | None = attrs.field(default=None, validator=_rank)

    def text_cn(self) -> str:
        """``"东莞市“三重”建设第1名"``."""
        of = f"（共{self.out_of}个）" if self.out_of else ""
        return f"{self.body}{self.assessment}第{self.rank}名{of}"


def _month(value: str | Period) -> Period:
    return Period.parse(value)


def _is_month(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Period) or value.kind is not PeriodKind.MONTH:
        raise ValidationError.single(record=record_name(instance), field=attribute.name,
                                     value=value, expected="a month, e.g. '2013-06'")  # fmt: skip


@attrs.frozen(kw_only=True)
class StatsCount:
    """The fixed-asset investment the statistics counted for ``project`` in ``period``
    (a month), as reported on ``reported_on``."""

    project: str = attrs.field(validator=check_code)
    period: Period = attrs.field(converter=_month, validator=_is_month)
    amount: Money = attrs.field(validator=_money)
    reported_on: date = attrs.field(validator=_required)


@attrs.frozen(kw_only=True)
class Deal:
    """An attracted investment (招商项目): ``origin`` foreign (外资, usually USD) or domestic
    (内资); ``contract`` the contracted value (None while it is negotiated)."""

    code: str = attrs.field(validator=check_code)
    name: str = attrs.field(validator=check_text)
    origin: str = attrs.field(validator=check_choice("foreign", "domestic"))
    contract: Money | None = attrs.field(default=None, validator=_money)
    investor: str | None = attrs.field(default=None, validator=check_optional_text)
    currency: str = attrs.field(validator=check_text)

    @currency.default
    def _currency(self) -> str:
        return self.contract.currency if isinstance(self.contract, Money) else "CNY"

    def __attrs_post_init__(self) -> None:
        if self.contract is not None and self.contract.currency != self.currency:
            raise ValidationError.single(
                record=record_name(self), field="contract", value=str(self.contract),
                expected=f"an amount in the deal's currency {self.currency}",
            )  # fmt: skip


@attrs.frozen(kw_only=True)
class Utilisation:
    """Capital a deal actually used (实际利用), arrived on ``received_on``."""

    deal: str = attrs.field(validator=check_code)
    received_on: date = attrs.field(validator=_required)
    amount: Money = attrs.field(validator=_money)
