"""A month's row of every project: the report in force for the month, the year to date,
the completion rate and the light, as a bulletin's annex (附件) lists them.

One statement reads them all — the measured projects, the month's report in force joined
in, the light judged in SQL by the same exact conditions as
:meth:`~townplan.query.projects.ProjectQuery.lights` — so a portfolio of any size costs
one pass, not a record per project and a second query for the reports.

>>> from datetime import date
>>> from townplan.fixtures import sample_town_ledger
>>> town = sample_town_ledger()
>>> q = town.as_of(date(2013, 7, 15)).query().projects().eligible().on(date(2013, 6, 30))
>>> row = next(r for r in q.month_figures("2013-06") if r.code == "SZ2013-022")
>>> row.light, row.completed.format_cn(), row.year_to_date.format_cn(), row.note[:4]
(<Light.RED: 'red'>, '141.14万元', '461.92万元', '征地拆迁')
>>> row.year_to_date == next(q.where(code="SZ2013-022").rows())["year_to_date"]
True
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Final

import attrs

from townplan.ledger.reads import LedgerReader
from townplan.model.enums import Light
from townplan.model.money import Money
from townplan.model.period import Period
from townplan.query.base import execute_tuples
from townplan.query.lights import LightRule
from townplan.query.schedule import MONTH_NOTE, light_column, month_column
from townplan.query.sql import Fragment, Select

__all__ = ["MonthCells", "ProjectMonth", "month_cells", "month_rows"]

_LIGHTS: Final[dict[str | None, Light]] = {light.value: light for light in Light}


@attrs.frozen
class ProjectMonth:
    """One project in one month: its annual plan, the month's completed investment and
    works done (形象进度) from the report in force (None and "" without one), the year to
    date, the completion rate (None without a plan for the year) and its light (None:
    not judged)."""

    code: str
    name: str
    unit: str | None
    annual_plan: Money
    completed: Money | None
    year_to_date: Money
    completion_rate: Decimal | None
    note: str
    light: Light | None


#: The cells of one :class:`ProjectMonth` in the order of its fields, as a report's table
#: shows them: the unit "" when none is set.
MonthCells = tuple[str, str, str, Money, Money | None, Money, Decimal | None, str, Light | None]


def month_cells(
    reader: LedgerReader, select: Select, rule: LightRule, period: Period, stored: bool = False
) -> Iterator[MonthCells]:
    """The cells of :func:`month_rows`, a plain tuple per project (no record built: a
    table of every project of a large portfolio holds them as they come). ``stored``:
    ``select`` reads projects measured with the months of the year
    (:func:`~townplan.query.schedule.measured_projects`) in ``period``, which hold the
    month's report already."""
    if stored:
        month = f"x.{month_column(period.index)}, coalesce(x.{MONTH_NOTE}, ''), "
        joins = Fragment("")
    else:
        month = "g.completed_fen, coalesce(g.note, ''), "
        progress = Fragment.relation(*reader.relation("progress"))
        joins = (
            " LEFT JOIN (SELECT project, completed_fen, note FROM ("
            + progress
            + Fragment(") WHERE period = ?) AS g ON g.project = x.code", (str(period),))
        )
    statement = attrs.evolve(
        select,
        columns=Fragment(
            "x.code, x.name, coalesce(x.responsible_unit, ''), x.currency, x.plan_fen, "
            "x.year_plan_fen, x.ytd_fen, " + month
        )
        + light_column(rule),
        joins=joins,
        order_by=("x.code",),
        limit=None,
        offset=0,
    )
    fen, light_of = Money.from_fen, _LIGHTS.get
    for code, name, unit, currency, plan, year_plan, ytd, done, note, light in execute_tuples(
        reader, statement.fragment()
    ):
        yield (
            code, name, unit, fen(plan, currency),
            None if done is None else fen(done, currency), fen(ytd, currency),
            Decimal(ytd) / Decimal(year_plan) if year_plan else None, note, light_of(light),
        )  # fmt: skip


def month_rows(
    reader: LedgerReader, select: Select, rule: LightRule, period: Period, stored: bool = False
) -> Iterator[ProjectMonth]:
    """The :class:`ProjectMonth` of every project ``select`` (over the measured projects)
    matches, by code, with ``period``'s report in force joined in (see
    :func:`month_cells` for ``stored``)."""
    for code, name, unit, plan, done, ytd, rate, note, light in month_cells(
        reader, select, rule, period, stored
    ):
        yield ProjectMonth(code, name, unit or None, plan, done, ytd, rate, note, light)
