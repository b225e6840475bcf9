"""Records ↔ table rows, through the one converter's row maps (:func:`townplan.convert.row_map`).

The columns come from the records' declared fields, so a new field needs no change
here — only its migration.

>>> PROJECT_COLUMNS[:3], PROGRESS_COLUMNS[-2:]
(('code', 'name', 'category'), ('corrects', 'recorded_at'))
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from townplan.convert import RowMap, row_map
from townplan.model.records import (
    AnnualTarget,
    Attraction,
    LeadingGroup,
    ProgressReport,
    Project,
    Task,
)

__all__ = [
    "PROGRESS_COLUMNS",
    "PROJECT_COLUMNS",
    "attraction_from_row",
    "attraction_row",
    "group_from_row",
    "group_row",
    "progress_from_row",
    "progress_tuple",
    "project_from_row",
    "project_tuple",
    "target_from_row",
    "target_row",
    "task_from_row",
    "task_row",
]

_PROJECTS: Final[RowMap[Project]] = row_map(Project)
_PROGRESS: Final[RowMap[ProgressReport]] = row_map(ProgressReport)
_GROUPS: Final[RowMap[LeadingGroup]] = row_map(LeadingGroup)
_TASKS: Final[RowMap[Task]] = row_map(Task)
_TARGETS: Final[RowMap[AnnualTarget]] = row_map(AnnualTarget)
_ATTRACTION: Final[RowMap[Attraction]] = row_map(Attraction)

#: Columns of ``projects`` that hold the record (the rest are version bookkeeping).
PROJECT_COLUMNS: Final = _PROJECTS.columns
#: Columns of ``progress`` a report is written to (``id`` is the ledger's).
PROGRESS_COLUMNS: Final = (*_PROGRESS.columns, "recorded_at")
_PROGRESS_VALUES: Final = _PROGRESS.values_fn(
    "corrects", "recorded_at", fallback={"reported_on": "recorded_at[:10]"}
)

project_tuple = _PROJECTS.values
project_from_row = _PROJECTS.record
task_row = _TASKS.row
task_from_row = _TASKS.record
target_row = _TARGETS.row
target_from_row = _TARGETS.record
attraction_row = _ATTRACTION.row
attraction_from_row = _ATTRACTION.record


def progress_tuple(r: ProgressReport, recorded_at: str, corrects: int | None) -> tuple[Any, ...]:
    """The values of :data:`PROGRESS_COLUMNS`; ``reported_on`` defaults to the record day."""
    return _PROGRESS_VALUES(r, corrects, recorded_at)


def progress_from_row(row: Mapping[str, Any]) -> ProgressReport:
    """A :class:`ProgressReport` (with its ledger ``id``) from a ``progress`` row."""
    return _PROGRESS.record(row)


def group_row(g: LeadingGroup) -> dict[str, Any]:
    """A ``leading_groups`` row (members go to ``group_members``)."""
    return _GROUPS.row(g)


def group_from_row(row: Mapping[str, Any], members: tuple[str, ...]) -> LeadingGroup:
    """A :class:`LeadingGroup` from its row and its member units in order."""
    return _GROUPS.record(row, member_units=members)
