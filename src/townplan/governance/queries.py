"""Governance questions in the query dialect: ``q.problems().on(day).open().overdue()``,
``q.findings()``, ``q.expected_reports(period)``, ``q.missing_reports(period)``,
``q.late_reports(period)``.

:class:`PortfolioQuery` is the query layer's :class:`~townplan.query.Query` plus these;
``ledger.query()`` returns one. Every question is an immutable query like
``q.projects()``: ``where``, ``order_by``, ``limit``, ``first``, ``one``, ``count``,
iteration, ``rows()`` and ``sql()``, compiled to one SQL statement, and judged on the day
set by ``.on(day)``.

>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> q = PortfolioQuery(LedgerStore.open(":memory:"))
>>> q.problems().open().count(), q.findings().overdue().count()
(0, 0)
>>> q.missing_reports(period="2013-06").on(date(2013, 7, 15)).where(unit="城建办").count()
0
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from townplan.governance.finding_query import FindingQuery
from townplan.governance.problem_query import ProblemQuery
from townplan.governance.reporting import ExpectedReportQuery
from townplan.model.money import ExchangeRate
from townplan.model.period import Period
from townplan.query.base import deprecated
from townplan.query.root import Query

__all__ = ["ExpectedReportQuery", "FindingQuery", "PortfolioQuery", "ProblemQuery"]


@attrs.frozen
class PortfolioQuery(Query):
    """The query front door with the four working systems added."""

    def problems(self) -> ProblemQuery:
        """Rapid-response problems (快速反应), as they stand on the query's day."""
        return ProblemQuery(reader=self.reader)

    def findings(self) -> FindingQuery:
        """Supervision findings (督查落实) and their workflow, as they stand on the day."""
        return FindingQuery(reader=self.reader)

    def expected_reports(
        self, period: Period | str, *, on: date | None = None,
        rates: Iterable[ExchangeRate] = (),
    ) -> ExpectedReportQuery:  # fmt: skip
        """Monthly progress reports owed for the months of ``period`` (信息报送) and what
        became of each by the check day (``.on(day)``; ``on=`` is short for it)."""
        query = ExpectedReportQuery(reader=self.reader, period=period, rates=tuple(rates))
        return query.on(on) if on is not None else query

    def missing_reports(
        self, period: Period | str, *, on: date | None = None, unit: str | None = None,
        rates: Iterable[ExchangeRate] = (),
    ) -> ExpectedReportQuery:  # fmt: skip
        """Progress reports of ``period`` due but not received by the check day."""
        return self._reports(period, on, unit, rates, "missing")

    def late_reports(
        self, period: Period | str, *, on: date | None = None, unit: str | None = None,
        rates: Iterable[ExchangeRate] = (),
    ) -> ExpectedReportQuery:  # fmt: skip
        """Progress reports of ``period`` received after their due day."""
        return self._reports(period, on, unit, rates, "late")

    def _reports(
        self, period: Period | str, on: date | None, unit: str | None,
        rates: Iterable[ExchangeRate], status: str,
    ) -> ExpectedReportQuery:  # fmt: skip
        query = self.expected_reports(period, on=on, rates=rates).where(status=status)
        if unit is not None:
            deprecated(
                f"{status}_reports(..., unit=...)",
                f"{status}_reports(...).where(unit=...)",
                depth=2,
            )
            query = query.where(unit=unit)
        return query
