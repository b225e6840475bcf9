"""The bulletin's lifecycle sections: pre-construction procedures by holding unit
(前期手续办理情况), the overdue procedures with who holds each (超时倒查), the start and
procedure lights, suspended and cancelled projects (停缓建), and one row per leader in
charge (挂点领导).

Each is a :class:`~townplan.reports.table.Table` computed through the public queries,
so every renderer shows it.

>>> import townplan as tp
>>> from townplan.fixtures import load_sample_town
>>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
>>> june = town.as_of(date(2013, 7, 15)).query().procedures().eligible().on(date(2013, 6, 30))
>>> [row[0] for row in overdue_procedures_table(june.overdue()).rows]
['SZ2013-026', 'SZ2013-022', 'SZ2013-033', 'SZ2013-016', 'SZ2013-024']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from datetime import date
from typing import Final

from townplan.api import Ledger
from townplan.model.enums import Light
from townplan.query.aggregate import Summary
from townplan.query.dates import StartCount
from townplan.query.dimensions import DimensionVerdict
from townplan.query.judgement import verdicts_of_overdue
from townplan.query.procedures import ProcedureQuery, ProcedureStatus
from townplan.query.status import halted_projects
from townplan.reports.table import Cell, Column, Kind, Table

__all__ = [
    "halted_table",
    "leaders_table",
    "lifecycle_lights_table",
    "overdue_procedures_table",
    "procedures_table",
    "starts_table",
]


def procedures_table(procedures: ProcedureQuery) -> Table:
    """Required procedures (of the plan's projects, judged at the month's end) by holding
    unit: done, done late, due in the month, overdue at its end."""
    counts = procedures.counts("unit")
    columns = (
        Column("unit", "办理单位", "Holding unit"),
        Column("required", "应办手续", "Required", Kind.INT),
        Column("done", "已办结", "Done", Kind.INT),
        Column("done_late", "超时办结", "Done late", Kind.INT),
        Column("due", "本月到期", "Due this month", Kind.INT),
        Column("overdue", "逾期未办", "Overdue", Kind.INT),
    )
    rows = tuple(
        (unit or "（未定）", c.required, c.done, c.done_late, c.due, c.overdue)
        for unit, c in counts.items()
    )
    total: tuple[Cell, ...] | None = None
    if len(rows) > 1:
        total = ("合计", *(sum(int(r[i]) for r in rows) for i in range(1, 6)))
    return Table("procedures", "前期手续办理情况（按办理单位）",
                 "Pre-construction procedures by holding unit", columns, rows, total)  # fmt: skip


def overdue_procedures_table(overdue: Iterable[ProcedureStatus]) -> Table:
    """Every overdue procedure (of ``procedures.overdue()``), longest overdue first, with
    the unit that holds it and the leader in charge of the project."""
    items = sorted(overdue, key=lambda p: (-p.days_overdue, p.project, p.kind))
    columns = (
        Column("code", "项目编号", "Code"), Column("name", "项目名称", "Project"),
        Column("procedure", "手续", "Procedure"), Column("due", "办结时限", "Due", Kind.DATE),
        Column("days", "逾期天数", "Days overdue", Kind.INT),
        Column("unit", "办理单位", "Holding unit"), Column("leader", "挂点领导", "Leader"),
    )  # fmt: skip
    rows = tuple(
        (p.project, p.project_name, p.kind_name, p.due, p.days_overdue, p.unit or "",
         p.leader or "")
        for p in items
    )  # fmt: skip
    return Table("overdue_procedures", "逾期前期手续（超时倒查）",
                 "Overdue procedures and who holds them", columns, rows)  # fmt: skip


def lifecycle_verdicts(
    procedures: ProcedureQuery, overdue: Iterable[ProcedureStatus]
) -> list[DimensionVerdict]:
    """The procedure lights (amber or red) on the day ``procedures`` is judged, from its
    ``overdue`` procedures as ``procedures.overdue()`` lists them."""
    return list(verdicts_of_overdue(procedures.reader, overdue, procedures.judged_on()))


def lifecycle_lights_table(verdicts: Iterable[DimensionVerdict]) -> Table:
    """The projects lit amber or red on the start or procedures dimension, red first."""
    ordered = sorted(verdicts, key=lambda v: (v.light is not Light.RED, v.dimension, v.project))
    columns = (
        Column("code", "项目编号", "Code"), Column("name", "项目名称", "Project"),
        Column("dimension", "维度", "Dimension", Kind.LABEL),
        Column("light", "灯号", "Light", Kind.LABEL), Column("reason", "原因", "Reason"),
    )  # fmt: skip
    rows = tuple((v.project, v.name, v.dimension, v.light, v.reason_cn) for v in ordered)
    return Table("lifecycle_lights", "开工、前期手续红灯、黄灯项目",
                 "Red and amber on start and procedures", columns, rows)  # fmt: skip


def halted_table(view: Ledger, end: date) -> Table:
    """Projects suspended (停缓建) or cancelled (取消) at the month's end, left out of the
    schedule judgment."""
    columns = (
        Column("code", "项目编号", "Code"), Column("name", "项目名称", "Project"),
        Column("status", "状态", "Status", Kind.LABEL),
        Column("since", "起始日期", "Since", Kind.DATE), Column("note", "原因", "Reason"),
    )  # fmt: skip
    rows = tuple((s.project, s.name, s.status, s.since, s.note) for s in halted_projects(view, end))
    return Table("halted", "停缓建、取消项目（不参与序时进度评价）",
                 "Suspended and cancelled projects (not judged)", columns, rows)  # fmt: skip


def leaders_table(summaries: Iterable[Summary], overdue: Iterable[ProcedureStatus]) -> Table:
    """One row per leader in charge (挂点领导) of the plan's projects: projects, completion,
    red and amber on investment, and the ``overdue`` procedures of the leader's projects."""
    per_leader = Counter(p.leader for p in overdue)
    columns = (
        Column("leader", "挂点领导", "Leader in charge"),
        Column("count", "项目数", "Projects", Kind.INT),
        Column("planned", "年度计划投资", "Annual plan", Kind.MONEY),
        Column("year_to_date", "本年完成投资", "Completed this year", Kind.MONEY),
        Column("rate", "完成率", "Completion", Kind.RATE),
        Column("red", "红灯", "Red", Kind.INT), Column("amber", "黄灯", "Amber", Kind.INT),
        Column("overdue", "逾期手续", "Overdue procedures", Kind.INT),
    )  # fmt: skip
    rows = []
    for s in summaries:
        leader = s.key[0] if s.key else None
        rows.append(
            (leader or "（未定）", s.count, s.planned, s.year_to_date, s.rate, s.red or 0,
             s.amber or 0, per_leader.get(leader, 0))
        )  # fmt: skip
    return Table("leaders", "分挂点领导项目情况", "By leader in charge", columns, tuple(rows))


_WHAT: Final = {"start": ("新开工", "Starts"), "finish": ("竣工", "Completions"),
                "operation": ("投产", "Into operation")}  # fmt: skip


def starts_table(counts: Iterable[StartCount], through: date) -> Table:
    """计划新开工 / 实际开工 / 开工率 and the same for 竣工 and 投产, against the targets."""
    columns = (
        Column("what", "项目", "Item"),
        Column("planned", "全年计划", "Planned for the year", Kind.INT),
        Column("actual", f"截至{through.month}月{through.day}日实际", "Actual so far", Kind.INT),
        Column("rate", "完成比例", "Rate", Kind.RATE),
        Column("target", "年度目标", "Target for the year", Kind.NUMBER, "个", "projects"),
    )
    rows = tuple((_WHAT[c.what][0], c.planned, c.actual, c.rate, c.target) for c in counts)
    return Table("starts", "新开工、竣工、投产情况", "Starts, completions and operation",
                 columns, rows)  # fmt: skip
