"""A project's light as the worst of its dimensions, and its history month by month.

:func:`procedure_verdicts` judges the procedures dimension for many projects at once;
:func:`light_history` follows one project through the months of a year — its own light
each month end is the worst of its investment, start and procedures lights, then the
escalation rule runs over the months — and keeps the months where the light changed,
each saying which dimension set it and why. Every figure is as known in the view.

>>> from townplan.fixtures import sample_town_ledger
>>> town = sample_town_ledger()
>>> for c in light_history(town.as_of(date(2013, 12, 31)), "SZ2013-024"):
...     print(c.on, c.light.value, c.dimension.value)
2013-01-31 green investment
2013-05-31 amber start
2013-06-30 red escalation
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date
from itertools import groupby

import attrs

from townplan.errors import NotFoundError
from townplan.ledger.reads import LedgerReader
from townplan.model.enums import Light
from townplan.model.lifecycle import Dimension
from townplan.model.period import Period
from townplan.query.dates import start_verdicts
from townplan.query.dimensions import (
    DimensionVerdict,
    EscalationRule,
    ProcedureRule,
    dimension_rule,
    worst,
)
from townplan.query.lights import LightVerdict
from townplan.query.procedures import ProcedureQuery, ProcedureStatus
from townplan.query.projects import ProjectQuery
from townplan.query.schedule import default_day
from townplan.query.sql import Fragment

__all__ = [
    "LightChange",
    "investment_verdict",
    "light_history",
    "procedure_verdicts",
    "verdicts_of_overdue",
]


def investment_verdict(v: LightVerdict) -> DimensionVerdict:
    """The investment dimension's verdict from a time-proportional light."""
    return DimensionVerdict(v.project, v.name, Dimension.INVESTMENT, v.light, v.on,
                            v.reason_cn, v.reason)  # fmt: skip


def _procedure_verdict(
    rule: ProcedureRule, words: tuple[str, str], items: list[ProcedureStatus], on: date
) -> DimensionVerdict:
    light = rule.judge(max(p.days_overdue for p in items))
    cn = "；".join(
        f"{p.kind_name}逾期{p.days_overdue}天（{p.unit or '未定办理单位'}）" for p in items
    )
    en = "; ".join(f"{p.kind} {p.days_overdue} days overdue ({p.unit or 'no unit'})" for p in items)
    first = items[0]
    return DimensionVerdict(
        first.project, first.project_name, Dimension.PROCEDURES, light, on,
        f"前期手续逾期：{cn}：{light.label_cn}（{words[1]}）",
        f"procedures overdue: {en}: {light.value} ({words[0]})",
    )  # fmt: skip


def procedure_verdicts(query: ProcedureQuery, on: date) -> Iterator[DimensionVerdict]:
    """The procedures dimension of every project with an overdue procedure among
    ``query``'s on ``on`` (amber or red), by project; its reason lists the overdue
    procedures latest deadline first."""
    return verdicts_of_overdue(query.reader, query.overdue(on=on), on)


def verdicts_of_overdue(
    reader: LedgerReader, overdue: Iterable[ProcedureStatus], on: date
) -> Iterator[DimensionVerdict]:
    """:func:`procedure_verdicts` from the overdue procedures themselves, in the order a
    procedure query gives them (by project, then the kinds' order), so a list already
    read serves the verdicts too."""
    rule = dimension_rule(reader, ProcedureRule, on)
    words = rule.describe()
    for _, items in groupby(overdue, key=lambda p: p.project):
        # latest deadline first; on the same deadline, in the order a project goes
        # through them (a reversed sort keeps equal keys in their order)
        ordered = sorted(items, key=lambda p: p.due or date.min, reverse=True)
        yield _procedure_verdict(rule, words, ordered, on)


@attrs.frozen
class LightChange:
    """A month end where a project's light changed: the light, the dimension that set it,
    why (Chinese and English), and every dimension's verdict that month."""

    on: date
    light: Light
    dimension: Dimension
    reason_cn: str
    reason: str
    verdicts: tuple[DimensionVerdict, ...]


def _month_verdicts(reader: LedgerReader, code: str, on: date) -> list[DimensionVerdict]:
    found = [
        investment_verdict(v) for v in ProjectQuery(reader=reader).where(code=code).lights(on=on)
    ]
    found += start_verdicts(reader, Fragment("SELECT ?", (code,)), on)
    found += procedure_verdicts(ProcedureQuery(reader=reader).where(project=code), on)
    return found


def light_history(
    reader: LedgerReader, project: str, *, year: int | None = None
) -> list[LightChange]:
    """When ``project``'s light changed in ``year`` (default: the year of the view's
    latest reported month), month end by month end up to that month, and why."""
    reader.project(project)  # NotFoundError when the view does not hold it
    last = default_day(reader)
    year = year or last.year
    months = range(1, (last.month if last.year == year else 12) + 1)
    if last.year < year:
        raise NotFoundError(f"nothing is known of {year} in this view")
    ends = [Period.month(year, m).end for m in months]
    per_month = [_month_verdicts(reader, project, end) for end in ends]
    base = [worst(v.light for v in verdicts) for verdicts in per_month]
    rule = dimension_rule(reader, EscalationRule, ends[-1])
    escalated = rule.step(base)
    words = rule.describe()
    changes: list[LightChange] = []
    for end, verdicts, own, light in zip(ends, per_month, base, escalated, strict=True):
        if light is not own:
            dimension = Dimension.ESCALATION
            if light is Light.RED:
                cn = f"连续{rule.months}个月黄灯，升为红灯（{words[1]}）"
                en = f"{rule.months} amber months in a row: red ({words[0]})"
            else:
                cn = f"上月红灯，本月差距已补上，降为黄灯（{words[1]}）"
                en = f"red last month, gap made up: amber ({words[0]})"
        else:
            top = [v for v in verdicts if v.light is light]
            dimension = top[0].dimension if top else Dimension.INVESTMENT
            cn = "；".join(v.reason_cn for v in top) or "各维度均为绿灯"
            en = "; ".join(v.reason for v in top) or "green on every dimension"
        if not changes or changes[-1].light is not light:
            changes.append(LightChange(end, light, dimension, cn, en, tuple(verdicts)))
    return changes
