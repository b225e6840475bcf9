"""Lights on several dimensions (多维度红黄绿灯), each a rule with an effective date.

- **investment** (序时进度): :class:`~townplan.query.lights.LightRule`, as before;
- **start** (开工): a planned start missed — amber once the day has passed without a
  start, red when missed by ``red_after_months`` (default 3) months;
- **procedures** (前期手续): amber while a required procedure is overdue, red when one is
  overdue by more than ``red_after_days`` (default 90) days;
- **escalation** (连续预警): ``months`` (default 2) amber months in a row turn red; a red
  drops to amber, not straight to green, the first month the gap is made up.

A project's light is the worst of its dimensions; every verdict names its dimension and
says why, in Chinese and English. Each rule is a dated rule (:mod:`townplan.model.dated`):
a town that changes one adds it (``ledger.add_rule(StartRule(...))``) effective from the
day it applies, and the rule in force on a day, as known at the cut, is used.

>>> StartRule().judge(date(2013, 3, 1), None, date(2013, 6, 30))
<Light.RED: 'red'>
>>> StartRule().judge(date(2013, 5, 1), None, date(2013, 6, 30))
<Light.AMBER: 'amber'>
>>> ProcedureRule().judge(30), ProcedureRule().judge(91)
(<Light.AMBER: 'amber'>, <Light.RED: 'red'>)
>>> EscalationRule().step([Light.AMBER, Light.AMBER, Light.GREEN, Light.GREEN])
[<Light.AMBER: 'amber'>, <Light.RED: 'red'>, <Light.AMBER: 'amber'>, <Light.GREEN: 'green'>]
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, ClassVar, Final, TypeVar

import attrs

from townplan.errors import ValidationError
from townplan.ledger.reads import LedgerReader
from townplan.model.dated import Dated, rule_kind, since, until
from townplan.model.enums import Light
from townplan.model.lifecycle import Dimension

__all__ = [
    "DimensionVerdict",
    "EscalationRule",
    "ProcedureRule",
    "StartRule",
    "dimension_rule",
    "months_between",
    "worst",
]

_ORDER: Final = {Light.GREEN: 0, Light.AMBER: 1, Light.RED: 2}


def worst(lights: Iterable[Light]) -> Light:
    """The worst of ``lights`` (green when there are none)."""
    return max(lights, key=_ORDER.__getitem__, default=Light.GREEN)


def months_between(start: date, end: date) -> int:
    """Whole months from ``start`` to ``end`` (1 March → 1 June is 3; → 31 May is 2)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def _whole(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10_000:
        raise ValidationError.single(
            record=type(instance).__name__, field=attribute.name, value=value,
            expected="a whole number 0–10000",
        )  # fmt: skip


R = TypeVar("R", "StartRule", "ProcedureRule", "EscalationRule")


@rule_kind
@attrs.frozen
class StartRule(Dated):
    """A planned start (计划开工) missed: amber once missed, red from ``red_after_months``."""

    kind: ClassVar[str] = "light_start"

    name: str = "开工"
    red_after_months: int = attrs.field(default=3, validator=_whole)
    effective_from: date = since()
    effective_to: date | None = until()

    def judge(self, planned: date | None, started: date | None, on: date) -> Light:
        """The light of a project planned to start on ``planned``, started on ``started``
        (None: not by ``on``), judged on ``on``."""
        if planned is None or planned >= on or (started is not None and started <= on):
            return Light.GREEN
        return Light.RED if months_between(planned, on) >= self.red_after_months else Light.AMBER

    def describe(self) -> tuple[str, str]:
        """The rule in words (English, Chinese)."""
        return (
            f"amber once the planned start is missed, red {self.red_after_months} months after",
            f"逾期未开工即黄灯，逾期{self.red_after_months}个月红灯",
        )


@rule_kind
@attrs.frozen
class ProcedureRule(Dated):
    """An overdue procedure (前期手续逾期): amber, red beyond ``red_after_days`` days."""

    kind: ClassVar[str] = "light_procedures"

    name: str = "前期手续"
    red_after_days: int = attrs.field(default=90, validator=_whole)
    effective_from: date = since()
    effective_to: date | None = until()

    def judge(self, days_overdue: int) -> Light:
        """The light of a project whose most overdue procedure is ``days_overdue`` late."""
        if days_overdue <= 0:
            return Light.GREEN
        return Light.RED if days_overdue > self.red_after_days else Light.AMBER

    def describe(self) -> tuple[str, str]:
        """The rule in words (English, Chinese)."""
        return (
            f"amber while a procedure is overdue, red beyond {self.red_after_days} days",
            f"手续逾期即黄灯，逾期超过{self.red_after_days}天红灯",
        )


@rule_kind
@attrs.frozen
class EscalationRule(Dated):
    """Escalation over consecutive months (连续预警升级)."""

    kind: ClassVar[str] = "light_escalation"

    name: str = "连续预警"
    months: int = attrs.field(default=2, validator=_whole)
    effective_from: date = since()
    effective_to: date | None = until()

    def step(self, base: Sequence[Light]) -> list[Light]:
        """The escalated lights of consecutive months whose own lights are ``base``:
        ``months`` ambers in a row (or more) are red; the month after a red whose own
        light is green is amber."""
        out: list[Light] = []
        run = 0
        for light in base:
            run = run + 1 if light is Light.AMBER else 0
            if light is Light.RED or (light is Light.AMBER and self.months and run >= self.months):
                out.append(Light.RED)
            elif light is Light.GREEN and out and out[-1] is Light.RED:
                out.append(Light.AMBER)
            else:
                out.append(light)
        return out

    def describe(self) -> tuple[str, str]:
        """The rule in words (English, Chinese)."""
        return (
            f"{self.months} amber months in a row turn red; red drops to amber once made up",
            f"连续{self.months}个月黄灯升为红灯；红灯整改到位后先降为黄灯",
        )


def dimension_rule(reader: LedgerReader, cls: type[R], on: date) -> R:
    """The rule of ``cls`` in force on ``on`` among those the ledger knows at its cut
    (default if none)."""
    return reader.rule(cls, on)


@attrs.frozen
class DimensionVerdict:
    """One project's light on one dimension on a day, and why (Chinese and English)."""

    project: str
    name: str
    dimension: Dimension
    light: Light
    on: date
    reason_cn: str
    reason: str
