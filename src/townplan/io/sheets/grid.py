"""Raw grids: every cell of a sheet as text, merged cells filled in, from a workbook
(.xlsx, .xlsm, .xls, .xlsb, .ods — read by python-calamine) or a .csv file.

This layer knows files and cells, not headers. :func:`load_grids` never raises on a bad
file; it returns what it could read and the problems it met. The work is bounded before
anything is read: a sheet reaching past :data:`MAX_COLUMNS` columns or
:data:`MAX_CELLS` cells (rows × columns from A1, merged ranges included), or a CSV line
wider than :data:`MAX_COLUMNS`, is refused with a problem saying so.

>>> cell_text(1000.0), cell_text(1234.5), cell_text(0.1 + 0.2)
('1000', '1234.5', '0.3')
>>> cell_text(0.85, percent=True), cell_text(" 中心大道 "), cell_text("  ")
('85%', '中心大道', None)
"""

from __future__ import annotations

import codecs
import csv
import io
import math
import re
import zipfile
from collections.abc import Mapping, Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from sys import intern
from typing import Final

import attrs
import python_calamine as calamine

from townplan.errors import FieldError
from townplan.io.sheets.xlsx_formats import PERCENT
from townplan.io.sheets.xlsx_parts import Package, XlsxRefused
from townplan.io.sheets.xlsx_scan import SheetScan, scan_sheet
from townplan.reports.formulas import restore

__all__ = [
    "CSV_SUFFIXES",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "WORKBOOK_SUFFIXES",
    "XLSX_SUFFIXES",
    "Grid",
    "GridRow",
    "cell_text",
    "load_grids",
]

XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
#: Every workbook format read (through python-calamine).
WORKBOOK_SUFFIXES: Final = XLSX_SUFFIXES | frozenset({".xls", ".xlsb", ".ods"})
CSV_SUFFIXES: Final = frozenset({".csv", ".tsv"})
#: The most columns a sheet (or a CSV line) may have: registers have a few dozen, a
#: progress sheet with a pair of columns per month about thirty.
MAX_COLUMNS: Final = 1_024
#: The most cells (rows × columns from A1, merged ranges counted too) a sheet may span:
#: 10⁵ projects of fifty columns fit.
MAX_CELLS: Final = 5_000_000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_EXCEL_DIGITS: Final = 15  # Excel keeps 15 significant digits; more is binary noise
_BIG: Final = float(1 << 53)


@attrs.frozen
class GridRow:
    """One spreadsheet row (or CSV record): its 1-based number and its cells as text."""

    number: int
    cells: tuple[str | None, ...]

    def is_blank(self) -> bool:
        """True when no cell holds text."""
        return self.cells.count(None) == len(self.cells)

    def cell(self, index: int) -> str | None:
        """The text of the cell at 0-based ``index``; ``None`` past the end of the row."""
        return self.cells[index] if index < len(self.cells) else None


@attrs.frozen
class Grid:
    """A sheet's cells as text. ``origins`` maps a (row, 0-based column) covered by a
    merged range to the range's top-left cell, so one merged header is one header.
    A hidden sheet that was not asked for by name is listed with ``hidden`` and no rows;
    ``encoding`` names how a CSV file was decoded."""

    sheet: str
    rows: tuple[GridRow, ...]
    origins: Mapping[tuple[int, int], tuple[int, int]] = attrs.field(factory=dict)
    hidden: bool = False
    encoding: str | None = None

    def origin(self, row: int, index: int) -> tuple[int, int]:
        """The cell that ``(row, index)`` takes its value from."""
        return self.origins.get((row, index), (row, index))


class _Refused(Exception):
    """A sheet too large to read; the message says why."""


def cell_text(value: object, *, percent: bool = False) -> str | None:
    """A cell value as the text an official reads: numbers exact to Excel's 15
    significant digits, dates ISO, blanks ``None``; ``percent`` for a cell whose style
    shows a percentage. A number that is not finite (1e999) reads as ``"#NUM!"``, the
    text Excel shows, so it can never pass for zero.

    >>> cell_text(datetime(2013, 6, 30)), cell_text(date(2013, 7, 5)), cell_text(12)
    ('2013-06-30', '2013-07-05', '12')
    >>> cell_text(float("inf")), cell_text(True)
    ('#NUM!', 'TRUE')
    """
    if value is None:
        return None
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if not math.isfinite(value):
            return "#NUM!"
        if not percent and value.is_integer() and -_BIG < value < _BIG:
            return str(int(value))
        return _number(_exact(value), percent)
    if isinstance(value, int | Decimal):
        return _number(Decimal(value), percent)
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else value.isoformat(" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip() or None


def _exact(value: float) -> Decimal:
    number = Decimal(repr(value))
    if len(number.as_tuple().digits) > _EXCEL_DIGITS:
        number = number.quantize(Decimal(1).scaleb(number.adjusted() - _EXCEL_DIGITS + 1))
    return number


def _number(number: Decimal, percent: bool) -> str:
    if percent:
        return _plain(number * 100) + "%"
    return _plain(number)


def _plain(number: Decimal) -> str:
    if number == 0:
        return "0"
    return f"{number.normalize():f}"


def load_grids(path: Path, sheet: str | None = None) -> tuple[list[Grid], list[FieldError]]:
    """The sheets of ``path`` (every worksheet, or only ``sheet``) and the problems met.

    A .csv file is one grid named after the file (naming another sheet is a problem).
    Hidden sheets are read only when ``sheet`` names them; otherwise they come back
    empty, marked ``hidden``.
    """

    def problem(expected: str, value: object = path.name) -> tuple[list[Grid], list[FieldError]]:
        return [], [FieldError(None, None, value, expected, sheet=sheet or path.name)]

    suffix = path.suffix.lower()
    if suffix not in WORKBOOK_SUFFIXES | CSV_SUFFIXES:
        return problem("a workbook (.xlsx, .xlsm, .xls, .xlsb, .ods) or a .csv file")
    try:
        size = path.stat().st_size
    except OSError as err:
        return problem(f"a file that can be read ({err.strerror or err})")
    if size == 0:
        return problem("a file with a header row and data (this file is empty)")
    if suffix in CSV_SUFFIXES:
        if sheet is not None and sheet != path.name:
            return problem("a workbook, to name a sheet in (a .csv file is one sheet)", sheet)
        try:
            data = path.read_bytes()
        except OSError as err:
            return problem(f"a file that can be read ({err.strerror or err})")
        if not data.strip():
            return problem("a file with a header row and data (this file is empty)")
        return _load_csv(path.name, data)
    return _load_book(path, sheet)


def _load_book(path: Path, sheet: str | None) -> tuple[list[Grid], list[FieldError]]:
    name, where = path.name, sheet or path.name
    try:
        book = calamine.CalamineWorkbook.from_path(str(path))
    except Exception as err:  # any parser failure means the same thing to the user
        detail = f": {err}" if isinstance(err, calamine.PasswordError) else ""
        expected = f"a workbook that opens (this file is damaged or not a spreadsheet{detail})"
        return [], [FieldError(None, None, name, expected, sheet=where)]
    try:
        sheets = [m for m in book.sheets_metadata if m.typ == calamine.SheetTypeEnum.WorkSheet]
        if sheet is not None and sheet not in {m.name for m in sheets}:
            visible = calamine.SheetVisibleEnum.Visible
            names = ", ".join(
                repr(m.name) + ("" if m.visible == visible else " (hidden)") for m in sheets
            )
            expected = f"a sheet named {sheet!r}; the workbook has {names}"
            return [], [FieldError(None, None, sheet, expected, sheet=sheet)]
        if not sheets:
            expected = "a workbook with at least one worksheet"
            return [], [FieldError(None, None, name, expected, sheet=where)]
        wanted = [m for m in sheets if sheet is None or m.name == sheet]
        visible = calamine.SheetVisibleEnum.Visible
        read = {m.name for m in wanted if sheet is not None or m.visible == visible}
        scans = _scans(path, read) if path.suffix.lower() in XLSX_SUFFIXES else {}
        grids = [
            _grid(book, m.name, scans.get(m.name))
            if m.name in read
            else Grid(m.name, (), hidden=True)
            for m in wanted
        ]
        return grids, []
    except (_Refused, XlsxRefused) as refused:
        expected = f"a sheet within townplan's limits ({refused})"
        return [], [FieldError(None, None, name, expected, sheet=where)]
    except Exception:
        expected = "a workbook that opens (this file is damaged or not a spreadsheet)"
        return [], [FieldError(None, None, name, expected, sheet=where)]
    finally:
        book.close()


def _scans(path: Path, names: set[str]) -> dict[str, SheetScan]:
    """Each named .xlsx sheet's extent, merges and percent cells, found before calamine
    builds the sheet; a sheet past the limits is refused here."""
    with zipfile.ZipFile(path) as archive:
        package = Package(archive)
        book = package.workbook()
        kinds = package.style_kinds(book.styles)
        percent = frozenset(i for i, kind in enumerate(kinds) if kind == PERCENT)
        found: dict[str, SheetScan] = {}
        for part in book.sheets:
            if part.name in names:
                scan = scan_sheet(package, part.part, percent, limits=(MAX_COLUMNS, MAX_CELLS))
                _check(part.name, scan.rows, scan.columns, scan.merges)
                found[part.name] = scan
        return found


def _check(
    sheet: str, rows: int, columns: int, merges: Sequence[tuple[int, int, int, int]]
) -> None:
    if columns > MAX_COLUMNS:
        raise _Refused(f"sheet {sheet!r} reaches column {columns:,}; at most {MAX_COLUMNS:,}")
    area = sum((b - t + 1) * (r - left + 1) for t, left, b, r in merges)
    if rows * columns > MAX_CELLS or area > MAX_CELLS:
        raise _Refused(f"sheet {sheet!r} spans more than {MAX_CELLS:,} cells")


def _grid(book: calamine.CalamineWorkbook, name: str, scan: SheetScan | None) -> Grid:
    """The grid of one sheet; a merged range's top-left value fills the range."""
    sheet = book.get_sheet_by_name(name)
    end = sheet.end
    height, width = (end[0] + 1, end[1] + 1) if end else (0, 0)
    merges = [(t + 1, left, b + 1, r) for (t, left), (b, r) in sheet.merged_cell_ranges or ()]
    _check(name, height, width, merges)
    percent: dict[int, set[int]] = {}
    for r, c in scan.percent if scan else ():
        percent.setdefault(r, set()).add(c)
    rows = _sheet_texts(sheet, percent)
    del sheet  # the cells as text are all that is kept
    for (r, c), error in (scan.errors if scan else {}).items():
        while len(rows) < r:
            rows.append([])
        _put(rows[r - 1], c, error)
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for top, left, bottom, right in merges:
        first = rows[top - 1] if top - 1 < len(rows) else []
        value = first[left] if left < len(first) else None
        for r in range(top, bottom + 1):
            while len(rows) < r:
                rows.append([])
            line = rows[r - 1]
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    origins[(r, c)] = (top, left)
                    _put(line, c, value)
    while rows and rows[-1].count(None) == len(rows[-1]):
        rows.pop()  # blank rows at the bottom
    span = max((len(line) for line in rows), default=0)
    while span and all(len(line) < span or line[span - 1] is None for line in rows):
        span -= 1  # a blank column at the right
    lines = (
        GridRow(
            r,
            tuple(line)
            if len(line) == span
            else tuple(line[:span])
            if len(line) > span
            else (*line, *[None] * (span - len(line))),
        )
        for r, line in enumerate(rows, 1)
    )
    return Grid(name, tuple(lines), origins)


def _sheet_texts(
    sheet: calamine.CalamineSheet, percent: Mapping[int, set[int]]
) -> list[list[str | None]]:
    """Every row of ``sheet`` from row 1 and column A as text, read a row at a time so
    that only the text is held (calamine's rows start at row 1 but at the first used
    column)."""
    start, end = sheet.start, sheet.end
    rows: list[list[str | None]] = []
    shift: list[object] | None = None
    for values in sheet.iter_rows():
        if shift is None:
            wide = end is not None and len(values) == end[1] + 1
            shift = [""] * (start[1] if start and not wide else 0)
        rows.append(_texts(shift + values if shift else values, len(rows) + 1, percent))
    if start and end and len(rows) == end[0] - start[0] + 1 and start[0]:
        rows[:0] = [[] for _ in range(start[0])]  # rows above the first used one
    return rows


def _texts(
    values: Sequence[object], number: int, percent: Mapping[int, set[int]]
) -> list[str | None]:
    """One row's cells as text (the common cases inline: this runs for every cell).
    Text is interned, so the thousands of cells that say 基础设施 or 城建办 are one string;
    a whole number is its digits, another float its shortest repr where that is what
    :func:`cell_text` writes (at most 15 digits, no exponent, finite)."""
    styled = percent.get(number) if percent else None
    if styled is not None:
        return [
            cell_text(value, percent=True) if index in styled else _text(value)
            for index, value in enumerate(values)
        ]
    return [
        ((intern(text) if (text := value.strip()) else None) if type(value) is str
         else (str(int(value)) if value.is_integer() and -_BIG < value < _BIG
               else shown if len(shown := repr(value)) <= 16 and "e" not in shown
               and "n" not in shown else _text(value)) if type(value) is float
         else _text(value))
        for value in values
    ]  # fmt: skip


def _text(value: object) -> str | None:
    """:func:`_texts` of one cell that is not a common case."""
    if isinstance(value, str):
        text = value.strip()
        return intern(text) if text else None
    if type(value) is float and value.is_integer() and -_BIG < value < _BIG:
        return str(int(value))
    if (
        type(value) is float
        and len(shown := repr(value)) <= 16
        and "e" not in shown  # 1e-05 is left to cell_text
        and "n" not in shown  # so are nan and inf
    ):
        return shown  # at most 15 digits, as cell_text writes them
    return cell_text(value)


def _put(line: list[str | None], index: int, text: str | None) -> None:
    if index < len(line):
        line[index] = text
    elif text is not None:
        line.extend([None] * (index - len(line)))
        line.append(text)


def _rows(texts: Mapping[tuple[int, int], str]) -> tuple[GridRow, ...]:
    if not texts:
        return ()
    last_row = max(r for r, _ in texts)
    width = max(c for _, c in texts) + 1
    return tuple(
        GridRow(r, tuple(texts.get((r, c)) for c in range(width))) for r in range(1, last_row + 1)
    )


#: How a CSV file may be encoded, tried in this order (a BOM decides first).
_ENCODINGS: Final = ("utf-8", "gb18030")
_ENCODING_NAMES: Final = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 (BOM)",
    "gb18030": "GB18030/GBK",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16LE",
    "utf-16-be": "UTF-16BE",
}


def _decode(data: bytes) -> tuple[str, str] | None:
    """The text of a CSV file and the encoding it was read in: UTF-8 (with or without a
    BOM), GB18030 (which GBK is part of), UTF-16 with a BOM or without one (told by its
    NUL bytes); ``None`` when none fits or the text holds control characters."""
    if data.startswith(codecs.BOM_UTF8):
        candidates: tuple[str, ...] = ("utf-8-sig",)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        candidates = ("utf-16",)
    elif b"\x00" in data[:4096]:
        sample = data[:4096]
        even = sample[0::2].count(0)
        odd = sample[1::2].count(0)
        candidates = ("utf-16-be",) if even > odd else ("utf-16-le",)
    else:
        candidates = _ENCODINGS
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        return None if _CONTROL.search(text) else (text, _ENCODING_NAMES[encoding])
    return None


def _load_csv(name: str, data: bytes) -> tuple[list[Grid], list[FieldError]]:
    decoded = _decode(data)
    if decoded is None:
        expected = "a text file in UTF-8 (with or without BOM), GB18030/GBK or UTF-16"
        return [], [FieldError(None, None, name, expected, sheet=name)]
    text, encoding = decoded
    sample = text[:65536].splitlines()[:20]
    delimiter = (
        "\t" if sum(s.count("\t") for s in sample) > sum(s.count(",") for s in sample) else ","
    )
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    texts: dict[tuple[int, int], str] = {}
    width = 0
    start = 1
    try:
        for record in reader:
            if len(record) > MAX_COLUMNS:
                expected = (
                    f"a line of at most {MAX_COLUMNS:,} columns (this one has "
                    f"{len(record):,}; read as {encoding})"
                )
                return [], [FieldError(None, None, name, expected, sheet=name, row=start)]
            for index, value in enumerate(record):
                if value.strip():
                    texts[(start, index)] = restore(value.strip())
                    width = max(width, index + 1)
            start = reader.line_num + 1
            if start * width > MAX_CELLS:
                expected = f"a file of at most {MAX_CELLS:,} cells (read as {encoding})"
                return [], [FieldError(None, None, name, expected, sheet=name, row=start)]
    except csv.Error as err:
        expected = f"well-formed CSV ({err}; read as {encoding})"
        return [], [FieldError(None, None, name, expected, sheet=name, row=start)]
    return [Grid(name, _rows(texts), encoding=encoding)], []
