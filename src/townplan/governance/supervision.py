"""Supervision and follow-through (督查落实): an inspection produces findings on projects
or tasks, each to be rectified by a deadline through the workflow item → assigned →
acknowledged → handled → reported back → reviewed → closed. A review that does not pass is
followed by another ``handled``; a closed finding can be reopened, and keeps its history.

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> store = LedgerStore.open(":memory:")
>>> _ = store.add_units(["国土分局"])
>>> _ = store.add_project(tp.Project(code="P1", name="古梅路延长线",
...                              category=tp.Category.INFRASTRUCTURE))
>>> add_inspection(store, Inspection(code="I1", title="一季度督查", held_on=date(2013, 4, 15)),
...     [Finding(code="F1", inspection="I1", project="P1", text="征地拆迁滞后",
...              rectify_by=date(2013, 5, 31))])
>>> advance(store, "F1", "closed", on=date(2013, 4, 20))
Traceback (most recent call last):
...
townplan.errors.ConflictError: Finding F1 is item (督查事项); it cannot be closed ...
>>> for step in ("assigned", "acknowledged", "handled", "reported_back", "reviewed"):
...     s = advance(store, "F1", step, on=date(2013, 5, 28), unit="国土分局")
>>> advance(store, "F1", "handled", on=date(2013, 6, 5)).state.value   # review not passed
'handled'
>>> [f.code for f in overdue_findings(store, on=date(2013, 6, 5))]
['F1']
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from townplan.errors import NotFoundError, ValidationError
from townplan.governance.base import evaluation_day, insert_row, rows
from townplan.governance.finding_query import FindingQuery, FindingStatus
from townplan.governance.records import Finding, Inspection
from townplan.governance.workflow import FINDING, append_step
from townplan.ledger import LedgerStore, as_recorded_at
from townplan.ledger.base import Recorded

__all__ = [
    "FindingStatus",
    "add_findings",
    "add_inspection",
    "advance",
    "finding",
    "findings",
    "overdue_findings",
]


# --- writing -------------------------------------------------------------------------------
def add_inspection(
    store: LedgerStore,
    inspection: Inspection,
    findings: Iterable[Finding] = (),
    *,
    recorded_at: Recorded = None,
) -> None:
    """Record an inspection and its findings (all or nothing)."""
    row = {
        "code": inspection.code, "title": inspection.title,
        "held_on": inspection.held_on.isoformat(), "inspector": inspection.inspector,
        "recorded_at": as_recorded_at(recorded_at),
    }  # fmt: skip
    with store.transaction():
        insert_row(store, "inspections", row, f"Inspection {inspection.code}")
        add_findings(store, findings, recorded_at=recorded_at)


def add_findings(
    store: LedgerStore, findings: Iterable[Finding], *, recorded_at: Recorded = None
) -> None:
    """Record findings of inspections already in the ledger; each is raised on its
    inspection's day (and assigned then when ``assigned_to`` is set)."""
    stamp = as_recorded_at(recorded_at)
    with store.transaction():
        for f in findings:
            held = _inspection_day(store, f)
            if f.rectify_by < held:
                raise ValidationError.single(
                    record=f"Finding {f.code}", field="rectify_by", value=f.rectify_by,
                    expected=f"a day on or after the inspection ({held})",
                )  # fmt: skip
            row = {
                "code": f.code, "inspection": f.inspection, "project": f.project,
                "task": f.task, "text": f.text, "rectify_by": f.rectify_by.isoformat(),
                "recorded_at": stamp,
            }  # fmt: skip
            insert_row(store, "findings", row, f"Finding {f.code}")
            append_step(store, FINDING, f.code, "raised", held, recorded_at=recorded_at)
            if f.assigned_to is not None:
                append_step(store, FINDING, f.code, "assigned", held,
                            unit=f.assigned_to, recorded_at=recorded_at)  # fmt: skip


def advance(
    store: LedgerStore,
    code: str,
    step: str,
    *,
    on: date,
    note: str = "",
    unit: str | None = None,
    recorded_at: Recorded = None,
) -> FindingStatus:
    """Take one workflow step (``assigned`` needs ``unit``; other steps ignore it):
    assigned, acknowledged, handled, reported_back, reviewed, closed or reopened."""
    with store.transaction():
        append_step(
            store, FINDING, code, step, on, note=note,
            unit=unit if step == "assigned" else None, recorded_at=recorded_at,
        )  # fmt: skip
    return finding(store, code, on=date.max)


def _inspection_day(store: LedgerStore, f: Finding) -> date:
    found = rows(store, "SELECT held_on FROM inspections WHERE code = :c", {"c": f.inspection})
    if not found:
        raise NotFoundError(f"Finding {f.code}: no inspection with code {f.inspection!r}")
    return date.fromisoformat(found[0]["held_on"])


# --- reading ----------------------------------------------------------------------------------
def finding(store: LedgerStore, code: str, *, on: date | None = None) -> FindingStatus:
    """One finding as it stands on ``on`` (default: the store's cut, or today)."""
    day = evaluation_day(store, on)
    found = FindingQuery(reader=store).on(day).where(code=code).first()
    if found is None:
        raise NotFoundError(f"no finding with code {code!r} raised by {day}")
    return found


def findings(
    store: LedgerStore,
    *,
    on: date | None = None,
    inspection: str | None = None,
    project: str | None = None,
    task: str | None = None,
    unit: str | None = None,
    year: int | None = None,
) -> list[FindingStatus]:
    """Findings raised by ``on`` (filtered by inspection, project, task, assigned unit or
    inspection year) as they stand on ``on``, by inspection day then code
    (``q.findings()`` as a list)."""
    wanted = {
        "inspection": inspection, "project": project, "task": task, "unit": unit, "year": year,
    }  # fmt: skip
    query = FindingQuery(reader=store).on(evaluation_day(store, on))
    return query.where(**{k: v for k, v in wanted.items() if v is not None}).list()


def overdue_findings(store: LedgerStore, *, on: date | None = None) -> list[FindingStatus]:
    """Findings open on ``on`` and past their rectification deadline."""
    return FindingQuery(reader=store).on(evaluation_day(store, on)).overdue().list()
