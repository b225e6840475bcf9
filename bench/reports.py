"""The year's expected reports (信息报送) beside hand-written SQL that finds the same ones.

The assessment reads every report a town owed in a year: for each month, the projects of
the register at the month's end that the reporting calendar covers (eligible under the
policy in force then, reserve projects included) and, for each, the first report that
arrived by the check day and whether it was on time, late, missing or pending. Read as
of 15 December 2013 on a generated portfolio (``seed=1``, ten months reported), once
through ``expected_reports(ledger, "2013")``, typed records and all, and once through
plain sqlite3 — one statement per month, ordered by project code, as a careful hand
would write it. Every report (project, month, status, day received) must be the same or
the run fails.
"""

from __future__ import annotations

import calendar
import sqlite3
from datetime import date
from functools import partial
from pathlib import Path
from typing import Final

from bench.bulletin import portfolio
from bench.common import Result, Size, best_of
from townplan import Ledger
from townplan.governance.reporting import ExpectedReport, expected_reports

SIZES: Final = {"small": (1_000,), "medium": (20_000,), "large": (20_000, 100_000)}
RUNS: Final = 3

_DAY: Final = "2013-12-15"
_CUTOFF: Final = "2013-12-16"  # recorded_at is ISO text: earlier means recorded by _DAY
# Owed for one month: eligible (government ≥ 1000万元 or social ≥ 2亿元, in fen) in the
# register at the month's end as known by the cut; the first report of the month that
# arrived by the day decides the status (the reporting calendar's default: due the 5th
# of the next month).
_MONTH: Final = """
SELECT p.code, p.period, r.first_on,
       CASE WHEN r.first_on IS NOT NULL THEN
            CASE WHEN r.first_on <= :due THEN 'on_time' ELSE 'late' END
            WHEN :day > :due THEN 'missing' ELSE 'pending' END
FROM (SELECT q.*, :period AS period FROM projects q
      WHERE q.valid_from <= :month_end AND q.recorded_at < :cutoff
        AND NOT EXISTS (SELECT 1 FROM project_history h WHERE h.code = q.code
                        AND h.valid_from <= :month_end AND h.recorded_at < :cutoff
                        AND (h.valid_from, h.version) > (q.valid_from, q.version))) p
LEFT JOIN (SELECT project, min(reported_on) AS first_on FROM progress
           WHERE period = :period AND reported_on <= :day AND recorded_at < :cutoff
           GROUP BY project) r ON r.project = p.code
WHERE p.currency = 'CNY' AND (p.government_fen >= 1000000000 OR p.social_fen >= 20000000000)
ORDER BY p.code
"""  # the generated ledgers keep no history, so no version comes from project_history

Row = tuple[object, ...]


def by_hand(conn: sqlite3.Connection) -> list[Row]:
    """Every report owed in 2013 as of the day, month by month (see the module text)."""
    found: list[Row] = []
    for month in range(1, 13):
        period = f"2013-{month:02d}"
        if period > _DAY[:7]:
            break
        end = date(2013, month, calendar.monthrange(2013, month)[1])
        due = date(2013 + month // 12, month % 12 + 1, 5)
        params = {"period": period, "month_end": end.isoformat(), "due": due.isoformat(),
                  "day": _DAY, "cutoff": _CUTOFF}  # fmt: skip
        found.extend(conn.execute(_MONTH, params))
    return found


def check(reports: list[ExpectedReport], rows: list[Row]) -> None:
    """Raise AssertionError unless townplan found the reports the hand-written SQL did."""
    mine = [(r.code, str(r.period), None if r.received_on is None else str(r.received_on),
             r.status) for r in reports]  # fmt: skip
    if mine != [tuple(row) for row in rows]:
        raise AssertionError("expected_reports and hand-written SQL disagree")


def run(size: Size, workdir: Path) -> list[Result]:
    """The year's expected reports at each portfolio size of ``size``."""
    results: list[Result] = []
    day = date.fromisoformat(_DAY)
    for projects in SIZES[size.name]:
        path = portfolio(projects, workdir)
        ledger = Ledger.open(path, read_only=True)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        (wall, cpu, reports), (base_wall, base_cpu, rows) = best_of(
            RUNS, partial(expected_reports, ledger, "2013", on=day), partial(by_hand, conn)
        )
        check(reports, rows)
        ledger.close()
        conn.close()
        results.append(
            Result(
                "reports", f"2013's expected reports, {projects:,} projects ({len(rows):,} owed)",
                "hand-written SQL (one statement a month)", wall, base_wall,
                subject_cpu_s=cpu, baseline_cpu_s=base_cpu,
                note="townplan also builds a typed ExpectedReport for each",
            ).judged("ratio", 2.0)
        )  # fmt: skip
    return results
