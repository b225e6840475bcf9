"""Funds arrived against the funding plan (资金到位): per project and source, and summed
by source, by responsible unit or for the whole year.

A line is one project and source of the year: the amount planned (the plan in force) and
the amount arrived in the year up to the query's day; the rate (到位率) is arrived ÷
planned. Money in different currencies is never added: totals are per currency.

>>> import townplan as tp
>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_units(["城建办"])
>>> _ = ledger.add_project(tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE,
...     government_investment=tp.Money.parse("3000万元"), responsible_unit="城建办"),
...     on=date(2013, 1, 1))
>>> _ = ledger.plan_funding([tp.FundingPlan("P1", 2013, "city", tp.Money.parse("1200万")),
...                          tp.FundingPlan("P1", 2013, "town", tp.Money.parse("800万"))])
>>> _ = ledger.record_funds([tp.FundsReceipt("P1", "city", date(2013, 3, 5),
...                                          tp.Money.parse("900万"))])
>>> q = FundingQuery(reader=ledger, year=2013)
>>> [(t.key, t.arrived.format_cn(), t.rate) for t in q.by_source()]
[('city', '900万元', Decimal('0.7500')), ('town', '0元', Decimal('0.0000'))]
>>> q.on(date(2013, 2, 28)).total().arrived.format_cn()
'0元'
>>> q.by_unit()[0].key, q.total().rate
('城建办', Decimal('0.4500'))
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, ClassVar, Self

import attrs

from townplan.errors import ValidationError
from townplan.ledger.funding import FundingLedger
from townplan.model.arguments import day_argument, year_argument
from townplan.model.money import Money
from townplan.query.base import BaseQuery, execute
from townplan.query.fields import Field, FieldSet, Kind
from townplan.query.sql import Fragment, Select

__all__ = ["FUNDING_FIELDS", "FundingLine", "FundingQuery", "FundingTotal", "rate_of"]

FUNDING_FIELDS = FieldSet(
    "funding",
    (
        Field("project", "x.project", Kind.TEXT), Field("name", "x.name", Kind.TEXT),
        Field("responsible_unit", "x.responsible_unit", Kind.TEXT),
        Field("source", "x.source", Kind.TEXT), Field("source_name", "x.source_name", Kind.TEXT),
        Field("planned", "x.planned_fen", Kind.MONEY, currency="x.currency"),
        Field("arrived", "x.arrived_fen", Kind.MONEY, currency="x.currency"),
        Field("rate", "x.arrived_fen", Kind.RATIO, denominator="x.planned_fen"),
        Field("currency", "x.currency", Kind.TEXT),
    ),
)  # fmt: skip
_GROUPS: dict[str, str] = {"source": "source", "unit": "responsible_unit", "project": "project"}
_PLACES = Decimal("0.0001")


def rate_of(arrived: Money, planned: Money) -> Decimal | None:
    """到位率: arrived ÷ planned to four places (half up); None when nothing is planned."""
    if not planned:
        return None
    return (arrived.amount / planned.amount).quantize(_PLACES, rounding=ROUND_HALF_UP)


@attrs.frozen
class FundingLine:
    """One project and source of the year: planned and arrived."""

    project: str
    name: str
    responsible_unit: str | None
    source: str
    source_name: str
    planned: Money
    arrived: Money

    @property
    def rate(self) -> Decimal | None:
        """Arrived ÷ planned (None when nothing is planned)."""
        return rate_of(self.arrived, self.planned)


@attrs.frozen
class FundingTotal:
    """Planned and arrived summed for one key (a source code, a unit, a project) and
    currency; ``label`` is the source's name for a source, else the key."""

    key: str | None
    label: str | None
    planned: Money
    arrived: Money

    @property
    def rate(self) -> Decimal | None:
        """Arrived ÷ planned (None when nothing is planned)."""
        return rate_of(self.arrived, self.planned)


@attrs.frozen(kw_only=True)
class FundingQuery(BaseQuery[FundingLine]):
    """Funding of ``year``: lines per project and source, planned vs arrived by ``day``
    (the view's cut, or the year's end)."""

    year: int = attrs.field(
        validator=lambda _, a, v: year_argument(v, record="funding", field=a.name)
    )
    day: date | None = None

    FIELDS: ClassVar[FieldSet] = FUNDING_FIELDS
    KEY: ClassVar[tuple[str, ...]] = ("project", "source")

    def on(self, day: date) -> Self:
        """Count funds arrived by ``day`` only."""
        return attrs.evolve(self, day=day_argument(day, record="funding", field="on"))

    def _last_day(self) -> date:
        end = date(self.year, 12, 31)
        cut = self.reader.cut
        return min(d for d in (end, self.day, cut) if d is not None)

    def _source(self) -> Fragment:
        if not isinstance(self.reader, FundingLedger):
            raise ValidationError.single(record="funding", field="reader", value=self.reader,
                                         expected="a townplan ledger")  # fmt: skip
        plans, params = self.reader.funding_relation("funding_plans")
        receipts, receipt_params = self.reader.funding_relation("funds_receipts")
        projects, project_params = self.reader.relation("projects")
        sql = f"""
WITH plan AS (SELECT project, source, currency, amount_fen FROM ({plans}) WHERE year = ?),
got AS (SELECT project, source, currency, SUM(amount_fen) AS fen FROM ({receipts})
        WHERE received_on BETWEEN ? AND ? GROUP BY project, source, currency),
k AS (SELECT project, source, currency FROM plan UNION SELECT project, source, currency FROM got)
SELECT k.project, p.name, p.responsible_unit, k.source, s.name AS source_name, s.position,
       k.currency, COALESCE(plan.amount_fen, 0) AS planned_fen, COALESCE(got.fen, 0) AS arrived_fen
FROM k JOIN ({projects}) p ON p.code = k.project
JOIN funding_sources s ON s.code = k.source
LEFT JOIN plan ON plan.project = k.project AND plan.source = k.source
                  AND plan.currency = k.currency
LEFT JOIN got ON got.project = k.project AND got.source = k.source AND got.currency = k.currency
"""
        named = tuple(sorted({**params, **receipt_params, **project_params}.items()))
        start = date(self.year, 1, 1).isoformat()
        return Fragment(sql, (self.year, start, self._last_day().isoformat()), named)

    def _record(self, row: Mapping[str, Any]) -> FundingLine:
        return FundingLine(
            project=row["project"], name=row["name"], responsible_unit=row["responsible_unit"],
            source=row["source"], source_name=row["source_name"],
            planned=Money.from_fen(row["planned_fen"], row["currency"]),
            arrived=Money.from_fen(row["arrived_fen"], row["currency"]),
        )  # fmt: skip

    # --- sums --------------------------------------------------------------------------------
    def by_source(self) -> list[FundingTotal]:
        """Planned and arrived per source (in the codelist's order) and currency."""
        return self._totals("source")

    def by_unit(self) -> list[FundingTotal]:
        """Planned and arrived per responsible unit (责任单位) and currency."""
        return self._totals("unit")

    def by_project(self) -> list[FundingTotal]:
        """Planned and arrived per project and currency."""
        return self._totals("project")

    def total(self, currency: str = "CNY") -> FundingTotal:
        """Planned and arrived over every line in ``currency``."""
        found = [t for t in self._totals(None) if t.planned.currency == currency]
        if found:
            return found[0]
        return FundingTotal(None, None, Money.zero(currency), Money.zero(currency))

    def _totals(self, by: str | None) -> list[FundingTotal]:
        column = "NULL" if by is None else f"x.{_GROUPS[by]}"
        label = "MIN(x.source_name)" if by == "source" else column
        order = "MIN(x.position)" if by == "source" else column
        inner = attrs.evolve(self._select(), order_by=(), limit=None, offset=0)
        select = Select(
            columns=Fragment(f"{column} AS key, {label} AS label, x.currency, "
                             "SUM(x.planned_fen) AS planned, SUM(x.arrived_fen) AS arrived"),
            source=inner.fragment() if self.limit_n is None else self._select().fragment(),
            group_by=(column, "x.currency"),
            order_by=(order, "x.currency"),
        )  # fmt: skip
        return [
            FundingTotal(
                r["key"], r["label"],
                Money.from_fen(r["planned"], r["currency"]),
                Money.from_fen(r["arrived"], r["currency"]),
            )
            for r in execute(self.reader, select.fragment())
        ]  # fmt: skip
