"""The monthly bulletin: ``tp.reports.bulletin`` beside hand-written SQL for its tables.

Generated portfolios of growing size (``seed=1``, six months reported) are read twice:
through the bulletin, and through plain sqlite3 queries that compute the same plan vs
completed tables by zone, category and responsible unit for the eligible projects and the
red/amber counts. The two must give equal totals. The bulletin also builds the light list
with reasons, overdue tasks, open problems and missing/late reports, which the baseline
does not: the ratio is an upper bound on townplan's overhead. A PNG plots time against
size (``bulletin-growth.png`` in the work directory).
"""

from __future__ import annotations

import sqlite3
from datetime import date
from functools import partial
from pathlib import Path
from typing import Final

from bench.common import Result, Size, timed
from townplan import Ledger
from townplan.fixtures import generate_portfolio
from townplan.reports import bulletin

SIZES: Final = {
    "small": (300, 1_000),
    "medium": (10_000, 100_000),
    "large": (10_000, 100_000, 1_000_000),
}

# Eligible (government ≥ 1000万元 or social ≥ 2亿元, in fen) projects with a plan for 2013:
# plan and year-to-date completed per key and currency, and the lights of the
# time-proportional rule at June (amber from 10 points behind, red above 30), in integers.
_SUMMARY = """
WITH ytd AS (
    SELECT project, sum(completed_fen) AS done FROM progress_current
    WHERE period BETWEEN '2013-01' AND '2013-06' GROUP BY project
)
SELECT p.{key} AS key, p.currency, count(*) AS n,
       sum(CASE WHEN p.plan_year = 2013 THEN p.plan_fen ELSE 0 END) AS planned,
       sum(coalesce(y.done, 0)) AS done,
       sum(CASE WHEN p.plan_year = 2013 AND p.plan_fen > 0
                 AND 600 * p.plan_fen - 1200 * coalesce(y.done, 0) > 360 * p.plan_fen
            THEN 1 ELSE 0 END) AS red,
       sum(CASE WHEN p.plan_year = 2013 AND p.plan_fen > 0
                 AND 600 * p.plan_fen - 1200 * coalesce(y.done, 0) >= 120 * p.plan_fen
                 AND 600 * p.plan_fen - 1200 * coalesce(y.done, 0) <= 360 * p.plan_fen
            THEN 1 ELSE 0 END) AS amber
FROM projects p LEFT JOIN ytd y ON y.project = p.code
WHERE p.government_fen >= 1000000000 OR p.social_fen >= 20000000000
GROUP BY p.{key}, p.currency ORDER BY p.{key}
"""
_KEYS: Final = ("zone", "category", "responsible_unit")
_ALL_IN: Final = date(2014, 12, 31)


def by_hand(conn: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    """The three summary tables with plain SQL (keys from a fixed list, never from input)."""
    return {key: conn.execute(_SUMMARY.format(key=key)).fetchall() for key in _KEYS}


def _totals(rows: list[tuple[object, ...]]) -> tuple[int, int, int, int]:
    return (
        sum(int(r[3]) for r in rows),  # type: ignore[call-overload]
        sum(int(r[4]) for r in rows),  # type: ignore[call-overload]
        sum(int(r[5]) for r in rows),  # type: ignore[call-overload]
        sum(int(r[6]) for r in rows),  # type: ignore[call-overload]
    )


def _report_totals(report: object, key: str) -> tuple[int, int, int, int]:
    name = {"zone": "zones", "category": "categories"}.get(key, "units")
    table = report.table(name)  # type: ignore[attr-defined]
    planned = sum(m.fen() for m in table.values("planned"))
    done = sum(m.fen() for m in table.values("year_to_date"))
    return planned, done, sum(table.values("red")), sum(table.values("amber"))


def _plot(points: list[tuple[int, float, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    sizes = [p[0] for p in points]
    axes.loglog(sizes, [p[1] for p in points], marker="o", label="tp.reports.bulletin")
    axes.loglog(sizes, [p[2] for p in points], marker="s", label="hand-written SQL")
    axes.set_xlabel("projects")
    axes.set_ylabel("CPU seconds")
    axes.set_title("June bulletin: time against portfolio size")
    axes.grid(alpha=0.3, which="both")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def run(size: Size, workdir: Path) -> list[Result]:
    """The bulletin at each portfolio size of ``size``, beside the hand-written tables."""
    results: list[Result] = []
    points: list[tuple[int, float, float]] = []
    for projects in SIZES[size.name]:
        path = workdir / f"bulletin-{projects}.db"
        with Ledger.open(path) as ledger:
            generate_portfolio(ledger, projects, seed=1, months=6)
        ledger = Ledger.open(path)
        conn = sqlite3.connect(path)
        # As of a day after every report arrived, so both sides read the same reports.
        wall, cpu, report = timed(partial(bulletin, ledger, "2013-06", as_of=_ALL_IN))
        base_wall, base_cpu, tables = timed(partial(by_hand, conn))
        for key in _KEYS:
            if _report_totals(report, key) != _totals(tables[key]):
                raise AssertionError(f"bulletin and hand-written SQL disagree on {key} totals")
        ledger.close()
        conn.close()
        points.append((projects, cpu, base_cpu))
        results.append(
            Result(
                "bulletin", f"June bulletin, {projects:,} projects (6 months reported)",
                "hand-written SQL (3 summary tables + light counts)", wall, base_wall,
                subject_cpu_s=cpu, baseline_cpu_s=base_cpu,
                note="the bulletin also lists lights with reasons, tasks, problems, reports",
            ).judged("ratio", 1.2)
        )  # fmt: skip
    _plot(points, workdir / "bulletin-growth.png")
    first, last = points[0], points[-1]
    growth = (last[1] / first[1]) / (last[0] / first[0])
    results[-1].note += f"; CPU grows {growth:.2f}× as fast as size from the first size"
    return results
