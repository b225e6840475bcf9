"""The front door of the query layer: ``Query(ledger)``, also ``ledger.query()``.

>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> q = Query(ledger)
>>> q.projects().where(zone="水乡新城区").count()
0
>>> q.projects().where(budget=1)
Traceback (most recent call last):
...
townplan.errors.ValidationError: projects.budget: got 'budget' — expected one of code, name, ...
"""

from __future__ import annotations

import attrs

from townplan.ledger.reads import LedgerReader
from townplan.query.deals import DealQuery
from townplan.query.funding import FundingQuery
from townplan.query.indicators import IndicatorQuery
from townplan.query.judgement import LightChange, light_history
from townplan.query.procedures import ProcedureQuery
from townplan.query.progress import ProgressQuery
from townplan.query.projects import ProjectQuery
from townplan.query.reference import EntryQuery, GroupQuery, TargetQuery
from townplan.query.search import SearchQuery
from townplan.query.tasks import TaskQuery

__all__ = ["Query"]


@attrs.frozen
class Query:
    """Composable, typed, lazily executed questions over a ledger or an as-of view of it.

    Every method returns a new immutable query; nothing reads the ledger until a query is
    iterated or materialised (``rows()``, ``count()``, ``first()``, ``one()``).
    """

    reader: LedgerReader = attrs.field(repr=False)

    def projects(self) -> ProjectQuery:
        """Projects in the register (项目库)."""
        return ProjectQuery(reader=self.reader)

    def progress(self) -> ProgressQuery:
        """Monthly progress reports in force (corrections applied)."""
        return ProgressQuery(reader=self.reader)

    def funding(self, year: int) -> FundingQuery:
        """Funding of ``year`` by project and source: planned vs arrived (资金到位)."""
        return FundingQuery(reader=self.reader, year=year)

    def deals(self) -> DealQuery:
        """Attracted investments (招商项目), their stage, project and capital used on a day."""
        return DealQuery(reader=self.reader)

    def tasks(self) -> TaskQuery:
        """Dated tasks (任务) of the leading groups."""
        return TaskQuery(reader=self.reader)

    def milestones(self) -> TaskQuery:
        """The same as :meth:`tasks`, under the tasks' former name. It is one of the public
        entry points outside code relies on, so it stays, without a warning."""
        return self.tasks()

    def groups(self) -> GroupQuery:
        """Leading groups and the command HQ."""
        return GroupQuery(reader=self.reader)

    def indicators(self) -> IndicatorQuery:
        """Targets and statistics with their latest observation on a day (``.on(day)``)."""
        return IndicatorQuery(reader=self.reader)

    def targets(self) -> TargetQuery:
        """Expected targets (预期目标)."""
        return TargetQuery(reader=self.reader)

    def entries(self, *kinds: str) -> EntryQuery:
        """Appended entries in force, of the kinds named (all kinds when none)."""
        query = EntryQuery(reader=self.reader)
        return query.kind(*kinds) if kinds else query

    def procedures(self) -> ProcedureQuery:
        """Projects' pre-construction procedures (前期手续), judged on a day."""
        return ProcedureQuery(reader=self.reader)

    def light_history(self, project: str, *, year: int | None = None) -> list[LightChange]:
        """When ``project``'s light changed month by month, which dimension set it and why
        (see :func:`townplan.query.judgement.light_history`)."""
        return light_history(self.reader, project, year=year)

    def search(self, text: str) -> SearchQuery:
        """Ranked full-text search over project names and contents, task texts and
        progress notes (Chinese included; any length of query)."""
        return SearchQuery(reader=self.reader, text=text)
