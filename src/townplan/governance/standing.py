"""How each problem or finding stands on a day, as SQL over the ledger's entries.

The steps of a record are entries of its workflow's kind (``problem_event``,
``finding_event``) in the reader's view, effective by the day. Every action leads to one
state, so the state on the day is the state the last step leads to; the unit is the
unit of the last ``assigned`` step. :func:`standing` gives, per record code, the state,
the unit, the day of each last action and the whole history as JSON, so that filters on
any of them (open, overdue, a unit) run in SQL and a query reads only what matches.

>>> from datetime import date
>>> from townplan.governance.workflow import PROBLEM
>>> from townplan.ledger import LedgerStore
>>> sql, params = standing(LedgerStore.open(":memory:"), PROBLEM, date(2013, 7, 1)).render()
>>> "GROUP BY s.subject" in sql, "problem_event" in params.values()
(True, True)
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from townplan.governance.records import WorkflowEvent
from townplan.governance.workflow import Workflow
from townplan.ledger.reads import LedgerReader
from townplan.query.sql import Fragment

__all__ = ["events", "standing", "state_case"]

_STEPS = (
    "SELECT e.subject, e.effective_on, e.id, e.note, "
    "json_extract(e.payload, '$.action') AS action, json_extract(e.payload, '$.unit') AS unit, "
    "row_number() OVER (PARTITION BY e.subject ORDER BY e.effective_on DESC, e.id DESC) AS rn, "
    "row_number() OVER (PARTITION BY e.subject, json_extract(e.payload, '$.action') "
    "ORDER BY e.effective_on DESC, e.id DESC) AS rn_action "
    "FROM ("
)


def state_case(workflow: Workflow[Any], action: str) -> Fragment:
    """SQL for the state the action in column ``action`` leads to."""
    pairs = [("raised", workflow.start.value)]
    pairs.extend((name, target.value) for name, (_, target) in workflow.transitions.items())
    whens = " ".join("WHEN ? THEN ?" for _ in pairs)
    return Fragment(f"CASE {action} {whens} END", tuple(v for pair in pairs for v in pair))


def standing(reader: LedgerReader, workflow: Workflow[Any], day: date) -> Fragment:
    """Per record (``code``): ``state``, ``unit``, ``<action>_on`` (the day of the last
    step of each action, e.g. ``assigned_on``), ``reopened`` (how many times) and
    ``history`` (JSON) — from the steps effective by ``day`` in the reader's view."""
    entries = Fragment.relation(*reader.relation("entries"))
    steps = (
        _STEPS + entries
        + Fragment(") AS e WHERE e.kind = ? AND e.effective_on <= ?",
                   (workflow.entry_kind, day.isoformat()))
    )  # fmt: skip
    actions = ", ".join(
        f"max(CASE WHEN s.action = '{name}' THEN s.effective_on END) AS {name}_on"
        for name in workflow.transitions
    )
    last = state_case(workflow, "max(CASE WHEN s.rn = 1 THEN s.action END)")
    return (
        "SELECT s.subject AS code, " + last + " AS state, "
        "max(CASE WHEN s.action = 'assigned' AND s.rn_action = 1 THEN s.unit END) AS unit, "
        f"{actions}, sum(s.action = 'reopened') AS reopened, "
        "json_group_array(json_array(s.action, s.effective_on, s.note, s.unit, s.id)) AS history "
        "FROM (" + steps + ") AS s GROUP BY s.subject"
    )


def events(history: str) -> list[WorkflowEvent]:
    """The steps of a record from its ``history`` column, in order."""
    found = [
        WorkflowEvent(action=a, on=date.fromisoformat(on), note=note or "", unit=unit, entry=i)
        for a, on, note, unit, i in json.loads(history)
    ]
    return sorted(found, key=lambda e: (e.on, e.entry or 0))
