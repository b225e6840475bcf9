"""A project's status beyond its stage and its actual days, as SQL over the ledger's
relations, as of any view and on any day.

- **Status** (停缓建 / 复工 / 取消): the latest status entry effective on the day; a project
  suspended or cancelled on the day is *halted* and left out of the schedule judgment.
- **Actual days**: the actual start (实际开工) is the day the project entered 新开工 from
  前期 (the first version of a later stage after a 前期 version), the actual finish
  (实际竣工) the day it entered 竣工, 投产 the day it entered 投产; a day set by hand (an
  ``actual_*`` entry) wins. A project registered in a later stage has no actual day
  until one is set: its registration day says when it entered the register, not when
  work began.

>>> from townplan.ledger import LedgerStore
>>> import townplan as tp
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(tp.Project(code="P1", name="东环路",
...     category=tp.Category.INFRASTRUCTURE),
...                    on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))
>>> _ = ledger.update_project(tp.Project(code="P1", name="东环路", stage=tp.Stage.NEW_START,
...     category=tp.Category.INFRASTRUCTURE), on=date(2013, 4, 8),
...     recorded_at=date(2013, 4, 9))
>>> actual_days(ledger, date(2013, 6, 30))["P1"]
ActualDays(start=datetime.date(2013, 4, 8), finish=None, operation=None)
>>> actual_days(ledger.as_of(date(2013, 4, 8)), date(2013, 6, 30))
{}
>>> _ = ledger.set_status("P1", "停缓建", date(2013, 5, 2), note="征地未完成")
>>> statuses(ledger, date(2013, 6, 30))
{'P1': <ProjectStatus.SUSPENDED: 'suspended'>}
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Final

import attrs

from townplan.ledger.lifecycle import ACTUAL, STATUS
from townplan.ledger.reads import LedgerReader
from townplan.model.lifecycle import ProjectStatus
from townplan.query import snapshots
from townplan.query.sql import Fragment

__all__ = [
    "ActualDays",
    "StatusEntry",
    "actual_days",
    "actual_relation",
    "halted_condition",
    "halted_projects",
    "halted_relation",
    "status_relation",
    "statuses",
    "stored_actual",
]

_RANK: Final = (
    "CASE stage WHEN 'preparation' THEN 0 WHEN 'new_start' THEN 1 WHEN 'continuing' THEN 2 "
    "WHEN 'completed' THEN 3 ELSE 4 END"
)


def status_relation(reader: LedgerReader, on: date) -> Fragment:
    """``(project, status)`` of every project with a status entry effective on ``on``
    (the latest one; entries recorded after the view's cut are not seen)."""
    entries = Fragment.relation(*reader.relation("entries"))
    return (
        "SELECT project, status FROM (SELECT subject AS project, payload ->> 'status' AS status,"
        " row_number() OVER (PARTITION BY subject ORDER BY effective_on DESC, id DESC) AS n"
        " FROM ("
        + entries
        + Fragment(") WHERE kind = ? AND effective_on <= ?) WHERE n = 1", (STATUS, on.isoformat()))
    )


def halted_relation(reader: LedgerReader, on: date) -> Fragment:
    """``(project)`` of every project suspended or cancelled on ``on``."""
    return (
        "SELECT project FROM ("
        + status_relation(reader, on)
        + ") WHERE status IN ('suspended', 'cancelled')"
    )


def halted_condition(reader: LedgerReader, on: date, column: str = "x.code") -> Fragment:
    """``column`` names a project neither suspended nor cancelled on ``on``."""
    return f"{column} NOT IN (" + halted_relation(reader, on) + ")"


@attrs.frozen
class StatusEntry:
    """A project's status in force on a day: since when, and why."""

    project: str
    name: str
    status: ProjectStatus
    since: date
    note: str


def halted_projects(reader: LedgerReader, on: date) -> list[StatusEntry]:
    """The projects suspended or cancelled on ``on``, by code, with since when and why."""
    entries = Fragment.relation(*reader.relation("entries"))
    projects = Fragment.relation(*reader.relation("projects"))
    sql, params = (
        "SELECT s.subject, p.name, s.status, s.effective_on, s.note FROM (SELECT subject, "
        "payload ->> 'status' AS status, effective_on, note, row_number() OVER (PARTITION BY "
        "subject ORDER BY effective_on DESC, id DESC) AS n FROM ("
        + entries
        + Fragment(") WHERE kind = ? AND effective_on <= ?) AS s JOIN (", (STATUS, on.isoformat()))
        + projects
        + ") AS p ON p.code = s.subject WHERE s.n = 1 AND s.status IN ('suspended', 'cancelled') "
        "ORDER BY s.subject"
    ).render()
    return [
        StatusEntry(code, name, ProjectStatus(status), date.fromisoformat(since), note)
        for code, name, status, since, note in reader.db.execute(sql, params)
    ]


def statuses(reader: LedgerReader, on: date) -> dict[str, ProjectStatus]:
    """Every project's status on ``on`` (projects never given one are left out)."""
    sql, params = status_relation(reader, on).render()
    return {code: ProjectStatus(s) for code, s in reader.db.execute(sql, params)}


def actual_relation(reader: LedgerReader, on: date) -> Fragment:
    """``(project, started_on, finished_on, operating_on)`` as known in the view on
    ``on``, for every project that has at least one of them (ISO text)."""
    day = on.isoformat()
    entries = Fragment.relation(*reader.relation("entries"))
    # Only a project with a superseded version can have changed stage: the others are
    # left out before the window runs (a register without history costs nothing here).
    versions = (
        "SELECT code, valid_from, version, "
        + _RANK
        + " AS rank FROM ("
        + Fragment.relation(*reader.relation("project_versions", on=on))
        + ") WHERE code IN (SELECT code FROM ("
        + Fragment.relation(*reader.relation("project_history"))
        + "))"
    )
    kinds = (ACTUAL["start"], ACTUAL["finish"], ACTUAL["operation"])
    return (
        "SELECT project, coalesce(min(CASE WHEN derived = 0 THEN s END), min(s)) AS started_on,"
        " coalesce(min(CASE WHEN derived = 0 THEN f END), min(f)) AS finished_on,"
        " coalesce(min(CASE WHEN derived = 0 THEN o END), min(o)) AS operating_on"
        " FROM (SELECT code AS project,"
        " CASE WHEN rank >= 1 AND prev = 0 THEN valid_from END AS s,"
        " CASE WHEN rank >= 3 AND prev < 3 THEN valid_from END AS f,"
        " CASE WHEN rank = 4 AND prev < 4 THEN valid_from END AS o, 1 AS derived"
        " FROM (SELECT code, valid_from, rank, lag(rank) OVER"
        " (PARTITION BY code ORDER BY valid_from, version) AS prev FROM ("
        + versions
        + ")) WHERE prev IS NOT NULL AND rank > prev"
        + Fragment(
            " UNION ALL SELECT subject, CASE kind WHEN ? THEN effective_on END,"
            " CASE kind WHEN ? THEN effective_on END, CASE kind WHEN ? THEN effective_on END, 0"
            " FROM (",
            kinds,
        )
        + entries
        + Fragment(
            ") WHERE kind IN (?, ?, ?) AND effective_on <= ?) GROUP BY project", (*kinds, day)
        )
    )


@contextmanager
def stored_actual(reader: LedgerReader, on: date) -> Iterator[Fragment]:
    """:func:`actual_relation` on ``on``, read once into a temporary table for the block
    (dropped after), as SQL selecting its rows: for several questions of the same day.

    >>> from townplan.fixtures import sample_town_ledger
    >>> town = sample_town_ledger()
    >>> with stored_actual(town, date(2013, 6, 30)) as actual:
    ...     stored = town.db.execute(*("SELECT * FROM (" + actual + ") ORDER BY 1").render())
    ...     sorted(stored.fetchall()) == sorted(town.db.execute(
    ...         *actual_relation(town, date(2013, 6, 30)).render()).fetchall())
    True
    """
    name = snapshots.create(reader, actual_relation(reader, on))
    try:
        yield Fragment(f"SELECT * FROM temp.{name}")
    finally:
        snapshots.drop(reader, name)


@attrs.frozen
class ActualDays:
    """A project's actual start, finish and 投产 days (None: not yet, or not known)."""

    start: date | None
    finish: date | None
    operation: date | None


def actual_days(reader: LedgerReader, on: date) -> dict[str, ActualDays]:
    """Every project's actual days known in the view on ``on``."""
    sql, params = actual_relation(reader, on).render()
    return {
        code: ActualDays(*(date.fromisoformat(d) if d else None for d in days))
        for code, *days in reader.db.execute(sql, params)
    }
