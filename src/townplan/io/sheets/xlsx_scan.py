"""Bounding an .xlsx sheet before it is read: its extent, its merges, its percent cells.

python-calamine builds a sheet as one dense block of rows × columns, so a 300 kB file
with one cell in column XFD of row 60,000 would ask for 30 GB. :func:`scan_sheet`
streams the sheet's XML once (a few regular expressions over unpacked chunks, no XML
tree) and finds the last row and column any cell or merged range reaches, so the reader
can refuse such a sheet in a second and in a few megabytes. The same pass notes the
cells whose style shows a percentage ("0%"), which calamine returns as bare fractions.

Most writers (Excel, LibreOffice, WPS, xlsxwriter, openpyxl) say the sheet's extent in a
``<dimension ref="A1:S20003"/>`` and write every cell as ``<c r="B7" …>``. Such a claim
is checked, not trusted: a block whose tags are all written that way is searched once
for a cell or row beyond the claim; only a block that holds one (or anything written
otherwise) is read reference by reference. A claim past the limits is measured exactly.

>>> import io, zipfile
>>> from townplan.io.sheets.xlsx_parts import Package
>>> buffer = io.BytesIO()
>>> with zipfile.ZipFile(buffer, "w") as z:
...     z.writestr("s.xml", '<worksheet><sheetData><row r="3"><c r="B3" s="1"><v>0.5</v></c>'
...                '<c r="AA3"><v>1</v></c></row></sheetData>'
...                '<mergeCells><mergeCell ref="A5:C9"/></mergeCells></worksheet>')
>>> scan = scan_sheet(Package(zipfile.ZipFile(buffer)), "s.xml", frozenset({1}))
>>> scan.rows, scan.columns, scan.merges, sorted(scan.percent)
(9, 27, ((5, 0, 9, 2),), [(3, 1)])
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Final

import attrs

from townplan.io.sheets.xlsx_parts import Package

__all__ = ["SheetScan", "column_index", "scan_sheet"]

_CHUNK: Final = 1 << 20
# A cell's reference may follow other attributes; a namespace prefix is allowed.
_CELL: Final = re.compile(rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,4})(\d{1,8})"')
_ANY_CELL: Final = re.compile(rb"<(?:\w+:)?c[\s/>]")
_ROW: Final = re.compile(rb'<(?:\w+:)?row\b[^>]*?\sr="(\d{1,8})"')
_ANY_ROW: Final = re.compile(rb"<(?:\w+:)?row[\s/>]")
_ERROR: Final = re.compile(
    rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,4})(\d{1,8})"[^>]*?\st="e"[^>]*>'
    rb"(?:<(?:\w+:)?f[^>]*/>|<(?:\w+:)?f[^>]*>[^<]*</(?:\w+:)?f>)?<(?:\w+:)?v>([^<]*)<"
)
_MERGE: Final = re.compile(
    rb'<(?:\w+:)?mergeCell\b[^>]*?\sref="([A-Z]{1,4})(\d{1,8}):([A-Z]{1,4})(\d{1,8})"'
)
_DIMENSION: Final = re.compile(
    rb'<(?:\w+:)?dimension\b[^>]*?\sref="(?:[A-Z]{1,4}\d{1,8}:)?([A-Z]{1,4})(\d{1,8})"'
)
#: A tag not written the usual way: a cell or row without a reference, or with one that
#: is not first or not well formed, or a prefixed one (``<x:c``) — a block holding one is
#: scanned reference by reference.
_UNUSUAL: Final = rb'<c(?! r="[A-Z]{1,4}\d{1,8}")|<row(?! r="\d{1,8}")|<\w+:(?:c|row)[\s/>]'


def column_index(letters: str | bytes) -> int:
    """The 0-based index of a column's letters.

    >>> column_index("A"), column_index(b"Z"), column_index("XFD")
    (0, 25, 16383)
    """
    text = letters.decode("ascii") if isinstance(letters, bytes) else letters
    number = 0
    for char in text:
        number = number * 26 + ord(char) - 64
    return number - 1


@attrs.frozen
class SheetScan:
    """How far a sheet reaches (``rows``, ``columns``: counts from A1, an upper bound when
    some cells carry no reference), its merged ranges (first row, first 0-based column,
    last row, last column) and the (row, 0-based column) of cells styled as percentages."""

    rows: int
    columns: int
    merges: tuple[tuple[int, int, int, int], ...]
    percent: frozenset[tuple[int, int]]
    errors: Mapping[tuple[int, int], str] = attrs.field(factory=dict)


def _above(number: str, digit: str) -> bytes:
    """A pattern for a string of ``number``'s length that sorts above it (each character
    drawn from ``digit``, a character class such as ``0-9`` or ``A-Z``)."""
    high = digit.rsplit("-", 1)[1]
    options = []
    for i, char in enumerate(number):
        if char < high:
            step = chr(ord(char) + 1)
            rest = len(number) - i - 1
            options.append(
                re.escape(number[:i])
                + f"[{step}-{high}]"
                + (f"[{digit}]{{{rest}}}" if rest else "")
            )
    return "|".join(options).encode("ascii")


def _beyond(last_column: bytes, last_row: bytes) -> re.Pattern[bytes]:
    """What finds a usual cell or row reaching past column ``last_column`` or row
    ``last_row``, or a tag that is not usual (see :data:`_UNUSUAL`)."""
    row = str(int(last_row))
    rows = rb"\d{%d,8}" % (len(row) + 1) + (
        b"|" + _above(row, "0-9") if _above(row, "0-9") else b""
    )
    letters = last_column.decode("ascii")
    wider = rb"[A-Z]{%d,4}" % (len(letters) + 1) if len(letters) < 4 else b"(?!)"
    columns = wider + (b"|" + _above(letters, "A-Z") if _above(letters, "A-Z") else b"")
    return re.compile(
        _UNUSUAL
        + rb'|<c r="(?:' + columns + rb')\d|<c r="[A-Z]{1,4}(?:' + rows + rb')"'
        + rb'|<row r="(?:' + rows + rb')"'
    )  # fmt: skip


def _claim(
    block: bytes, limits: tuple[int, int] | None
) -> tuple[int, int, re.Pattern[bytes]] | None:
    """The extent a ``<dimension>`` at the top of the sheet claims (rows, columns) and
    the pattern that finds what would break it; ``None`` without one, or when it is past
    ``limits`` (the most columns and cells)."""
    if limits is None:
        return None
    head = block[: block.find(b"<sheetData")] if b"<sheetData" in block else b""
    found = _DIMENSION.search(head)
    if found is None:
        return None
    rows, columns = int(found[2]), column_index(found[1]) + 1
    if columns > limits[0] or rows * columns > limits[1]:
        return None  # measured exactly, so a loose claim never refuses a small sheet
    return rows, columns, _beyond(found[1], found[2])


def scan_sheet(
    package: Package,
    part: str,
    percent_styles: frozenset[int],
    *,
    limits: tuple[int, int] | None = None,
) -> SheetScan:
    """Scan the sheet ``part`` of ``package`` (see the module docstring). A dimension
    within ``limits`` (the most columns, the most cells) is checked rather than measured;
    without ``limits`` every reference is read."""
    rows = columns = 0
    unnamed_cells = unnamed_rows = 0
    letters: set[bytes] = set()
    merges: list[tuple[int, int, int, int]] = []
    percent: set[tuple[int, int]] = set()
    errors: dict[tuple[int, int], str] = {}
    styled = (
        re.compile(
            rb'<(?:\w+:)?c\b[^>]*?\sr="([A-Z]{1,4})(\d{1,8})"[^>]*?\ss="('
            + b"|".join(str(s).encode() for s in sorted(percent_styles))
            + rb')"'
        )
        if percent_styles
        else None
    )
    carry = b""
    claim: tuple[int, int, re.Pattern[bytes]] | None = None
    for index, data in enumerate(package.chunks(part, _CHUNK)):
        block = carry + data
        cut = block.rfind(b">") + 1  # a tag is never split between two blocks
        block, carry = block[:cut], block[cut:]
        if index == 0:
            claim = _claim(block, limits)
        if b"mergeCell" in block:
            for first, top, last, bottom in _MERGE.findall(block):
                merges.append((int(top), column_index(first), int(bottom), column_index(last)))
        if b't="e"' in block:
            for c, r, text in _ERROR.findall(block):
                errors[(int(r), column_index(c))] = text.decode("utf-8", "replace") or "#N/A"
        if styled is not None:
            percent.update((int(r), column_index(c)) for c, r, _ in styled.findall(block))
        if claim is not None and not claim[2].search(block):
            rows, columns = max(rows, claim[0]), max(columns, claim[1])  # all within it
            continue
        found = _CELL.findall(block)
        letters.update(c for c, _ in found)
        unnamed_cells += len(_ANY_CELL.findall(block)) - len(found)
        numbers = _ROW.findall(block)
        if numbers:
            rows = max(rows, *(int(n) for n in numbers))
        if found:
            rows = max(rows, *(int(r) for _, r in found))
        unnamed_rows += len(_ANY_ROW.findall(block)) - len(numbers)
    if letters:
        columns = max(columns, max(column_index(c) for c in letters) + 1)
    reach_rows = max([rows + unnamed_rows, *(m[2] for m in merges)], default=0)
    reach_columns = max([columns + unnamed_cells, *(m[3] + 1 for m in merges)], default=0)
    return SheetScan(reach_rows, reach_columns, tuple(merges), frozenset(percent), errors)
