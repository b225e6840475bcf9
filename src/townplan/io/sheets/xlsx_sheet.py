"""The cells of one worksheet of an .xlsx workbook, streamed, as the text an official reads.

A cell's text follows its type and style: numbers exact to Excel's 15 significant digits,
dates (by the style's number format) as ISO text, percentages as "85%", shared and inline
strings with their ``_xHHHH_`` escapes decoded, then stripped, formulas as their last
computed value. Each row's elements are dropped once it is read, so a sheet of 10⁵ rows
needs little more memory than its text.

>>> cell_text(1000.0), cell_text(1234.5), cell_text(0.1 + 0.2)
('1000', '1234.5', '0.3')
>>> cell_text(0.85, "0%"), cell_text(" 中心大道 "), cell_text("  ")
('85%', '中心大道', None)
>>> from_excel(41455, date1904=False), from_excel(0.5, date1904=False)
(datetime.datetime(2013, 6, 30, 0, 0), datetime.time(12, 0))
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Final
from xml.etree.ElementTree import Element, XMLPullParser

import attrs

from townplan.io.sheets.xlsx_formats import DATE, ELAPSED, NUMBER, PERCENT
from townplan.io.sheets.xlsx_parts import (
    Package,
    SheetPart,
    Workbook,
    XlsxRefused,
    decode_xstring,
    events_of,
    si_text,
)

__all__ = [
    "MAX_COLUMN",
    "MAX_ROW",
    "Merge",
    "SheetCells",
    "cell_text",
    "from_excel",
    "put",
    "read_sheet",
]

MAX_ROW: Final = 1_048_576
MAX_COLUMN: Final = 16_384
_EXCEL_DIGITS: Final = 15  # Excel keeps 15 significant digits; more is binary noise
_EPOCH: Final = datetime(1899, 12, 30)  # serial 1 is 1900-01-01, less the 1900 leap day
_EPOCH_1904: Final = datetime(1904, 1, 1)
_ISO: Final = re.compile(
    r"(?P<date>(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2}))?T?"
    r"(?P<time>(?P<hour>\d{2}):(?P<minute>\d{2})(:(?P<second>\d{2})(?P<fraction>\.\d{1,3})?)?)?Z?"
)
_REFERENCE: Final = re.compile(r"\$?([A-Za-z]{1,3})\$?(\d+)")


def _letters(index: int) -> str:
    text = ""
    while index:
        index, rest = divmod(index - 1, 26)
        text = chr(65 + rest) + text
    return text


_COLUMNS: Final = {_letters(i): i for i in range(1, MAX_COLUMN + 1)}

#: A merged range: first row, first 0-based column, last row, last 0-based column.
Merge = tuple[int, int, int, int]


@attrs.frozen
class SheetCells:
    """A worksheet's cells as text: by row number, the row's cells from column A (as far
    as its last non-blank one, ``None`` for blanks); and its merged ranges in the order
    the sheet lists them."""

    name: str
    rows: dict[int, list[str | None]]
    merges: tuple[Merge, ...]


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


def from_excel(
    serial: float, *, date1904: bool, elapsed: bool = False
) -> datetime | time | timedelta:
    """The moment an Excel date serial stands for: a time of day below 1, an elapsed
    time for ``elapsed`` formats ("[h]:mm"), else a datetime (to the millisecond).
    Serials below 60 count the 1900 leap day that never was, as Excel does."""
    if elapsed:
        span = timedelta(days=serial)
        if span.microseconds:
            milliseconds = round(span.microseconds, -3)
            span = timedelta(seconds=span.total_seconds() // 1, microseconds=milliseconds)
        return span
    day, fraction = divmod(serial, 1)
    moment = timedelta(milliseconds=round(fraction * 86_400_000))
    if 0 <= serial < 1 and moment.days == 0:
        minutes, seconds = divmod(moment.seconds, 60)
        return time(minutes // 60, minutes % 60, seconds, moment.microseconds)
    if 0 < serial < 60 and not date1904:
        day += 1
    return (_EPOCH_1904 if date1904 else _EPOCH) + timedelta(days=day) + moment


def _from_iso(text: str) -> date | datetime | time:
    """A cell of type "d" (an ISO 8601 date, time or both)."""
    found = _ISO.fullmatch(text)
    if not found or not (found["date"] or found["time"]):
        raise ValueError(f"not an ISO 8601 date: {text!r}")
    hour, minute, second = (int(found[part] or 0) for part in ("hour", "minute", "second"))
    clock = time(hour, minute, second, round(float(found["fraction"] or 0) * 1_000_000))
    if not found["date"]:
        return clock
    day = date(int(found["year"]), int(found["month"]), int(found["day"]))
    return datetime.combine(day, clock) if found["time"] else day


def _coordinate(reference: str) -> tuple[int, int]:
    """The (row, 1-based column) of a cell reference such as "AB12" or "$a$3"."""
    letters = reference.rstrip("0123456789")
    column = _COLUMNS.get(letters)
    if column is None:
        found = _REFERENCE.fullmatch(reference)
        column = _COLUMNS.get(found[1].upper()) if found else None
        letters = reference[: found.start(2)] if found else letters
    row = int(reference[len(letters) :] or 0)
    if column is None or not 0 < row <= MAX_ROW:
        raise XlsxRefused(f"it names a cell {reference!r} outside a sheet")
    return row, column


def _merge(reference: str) -> Merge:
    first, _, last = reference.partition(":")
    (top, left), (bottom, right) = _coordinate(first), _coordinate(last or first)
    return min(top, bottom), min(left, right) - 1, max(top, bottom), max(left, right) - 1


def _number(text: str, kind: int, date1904: bool) -> str | None:
    """The text of a number cell (``<v>`` of type "n") shown with a style of ``kind``."""
    exact = "." not in text and "e" not in text and "E" not in text
    if kind in (DATE, ELAPSED):
        serial = int(text) if exact else float(text)
        try:
            return cell_text(from_excel(serial, date1904=date1904, elapsed=kind == ELAPSED))
        except (OverflowError, ValueError):
            return "#VALUE!"  # as Excel shows a serial beyond its calendar
    if exact:
        whole = int(text)
        return f"{whole * 100}%" if kind == PERCENT else str(whole)
    return cell_text(float(text), "0%" if kind == PERCENT else "General")


def read_sheet(
    package: Package, book: Workbook, sheet: SheetPart, strings: Sequence[str],
    kinds: Sequence[int],
) -> SheetCells:  # fmt: skip
    """The cells of ``sheet``, read with the workbook's shared ``strings`` and the
    ``kinds`` of its cell styles (see :meth:`Package.style_kinds`)."""
    reader = _Rows(book, strings, kinds)
    merge_tag, row_tag = book.namespace + "mergeCell", book.namespace + "row"
    merges: list[Merge] = []
    parser: XMLPullParser[Element] = XMLPullParser(("end",))
    for data in itertools.chain(package.chunks(sheet.part), [b""]):  # b"": the end
        if data:
            parser.feed(data)
        else:
            parser.close()
        for _, element in events_of(parser):
            if element.tag == row_tag:
                reader.read(element)
                element.clear()
            elif element.tag == merge_tag:
                merges.append(_merge(element.get("ref", "")))
    return SheetCells(sheet.name, reader.rows, tuple(merges))


class _Rows:
    """The rows of a sheet read so far, and how to read the next one."""

    def __init__(self, book: Workbook, strings: Sequence[str], kinds: Sequence[int]) -> None:
        self.rows: dict[int, list[str | None]] = {}
        self.number = 0
        self.strings = [text.strip() or None for text in strings]
        self.kinds = {str(i): kind for i, kind in enumerate(kinds)}
        self.default = kinds[0] if kinds else NUMBER
        self.date1904 = book.date1904
        self.v, self.inline, self.t = (book.namespace + t for t in ("v", "is", "t"))

    def read(self, element: Element) -> None:
        """Read a ``<row>``: each ``<c>`` at its reference, or after the one before."""
        number = element.get("r")
        self.number = int(float(number)) if number else self.number + 1
        if not 0 < self.number <= MAX_ROW:
            raise XlsxRefused(f"it has a row {self.number} outside a sheet")
        own = number or str(self.number)
        line = self.rows.setdefault(self.number, [])
        index = -1
        for cell in element:
            reference = cell.get("r")
            row = self.number
            if reference is None:
                index += 1
                if index >= MAX_COLUMN:
                    raise XlsxRefused(f"row {row} runs past the last column")
            else:
                letters = reference.rstrip("0123456789")
                column = _COLUMNS.get(letters)
                if column is None or reference[len(letters) :] != own:
                    row, column = _coordinate(reference)
                index = column - 1
            text = self._text(cell)
            target = line if row == self.number else self.rows.setdefault(row, [])
            if text is not None and index == len(target):
                target.append(text)
            else:
                put(target, index, text)

    def _text(self, cell: Element) -> str | None:
        kind = cell.get("t")
        if kind == "inlineStr":
            node = cell.find(self.inline)
            if node is None:
                return None
            if len(node) == 1 and node[0].tag == self.t:
                return decode_xstring(node[0].text or "").strip() or None
            return si_text(node).strip() or None
        text = cell.findtext(self.v)
        if not text:
            return None
        if kind is None or kind == "n":
            style = cell.get("s")
            shown = self.kinds.get(style, NUMBER) if style else self.default
            if shown == NUMBER and "." not in text and "e" not in text and "E" not in text:
                return str(int(text))
            return _number(text, shown, self.date1904)
        if kind == "s":
            return self.strings[int(text)]
        if kind == "b":
            return "TRUE" if int(text) else "FALSE"
        if kind == "d":
            return cell_text(_from_iso(text))
        return text.strip() or None  # "str" (a formula's text), "e" (an error: #N/A …)


def put(line: list[str | None], index: int, text: str | None) -> None:
    """Set the cell at ``index`` of a row's cells (``None`` blanks it), growing the row."""
    if index < len(line):
        line[index] = text
    elif text is not None:
        line.extend([None] * (index - len(line)))
        line.append(text)
