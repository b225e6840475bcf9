"""Planned against actual days (计划/实际开工、竣工): the conditions behind
``q.projects().started_late(on)``, ``finished_late(on)``, ``started_in(period)``,
``finished_in(period)`` and ``in_operation_in(period)``, and the start lights.

A project *started late* on a day when its planned start (计划开工) is before that day
and it had not started by its planned start (so one not started at all counts); the same
for *finished late* with the planned finish. A project in a later stage (续建 and beyond
for the start, 竣工 and 投产 for the finish) has evidently reached it even when its day
is not known. Actual days are as known in the view on the
day (:mod:`townplan.query.status`); a project suspended or cancelled on the day is left
out. Only construction projects are judged.

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> from townplan.query import Query
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE,
...     planned_start=date(2013, 3, 1)), on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))
>>> q = Query(ledger).projects()
>>> q.started_late(on=date(2013, 3, 1)).count(), q.started_late(on=date(2013, 3, 2)).count()
(0, 1)
>>> _ = ledger.set_actual("P1", "start", date(2013, 4, 10), recorded_at=date(2013, 4, 10))
>>> q.started_late(on=date(2013, 5, 1)).count(), q.started_in("2013-04").count()
(1, 1)
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Final

import attrs

from townplan.ledger.reads import LedgerReader
from townplan.model.enums import Light
from townplan.model.lifecycle import Dimension
from townplan.model.period import Period
from townplan.query.dimensions import DimensionVerdict, StartRule, dimension_rule, months_between
from townplan.query.sql import Fragment
from townplan.query.status import actual_relation, halted_relation

__all__ = [
    "StartCount",
    "in_period_condition",
    "late_condition",
    "project_rows",
    "start_counts",
    "start_counts_of",
    "start_verdicts",
    "start_verdicts_of",
]

_COLUMN: Final = {"start": "started_on", "finish": "finished_on", "operation": "operating_on"}
_PLANNED: Final = {"start": "planned_start", "finish": "planned_finish"}
# A project in a later stage has evidently started (or finished) even when its day is not
# known: a register's 续建 projects began in earlier years.
_PAST: Final = {
    "start": "('continuing', 'completed', 'in_operation')",
    "finish": "('completed', 'in_operation')",
}


def late_condition(reader: LedgerReader, which: str, on: date) -> Fragment:
    """``x.code`` names a construction project whose planned ``which`` ("start" or
    "finish") is before ``on`` and that had not reached it by the planned day."""
    planned, actual = _PLANNED[which], _COLUMN[which]
    projects = Fragment.relation(*reader.relation("projects"))
    return (
        "x.code IN (SELECT p.code FROM ("
        + projects
        + ") AS p LEFT JOIN ("
        + actual_relation(reader, on)
        + Fragment(
            f") AS a ON a.project = p.code WHERE p.kind = 'construction' AND p.{planned} < ? "
            f"AND (a.{actual} > p.{planned} OR (a.{actual} IS NULL AND p.stage NOT IN "
            f"{_PAST[which]})) AND p.code NOT IN (",
            (on.isoformat(),),
        )
        + halted_relation(reader, on)
        + "))"
    )


def in_period_condition(reader: LedgerReader, which: str, period: Period) -> Fragment:
    """``x.code`` names a project whose actual ``which`` day falls in ``period``."""
    column = _COLUMN[which]
    return (
        "x.code IN (SELECT project FROM ("
        + actual_relation(reader, period.end)
        + Fragment(
            f") WHERE {column} BETWEEN ? AND ?", (period.start.isoformat(), period.end.isoformat())
        )
        + ")"
    )


def project_rows(reader: LedgerReader, codes: Fragment, on: date) -> Fragment:
    """The rows of the projects among ``codes`` (SQL selecting project codes) as the view
    holds them, with ``halted`` (suspended or cancelled on ``on``): what
    :func:`start_verdicts_of` and :func:`start_counts_of` read. A snapshot of measured
    projects on ``on`` has these columns already."""
    projects = Fragment.relation(*reader.relation("projects"))
    return (
        "SELECT p.*, p.code IN ("
        + halted_relation(reader, on)
        + ") AS halted FROM ("
        + projects
        + ") AS p WHERE p.code IN ("
        + codes
        + ")"
    )


def start_verdicts(reader: LedgerReader, codes: Fragment, on: date) -> Iterator[DimensionVerdict]:
    """The start light (amber or red) of every construction project among ``codes`` (SQL
    selecting project codes) that missed its planned start and had not started by ``on``."""
    return start_verdicts_of(reader, project_rows(reader, codes, on), on)


def start_verdicts_of(
    reader: LedgerReader, rows: Fragment, on: date, actual: Fragment | None = None
) -> Iterator[DimensionVerdict]:
    """:func:`start_verdicts` of the projects ``rows`` selects (with the columns of
    :func:`project_rows`, ``halted`` judged on ``on``), by code; ``actual``: the actual
    days on ``on`` already read (:func:`~townplan.query.status.stored_actual`)."""
    rule = dimension_rule(reader, StartRule, on)
    words = rule.describe()
    sql, params = (
        "SELECT p.code, p.name, p.planned_start FROM ("
        + rows
        + ") AS p LEFT JOIN ("
        + (actual or actual_relation(reader, on))
        + Fragment(
            ") AS a ON a.project = p.code WHERE p.kind = 'construction' AND p.planned_start < ? "
            "AND NOT p.halted AND (a.started_on > ? OR (a.started_on IS NULL AND p.stage NOT IN "
            f"{_PAST['start']})) ORDER BY p.code",
            (on.isoformat(), on.isoformat()),
        )
    ).render()
    for code, name, planned_text in reader.db.execute(sql, params):
        planned = date.fromisoformat(planned_text)
        light = rule.judge(planned, None, on)
        if light is Light.GREEN:
            continue
        months = months_between(planned, on)
        yield DimensionVerdict(
            code, name, Dimension.START, light, on,
            f"计划{planned.year}年{planned.month}月{planned.day}日开工，截至{on.year}年{on.month}月"
            f"{on.day}日未开工（逾期{months}个月）：{light.label_cn}（{words[1]}）",
            f"planned to start on {planned}, not started by {on} ({months} months late): "
            f"{light.value} ({words[0]})",
        )  # fmt: skip


@attrs.frozen
class StartCount:
    """Planned and actual 新开工 / 竣工 / 投产 of a year up to a day, against the target."""

    what: str
    planned: int
    actual: int
    target: Decimal | None

    @property
    def rate(self) -> Decimal | None:
        """Actual ÷ planned (开工率, 竣工率, 投产率), None when none were planned."""
        return Decimal(self.actual) / Decimal(self.planned) if self.planned else None


#: The indicator (预期目标) a town sets for each count, unit 个.
TARGET_INDICATORS: Final = {"start": "新开工项目", "finish": "竣工项目", "operation": "投产项目"}
_PLANNED_IN: Final = (
    ("start", "p.planned_start BETWEEN ? AND ?"),
    ("finish", "p.planned_finish BETWEEN ? AND ? AND p.stage <> 'in_operation'"),
    ("operation", "p.planned_finish BETWEEN ? AND ? AND p.stage = 'in_operation'"),
)


def start_counts(
    reader: LedgerReader, codes: Fragment, year: int, through: date
) -> list[StartCount]:
    """计划新开工 / 实际开工 and the same for 竣工 and 投产 among ``codes`` (SQL selecting
    project codes): planned in ``year``, actual from 1 January to ``through``, as known
    in the view; the town's target for the year where it set one."""
    return start_counts_of(reader, project_rows(reader, codes, through), year, through)


def start_counts_of(
    reader: LedgerReader, rows: Fragment, year: int, through: date,
    actual: Fragment | None = None,
) -> list[StartCount]:  # fmt: skip
    """:func:`start_counts` of the projects ``rows`` selects (with the columns of
    :func:`project_rows`). One statement counts all six, reading the actual days once
    (``actual``: the days on ``through`` already read, see :func:`start_verdicts_of`)."""
    first, year_end = date(year, 1, 1).isoformat(), date(year, 12, 31).isoformat()
    targets = {
        row[0]: Decimal(row[1])
        for row in reader.db.execute(
            "SELECT indicator, value FROM targets WHERE year = ? AND unit = '个' "
            "AND value IS NOT NULL",  # a statistic (no target) counts nothing
            [year],
        )
    }
    planned = ", ".join(f"coalesce(sum({test}), 0)" for _, test in _PLANNED_IN)
    reached = ", ".join(f"coalesce(sum({_COLUMN[which]} BETWEEN ? AND ?), 0)"
                        for which, _ in _PLANNED_IN)  # fmt: skip
    sql, params = (
        Fragment(f"SELECT * FROM (SELECT {planned} FROM (", (first, year_end) * 3)
        + rows
        + Fragment(
            f") AS p WHERE p.kind = 'construction'), (SELECT {reached} FROM (",
            (first, through.isoformat()) * 3,
        )
        + (actual or actual_relation(reader, through))
        + ") AS a WHERE a.project IN (SELECT code FROM ("
        + rows
        + ")))"
    ).render()
    row = reader.db.execute(sql, params).fetchone()
    return [
        StartCount(which, row[i], row[3 + i], targets.get(TARGET_INDICATORS[which]))
        for i, (which, _) in enumerate(_PLANNED_IN)
    ]
