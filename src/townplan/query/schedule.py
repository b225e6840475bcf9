"""The SQL of the time-proportional schedule (序时进度): projects with their year-to-date
and cumulative completed investment joined in, and the light conditions in exact integers.

The day a project is measured on (``on``) fixes the plan year ``Y`` and month ``m``:
year-to-date is the sum of progress reported for ``Y-01`` … ``Y-m``, cumulative the sum of
everything reported up to ``Y-m``, and the plan is ``annual_plan`` when ``plan_year`` is
``Y`` (otherwise none). When no day is given it is the end of the latest month reported
(in the view), else the view's cut, else today.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from fractions import Fraction
from functools import lru_cache
from typing import Any, Final

from townplan.ledger.reads import LedgerReader
from townplan.model.enums import Light
from townplan.model.period import Period
from townplan.query.lights import LightRule
from townplan.query.sql import Fragment, join
from townplan.query.status import halted_relation

__all__ = [
    "MONTH_NOTE",
    "default_day",
    "light_column",
    "light_condition",
    "light_counts",
    "light_rule",
    "light_sums",
    "measured_projects",
    "month_column",
]


def default_day(reader: LedgerReader) -> date:
    """The end of the latest month reported, else the cut, else today."""
    sql, params = reader.relation("progress")
    row = reader.db.execute(
        f"SELECT period FROM ({sql}) ORDER BY period DESC LIMIT 1", params
    ).fetchone()
    if row is not None:
        return Period.parse(row[0]).end
    return reader.cut or reader.today()


def light_rule(reader: LedgerReader, on: date) -> LightRule:
    """The light rule in force on ``on`` among those the ledger records (default if none)."""
    return reader.rule(LightRule, on)


def month_column(month: int) -> str:
    """The column of :func:`measured_projects` (``months=True``) holding the completed
    investment of the report in force for ``month`` (1–12) of the year measured, in fen
    (NULL without a report).

    >>> month_column(6)
    'month_06_fen'
    """
    return f"month_{month:02d}_fen"


#: The column of :func:`measured_projects` (``months=True``) holding the works done (形象进度)
#: of the report in force for the month measured (NULL without a report).
MONTH_NOTE: Final = "month_note"


def measured_projects(reader: LedgerReader, on: date, *, months: bool = False) -> Fragment:
    """Projects (as the reader sees them) with ``plan_month``, ``year_plan_fen``,
    ``ytd_fen`` and ``cum_fen`` measured on ``on``, and ``halted`` (suspended or
    cancelled on ``on``). With ``months``, also each month's completed investment of the
    year to date (:func:`month_column`) and the works done of ``on``'s month
    (:data:`MONTH_NOTE`), read in the same pass over the year's reports."""
    projects = Fragment.relation(*reader.relation("projects"))
    progress = Fragment.relation(*reader.relation("progress"))
    first, last = f"{on.year:04d}-01", f"{on.year:04d}-{on.month:02d}"
    # One report in force per project and month, so each month's sum is that report's.
    by_month, stored = Fragment(""), ""
    if months:
        by_month = join(
            "",
            (
                Fragment(
                    f", SUM(completed_fen) FILTER (WHERE period = ?) AS {month_column(m)}",
                    (f"{on.year:04d}-{m:02d}",),
                )
                for m in range(1, on.month + 1)
            ),
        ) + Fragment(f", MAX(note) FILTER (WHERE period = ?) AS {MONTH_NOTE}", (last,))
        stored = "".join(f"y.{month_column(m)}, " for m in range(1, on.month + 1))
        stored += f"y.{MONTH_NOTE}, "
    # Year-to-date and earlier years are summed apart, so the year's sum is one plain
    # index range (as fast as a hand-written query) and history costs only its own rows.
    return (
        Fragment(
            "SELECT p.*, ? AS plan_month, "
            "CASE WHEN p.plan_year = ? THEN p.plan_fen ELSE 0 END AS year_plan_fen, "
            "COALESCE(y.fen, 0) AS ytd_fen, COALESCE(y.fen, 0) + COALESCE(b.fen, 0) AS cum_fen, "
            + stored
            + "p.code IN (",
            (on.month, on.year),
        )
        + halted_relation(reader, on)
        + ") AS halted FROM ("
        + projects
        + ") AS p LEFT JOIN (SELECT project, SUM(completed_fen) AS fen"
        + by_month
        + " FROM ("
        + progress
        + Fragment(
            ") WHERE period BETWEEN ? AND ? GROUP BY +project) AS y ON y.project = p.code",
            (first, last),
        )
        + " LEFT JOIN (SELECT project, SUM(completed_fen) AS fen FROM ("
        + progress
        + Fragment(") WHERE period < ? GROUP BY +project) AS b ON b.project = p.code", (first,))
    )


# A suspended or cancelled project (``halted`` on the day) is left out of the judgment.
_LIT = "x.kind = 'construction' AND x.year_plan_fen > 0 AND NOT x.halted"
# 1200 × plan × points behind / 100, in integers: 100·m·plan − 1200·ytd.
_BEHIND = "(100 * x.plan_month * x.year_plan_fen - 1200 * x.ytd_fen)"


def _beyond(points: Fraction, op: str) -> Fragment:
    """``points behind OP points`` ⇔ BEHIND · den OP 12 · num · plan (plan > 0)."""
    return Fragment(
        f"? * {_BEHIND} {op} ? * x.year_plan_fen", (points.denominator, 12 * points.numerator)
    )


def _thresholds(rule: LightRule) -> tuple[Fragment, Fragment]:
    """(more than ``red_above`` behind, at least ``amber_from`` behind) for ``rule``."""
    return _beyond(Fraction(rule.red_above), ">"), _beyond(Fraction(rule.amber_from), ">=")


@lru_cache(maxsize=64)
def _conditions(rule: LightRule) -> dict[Light, Fragment]:
    red, amber = _thresholds(rule)
    return {
        Light.RED: _LIT + " AND " + red,
        Light.AMBER: _LIT + " AND NOT (" + red + ") AND " + amber,
        Light.GREEN: _LIT + " AND NOT (" + amber + ")",
    }


def light_condition(rule: LightRule, lights: frozenset[Light]) -> Fragment:
    """Projects whose light under ``rule`` is one of ``lights`` (no light: never)."""
    if lights == frozenset(Light):
        return Fragment(_LIT)
    conditions = _conditions(rule)
    parts = ["(" + conditions[light] + ")" for light in Light if light in lights]
    return join(" OR ", parts) if parts else Fragment("0")


def light_column(rule: LightRule) -> Fragment:
    """The light under ``rule`` as a SQL expression: 'red', 'amber', 'green', or NULL for
    a project that gets none (the same conditions as :func:`light_condition`)."""
    red, amber = _thresholds(rule)
    return (
        f"CASE WHEN NOT ({_LIT}) THEN NULL WHEN "
        + red
        + " THEN 'red' WHEN "
        + amber
        + " THEN 'amber' ELSE 'green' END"
    )


def light_sums(rule: LightRule) -> Fragment:
    """``lit``, ``amber_up`` (amber or red) and ``red`` counts as aggregate columns; amber
    is ``amber_up − red`` and green ``lit − amber_up`` (see :func:`light_counts`). Two
    thresholds tested per row, not the three lights' compound conditions."""
    red, amber = _thresholds(rule)
    return (
        Fragment(f", SUM({_LIT}) AS lit, SUM({_LIT} AND ")
        + amber
        + f") AS amber_up, SUM({_LIT} AND "
        + red
        + ") AS red"
    )


def light_counts(row: Mapping[str, Any]) -> tuple[int | None, int | None, int | None]:
    """(red, amber, green) from a row with the columns of :func:`light_sums`."""
    lit, amber_up, red = row["lit"], row["amber_up"], row["red"]
    if lit is None:
        return None, None, None
    return red, amber_up - red, lit - amber_up
