"""As-of reads while history grows 1×, 10× and 100×.

Each ledger holds ``size.asof_projects`` projects with one version, twelve monthly reports
(one in 25 corrected) and one entry per year of history: 1, 10 or 100 years. The same
questions are asked of each — a project as of the end of the first year and as of the
last day, its progress as of the end of the first year, its entries as of then — so the
answers stay the same size and only the history behind them grows. Flat means the time
per read at 100× stays within 2× of the time at 1×.

townplan's reads run beside hand-written SQL over the same file (rows → records by hand);
times are per read, the best of three interleaved passes over the same random codes.
The history is written with plain SQL (recorded_at differs per row, which the bulk API
stamps per batch), without the FTS trigger on progress notes, which reads do not use.
Then each ledger gets the indexes the schema lacks (:data:`PROGRESS_INDEX`,
:data:`HISTORY_INDEX`) and the reads they are for are timed again, the SQL baseline for a
project now taking the newest version by the day with ``LIMIT 1`` from each table.
"""

from __future__ import annotations

import json
import random
import sqlite3
import time
from collections.abc import Callable
from contextlib import closing
from datetime import date
from pathlib import Path
from typing import Any

from bench import data, files
from bench.common import Result, Size
from townplan import ProgressReport, Stage
from townplan.ledger import Entry, LedgerStore, as_recorded_at
from townplan.ledger.rows import progress_from_row

FACTORS = (1, 10, 100)
#: Indexes the schema lacks that make the reads below flat, created after the main cases.
PROGRESS_INDEX = "progress(project, reported_on)"
HISTORY_INDEX = "project_history(code, valid_from, version)"
_STAGES = tuple(Stage)
FIRST = 1990
_COLUMNS = ", ".join(files.PROJECT_FIELDS)
_HISTORY_INSERT = files.insert_sql(
    "project_history", (*files.PROJECT_FIELDS, "version", "change_note")
)
_CURRENT_INSERT = files.insert_sql("projects", (*files.PROJECT_FIELDS, "version"))
_CORRECT = """
INSERT INTO progress (project, period, currency, completed_fen, cumulative_fen, note,
                      reported_on, recorded_at, corrects)
SELECT project, period, currency, completed_fen + 100, cumulative_fen, note || '（更正）',
       date(reported_on, '+10 days'), date(reported_on, '+10 days') || 'T00:00:00.000000', id
FROM progress WHERE id % 25 = 0
"""
_RECORD = ", ".join(files.PROJECT_FIELDS[:-2])
_PROJECT_SQL = f"""
SELECT {_RECORD} FROM (
    SELECT {_COLUMNS}, version FROM projects WHERE code = :c
    UNION ALL SELECT {_COLUMNS}, version FROM project_history WHERE code = :c)
WHERE valid_from <= :day AND recorded_at < :cutoff
ORDER BY valid_from DESC, version DESC LIMIT 1
"""
# The newest version effective by the day from each table, then the newer of the two.
_PROJECT_SEEK_SQL = f"""
SELECT {_RECORD} FROM (
    SELECT {_COLUMNS}, version FROM projects
    WHERE code = :c AND valid_from <= :day AND recorded_at < :cutoff
    UNION ALL SELECT * FROM (
        SELECT {_COLUMNS}, version FROM project_history
        WHERE code = :c AND valid_from <= :day AND recorded_at < :cutoff
        ORDER BY valid_from DESC, version DESC LIMIT 1))
ORDER BY valid_from DESC, version DESC LIMIT 1
"""
_PROGRESS_SQL = """
SELECT * FROM progress p
WHERE p.project = :c AND p.reported_on <= :day AND p.recorded_at < :cutoff
  AND NOT EXISTS (SELECT 1 FROM progress c
                  WHERE c.project = p.project AND c.period = p.period AND c.id > p.id
                  AND c.reported_on <= :day AND c.recorded_at < :cutoff)
ORDER BY p.period
"""
_MONTH_SQL = _PROGRESS_SQL.replace("p.project = :c", "p.project = :c AND p.period = :m")
_ENTRIES_SQL = """
SELECT * FROM entries e
WHERE e.kind = 'stage_review' AND e.subject = :c AND e.effective_on <= :day
  AND e.recorded_at < :cutoff
  AND NOT EXISTS (SELECT 1 FROM entries c WHERE c.corrects = e.id
                  AND c.recorded_at < :cutoff)
ORDER BY e.effective_on, e.id
"""


def _stamp(day: date) -> str:
    return as_recorded_at(day)


def build(path: Path, projects: int, years: int) -> None:
    """A ledger at ``path`` with ``years`` years of history for ``projects`` projects."""
    base = data.project_rows(projects)
    with files.townplan_ledger(path) as ledger:
        db = ledger.db
        files.drop_progress_fts_trigger(db.conn)
        with ledger.transaction():
            for year in reversed(range(years)):  # current version first: history refers to it
                day = date(FIRST + year, 1, 1)
                stage, stamp = _STAGES[year % 5].value, _stamp(day)
                rows = [
                    (*r[:3], stage, *r[4:9], r[9] + year * 100, *r[10:19], day.isoformat(), stamp,
                     year + 1)
                    for r in base
                ]  # fmt: skip
                if year + 1 == years:
                    db.conn.executemany(_CURRENT_INSERT, rows)
                else:
                    db.conn.executemany(_HISTORY_INSERT, [(*r, f"第{year + 1}版") for r in rows])
            for month in range(12 * years):
                period = f"{FIRST + month // 12}-{month % 12 + 1:02d}"
                reported = date(FIRST + (month + 1) // 12, (month + 1) % 12 + 1, 5)
                db.conn.executemany(
                    files.PROGRESS_INSERT,
                    [(r[0], period, "CNY", 10_000 * (month + 1), None, "月报",
                      reported.isoformat(), _stamp(reported), None) for r in base],
                )  # fmt: skip
            db.execute(_CORRECT)
            db.conn.executemany(
                "INSERT INTO entries (kind, subject, effective_on, recorded_at, payload) "
                "VALUES ('stage_review', ?, ?, ?, ?)",
                [(r[0], date(FIRST + y, 6, 30).isoformat(), _stamp(date(FIRST + y, 6, 30)),
                  f'{{"year": {FIRST + y}}}') for y in range(years) for r in base],
            )  # fmt: skip


def _per_read(codes: list[str], read: Callable[[str], Any]) -> tuple[float, float]:
    start, start_cpu = time.perf_counter(), time.process_time()
    for code in codes:
        read(code)
    return (
        (time.perf_counter() - start) / len(codes),
        (time.process_time() - start_cpu) / len(codes),
    )


def _pair(
    codes: list[str], townplan: Callable[[str], Any], hand: Callable[[str], Any]
) -> tuple[float, ...]:
    """Best of three interleaved passes over ``codes``: wall seconds per read of townplan
    and of the hand-written SQL, then CPU seconds per read of each."""
    passes = [(*_per_read(codes, townplan), *_per_read(codes, hand)) for _ in range(3)]
    best = [min(p[i] for p in passes) for i in range(4)]
    return best[0], best[2], best[1], best[3]


def _entry(row: tuple[Any, ...]) -> Entry:
    id_, kind, subject, effective, recorded, payload, note, corrects = row
    return Entry(id_, kind, subject, date.fromisoformat(effective), recorded,
                 json.loads(payload), note, corrects)  # fmt: skip


def _window(day: date) -> dict[str, str]:
    """The as-of parameters of ``day``: effective by it, recorded before the next day."""
    return {"day": day.isoformat(), "cutoff": _stamp(date.fromordinal(day.toordinal() + 1))}


def _townplan_reads(ledger: LedgerStore, first: date, last: date) -> list[Callable[[str], Any]]:
    early, late = ledger.as_of(first), ledger.as_of(last)
    relation, cut = early.relation("progress")
    month = f"SELECT * FROM ({relation}) WHERE project = :c AND period = :m"

    def june(code: str) -> list[ProgressReport]:
        cursor = ledger.db.execute(month, {**cut, "c": code, "m": f"{FIRST}-06"})
        names = [d[0] for d in cursor.description]
        return [progress_from_row(dict(zip(names, row, strict=True))) for row in cursor]

    return [
        early.project,
        late.project,
        june,
        lambda c: list(early.progress(c)),
        lambda c: early.entries(kind="stage_review", subject=c),
    ]


def _hand_reads(
    conn: sqlite3.Connection, first: date, last: date, project_sql: str = _PROJECT_SQL
) -> list[Callable[[str], Any]]:
    def project(day: date) -> Callable[[str], Any]:
        window = _window(day)
        return lambda c: data.project_record(
            conn.execute(project_sql, {**window, "c": c}).fetchone()
        )

    early = _window(first)
    return [
        project(first),
        project(last),
        lambda c: [
            data.progress_read(r)
            for r in conn.execute(_MONTH_SQL, {**early, "c": c, "m": f"{FIRST}-06"})
        ],
        lambda c: [data.progress_read(r) for r in conn.execute(_PROGRESS_SQL, {**early, "c": c})],
        lambda c: [_entry(r) for r in conn.execute(_ENTRIES_SQL, {**early, "c": c})],
    ]


CASES = (
    "project as of the first year's end",
    "project as of the last day",
    "a project's June report as of the first year's end (relation)",
    "progress of a project as of the first year's end",
    "entries of a subject as of the first year's end",
)
#: The cases timed again once the proposed indexes exist (the SQL baseline for a project
#: then takes the newest version by the day with LIMIT 1 from each table).
INDEXED = {
    0: f"project as of the first year's end, + index {HISTORY_INDEX}, SQL LIMIT 1",
    1: f"project as of the last day, + index {HISTORY_INDEX}, SQL LIMIT 1",
    3: f"progress of a project as of the first year's end, + index {PROGRESS_INDEX}",
}


def _cases(path: Path, codes: list[str], years: int) -> dict[str, tuple[float, ...]]:
    """{case: (townplan, baseline wall seconds per read, townplan, baseline CPU seconds)}."""
    first, last = date(FIRST, 12, 31), date(FIRST + years - 1, 12, 31)
    out: dict[str, tuple[float, ...]] = {}
    with LedgerStore.open(path) as ledger, closing(sqlite3.connect(path)) as conn:
        townplan, hand = _townplan_reads(ledger, first, last), _hand_reads(conn, first, last)
        for case, mine, theirs in zip(CASES, townplan, hand, strict=True):
            if mine(codes[0]) != theirs(codes[0]):
                raise AssertionError(f"{case}: townplan and the baseline disagree")
            out[case] = _pair(codes, mine, theirs)
        for index in (PROGRESS_INDEX, HISTORY_INDEX):
            conn.execute(f"CREATE INDEX proposed_{index.split('(')[0]} ON {index}")
        conn.commit()
        townplan = _townplan_reads(ledger, first, last)
        hand = _hand_reads(conn, first, last, _PROJECT_SEEK_SQL)
        for number, case in INDEXED.items():
            if townplan[number](codes[0]) != hand[number](codes[0]):
                raise AssertionError(f"{case}: townplan and the baseline disagree")
            out[case] = _pair(codes, townplan[number], hand[number])
    return out


def run(size: Size, workdir: Path) -> list[Result]:
    """Per-read times of each as-of question at each history factor."""
    rng = random.Random(3)
    codes = [f"P{rng.randrange(1, size.asof_projects + 1):07d}" for _ in range(size.asof_reads)]
    timings = {}
    for factor in FACTORS:
        path = workdir / f"asof-{factor}.db"
        build(path, size.asof_projects, factor)
        timings[factor] = _cases(path, codes, factor)
    results = []
    for factor in FACTORS:
        for case, (townplan, hand, townplan_cpu, hand_cpu) in timings[factor].items():
            growth = townplan_cpu / timings[1][case][2]
            result = Result(
                "asof", f"{case}, history {factor}×", "hand-written SQL", townplan, hand,
                subject_cpu_s=townplan_cpu, baseline_cpu_s=hand_cpu,
                extra={"factor": factor, "growth": growth,
                       "baseline_growth": hand_cpu / timings[1][case][3]},
            )  # fmt: skip
            if factor > 1:
                result.target("growth", growth, 2.0, basis="cpu")
            results.append(result)
    return results
