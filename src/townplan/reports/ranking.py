"""The assessment ranking notice (考核通报): units' scores with every point explained, the
commended units and the units named for improvement.

>>> import townplan as tp
>>> from townplan.fixtures import load_sample_town
>>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
>>> notice = ranking_notice(town, year=2013)
>>> row = notice.table("ranking").rows[0]
>>> row[0], sum(row[3:]) == row[2]  # rank 1, and the breakdown adds up to the score
(1, True)

Every point is explained in Chinese, the notice's language (计分说明), whichever language
the notice is rendered in; the English wording stays on the assessment
(``UnitScore.explain``):

>>> why = notice.table("explain")
>>> [row[2:] for row in why.rows if row[:2] == ("“三重”办", "未报扣分")]
[(Decimal('-2.00'), '月度进度未报1次，每次扣2分')]
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from typing import Final

from townplan.api import Ledger
from townplan.governance.assessment import COMPONENTS, Assessment
from townplan.governance.assessment import STEPS as ASSESSMENT_STEPS
from townplan.model.arguments import year_argument
from townplan.model.period import Period, PeriodKind
from townplan.progress import ProgressHook, Tally
from townplan.reports.cn import date_cn, join_cn
from townplan.reports.common import (
    GRACE_DAYS,
    LOAD_HINT,
    issuer_of,
    months_note,
    nothing_to_report,
    view_for,
)
from townplan.reports.table import Cell, Chart, Column, Kind, Report, Series, Table

__all__ = ["COMPONENT_NAMES", "STEPS", "ranking_notice"]

#: Each score component in Chinese and English, in the order a notice lists them.
COMPONENT_NAMES: Final = {
    "progress": ("投资进度", "Progress"),
    "scale": ("规模加分", "Scale bonus"),
    "type": ("类型加分", "Type bonus"),
    "operation": ("投产加分", "Operation bonus"),
    "late_reports": ("迟报扣分", "Late reports"),
    "missing_reports": ("未报扣分", "Missing reports"),
    "overdue_responses": ("超时答复扣分", "Late answers"),
    "overdue_findings": ("督查逾期扣分", "Overdue findings"),
}


#: The steps of building a ranking notice a progress hook is told of: the assessment's
#: (the evidence gathered, the projects scored, the units ranked), then the notice's tables.
STEPS: Final = ASSESSMENT_STEPS + 1


def ranking_notice(
    ledger: Ledger, year: int, *, as_of: date | None = None,
    on_progress: ProgressHook | None = None,
) -> Report:  # fmt: skip
    """The ranking of ``year`` as known on ``as_of`` (default: 15 January after it), under
    the scoring scheme in force then. ``on_progress`` is told ``(done, total)`` after each
    of its :data:`STEPS` steps, for a progress bar over a large portfolio."""
    end = Period(year_argument(year, record="report", field="year"), PeriodKind.YEAR).end
    view, day = view_for(ledger, end, as_of)
    tally = Tally(on_progress, STEPS, every=1)
    # December's reports are due in January: judge on the day the notice is as of, at
    # most the grace period past the year's end, like the year summary.
    result = view.assessment(
        year, on=min(end + timedelta(days=GRACE_DAYS), day),
        on_progress=lambda done, _: tally.add(done - tally.done),
    )  # fmt: skip
    unseen = view.unseen(Period(year, PeriodKind.YEAR).start, end)
    notes = _coverage(result, day, unseen)
    ranking = _ranking_table(result)
    commended = join_cn(r.unit for r in result.commended) or "—"
    named = join_cn(r.unit for r in result.named) or "—"
    headline: tuple[tuple[str, str, Cell, Kind], ...] = (
        ("参评单位", "Units ranked", len(result.ranking), Kind.INT),
        ("表扬单位", "Commended", commended, Kind.TEXT),
        ("通报单位", "Named for improvement", named, Kind.TEXT),
        ("考核方案", "Scheme", result.scheme.name, Kind.TEXT),
    )
    figures = (
        Chart("scores", "bars", "各单位考核得分", "Scores by unit",
              tuple(r.unit for r in result.ranking),
              (Series("得分", "Score", tuple(r.score for r in result.ranking)),),
              "分", "points",
              tuple(f"#{r.rank}" for r in result.ranking)),
    )  # fmt: skip
    tables = (ranking, _projects_table(result), _explain_table(result))
    tally.finish()
    return Report(
        kind="ranking",
        title_cn=f"{year}年度“三重”建设考核情况通报",
        title_en=f"Major projects (三重): assessment ranking {year}",
        as_of=day,
        headline=headline,
        tables=tables,
        figures=figures,
        subtitle_cn=f"考核方案：{result.scheme.name}{_since(result, 'cn')}",
        subtitle_en=f"Scheme: {result.scheme.name}{_since(result, 'en')}",
        issuer_cn=issuer_of(ledger),
        unseen=unseen,
        notes_cn=tuple(cn for cn, _ in notes),
        notes_en=tuple(en for _, en in notes),
    )


def _coverage(result: Assessment, day: date, unseen: int) -> tuple[tuple[str, str], ...]:
    """Refuse a ranking of nothing — no unit in scope, or no progress report of the
    year, and nothing of it recorded after the cut — and note the months the ledger
    holds no report of (not scored as missing) and the units none of whose reports came."""
    what = ("考核通报", f"ranking of {result.year}")
    if not unseen and not result.ranking:
        raise nothing_to_report(
            what, day,
            (f"{result.year}年应报送月报的项目", f"projects owing reports in {result.year}"),
            LOAD_HINT["register"],
        )  # fmt: skip
    if not unseen and not result.reported:
        raise nothing_to_report(
            what, day, (f"{result.year}年的进度月报", f"progress reports for {result.year}"),
            LOAD_HINT["progress"],
        )  # fmt: skip
    notes = []
    if result.uncovered and result.reported:
        notes.append(months_note(result.uncovered, "这些月份不计未报扣分",
                                 "those months are not scored as missing"))  # fmt: skip
    if result.silent_units and result.reported:
        notes.append((f"注：{join_cn(result.silent_units)}本年没有报送任何进度月报。",
                      f"Note: no progress report of {', '.join(result.silent_units)} "
                      "arrived in the year."))  # fmt: skip
    return tuple(notes)


def _since(result: Assessment, lang: str) -> str:
    start = result.scheme.effective_from
    if start.year <= 1900:  # the built-in default has no start of its own
        return ""
    return f"（{date_cn(start)}起施行）" if lang == "cn" else f" (from {start.isoformat()})"


def _cells(*values: Cell) -> tuple[Cell, ...]:
    return values


def _component_columns() -> tuple[Column, ...]:
    return tuple(
        Column(c, COMPONENT_NAMES[c][0], COMPONENT_NAMES[c][1], Kind.NUMBER, places=2)
        for c in COMPONENTS
    )


def _ranking_table(result: Assessment) -> Table:
    columns = (
        Column("rank", "名次", "Rank", Kind.INT),
        Column("unit", "单位", "Unit"),
        Column("score", "得分", "Score", Kind.NUMBER, places=2),
        *_component_columns(),
    )
    rows = tuple(
        _cells(r.rank, r.unit, r.score, *(r.breakdown[c] for c in COMPONENTS))
        for r in result.ranking
    )
    return Table("ranking", "单位排名", "Ranking of units", columns, rows)


def _projects_table(result: Assessment) -> Table:
    columns = (
        Column("rank", "名次", "Rank", Kind.INT),
        Column("code", "项目编号", "Code"),
        Column("name", "项目名称", "Project"),
        Column("unit", "责任单位", "Unit"),
        Column("score", "得分", "Score", Kind.NUMBER, places=2),
        *_component_columns(),
    )
    rows = tuple(
        _cells(p.rank, p.project, p.name, p.unit or "", p.score,
               *(p.breakdown[c] for c in COMPONENTS))
        for p in result.projects
    )  # fmt: skip
    return Table("projects", "项目得分", "Project scores", columns, rows)


def _explain_table(result: Assessment) -> Table:
    # A text cell holds one text for every rendering: the notice's own language.
    columns = (
        Column("unit", "单位", "Unit"),
        Column("component", "得分项", "Component"),
        Column("points", "分值", "Points", Kind.NUMBER, places=2),
        Column("why", "计分说明", "How it was found"),
    )
    rows: list[tuple[Cell, ...]] = []
    for r in result.ranking:
        for c in COMPONENTS:
            why = r.explain_cn.get(c, "")
            if r.breakdown[c] != Decimal(0) or why:
                rows.append((r.unit, COMPONENT_NAMES[c][0], r.breakdown[c], why))
    return Table("explain", "计分明细", "How every point was found", columns, tuple(rows))
