"""Render a report's tables as CSV files (one per table) and as an Excel workbook (one sheet
per table): header styling, number formats, a frozen header row, column widths.

CSV cells keep full precision in 万元 (money is exact: ``fen / 10⁶`` has at most six
decimals), so a column total recomputed from the CSV equals the report's. Rates are
fractions rounded to :data:`RATE_PLACES` decimals (0.3806 is 38.06%) and scores to their
column's places (two), half up; the exact values stay in the API. Excel money cells are
numbers in 万元 shown with two decimals; rates are fractions shown as percentages; every
column has a number format (text columns ``@``).

>>> from townplan.reports.table import Kind
>>> csv_value(Decimal("0.3805984656693517453011123897"), Kind.RATE)
'0.3806'
>>> json_value(Decimal("0.3805984656693517453011123897")), json_value(Money.parse("1.5万"))
('0.3806', '15000.00 CNY')
"""

from __future__ import annotations

import csv
import enum
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any, Final

from townplan.model.money import Money
from townplan.reports.formulas import is_formula_like, neutralise
from townplan.reports.table import Cell, Kind, Lang, Report, Table, format_cell, label

__all__ = ["RATE_PLACES", "csv_value", "json_value", "to_csv", "to_xlsx"]

#: Decimal places of a rate (a fraction) in CSV and JSON: 0.3806 is 38.06%.
RATE_PLACES: Final = 4
_TEN_THOUSAND = Decimal(10_000)
_FORMATS = {Kind.MONEY: "#,##0.00", Kind.RATE: "0.0%", Kind.INT: "#,##0", Kind.DATE: "yyyy-mm-dd",
            Kind.TEXT: "@", Kind.LABEL: "@"}  # fmt: skip


def _places(value: Decimal, places: int) -> str:
    return f"{value.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP):f}"


def json_value(value: object) -> str | int | float | bool | None:
    """A value for JSON output: text, numbers and booleans as they are, a ``Decimal`` (a
    rate) rounded to :data:`RATE_PLACES`, money as ``"<amount> <CODE>"`` (exact), dates
    in ISO form, enums by their value."""
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    if isinstance(value, Decimal):
        return _places(value, RATE_PLACES)
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_value(value: Cell, kind: Kind, lang: Lang = "cn", places: int | None = None) -> str:
    """A cell for CSV: money in 万元 exactly (no rounding), rates as fractions to
    :data:`RATE_PLACES`, other numbers to ``places`` when the column has them, text that
    starts like a formula neutralised (:mod:`townplan.reports.formulas`).

    >>> csv_value("=1+1", Kind.TEXT)
    "'=1+1"
    """
    if isinstance(value, Money):
        return f"{(value.amount / _TEN_THOUSAND).normalize():f}"
    if isinstance(value, Decimal):
        if kind is Kind.RATE:
            return _places(value, RATE_PLACES)
        return _places(value, places) if places is not None else f"{value:f}"
    if isinstance(value, date):
        return value.isoformat()  # a machine reads this file: ISO, whatever the language
    text = format_cell(value, kind, lang)
    return neutralise(text) if isinstance(value, str | enum.Enum) else text


def to_csv(report: Report, directory: str | Path, lang: Lang = "cn") -> list[Path]:
    """Write ``<report.kind>-<table.key>.csv`` for each table (UTF-8 with BOM, so Excel
    opens Chinese text correctly); returns the paths.

    >>> import tempfile
    >>> from townplan.reports.table import Column
    >>> t = Table("z", "分板块", "By zone", (Column("plan", "计划", "Plan", Kind.MONEY),),
    ...           ((Money.parse("1234.5678万"),),))
    >>> r = Report("demo", "示例", "Demo", date(2013, 6, 30), (), (t,))
    >>> path = to_csv(r, tempfile.mkdtemp())[0]
    >>> path.read_text(encoding="utf-8-sig").splitlines()
    ['计划（万元）', '1234.5678']
    """
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for table in report.tables:
        path = folder / f"{report.kind}-{table.key}.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow([c.header(lang) for c in table.columns])
            rows = (*table.rows, *([table.total] if table.total else []))
            for row in rows:
                writer.writerow(
                    [
                        csv_value(v, c.kind, lang, c.places)
                        for v, c in zip(row, table.columns, strict=True)
                    ]
                )
        written.append(path)
    notes = report.notes(lang)
    if notes:  # one more file, so that no table's columns carry a stray line
        path = folder / f"{report.kind}-notes.csv"
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["说明" if lang == "cn" else "Note"])
            writer.writerows([neutralise(note)] for note in notes)
        written.append(path)
    return written


def _excel_value(value: Cell, kind: Kind, lang: Lang) -> Any:
    # openpyxl stores numbers as IEEE doubles: money is written in 万元 at this file
    # boundary only, after exact sums; the exact figures stay in the ledger and the CSV.
    if isinstance(value, Money):
        return float(value.amount / _TEN_THOUSAND)
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, enum.Enum):
        return label(value, lang)
    if isinstance(value, date | int | str) or value is None:
        return value
    return str(value)


def _sheet_name(table: Table, lang: Lang, used: set[str]) -> str:
    base = "".join(ch for ch in table.title(lang) if ch not in "[]:*?/\\")[:28] or table.key
    return _unique(base, used)


def _unique(base: str, used: set[str]) -> str:
    name, n = base, 2
    while name in used:
        name, n = f"{base[:26]}-{n}", n + 1
    used.add(name)
    return name


def to_xlsx(report: Report, path: str | Path, lang: Lang = "cn") -> Path:
    """Write the report as an .xlsx workbook, one sheet per table; returns the path."""
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill
        from openpyxl.utils import get_column_letter
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("Excel output needs openpyxl: pip install 'townplan[reports]'") from exc
    workbook = Workbook()
    workbook.remove(workbook.active)
    used: set[str] = set()
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    for table in report.tables:
        sheet = workbook.create_sheet(_sheet_name(table, lang, used))
        sheet.append([c.header(lang) for c in table.columns])
        for cell in sheet[1]:
            cell.font, cell.fill = bold, fill
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        rows = (*table.rows, *([table.total] if table.total else []))
        for row in rows:
            sheet.append(
                [_excel_value(v, c.kind, lang) for v, c in zip(row, table.columns, strict=True)]
            )
            for cell in sheet[sheet.max_row]:  # text is a string cell, never a formula
                if isinstance(cell.value, str) and is_formula_like(cell.value):
                    cell.data_type = "s"
        if table.total:
            for cell in sheet[sheet.max_row]:
                cell.font = bold
        sheet.freeze_panes = "A2"
        for index, column in enumerate(table.columns, start=1):
            letter = get_column_letter(index)
            number_format = _FORMATS.get(column.kind)
            if column.kind is Kind.NUMBER:
                places = 2 if column.places is None else column.places
                number_format = "#,##0" + ("." + "0" * places if places else "")
            if number_format:
                for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
                    cell.number_format = number_format
            texts = [column.header(lang)] + [column.show(r[index - 1], lang) for r in rows]
            widest = max(sum(2 if ord(ch) > 0x2E80 else 1 for ch in t) for t in texts)
            sheet.column_dimensions[letter].width = min(max(8, widest + 2), 60)
    notes = report.notes(lang)
    if notes:  # the first sheet a reader sees says what the figures leave out
        sheet = workbook.create_sheet(_unique("说明" if lang == "cn" else "Notes", used), 0)
        for note in notes:
            sheet.append([note])
            sheet.cell(sheet.max_row, 1).data_type = "s"
        sheet.column_dimensions["A"].width = 100
    if not report.tables and not notes:
        workbook.create_sheet("—")
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(target)
    return target
