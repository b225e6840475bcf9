"""Governance questions in the query style: ``q.problems().open().overdue(on=...)``,
``q.findings()``, ``q.missing_reports(period=...)``, ``q.late_reports(period=...)``.

:class:`PortfolioQuery` is the query layer's :class:`~townplan.query.Query` plus these;
``ledger.query()`` returns one. Like the rest of the query API the objects are immutable
and read the ledger only when iterated.

>>> from townplan.ledger import LedgerStore
>>> q = PortfolioQuery(LedgerStore.open(":memory:"))
>>> q.problems().open().count(), q.findings().overdue().count()
(0, 0)
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Generic, Self, TypeVar

import attrs

from townplan.governance.reporting import ExpectedReport, late_reports, missing_reports
from townplan.governance.response import ProblemStatus, problems
from townplan.governance.supervision import FindingStatus, findings
from townplan.ledger.store import LedgerStore
from townplan.model.period import Period
from townplan.query.root import Query

__all__ = ["FindingQuery", "PortfolioQuery", "ProblemQuery"]

S = TypeVar("S")


@attrs.frozen
class _StatusQuery(Generic[S]):
    store: LedgerStore = attrs.field(repr=False)
    on: date | None = None
    tests: tuple[Callable[[S, date], bool], ...] = ()

    def _all(self) -> list[S]:
        raise NotImplementedError

    def _day(self) -> date:
        return self.on or self.store.cut or date.today()

    def _with(self, test: Callable[[S, date], bool]) -> Self:
        return attrs.evolve(self, tests=(*self.tests, test))

    def __iter__(self) -> Iterator[S]:
        day = self._day()
        return iter([s for s in self._all() if all(test(s, day) for test in self.tests)])

    def count(self) -> int:
        """How many match."""
        return sum(1 for _ in self)

    def list(self) -> list[S]:
        """Every match, in order."""
        return list(self)


@attrs.frozen
class ProblemQuery(_StatusQuery[ProblemStatus]):
    """Rapid-response problems (快速反应) as they stand on a day."""

    def _all(self) -> list[ProblemStatus]:
        return problems(self.store, on=self._day())

    def at(self, on: date) -> Self:
        """Judge every problem as it stands on ``on``."""
        return attrs.evolve(self, on=on)

    def open(self) -> Self:
        """Problems not closed."""
        return self._with(lambda s, _: s.is_open)

    def overdue(self, on: date | None = None) -> Self:
        """Problems whose answer is owed and past its deadline on ``on`` (default: the day
        the query is judged on)."""
        query = self.at(on) if on is not None else self
        return query._with(lambda s, day: s.is_overdue(day))

    def for_unit(self, unit: str) -> Self:
        """Problems assigned to ``unit``."""
        return self._with(lambda s, _: s.unit == unit)

    def for_project(self, project: str) -> Self:
        """Problems raised on ``project``."""
        return self._with(lambda s, _: s.problem.project == project)


@attrs.frozen
class FindingQuery(_StatusQuery[FindingStatus]):
    """Supervision findings (督查落实) as they stand on a day."""

    def _all(self) -> list[FindingStatus]:
        return findings(self.store, on=self._day())

    def at(self, on: date) -> Self:
        """Judge every finding as it stands on ``on``."""
        return attrs.evolve(self, on=on)

    def open(self) -> Self:
        """Findings not closed."""
        return self._with(lambda s, _: s.is_open)

    def overdue(self, on: date | None = None) -> Self:
        """Open findings past their rectification deadline on ``on``."""
        query = self.at(on) if on is not None else self
        return query._with(lambda s, day: s.is_overdue(day))

    def for_unit(self, unit: str) -> Self:
        """Findings assigned to ``unit``."""
        return self._with(lambda s, _: s.unit == unit)

    def for_project(self, project: str) -> Self:
        """Findings on ``project``."""
        return self._with(lambda s, _: s.finding.project == project)


@attrs.frozen
class PortfolioQuery(Query):
    """The query front door with the four working systems added."""

    def _store(self) -> LedgerStore:
        if not isinstance(self.reader, LedgerStore):
            raise TypeError("governance questions need a LedgerStore (or an as_of view of one)")
        return self.reader

    def problems(self) -> ProblemQuery:
        """Rapid-response problems (快速反应)."""
        return ProblemQuery(self._store())

    def findings(self) -> FindingQuery:
        """Supervision findings (督查落实) and their workflow."""
        return FindingQuery(self._store())

    def missing_reports(
        self, period: Period | str, *, on: date | None = None, unit: str | None = None
    ) -> list[ExpectedReport]:
        """Progress reports of ``period`` due but not received by ``on`` (信息报送)."""
        return missing_reports(self._store(), period, on=on, unit=unit)

    def late_reports(
        self, period: Period | str, *, on: date | None = None, unit: str | None = None
    ) -> list[ExpectedReport]:
        """Progress reports of ``period`` received after their due day."""
        return late_reports(self._store(), period, on=on, unit=unit)
