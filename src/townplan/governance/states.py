"""The closed vocabularies of the four working systems, each value with its Chinese label.

>>> Severity.parse("紧急")
<Severity.URGENT: 'urgent'>
>>> FindingState.REPORTED_BACK.label_cn
'已反馈'
"""

from __future__ import annotations

from townplan.model.enums import LabelledEnum, register_labels

__all__ = ["FindingState", "ProblemState", "Severity"]


class Severity(LabelledEnum):
    """How urgent a rapid-response problem is; the response deadline depends on it."""

    NORMAL = "normal"
    URGENT = "urgent"


class ProblemState(LabelledEnum):
    """Where a rapid-response problem (快速反应) stands."""

    RAISED = "raised"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    CLOSED = "closed"


class FindingState(LabelledEnum):
    """Where a supervision finding (督查落实) stands in the workflow."""

    ITEM = "item"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    HANDLED = "handled"
    REPORTED_BACK = "reported_back"
    REVIEWED = "reviewed"
    CLOSED = "closed"
    REOPENED = "reopened"


register_labels(Severity, {"normal": "一般", "urgent": "紧急"})
register_labels(ProblemState, {
    "raised": "已提出", "assigned": "已交办", "acknowledged": "已受理",
    "answered": "已答复", "closed": "已办结",
})  # fmt: skip
register_labels(FindingState, {
    "item": "督查事项", "assigned": "已交办", "acknowledged": "已签收", "handled": "已整改",
    "reported_back": "已反馈", "reviewed": "已复核", "closed": "已销号", "reopened": "重新督办",
})  # fmt: skip
