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
import re
import zipfile
from collections.abc import Mapping
from pathlib import Path
from typing import Final

import attrs

from townplan.errors import FieldError
from townplan.io.sheets.xlsx_parts import Package, XlsxRefused
from townplan.io.sheets.xlsx_sheet import SheetCells, cell_text, put, read_sheet

__all__ = [
    "CSV_SUFFIXES",
    "MAX_CELLS",
    "XLSX_SUFFIXES",
    "Grid",
    "GridRow",
    "cell_text",
    "load_grids",
]

XLSX_SUFFIXES: Final = frozenset({".xlsx", ".xlsm"})
CSV_SUFFIXES: Final = frozenset({".csv", ".tsv"})
#: The most cells (rows × columns, merged ranges counted too) a worksheet may span.
MAX_CELLS: Final = 40_000_000
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
    return _load_xlsx(path.name, data, sheet)


def _load_xlsx(name: str, data: bytes, sheet: str | None) -> tuple[list[Grid], list[FieldError]]:
    where = sheet or name
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            package = Package(archive)
            book = package.workbook()
            parts = [p for p in book.sheets if sheet is None or p.name == sheet]
            if sheet is not None and not parts:
                names = ", ".join(repr(p.name) for p in book.sheets)
                expected = f"a sheet named {sheet!r}; the workbook has {names}"
                return [], [FieldError(None, None, sheet, expected, sheet=sheet)]
            if not parts:
                expected = "a workbook with at least one worksheet"
                return [], [FieldError(None, None, name, expected, sheet=where)]
            strings = package.shared_strings(book.strings) if book.strings else []
            kinds = package.style_kinds(book.styles)
            return [_grid(read_sheet(package, book, p, strings, kinds)) for p in parts], []
    except XlsxRefused as refused:
        reason = f": {refused}"
    except Exception:  # any parser failure means the same thing to the user
        reason = ""
    expected = f"an .xlsx workbook that opens (this file is damaged or not a spreadsheet{reason})"
    return [], [FieldError(None, None, name, expected, sheet=where)]


def _grid(sheet: SheetCells) -> Grid:
    """The grid of a sheet's cells; a merged range's top-left value fills the range."""
    rows = sheet.rows
    area = sum((bottom - top + 1) * (right - left + 1) for top, left, bottom, right in sheet.merges)
    if area > MAX_CELLS:
        raise XlsxRefused(f"its merged cells cover more than {MAX_CELLS:,} cells")
    for top, left, bottom, right in sheet.merges:  # covered cells hold nothing of their own
        for r in range(top, bottom + 1):
            line = rows.get(r, [])
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    put(line, c, None)
    origins: dict[tuple[int, int], tuple[int, int]] = {}
    for top, left, bottom, right in sheet.merges:
        first = rows.get(top, [])
        value = first[left] if left < len(first) else None
        for r in range(top, bottom + 1):
            line = rows.setdefault(r, [])
            for c in range(left, right + 1):
                if (r, c) != (top, left):
                    origins[(r, c)] = (top, left)
                    if value is not None:
                        put(line, c, value)
    for line in rows.values():
        while line and line[-1] is None:
            line.pop()
    last = max((r for r, line in rows.items() if line), default=0)
    width = max((len(line) for line in rows.values()), default=0)
    if last * width > MAX_CELLS:
        raise XlsxRefused(f"sheet {sheet.name!r} spans more than {MAX_CELLS:,} cells")
    found = (rows.get(r, []) for r in range(1, last + 1))
    lines = (GridRow(r, (*line, *[None] * (width - len(line)))) for r, line in enumerate(found, 1))
    return Grid(sheet.name, tuple(lines), origins)


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
