"""The project lifecycle beyond money: pre-construction procedures (前期工作手续) and a
project's status beyond its stage (停缓建, 复工, 取消).

A procedure kind is data with an effective period (a town adds its own); a project's
procedure names its kind, whether it is required, its deadline (办结时限) and the unit
that holds it (the unit an overdue step is traced back to, 超时倒查). That it was done,
with its document number (批文号), is an event appended later with its record time.

>>> kind = ProcedureKind(code="fire", name="消防设计审查", name_en="Fire design review")
>>> kind.in_force(date(2013, 6, 30))
True
>>> p = Procedure(project="P001", kind="eia", due=date(2013, 4, 30), unit="环保分局")
>>> p.required, p.due
(True, datetime.date(2013, 4, 30))
>>> ProjectStatus.parse("停缓建")
<ProjectStatus.SUSPENDED: 'suspended'>
>>> Procedure(project="P001", kind="", due=None)
Traceback (most recent call last):
...
townplan.errors.ValidationError: Procedure P001.kind: got '' — expected a code ...
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

import attrs

from townplan.errors import ValidationError
from townplan.model.checks import (
    check_code,
    check_date,
    check_optional_text,
    check_text,
    record_name,
)
from townplan.model.dated import since, until
from townplan.model.enums import LabelledEnum, register_labels

__all__ = [
    "COUNT_KEYS",
    "DEFAULT_PROCEDURE_KINDS",
    "Dimension",
    "Procedure",
    "ProcedureDone",
    "ProcedureKind",
    "ProjectStatus",
]


#: What the required procedures are counted by (``ProcedureQuery.counts(by)``,
#: ``townplan procedures --by``).
COUNT_KEYS: Final = ("kind", "unit", "project", "leader", "project_unit", "zone")


def _bool(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, bool):
        raise ValidationError.single(
            record=record_name(instance), field=attribute.name, value=value,
            expected="True or False",
        )  # fmt: skip


def _position(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 10_000:
        raise ValidationError.single(
            record=record_name(instance), field=attribute.name, value=value,
            expected="a whole number 0–9999 (the order lists show the kind in)",
        )  # fmt: skip


@attrs.frozen
class ProcedureKind:
    """A kind of pre-construction procedure (前期手续), in force from ``effective_from``
    (to ``effective_to`` inclusive, when it is retired). ``position`` orders the lists."""

    code: str = attrs.field(validator=check_code)
    name: str = attrs.field(validator=check_text)
    name_en: str | None = attrs.field(default=None, validator=check_optional_text)
    position: int = attrs.field(default=100, validator=_position)
    effective_from: date = since()
    effective_to: date | None = until()

    def __attrs_post_init__(self) -> None:
        if self.effective_to is not None and self.effective_to < self.effective_from:
            raise ValidationError.single(
                record=f"ProcedureKind {self.code}", field="effective_to",
                value=self.effective_to,
                expected=f"a day on or after effective_from ({self.effective_from})",
            )  # fmt: skip

    def in_force(self, on: date) -> bool:
        """True when the kind applies on ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)


#: The procedures every platform tracks, in the order a project goes through them.
DEFAULT_PROCEDURE_KINDS: Final[tuple[ProcedureKind, ...]] = (
    ProcedureKind("approval", "项目建议书/可行性研究报告批复（立项）",
                  "Project approval (proposal / feasibility study)", 10),
    ProcedureKind("land_pre", "用地预审与选址意见书",
                  "Land pre-examination and site selection", 20),
    ProcedureKind("land_planning", "建设用地规划许可证", "Land-use planning permit", 30),
    ProcedureKind("works_planning", "建设工程规划许可证", "Works planning permit", 40),
    ProcedureKind("eia", "环境影响评价批复", "Environmental impact approval", 50),
    ProcedureKind("energy", "节能审查意见", "Energy-saving review", 60),
    ProcedureKind("construction_permit", "施工许可证", "Construction permit", 70),
)  # fmt: skip


@attrs.frozen
class Procedure:
    """One procedure of one project: its kind (a :class:`ProcedureKind` code), whether it
    is required, its deadline (办结时限, None when none is set) and the unit holding it."""

    project: str = attrs.field(validator=check_code)
    kind: str = attrs.field(validator=check_code)
    due: date | None = attrs.field(default=None, validator=check_date)
    unit: str | None = attrs.field(default=None, validator=check_optional_text)
    required: bool = attrs.field(default=True, validator=_bool)


@attrs.frozen
class ProcedureDone:
    """That a project's procedure was done on ``done_on``, with its document number
    (批文号) when it has one."""

    project: str = attrs.field(validator=check_code)
    kind: str = attrs.field(validator=check_code)
    done_on: date = attrs.field(validator=check_date)
    document: str = attrs.field(default="", validator=check_optional_text)
    note: str = attrs.field(default="", validator=check_optional_text)

    def __attrs_post_init__(self) -> None:
        if self.done_on is None:
            raise ValidationError.single(
                record=f"ProcedureDone {self.project}", field="done_on", value=None,
                expected="a datetime.date",
            )  # fmt: skip


class ProjectStatus(LabelledEnum):
    """A project's status beyond its stage, set by dated entries."""

    SUSPENDED = "suspended"
    RESUMED = "resumed"
    CANCELLED = "cancelled"


class Dimension(LabelledEnum):
    """What a light judges (灯号维度)."""

    INVESTMENT = "investment"
    START = "start"
    PROCEDURES = "procedures"
    ESCALATION = "escalation"


register_labels(Dimension, {"investment": "序时进度", "start": "开工", "procedures": "前期手续",
                            "escalation": "连续预警"})  # fmt: skip
register_labels(ProjectStatus, {"suspended": "停缓建", "resumed": "复工", "cancelled": "取消"})
