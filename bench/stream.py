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
from bench.common import Measured, Result, Size, measured
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
            on=data.VALID_FROM, recorded_at=data.RECORDED,
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
        _result(f"write {e} entries from a generator", "executemany over a generator",
                tp_write, base_write, "records built inside the timed region; "),
        _result(f"read {e} entries as records", "same SQL, records by hand", tp_read, base_read),
    ]  # fmt: skip


def _result(case: str, baseline: str, mine: Measured, theirs: Measured, note: str = "") -> Result:
    """The streaming result, with the RSS targets: growth and the peak itself."""
    result = Result(
        "stream", case, baseline, mine.seconds, theirs.seconds, subject_cpu_s=mine.cpu,
        baseline_cpu_s=theirs.cpu, subject_rss_mb=mine.growth_mb, baseline_rss_mb=theirs.growth_mb,
        note=f"{note}peak RSS {mine.peak_mb:.0f} MB",
        extra={"peak_rss_mb": mine.peak_mb, "rss_before_mb": mine.rss_before_mb},
    )  # fmt: skip
    result.target("rss_growth_mb", mine.growth_mb, RSS_GROWTH_MB)
    return result.target("peak_rss_mb", mine.peak_mb, PEAK_RSS_MB)
