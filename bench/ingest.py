"""Ingest: projects and their monthly progress written in one transaction.

townplan (``add_projects`` + ``record_progress_many`` from records pre-built in lists)
against plain ``sqlite3`` ``executemany`` of pre-built tuples into a file with the same
schema; both with and without the FTS5 trigram trigger on ``progress(note)``; sqlite-utils'
generic ``insert_all`` of pre-built dicts; and the SQLAlchemy 2 ORM (on a slice,
extrapolated linearly). Building the rows and records is outside every timed region.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import sqlite_utils

from bench import data, files
from bench.common import Measured, Result, Size, measured
from townplan import ProgressReport, Project
from townplan.ledger import LedgerStore

Row = tuple[Any, ...]
#: Rows per statement of the hand-written multi-row baseline (as many as townplan's).
_PER_STATEMENT = 500
Phases = dict[str, float]


def _phases(m: Measured, lap: tuple[float, float], done: tuple[float, float]) -> Phases:
    """Wall and CPU seconds of the whole region, of the progress part, and the rest."""
    progress, progress_cpu = done[0] - lap[0], done[1] - lap[1]
    return {"total": m.seconds, "total_cpu": m.cpu, "progress": progress,
            "progress_cpu": progress_cpu, "projects": m.seconds - progress,
            "projects_cpu": m.cpu - progress_cpu, "rss": m.growth_mb}  # fmt: skip


def _clock() -> tuple[float, float]:
    return time.perf_counter(), time.process_time()


def _townplan(
    path: Path, projects: Sequence[Project], reports: Sequence[ProgressReport], *, fts: bool
) -> Phases:
    with files.townplan_ledger(path) as ledger:
        if not fts:
            files.drop_progress_fts_trigger(ledger.db.conn)
        with measured() as m, ledger.transaction():
            ledger.add_projects(projects, on=data.VALID_FROM, recorded_at=data.RECORDED)
            lap = _clock()
            ledger.record_progress_many(reports, recorded_at=data.RECORDED)
            done = _clock()
    return _phases(m, lap, done)


def _baseline(path: Path, projects: list[Row], progress: list[Row], *, fts: bool) -> Phases:
    conn = files.baseline_file(path)
    if not fts:
        files.drop_progress_fts_trigger(conn)
    with measured() as m:
        conn.execute("BEGIN")
        conn.executemany(files.PROJECT_INSERT, projects)
        lap = _clock()
        conn.executemany(files.PROGRESS_INSERT, progress)
        done = _clock()
        conn.execute("COMMIT")
    conn.close()
    return _phases(m, lap, done)


def _multirow(path: Path, projects: list[Row], progress: list[Row]) -> Phases:
    """Plain sqlite3 with hand-written multi-row statements (500 rows each): the fastest
    way to write these rows that we know, so the floor for any writer of them."""
    conn = files.baseline_file(path)
    with measured() as m:
        conn.execute("BEGIN")
        _insert_many(conn, "projects", files.PROJECT_FIELDS, projects)
        lap = _clock()
        _insert_many(conn, "progress", files.PROGRESS_FIELDS, progress)
        done = _clock()
        conn.execute("COMMIT")
    conn.close()
    return _phases(m, lap, done)


def _insert_many(
    conn: sqlite3.Connection, table: str, fields: tuple[str, ...], rows: list[Row]
) -> None:
    group = "(" + ", ".join("?" * len(fields)) + ")"
    head = f"INSERT INTO {table} ({', '.join(fields)}) VALUES "
    for start in range(0, len(rows), _PER_STATEMENT):
        part = rows[start : start + _PER_STATEMENT]
        conn.execute(head + ", ".join([group] * len(part)), [v for row in part for v in row])


def _sqlite_utils(path: Path, projects: list[Row], progress: list[Row], *, fts: bool) -> Phases:
    conn = files.baseline_file(path)
    if not fts:
        files.drop_progress_fts_trigger(conn)
    project_dicts = [dict(zip(files.PROJECT_FIELDS, row, strict=True)) for row in projects]
    progress_dicts = [dict(zip(files.PROGRESS_FIELDS, row, strict=True)) for row in progress]
    db = sqlite_utils.Database(conn)
    with measured() as m, db.atomic():
        db.table("projects").insert_all(project_dicts)
        lap = _clock()
        db.table("progress").insert_all(progress_dicts)
        done = _clock()
    db.close()
    return _phases(m, lap, done)


def _result(case: str, mine: Phases, theirs: Phases, part: str = "total", **kw: Any) -> Result:
    """A result comparing the ``part`` phase of two runs."""
    return Result(
        "ingest", case, kw.pop("baseline", "sqlite3 executemany"), mine[part], theirs[part],
        subject_cpu_s=mine[f"{part}_cpu"], baseline_cpu_s=theirs[f"{part}_cpu"], **kw,
    )  # fmt: skip


def run(size: Size, workdir: Path) -> list[Result]:
    """Every ingest case at ``size``; files go to ``workdir``."""
    project_rows = data.project_rows(size.projects)
    progress_rows = list(data.progress_rows(size.projects, size.entries))
    projects = [data.project_record(row) for row in project_rows]
    reports = [data.progress_record(row) for row in progress_rows]

    base = _baseline(workdir / "ingest-base.db", project_rows, progress_rows, fts=True)
    tp = _townplan(workdir / "ingest-tp.db", projects, reports, fts=True)
    tp_bare = _townplan(workdir / "ingest-tp-nofts.db", projects, reports, fts=False)
    base_bare = _baseline(workdir / "ingest-base-nofts.db", project_rows, progress_rows, fts=False)
    floor = _multirow(workdir / "ingest-multirow.db", project_rows, progress_rows)
    generic = _sqlite_utils(workdir / "ingest-su.db", project_rows, progress_rows, fts=True)
    generic_bare = _sqlite_utils(
        workdir / "ingest-su-nofts.db", project_rows, progress_rows, fts=False
    )
    with (
        LedgerStore.open(workdir / "ingest-tp.db") as a,
        LedgerStore.open(workdir / "ingest-base.db") as b,
    ):
        if not files.same_content(a, b):
            raise AssertionError("townplan and the baseline wrote different rows")

    n, e = f"{size.projects:,}", f"{size.entries:,}"
    no_fts = "no FTS trigger on progress(note)"
    fts_share = (base["total"] - base_bare["total"]) / base["total"]
    su = {"subject": "sqlite-utils insert_all"}
    results = [
        _result(f"{n} projects (and the commit)", tp, base, "projects"),
        _result(f"{e} progress entries", tp, base, "progress"),
        _result(
            f"{n} projects + {e} entries, one transaction", tp, base,
            subject_rss_mb=tp["rss"], baseline_rss_mb=base["rss"],
            note=f"same rows (checksum); the progress FTS5 trigram trigger is {fts_share:.0%} "
            "of the baseline's time", extra={"townplan": tp, "baseline": base},
        ).judged("ratio", 1.5),
        _result(
            f"same, {no_fts} (both sides)", tp_bare, base_bare, subject_rss_mb=tp_bare["rss"],
            baseline_rss_mb=base_bare["rss"], extra={"townplan": tp_bare, "baseline": base_bare},
        ),
        _result(f"{n} projects + {e} entries vs the same multi-row statements by hand", tp,
                floor, baseline="sqlite3, 500-row INSERTs", extra={"multirow": floor}),
        _result("FTS trigger on progress(note) vs none", base, base_bare,
                baseline="no trigger", subject="sqlite3 executemany"),
        _result("the generic path: dicts into insert_all", generic, base,
                subject_rss_mb=generic["rss"], extra={"sqlite_utils": generic}, **su),
        _result(f"the generic path, {no_fts} (both sides)", generic_bare, base_bare,
                extra={"sqlite_utils": generic_bare}, **su),
    ]  # fmt: skip
    orm = _orm(size, workdir, projects, reports, tp)
    results.append(orm)
    bound = orm.baseline_cpu_s / floor["total_cpu"]  # type: ignore[operator]
    limit = (
        f"the ORM takes {bound:.1f}× the CPU of hand-written 500-row INSERTs of the same rows: "
        f"to be 20× faster than the ORM a writer would need to be {20 / bound:.1f}× faster "
        "than those"
    )
    orm.note = f"{orm.note}; {limit}" if orm.note else limit
    return results


def _orm(
    size: Size, workdir: Path, projects: list[Project], reports: list[ProgressReport], tp: Phases
) -> Result:
    from bench import orm

    files.baseline_file(workdir / "ingest-orm.db").close()
    part = size.orm_slice
    wall, cpu = orm.ingest(
        workdir / "ingest-orm.db",
        projects[: len(projects) // part],
        [r for r in reports if int(r.project[1:]) <= len(projects) // part],
        data.VALID_FROM.isoformat(),
        data.RECORDED_AT,
    )
    note = "" if part == 1 else f"the ORM ran on 1/{part} of the rows ({wall:.2f} s), × {part}"
    return Result(
        "ingest", "projects + entries vs SQLAlchemy 2 ORM add_all",
        "SQLAlchemy ORM" + (" (extrapolated)" if part > 1 else ""), tp["total"], wall * part,
        subject_cpu_s=tp["total_cpu"], baseline_cpu_s=cpu * part, note=note,
    ).judged("speedup", 20, at_least=True)  # fmt: skip
