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
>>> _ = ledger.add_project(tp.Project(code="P001", name="中心大道",
...     category=tp.Category.INFRASTRUCTURE,
...     government_investment=tp.Money.parse("1200万"), start_year=2012, end_year=2015))
>>> path = export_register(ledger, pathlib.Path(tempfile.mkdtemp()) / "register.csv")
>>> header, first = path.read_text(encoding="utf-8-sig").splitlines()[1:3]
>>> print(",".join(first.split(",")[:11]))
1,P001,中心大道,,1200,1200,,,基础设施,前期,建设
>>> dict(zip(header.split(","), first.split(",")))["起止年限"]
'2012-2015'
"""

from __future__ import annotations

import operator
from collections.abc import Callable, Sequence
from datetime import date
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, Context, Decimal, localcontext
from os import PathLike
from pathlib import Path
from typing import Final

from townplan.io.sheets.writer import Cell, Column, amount, money_unit, sheet_currency, write_table
from townplan.ledger import LedgerReader
from townplan.model.enums import LabelledEnum
from townplan.model.fields import FieldInfo, described
from townplan.model.money import Money
from townplan.model.records import Project
from townplan.progress import ProgressHook

__all__ = ["export_register", "years_text"]

#: The columns a register opens with, as offices lay it out; the other fields follow.
_LEAD: Final = (
    "code", "name", "content", "total_investment", "government_investment",
    "social_investment", "annual_plan", "plan_year",
)  # fmt: skip
_EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)  # a sum never rounds
_WIDTHS: Final = {"code": 14, "name": 24, "content": 36, "zone": 16, "responsible_unit": 18,
                  "leader": 14, "category": 10, "stage": 10, "kind": 10, "town": 10,
                  "plan_year": 10}  # fmt: skip


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
    on_progress: ProgressHook | None = None,
) -> Path:
    """Write every project of ``store`` (as of its cut) to ``path`` (.xlsx or .csv by
    suffix); returns the path.

    The title defaults to "<town> 重大项目库" when every project names one town. One plan
    year for all projects goes into the header ("2013年度计划投资（万元）"), several into a
    计划年度 column; a 所属镇 column appears when projects name a town. ``on_progress``
    is told ``(done, total)`` as rows are written (:mod:`townplan.progress`).
    """
    projects = list(store.projects())
    currency = sheet_currency([p.currency for p in projects])
    unit = money_unit(currency)
    plan_years = {p.plan_year for p in projects}
    towns = {p.town for p in projects}
    one_year = len(plan_years) <= 1
    shared_year = next(iter(plan_years)) if one_year and plan_years else None
    plan_header = f"{shared_year or ''}年度计划投资（{unit}）"
    groups = _groups(towns != {None} and bool(towns), one_year)
    columns = [Column("序号", 6)] + [_column(g, unit, plan_header) for g in groups]
    getters = [_getter(g, currency) for g in groups]
    rows = [[n, *[get(p) for get in getters]] for n, p in enumerate(projects, 1)]
    total_row: list[Cell] = ["合计", *(_total_cell(g, projects, currency) for g in groups)]
    total_row[2] = f"{len(projects)}个项目"
    if title is None:
        town = next(iter(towns)) if len(towns) == 1 else None
        title = f"{town} 重大项目库" if town else "重大项目库"
    return write_table(path, sheet, title, columns, rows, total_row, on_progress)


def _groups(towns: bool, one_year: bool) -> list[tuple[FieldInfo, ...]]:
    """The register's columns: the customary lead (:data:`_LEAD`), then every other
    declared field in the model's order; fields that share a header (开工年份 and 竣工年份
    as 起止年限) in one column; 所属镇 only when projects name a town, 计划年度 only when
    they differ."""
    found: dict[str, list[FieldInfo]] = {}
    fields = described(Project)
    lead = [fields[name] for name in _LEAD]
    for info in [*lead, *(i for i in fields.infos() if i.name not in _LEAD)]:
        if (info.name == "town" and not towns) or (info.name == "plan_year" and one_year):
            continue
        found.setdefault(info.header, []).append(info)
    return [tuple(g) for g in found.values()]


def _column(group: tuple[FieldInfo, ...], unit: str, plan_header: str) -> Column:
    info = group[0]
    if info.is_money:
        header = plan_header if info.name == "annual_plan" else f"{info.header}（{unit}）"
        return Column(header, 16 if info.name == "annual_plan" else 14, money=True)
    return Column(info.header, _WIDTHS.get(info.name, 12))


def _getter(group: tuple[FieldInfo, ...], currency: str) -> Callable[[Project], Cell]:
    """What writes one column's cell of a project, chosen once for the column."""
    first = group[0].name
    if len(group) == 2:  # a span of years
        second = group[1].name
        return lambda p: years_text(getattr(p, first), getattr(p, second))
    read = operator.attrgetter(first)
    if group[0].is_money:
        blank_zero = first != "total_investment"
        return lambda p: amount(read(p), currency, blank_zero=blank_zero)
    return lambda p: _cell(read(p))


def _cell(value: object) -> Cell:
    if type(value) is str:
        return value or None  # an empty text is a blank cell
    if isinstance(value, LabelledEnum):  # a str too, so after the plain text
        return value.label_cn
    if isinstance(value, str):
        return value or None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    return None if value is None else str(value)


def _total_cell(group: tuple[FieldInfo, ...], projects: Sequence[Project], currency: str) -> Cell:
    info = group[0]
    return amount(_total(projects, info.name, currency), currency) if info.is_money else None


def _total(projects: Sequence[Project], field: str, currency: str) -> Money:
    read = operator.attrgetter(field)
    amounts = [m.amount for p in projects if (m := read(p)).currency == currency]
    with localcontext(_EXACT):
        return Money(sum(amounts, Decimal(0)), currency)
