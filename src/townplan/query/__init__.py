"""The query layer: composable, typed, injection-safe questions over the ledger.

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> q = Query(LedgerStore.open(":memory:"))
>>> q.projects().category("基础设施").eligible().behind_plan().order_by("completion_rate").count()
0

Field names are checked against the model; values are always bound parameters; money is
summed exactly, per currency, in SQL. See :mod:`townplan.query.lights` for the
time-proportional schedule and its rule, :mod:`townplan.query.tasks` for when a task is
done, and :mod:`townplan.query.search` for full-text search.
"""

from townplan.query.aggregate import ProjectSummary, Summary, subtotals
from townplan.query.base import BaseQuery, DatedQuery, MoreThanOneError
from townplan.query.lights import LightRule, LightVerdict, rule_in_force
from townplan.query.progress import ProgressQuery
from townplan.query.projects import ProjectQuery
from townplan.query.reference import EntryQuery, GroupQuery, TargetQuery
from townplan.query.root import Query
from townplan.query.search import SearchHit, SearchQuery
from townplan.query.tasks import TASK_PROGRESS, TaskQuery
from townplan.query.totals import ProgressTotal, ProgressTotals, TaskTotal, TaskTotals

__all__ = [
    "TASK_PROGRESS",
    "BaseQuery",
    "DatedQuery",
    "EntryQuery",
    "GroupQuery",
    "LightRule",
    "LightVerdict",
    "MoreThanOneError",
    "ProgressQuery",
    "ProgressTotal",
    "ProgressTotals",
    "ProjectQuery",
    "ProjectSummary",
    "Query",
    "SearchHit",
    "SearchQuery",
    "Summary",
    "TargetQuery",
    "TaskQuery",
    "TaskTotal",
    "TaskTotals",
    "rule_in_force",
    "subtotals",
]
