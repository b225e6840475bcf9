"""The monthly progress bulletin (月度调度通报) of the "三重" portfolio.

Portfolio totals; plan vs completed by zone, category and responsible unit; the red and
amber projects with their reasons; overdue tasks of the leading groups; open problems and
overdue responses; missing and late reports. Computed only through ``ledger.query()`` and
:mod:`townplan.governance`, as of any day.

>>> import townplan as tp
>>> from townplan.fixtures import load_sample_town
>>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
>>> b = bulletin(town, month="2013-06")
>>> b.as_of
datetime.date(2013, 7, 15)
>>> [row[0] for row in b.table("lights").rows]
['SZ2013-022', 'SZ2013-006', 'SZ2013-033', 'SZ2013-018', 'SZ2013-026']
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Final

from townplan.api import Ledger
from townplan.cycles import paused_collector
from townplan.governance.tasks import overdue_tasks
from townplan.model.enums import Light, Stage
from townplan.model.money import Money
from townplan.model.period import Period, PeriodKind
from townplan.progress import ProgressHook, Tally
from townplan.query.aggregate import Summary, subtotals
from townplan.query.dates import start_counts_of, start_verdicts_of
from townplan.query.lights import LightVerdict
from townplan.query.month import MonthCells
from townplan.query.status import stored_actual
from townplan.reports import bulletin_text
from townplan.reports.cn import date_cn, month_cn, month_runs, months_cn
from townplan.reports.common import (
    LOAD_HINT,
    in_official_order,
    issuer_of,
    month_of,
    months_note,
    nothing_to_report,
    summary_table,
    view_for,
)
from townplan.reports.lifecycle_sections import (
    halted_table,
    leaders_table,
    lifecycle_lights_table,
    lifecycle_verdicts,
    overdue_procedures_table,
    procedures_table,
    starts_table,
)
from townplan.reports.outcomes import funding_table
from townplan.reports.table import Cell, Chart, Column, Kind, Report, Series, Table

__all__ = ["GROUPINGS", "ReportRow", "bulletin", "compose"]

_TEN_THOUSAND = Decimal(10_000)
_TENTH = Decimal("0.1")


#: The steps of building a bulletin a progress hook is told of.
STEPS: Final = 6


# the verdicts, amounts and cells of a large portfolio hold no cycles (townplan.cycles)
@paused_collector()
def bulletin(
    ledger: Ledger, month: Period | str, *, as_of: date | None = None,
    on_progress: ProgressHook | None = None,
) -> Report:  # fmt: skip
    """The bulletin for ``month``, as known on ``as_of`` (default: the 15th of the next
    month, after the reporting deadline). Covers the eligible projects (the 三重 plan).
    ``on_progress`` is told ``(done, total)`` after each of its :data:`STEPS` steps (the
    portfolio measured, its lights and groupings, the annex, the lifecycle, the expected
    reports, the rest), for a progress bar over a large portfolio."""
    tally = Tally(on_progress, STEPS, every=1)
    period = month_of(month)
    view, day = view_for(ledger, period.end, as_of)
    q = view.query()
    unseen = view.unseen(Period(period.year, PeriodKind.YEAR).start, period.end)
    # The portfolio is measured once; the lights, the three tables (regroupings of one
    # grouping by all three keys, exact in fen) and the monthly sums all read that.
    with q.projects().eligible().on(period.end).snapshot() as portfolio:
        by_month = list(portfolio.group_by("month"))
        notes = _coverage(period, day, portfolio.count(), by_month, unseen)
        tally.add()
        lights = sorted(
            portfolio.behind_plan().lights(),
            key=lambda v: (v.light is not Light.RED, -v.points_behind, v.project),
        )
        detail = list(portfolio.group_by("zone", "category", "responsible_unit"))
        months = [s for s in by_month if s.currency == "CNY"]
        # one grouping by stage and leader gives the projects per stage and the leader rows
        by_stage_leader = list(portfolio.group_by("stage", "leader"))
        stages: dict[Stage, int] = {}
        for s in subtotals(by_stage_leader, "stage"):
            stages[s.key[0]] = stages.get(s.key[0], 0) + s.count
        tally.add()
        annex = _progress_table(view, portfolio.month_cells(period), period)
        tally.add()
        by_leader = subtotals(by_stage_leader, "leader")
        # the measured rows hold the planned days, the stage and whether halted on the day
        plan = portfolio.rows_sql()
        with stored_actual(view, period.end) as actual:  # the actual days, read once
            starts = list(start_verdicts_of(view, plan, period.end, actual))
            start_figures = start_counts_of(view, plan, period.year, period.end, actual)
        # The plan's procedures are judged once at the month's end, their projects read
        # from the measured portfolio; the overdue ones are read once for three tables.
        with q.procedures().among(portfolio).on(period.end).snapshot() as procedures:
            overdue = list(procedures.overdue())
            lifecycle_tables = (
                starts_table(start_figures, period.end),
                lifecycle_lights_table(starts + lifecycle_verdicts(procedures, overdue)),
                procedures_table(procedures),
                overdue_procedures_table(overdue),
                halted_table(view, period.end),
                leaders_table(by_leader, overdue),
            )
    tally.add()
    groups: dict[tuple[str, ...], list[Summary]] = {
        key: subtotals(detail, *key) for key in GROUPINGS
    }
    # Zones and units in the office's order (排列顺序) where the ledger keeps one.
    groups[("zone",)] = in_official_order(view, "zones", groups[("zone",)])
    groups[("responsible_unit",)] = in_official_order(view, "units", groups[("responsible_unit",)])
    # One query over the month's expected reports gives both the missing and the late ones.
    owed = view.query().expected_reports(period).on(day)
    items = owed.where(status__in=("missing", "late")).order_by("status", "code")
    reports = [(r.code, r.name, r.unit, r.status, r.due, r.received_on) for r in items]
    tally.add()
    # 资金到位情况 only where the town keeps funding plans: no section of nothing.
    funding = funding_table(view, period.year, period.end)
    report = compose(
        period, day, groups, lights, months, stages, reports, lifecycle=lifecycle_tables,
        funding=funding if funding.rows else None,
        tasks=_tasks_table(view, period.end, day), problems=_problems_table(view, day),
        annex=annex, issuer=issuer_of(ledger),
        unseen=unseen, notes=notes,
    )  # fmt: skip
    tally.finish()
    return report


def _coverage(
    period: Period, day: date, in_plan: int, by_month: list[Summary], unseen: int
) -> tuple[tuple[str, str], ...]:
    """Refuse a bulletin of nothing — no project in the plan, or no progress report of the
    year to date, and nothing of it recorded after the cut either (then the report says
    so instead) — and note the months of the year to date the ledger holds no report of."""
    reported = {s.key[0] for s in by_month if s.count}
    what = ("通报", f"bulletin of {period}")
    if not unseen and not in_plan:
        raise nothing_to_report(
            what, day, (f"{date_cn(period.end)}在计划内的项目", f"projects in the plan on "
                        f"{period.end.isoformat()}"), LOAD_HINT["register"],
        )  # fmt: skip
    year_to_date = list(Period(period.year, PeriodKind.YEAR).months())[: period.index]
    if not unseen and not reported:
        raise nothing_to_report(
            what, day, (f"{month_runs(year_to_date)}的进度月报",
                        f"progress reports for {month_runs(year_to_date, 'en')}"),
            LOAD_HINT["progress"],
        )  # fmt: skip
    lacking = [m for m in year_to_date if m not in reported]
    if not reported or not lacking:
        return ()
    return (months_note(lacking, "本年累计完成只含有月报的月份",
                        "the year to date counts the months reported"),)  # fmt: skip


#: The groupings the bulletin shows: the portfolio's totals, then by zone, category and
#: responsible unit.
GROUPINGS: Final[tuple[tuple[str, ...], ...]] = (
    (), ("zone",), ("category",), ("responsible_unit",),
)  # fmt: skip

#: One missing or late report: code, name, unit, status ("missing" or "late"), due day and
#: the day it arrived (None if it has not).
ReportRow = tuple[str, str, str | None, str, date, date | None]


def compose(
    period: Period,
    day: date,
    groups: Mapping[tuple[str, ...], list[Summary]],
    lights: list[LightVerdict],
    months: list[Summary],
    stages: dict[Stage, int],
    reports: Iterable[ReportRow],
    *,
    lifecycle: tuple[Table, ...] = (),
    funding: Table | None = None,
    tasks: Table | None = None,
    problems: Table | None = None,
    annex: Table | None = None,
    issuer: str = "",
    unseen: int = 0,
    notes: tuple[tuple[str, str], ...] = (),
) -> Report:
    """The bulletin from its measured parts, whoever measured them (the ledger's queries
    here, DuckDB or Spark in :mod:`townplan.analytics`), so the tables are the same: the
    summaries of each of :data:`GROUPINGS` on the month's end (in the order
    :func:`~townplan.query.aggregate.subtotals` gives), the red and amber ``lights`` in the
    bulletin's order, the CNY ``months`` series, projects per stage, the month's missing
    and late ``reports`` by status and code, and the town's own tables when known: the
    ``lifecycle`` tables, the year's ``funding`` arrived by source (资金到位情况), overdue
    ``tasks``, open ``problems`` and the per-project ``annex``; how many facts of the
    year to date the cut leaves out (``unseen``) and ``notes`` in Chinese and English."""
    totals = groups[()]
    zones = summary_table("zones", "分板块完成情况", "By zone", ("板块", "Zone"),
                          groups[("zone",)])  # fmt: skip
    categories = summary_table("categories", "分类别完成情况", "By category",
                               ("项目类别", "Category"), groups[("category",)])  # fmt: skip
    units = summary_table("units", "分责任单位完成情况", "By responsible unit",
                          ("责任单位", "Responsible unit"),
                          groups[("responsible_unit",)])  # fmt: skip
    lights_table = _lights_table(lights)
    reports_table = _reports_table(reports, period)
    tables = (
        zones, categories, units, lights_table, *lifecycle,
        *(t for t in (funding, tasks, problems) if t is not None), reports_table,
        *(t for t in (annex,) if t is not None),
    )  # fmt: skip
    counts = dict.fromkeys(Light, 0) | Counter(v.light for v in lights)
    green = sum((t.green or 0) for t in totals)
    counts[Light.GREEN] = green
    in_plan = sum(t.count for t in totals)
    headline: list[tuple[str, str, Cell, Kind]] = [
        ("纳入计划项目", "Projects in the plan", in_plan, Kind.INT),
    ]
    for t in totals:
        headline += [
            ("年度计划投资", "Annual plan", t.planned, Kind.MONEY),
            (f"{months_cn(period.index)}完成投资", "Completed this year", t.year_to_date,
             Kind.MONEY),
            ("完成率", "Completion", t.rate, Kind.RATE),
        ]  # fmt: skip
    unlit = in_plan - sum(counts.values())
    headline += [
        ("序时进度", "Time-proportional schedule", Decimal(period.index) / 12, Kind.RATE),
        ("红灯项目", "Red", counts[Light.RED], Kind.INT),
        ("黄灯项目", "Amber", counts[Light.AMBER], Kind.INT),
        ("绿灯项目", "Green", green, Kind.INT),
    ]
    if unlit:
        headline.append(("未评灯号项目", "Projects without a light", unlit, Kind.INT))
    facts = bulletin_text.Facts(period, totals, counts, unlit, stages)
    sections = (
        bulletin_text.overview(facts),
        bulletin_text.problems(lights_table, tasks, problems, reports_table),
        bulletin_text.next_steps(),
    )
    figures = (
        _zone_chart(zones),
        Chart("lights", "counts", "红黄绿灯项目数", "Projects by light",
              ("红灯", "黄灯", "绿灯"),
              (Series("项目数", "Projects", (Decimal(counts[Light.RED]),
                                             Decimal(counts[Light.AMBER]), Decimal(green))),),
              categories_en=("red", "amber", "green")),
        _monthly_chart(months, period, totals),
    )  # fmt: skip
    return Report(
        kind="bulletin",
        title_cn=f"{period.year}年{period.index}月“三重”建设重大项目进度通报",
        title_en=f"Major projects (三重): progress bulletin, {period}",
        as_of=day,
        headline=tuple(headline),
        tables=tables,
        figures=figures,
        subtitle_cn=f"统计期：{period.year}年{months_cn(period.index)}",
        subtitle_en=f"Period: {period.year}-01 to {period}",
        sections=sections,
        issuer_cn=issuer,
        number=period.index,
        unseen=unseen,
        notes_cn=tuple(cn for cn, _ in notes),
        notes_en=tuple(en for _, en in notes),
    )


def _lights_table(lights: list[LightVerdict]) -> Table:
    columns = (
        Column("code", "项目编号", "Code"), Column("name", "项目名称", "Project"),
        Column("light", "灯号", "Light", Kind.LABEL),
        Column("rate", "完成率", "Completion", Kind.RATE),
        Column("expected", "序时进度", "Schedule", Kind.RATE),
        Column("behind", "落后", "Points behind", Kind.NUMBER, "百分点", "points", places=1),
        Column("reason", "原因", "Reason"),
    )  # fmt: skip
    rows = tuple([
        (v.project, v.name, v.light, v.completion_rate, v.expected,
         v.points_behind.quantize(_TENTH, ROUND_HALF_UP), v.reason_cn)
        for v in lights
    ])  # fmt: skip
    return Table("lights", "红灯、黄灯项目", "Red and amber projects", columns, rows)


def _tasks_table(view: Ledger, end: date, day: date) -> Table:
    groups = {g.code: g.name for g in view.query().groups()}
    overdue = overdue_tasks(view, on=max(end, day))
    columns = (
        Column("group", "领导小组", "Leading group"), Column("code", "任务编号", "Task"),
        Column("text", "任务内容", "Task text"), Column("deadline", "时限", "Deadline"),
        Column("due", "到期日", "Due", Kind.DATE),
    )  # fmt: skip
    rows = tuple(
        (groups.get(t.task.group, t.task.group), t.task.code, t.task.text,
         t.task.deadline.text, t.due)
        for t in sorted(overdue, key=lambda t: (t.task.group, t.due, t.task.code))
    )  # fmt: skip
    return Table("tasks", "逾期任务（按领导小组）", "Overdue tasks by leading group",
                 columns, rows)  # fmt: skip


def _problems_table(view: Ledger, day: date) -> Table:
    q = view.query()
    columns = (
        Column("code", "问题编号", "Problem"), Column("project", "项目编号", "Project"),
        Column("text", "问题", "Problem text"), Column("unit", "责任单位", "Unit"),
        Column("state", "状态", "State", Kind.LABEL),
        Column("due", "答复时限", "Answer due", Kind.DATE),
        Column("overdue", "是否超时", "Overdue"),
    )  # fmt: skip
    rows = tuple(
        (p.code, p.problem.project, p.problem.text, p.unit or "", p.state, p.due,
         "超时" if p.response_late(day) else "")
        for p in q.problems().on(day).open()
    )  # fmt: skip
    return Table("problems", "未办结问题（快速反应）", "Open problems (rapid response)",
                 columns, rows)  # fmt: skip


def _reports_table(items: Iterable[ReportRow], period: Period) -> Table:
    columns = (
        Column("code", "项目编号", "Code"), Column("name", "项目名称", "Project"),
        Column("unit", "责任单位", "Unit"), Column("status", "情况", "Status"),
        Column("due", "应报日期", "Due", Kind.DATE),
        Column("received", "报送日期", "Received", Kind.DATE),
    )  # fmt: skip
    words = {"missing": "未报", "late": "迟报"}
    rows = tuple(
        [
            (code, name, unit or "", words[status], due, received)
            for code, name, unit, status, due, received in items
        ]
    )
    return Table("reports", f"{month_cn(period.year, period.index)}进度报送情况（未报、迟报）",
                 f"Missing and late reports for {period}", columns, rows)  # fmt: skip


def _progress_table(view: Ledger, rows: Iterable[MonthCells], period: Period) -> Table:
    """附件: every project in the plan, with the month's figures and its light; by code, or
    unit by unit in the official order (排列顺序) where the ledger keeps one."""
    place = {name: n for n, name in enumerate(view.official_order("units"))}
    columns = (
        Column("code", "项目编号", "Code"), Column("name", "项目名称", "Project"),
        Column("unit", "责任单位", "Unit"),
        Column("planned", "年度计划投资", "Annual plan", Kind.MONEY),
        Column("month", "本月完成", "This month", Kind.MONEY),
        Column("year_to_date", "本年累计完成", "Year to date", Kind.MONEY),
        Column("rate", "完成率", "Completion", Kind.RATE),
        Column("image", "形象进度", "Works done"),
        Column("light", "灯号", "Light", Kind.LABEL),
    )  # fmt: skip
    # The cells come by code, in the columns' order; a stable sort keeps that within a unit.
    body: tuple[MonthCells, ...] = tuple(rows)
    if place:
        body = tuple(sorted(body, key=lambda r: place.get(r[2], len(place))))
    return Table("progress", f"{month_cn(period.year, period.index)}“三重”建设重大项目进度表",
                 f"Progress of every project in the plan, {period}", columns, body,
                 note_cn="灯号空白的项目本年未安排计划投资，不评灯号。",
                 note_en="A project without a light has no plan for the year.")  # fmt: skip


def _zone_chart(zones: Table) -> Chart:
    names = tuple(str(v) for v in zones.values("key"))
    planned = tuple(_wan(v) for v in zones.values("planned"))
    done = tuple(_wan(v) for v in zones.values("year_to_date"))
    return Chart("zones", "bars", "分板块年度计划与完成", "Plan vs completed by zone", names,
                 (Series("年度计划", "Annual plan", planned),
                  Series("本年完成", "Completed", done)),
                 "万元", "10k CNY",
                 tuple(f"Zone {i}" for i in range(1, len(names) + 1)))  # fmt: skip


def _monthly_chart(months: list[Summary], period: Period, totals: list[Summary]) -> Chart:
    planned = next((s.planned for s in totals if s.currency == "CNY"), None)
    labels = tuple(f"{m}月" for m in range(1, period.index + 1))
    done = {s.key[0].index: s.year_to_date for s in months}
    actual = tuple(_wan(done.get(m, Money.zero())) for m in range(1, period.index + 1))
    plan_line = tuple(
        _wan(planned) * m / 12 if planned else Decimal(0) for m in range(1, period.index + 1)
    )
    series = (
        Series("累计完成", "Completed (cumulative)", actual),
        Series("序时进度", "Time-proportional plan", plan_line),
    )
    return Chart("monthly", "line", "本年累计完成投资与序时进度",
                 "Cumulative completed vs schedule", labels, series,
                 "万元", "10k CNY", tuple(f"M{m}" for m in range(1, period.index + 1)))  # fmt: skip


def _wan(value: Cell) -> Decimal:
    return value.amount / _TEN_THOUSAND if isinstance(value, Money) else Decimal(0)
