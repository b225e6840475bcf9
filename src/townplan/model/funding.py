"""Where a project's money comes from (资金来源) and how much of it has arrived (到位资金).

The sources are a codelist held as data: :data:`DEFAULT_FUNDING_SOURCES` is what a new
ledger starts with, and a town adds its own :class:`FundingSource`. A
:class:`FundingPlan` is the amount planned from one source for one project and year (年度
计划投资及资金来源); a :class:`FundsReceipt` is money from one source that arrived on a day.

A sheet's source column names a source by its name or one of its aliases, so "中央",
"中央预算内" and "中央预算内投资" all mean ``central``:

>>> source_for("省级", DEFAULT_FUNDING_SOURCES).code
'province'
>>> source_for("市级财政", DEFAULT_FUNDING_SOURCES).code
'city'
>>> FundingPlan(project="P1", year=2013, source="central", amount=Money.parse("800万")).amount
Money(amount=Decimal('8000000'), currency='CNY')
>>> source_for("外资", DEFAULT_FUNDING_SOURCES)
Traceback (most recent call last):
...
townplan.errors.ValidationError: FundingSource.name: got '外资' — expected a funding source ...
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, Final

import attrs

from townplan.errors import ValidationError
from townplan.model.checks import (
    check_code,
    check_date,
    check_money,
    check_optional_text,
    check_text,
    check_year,
    record_name,
)
from townplan.model.money import Money

__all__ = [
    "DEFAULT_FUNDING_SOURCES",
    "FundingPlan",
    "FundingSource",
    "FundsReceipt",
    "source_for",
]

_money = check_money()


def _aliases(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, tuple) or not all(isinstance(v, str) and v.strip() for v in value):
        raise ValidationError.single(
            record=record_name(instance), field=attribute.name, value=value,
            expected="a tuple of non-empty names",
        )  # fmt: skip
    for item in value:
        check_optional_text(instance, attribute, item)


def _required_day(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        raise ValidationError.single(
            record=record_name(instance), field=attribute.name, value=value,
            expected="a datetime.date",
        )  # fmt: skip
    check_date(instance, attribute, value)


def _year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        raise ValidationError.single(
            record=record_name(instance), field=attribute.name, value=value, expected="a year"
        )
    check_year(instance, attribute, value)


@attrs.frozen
class FundingSource:
    """A source of funds (资金来源): ``code`` is what the ledger stores, ``name`` what an
    official writes; ``aliases`` are other headings that name it in a sheet (中央, 省级 …).
    ``public`` is True for government money (财政, 专项债券, 预算内投资)."""

    code: str = attrs.field(validator=check_code)
    name: str = attrs.field(validator=check_text)
    name_en: str | None = attrs.field(default=None, validator=check_optional_text)
    aliases: tuple[str, ...] = attrs.field(default=(), validator=_aliases)
    public: bool = attrs.field(default=True)

    def names(self) -> tuple[str, ...]:
        """The name and every alias."""
        return (self.name, *self.aliases)


#: The sources a new ledger holds (design/domain.md, "Money"); a town adds its own.
DEFAULT_FUNDING_SOURCES: Final[tuple[FundingSource, ...]] = (
    FundingSource("central", "中央预算内投资", "central government budget investment",
                  ("中央", "中央预算内", "中央资金", "中央投资")),
    FundingSource("bond", "地方政府专项债券", "local government special bonds",
                  ("专项债券", "专项债", "地方专项债")),
    FundingSource("province", "省级财政", "provincial finance",
                  ("省级", "省", "省财政", "省级资金")),
    FundingSource("city", "市级财政", "city finance", ("市级", "市", "市财政", "市级资金")),
    FundingSource("town", "县(镇)级财政", "county or town finance",
                  ("镇级", "镇", "镇财政", "县级", "县(镇)级", "县（镇）级财政", "镇级财政",
                   "县区", "区县", "县区及管委会")),
    FundingSource("platform", "城投/交投等平台公司", "city investment and transport platforms",
                  ("城投", "交投", "平台公司"), public=False),
    FundingSource("loan", "银行贷款", "bank loans", ("贷款", "银行"), public=False),
    FundingSource("enterprise", "企业自筹", "enterprise own funds",
                  ("自筹", "企业", "自筹资金"), public=False),
    FundingSource("ppp", "社会资本(PPP)", "private capital (PPP)",
                  ("社会资本", "PPP", "社会资本（PPP）"), public=False),
)  # fmt: skip


def source_for(text: str, sources: Iterable[FundingSource]) -> FundingSource:
    """The source ``text`` names (its code, name or an alias; spaces ignored)."""
    key = "".join(str(text).split())
    for source in sources:
        if key == source.code or key in ("".join(n.split()) for n in source.names()):
            return source
    raise ValidationError.single(
        record="FundingSource", field="name", value=text,
        expected="a funding source of the ledger (its code, name or an alias)",
    )  # fmt: skip


@attrs.frozen
class FundingPlan:
    """The amount planned from ``source`` for ``project`` in ``year``. A later plan for
    the same project, year and source replaces it (the earlier stays in the history)."""

    project: str = attrs.field(validator=check_code)
    year: int = attrs.field(validator=_year)
    source: str = attrs.field(validator=check_code)
    amount: Money = attrs.field(validator=_money)


@attrs.frozen
class FundsReceipt:
    """Funds from ``source`` that arrived (到位) for ``project`` on ``received_on``.

    ``id`` is set by the ledger."""

    project: str = attrs.field(validator=check_code)
    source: str = attrs.field(validator=check_code)
    received_on: date = attrs.field(validator=_required_day)
    amount: Money = attrs.field(validator=_money)
    note: str = attrs.field(default="", validator=check_optional_text)
    id: int | None = None
