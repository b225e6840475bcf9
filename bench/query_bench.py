"""Query benchmark: the monthly summary through the query API against hand-written SQL.

The monthly summary is, per zone × category (and currency): planned investment for the
year, completed year to date, completion rate and the number of projects lit red on the
time-proportional schedule. Both sides run on the same ledger file in the same run; the
bench checks they give the same numbers and prints the ratio (target ≤ 1.2). It also
streams every progress report through the API and reports the growth of resident memory
(read from /proc/self/statm; target < 50 MB).

    python -m bench.query_bench --size small     # 10³ projects, 10⁴ progress reports
    python -m bench.query_bench --size medium    # 10⁵ projects, 10⁶ progress reports
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import Query

SIZES = {"small": 1_000, "medium": 100_000, "large": 1_000_000}  # projects × MONTHS reports
MONTHS = 10
YEAR = 2013
ON = date(YEAR, MONTHS, 31)
ZONES = ["大盛南洲片区", "水乡特色示范区", "岭南水乡风貌旧城区", "水乡新城区", "现代临港产业区"]
CATEGORIES = list(tp.Category)
REPEAT = 5

HAND_SQL = """
WITH ytd AS (
    SELECT p.project, SUM(p.completed_fen) AS fen
    FROM progress AS p
    WHERE p.period BETWEEN :first AND :last
      AND NOT EXISTS (SELECT 1 FROM progress AS c WHERE c.corrects = p.id)
    GROUP BY p.project
)
SELECT pr.zone, pr.category, pr.currency,
       SUM(CASE WHEN pr.plan_year = :year THEN pr.plan_fen ELSE 0 END) AS planned,
       SUM(COALESCE(y.fen, 0)) AS completed,
       SUM(CASE WHEN pr.kind = 'construction' AND pr.plan_year = :year AND pr.plan_fen > 0
                 AND 100 * :month * pr.plan_fen - 1200 * COALESCE(y.fen, 0) > 360 * pr.plan_fen
            THEN 1 ELSE 0 END) AS red
FROM projects AS pr LEFT JOIN ytd AS y ON y.project = pr.code
GROUP BY pr.zone, pr.category, pr.currency
ORDER BY pr.zone, pr.category, pr.currency
"""

Figures = dict[tuple[str, str, str], tuple[int, int, Decimal | None, int]]


def _projects(n: int) -> Iterator[tp.Project]:
    for i in range(n):
        currency = "USD" if i % 100 == 7 else "CNY"
        plan = tp.Money.of(1_000_000 + (i * 7919) % 9_000_000, currency)
        kind = tp.ProjectKind.RESERVE if i % 50 == 0 else tp.ProjectKind.CONSTRUCTION
        yield tp.Project(
            code=f"P{i:06d}", name=f"项目{i}", category=CATEGORIES[i % len(CATEGORIES)],
            zone=ZONES[i % len(ZONES)], government_investment=plan * 3,
            social_investment=tp.Money.zero(currency), annual_plan=plan,
            plan_year=YEAR, kind=kind,
        )  # fmt: skip


def _reports(n: int) -> Iterator[tp.ProgressReport]:
    for month in range(1, MONTHS + 1):
        for i in range(n):
            currency = "USD" if i % 100 == 7 else "CNY"
            # projects progress at different paces, so every light occurs
            pace = (i * 31) % 160
            plan_share = (1_000_000 + (i * 7919) % 9_000_000) * pace // 100 // 12
            yield tp.ProgressReport(
                project=f"P{i:06d}", period=f"{YEAR}-{month:02d}",
                completed=tp.Money.of(plan_share, currency), reported_on=date(YEAR, month + 1, 3),
            )  # fmt: skip


def build(path: Path, n: int) -> float:
    """Fill a new ledger at ``path`` with ``n`` projects and MONTHS reports each."""
    start = time.perf_counter()
    with LedgerStore.open(path) as ledger:
        ledger.add_zones(ZONES)
        ledger.add_projects(_projects(n), on=date(YEAR, 1, 1), recorded_at=date(YEAR, 1, 1))
        ledger.record_progress_many(_reports(n), recorded_at=date(YEAR, MONTHS + 1, 3))
    return time.perf_counter() - start


def via_api(ledger: LedgerStore) -> Figures:
    """The monthly summary through the query API."""
    return {
        (s.key[0], s.key[1].value, s.currency): (
            s.planned.fen(),
            s.year_to_date.fen(),
            s.rate,
            s.red or 0,
        )
        for s in Query(ledger).projects().on(ON).group_by("zone", "category")
    }


def via_sql(ledger: LedgerStore) -> Figures:
    """The monthly summary with hand-written SQL on the same connection."""
    params = {"first": f"{YEAR}-01", "last": f"{YEAR}-{MONTHS:02d}", "year": YEAR, "month": MONTHS}
    rows = ledger.db.conn.execute(HAND_SQL, params).fetchall()
    return {
        (zone, category, currency): (
            planned,
            completed,
            Decimal(completed) / Decimal(planned) if planned else None,
            red,
        )
        for zone, category, currency, planned, completed, red in rows
    }


def _race(first: Callable[[], Any], second: Callable[[], Any]) -> tuple[list[float], Any, Any]:
    """Best of REPEAT runs each, alternating, so a busy machine slows both alike: wall and
    CPU seconds of the first, then of the second (each the least seen), and the results."""
    best = [float("inf")] * 4
    results: list[Any] = [None, None]
    for _ in range(REPEAT):
        for i, work in enumerate((first, second)):
            start, start_cpu = time.perf_counter(), time.process_time()
            results[i] = work()
            best[2 * i] = min(best[2 * i], time.perf_counter() - start)
            best[2 * i + 1] = min(best[2 * i + 1], time.process_time() - start_cpu)
    return best, results[0], results[1]


def _rss_mb() -> float:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def _check(metric: str, value: float, limit: float, basis: str = "") -> dict[str, Any]:
    return {"metric": metric, "value": value, "limit": limit, "op": "≤", "met": value <= limit,
            "basis": basis}  # fmt: skip


def measure(path: Path) -> list[dict[str, Any]]:
    """Time both summaries and the streaming read on the ledger at ``path``.

    Each result is a mapping with the fields of ``bench.common.Result``, so that
    ``python -m bench`` can show it beside the other benchmarks.
    """
    with LedgerStore.open(path, read_only=True) as ledger:
        counts = ledger.counts()
        (api_s, api_cpu, sql_s, sql_cpu), api, hand = _race(
            lambda: via_api(ledger), lambda: via_sql(ledger)
        )
        if api != hand:
            raise AssertionError(f"the API and the SQL disagree:\n{api}\n{hand}")
        summary = {
            "bench": "query",
            "case": f"monthly summary zone × category: planned, completed, rate, red "
            f"({counts['projects']} projects, {counts['progress']} reports)",
            "baseline": "hand-written SQL (sqlite3)",
            "townplan_s": api_s,
            "baseline_s": sql_s,
            "subject_cpu_s": api_cpu,
            "baseline_cpu_s": sql_cpu,
            # fixed costs (building the statement, typed rows) dominate small ledgers; the
            # target is set for the 10⁵-project run
            "checks": [_check("ratio", api_cpu / sql_cpu, 1.2, "cpu")]
            if counts["projects"] >= 10**5
            else [],
            "note": "" if counts["projects"] >= 10**5 else "ratio target applies from 10⁵ projects",
            "extra": {"groups": len(api), "red": sum(f[3] for f in api.values()), "equal": True},
        }
        start_rss, start = _rss_mb(), time.perf_counter()
        rows = sum(1 for _ in Query(ledger).progress())
        stream_s, growth = time.perf_counter() - start, _rss_mb() - start_rss
        raw_start = time.perf_counter()
        raw = sum(1 for _ in ledger.db.conn.execute("SELECT * FROM progress_current"))
        raw_s = time.perf_counter() - raw_start
        stream = {
            "bench": "query",
            "case": f"stream {rows} progress reports as typed records",
            "baseline": "sqlite3 cursor over progress_current (tuples)",
            "townplan_s": stream_s,
            "baseline_s": raw_s,
            "subject_rss_mb": growth,
            "checks": [_check("rss_growth_mb", growth, 50)],
            "extra": {"rows": rows, "equal": rows == raw},
        }
    return [summary, stream]


def run(size: str, path: Path | None = None) -> list[dict[str, Any]]:
    """Build a ledger of ``size`` (or reuse ``path`` if it exists) and measure it."""
    n = SIZES[size]
    with tempfile.TemporaryDirectory() as tmp:
        target = path or Path(tmp) / f"query-bench-{size}.db"
        built = build(target, n) if not target.exists() else None
        results = measure(target)
        results[0]["extra"]["build_s"] = built
        return results


def main(argv: list[str] | None = None) -> None:
    """Command line: ``python -m bench.query_bench --size small|medium [--keep FILE]``."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--keep", type=Path, help="ledger file to build once and reuse")
    args = parser.parse_args(argv)
    print(f"sqlite {sqlite3.sqlite_version}; size {args.size}")
    for result in run(args.size, args.keep):
        ratio = result["townplan_s"] / result["baseline_s"]
        print(
            f"{result['case']}\n  townplan {result['townplan_s']:.4f} s, "
            f"{result['baseline']} {result['baseline_s']:.4f} s, ratio {ratio:.2f}"
        )
        for check in result["checks"]:
            verdict = "met" if check["met"] else "NOT MET"
            target = f"{check['op']} {check['limit']}"
            print(f"  {check['metric']} {check['value']:.2f} {target}: {verdict}")
        print(f"  {result['extra']}")


if __name__ == "__main__":
    main()
