"""Write a register or progress table the way offices lay it out, as .xlsx or .csv.

A title row, one header row (units in the headers, "（万元）"), one row per record and a
合计 (total) row — the layout :func:`~townplan.io.sheets.table.read_table` reads back.

Amounts go in as :class:`~decimal.Decimal` numbers of the column's unit (万元) or as text
with their own unit ("127万美元"). An .xlsx cell holds a binary float, which keeps 15
significant digits exactly; an amount that needs more is written as text so the file
reads back to the fen.

>>> import tempfile, pathlib
>>> from decimal import Decimal
>>> from townplan.io.sheets.table import read_table
>>> from townplan.io.sheets.headers import REGISTER_HEADERS
>>> path = pathlib.Path(tempfile.mkdtemp()) / "r.xlsx"
>>> columns = [Column("项目编号"), Column("项目名称", 20), Column("总投资（万元）", money=True)]
>>> _ = write_table(path, "项目库", "示例镇 重大项目库", columns,
...             [["P001", "中心大道", Decimal("1234.5678")]], ["合计", None, Decimal("1234.5678")])
>>> table = read_table(path, headers=REGISTER_HEADERS, required={"code"})
>>> table.money(table.rows[0], "total_investment").format_cn()
'1234.5678万元'
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import Final

import attrs

from townplan.errors import ValidationError
from townplan.io.sheets.grid import CSV_SUFFIXES, XLSX_SUFFIXES
from townplan.model.money import CURRENCY_NAMES, Money

__all__ = ["Cell", "Column", "amount", "money_unit", "plain", "sheet_currency", "write_table"]

#: What a cell of an exported table may hold.
Cell = str | int | Decimal | None

_FLOAT_DIGITS: Final = 15
_WAN: Final = Decimal(10_000)
_MONEY_FORMAT: Final = "0.00"


@attrs.frozen
class Column:
    """A column of an exported table: its header, its width in characters, and whether
    it holds amounts (number format ``0.00``)."""

    header: str
    width: float = 12
    money: bool = False


def plain(number: Decimal) -> str:
    """A decimal without exponent or trailing zeros: ``Decimal("1.2300E+3")`` → "1230".

    >>> plain(Decimal("1.2300E+3")), plain(Decimal("0E-6")), plain(Decimal("0.000001"))
    ('1230', '0', '0.000001')
    """
    if number == 0:
        return "0"
    return f"{number.normalize():f}"


def sheet_currency(currencies: Sequence[str]) -> str:
    """The currency of a table's money columns: the one every record shares, else CNY.

    >>> sheet_currency(["USD", "USD"]), sheet_currency(["USD", "CNY"]), sheet_currency([])
    ('USD', 'CNY', 'CNY')
    """
    found = set(currencies)
    if len(found) == 1:
        (only,) = found
        if only in CURRENCY_NAMES:
            return only
    return "CNY"


def money_unit(currency: str) -> str:
    """The header unit of money columns in ``currency``: "万元", "万美元" …"""
    return f"万{CURRENCY_NAMES[currency]}"


def amount(money: Money | None, currency: str, *, blank_zero: bool = False) -> Cell:
    """A money cell: a number of 万 in the table's ``currency``, or text with its own
    unit for another currency ("127万美元"); ``None`` for no amount (and for zero
    when ``blank_zero``).

    >>> amount(Money.parse("1234.5元"), "CNY"), amount(Money.parse("127万美元"), "CNY")
    (Decimal('0.12345'), '127万美元')
    """
    if money is None or (blank_zero and not money and money.currency == currency):
        return None
    if money.currency != currency:
        return money.format_cn(unit="万")
    return money.amount / _WAN


def write_table(
    path: str | PathLike[str],
    sheet: str,
    title: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Cell]],
    total: Sequence[Cell] | None = None,
) -> Path:
    """Write ``title``, the header, ``rows`` and the ``total`` row to ``path`` (.xlsx or
    .csv by suffix; CSV as UTF-8 with BOM, which Excel opens correctly)."""
    file = Path(path)
    suffix = file.suffix.lower()
    body = [*rows, *([total] if total is not None else [])]
    if suffix in CSV_SUFFIXES:
        _write_csv(file, title, columns, body, "\t" if suffix == ".tsv" else ",")
    elif suffix in XLSX_SUFFIXES:
        _write_xlsx(file, sheet, title, columns, body, total is not None)
    else:
        raise ValidationError.single(
            record="export", field="path", value=str(path), expected="a path ending .xlsx or .csv"
        )
    return file


def _text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


def _write_csv(
    file: Path, title: str, columns: Sequence[Column], body: Sequence[Sequence[Cell]], sep: str
) -> None:
    with file.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=sep)
        writer.writerow([title])
        writer.writerow([c.header for c in columns])
        for row in body:
            writer.writerow([_text(v) for v in row])


def _xlsx_value(value: Cell) -> object:
    if isinstance(value, Decimal):
        if len(value.normalize().as_tuple().digits) > _FLOAT_DIGITS:
            return plain(value)  # a float would lose the last digits
        return float(value) if value != value.to_integral_value() else int(value)
    return value


def _write_xlsx(
    file: Path,
    sheet: str,
    title: str,
    columns: Sequence[Column],
    body: Sequence[Sequence[Cell]],
    has_total: bool,
) -> None:
    """One sheet in openpyxl's write-only mode (rows streamed to the file, styles set on
    the cells as they are written): a 10⁵-row register in a fraction of the time and
    memory of building the whole sheet first."""
    try:  # openpyxl is an optional extra: needed only to write .xlsx
        import openpyxl
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Alignment, Font
        from openpyxl.utils import get_column_letter
        from openpyxl.worksheet.cell_range import CellRange
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("writing .xlsx needs openpyxl: pip install 'townplan[reports]'") from exc
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    width = len(columns)
    for index, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(index)].width = column.width
    ws.freeze_panes = "A3"
    ws.merged_cells.add(CellRange(min_col=1, min_row=1, max_col=max(width, 1), max_row=1))
    bold = Font(bold=True)

    def styled(value: object, font: Font | None = None, **style: object) -> WriteOnlyCell:
        cell = WriteOnlyCell(ws, value=value)
        if font is not None:
            cell.font = font
        for name, setting in style.items():
            setattr(cell, name, setting)
        return cell

    ws.append([styled(title, Font(bold=True, size=14), alignment=Alignment(horizontal="center"))])
    wrap = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.append([styled(c.header, bold, alignment=wrap) for c in columns])
    money = [c.money for c in columns]
    last = len(body) - 1
    for n, row in enumerate(body):
        font = bold if has_total and n == last else None
        ws.append([
            styled(_xlsx_value(v), font, number_format=_MONEY_FORMAT) if is_money
            else styled(_xlsx_value(v), font) if font is not None
            else _xlsx_value(v)
            for v, is_money in zip(row, [*money, *[False] * (len(row) - width)], strict=False)
        ])  # fmt: skip
    book.save(file)
