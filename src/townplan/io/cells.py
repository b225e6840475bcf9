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
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Final, TypeVar

from townplan.errors import FieldError, ValidationError
from townplan.io.headers import HeaderMap
from townplan.io.sheets import Row, Table
from townplan.model.enums import LabelledEnum
from townplan.model.money import Money

__all__ = [
    "RowMoney",
    "as_header_map",
    "cell",
    "label",
    "parse_day",
    "parse_years",
    "year",
]

E = TypeVar("E", bound=LabelledEnum)

_YEARS: Final = re.compile(r"^(\d{4})?(?:\s*(?:-|~|—|–|至|到)\s*(\d{4})?)?$")
_DAY: Final = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
_TIME: Final = re.compile(r"(?<=^\d{4}-\d{2}-\d{2})[ T].*$")
_LIMIT: Final = Decimal(10) ** 15
_FEN: Final = Decimal("0.01")


def as_header_map(default: HeaderMap, headers: HeaderMap | Mapping[str, str] | None) -> HeaderMap:
    """``default``; or ``default`` with the user's own ``{header: field}`` on top; or the
    user's complete :class:`HeaderMap`.

    >>> from townplan.io.headers import REGISTER_HEADERS
    >>> as_header_map(REGISTER_HEADERS, {"工程名称": "name"}).resolve("工程名称")
    ('name', None)
    """
    if headers is None:
        return default
    if isinstance(headers, HeaderMap):
        return headers
    return default.merge(headers)


def cell(row: Row, field: str) -> str | None:
    """The stripped text of ``row``'s ``field`` cell; ``None`` when blank or absent."""
    text = row.values.get(field)
    if text is None:
        return None
    return text.strip() or None


def _normal(text: str) -> str:
    return "".join(unicodedata.normalize("NFKC", text).split())


def parse_years(text: str) -> tuple[int | None, int | None] | None:
    """Start and end year from "2012-2015", "2012—2015年", "2013" (one year), "2013-"
    (start only) or "-2015" (end only); ``None`` when the text is none of these."""
    body = _normal(text).replace("年", "")
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


def label(kind: type[E], row: Row, field: str, problems: list[FieldError]) -> E | None:
    """A member of ``kind`` from its Chinese label (基础设施, 续建 …), its value or its
    name; "产业类" and "续建项目" are read too. Blank is ``None``."""
    text = cell(row, field)
    if text is None:
        return None
    body = _normal(text)
    for candidate in (body, body.removesuffix("项目"), body.removesuffix("类")):
        try:
            return kind.parse(candidate)
        except ValidationError:
            continue
    choices = "、".join(m.label_cn for m in kind)
    problems.append(row.error(field, f"one of {choices}"))
    return None


class RowMoney:
    """The money cells of one row, read with their columns' units.

    A blank cell is zero in the currency of the row's other amounts (so a USD project's
    blank cells stay USD), else in ``currency``, else in its column's unit. Only the
    ``signed`` fields may be negative.
    """

    def __init__(
        self,
        table: Table,
        row: Row,
        fields: Iterable[str],
        problems: list[FieldError],
        *,
        signed: Iterable[str] = (),
        currency: str | None = None,
    ) -> None:
        self.given: dict[str, Money] = {}
        may_be_negative = frozenset(signed)
        self.blank: set[str] = set()
        present = [f for f in fields if f in table.columns]
        for field in present:
            if cell(row, field) is None:
                self.blank.add(field)
                continue
            try:
                money = table.money(row, field)
            except ValidationError as err:
                problems.extend(err.errors)
                continue
            if _check(row, field, money, field in may_be_negative, problems):
                self.given[field] = money
        found = [m.currency for m in self.given.values()]
        self.currency = found[0] if found else currency
        for field, money in self.given.items():
            if money.currency != self.currency:
                expected = f"an amount in {self.currency}, the currency of this row's other amounts"
                problems.append(row.error(field, expected))
        if self.currency is None:
            units = [table.money(row, f).currency for f in sorted(self.blank)]
            self.currency = units[0] if units else "CNY"
        self.fields = frozenset(present)

    def get(self, field: str) -> Money | None:
        """The amount of ``field``: given, zero when blank, ``None`` without a column
        (or when the cell was bad)."""
        if field in self.given:
            return self.given[field]
        if field in self.blank:
            return Money.zero(self.currency or "CNY")
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
