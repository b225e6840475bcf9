"""Streaming: progress entries written from a generator and read back one by one, with
the RSS they cost.

Writing: ``record_progress_many`` over a generator that builds each :class:`ProgressReport`
as it is asked for, against ``executemany`` over a generator of tuples — generation is
inside both timed regions here (that is the point of streaming), so the ratio also
carries the cost of building validated records. Reading: ``LedgerStore.progress()``
against the same SQL over plain sqlite3 with records built by hand.
"""

from __future__ import annotations

from pathlib import Path

from bench import data, files
from bench.common import Result, Size, measured
from townplan.ledger import LedgerStore

_READ = "SELECT * FROM progress_current ORDER BY project, period"
RSS_GROWTH_MB = 50
PEAK_RSS_MB = 200


def run(size: Size, workdir: Path) -> list[Result]:
    """Stream ``size.entries`` progress entries in and out."""
    tp_path, base_path = workdir / "stream-tp.db", workdir / "stream-base.db"
    with files.townplan_ledger(tp_path) as ledger:
        ledger.add_projects(
            (data.project_record(r) for r in data.project_rows(size.projects)),
            valid_from=data.VALID_FROM, recorded_at=data.RECORDED,
        )  # fmt: skip
        reports = (data.progress_record(r) for r in data.progress_rows(size.projects, size.entries))
        with measured() as tp_write:
            ledger.record_progress_many(reports, recorded_at=data.RECORDED)
    conn = files.baseline_file(base_path)
    conn.execute("BEGIN")
    conn.executemany(files.PROJECT_INSERT, data.project_rows(size.projects))
    conn.execute("COMMIT")
    with measured() as base_write:
        conn.execute("BEGIN")
        conn.executemany(files.PROGRESS_INSERT, data.progress_rows(size.projects, size.entries))
        conn.execute("COMMIT")

    with LedgerStore.open(tp_path) as ledger, measured() as tp_read:
        count = sum(1 for _ in ledger.progress())
    with measured() as base_read:
        hand = sum(1 for _ in map(data.progress_read, conn.execute(_READ)))
    conn.close()
    if count != hand or count != size.entries:
        raise AssertionError(f"read {count} entries with townplan, {hand} by hand")

    e = f"{size.entries:,}"
    return [
        _checked(Result(
            "stream", f"write {e} entries from a generator", "executemany over a generator",
            tp_write.seconds, base_write.seconds, subject_cpu_s=tp_write.cpu,
            baseline_cpu_s=base_write.cpu, subject_rss_mb=tp_write.growth_mb,
            baseline_rss_mb=base_write.growth_mb,
            note=f"records built inside the timed region; peak RSS {tp_write.peak_mb:.0f} MB",
            extra={"peak_rss_mb": tp_write.peak_mb, "rss_before_mb": tp_write.rss_before_mb},
        ), tp_write.growth_mb, tp_write.peak_mb),
        _checked(Result(
            "stream", f"read {e} entries as records", "same SQL, records by hand",
            tp_read.seconds, base_read.seconds, subject_cpu_s=tp_read.cpu,
            baseline_cpu_s=base_read.cpu, subject_rss_mb=tp_read.growth_mb,
            baseline_rss_mb=base_read.growth_mb, note=f"peak RSS {tp_read.peak_mb:.0f} MB",
            extra={"peak_rss_mb": tp_read.peak_mb, "rss_before_mb": tp_read.rss_before_mb},
        ), tp_read.growth_mb, tp_read.peak_mb),
    ]  # fmt: skip


def _checked(result: Result, growth: float, peak: float) -> Result:
    return result.target("rss_growth_mb", growth, RSS_GROWTH_MB).target(
        "peak_rss_mb", peak, PEAK_RSS_MB
    )
