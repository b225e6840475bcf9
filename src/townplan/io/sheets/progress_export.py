"""Export monthly progress (月度调度) in the layout :func:`import_progress` reads back.

A title row ("2013年6月 重大项目进度表"), the header row with units, one row per report
in force (corrections applied) by project and month, and a 合计 row. Exporting every
month adds a 月份 column.

>>> import tempfile, pathlib
>>> import townplan as tp
>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(
...     tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE))
>>> _ = ledger.record_progress(tp.ProgressReport(project="P001", period="2013-06",
...     completed=tp.Money.parse("500万"), note="路基完成", reported_on=date(2013, 7, 3)))
>>> path = export_progress(ledger, pathlib.Path(tempfile.mkdtemp()) / "p.csv", "2013-06")
>>> print(*path.read_text(encoding="utf-8-sig").splitlines()[:3], sep="\\n")
2013年6月 重大项目进度表
序号,项目编号,项目名称,年度计划投资（万元）,本月完成（万元）,累计完成（万元）,形象进度,责任单位,挂点领导,报送日期
1,P001,中心大道,,500,,路基完成,,,2013-07-03
"""

from __future__ import annotations

from os import PathLike
from pathlib import Path

from townplan.errors import ValidationError
from townplan.io.sheets.writer import Cell, Column, amount, money_unit, sheet_currency, write_table
from townplan.ledger import LedgerReader
from townplan.model.money import Money, sum_money
from townplan.model.period import Period, PeriodKind
from townplan.model.records import ProgressReport, Project
from townplan.progress import ProgressHook

__all__ = ["export_progress"]


def export_progress(
    store: LedgerReader,
    path: str | PathLike[str],
    period: Period | str | None = None,
    *,
    title: str | None = None,
    sheet: str = "进度表",
    on_progress: ProgressHook | None = None,
) -> Path:
    """Write the progress reports of month ``period`` (default: every month, with a
    月份 column) to ``path`` (.xlsx or .csv by suffix); returns the path. ``on_progress`` is
    told ``(done, total)`` as rows are written (:mod:`townplan.progress`)."""
    month = Period.parse(period) if period is not None else None
    if month is not None and month.kind is not PeriodKind.MONTH:
        raise ValidationError.single(
            record="export_progress", field="period", value=period,
            expected="a month such as '2013-06'",
        )  # fmt: skip
    reports = [r for r in store.progress() if month is None or r.period == month]
    projects = {p.code: p for p in store.projects()}
    currency = sheet_currency([r.completed.currency for r in reports])
    unit = money_unit(currency)
    columns = [
        Column("序号", 6), Column("项目编号", 14), Column("项目名称", 24),
        *([Column("月份", 9)] if month is None else []),
        Column(f"年度计划投资（{unit}）", 16, money=True),
        Column(f"本月完成（{unit}）", 14, money=True),
        Column(f"累计完成（{unit}）", 14, money=True), Column("形象进度", 36),
        Column("责任单位", 18), Column("挂点领导", 14), Column("报送日期", 12),
    ]  # fmt: skip
    rows = [_row(n, r, projects.get(r.project), currency, month) for n, r in enumerate(reports, 1)]
    completed = sum_money((r.completed for r in reports if r.completed.currency == currency),
                          currency)  # fmt: skip
    cumulative = sum_money(
        (r.cumulative for r in reports if r.cumulative and r.cumulative.currency == currency),
        currency,
    )
    total: list[Cell] = ["合计", None, f"{len(reports)}个项目", *([None] if month is None else [])]
    total += [None, amount(completed, currency), amount(cumulative, currency), None, None, None]
    if title is None:
        title = f"{month.year}年{month.index}月 重大项目进度表" if month else "重大项目进度表"
    return write_table(path, sheet, title, columns, rows, [*total, None], on_progress)


def _row(
    number: int, r: ProgressReport, p: Project | None, currency: str, month: Period | None
) -> list[Cell]:
    plan: Money | None = None
    if p is not None and p.plan_year in (None, r.period.year):
        plan = p.annual_plan
    row: list[Cell] = [number, r.project, p.name if p else None]
    if month is None:
        row.append(str(r.period))
    row += [
        amount(plan, currency, blank_zero=True), amount(r.completed, currency),
        amount(r.cumulative, currency), r.note or None,
        p.responsible_unit if p else None, p.leader if p else None,
        r.reported_on.isoformat() if r.reported_on else None,
    ]  # fmt: skip
    return row
