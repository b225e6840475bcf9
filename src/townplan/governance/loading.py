"""Loading a governance document: problems with their steps, inspections with findings
and their steps, task progress and target actuals — the shape of the sample town's
``governance.json``.

Units and leaders may be written as codes (``"U07"``); ``names`` (or ``units`` and
``leaders`` lists of ``{"code", "name"}`` in the document) turn them into the names the
ledger holds. A document is a history: unless ``recorded_at`` is given, each record and
step is recorded on the day it took effect, so ``as_of`` views show it from that day.
Everything is written in one transaction; nothing is kept if any item is refused.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, Final

from townplan.errors import ValidationError
from townplan.governance.records import Finding, Inspection, Problem
from townplan.governance.response import raise_problem
from townplan.governance.supervision import add_inspection
from townplan.governance.targets import record_target_actual
from townplan.governance.tasks import record_task_progress
from townplan.governance.workflow import FINDING, PROBLEM, Workflow, append_step
from townplan.ledger import LedgerStore
from townplan.ledger.base import Recorded

__all__ = ["load_governance"]

_KEYS: Final = frozenset(
    {"problems", "inspections", "task_progress", "actuals", "units", "leaders"}
)


def load_governance(
    store: LedgerStore,
    doc: Mapping[str, Any],
    *,
    names: Mapping[str, str] | None = None,
    recorded_at: Recorded = None,
) -> dict[str, int]:
    """Load ``doc`` into ``store``; returns how many of each kind were written.

    >>> from townplan.ledger import LedgerStore
    >>> load_governance(LedgerStore.open(":memory:"), {"task_progress": []})
    {'problems': 0, 'inspections': 0, 'findings': 0, 'steps': 0, 'task_progress': 0, 'actuals': 0}
    """
    unknown = sorted(set(doc) - _KEYS)
    if unknown:
        raise ValidationError.single(
            record="governance document", field=None, value=unknown,
            expected=f"only the keys {sorted(_KEYS)}",
        )  # fmt: skip
    loader = _Loader(store, _names(doc, names), recorded_at)
    with store.transaction():
        for item in doc.get("problems", []):
            loader.problem(item)
        for item in doc.get("inspections", []):
            loader.inspection(item)
        for item in doc.get("task_progress", []):
            loader.task_progress(item)
        for item in doc.get("actuals", []):
            loader.actual(item)
    return loader.counts


def _names(doc: Mapping[str, Any], names: Mapping[str, str] | None) -> dict[str, str]:
    found = {
        str(entry["code"]): str(entry["name"])
        for key in ("units", "leaders")
        for entry in doc.get(key, [])
    }
    found.update(names or {})
    return found


class _Loader:
    def __init__(self, store: LedgerStore, names: dict[str, str], recorded_at: Recorded) -> None:
        self.store = store
        self.names = names
        self.recorded_at = recorded_at
        self.counts = dict.fromkeys(
            ("problems", "inspections", "findings", "steps", "task_progress", "actuals"), 0
        )

    def stamp(self, day: date) -> Recorded:
        if self.recorded_at is not None:
            return self.recorded_at
        return datetime(day.year, day.month, day.day)

    def name(self, code: object) -> str | None:
        return None if code is None else self.names.get(str(code), str(code))

    def problem(self, item: Mapping[str, Any]) -> None:
        record = f"Problem {item.get('code')}"
        raised_on = _day(item, "raised_on", record)
        problem = Problem(
            code=_get(item, "code", record), project=_get(item, "project", record),
            text=_get(item, "text", record),
            raised_by=self.names.get(str(_get(item, "raised_by", record)), item["raised_by"]),
            raised_on=raised_on, severity=item.get("severity", "normal"),
            assigned_to=self.name(item.get("assigned_to")),
        )  # fmt: skip
        raise_problem(self.store, problem, recorded_at=self.stamp(raised_on))
        self.counts["problems"] += 1
        self.steps(PROBLEM, problem.code, item, record, problem.assigned_to)

    def inspection(self, item: Mapping[str, Any]) -> None:
        record = f"Inspection {item.get('code')}"
        held = _day(item, "on", record)
        inspection = Inspection(
            code=_get(item, "code", record), title=_get(item, "title", record), held_on=held,
            inspector=item.get("inspector"),
        )  # fmt: skip
        raw = list(item.get("findings", []))
        findings = [
            Finding(
                code=_get(f, "code", record),
                inspection=inspection.code,
                text=_get(f, "text", record),
                rectify_by=_day(f, "rectify_by", record),
                project=f.get("project"),
                task=f.get("task"),
            )
            for f in raw
        ]
        add_inspection(self.store, inspection, findings, recorded_at=self.stamp(held))
        self.counts["inspections"] += 1
        self.counts["findings"] += len(findings)
        for f, finding in zip(raw, findings, strict=True):
            unit = self.name(f.get("assigned_to"))
            self.steps(FINDING, finding.code, f, f"Finding {finding.code}", unit)

    def steps(
        self, workflow: Workflow[Any], code: str, item: Mapping[str, Any], record: str,
        unit: str | None,
    ) -> None:  # fmt: skip
        for event in item.get("events", []):
            on = _day(event, "on", record)
            action = _get(event, "action", record)
            assigned = (self.name(event.get("unit")) or unit) if action == "assigned" else None
            append_step(
                self.store, workflow, code, action, on, note=str(event.get("note", "")),
                unit=assigned, recorded_at=self.stamp(on),
            )  # fmt: skip
            self.counts["steps"] += 1

    def task_progress(self, item: Mapping[str, Any]) -> None:
        record = f"task progress of {item.get('task')}"
        on = _day(item, "on", record)
        record_task_progress(
            self.store, _get(item, "task", record), on=on, value=item.get("value"),
            measure=item.get("measure"), done=bool(item.get("done", False)),
            note=str(item.get("note", "")),
            recorded_at=self.stamp(on),
        )  # fmt: skip
        self.counts["task_progress"] += 1

    def actual(self, item: Mapping[str, Any]) -> None:
        record = f"actual of {item.get('target')}"
        on = _day(item, "on", record)
        record_target_actual(
            self.store, _get(item, "target", record), _get(item, "value", record), on=on,
            note=str(item.get("note", "")), recorded_at=self.stamp(on),
        )  # fmt: skip
        self.counts["actuals"] += 1


def _get(item: Mapping[str, Any], key: str, record: str) -> Any:
    if not isinstance(item, Mapping) or item.get(key) in (None, ""):
        raise ValidationError.single(
            record=record, field=key, value=None, expected=f"a value for '{key}'"
        )
    return item[key]


def _day(item: Mapping[str, Any], key: str, record: str) -> date:
    text = _get(item, key, record)
    try:
        return date.fromisoformat(str(text))
    except ValueError:
        raise ValidationError.single(
            record=record, field=key, value=text, expected="an ISO date such as '2013-06-30'"
        ) from None
