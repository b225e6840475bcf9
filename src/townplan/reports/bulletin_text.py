"""The bulletin's text as an office writes it: 总体情况, 存在问题 and a 下一步工作 the office
fills in, worded from the bulletin's own tables (so the text and the annexes agree).

>>> import townplan as tp
>>> from townplan.fixtures import load_sample_town
>>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
>>> b = tp.reports.bulletin(town, month="2013-06")
>>> print(b.sections[0].paragraphs_cn[0])  # doctest: +ELLIPSIS
截至2013年6月底，纳入“三重”建设计划的重大项目36个，年度计划投资87.58亿元；1-6月完成投资41.04亿元，完成年度计划的46.9%...
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

import attrs

from townplan.model.enums import Light, Stage
from townplan.model.money import Money
from townplan.model.period import Period
from townplan.query.aggregate import Summary
from townplan.reports.cn import join_cn, months_cn, number
from townplan.reports.table import Kind, Lang, Section, Table, format_cell, headline_value

__all__ = ["Facts", "next_steps", "overview", "problems"]


@attrs.frozen
class Facts:
    """The figures the text is worded from."""

    period: Period
    totals: Sequence[Summary]
    lights: dict[Light, int]
    unlit: int
    stages: dict[Stage, int]


def _money(value: Money, lang: Lang = "cn") -> str:
    return headline_value(value, Kind.MONEY, lang)


def _pct(value: Decimal) -> str:
    # rounded half-up, as the tables show a rate (the same figure in both must agree)
    return format_cell(value, Kind.RATE)


def overview(facts: Facts) -> Section:
    """总体情况: counts, amounts, the rate against 序时进度, the lights to the whole."""
    p = facts.period
    schedule = Decimal(p.index) / 12
    count = sum(t.count for t in facts.totals)
    cn: list[str] = []
    en: list[str] = []
    for t in facts.totals:
        text = (f"截至{p.year}年{p.index}月底，纳入“三重”建设计划的重大项目{count}个，"
                f"年度计划投资{_money(t.planned)}；{months_cn(p.index)}完成投资"
                f"{_money(t.year_to_date)}")  # fmt: skip
        words = (f"By the end of {p}, {count} major projects are in the plan, with an "
                 f"annual plan of {_money(t.planned, 'en')}; "
                 f"{_money(t.year_to_date, 'en')} was completed")  # fmt: skip
        if t.rate is not None:
            gap = number(abs(t.rate - schedule) * 100, 1)
            side = "低于" if t.rate < schedule else "高于"
            text += (f"，完成年度计划的{_pct(t.rate)}，{side}序时进度（{_pct(schedule)}）"
                     f"{gap}个百分点")  # fmt: skip
            words += (f", {_pct(t.rate)} of the plan, {gap} points "
                      f"{'behind' if t.rate < schedule else 'ahead of'} the schedule "
                      f"({_pct(schedule)})")  # fmt: skip
        cn.append(text + "。")
        en.append(words + ".")
    red, amber, green = (facts.lights.get(x, 0) for x in (Light.RED, Light.AMBER, Light.GREEN))
    lit = red + amber + green
    text = f"{lit}个项目评定灯号：红灯项目{red}个、黄灯项目{amber}个、绿灯项目{green}个"
    words = f"{lit} projects have a light: {red} red, {amber} amber, {green} green"
    if facts.unlit:
        text += f"；另有{facts.unlit}个项目本年未安排计划投资，不评灯号"
        words += f"; {facts.unlit} more have no plan for the year and get none"
    cn.append(text + "。")
    en.append(words + ".")
    started = facts.stages.get(Stage.NEW_START, 0)
    finished = facts.stages.get(Stage.COMPLETED, 0) + facts.stages.get(Stage.IN_OPERATION, 0)
    cn.append(f"按建设阶段，新开工项目{started}个，竣工、投产项目{finished}个。")
    en.append(f"By stage, {started} started this year and {finished} are completed or in use.")
    return Section("overview", "总体情况", "Overview", tuple(cn), tuple(en))


def problems(
    lights: Table, tasks: Table | None, problems_: Table | None, reports: Table
) -> Section:
    """存在问题: lagging projects, overdue tasks, late answers, missing and late reports
    (tasks and problems left out when ``None``: a province's bulletin does not hold them)."""
    cn: list[str] = []
    en: list[str] = []
    by_light: dict[Light, list[str]] = {Light.RED: [], Light.AMBER: []}
    for light, name in zip(lights.values("light"), lights.values("name"), strict=True):
        if isinstance(light, Light) and light in by_light:
            by_light[light].append(str(name))
    if any(by_light.values()):
        parts = [f"{light.label_cn}项目{len(names)}个（{join_cn(names)}）"
                 for light, names in by_light.items() if names]  # fmt: skip
        cn.append(f"部分项目投资进度滞后。{'；'.join(parts)}，落后于序时进度。")
        en.append(f"Some projects lag the schedule: {len(by_light[Light.RED])} red, "
                  f"{len(by_light[Light.AMBER])} amber.")  # fmt: skip
    if tasks is not None and tasks.rows:
        items = [f"{text}（{group}）"
                 for group, text in zip(tasks.values("group"), tasks.values("text"),
                                        strict=True)]  # fmt: skip
        cn.append(f"领导小组任务逾期未完成{len(items)}项：{join_cn(items)}。")
        en.append(f"{len(items)} tasks of the leading groups are overdue.")
    late = [row for row in problems_.rows if row[-1]] if problems_ is not None else []
    if late:
        units = sorted({str(row[3]) for row in late if row[3]})
        cn.append(f"快速反应问题超时答复{len(late)}个，涉及{join_cn(units)}。")
        en.append(f"{len(late)} problems were answered late.")
    for word, en_word in (("未报", "missing"), ("迟报", "late")):
        names = [f"{name}（{unit}）" if unit else str(name)
                 for name, unit, status in zip(reports.values("name"), reports.values("unit"),
                                               reports.values("status"), strict=True)
                 if status == word]  # fmt: skip
        if names:
            cn.append(f"月度进度{word}{len(names)}个：{join_cn(names)}。")
            en.append(f"{len(names)} monthly reports are {en_word}.")
    if not cn and (tasks is None or problems_ is None):
        cn.append("本月未发现进度滞后或报送不及时的情况。")
        en.append("No project lags and every report came in on time.")
    elif not cn:
        cn.append("本月未发现进度滞后、任务逾期或报送不及时的情况。")
        en.append("No project lags, no task is overdue and every report came in on time.")
    return Section("problems", "存在问题", "Problems", tuple(cn), tuple(en))


def next_steps() -> Section:
    """下一步工作: a placeholder paragraph the office replaces with its own plan."""
    return Section(
        "next", "下一步工作", "Next steps",
        ("（此处由“三重”办填写下一步工作安排。）",),
        ("(The office writes its next steps here.)",),
        placeholder=True,
    )  # fmt: skip
