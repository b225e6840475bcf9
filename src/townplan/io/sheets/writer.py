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
import os
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal
from os import PathLike
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from townplan.errors import ValidationError
from townplan.io.sheets.grid import CSV_SUFFIXES, XLSX_SUFFIXES
from townplan.io.sheets.header_row import letter
from townplan.model.money import CURRENCY_NAMES, Money
from townplan.progress import ProgressHook, Tally, counted
from townplan.reports.formulas import neutralise

if TYPE_CHECKING:
    from _csv import Writer as CsvWriter

__all__ = [
    "Cell", "Column", "XlsxSheet", "amount", "check_target", "csv_sheet", "csv_text", "money_unit",
    "plain",
    "replacing", "sheet_currency", "write_table", "xlsx_value",
]  # fmt: skip

#: What a cell of an exported table may hold.
Cell = str | int | Decimal | None

_FLOAT_DIGITS: Final = 15
_FLOAT_LIMIT: Final = 10**_FLOAT_DIGITS
_WAN: Final = Decimal(10_000)
_MONEY_FORMAT: Final = "0.00"
_XLSX_ROWS: Final = 1_048_576  # the rows of a sheet
#: xlsxwriter's undecorated cell writers, used where this version of it has them.
QUICK_WRITERS: tuple[str, ...] = ("_write_string", "_write_number")
_XLSX_TEXT: Final = 32_767  # the most characters a cell holds; xlsxwriter cuts the rest


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
    on_progress: ProgressHook | None = None,
) -> Path:
    """Write ``title``, the header, ``rows`` and the ``total`` row to ``path`` (.xlsx or
    .csv by suffix; CSV as UTF-8 with BOM, which Excel opens correctly); ``on_progress``
    is told ``(done, total)`` as rows are written (:mod:`townplan.progress`)."""
    file = Path(path)
    suffix = file.suffix.lower()
    body = [*rows, *([total] if total is not None else [])]
    check_target(file, len(body))
    tally = Tally(on_progress, len(body))
    with replacing(file) as part:
        if suffix in CSV_SUFFIXES:
            with csv_sheet(part, title, [c.header for c in columns]) as out:
                out.writerows([csv_text(v) for v in row] for row in counted(body, tally))
        else:
            _write_xlsx(part, sheet, title, columns, body, total is not None, tally)
    tally.finish()
    return file


@contextmanager
def replacing(file: Path) -> Iterator[Path]:
    """A hidden file beside ``file`` to write, which replaces ``file`` in one step when the
    block ends and is removed if it fails: an export that fails leaves neither a
    half-written file nor a gap where the earlier one was.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "r.csv"
    >>> _ = target.write_text("last month")
    >>> try:
    ...     with replacing(target) as part:
    ...         _ = part.write_text("half")
    ...         raise OSError("disk full")
    ... except OSError:
    ...     pass
    >>> target.read_text(), sorted(p.name for p in target.parent.iterdir())
    ('last month', ['r.csv'])
    """
    part = file.with_name(f".{file.stem}.{uuid.uuid4().hex}.part{file.suffix}")
    try:
        yield part
        os.replace(part, file)
    finally:
        part.unlink(missing_ok=True)


def check_target(file: Path, rows: int) -> None:
    """Refuse a path that is neither .xlsx nor .csv, and an .xlsx table (title, header and
    ``rows``) longer than a sheet (1,048,576 rows), which xlsxwriter would cut short
    without a word."""
    suffix = file.suffix.lower()
    if suffix not in CSV_SUFFIXES and suffix not in XLSX_SUFFIXES:
        raise ValidationError.single(
            record="export", field="path", value=str(file), expected="a path ending .xlsx or .csv"
        )
    if suffix in XLSX_SUFFIXES and rows + 2 > _XLSX_ROWS:
        raise ValidationError.single(
            record="export", field=None, value=rows,
            expected=f"at most {_XLSX_ROWS - 2:,} rows in an .xlsx sheet (write a .csv instead)",
        )  # fmt: skip


def csv_text(value: Cell) -> str:
    """A cell as CSV text: an amount without exponent, text neutralised
    (:func:`~townplan.reports.formulas.neutralise`), nothing for a blank.

    >>> csv_text(Decimal("0.12340")), csv_text("=1+1"), csv_text(None), csv_text(7)
    ('0.1234', "'=1+1", '', '7')
    """
    if value is None:
        return ""
    if isinstance(value, str):
        return neutralise(value)
    if isinstance(value, Decimal):
        return plain(value)
    return str(value)


@contextmanager
def csv_sheet(file: Path, title: str, headers: Iterable[str]) -> Iterator[CsvWriter]:
    """A table's CSV writer, its title (neutralised, as every cell) and header written:
    UTF-8 with BOM, which Excel opens correctly, tab-separated for a .tsv file. The rows
    are the caller's, as :func:`csv_text` makes them."""
    sep = "\t" if file.suffix.lower() == ".tsv" else ","
    with file.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=sep)
        writer.writerow([csv_text(title)])
        writer.writerow(list(headers))
        yield writer


def xlsx_value(value: Cell) -> str | int | float:
    """What an .xlsx cell holds for ``value``: a whole amount as an int, one of at most 15
    significant digits as the float nearest it, a longer one as text (a float would lose
    its last digits); ``""`` for a blank.

    >>> xlsx_value(Decimal("1200.00")), xlsx_value(Decimal("0.12345"))
    (1200, 0.12345)
    >>> xlsx_value(Decimal("12345678901.234567"))
    '12345678901.234567'
    """
    if isinstance(value, Decimal):
        if value == value.to_integral_value():
            whole = int(value)
            if -_FLOAT_LIMIT < whole < _FLOAT_LIMIT:
                return whole  # at most 15 digits
        elif len(value.as_tuple().digits) <= _FLOAT_DIGITS:
            return float(value)  # at most 15 digits before trailing zeros are dropped
        if len(value.normalize().as_tuple().digits) > _FLOAT_DIGITS:
            return plain(value)  # a float would lose the last digits
        return float(value) if value != value.to_integral_value() else int(value)
    return "" if value is None else value


def _write_xlsx(
    file: Path,
    sheet: str,
    title: str,
    columns: Sequence[Column],
    body: Sequence[Sequence[Cell]],
    has_total: bool,
    tally: Tally,
) -> None:
    with XlsxSheet(file, sheet, title, columns) as out:
        last = len(body) - 1
        for n, row in enumerate(counted(body, tally), start=2):
            out.write_row(n, row, total=has_total and n - 2 == last)


class XlsxSheet:
    """One sheet written by xlsxwriter in constant-memory mode (each row goes to the file
    as it is written): measured in ``bench/``, faster than openpyxl's write-only mode.
    Opening writes the title (merged across the columns) and the header, and freezes
    both; rows follow in order. Text is always a string cell — the workbook reads no
    string as a formula, a link or a number, whichever method writes it — so nothing a
    town typed can become one; text longer than a cell holds is refused, not cut."""

    def __init__(self, file: Path, sheet: str, title: str, columns: Sequence[Column]) -> None:
        import xlsxwriter

        self.book = xlsxwriter.Workbook(str(file), {
            "constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
            "strings_to_numbers": False,
        })  # fmt: skip
        self.file = file
        try:
            self.sheet = ws = self.book.add_worksheet(sheet[:31])
            add = self.book.add_format
            self.bold = add({"bold": True})
            #: The number format of amounts (``0.00``).
            self.money = add({"num_format": _MONEY_FORMAT})
            money_bold = add({"num_format": _MONEY_FORMAT, "bold": True})
            heading = add({"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True})
            caption = add({"bold": True, "font_size": 14, "align": "center"})
            for index, column in enumerate(columns):
                ws.set_column(index, index, column.width)
            ws.freeze_panes(2, 0)
            if len(columns) > 1:
                ws.merge_range(0, 0, 0, len(columns) - 1, "", caption)
            self.check(0, 0, title, ws.write_string(0, 0, title, caption))
            for index, column in enumerate(columns):
                self.check(
                    1, index, column.header, ws.write_string(1, index, column.header, heading)
                )
        except BaseException:
            self.book.close()
            raise
        # The cell writers: xlsxwriter's own undecorated methods, which its public
        # write_string and write_number call once they have ruled out A1 notation (a
        # tenth of the time of a large export); the public ones should a version lack them.
        quick = bool(QUICK_WRITERS) and all(hasattr(ws, name) for name in QUICK_WRITERS)
        self.write_string = ws._write_string if quick else ws.write_string
        self.write_number = ws._write_number if quick else ws.write_number
        self._plain = [self.money if c.money else None for c in columns]
        self._total = [money_bold if c.money else self.bold for c in columns]

    def __enter__(self) -> XlsxSheet:
        return self

    def check(self, n: int, index: int, value: object, code: int) -> None:
        """Refuse what xlsxwriter reported it did not write as given (``code`` is its
        return value: 0 when written; -2 when text was cut at 32,767 characters)."""
        if code:
            shown = value[:40] + "…" if isinstance(value, str) and len(value) > 40 else value
            expected = (
                f"text of at most {_XLSX_TEXT:,} characters, which an .xlsx cell holds "
                "(write a .csv instead)" if isinstance(value, str) and len(value) > _XLSX_TEXT
                else "a value an .xlsx cell holds"
            )  # fmt: skip
            raise ValidationError.single(
                record="export", field=None, value=shown, expected=expected,
                sheet=self.file.name, row=n + 1, column=letter(index),
            )  # fmt: skip

    def __exit__(self, *_: object) -> None:
        self.book.close()

    def write_row(self, n: int, row: Sequence[Cell], *, total: bool = False) -> None:
        """Write ``row`` as the sheet's row ``n`` (0-based; the first below the header is
        2), in bold when it is the ``total`` row; ``None`` is a blank cell."""
        styles = self._total if total else self._plain
        write_string, write_cell = self.write_string, self.write_cell
        for index, value in enumerate(row):
            if value is None:
                continue
            style = styles[index] if index < len(styles) else (self.bold if total else None)
            if type(value) is str:
                if code := write_string(n, index, value, style):
                    self.check(n, index, value, code)
            else:
                write_cell(n, index, value, style)

    def write_cell(self, n: int, index: int, value: Cell, style: Any = None) -> None:
        """Write ``value`` (not None) in row ``n``, column ``index`` as :func:`xlsx_value`
        has it: text as a string cell, an amount as a number or, past 15 digits, text."""
        cell = value if type(value) in (str, int) else xlsx_value(value)
        if isinstance(cell, str):
            code = self.write_string(n, index, cell, style)
        else:
            code = self.write_number(n, index, cell, style)
        if code:
            self.check(n, index, cell, code)
