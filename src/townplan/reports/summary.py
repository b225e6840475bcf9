"""The year summary of the portfolio (年度总结): projects by stage, investment completed vs
plan, targets (with their baselines) vs actuals, the year's statistics and the town's
standing, investment attraction (招商引资) per currency, funds arrived, the investment in
the statistics, the deals, completed tasks.

>>> import townplan as tp
>>> from townplan.fixtures import load_sample_town
>>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
>>> s = year_summary(town, year=2012)  # the review year
>>> [(row[0].label_cn, row[1], row[2]) for row in s.table("attraction").rows]
[('合同利用外资', 'USD', Money(amount=Decimal('127000000'), currency='USD')), ...]
>>> [row[:2] for row in s.table("review").rows][0]
('生产总值', '107.7亿元')
"""

from __future__ import annotations

import enum
from datetime import date
from decimal import Decimal
from typing import Final

from townplan.api import Ledger
from townplan.governance.targets import attraction_summary, target_verdicts
from townplan.governance.tasks import task_statuses
from townplan.model.arguments import year_argument
from townplan.model.enums import Stage
from townplan.model.money import Money
from townplan.model.period import Period, PeriodKind
from townplan.progress import ProgressHook, Tally
from townplan.query.dates import start_counts
from townplan.reports.common import (
    LOAD_HINT,
    issuer_of,
    months_note,
    nothing_to_report,
    summary_table,
    view_for,
)
from townplan.reports.lifecycle_sections import starts_table
from townplan.reports.outcomes import (
    deals_table,
    funding_table,
    review_table,
    standings_table,
    statistics_table,
)
from townplan.reports.table import Cell, Chart, Column, Kind, Report, Series, Table

__all__ = ["STEPS", "year_summary"]


class Outcome(enum.StrEnum):
    """A target's verdict in the summary."""

    MET = "met"
    MISSED = "missed"
    PENDING = "no actual yet"

    @property
    def label_cn(self) -> str:
        """The verdict as an official writes it."""
        return {"met": "完成", "missed": "未完成", "no actual yet": "尚无实际数"}[self.value]


class AttractionItem(enum.StrEnum):
    """A line of the investment attraction table (招商引资), in the run's language."""

    FOREIGN_CONTRACTED = "Foreign capital contracted"
    FOREIGN_UTILISED = "Foreign capital utilised"
    DOMESTIC_CONTRACTED = "Domestic capital contracted"
    DOMESTIC_UTILISED = "Domestic capital utilised"

    @property
    def label_cn(self) -> str:
        """The line as a work report writes it."""
        return _ATTRACTION_CN[self]


_ATTRACTION_CN: Final = {
    AttractionItem.FOREIGN_CONTRACTED: "合同利用外资",
    AttractionItem.FOREIGN_UTILISED: "实际利用外资",
    AttractionItem.DOMESTIC_CONTRACTED: "合同利用内资",
    AttractionItem.DOMESTIC_UTILISED: "实际利用内资",
}
_ATTRACTION: Final = {
    ("contracted", "foreign"): AttractionItem.FOREIGN_CONTRACTED,
    ("utilised", "foreign"): AttractionItem.FOREIGN_UTILISED,
    ("contracted", "domestic"): AttractionItem.DOMESTIC_CONTRACTED,
    ("utilised", "domestic"): AttractionItem.DOMESTIC_UTILISED,
}


#: The steps of building a year summary a progress hook is told of: the portfolio by
#: stage and month; the targets, attraction and tasks; the starts, the review and the
#: standing; the funds arrived; the investment in the statistics (入统); the deals and
#: the rest.
STEPS: Final = 6


def year_summary(
    ledger: Ledger, year: int, *, as_of: date | None = None,
    on_progress: ProgressHook | None = None,
) -> Report:  # fmt: skip
    """The summary of ``year`` as known on ``as_of`` (default: 15 January after it).

    Investment attraction is shown for the year the ledger holds figures for: ``year``,
    or the latest year before it (a work report reviews the year before its plan year).
    ``on_progress`` is told ``(done, total)`` after each of its :data:`STEPS` steps, for
    a progress bar over a large portfolio.
    """
    end = Period(year_argument(year, record="report", field="year"), PeriodKind.YEAR).end
    view, day = view_for(ledger, end, as_of)
    tally = Tally(on_progress, STEPS, every=1)
    unseen = view.unseen(Period(year, PeriodKind.YEAR).start, end)
    portfolio = view.query().projects().eligible().on(min(end, day))
    reported = {s.key[0] for s in portfolio.group_by("month") if s.count}
    by_stage = list(portfolio.group_by("stage"))
    stages = summary_table("stages", "分建设阶段", "By stage", ("建设阶段", "Stage"),
                           by_stage, lights=False)  # fmt: skip
    tally.add()
    targets = _targets_table(view, year, day)
    attraction = _attraction_table(view, year)
    tasks = _tasks_table(view, year, day)
    tally.add()
    starts = starts_table(
        start_counts(view, portfolio.codes_sql(), year, min(end, day)), min(end, day)
    )
    review = review_table(view, year, day)
    standings = standings_table(view, year, day)
    tally.add()
    fixed_asset = next((t for t in view.targets() if "固定资产投资" in t.indicator
                        and t.year == year and t.has_target), None)  # fmt: skip
    link = f"{fixed_asset.indicator}{fixed_asset.value}{fixed_asset.unit}" if fixed_asset else None
    funding = funding_table(view, year, day)
    tally.add()
    statistics = statistics_table(view, year, day, link)
    tally.add()
    money = tuple(t for t in (funding, statistics, deals_table(view, min(end, day))) if t.rows)
    # The year's own figures (standings and attraction may be an earlier year's; deals
    # are not of a year; the starts table counts only when something was planned or done).
    of_the_year = [review, targets, tasks, *(t for t in money if t.key != "deals")]
    if any(row[1] or row[2] for row in starts.rows):  # projects planned or started
        of_the_year.append(starts)
    of_the_year += [t for t in (standings, attraction) if t.title_cn.startswith(f"{year}年")]
    notes = _coverage(year, min(end, day), day, reported, unseen,
                      any(t.rows for t in of_the_year))  # fmt: skip
    totals = list(portfolio.summary())
    headline: list[tuple[str, str, Cell, Kind]] = [
        ("纳入计划项目", "Projects in the plan", portfolio.count(), Kind.INT),
        ("竣工、投产项目", "Completed or in operation",
         portfolio.stage(Stage.COMPLETED, Stage.IN_OPERATION).count(), Kind.INT),
    ]  # fmt: skip
    for t in totals:
        headline += [
            ("年度计划投资", "Annual plan", t.planned, Kind.MONEY),
            ("全年完成投资", "Completed in the year", t.year_to_date, Kind.MONEY),
            ("完成率", "Completion", t.rate, Kind.RATE),
        ]
    met = sum(1 for row in targets.rows if row[-1] is Outcome.MET)
    headline.append(("预期目标完成", "Targets met", f"{met}/{len(targets.rows)}", Kind.TEXT))
    headline += [
        ("考核排名", "Standing", f"{row[0]}{row[1]}{row[2]}", Kind.TEXT) for row in standings.rows
    ]
    if review.rows:  # the review year: attraction as the report words it (1.27亿美元)
        headline += [
            (row[0].label_cn, row[0].value, row[2].format_cn(), Kind.TEXT)
            for row in attraction.rows
            if isinstance(row[0], AttractionItem) and isinstance(row[2], Money)
        ]
    figures = (
        Chart("stages", "counts", "分建设阶段项目数", "Projects by stage",
              tuple(row.key[0].label_cn for row in by_stage),
              (Series("项目数", "Projects", tuple(Decimal(row.count) for row in by_stage)),),
              categories_en=tuple(row.key[0].value for row in by_stage)),
    )  # fmt: skip
    tally.finish()
    return Report(
        kind="year-summary",
        title_cn=f"{year}年“三重”建设重大项目年度总结",
        title_en=f"Major projects (三重): the year {year}",
        as_of=day,
        headline=tuple(headline),
        tables=(
            *((review, standings) if review.rows else ()),
            stages,
            starts,
            targets,
            *(() if review.rows else (standings,)),
            attraction,
            *money,
            tasks,
        ),
        figures=figures,
        issuer_cn=issuer_of(ledger),
        unseen=unseen,
        notes_cn=tuple(cn for cn, _ in notes),
        notes_en=tuple(en for _, en in notes),
    )


def _coverage(
    year: int, on: date, day: date, reported: set[Period], unseen: int, figures: bool
) -> tuple[tuple[str, str], ...]:
    """Refuse a summary of nothing — no progress report of the year and none of its
    figures (targets, statistics, standings, attraction, funds, tasks), and nothing of it
    recorded after the cut — and note the months up to ``on`` without any report."""
    months = [m for m in Period(year, PeriodKind.YEAR).months() if m.end <= on] or [
        Period(year, PeriodKind.MONTH, on.month)
    ]
    if not unseen and not reported and not figures:
        raise nothing_to_report(
            ("年度总结", f"summary of {year}"), day,
            (f"{year}年的进度月报和年度指标、统计数据", f"progress reports nor figures of {year}"),
            LOAD_HINT["progress"],
        )  # fmt: skip
    lacking = [m for m in months if m not in reported]
    if not lacking:
        return ()
    if not reported:
        return (months_note(lacking, "投资完成情况无从统计", "no investment is counted"),)
    return (months_note(lacking, "全年完成投资只含有月报的月份",
                        "the year's investment counts the months reported"),)  # fmt: skip


def _targets_table(view: Ledger, year: int, day: date) -> Table:
    columns = (
        Column("indicator", "指标", "Indicator"), Column("baseline", "基数", "Baseline"),
        Column("direction", "方向", "Direction", Kind.LABEL), Column("target", "目标", "Target"),
        Column("actual", "实际", "Actual"), Column("verdict", "情况", "Verdict", Kind.LABEL),
    )  # fmt: skip
    rows: list[tuple[Cell, ...]] = []
    for v in target_verdicts(view, year, on=day):
        t = v.target
        strive = "力争" if t.aspirational else ""
        goal = f"{strive}{t.value}{t.unit}"
        actual = "" if v.actual is None else f"{v.actual}{t.unit}"
        verdict = Outcome.PENDING if v.met is None else Outcome.MET if v.met else Outcome.MISSED
        base = t.baseline.text_cn() if t.baseline else "—"
        rows.append((t.indicator, base, t.direction, goal, actual, verdict))
    return Table("targets", f"{year}年预期目标完成情况", f"Targets for {year}",
                 columns, tuple(rows))  # fmt: skip


def _attraction_table(view: Ledger, year: int) -> Table:
    years = sorted({a.year for a in view.attractions() if a.year <= year})
    shown = years[-1] if years else year
    columns = (
        Column("item", "项目", "Item"), Column("currency", "币种", "Currency"),
        Column("amount", "金额", "Amount", Kind.MONEY, "万，原币", "10k, own currency"),
    )  # fmt: skip
    rows = tuple(
        (_ATTRACTION[key], currency, money)
        for key in _ATTRACTION
        for currency, money in sorted(attraction_summary(view, shown).get(key, {}).items())
    )
    return Table("attraction", f"{shown}年招商引资（按币种，不折算）",
                 f"Investment attraction {shown}, per currency (not converted)",
                 columns, rows,
                 note_cn="外币金额以原币列示；不同币种不相加。",
                 note_en="Each currency on its own; currencies are never added.")  # fmt: skip


def _task_outcome(done_on: date | None, due: date, done: bool) -> str:
    """One word a task's outcome: 按时完成, 逾期完成 (done after its due day) or 未完成.

    >>> _task_outcome(date(2013, 7, 25), date(2013, 6, 30), True)
    '逾期完成'
    """
    if not done:
        return "未完成"
    if done_on is not None and done_on > due:
        return "逾期完成"
    return "按时完成"


def _tasks_table(view: Ledger, year: int, day: date) -> Table:
    groups = {g.code: g.name for g in view.groups()}
    columns = (
        Column("group", "领导小组", "Leading group"), Column("code", "任务编号", "Task"),
        Column("text", "任务内容", "Task text"), Column("due", "到期日", "Due", Kind.DATE),
        Column("done_on", "完成日期", "Done on", Kind.DATE), Column("state", "情况", "State"),
        Column("progress", "进度（实际/目标）", "Progress (actual/target)"),
    )  # fmt: skip
    rows = tuple(
        (groups.get(s.task.group, s.task.group), s.task.code, s.task.text, s.due, s.done_on,
         _task_outcome(s.done_on, s.due, s.done), s.progress_cn)
        for s in task_statuses(view, on=day)
        if s.due.year == year or (s.done_on is not None and s.done_on.year == year)
    )  # fmt: skip
    return Table("tasks", "领导小组任务完成情况", "Leading groups' tasks", columns, rows)
