"""Export the project register (项目库) in the layout :func:`import_register` reads back.

A title row ("示例镇 重大项目库"), the header row with units ("总投资（万元）"), one row per
project in code order, and a 合计 row. Zero government, social and planned investment
are left blank, as offices write them.

>>> import tempfile, pathlib
>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> from townplan.io.sheets.table import read_table
>>> from townplan.io.sheets.headers import REGISTER_HEADERS
>>> ledger = LedgerStore.open(":memory:")
>>> ledger.add_project(tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE,
...     government_investment=tp.Money.parse("1200万"), start_year=2012, end_year=2015))
>>> path = export_register(ledger, pathlib.Path(tempfile.mkdtemp()) / "register.csv")
>>> print(path.read_text(encoding="utf-8-sig").splitlines()[2])
1,P001,中心大道,,1200,1200,,,基础设施,前期,建设,2012-2015,,,,
"""

from __future__ import annotations

from collections.abc import Sequence
from os import PathLike
from pathlib import Path
from typing import Final

from townplan.io.sheets.writer import Cell, Column, amount, money_unit, sheet_currency, write_table
from townplan.ledger import LedgerReader
from townplan.model.money import Money, sum_money
from townplan.model.records import Project

__all__ = ["export_register", "years_text"]

_MONEY: Final = ("total_investment", "government_investment", "social_investment", "annual_plan")


def years_text(start: int | None, end: int | None) -> str | None:
    """起止年限 as written: "2012-2015", "2013" (one year), "2013-" or "-2015".

    >>> years_text(2012, 2015), years_text(2013, 2013), years_text(2013, None)
    ('2012-2015', '2013', '2013-')
    >>> years_text(None, 2015), years_text(None, None)
    ('-2015', None)
    """
    if start is None and end is None:
        return None
    if start == end:
        return str(start)
    return f"{start or ''}-{end or ''}"


def export_register(
    store: LedgerReader,
    path: str | PathLike[str],
    *,
    title: str | None = None,
    sheet: str = "项目库",
) -> Path:
    """Write every project of ``store`` (as of its cut) to ``path`` (.xlsx or .csv by
    suffix); returns the path.

    The title defaults to "<town> 重大项目库" when every project names one town. One plan
    year for all projects goes into the header ("2013年度计划投资（万元）"), several into a
    计划年度 column; a 所属镇 column appears when projects name a town.
    """
    projects = list(store.projects())
    currency = sheet_currency([p.currency for p in projects])
    unit = money_unit(currency)
    plan_years = {p.plan_year for p in projects}
    towns = {p.town for p in projects}
    one_year = len(plan_years) <= 1
    shared_year = next(iter(plan_years)) if one_year and plan_years else None
    plan_header = f"{shared_year or ''}年度计划投资（{unit}）"
    columns = [
        Column("序号", 6), Column("项目编号", 14), Column("项目名称", 24), Column("建设内容", 36),
        Column(f"总投资（{unit}）", 14, money=True), Column(f"政府投资（{unit}）", 14, money=True),
        Column(f"社会投资（{unit}）", 14, money=True), Column(plan_header, 16, money=True),
        *([] if one_year else [Column("计划年度", 10)]),
        Column("项目类别", 10), Column("建设阶段", 10), Column("项目性质", 10),
        Column("起止年限", 12), Column("所属板块/片区", 16), Column("所属村（社区）", 12),
        Column("责任单位", 18), Column("挂点领导", 14),
        *([Column("所属镇", 10)] if towns != {None} and towns else []),
    ]  # fmt: skip
    rows = [_row(n, p, currency, one_year, len(columns)) for n, p in enumerate(projects, 1)]
    totals: list[Cell] = [amount(_total(projects, f, currency), currency) for f in _MONEY]
    total_row: list[Cell] = ["合计", None, f"{len(projects)}个项目", None, *totals]
    total_row += [None] * (len(columns) - len(total_row))
    if title is None:
        town = next(iter(towns)) if len(towns) == 1 else None
        title = f"{town} 重大项目库" if town else "重大项目库"
    return write_table(path, sheet, title, columns, rows, total_row)


def _row(number: int, p: Project, currency: str, one_year: bool, width: int) -> list[Cell]:
    money = [
        amount(p.total_investment, currency),
        amount(p.government_investment, currency, blank_zero=True),
        amount(p.social_investment, currency, blank_zero=True),
        amount(p.annual_plan, currency, blank_zero=True),
    ]
    row: list[Cell] = [number, p.code, p.name, p.content or None, *money]
    if not one_year:
        row.append(p.plan_year)
    row += [
        p.category.label_cn, p.stage.label_cn, p.kind.label_cn,
        years_text(p.start_year, p.end_year), p.zone, p.village, p.responsible_unit, p.leader,
    ]  # fmt: skip
    if len(row) < width:
        row.append(p.town)
    return row


def _total(projects: Sequence[Project], field: str, currency: str) -> Money:
    amounts: list[Money] = [getattr(p, field) for p in projects]
    return sum_money((m for m in amounts if m.currency == currency), currency)
