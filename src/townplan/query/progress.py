"""Questions about monthly progress reports (月度调度), corrections applied.

Reports are those in force in the view: a corrected report is replaced by its correction,
and ``as_of`` a day shows only what was reported and recorded by then. The default order
is the order recorded (``id``), which streams without sorting.

>>> from townplan.ledger import LedgerStore
>>> import townplan as tp
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(tp.Project(code="P1", name="东环路",
...     category=tp.Category.INFRASTRUCTURE))
>>> n = ledger.record_progress_many([
...     tp.ProgressReport(project="P1", period=f"2013-0{m}", completed=tp.Money.parse("100万"))
...     for m in (1, 2, 3)])
>>> q = ProgressQuery(reader=ledger)
>>> [str(r.period) for r in q.where(period__gte="2013-02")]
['2013-02', '2013-03']
>>> [(t["month"], t.completed.format_cn()) for t in q.in_year(2013).group_by("month")][:1]
[(Period(year=2013, kind=<PeriodKind.MONTH: 'month'>, index=1), '100万元')]
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from functools import lru_cache
from typing import Any, ClassVar, Final, Self

import attrs

from townplan.errors import ValidationError
from townplan.model.enums import Category, Stage
from townplan.model.money import Money
from townplan.model.period import Period
from townplan.model.records import ProgressReport
from townplan.query.base import BaseQuery, deprecated
from townplan.query.fields import PROGRESS_FIELDS, PROJECT_FIELDS, FieldSet
from townplan.query.sql import Fragment
from townplan.query.totals import ProgressTotals
from townplan.query.where import condition

__all__ = ["ProgressQuery"]


#: Fields of a report's project that a progress query filters by (besides its own).
_PROJECT_ONLY: Final = frozenset(PROJECT_FIELDS.names()) - frozenset(PROGRESS_FIELDS.names())


@lru_cache(maxsize=4096)
def _period(text: str) -> Period:
    return Period.parse(text)


@attrs.frozen(kw_only=True)
class ProgressQuery(BaseQuery[ProgressReport]):
    """Progress reports in force, typed as :class:`townplan.ProgressReport`."""

    FIELDS: ClassVar[FieldSet] = PROGRESS_FIELDS
    ALIASES: ClassVar[Mapping[str, str]] = {"unit": "responsible_unit"}
    KEY: ClassVar[tuple[str, ...]] = ("id",)

    def for_project(self, *codes: str) -> Self:
        """Deprecated: ``where(project__in=codes)``."""
        deprecated("ProgressQuery.for_project(...)", "where(project=...)")
        return self.where(project__in=codes)

    def in_year(self, year: int) -> Self:
        """Reports for the months of ``year``."""
        if isinstance(year, bool) or not isinstance(year, int):
            raise ValidationError.single(
                record="progress", field="year", value=year, expected="a year"
            )
        return self.where(period=Period.parse(f"{year:04d}"))

    def between(self, first: Period | str, last: Period | str) -> Self:
        """Reports for the months from ``first`` to ``last`` (periods, inclusive)."""
        return self.where(period__range=(first, last))

    def _lookup(self, lookup: str, value: object) -> Fragment:
        # A field of the project a report belongs to (zone, unit, category …), as the
        # view holds the project: ``where(zone="水乡新城区")``.
        name = self._field_name(lookup)
        field = name.rpartition("__")[0] if "__" in name else name
        if field in PROGRESS_FIELDS.names() or field not in _PROJECT_ONLY:
            return super()._lookup(lookup, value)
        projects = Fragment.relation(*self.reader.relation("projects"))
        cond = condition(PROJECT_FIELDS, name, value)
        return "x.project IN (SELECT x.code FROM (" + projects + ") AS x WHERE " + cond + ")"

    def by_zone(self, *zones: str) -> Self:
        """Deprecated: ``where(zone__in=zones)``."""
        deprecated("ProgressQuery.by_zone(...)", "where(zone=...) or where(zone__in=[...])")
        return self.where(zone__in=zones)

    def by_unit(self, *units: str) -> Self:
        """Deprecated: ``where(unit__in=units)``."""
        deprecated("ProgressQuery.by_unit(...)", "where(unit=...) or where(unit__in=[...])")
        return self.where(unit__in=units)

    def category(self, *categories: Category | str) -> Self:
        """Reports of projects in any of the categories."""
        return self.where(category__in=categories)

    def stage(self, *stages: Stage | str) -> Self:
        """Reports of projects in any of the stages."""
        return self.where(stage__in=stages)

    def group_by(self, *keys: str) -> ProgressTotals:
        """Completed investment and report counts per key (month, year, project, zone,
        category, stage, kind, responsible_unit, group) and currency."""
        return ProgressTotals.of(self, keys)

    def _source(self) -> Fragment:
        return Fragment.relation(*self.reader.relation("progress"))

    def _record(self, row: Mapping[str, Any]) -> ProgressReport:
        cur = row["currency"]
        cumulative = row["cumulative_fen"]
        return ProgressReport(
            project=row["project"],
            period=_period(row["period"]),
            completed=Money.from_fen(row["completed_fen"], cur),
            cumulative=Money.from_fen(cumulative, cur) if cumulative is not None else None,
            note=row["note"],
            reported_on=date.fromisoformat(row["reported_on"]),
            corrects=row["corrects"],
            id=row["id"],
        )
