"""Wide progress sheets (重点项目建设进度表): one pair of columns per month.

Many offices keep one sheet a year with a row per project and, for each month, a pair of
columns — "1月形象进度" | "1月实际完成投资", … up to "12月…" (or a merged "1月" over
形象进度 | 实际完成投资). :func:`~townplan.io.import_progress` reads such a sheet as one
report per project and month: the month's amount is the report's ``completed``, its
形象进度 the report's ``note``. The columns are the fields ``completed_01`` …
``completed_12`` and ``note_01`` … ``note_12``; a town maps its own headers to them
(``headers={"一月完成": "completed_01"}``).

>>> from townplan.io.sheets.headers import PROGRESS_HEADERS
>>> headers = PROGRESS_HEADERS.merge(MONTH_HEADERS, money_fields=MONTH_MONEY)
>>> headers.resolve("3月实际完成投资（万元）"), headers.resolve("12月份形象进度")
(('completed_03', '万元'), ('note_12', None))
>>> headers.resolve("1月/实际完成投资"), month_of("note_11"), month_of("completed")
(('completed_01', None), ('note', 11), None)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Final

from townplan.errors import FieldError
from townplan.io.sheets.table import Table, title_texts
from townplan.model.period import Period

__all__ = [
    "MONTH_HEADERS",
    "MONTH_MONEY",
    "MONTH_REQUIRED",
    "month_field",
    "month_of",
    "months",
    "unread_month",
    "wide_plan",
]

#: The words after "N月" that head a month's amount, and its progress note.
COMPLETED_WORDS: Final = ("实际完成投资", "完成投资", "实际完成", "完成")
NOTE_WORDS: Final = ("形象进度", "工程形象进度", "形象进度情况")
_FIELD: Final = re.compile(r"^(completed|note)_(0[1-9]|1[0-2])$")
_TITLE_YEAR: Final = re.compile(r"((?:19|20|21)\d{2})\s*年")
_SHEET_YEAR: Final = re.compile(r"(?<!\d)((?:19|20|21)\d{2})(?!\d)")


def month_field(kind: str, month: int) -> str:
    """The field of ``kind`` ("completed" or "note") for ``month`` (1–12).

    >>> month_field("completed", 3)
    'completed_03'
    """
    return f"{kind}_{month:02d}"


def month_of(field: str) -> tuple[str, int] | None:
    """The kind and month of a month field; ``None`` for any other field."""
    found = _FIELD.match(field)
    return (found[1], int(found[2])) if found else None


def months(fields: Iterable[str]) -> tuple[int, ...]:
    """The months that ``fields`` hold a column for, in order.

    >>> months(["name", "note_02", "completed_01", "completed_02"])
    (1, 2)
    """
    return tuple(sorted({m[1] for f in fields if (m := month_of(f))}))


def _headers() -> Mapping[str, str]:
    found: dict[str, str] = {}
    for month in range(1, 13):
        prefixes = {f"{month}月", f"{month}月份", f"{month:02d}月", f"{month:02d}月份"}
        for prefix in sorted(prefixes):
            for kind, words in (("completed", COMPLETED_WORDS), ("note", NOTE_WORDS)):
                for word in words:
                    found[prefix + word] = found[f"{prefix}/{word}"] = month_field(kind, month)
    return MappingProxyType(found)


#: Month headers → month fields: "1月实际完成投资", "1月份完成投资", "01月形象进度",
#: "1月/实际完成投资" (a merged "1月" over its pair) …
MONTH_HEADERS: Final[Mapping[str, str]] = _headers()
#: The month fields that hold money.
MONTH_MONEY: Final = frozenset(month_field("completed", m) for m in range(1, 13))
#: What a wide sheet's header must name: the amount column of at least one month.
MONTH_REQUIRED: Final = tuple(frozenset({month_field("completed", m)}) for m in range(1, 13))


def wide_plan(
    table: Table,
    found: tuple[int, ...],
    month: Period | None,
    year: int | None,
    problems: list[FieldError],
) -> tuple[tuple[int, ...], Period | None, int | None]:
    """For a wide ``table`` whose header has the months ``found``: the months to read,
    the one month the import is limited to (``month``, from ``period=``) and the year
    (``year``, else the title's, else the sheet name's). Problems go to ``problems``."""
    header = table.header_row
    titled = _title_year(table)
    if titled is not None:  # a year given that the title contradicts: never silently
        if year is not None and year != titled:
            expected = f"the year the title names ({titled}), or no year="
            problems.append(FieldError(None, "year", year, expected, table.sheet))
        elif year is None and month is not None and month.start.year != titled:
            expected = f"the year the title names ({titled}), or no period="
            problems.append(FieldError(None, "period", str(month), expected, table.sheet))
    for field, what in (("completed", "本月完成"), ("period", "月份")):
        column = table.columns.get(field)
        if column is not None:
            expected = f"either a {what} column or a pair of columns per month, not both"
            problems.append(FieldError(None, field, column.header_text, expected, table.sheet,
                                       header, column.letter))  # fmt: skip
    if month is not None:
        if year is not None and year != month.start.year:
            expected = f"the year of period= ({month})"
            problems.append(FieldError(None, "year", year, expected, table.sheet))
        if month.start.month not in found:
            listed = "、".join(f"{m}月" for m in found)
            expected = f"a month the sheet has columns for ({listed})"
            problems.append(FieldError(None, "period", str(month), expected, table.sheet, header))
        return (month.start.month,), month, month.start.year
    if year is None:
        year = titled
        if year is None:
            expected = "a year in the title (2013年…) or year= for the import"
            problems.append(FieldError(None, "year", None, expected, table.sheet))
    elif not 1900 <= year <= 2200:
        problems.append(FieldError(None, "year", year, "a year from 1900 to 2200", table.sheet))
    return found, None, year


def unread_month(field: str, read: tuple[int, ...]) -> bool:
    """Whether ``field`` is a month column an import limited to the months ``read``
    leaves out (``read`` is empty for a sheet that is not wide).

    >>> unread_month("completed_05", (6,)), unread_month("note_06", (6,))
    (True, False)
    """
    found = month_of(field)
    return bool(read) and found is not None and found[1] not in read


def _title_year(table: Table) -> int | None:
    """The year named above the header ("2013年重点项目建设进度表") or by the sheet."""
    for text in title_texts(table):
        found = _TITLE_YEAR.search(text)
        if found:
            return int(found[1])
    found = _SHEET_YEAR.search(unicodedata.normalize("NFKC", table.sheet))
    return int(found[1]) if found else None
