"""Bounding an .xlsx sheet before it is read: its extent, its merges, its percent cells.

python-calamine builds a sheet as one dense block of rows × columns, so a 300 kB file
with one cell in column XFD of row 60,000 would ask for 30 GB. :func:`scan_sheet`
streams the sheet's XML once (a few regular expressions over unpacked chunks, no XML
tree) and finds the last row and column any cell or merged range reaches, so the reader
can refuse such a sheet in a second and in a few megabytes. The same pass notes the
cells whose style shows a percentage ("0%"), which calamine returns as bare fractions.

Most writers (Excel, LibreOffice, WPS, xlsxwriter, openpyxl) say the sheet's extent in a
``<dimension ref="A1:S20003"/>`` and write every cell as ``<c r="B7" …>``. Such a claim
is checked, not trusted: a block whose tags are all written that way is searched (for
cells, rows and prefixed tags: three searches of one literal each) for a cell or row
beyond the claim; only a block that holds one (or anything written otherwise) is read
reference by reference. A claim past the limits is measured exactly.

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
#: A tag not written the usual way — a cell or row without a reference, or with one that
#: is not first or not well formed, or a prefixed one (``<x:c``) — or one past the claim
#: sends its block to be read reference by reference. Each pattern that finds them starts
#: with a literal and asks one question (``<c`` not followed by a reference within the
#: claim), which the regular expression engine answers several times faster than one
#: pattern of many alternatives. Any prefixed cell or row tag holds this (other text may
#: too: its block is then read reference by reference, slower but never wrong).
_PREFIXED: Final = re.compile(rb":(?:c|row)[\s/>]")


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


def _at_most(number: str, digit: str) -> bytes:
    """A pattern for a string of at most ``number``'s length that sorts (as a number of
    its length does) at or below it, each character drawn from ``digit`` (a character
    class such as ``0-9`` or ``A-Z``).

    >>> pattern = re.compile(_at_most("20003", "0-9") + b"$")
    >>> [bool(pattern.match(n)) for n in (b"20003", b"19999", b"999", b"20004", b"100000")]
    [True, True, True, False, False]
    """
    low = digit.split("-", 1)[0]
    options = [re.escape(number).encode("ascii")]
    for i, char in enumerate(number):
        if char > low:
            rest = len(number) - i - 1
            options.append(
                re.escape(number[:i]).encode("ascii")
                + f"[{low}-{chr(ord(char) - 1)}]".encode("ascii")
                + (f"[{digit}]{{{rest}}}".encode("ascii") if rest else b"")
            )
    if len(number) > 1:
        options.append(f"[{digit}]{{1,{len(number) - 1}}}".encode("ascii"))
    return b"(?:" + b"|".join(options) + b")"


def _beyond(last_column: bytes, last_row: bytes) -> tuple[re.Pattern[bytes], ...]:
    """What finds a cell or row that is not usual (see :data:`_PREFIXED`) or that
    reaches past column ``last_column`` or row ``last_row``: one pattern for cells (any
    ``<c`` not followed by a reference within the claim), one for rows, one for prefixed
    tags."""
    rows = _at_most(str(int(last_row)), "0-9")
    columns = _at_most(last_column.decode("ascii"), "A-Z")
    cells = re.compile(rb'<c(?! r="' + columns + rows + rb'")')
    row_tags = re.compile(rb'<row(?! r="' + rows + rb'")')
    return cells, row_tags, _PREFIXED


def _claim(
    block: bytes, limits: tuple[int, int] | None
) -> tuple[int, int, tuple[re.Pattern[bytes], ...]] | None:
    """The extent a ``<dimension>`` at the top of the sheet claims (rows, columns) and
    the patterns that find what would break it; ``None`` without one, or when it is past
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


def _within(block: bytes, index: int, patterns: tuple[re.Pattern[bytes], ...]) -> bool:
    """Whether ``block`` (the ``index``-th) holds only usual tags within the claim: the
    first block from its ``<sheetData`` on, when nothing above it is a cell or row."""
    if index == 0:
        start = block.find(b"<sheetData")
        head = block[:start] if start > 0 else b""
        if _ANY_CELL.search(head) or _ANY_ROW.search(head):
            return False
        block = block[start:] if start > 0 else block
    return not any(pattern.search(block) for pattern in patterns)


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
    claim: tuple[int, int, tuple[re.Pattern[bytes], ...]] | None = None
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
        if claim is not None and _within(block, index, claim[2]):
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
