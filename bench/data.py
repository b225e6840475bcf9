"""Seeded synthetic portfolios: the same rows as plain tuples (for the baselines) and as
townplan records (built from those tuples), so both sides write exactly the same data.

A project row holds the ``projects`` columns in schema order ending with ``valid_from``
and ``recorded_at``; a progress row holds the ``progress`` columns from ``project`` to
``corrects``. Progress comes month by month (every project reports for January, then
for February …), the way a town's office collects it.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import date, datetime
from functools import cache
from typing import Any

from townplan import Category, Money, Period, ProgressReport, Project, ProjectKind, Stage
from townplan.ledger import as_recorded_at

VALID_FROM = date(2013, 1, 1)
RECORDED = datetime(2014, 1, 10, 9, 0)
RECORDED_AT = as_recorded_at(RECORDED)
FIRST_YEAR = 2013

ZONES = (*(f"{name}片区" for name in "东南西北中滨湖港山"), "现代临港产业区", "水乡新城")
UNITS = tuple(
    f"{name}办公室"
    for name in ("经济贸易", "规划建设", "国土", "环保", "社会事务", "农业", "宣传", "财政")
) + tuple(f"第{n}工程指挥部" for n in range(1, 13))
_NAMES = ("产业园", "物流中心", "大道改造", "污水处理厂", "安置小区", "学校扩建", "湿地公园",
          "商业综合体", "变电站", "文化中心", "医院二期", "码头泊位")  # fmt: skip
_CONTENT = ("建设厂房、仓储及配套设施", "道路拓宽及管网改造", "建设污水管网及处理设施",
            "建设住宅及配套公建", "建设教学楼、宿舍及运动场", "生态修复及景观绿化")  # fmt: skip
_NOTES = ("桩基施工{}%", "主体结构施工至第{}层", "内外装修施工{}%", "厂房主体及钢结构安装{}%",
          "场地平整及临设搭建，完成{}%", "征地拆迁完成{}%，企业入园协议签订滞后",
          "管网铺设{}公里", "设备安装调试{}%")  # fmt: skip
_WAN = 1_000_000  # fen in a 万元
_CATEGORIES = tuple(Category)
_STAGES = tuple(Stage)


def project_rows(count: int, seed: int = 1) -> list[tuple[Any, ...]]:
    """``count`` project rows, codes ``P0000001`` … in order."""
    rng = random.Random(seed)
    rows = []
    for i in range(1, count + 1):
        government = rng.randrange(0, 50_000) * _WAN  # up to 5亿元, in whole 万元
        social = rng.randrange(0, 200_000) * _WAN if i % 3 else 0  # up to 20亿元
        total = government + social
        start = rng.randrange(2008, 2014)
        rows.append(
            (
                f"P{i:07d}",
                f"{ZONES[i % len(ZONES)][:2]}{_NAMES[i % len(_NAMES)]}{i}号",
                _CATEGORIES[i % len(_CATEGORIES)].value,
                _STAGES[i % len(_STAGES)].value,
                (ProjectKind.RESERVE if i % 10 == 0 else ProjectKind.CONSTRUCTION).value,
                "CNY",
                government,
                social,
                total,
                total // rng.randrange(3, 8),
                FIRST_YEAR,
                ZONES[i % len(ZONES)],
                f"{i % 40}村" if i % 4 else None,
                UNITS[i % len(UNITS)],
                f"副镇长{i % 9}",
                _CONTENT[i % len(_CONTENT)],
                start,
                start + rng.randrange(1, 6),
                "示例镇",
                VALID_FROM.isoformat(),
                RECORDED_AT,
            )
        )
    return rows


def progress_rows(projects: int, entries: int, seed: int = 2) -> Iterator[tuple[Any, ...]]:
    """``entries`` progress rows for projects ``P0000001`` …, month by month, lazily."""
    rng = random.Random(seed)
    months = entries // projects
    cumulative = [0] * projects
    for month in range(months):
        period = _period(month)
        day = _reported_on(month).isoformat()
        for i in range(projects):
            done = rng.randrange(0, 200_000) * 10_000  # up to 2000万元 in a month
            cumulative[i] += done
            template = _NOTES[(i + month) % len(_NOTES)]
            note = "" if i % 10 == 9 else template.format(min(100, 5 * (month + 1) + i % 7))
            yield (
                f"P{i + 1:07d}",
                period,
                "CNY",
                done,
                cumulative[i],
                note,
                day,
                RECORDED_AT,
                None,
            )


@cache
def _period(month: int) -> str:
    return f"{FIRST_YEAR + month // 12}-{month % 12 + 1:02d}"


@cache
def _reported_on(month: int) -> date:
    following = month + 1
    return date(FIRST_YEAR + following // 12, following % 12 + 1, 5)


def project_record(row: tuple[Any, ...]) -> Project:
    """The :class:`Project` a project row stores (the row may stop after ``town``)."""
    (code, name, category, stage, kind, cur, gov, social, total, plan, plan_year, zone,
     village, unit, leader, content, start, end, town, *_) = row  # fmt: skip
    return Project(
        code=code, name=name, category=Category(category), stage=Stage(stage),
        kind=ProjectKind(kind), government_investment=Money.from_fen(gov, cur),
        social_investment=Money.from_fen(social, cur), total_investment=Money.from_fen(total, cur),
        annual_plan=Money.from_fen(plan, cur), plan_year=plan_year, zone=zone, village=village,
        responsible_unit=unit, leader=leader, content=content, start_year=start, end_year=end,
        town=town,
    )  # fmt: skip


def progress_record(row: tuple[Any, ...]) -> ProgressReport:
    """The :class:`ProgressReport` a progress row stores (months and days shared)."""
    project, period, cur, done, cumulative, note, day, *_ = row
    return ProgressReport(
        project=project, period=_month(period), completed=Money.from_fen(done, cur),
        cumulative=Money.from_fen(cumulative, cur), note=note, reported_on=_day(day),
    )  # fmt: skip


def progress_read(row: tuple[Any, ...]) -> ProgressReport:
    """The :class:`ProgressReport` of a ``progress`` row read back in table order (``id``
    first), written by hand for the read baselines."""
    id_, project, period, cur, done, cumulative, note, day, _recorded, corrects = row
    return ProgressReport(
        project=project, period=Period.parse(period), completed=Money.from_fen(done, cur),
        cumulative=Money.from_fen(cumulative, cur) if cumulative is not None else None,
        note=note, reported_on=date.fromisoformat(day), corrects=corrects, id=id_,
    )  # fmt: skip


@cache
def _month(text: str) -> Period:
    return Period.parse(text)


@cache
def _day(text: str) -> date:
    return date.fromisoformat(text)
