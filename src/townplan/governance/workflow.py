"""The state machines of rapid response and supervision, and their dated steps as
ledger entries.

Each step is an entry (kind ``problem_event`` or ``finding_event``, subject the record's
code, payload ``{"action": ..., "unit": ...}``). The state on a day is the fold of the
steps effective by then, so an ``as_of`` view shows the state on its day. A step the
machine does not allow from the current state, or dated before the previous step, raises
:class:`~townplan.ConflictError` naming the record and its state; nothing is written.

>>> PROBLEM.allowed_from("answered")
('assigned', 'acknowledged')
>>> FINDING.allowed_from("handled")
('acknowledged', 'reviewed', 'reopened')
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, Generic, TypeVar

import attrs

from townplan.errors import ConflictError, FieldError, NotFoundError, ValidationError
from townplan.governance.base import rows
from townplan.governance.records import WorkflowEvent
from townplan.governance.states import FindingState, ProblemState
from townplan.ledger import LedgerStore
from townplan.ledger.base import Recorded

__all__ = ["FINDING", "PROBLEM", "Workflow", "append_step", "steps"]

S = TypeVar("S", ProblemState, FindingState)


@attrs.frozen
class Workflow(Generic[S]):
    """A state machine: for each action, the states it may follow and the state it leads to.

    ``raised`` starts a record (from no state); ``table`` holds the records.
    """

    record: str
    entry_kind: str
    table: str
    transitions: Mapping[str, tuple[tuple[S, ...], S]]
    start: S

    def allowed_from(self, action: str) -> tuple[str, ...]:
        """The states ``action`` may follow."""
        return tuple(s.value for s in self.transitions[action][0])

    def actions(self) -> tuple[str, ...]:
        """Every action, ``raised`` first."""
        return ("raised", *self.transitions)

    def next_state(self, code: str, state: S | None, action: str) -> S:
        """The state after ``action``; ConflictError when the machine does not allow it."""
        name = f"{self.record} {code}"
        if action == "raised":
            if state is not None:
                raise ConflictError(
                    f"{name} is already raised (it is {state.value})",
                    [FieldError(name, "code", code, "a code not already raised")],
                )
            return self.start
        if action not in self.transitions:
            raise ValidationError.single(
                record=name, field="action", value=action,
                expected=f"one of {', '.join(self.actions())}",
            )  # fmt: skip
        sources, target = self.transitions[action]
        if state not in sources:
            shown = state.value if state is not None else "not raised"
            label = f" ({state.label_cn})" if state is not None else ""
            allowed = ", ".join(s.value for s in sources)
            raise ConflictError(
                f"{name} is {shown}{label}; it cannot be {action} (only from: {allowed})",
                [FieldError(name, "state", shown, f"a state that allows '{action}': {allowed}")],
            )
        return target

    def fold(self, code: str, events: Iterable[WorkflowEvent]) -> S | None:
        """The state after ``events`` in order (None before the record is raised)."""
        state: S | None = None
        for event in events:
            state = self.next_state(code, state, event.action)
        return state


def _machine(pairs: dict[str, tuple[tuple[S, ...], S]]) -> Mapping[str, tuple[tuple[S, ...], S]]:
    return MappingProxyType(pairs)


P = ProblemState
PROBLEM: Workflow[ProblemState] = Workflow(
    record="Problem",
    entry_kind="problem_event",
    table="problems",
    start=P.RAISED,
    transitions=_machine({
        "assigned": ((P.RAISED, P.ASSIGNED, P.ACKNOWLEDGED), P.ASSIGNED),
        "acknowledged": ((P.ASSIGNED,), P.ACKNOWLEDGED),
        "answered": ((P.ASSIGNED, P.ACKNOWLEDGED), P.ANSWERED),
        "closed": ((P.ANSWERED,), P.CLOSED),
    }),
)  # fmt: skip
"""Rapid response: raised → assigned → acknowledged → answered → closed (reassigning
restarts the response deadline; an answer implies acknowledgement)."""

F = FindingState
FINDING: Workflow[FindingState] = Workflow(
    record="Finding",
    entry_kind="finding_event",
    table="findings",
    start=F.ITEM,
    transitions=_machine({
        "assigned": ((F.ITEM, F.ASSIGNED, F.ACKNOWLEDGED, F.REOPENED), F.ASSIGNED),
        "acknowledged": ((F.ASSIGNED, F.REOPENED), F.ACKNOWLEDGED),
        "handled": ((F.ACKNOWLEDGED, F.REVIEWED, F.REOPENED), F.HANDLED),
        "reported_back": ((F.HANDLED,), F.REPORTED_BACK),
        "reviewed": ((F.REPORTED_BACK,), F.REVIEWED),
        "closed": ((F.REVIEWED,), F.CLOSED),
        "reopened": ((F.CLOSED,), F.REOPENED),
    }),
)  # fmt: skip
"""Supervision: item → assigned → acknowledged → handled → reported back → reviewed →
closed; a review that does not pass is followed by another ``handled``; a closed finding
may be reopened and keeps its history."""


def steps(
    store: LedgerStore, workflow: Workflow[Any], code: str | None = None, on: date | None = None
) -> dict[str, list[WorkflowEvent]]:
    """The steps of each record (of one ``code``) known to the store and effective by
    ``on``, in order."""
    found: dict[str, list[WorkflowEvent]] = {}
    for entry in store.entries(kind=workflow.entry_kind, subject=code):
        if on is not None and entry.effective_on > on:
            continue
        found.setdefault(entry.subject, []).append(
            WorkflowEvent(
                action=str(entry.payload.get("action")),
                on=entry.effective_on,
                note=entry.note,
                unit=entry.payload.get("unit"),
                entry=entry.id,
            )
        )
    return found


def append_step(
    store: LedgerStore,
    workflow: Workflow[S],
    code: str,
    action: str,
    on: date,
    *,
    note: str = "",
    unit: str | None = None,
    recorded_at: Recorded = None,
) -> S:
    """Check and append one step; returns the new state. Call inside a transaction."""
    exists = rows(store, f"SELECT 1 FROM {workflow.table} WHERE code = :c", {"c": code})
    if not exists:
        kind = workflow.record.lower()
        raise NotFoundError(
            f"no {kind} with code {code!r}", reason="not_found", record=kind, key=code
        )
    history = steps(store, workflow, code).get(code, [])
    state = workflow.fold(code, history)
    new_state = workflow.next_state(code, state, action)
    if history and on < history[-1].on:
        last = history[-1]
        raise ConflictError(
            f"{workflow.record} {code}: '{action}' on {on} is before its last step "
            f"('{last.action}' on {last.on})",
            [FieldError(f"{workflow.record} {code}", "on", on, f"a day on or after {last.on}")],
        )
    if action == "assigned":
        _check_unit(store, workflow, code, unit)
    payload: dict[str, Any] = {"action": action}
    if unit is not None:
        payload["unit"] = unit
    store.append_entry(workflow.entry_kind, code, on, payload, note=note, recorded_at=recorded_at)
    return new_state


def _check_unit(store: LedgerStore, workflow: Workflow[Any], code: str, unit: str | None) -> None:
    known = unit is not None and rows(store, "SELECT 1 FROM units WHERE name = :u", {"u": unit})
    if not known:
        raise ConflictError(
            f"{workflow.record} {code} cannot be assigned to {unit!r}: not a unit in the ledger",
            [FieldError(f"{workflow.record} {code}", "unit", unit, "a unit in the ledger")],
        )
