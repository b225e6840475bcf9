"""The closed vocabularies of the four working systems, each value with its Chinese label.

>>> Severity.parse("紧急")
<Severity.URGENT: 'urgent'>
>>> FindingState.REPORTED_BACK.label_cn
'已反馈'
"""

from __future__ import annotations

import enum
from typing import Self

from townplan.errors import ValidationError

__all__ = ["FindingState", "ProblemState", "Severity"]


class _Labelled(enum.StrEnum):
    """A string enum whose members carry a Chinese label (set per class below)."""

    @property
    def label_cn(self) -> str:
        """The Chinese label an official uses."""
        return _LABELS[type(self)][self.value]

    @classmethod
    def parse(cls, text: str | Self, *, record: str | None = None) -> Self:
        """The member named by its value, its name or its Chinese label."""
        if isinstance(text, cls):
            return text
        if isinstance(text, str):
            key = text.strip()
            for member in cls:
                if key in (member.value, member.name, member.label_cn):
                    return member
        choices = ", ".join(f"{m.value} ({m.label_cn})" for m in cls)
        raise ValidationError.single(
            record=record or cls.__name__,
            field=cls.__name__.lower(),
            value=text,
            expected=f"one of {choices}",
        )


class Severity(_Labelled):
    """How urgent a rapid-response problem is; the response deadline depends on it."""

    NORMAL = "normal"
    URGENT = "urgent"


class ProblemState(_Labelled):
    """Where a rapid-response problem (快速反应) stands."""

    RAISED = "raised"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    ANSWERED = "answered"
    CLOSED = "closed"


class FindingState(_Labelled):
    """Where a supervision finding (督查落实) stands in the workflow."""

    ITEM = "item"
    ASSIGNED = "assigned"
    ACKNOWLEDGED = "acknowledged"
    HANDLED = "handled"
    REPORTED_BACK = "reported_back"
    REVIEWED = "reviewed"
    CLOSED = "closed"
    REOPENED = "reopened"


_LABELS: dict[type[_Labelled], dict[str, str]] = {
    Severity: {"normal": "一般", "urgent": "紧急"},
    ProblemState: {
        "raised": "已提出", "assigned": "已交办", "acknowledged": "已受理",
        "answered": "已答复", "closed": "已办结",
    },
    FindingState: {
        "item": "督查事项", "assigned": "已交办", "acknowledged": "已签收", "handled": "已整改",
        "reported_back": "已反馈", "reviewed": "已复核", "closed": "已销号",
        "reopened": "重新督办",
    },
}  # fmt: skip
