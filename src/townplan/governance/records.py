"""The reference records of the working systems: a rapid-response problem, an inspection
and its findings, and one dated step of a workflow.

>>> p = Problem(code="Q01", project="P001", text="燃气管线迁改与路面施工交叉",
...             raised_by="城建办", raised_on=date(2013, 1, 22), severity=Severity.URGENT,
...             assigned_to="“三重”办")
>>> p.severity.label_cn
'紧急'
>>> Finding(code="F01", inspection="I01", text="进度滞后", rectify_by=date(2013, 5, 31))
Traceback (most recent call last):
...
townplan.errors.ValidationError: Finding F01.project: got None — expected a project or a task ...
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from townplan.errors import ValidationError
from townplan.governance.states import Severity
from townplan.model.checks import check_code, check_date, check_optional_text, check_text

__all__ = ["Finding", "Inspection", "Problem", "WorkflowEvent"]


def _required_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        raise ValidationError.single(
            record=f"{type(instance).__name__} {getattr(instance, 'code', '')}".strip(),
            field=attribute.name,
            value=value,
            expected="a datetime.date",
        )
    check_date(instance, attribute, value)


def _optional_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        check_code(instance, attribute, value)


def _severity(value: str | Severity) -> Severity:
    return Severity.parse(value)


@attrs.frozen
class Problem:
    """A problem raised on a project for rapid response (快速反应).

    ``raised_by`` is who raised it (a unit or a leader); ``assigned_to`` the responsible
    unit, when it is assigned as it is raised. The response deadline follows from the
    :class:`~townplan.governance.ResponseRule` in force and the severity.
    """

    code: str = attrs.field(validator=check_code)
    project: str = attrs.field(validator=check_code)
    text: str = attrs.field(validator=check_text)
    raised_by: str = attrs.field(validator=check_text)
    raised_on: date = attrs.field(validator=_required_date)
    severity: Severity = attrs.field(default=Severity.NORMAL, converter=_severity)
    assigned_to: str | None = attrs.field(default=None, validator=check_optional_text)


@attrs.frozen
class Inspection:
    """A supervision inspection (督查) held on a day; it produces findings."""

    code: str = attrs.field(validator=check_code)
    title: str = attrs.field(validator=check_text)
    held_on: date = attrs.field(validator=_required_date)
    inspector: str | None = attrs.field(default=None, validator=check_optional_text)


@attrs.frozen
class Finding:
    """A finding (督查事项) of an inspection on a project or a leading group's task, to be
    rectified by ``rectify_by``. ``assigned_to`` assigns it on the inspection day."""

    code: str = attrs.field(validator=check_code)
    inspection: str = attrs.field(validator=check_code)
    text: str = attrs.field(validator=check_text)
    rectify_by: date = attrs.field(validator=_required_date)
    project: str | None = attrs.field(default=None, validator=_optional_code)
    task: str | None = attrs.field(default=None, validator=_optional_code)
    assigned_to: str | None = attrs.field(default=None, validator=check_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.project is None and self.task is None:
            raise ValidationError.single(
                record=f"Finding {self.code}",
                field="project",
                value=None,
                expected="a project or a task (or both) the finding is about",
            )


@attrs.frozen
class WorkflowEvent:
    """One dated step of a problem or a finding, as appended to the ledger."""

    action: str
    on: date
    note: str = ""
    unit: str | None = None
    entry: int | None = None
