"""Indicators — the expected targets and the statistics a report states — with their
observations, as a query of the one dialect judged on a day.

``actual`` is the latest observation (entries of kind ``target_actual``) effective by the
query's day and known at the view's cut, ``actual_on`` its day; so ``where(actual__isnull=
True)`` finds the indicators nobody has observed yet. Tasks' measures are indicators too,
derived from the tasks (:meth:`~townplan.ledger.LedgerStore.indicators`); they are read with
their task's status (:func:`~townplan.governance.task_status`).

>>> import townplan as tp
>>> from datetime import date
>>> from decimal import Decimal
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_targets([tp.Indicator(code="R01", indicator="生产总值", year=2012, unit="亿元")])
>>> _ = ledger.append_entry("target_actual", "R01", date(2013, 1, 20), {"value": "107.7"})
>>> q = IndicatorQuery(reader=ledger)
>>> [i.code for i in q.where(actual__gte=100)]
['R01']
>>> q.on(date(2013, 1, 1)).where(actual__isnull=True).count()
1
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, ClassVar

import attrs

from townplan.ledger.rows import target_from_row
from townplan.model.records import Indicator
from townplan.query.base import DatedQuery
from townplan.query.fields import TARGET_FIELDS, Field, FieldSet, Kind
from townplan.query.sql import Fragment

__all__ = ["INDICATOR_FIELDS", "IndicatorQuery"]

#: Indicators: the record's fields, and on the query's day the ``actual`` and ``actual_on``.
INDICATOR_FIELDS = FieldSet(
    "targets",
    (
        *TARGET_FIELDS.fields,
        Field("actual", "x.actual", Kind.DECIMAL),
        Field("actual_on", "x.actual_on", Kind.DATE),
    ),
)


@attrs.frozen(kw_only=True)
class IndicatorQuery(DatedQuery[Indicator]):
    """Targets and statistics with their latest observation on the query's day."""

    FIELDS: ClassVar[FieldSet] = INDICATOR_FIELDS

    def _source(self) -> Fragment:
        targets = Fragment.relation(*self.reader.relation("targets"), prefix="t_")
        entries = Fragment.relation(*self.reader.relation("entries", on=self._on()), prefix="e_")

        def latest(column: str) -> Fragment:
            return (
                f"(SELECT {column} FROM (" + entries + ") AS e WHERE e.kind = 'target_actual' "
                "AND e.subject = t.code ORDER BY e.effective_on DESC, e.id DESC LIMIT 1)"
            )

        return (
            "SELECT t.*, " + latest("json_extract(e.payload, '$.value')") + " AS actual, "
            + latest("e.effective_on") + " AS actual_on FROM (" + targets + ") AS t"
        )  # fmt: skip

    def _record(self, row: Mapping[str, Any]) -> Indicator:
        return target_from_row(row)
