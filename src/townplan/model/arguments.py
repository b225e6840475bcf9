"""Checks for the arguments of public calls (a day, a year, a count), so that a wrong
type or an impossible value is refused at the call with a ValidationError naming the
argument — never a built-in exception later, deep inside a read.

A day is a :class:`datetime.date`; a ``datetime`` (which would compare with dates
wrongly) and ISO text are refused alike everywhere, with the text to write instead.

>>> day_argument(date(2013, 6, 30), record="as_of", field="day")
datetime.date(2013, 6, 30)
>>> day_argument("2013-06-30", record="as_of", field="day")
Traceback (most recent call last):
...
townplan.errors.ValidationError: as_of.day: got '2013-06-30' — expected a datetime.date, e.g. ...
>>> year_argument(10**6, record="assessment", field="year")
Traceback (most recent call last):
...
townplan.errors.ValidationError: assessment.year: got 1000000 — expected a year from 1900 to 2999
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final

from townplan.errors import ValidationError

__all__ = [
    "INT64_MAX",
    "code_argument",
    "count_argument",
    "day_argument",
    "optional_day",
    "year_argument",
]

#: The largest integer SQLite stores.
INT64_MAX: Final = 2**63 - 1
#: The years a ledger speaks of (plan years, assessments).
YEARS: Final = range(1900, 3000)


def day_argument(value: object, *, record: str, field: str) -> date:
    """``value`` when it is a date (not a datetime); ValidationError otherwise."""
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError.single(
            record=record, field=field, value=value,
            expected="a datetime.date, e.g. date(2013, 6, 30)",
        )  # fmt: skip
    return value


def code_argument(value: object, *, record: str, field: str) -> str:
    """``value`` when it is text (a code to look up); ValidationError otherwise."""
    if not isinstance(value, str):
        raise ValidationError.single(
            record=record, field=field, value=value, expected="a code (text), e.g. 'P001'"
        )
    return value


def optional_day(value: object, *, record: str, field: str) -> date | None:
    """None, or a day as :func:`day_argument` checks it."""
    return None if value is None else day_argument(value, record=record, field=field)


def year_argument(value: object, *, record: str, field: str) -> int:
    """``value`` when it is a whole year from 1900 to 2999; ValidationError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or value not in YEARS:
        raise ValidationError.single(
            record=record, field=field, value=value,
            expected=f"a year from {YEARS.start} to {YEARS.stop - 1}",
        )  # fmt: skip
    return value


def count_argument(value: object, *, record: str, field: str) -> int:
    """``value`` when it is a whole number from 0 to 2⁶³ − 1; ValidationError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= INT64_MAX:
        raise ValidationError.single(
            record=record, field=field, value=value, expected="a whole number from 0 to 2⁶³ − 1"
        )
    return value
