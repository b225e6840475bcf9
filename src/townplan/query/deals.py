"""Attracted investments (招商项目) as a query of the one dialect, judged on a day.

A deal's stage on the day is the latest dated stage (entries of kind ``deal_stage``)
effective by then, its project the latest link (``deal_project``), and ``utilised`` the
capital it used (实际利用) that arrived by then — all as known at the view's cut.

>>> import townplan as tp
>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_deals([tp.Deal(code="D1", name="中粮产业园", origin="domestic",
...                          contract=tp.Money.parse("10亿元"))])
>>> _ = ledger.append_entry("deal_stage", "D1", date(2013, 3, 1), {"stage": "signed"})
>>> q = DealQuery(reader=ledger)
>>> q.where(stage="签约").count(), q.on(date(2013, 2, 1)).where(stage="signed").count()
(1, 0)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from townplan.ledger.outcomes import deal_from_row
from townplan.model.outcomes import Deal, DealStage
from townplan.query.base import DatedQuery
from townplan.query.fields import Field, FieldSet, Kind
from townplan.query.sql import Fragment

__all__ = ["DEAL_FIELDS", "DealQuery"]

#: Deals: the record's fields, and on the query's day its ``stage``, ``project`` and the
#: capital ``utilised``.
DEAL_FIELDS = FieldSet(
    "deals",
    (
        Field("code", "x.code", Kind.TEXT), Field("name", "x.name", Kind.TEXT),
        Field("origin", "x.origin", Kind.TEXT), Field("investor", "x.investor", Kind.TEXT),
        Field("currency", "x.currency", Kind.TEXT),
        Field("contract", "x.contract_fen", Kind.MONEY, currency="x.currency"),
        Field("stage", "x.stage", Kind.ENUM, enum=DealStage),
        Field("project", "x.project", Kind.TEXT),
        Field("utilised", "x.utilised_fen", Kind.MONEY, currency="x.currency"),
    ),
)  # fmt: skip


@attrs.frozen(kw_only=True)
class DealQuery(DatedQuery[Deal]):
    """Deals (招商项目); ``where(stage=…)``, ``project``, ``utilised`` as they stand on the
    query's day (``.on(day)``; default the view's cut, else today)."""

    FIELDS: ClassVar[FieldSet] = DEAL_FIELDS

    def _source(self) -> Fragment:
        day = self._on()
        deals = Fragment.relation(*self.reader.relation("deals"), prefix="d_")
        entries = Fragment.relation(*self.reader.relation("entries", on=day), prefix="e_")
        used = Fragment.relation(*self.reader.relation("deal_utilisations", on=day), prefix="u_")

        def latest(kind: str, key: str) -> Fragment:
            return (
                f"(SELECT json_extract(e.payload, '$.{key}') FROM ("
                + entries
                + f") AS e WHERE e.kind = '{kind}' AND e.subject = d.code "
                "ORDER BY e.effective_on DESC, e.id DESC LIMIT 1)"
            )

        return (
            "SELECT d.*, " + latest("deal_stage", "stage") + " AS stage, "
            + latest("deal_project", "project") + " AS project, "
            "(SELECT COALESCE(SUM(u.amount_fen), 0) FROM (" + used
            + ") AS u WHERE u.deal = d.code) AS utilised_fen FROM (" + deals + ") AS d"
        )  # fmt: skip

    def _record(self, row: Mapping[str, Any]) -> Deal:
        return deal_from_row(row)
