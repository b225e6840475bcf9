"""The bulletin's questions as SQL over the dataset's tables, in the dialect DuckDB and
Spark SQL share, so one text runs on one machine and on a cluster.

The as-of rules are the ledger's (see :mod:`townplan.ledger.reads`): the register as of a
day is each project's newest version (by effective day, then version) effective by then
and recorded before the cut; the report in force for a project and month is the last of
its correction chain known at the cut. Every table carries its ``town``, and every join
keeps to one town. Each town's thresholds come from a small ``town_rules`` table, and the
projects suspended or cancelled on the month's end from ``halted`` (see
:mod:`townplan.analytics.rules`). The reports, the bulk, are read once: summed per
project into ``measures`` (:func:`measures`), which the portfolio and the owed reports
both read. Parameters are named (``$day``): the day of the cut,
``$cutoff`` (the first record time the cut does not know), ``$first`` and ``$last`` (the
year's first and the bulletin's month, ``YYYY-MM``), ``$year`` (and ``$year_text``),
``$month_index``, ``$month_end``.
"""

from __future__ import annotations

from typing import Final

__all__ = [
    "DETAIL",
    "LIGHTS",
    "REPORTS",
    "measures",
    "months",
    "official_order",
    "portfolio",
]

_COLUMNS: Final = (
    "town, code, name, category, stage, kind, currency, government_fen, social_fen, plan_fen, "
    "plan_year, zone, responsible_unit, valid_from, version"
)


def _register(on: str) -> str:
    """The register valid on ``on`` as known at the cut (the CTEs ``current``, ``newest``
    and ``register``): each project's newest visible
    version (by effective day, then version). History is small beside the register: its
    newest visible version per project is found first, and the current rows stream once
    past it (a row is kept unless the other side holds a strictly later version). The
    history's side reads only the current rows' keys and versions, so the current rows
    are read by one consumer and never copied (a CTE read twice is materialised)."""
    visible = f"valid_from <= {on} AND recorded_at < $cutoff"
    later = (
        "({a}.valid_from > {b}.valid_from OR "
        "({a}.valid_from = {b}.valid_from AND {a}.version > {b}.version))"
    )
    return f"""
    current AS (SELECT {_COLUMNS} FROM projects WHERE {visible}),
    newest AS (
        SELECT {_COLUMNS} FROM (
            SELECT {_COLUMNS}, row_number() OVER (
                PARTITION BY town, code ORDER BY valid_from DESC, version DESC) AS newest
            FROM project_history WHERE {visible}
        ) AS versions WHERE newest = 1
    ),
    register AS (
    SELECT p.* FROM current p LEFT JOIN newest h ON h.town = p.town AND h.code = p.code
    WHERE h.code IS NULL OR NOT {later.format(a="h", b="p")}
    UNION ALL
    SELECT h.* FROM newest h LEFT JOIN (
        SELECT town, code, valid_from, version FROM projects WHERE {visible}
    ) p ON p.town = h.town AND p.code = h.code
    WHERE p.code IS NULL OR NOT {later.format(a="p", b="h")}
    )"""


# Reports seen at the cut, up to the bulletin's month. A report for a project and month
# with no correction anywhere is in force alone; where a chain of corrections exists the
# newest report of it known at the cut is. Corrections are rare: the chains are a small
# set, and the bulk of the reports streams past it once. Each keeps the day the first
# report of its chain arrived (``first_on``), which the owed reports are judged by.
_SEEN: Final = "v.reported_on <= $day AND v.recorded_at < $cutoff AND v.period <= $last"
_IN_FORCE: Final = f"""
chains AS (
    SELECT DISTINCT town, project, period FROM progress WHERE corrects IS NOT NULL
),
in_force AS (
    SELECT v.town, v.project, v.period, v.completed_fen, v.reported_on AS first_on
    FROM progress v
    WHERE {_SEEN} AND NOT EXISTS (
        SELECT 1 FROM chains c
        WHERE c.town = v.town AND c.project = v.project AND c.period = v.period)
    UNION ALL
    SELECT town, project, period, completed_fen, first_on FROM (
        SELECT v.town, v.project, v.period, v.completed_fen,
               MIN(v.reported_on) OVER (PARTITION BY v.town, v.project, v.period)
                   AS first_on,
               row_number() OVER (PARTITION BY v.town, v.project, v.period
                                  ORDER BY v.id DESC) AS newest
        FROM progress v JOIN chains c
          ON c.town = v.town AND c.project = v.project AND c.period = v.period
        WHERE {_SEEN}
    ) AS chained
    WHERE newest = 1
)"""


def measures(months: int) -> str:
    """Each project's reports in force at the cut, summed once (the one pass over the
    bulk of the dataset): ``cum`` (every report up to the month), ``fen`` (the year to
    date), each month's ``m1`` … ``m<months>``, and ``first_on``, the day the month's
    first report arrived. The portfolio and the owed reports read it as ``measures``."""
    _check_month(months)
    each = "".join(
        f", SUM(CASE WHEN period = CONCAT($year_text, '-{m:02d}') THEN completed_fen ELSE 0 END)"
        f" AS m{m}"
        for m in range(1, months + 1)
    )
    return f"""WITH {_IN_FORCE}
SELECT town, project, SUM(completed_fen) AS cum,
       SUM(CASE WHEN period >= $first THEN completed_fen ELSE 0 END) AS fen{each},
       MIN(CASE WHEN period = $last THEN first_on END) AS first_on
FROM in_force GROUP BY town, project
"""


def _check_month(months: int) -> None:
    if not isinstance(months, int) or not 1 <= months <= 12:
        raise ValueError(f"a month of the year, 1 to 12: {months!r}")


# 1200 × plan × points behind / 100 = 100·m·plan − 1200·ytd, in 38-digit integers.
_BEHIND: Final = (
    "(CAST(100 AS DECIMAL(38,0)) * $month_index * year_plan - CAST(1200 AS DECIMAL(38,0)) * ytd)"
)
# A suspended or cancelled project (in ``halted``, see :func:`rules.halted`) gets no light.
_LIT: Final = "(kind = 'construction' AND year_plan > 0 AND NOT halted)"


def portfolio(months: int) -> str:
    """The eligible register as of the cut, measured on the end of month ``months`` of the
    year from ``measures``: ``ytd``, ``cum``, ``year_plan``, each month's completed
    investment ``m1`` … ``m<months>``, and the light flags ``lit``, ``amber_up`` and
    ``red`` (0 or 1) per project. The other questions read it as a table named
    ``portfolio``."""
    _check_month(months)
    monthly = "".join(f", COALESCE(y.m{m}, 0) AS m{m}" for m in range(1, months + 1))
    columns = "".join(f", m{m}" for m in range(1, months + 1))
    return _PORTFOLIO.replace("{monthly}", monthly).replace("{columns}", columns)


_PORTFOLIO: Final = f"""WITH {_register("$day")},
measured AS (
    SELECT r.town, r.code, r.name, r.category, r.stage, r.kind, r.currency, r.zone,
           r.responsible_unit, t.red_num, t.red_den, t.amber_num, t.amber_den,
           s.project IS NOT NULL AS halted,
           CASE WHEN r.plan_year = $year THEN r.plan_fen ELSE 0 END AS year_plan,
           COALESCE(y.fen, 0) AS ytd, COALESCE(y.cum, 0) AS cum{{monthly}}
    FROM register r JOIN town_rules t ON t.town = r.town
    LEFT JOIN measures y ON y.town = r.town AND y.project = r.code
    LEFT JOIN halted s ON s.town = r.town AND s.project = r.code
    WHERE r.currency = t.currency
      AND (r.government_fen >= t.government_min OR r.social_fen >= t.social_min)
)
SELECT town, code, name, category, stage, currency, zone, responsible_unit, year_plan, ytd,
    cum{{columns}},
    CASE WHEN {_LIT} THEN 1 ELSE 0 END AS lit,
    CASE WHEN {_LIT} AND {_BEHIND} * amber_den >= 12 * amber_num * year_plan
         THEN 1 ELSE 0 END AS amber_up,
    CASE WHEN {_LIT} AND {_BEHIND} * red_den > 12 * red_num * year_plan
         THEN 1 ELSE 0 END AS red
FROM measured
"""


#: Totals per currency, and per zone, category and responsible unit (a town's zones and
#: units are its own: they group with the town), and projects per stage, in one pass:
#: ``grouping`` tells them apart (0 the totals, 1 zones, 2 categories, 3 units, 4 stages).
DETAIL: Final = """
SELECT CASE WHEN GROUPING(zone) = 0 THEN 1 WHEN GROUPING(category) = 0 THEN 2
            WHEN GROUPING(responsible_unit) = 0 THEN 3 WHEN GROUPING(stage) = 0 THEN 4
            ELSE 0 END AS grouping,
       town, zone, category, responsible_unit, stage, currency, COUNT(*) AS n,
       SUM(year_plan) AS planned, SUM(ytd) AS ytd, SUM(cum) AS cum,
       SUM(lit) AS lit, SUM(amber_up) AS amber_up, SUM(red) AS red
FROM portfolio
GROUP BY GROUPING SETS ((currency), (town, zone, currency), (category, currency),
                        (town, responsible_unit, currency), (stage))
"""

#: The projects lit amber or red, with what judging them needs (the amounts in fen as
#: 64-bit integers, as the dataset holds them), about in the bulletin's order (red first,
#: then by completion rate, in floating point): the exact order is Python's
#: (:func:`townplan.analytics.engine.lights`), a sort of rows already in order costing
#: one comparison each.
LIGHTS: Final = """
SELECT town, code, name, CAST(ytd AS BIGINT) AS ytd, year_plan, currency FROM portfolio
WHERE amber_up = 1 ORDER BY red DESC, CAST(ytd AS DOUBLE) / year_plan, town, code
"""


def months(count: int) -> str:
    """Completed investment of the CNY portfolio in each of the year's first ``count``
    months (one row: ``m1`` … ``m<count>``)."""
    sums = ", ".join(f"SUM(m{m})" for m in range(1, count + 1))
    return f"SELECT {sums} FROM portfolio WHERE currency = 'CNY'"


#: The month's owed reports that are missing or late: the register at the month's end,
#: each town's calendar and policy, the first report received by the cut (``measures``),
#: in about the bulletin's order (by status, then code; Python's sort decides).
REPORTS: Final = f"""
WITH {_register("$month_end")},
owed AS (
    SELECT r.town, r.code, r.name, r.responsible_unit, t.due, x.first_on,
        CASE WHEN x.first_on IS NOT NULL THEN
                  CASE WHEN x.first_on <= t.due THEN 'on_time' ELSE 'late' END
             WHEN $day > t.due THEN 'missing' ELSE 'pending' END AS status
    FROM register r JOIN town_rules t ON t.town = r.town
    LEFT JOIN measures x ON x.town = r.town AND x.project = r.code
    WHERE (t.include_reserve OR r.kind <> 'reserve')
      AND (NOT t.eligible_only OR (r.currency = t.currency
           AND (r.government_fen >= t.government_min OR r.social_fen >= t.social_min)))
)
SELECT town, code, name, responsible_unit, due, first_on, status FROM owed
WHERE status IN ('missing', 'late') ORDER BY status, town, code
"""


def official_order(table: str) -> str:
    """The names of one town's zones or units (``table``) in the order the office lists
    them (排列顺序), those known at the cut, as ``Ledger.official_order`` reads them."""
    if table not in ("zones", "units"):
        raise ValueError(f"zones or units: {table!r}")
    return (
        f"SELECT name FROM {table} WHERE position IS NOT NULL AND recorded_at < $cutoff "
        "ORDER BY position"
    )
