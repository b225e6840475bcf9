"""The report tables of money and outcomes: funds arrived by source (资金到位情况), the fixed-
asset investment in the statistics (入统), the attraction deals, the year's statistics as
a report states them, and the town's standing.

>>> import townplan as tp
>>> from datetime import date
>>> from townplan.fixtures import sample_town_ledger
>>> with sample_town_ledger() as town:
...     [row[:2] for row in review_table(town, 2012, date(2013, 1, 15)).rows][:2]
...     [row[2] for row in standings_table(town, 2012, date(2013, 1, 20)).rows]
[('生产总值', '107.7亿元'), ('工业总产值', '557亿元')]
['第11名', '第1名']
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from townplan.api import Ledger
from townplan.governance.outcomes import deal_statuses, statistics
from townplan.governance.targets import indicator_statuses
from townplan.model.money import Money
from townplan.reports.cn import date_cn
from townplan.reports.table import Cell, Column, Kind, Table

__all__ = [
    "deals_table",
    "funding_table",
    "review_table",
    "standings_table",
    "statistics_table",
]

_ORIGIN = {"foreign": "外资", "domestic": "内资"}


def _amount(value: Decimal, unit: str) -> str:
    """``107.7亿元``: a statistic with its unit, as the report writes it."""
    return f"{value.normalize():f}{unit}"


def review_table(view: Ledger, year: int, day: date) -> Table:
    """The statistics of ``year`` (indicators without a target) with their observations."""
    columns = (
        Column("indicator", "指标", "Indicator"), Column("value", "数值", "Value"),
        Column("code", "编号", "Code"),
    )  # fmt: skip
    rows = tuple(
        (v.target.indicator, _amount(v.actual, v.target.unit), v.target.code)
        for v in indicator_statuses(view, year=year, on=day, targets=False)
        if v.actual is not None and v.target.task is None
    )
    return Table("review", f"{year}年主要指标完成情况", f"The figures of {year}", columns, rows)


def standings_table(view: Ledger, year: int, day: date) -> Table:
    """The town's standings for ``year`` (or, when none is known yet, the latest before)."""
    known = [s for s in view.standings() if s.year <= year and s.announced_on <= day]
    shown = max((s.year for s in known), default=year)
    columns = (
        Column("body", "评比机关", "Ranking body"), Column("assessment", "考核项目", "Assessment"),
        Column("rank", "名次", "Rank"), Column("announced_on", "公布日期", "Announced", Kind.DATE),
    )  # fmt: skip
    rows = tuple(
        (s.body, s.assessment, f"第{s.rank}名", s.announced_on) for s in known if s.year == shown
    )
    return Table("standings", f"{shown}年全市考核排名", f"The town's standing, {shown}",
                 columns, rows)  # fmt: skip


def funding_table(view: Ledger, year: int, day: date) -> Table:
    """资金到位情况: planned and arrived by source for ``year`` up to ``day``, with the rate."""
    q = view.query().funding(year).on(min(day, date(year, 12, 31)))
    columns = (
        Column("source", "资金来源", "Source of funds"), Column("currency", "币种", "Currency"),
        Column("planned", "计划", "Planned", Kind.MONEY, "万元", "10k yuan"),
        Column("arrived", "到位", "Arrived", Kind.MONEY, "万元", "10k yuan"),
        Column("rate", "到位率", "Rate", Kind.RATE),
    )  # fmt: skip
    rows: tuple[tuple[Cell, ...], ...] = tuple(
        (t.label or t.key or "", t.planned.currency, t.planned, t.arrived, t.rate)
        for t in q.by_source()
    )
    totals = [q.total(c) for c in sorted({row[1] for row in rows if isinstance(row[1], str)})]
    total = None
    if len(totals) == 1:
        t = totals[0]
        total = ("合计", t.planned.currency, t.planned, t.arrived, t.rate)
    last = min(day, date(year, 12, 31))
    return Table("funding", f"{year}年资金到位情况", f"Funds arrived in {year}", columns, rows,
                 total=total, note_cn=f"计划为{year}年资金计划，到位资金截至{date_cn(last)}。",
                 note_en=f"Planned for {year}; funds arrived up to {last}.")  # fmt: skip


def statistics_table(view: Ledger, year: int, day: date, target: str | None = None) -> Table:
    """入统: the investment of ``year`` completed and counted in the statistics, and the
    projects whose completed investment is not counted (已完成未入统); ``target`` names the
    fixed-asset investment target it bears on."""
    lines = statistics(view, year, on=day)
    gaps = [line for line in lines if line.gap]
    columns = (
        Column("project", "项目编号", "Project"), Column("name", "项目名称", "Name"),
        Column("status", "入统状态", "Status", Kind.LABEL),
        Column("completed", "本年完成投资", "Completed", Kind.MONEY, "万元", "10k yuan"),
        Column("counted", "计入统计", "Counted", Kind.MONEY, "万元", "10k yuan"),
        Column("gap", "已完成未入统", "Not counted", Kind.MONEY, "万元", "10k yuan"),
    )  # fmt: skip
    rows = tuple(
        (g.project, g.name, g.status.label_cn if g.status else "未申报", g.completed, g.counted,
         g.gap)
        for g in gaps
    )  # fmt: skip
    counted = _sum([line.counted for line in lines])
    completed = _sum([line.completed for line in lines])
    link = f"与预期目标“{target}”相关：" if target else ""
    return Table(
        "statistics", f"{year}年固定资产投资入统情况", f"Investment in the statistics, {year}",
        columns, rows,
        note_cn=f"{link}“三重”项目本年完成投资{completed}，计入固定资产投资统计{counted}"
                f"（先入库后有数）；下表为完成投资尚未全部入统的项目。",
        note_en=f"Completed {completed}, counted in the fixed-asset investment statistics "
                f"{counted}; the projects below have investment not yet counted.",
    )  # fmt: skip


def deals_table(view: Ledger, day: date) -> Table:
    """The attraction deals (招商项目) as they stand on ``day``: stage, contract, capital used,
    project."""
    columns = (
        Column("code", "编号", "Deal"), Column("name", "项目名称", "Name"),
        Column("origin", "内外资", "Origin"), Column("stage", "进展", "Stage", Kind.LABEL),
        Column("stage_on", "日期", "Since", Kind.DATE),
        Column("contract", "合同金额", "Contract"), Column("utilised", "实际到资", "Used"),
        Column("project", "对应项目", "Project"),
    )  # fmt: skip
    rows = tuple(
        (s.deal.code, s.deal.name, _ORIGIN[s.deal.origin], s.stage, s.stage_on,
         s.deal.contract.format_cn() if s.deal.contract else "", s.utilised.format_cn(),
         s.project or "")
        for s in deal_statuses(view, on=day)
    )  # fmt: skip
    return Table("deals", "招商项目进展", "Attraction deals", columns, rows)


def _sum(items: list[Money]) -> str:
    per: dict[str, Money] = {}
    for m in items:
        per[m.currency] = per.get(m.currency, Money.zero(m.currency)) + m
    return "、".join(m.format_cn(places=2) for _, m in sorted(per.items())) or "0元"
