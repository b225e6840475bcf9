"""Reading single cells of a register or progress sheet into typed values.

Each reader returns the value, or records a located problem (sheet, row, column) in the
list it is given and returns ``None``, so one pass over a file finds every bad cell.

>>> parse_years("2012—2015年"), parse_years("2013"), parse_years("2013-"), parse_years("明年")
((2012, 2015), (2013, 2013), (2013, None), None)
>>> parse_day("2013/7/5"), parse_day("2013年7月5日"), parse_day("7月5日")
(datetime.date(2013, 7, 5), datetime.date(2013, 7, 5), None)
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from decimal import Decimal
from typing import Final, TypeVar

import attrs

from townplan.errors import FieldError, ValidationError
from townplan.io.sheets.headers import HeaderMap, is_money_unit
from townplan.io.sheets.table import (
    BLANK,
    Row,
    Table,
    cell_fen,
    plain_amount,
    unit_scale,
)
from townplan.model.enums import LabelledEnum
from townplan.model.money import Money

__all__ = [
    "FEN_LIMIT",
    "MoneyColumns",
    "RowMoney",
    "as_header_map",
    "bad_columns",
    "cell",
    "day",
    "in_sheet_order",
    "label",
    "parse_day",
    "parse_years",
    "year",
]

E = TypeVar("E", bound=LabelledEnum)

_YEARS: Final = re.compile(r"^(\d{4})?(?:\s*(?:-|~|—|–|至|到)\s*(\d{4})?)?$")
# a year's month ("2013.03", "2013-03", "2013 3 "), dropped so the years remain
_MONTHS: Final = re.compile(
    r"((?:19|20|21)\d{2})\s*[.\-]?\s*(?:0?[1-9]|1[0-2])(?!\d)(?=\s*(?:$|[-/~—–至到]))"
)
_DAY: Final = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME: Final = re.compile(r"(?<=^\d{4}-\d{2}-\d{2})[ T].*$")
_LIMIT: Final = Decimal(10) ** 15
#: The most fen an amount may hold, and one more (10¹⁵ 元).
FEN_LIMIT: Final = 10**17
_FEN: Final = Decimal("0.01")


def as_header_map(default: HeaderMap, headers: HeaderMap | Mapping[str, str] | None) -> HeaderMap:
    """``default``; or ``default`` with the user's own ``{header: field}`` on top; or the
    user's complete :class:`HeaderMap`.

    >>> from townplan.io.sheets.headers import REGISTER_HEADERS
    >>> as_header_map(REGISTER_HEADERS, {"工程名称": "name"}).resolve("工程名称")
    ('name', None)
    """
    if headers is None:
        return default
    if isinstance(headers, HeaderMap):
        return headers
    return default.merge(headers)


def cell(row: Row, field: str) -> str | None:
    """The text of ``row``'s ``field`` cell (the reader strips it); ``None`` when blank
    or absent."""
    return row.values.get(field) or None


def _normal(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def parse_years(text: str) -> tuple[int | None, int | None] | None:
    """Start and end year from "2012-2015", "2012—2015年", "2013" (one year), "2013-"
    (start only) or "-2015" (end only), with months too: "2013.03-2015.12",
    "2013-03/2015-12", "2013年3月—2015年12月"; ``None`` when the text is none of these.

    >>> parse_years("2013-03/2015-12"), parse_years("2013.03-2015.12"), parse_years("2013年")
    ((2013, 2015), (2013, 2015), (2013, 2013))
    >>> parse_years("2013年3月—2015年12月"), parse_years("2013—2015年"), parse_years("-2015")
    ((2013, 2015), (2013, 2015), (None, 2015))
    """
    body = _MONTHS.sub(r"\1", _normal(text).replace("年", " ").replace("月", " ").strip())
    body = body.replace("/", "-").replace(" ", "")
    found = _YEARS.match(body)
    if not found or not (found[1] or found[2]):
        return None
    start = int(found[1]) if found[1] else None
    end = int(found[2]) if found[2] else None
    if "-" not in body and not any(s in body for s in "~—–至到"):
        end = start
    return start, end


def parse_day(text: str) -> date | None:
    """A day from "2013-07-05", "2013/7/5", "2013.7.5" or "2013年7月5日"; else ``None``."""
    found = _DAY.match(_normal(_TIME.sub("", text.strip())))
    if not found:
        return None
    try:
        return date(int(found[1]), int(found[2]), int(found[3]))
    except ValueError:
        return None


def year(row: Row, field: str, problems: list[FieldError]) -> int | None:
    """A year cell ("2013", "2013年"); blank is ``None``."""
    text = cell(row, field)
    if text is None:
        return None
    body = _normal(text).removesuffix("年")
    if body.isdigit() and 1900 <= int(body) <= 2200:
        return int(body)
    problems.append(row.error(field, "a year from 1900 to 2200, e.g. 2013"))
    return None


def day(row: Row, field: str, problems: list[FieldError]) -> date | None:
    """A day cell ("2013-03-01", "2013/3/1", "2013年3月1日"); blank is ``None``."""
    text = cell(row, field)
    if text is None:
        return None
    found = parse_day(text)
    if found is None:
        problems.append(row.error(field, "a day such as 2013-03-01 or 2013年3月1日"))
    return found


def label(kind: type[E], row: Row, field: str, problems: list[FieldError]) -> E | None:
    """A member of ``kind`` from its Chinese label (基础设施, 续建 …), its value or its
    name, as :meth:`LabelledEnum.lookup` reads them ("产业类", "续建项目"). Blank is
    ``None``."""
    text = cell(row, field)
    if text is None:
        return None
    found = kind.lookup(text)
    if found is None:
        choices = "、".join(m.label_cn for m in kind)
        problems.append(row.error(field, f"one of {choices}"))
    return found


def in_sheet_order(problems: Iterable[FieldError]) -> list[FieldError]:
    """Problems top to bottom, left to right; those of the whole file first.

    >>> [(p.row, p.column) for p in in_sheet_order([FieldError(None, None, 1, "x", "s", 5, "AA"),
    ...     FieldError(None, None, 1, "x", "s", 5, "C"), FieldError(None, None, 1, "x", "s")])]
    [(None, None), (5, 'C'), (5, 'AA')]
    """
    return sorted(problems, key=lambda p: (p.row or 0, len(p.column or ""), p.column or ""))


def bad_columns(table: Table) -> frozenset[str]:
    """Fields whose column header has a problem (an unknown unit, a second column for
    the same field), and the columns whose unit is no money unit (a bad "单位" line or
    ``unit=`` is one problem, said once, for every column it gives its unit): their cells
    are not read one by one."""
    said = {p.field for p in table.problems if p.record is None and p.field}
    units = {f for f, c in table.columns.items() if c.unit and not is_money_unit(c.unit)}
    return frozenset(said | units)


@attrs.frozen
class RowMoney:
    """The amounts of one row: those ``given``, the ``blank`` fields, and the row's
    ``currency`` (blank cells are zero in it)."""

    given: Mapping[str, Money]
    blank: frozenset[str]
    currency: str

    def get(self, field: str) -> Money | None:
        """The amount of ``field``: given, zero when blank, ``None`` without a column
        (or when the cell was bad)."""
        if field in self.given:
            return self.given[field]
        if field in self.blank:
            return Money.zero(self.currency)
        return None


class MoneyColumns:
    """A table's money columns, each read with its unit (from the header, the title's
    "单位：万元" or the import's ``unit``).

    A blank cell is zero in the currency of the row's other amounts (so a USD project's
    blank cells stay USD), else in the ``currency`` given to :meth:`read`, else in its
    column's unit. The row's currency is the one most of its amounts are in; an amount in
    another is a problem. Only ``signed`` fields may be negative. ``skip`` fields are
    not read (their header is bad; see :func:`bad_columns`).
    """

    def __init__(
        self,
        table: Table,
        fields: Iterable[str],
        *,
        signed: Iterable[str] = (),
        skip: frozenset[str] = frozenset(),
    ) -> None:
        self.table = table
        self.fields = tuple(f for f in fields if f in table.columns and f not in skip)
        self.signed = frozenset(signed)
        self._scale = {f: unit_scale(table.columns[f].unit) for f in self.fields}
        currencies = {s[1] if s else None for s in self._scale.values()}
        self._currency = currencies.pop() if len(currencies) == 1 else None
        # each column read once for the table (the 合计 check reads the same lists)
        self._cells = tuple(
            (f, table.fen_column(f) if s and s[2] else None, s[1] if s else "")
            for f, s in self._scale.items()
        )

    @property
    def currency(self) -> str | None:
        """The currency of every column's unit, when they share one."""
        return self._currency

    def fens(self, field: str) -> Sequence[int] | None:
        """``field``'s :meth:`Table.fen_column`; ``None`` when its unit is no whole
        number of 元 (…) or its header is bad."""
        for name, fens, _ in self._cells:
            if name == field:
                return fens
        return None

    def read(
        self,
        row: Row,
        problems: list[FieldError],
        currency: str | None = None,
        at: int | None = None,
    ) -> RowMoney:
        """The amounts of ``row`` (the ``at``-th of the table's rows, when told: its
        bare numbers are read already); bad cells are added to ``problems``."""
        given: dict[str, Money] = {}
        blank: list[str] = []
        if at is not None and self.table.rows[at] is not row:
            raise ValueError(f"row {row.number} is not row {at} of the table")
        shortcut = True  # every amount read so far in its column's unit
        for field, fens, unit_currency in self._cells:
            if fens is not None and at is not None:
                fen = fens[at]
            else:
                scale = self._scale[field]
                fen = cell_fen(row.values.get(field), scale[2] if scale else None)
            if fen == BLANK:
                blank.append(field)
                continue
            if fen >= 0 and fen < FEN_LIMIT:
                # a bare number, ≥ 0 and whole in fen: the checks below hold already
                given[field] = Money.from_fen(fen, unit_currency)
                continue
            shortcut = False
            text = row.values.get(field) or ""
            money = self._amount(row, field, text, problems)
            if money is not None and _check(row, field, money, field in self.signed, problems):
                given[field] = money
        if shortcut and given and self._currency is not None:
            return RowMoney(given, frozenset(blank), self._currency)  # one currency
        currencies = [m.currency for m in given.values()]
        chosen = currencies[0] if currencies else currency
        if len(set(currencies)) > 1:
            chosen = Counter(currencies).most_common(1)[0][0]
        for field, money in given.items():
            if money.currency != chosen:
                expected = f"an amount in {chosen}, the currency of this row's other amounts"
                problems.append(row.error(field, expected))
        if chosen is None:
            units = [scale[1] for f in sorted(blank) if (scale := self._scale[f])]
            chosen = units[0] if units else "CNY"
        return RowMoney(given, frozenset(blank), chosen)

    def _amount(self, row: Row, field: str, text: str, problems: list[FieldError]) -> Money | None:
        scale = self._scale[field]
        amount = plain_amount(text, scale)
        if amount is not None and scale is not None:
            return Money(amount, scale[1])
        try:
            return self.table.money(row, field)
        except ValidationError as err:
            problems.extend(err.errors)
            return None


def _check(row: Row, field: str, money: Money, signed: bool, problems: list[FieldError]) -> bool:
    if money.is_negative() and not signed:
        problems.append(row.error(field, "an amount of zero or more"))
        return False
    if abs(money.amount) >= _LIMIT:
        problems.append(row.error(field, "an amount below 10¹⁵ 元"))
        return False
    if money.amount != money.amount.quantize(_FEN):
        problems.append(row.error(field, "an amount in whole 分 (at most two decimals of 元)"))
        return False
    return True
