"""Raw grids: every cell of a sheet as text, merged cells filled in, from .xlsx or .csv.

This layer knows files and cells, not headers. :func:`load_grids` never raises on a bad
file; it returns what it could read and the problems it met.

>>> cell_text(1000.0), cell_text(1234.5), cell_text(0.1 + 0.2)
('1000', '1234.5', '0.3')
>>> cell_text(0.85, "0%"), cell_text(" 中心大道 "), cell_text("  ")
('85%', '中心大道', None)
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Mapping
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Final

import attrs
import openpyxl
from openpyxl.cell.cell import MergedCell

from townplan.errors import FieldError

__all__ = ["CSV_SUFFIXES", "XLSX_SUFFIXES", "Grid", "GridRow", "cell_text", "load_grids"]

XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES: Final = frozenset({".csv", ".tsv"})
_EXCEL_DIGITS: Final = 15  # Excel keeps 15 significant digits; more is binary noise
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


@attrs.frozen
class GridRow:
    """One spreadsheet row (or CSV record): its 1-based number and its cells as text."""

    number: int
    cells: tuple[str | None, ...]

    def is_blank(self) -> bool:
        """True when no cell holds text."""
        return all(c is None for c in self.cells)

    def cell(self, index: int) -> str | None:
        """The text of the cell at 0-based ``index``; ``None`` past the end of the row."""
        return self.cells[index] if index < len(self.cells) else None


@attrs.frozen
class Grid:
    """A sheet's cells as text. ``origins`` maps a (row, 0-based column) covered by a
    merged range to the range's top-left cell, so one merged header is one header."""

    sheet: str
    rows: tuple[GridRow, ...]
    origins: Mapping[tuple[int, int], tuple[int, int]] = attrs.field(factory=dict)

    def origin(self, row: int, index: int) -> tuple[int, int]:
        """The cell that ``(row, index)`` takes its value from."""
        return self.origins.get((row, index), (row, index))


def cell_text(value: object, number_format: str = "General") -> str | None:
    """A cell value as the text an official reads: numbers exact, dates ISO, blanks ``None``.

    >>> cell_text(datetime(2013, 6, 30)), cell_text(date(2013, 7, 5)), cell_text(12)
    ('2013-06-30', '2013-07-05', '12')
    """
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    if isinstance(value, int | float | Decimal):
        number = _exact(value)
        if "%" in number_format:
            return _plain(number * 100) + "%"
        return _plain(number)
    text = str(value).strip()
    return text or None


def _exact(value: int | float | Decimal) -> Decimal:
    if isinstance(value, float):
        if not math.isfinite(value):
            return Decimal(0)
        number = Decimal(repr(value))
        if len(number.as_tuple().digits) > _EXCEL_DIGITS:
            number = number.quantize(Decimal(1).scaleb(number.adjusted() - _EXCEL_DIGITS + 1))
        return number
    return Decimal(value)


def _plain(number: Decimal) -> str:
    if number == 0:
        return "0"
    return f"{number.normalize():f}"


def load_grids(path: Path, sheet: str | None = None) -> tuple[list[Grid], list[FieldError]]:
    """The sheets of ``path`` (all worksheets, or only ``sheet``) and the problems met.

    A .csv file is one grid named after the file.
    """

    def problem(expected: str, value: object = path.name) -> tuple[list[Grid], list[FieldError]]:
        return [], [FieldError(None, None, value, expected, sheet=sheet or path.name)]

    suffix = path.suffix.lower()
    if suffix not in XLSX_SUFFIXES | CSV_SUFFIXES:
        return problem("an .xlsx workbook or a .csv file (save .xls or .txt files as .xlsx)")
    try:
        data = path.read_bytes()
    except OSError as err:
        return problem(f"a file that can be read ({err.strerror or err})")
    if not data.strip():
        return problem("a file with a header row and data (this file is empty)")
    if suffix in CSV_SUFFIXES:
        return _load_csv(path.name, data)
    return _load_xlsx(path, sheet)


def _load_xlsx(path: Path, sheet: str | None) -> tuple[list[Grid], list[FieldError]]:
    where = sheet or path.name
    try:
        # read_only=False: read-only worksheets do not expose their merged ranges.
        book = openpyxl.load_workbook(path, data_only=True)
    except Exception:  # any parser failure means the same thing to the user
        expected = "an .xlsx workbook that opens (this file is damaged or not a spreadsheet)"
        return [], [FieldError(None, None, path.name, expected, sheet=where)]
    try:
        sheets = list(book.worksheets)
        if sheet is not None:
            sheets = [ws for ws in sheets if ws.title == sheet]
            if not sheets:
                names = ", ".join(repr(ws.title) for ws in book.worksheets)
                expected = f"a sheet named {sheet!r}; the workbook has {names}"
                return [], [FieldError(None, None, sheet, expected, sheet=sheet)]
        if not sheets:
            expected = "a workbook with at least one worksheet"
            return [], [FieldError(None, None, path.name, expected, sheet=where)]
        return [_grid_from_sheet(ws) for ws in sheets], []
    finally:
        book.close()


def _grid_from_sheet(ws: openpyxl.worksheet.worksheet.Worksheet) -> Grid:
    texts: dict[tuple[int, int], str] = {}
    for line in ws.iter_rows():
        for cell in line:
            if isinstance(cell, MergedCell):
                continue
            text = cell_text(cell.value, cell.number_format)
            if text is not None:
                texts[(cell.row, cell.column - 1)] = text
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for merged in ws.merged_cells.ranges:
        top_left = (merged.min_row, merged.min_col - 1)
        value = texts.get(top_left)
        for r in range(merged.min_row, merged.max_row + 1):
            for c in range(merged.min_col - 1, merged.max_col):
                if (r, c) != top_left:
                    origins[(r, c)] = top_left
                    if value is not None:
                        texts[(r, c)] = value
    return Grid(ws.title, _rows(texts), origins)


def _rows(texts: Mapping[tuple[int, int], str]) -> tuple[GridRow, ...]:
    if not texts:
        return ()
    last_row = max(r for r, _ in texts)
    width = max(c for _, c in texts) + 1
    return tuple(
        GridRow(r, tuple(texts.get((r, c)) for c in range(width))) for r in range(1, last_row + 1)
    )


def _decode(data: bytes) -> str | None:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8-sig", "gb18030"]
    for encoding in encodings:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if _CONTROL.search(text) else text
    return None


def _load_csv(name: str, data: bytes) -> tuple[list[Grid], list[FieldError]]:
    text = _decode(data)
    if text is None:
        expected = "a text file in UTF-8 (with or without BOM) or GB18030"
        return [], [FieldError(None, None, name, expected, sheet=name)]
    sample = text.splitlines()[:20]
    delimiter = (
        "\t" if sum(s.count("\t") for s in sample) > sum(s.count(",") for s in sample) else ","
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    texts: dict[tuple[int, int], str] = {}
    try:
        start = 1
        for record in reader:
            for index, value in enumerate(record):
                if value.strip():
                    texts[(start, index)] = value.strip()
            start = reader.line_num + 1
    except csv.Error as err:
        expected = f"well-formed CSV ({err})"
        return [], [FieldError(None, None, name, expected, sheet=name, row=start)]
    return [Grid(name, _rows(texts))], []
