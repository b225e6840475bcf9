"""The lifecycle in an OC4IDS project: each pre-construction procedure is a milestone of
type ``approval`` (due date, the day it was met, the holding unit and 批文号 in its
description); a project that finished has ``completion`` (``endDate``, and
``finalValue`` = the investment completed as reported); a cancelled project has status
``cancelled``. Everything as known in the view exported.

>>> from townplan.fixtures import sample_town_ledger
>>> town = sample_town_ledger().as_of(date(2013, 7, 15))
>>> parts = lifecycle_parts(town, date(2013, 7, 15))
>>> [m["status"] for m in parts["SZ2013-022"]["milestones"]][-1]
'notMet'
>>> parts["SZ2013-035"]["completion"]["endDate"]
'2013-05-30T23:59:59+08:00'
"""

from __future__ import annotations

from datetime import date
from typing import Any

from townplan.io.oc4ids.progress import stamp
from townplan.ledger import LedgerStore
from townplan.model.lifecycle import ProjectStatus
from townplan.query.procedures import ProcedureQuery
from townplan.query.status import actual_days, statuses

__all__ = ["lifecycle_parts", "merged"]


def lifecycle_parts(store: LedgerStore, on: date) -> dict[str, dict[str, Any]]:
    """Per project code: ``milestones`` (approvals), ``completion`` and ``status`` when
    the lifecycle gives them."""
    parts: dict[str, dict[str, Any]] = {}
    for p in ProcedureQuery(reader=store).on(on).order_by("project", "position"):
        item: dict[str, Any] = {
            "id": f"approval-{p.kind}",
            "title": p.kind_name,
            "type": "approval",
        }
        if p.due is not None:
            item["dueDate"] = stamp(p.due, end_of_day=True)
        words = [
            f"办理单位：{p.unit}" if p.unit else "",
            f"批文号：{p.document}" if p.document else "",
        ]
        if not p.required:
            words.append("不需办理 (not required)")
        if any(words):
            item["description"] = "；".join(w for w in words if w)
        if p.done_on is not None:
            item |= {"dateMet": stamp(p.done_on), "status": "met"}
        elif p.overdue:
            item["status"] = "notMet"
        else:
            item["status"] = "scheduled"
        parts.setdefault(p.project, {}).setdefault("milestones", []).append(item)
    for code, days in actual_days(store, on).items():
        if days.finish is not None:
            parts.setdefault(code, {})["completion"] = {
                "endDate": stamp(days.finish, end_of_day=True)
            }
    for code, status in statuses(store, on).items():
        if status is ProjectStatus.CANCELLED:
            parts.setdefault(code, {})["status"] = "cancelled"
    return parts


def merged(
    doc: dict[str, Any], part: dict[str, Any] | None, final: dict[str, Any] | None
) -> dict[str, Any]:
    """``doc`` (one OC4IDS project) with its lifecycle ``part`` added; ``final`` is the
    project's completed investment as an OC4IDS Value, for ``completion.finalValue``."""
    if not part:
        return doc
    out = dict(doc)
    if "milestones" in part:
        out["milestones"] = [*part["milestones"], *doc.get("milestones", [])]
    if "completion" in part:
        out["completion"] = part["completion"] | ({"finalValue": final} if final else {})
    if "status" in part:
        out["status"] = part["status"]
    return out
