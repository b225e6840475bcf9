"""Hydrate: every project read back as a validated attrs :class:`Project`.

townplan's ``LedgerStore.projects()`` against the same rows fetched as raw tuples with
plain sqlite3 and turned into records by hand. Best of three runs each, interleaved.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from bench import data, files
from bench.common import Result, Size, measured, timed
from townplan import Project
from townplan.ledger import LedgerStore

_SELECT = f"SELECT {', '.join(files.PROJECT_FIELDS[:-2])} FROM projects ORDER BY code"


def by_hand(conn: sqlite3.Connection) -> list[Project]:
    """Raw tuples → records, written out for this table."""
    return [data.project_record(row) for row in conn.execute(_SELECT)]


def run(size: Size, workdir: Path) -> list[Result]:
    """Hydrate ``size.hydrate`` projects both ways."""
    path = workdir / "hydrate.db"
    rows = data.project_rows(size.hydrate)
    with files.townplan_ledger(path) as ledger:
        ledger.add_projects(
            (data.project_record(r) for r in rows),
            on=data.VALID_FROM, recorded_at=data.RECORDED,
        )  # fmt: skip
    ledger = LedgerStore.open(path)
    conn = sqlite3.connect(path)
    tp_wall = tp_cpu = base_wall = base_cpu = float("inf")
    for _ in range(3):  # interleaved; the best of three each
        wall, cpu, records = timed(lambda: list(ledger.projects()))
        tp_wall, tp_cpu = min(tp_wall, wall), min(tp_cpu, cpu)
        wall, cpu, expected = timed(lambda: by_hand(conn))
        base_wall, base_cpu = min(base_wall, wall), min(base_cpu, cpu)
    if records != expected:
        raise AssertionError("townplan and the baseline read different projects")
    del records, expected
    with measured() as tp_mem:
        list(ledger.projects())
    with measured() as base_mem:
        by_hand(conn)
    ledger.close()
    conn.close()
    return [
        Result(
            "hydrate", f"{size.hydrate:,} projects as attrs records",
            "raw tuples → attrs by hand", tp_wall, base_wall, subject_cpu_s=tp_cpu,
            baseline_cpu_s=base_cpu, subject_rss_mb=tp_mem.growth_mb,
            baseline_rss_mb=base_mem.growth_mb, note="best of 3 each",
        ).judged("ratio", 1.3)
    ]  # fmt: skip
