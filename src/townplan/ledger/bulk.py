"""The hot write path: stream records in chunks, check each chunk against the ledger with
a few set-based queries, and write with ``executemany``.

Measured (bench/): sqlite-utils' ``insert_all`` costs several times plain ``executemany``
on 10⁵ rows here, so the bulk path writes through the connection; schema, migrations,
introspection, small reference inserts and full-text search stay with sqlite-utils.
Problems are collected across the whole batch; once one is found no further chunk is
written, and the caller's transaction rolls everything back.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, TypeVar

from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.ledger.rows import PROGRESS_COLUMNS, PROJECT_COLUMNS, progress_tuple, project_tuple
from townplan.model.records import ProgressReport, Project

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["chunked", "insert_progress", "insert_projects"]

T = TypeVar("T")

_PROJECT_SQL = (
    f"INSERT INTO projects ({', '.join(PROJECT_COLUMNS)}, valid_from, recorded_at) "
    f"VALUES ({', '.join('?' for _ in PROJECT_COLUMNS)}, ?, ?)"
)
_PROGRESS_SQL = (
    f"INSERT INTO progress ({', '.join(PROGRESS_COLUMNS)}) "
    f"VALUES ({', '.join('?' for _ in PROGRESS_COLUMNS)})"
)


#: Rows per INSERT statement. FTS5 flushes its pending index at the end of every
#: statement, so one row per statement (executemany) makes the trigram index the main
#: cost of ingest; a few hundred rows per statement share each flush (bench/ingest.py).
ROWS_PER_STATEMENT = 500


def write_rows(conn: sqlite3.Connection, insert: str, rows: Sequence[tuple[Any, ...]]) -> None:
    """``insert`` (one ``VALUES (?, …)`` group) for every row, several rows a statement."""
    head, group = insert.split(" VALUES ")
    width = group.count("?")
    limit = conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
    per = max(1, min(ROWS_PER_STATEMENT, limit // width))
    for start in range(0, len(rows), per):
        part = rows[start : start + per]
        sql = f"{head} VALUES {', '.join([group] * len(part))}"
        conn.execute(sql, [value for row in part for value in row])


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Lists of at most ``size`` items, in order, without reading ahead further."""
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


class _Problems:
    """Problems found so far, split into bad input and conflicts with the ledger."""

    def __init__(self) -> None:
        self.invalid: list[FieldError] = []
        self.conflicts: list[FieldError] = []

    def __bool__(self) -> bool:
        return bool(self.invalid or self.conflicts)

    def raise_if_any(self, what: str) -> None:
        if self.invalid:
            raise ValidationError(self.invalid + self.conflicts)
        if self.conflicts:
            raise ConflictError(
                f"{len(self.conflicts)} {what}(s) conflict with the ledger", self.conflicts
            )


def _known(db: sqlite_utils.Database, sql: str, values: Iterable[str]) -> dict[Any, Any]:
    """Run ``sql`` with the values as one JSON parameter; returns rows as {first: second}."""
    rows = db.execute(sql, [json.dumps(sorted(set(values)), ensure_ascii=False)]).fetchall()
    return {row[0]: row[1] if len(row) > 1 else None for row in rows}


def insert_projects(
    db: sqlite_utils.Database,
    projects: Iterable[Project],
    valid_from: str,
    recorded_at: str,
    chunk_size: int,
) -> int:
    """Insert new projects; returns how many. Raises, listing every problem, on any."""
    zones = {r[0] for r in db.execute("SELECT name FROM zones")}
    units = {r[0] for r in db.execute("SELECT name FROM units")}
    problems = _Problems()
    total = 0
    for chunk in chunked(projects, chunk_size):
        rows: list[tuple[Any, ...]] = []
        seen: set[str] = set()
        for number, p in enumerate(chunk, start=total + 1):
            if not isinstance(p, Project):
                problems.invalid.append(
                    FieldError(f"item {number}", None, repr(p)[:80], "a townplan Project")
                )
                continue
            record = f"Project {p.code}"
            if p.code in seen:
                problems.invalid.append(
                    FieldError(record, "code", p.code, "a code used once in the batch")
                )
            seen.add(p.code)
            if p.zone is not None and p.zone not in zones:
                problems.conflicts.append(
                    FieldError(record, "zone", p.zone, "a zone in the ledger")
                )
            if p.responsible_unit is not None and p.responsible_unit not in units:
                problems.conflicts.append(
                    FieldError(
                        record, "responsible_unit", p.responsible_unit, "a unit in the ledger"
                    )
                )
            rows.append((*project_tuple(p), valid_from, recorded_at))
        existing = _known(
            db, "SELECT code FROM projects WHERE code IN (SELECT value FROM json_each(?))", seen
        )
        problems.conflicts.extend(
            FieldError(f"Project {code}", "code", code, "a code not already in the ledger")
            for code in sorted(existing)
        )
        total += len(chunk)
        if not problems:
            write_rows(db.conn, _PROJECT_SQL, rows)
    problems.raise_if_any("project")
    return total


def insert_progress(
    db: sqlite_utils.Database,
    reports: Iterable[ProgressReport],
    recorded_at: str,
    chunk_size: int,
    *,
    corrects: int | None = None,
) -> int:
    """Insert progress entries; returns how many. Raises, listing every problem, on any."""
    problems = _Problems()
    total = 0
    for chunk in chunked(reports, chunk_size):
        rows: list[tuple[Any, ...]] = []
        keys: set[tuple[str, str]] = set()
        for number, r in enumerate(chunk, start=total + 1):
            if not isinstance(r, ProgressReport):
                problems.invalid.append(
                    FieldError(f"item {number}", None, repr(r)[:80], "a townplan ProgressReport")
                )
                continue
            row = progress_tuple(r, recorded_at, corrects)
            key = (row[0], row[1])
            if corrects is None:
                if key in keys:
                    problems.invalid.append(
                        FieldError(_name(key), "period", key[1], "one report per project and month")
                    )
                if row[3] < 0:
                    problems.invalid.append(
                        FieldError(_name(key), "completed", r.completed.format_cn(),
                                   "zero or more (a negative amount only in a correction)")
                    )  # fmt: skip
            if r.cumulative is not None and r.cumulative.currency != row[2]:
                problems.invalid.append(
                    FieldError(_name(key), "cumulative", str(r.cumulative),
                               f"an amount in {row[2]}, the currency of completed")
                )  # fmt: skip
            keys.add(key)
            rows.append(row)
        currencies = _known(
            db,
            "SELECT code, currency FROM projects WHERE code IN (SELECT value FROM json_each(?))",
            (k[0] for k in keys),
        )
        reported = set()
        if corrects is None:
            reported = {
                tuple(row)
                for row in db.execute(
                    "SELECT project, period FROM progress WHERE corrects IS NULL AND "
                    "project IN (SELECT value FROM json_each(?)) AND "
                    "period IN (SELECT value FROM json_each(?))",
                    [
                        json.dumps(sorted({k[0] for k in keys}), ensure_ascii=False),
                        json.dumps(sorted({k[1] for k in keys})),
                    ],
                )
            }
        for row in rows:
            _check_against_ledger(row, currencies, reported, problems)
        total += len(chunk)
        if not problems:
            write_rows(db.conn, _PROGRESS_SQL, rows)
    problems.raise_if_any("progress report")
    return total


def _name(key: tuple[str, str]) -> str:
    return f"ProgressReport {key[0]} {key[1]}"


def _check_against_ledger(
    row: tuple[Any, ...],
    currencies: dict[str, str],
    reported: set[tuple[Any, ...]],
    problems: _Problems,
) -> None:
    """``row`` (a :data:`PROGRESS_COLUMNS` tuple) against the projects and reports held."""
    project, period, currency = row[0], row[1], row[2]
    if project not in currencies:
        problems.conflicts.append(
            FieldError(_name((project, period)), "project", project, "a project in the ledger")
        )
        return
    if currency != currencies[project]:
        problems.invalid.append(
            FieldError(_name((project, period)), "completed", currency,
                       f"an amount in the project's {currencies[project]}")
        )  # fmt: skip
    if (project, period) in reported:
        problems.conflicts.append(
            FieldError(
                _name((project, period)), "period", period,
                "a month not yet reported (use correct_progress to change a reported month)",
            )
        )  # fmt: skip
