"""Indicators — annual targets (预期目标), the statistics a report states, the measures of
tasks — with their observations, and investment attraction (招商引资) summed per currency.

Observations are entries (kind ``target_actual``, subject the indicator's code, payload
``{"value": "<decimal text>"}``); the latest effective by the day asked is the actual.
Attraction of a year is the deals' (contracts signed, capital used in it) plus any
yearly figures recorded as such; amounts in different currencies are never added
together unless a dated exchange rate is given.

>>> import townplan as tp
>>> from decimal import Decimal
>>> from townplan.ledger import LedgerStore
>>> store = LedgerStore.open(":memory:")
>>> _ = store.add_targets([tp.AnnualTarget(code="K08", indicator="城镇登记失业率", year=2013,
...     direction=tp.Direction.AT_MOST, value=Decimal(3), unit="%")])
>>> v = record_target_actual(store, "K08", "2.6", on=date(2013, 12, 31))
>>> v.met, v.reason_cn
(True, '城镇登记失业率2.6%，目标不高于3%，完成')
>>> _ = store.add_attractions([
...     tp.Attraction(code="A1", kind="contracted", origin="foreign",
...                   amount=tp.Money.parse("1.27亿美元"), year=2012),
...     tp.Attraction(code="A3", kind="contracted", origin="domestic",
...                   amount=tp.Money.parse("15亿元"), year=2012)])
>>> attraction_total(store, "contracted", year=2012)
Traceback (most recent call last):
...
townplan.errors.ValidationError: Attraction.currency: got 'USD' — expected a dated ...
>>> rate = tp.ExchangeRate("USD", "CNY", Decimal("6.2"), date(2012, 12, 31))
>>> attraction_total(store, "contracted", year=2012, rates=[rate]).format_cn()
'22.874亿元'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal, InvalidOperation

import attrs

from townplan.errors import NotFoundError, ValidationError
from townplan.governance.base import evaluation_day
from townplan.governance.outcomes import deal_totals
from townplan.ledger import LedgerStore
from townplan.ledger.base import Recorded
from townplan.model.arguments import year_argument
from townplan.model.money import ExchangeRate, Money
from townplan.model.records import AnnualTarget

__all__ = [
    "TARGET_ACTUAL",
    "TargetVerdict",
    "attraction_summary",
    "attraction_total",
    "indicator_statuses",
    "record_observation",
    "record_target_actual",
    "target_verdicts",
]

#: The entry kind of a target's actual value.
TARGET_ACTUAL = "target_actual"


@attrs.frozen
class TargetVerdict:
    """A target, its latest actual by the day asked, and whether it is met (None while no
    actual is known)."""

    target: AnnualTarget
    actual: Decimal | None
    actual_on: date | None
    met: bool | None

    @property
    def reason(self) -> str:
        """The verdict in words."""
        t = self.target
        if t.direction is None or t.value is None:
            shown = "no observation yet" if self.actual is None else f"{self.actual}{t.unit}"
            return f"{t.indicator_en or t.indicator}: {shown}"
        goal = f"{t.direction.value.replace('_', ' ')} {t.value}{t.unit}"
        if self.actual is None:
            return f"{t.indicator_en or t.indicator}: no actual yet (target {goal})"
        word = "met" if self.met else "missed"
        return f"{t.indicator_en or t.indicator} {self.actual}{t.unit} against {goal}: {word}"

    @property
    def reason_cn(self) -> str:
        """The verdict as an official writes it."""
        t = self.target
        if t.direction is None or t.value is None:
            return f"{t.indicator}{'尚无数据' if self.actual is None else f'{self.actual}{t.unit}'}"
        goal = f"目标{t.direction.label_cn}{t.value}{t.unit}"
        if self.actual is None:
            return f"{t.indicator}尚无实际数，{goal}"
        return f"{t.indicator}{self.actual}{t.unit}，{goal}，{'完成' if self.met else '未完成'}"


def record_observation(
    store: LedgerStore,
    indicator: str,
    value: Decimal | int | str,
    *,
    on: date,
    note: str = "",
    recorded_at: Recorded = None,
) -> TargetVerdict:
    """Append an observation of ``indicator`` (a target, a statistic or a task's measure
    ``<task>.<n>``) as of ``on``; returns its verdict. The latest observation effective by
    the day asked is the indicator's actual."""
    with store.transaction():
        found = [t for t in store.indicators() if t.code == indicator]
        if not found:
            raise NotFoundError(f"no indicator with code {indicator!r}", reason="not_found",
                                record="indicator", key=indicator)  # fmt: skip
        amount = _decimal(indicator, value)
        store.append_entry(
            TARGET_ACTUAL, indicator, on, {"value": str(amount)}, note=note, recorded_at=recorded_at
        )
    return _verdict(found[0], amount, on)


#: A target's actual is an observation of the indicator (the entry kind keeps its name).
record_target_actual = record_observation


def indicator_statuses(
    store: LedgerStore,
    *,
    year: int | None = None,
    on: date | None = None,
    targets: bool | None = None,
    task: str | None = None,
) -> list[TargetVerdict]:
    """Indicators (of ``year``; with a target or, ``targets=False``, statistics only; the
    measures of ``task``) with their latest observation effective by ``on``."""
    day = evaluation_day(store, on)
    latest = _latest(store, day)
    found = []
    for t in store.indicators():
        if year is not None and t.year != year:
            continue
        if targets is not None and t.has_target != targets:
            continue
        if task is not None and t.task != task:
            continue
        actual, when = latest.get(t.code, (None, None))
        found.append(_verdict(t, actual, when))
    return found


def target_verdicts(
    store: LedgerStore, year: int, *, on: date | None = None
) -> list[TargetVerdict]:
    """The expected targets of ``year`` (multi-year targets ending in it; not statistics,
    not tasks' measures), each with its latest actual effective by ``on``, by code."""
    year = year_argument(year, record="target_verdicts", field="year")
    day = evaluation_day(store, on)
    latest = _latest(store, day)
    verdicts = []
    for t in store.targets():
        if t.year != year or not t.has_target or t.task is not None:
            continue
        actual, when = latest.get(t.code, (None, None))
        verdicts.append(_verdict(t, actual, when))
    return verdicts


def _latest(store: LedgerStore, day: date) -> dict[str, tuple[Decimal, date]]:
    latest: dict[str, tuple[Decimal, date]] = {}
    for entry in store.entries(kind=TARGET_ACTUAL):
        if entry.effective_on <= day:
            latest[entry.subject] = (Decimal(entry.payload["value"]), entry.effective_on)
    return latest


def _verdict(t: AnnualTarget, actual: Decimal | None, on: date | None) -> TargetVerdict:
    met = None if actual is None or not t.has_target else t.met_by(actual)
    return TargetVerdict(t, actual, on, met)


def _decimal(target: str, value: Decimal | int | str) -> Decimal:
    try:
        if isinstance(value, bool | float):
            raise InvalidOperation
        amount = Decimal(value)
        if amount.is_finite():
            return amount
    except (InvalidOperation, ValueError, TypeError):
        pass
    raise ValidationError.single(
        record=f"Indicator {target}", field="value", value=value,
        expected="a decimal number (text, int or Decimal)",
    )  # fmt: skip


def attraction_summary(
    store: LedgerStore, year: int | None = None
) -> dict[tuple[str, str], dict[str, Money]]:
    """Attraction (of ``year``: from the deals and the yearly figures; without a year, the
    yearly figures only) summed per (kind, origin) and per currency:
    ``{("contracted", "foreign"): {"USD": Money(...)}, ...}``."""
    if year is not None:
        year = year_argument(year, record="attraction_summary", field="year")
    summary: dict[tuple[str, str], dict[str, Money]] = {}
    if year is not None:
        for key, per in deal_totals(store, year).items():
            for cur, money in per.items():
                mine = summary.setdefault(key, {})
                mine[cur] = mine.get(cur, Money.zero(cur)) + money
    for a in store.attractions():
        if year is not None and a.year != year:
            continue
        per_currency = summary.setdefault((a.kind, a.origin), {})
        cur = a.amount.currency
        per_currency[cur] = per_currency.get(cur, Money.zero(cur)) + a.amount
    return summary


def attraction_total(
    store: LedgerStore,
    kind: str,
    *,
    year: int | None = None,
    origin: str | None = None,
    currency: str = "CNY",
    rates: Iterable[ExchangeRate] = (),
) -> Money:
    """Attraction of ``kind`` (and ``origin``) in ``currency``; an amount in another
    currency needs a dated rate to it in ``rates`` (the latest-dated rate is used)."""
    chosen: dict[str, ExchangeRate] = {}
    for rate in rates:
        if rate.quote == currency and (rate.base not in chosen or rate.on > chosen[rate.base].on):
            chosen[rate.base] = rate
    total = Money.zero(currency)
    for (k, o), per_currency in sorted(attraction_summary(store, year).items()):
        if k != kind or (origin is not None and o != origin):
            continue
        for cur, amount in sorted(per_currency.items()):
            if cur == currency:
                total += amount
            elif cur in chosen:
                total += amount.convert(chosen[cur])
            else:
                raise ValidationError.single(
                    record="Attraction", field="currency", value=cur,
                    expected=f"a dated ExchangeRate {cur}→{currency} to add it to {currency}",
                )  # fmt: skip
    return total
