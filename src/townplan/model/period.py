"""Periods (month, quarter, half, year) and deadlines as officials write them.

A deadline in a work report is a period end, not a day somebody typed: "6月底前" is
30 June, "上半年" is 30 June, "年底前" is 31 December.

>>> Period.parse("2013-06").end
datetime.date(2013, 6, 30)
>>> str(Period.parse("2013年第二季度"))
'2013-Q2'
>>> Deadline.parse("6月底前", year=2013).due
datetime.date(2013, 6, 30)
>>> d = Deadline.parse("力争2014年上半年")
>>> d.due, d.aspirational
(datetime.date(2014, 6, 30), True)
>>> r = Deadline.parse("用2-3年时间", year=2013)
>>> r.due, r.latest
(datetime.date(2014, 12, 31), datetime.date(2015, 12, 31))
"""

from __future__ import annotations

import calendar
import enum
import functools
import re
import unicodedata
from collections.abc import Iterator
from datetime import date
from typing import Final, Self

import attrs

from townplan.errors import ValidationError
from townplan.model.fields import meta

__all__ = ["Deadline", "Period", "PeriodKind"]


class PeriodKind(enum.StrEnum):
    """How long a period is."""

    MONTH = "month"
    QUARTER = "quarter"
    HALF = "half"
    YEAR = "year"

    @property
    def months(self) -> int:
        """Months in one period of this kind."""
        return {"month": 1, "quarter": 3, "half": 6, "year": 12}[self.value]


_CN_DIGITS: Final[dict[str, int]] = {
    "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
    "七": 7, "八": 8, "九": 9, "十": 10, "十一": 11, "十二": 12,
}  # fmt: skip
_ISO_FORMS: Final = (
    (re.compile(r"^(\d{4})-(\d{1,2})$"), PeriodKind.MONTH),
    (re.compile(r"^(\d{4})-?Q([1-4])$", re.I), PeriodKind.QUARTER),
    (re.compile(r"^(\d{4})-?H([12])$", re.I), PeriodKind.HALF),
    (re.compile(r"^(\d{4})$"), PeriodKind.YEAR),
)


def _number(text: str) -> int:
    return int(text) if text.isdigit() else _CN_DIGITS[text]


def _normalise(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().replace(" ", "").replace("～", "~")


def _to_kind(value: PeriodKind | str) -> PeriodKind:
    try:
        return PeriodKind(value)
    except ValueError:
        raise ValidationError.single(
            record="Period",
            field="kind",
            value=value,
            expected=f"one of {', '.join(k.value for k in PeriodKind)}",
        ) from None


@functools.total_ordering
@attrs.frozen(order=False)
class Period:
    """A calendar month, quarter, half or year.

    Ordering is by start date, then length.

    >>> p = Period.month(2013, 12)
    >>> p.next(), p.contains(date(2013, 12, 5))
    (Period(year=2014, kind=<PeriodKind.MONTH: 'month'>, index=1), True)
    """

    year: int = attrs.field()
    kind: PeriodKind = attrs.field(converter=_to_kind)
    index: int = attrs.field(default=1)

    @year.validator
    def _check_year(self, attribute: attrs.Attribute[int], value: int) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
            raise ValidationError.single(
                record="Period", field="year", value=value, expected="a year from 1900 to 2200"
            )

    @index.validator
    def _check_index(self, attribute: attrs.Attribute[int], value: int) -> None:
        count = 12 // self.kind.months
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= count:
            raise ValidationError.single(
                record="Period",
                field="index",
                value=value,
                expected=f"1 to {count} for a {self.kind.value}",
            )

    def _key(self) -> tuple[date, int]:
        return self.start, self.kind.months

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Period):
            return NotImplemented
        return self._key() < other._key()

    @classmethod
    def month(cls, year: int, month: int) -> Self:
        """The month ``year-month``."""
        return cls(year, PeriodKind.MONTH, month)

    @classmethod
    def of(cls, day: date, kind: PeriodKind | str = PeriodKind.MONTH) -> Self:
        """The period of ``kind`` that holds ``day``."""
        kind = PeriodKind(kind)
        return cls(day.year, kind, (day.month - 1) // kind.months + 1)

    @classmethod
    def parse(cls, text: str | Period) -> Period:
        """Read "2013-06", "2013-Q2", "2013-H1", "2013", "2013年6月", "2013年上半年",
        "2013年第二季度" or "2013年".

        >>> Period.parse("2013年上半年")
        Period(year=2013, kind=<PeriodKind.HALF: 'half'>, index=1)
        """
        if isinstance(text, Period):
            return text
        if not isinstance(text, str):
            raise ValidationError.single(
                record="Period", field="period", value=text, expected="text such as '2013-06'"
            )
        body = _normalise(text)
        for pattern, kind in _ISO_FORMS:
            match = pattern.match(body)
            if match:
                index = int(match.group(2)) if kind is not PeriodKind.YEAR else 1
                return cls._checked(text, int(match.group(1)), kind, index)
        match = re.match(r"^(\d{4})年(?:(\d{1,2})月份?|(上|下)半年|第?([一二三四1-4])季度)?$", body)
        if not match:
            raise ValidationError.single(
                record="Period",
                field="period",
                value=text,
                expected="a period such as '2013-06', '2013-Q2', '2013-H1', '2013' or '2013年6月'",
            )
        year = int(match.group(1))
        if match.group(2):
            return cls._checked(text, year, PeriodKind.MONTH, int(match.group(2)))
        if match.group(3):
            return cls._checked(text, year, PeriodKind.HALF, 1 if match.group(3) == "上" else 2)
        if match.group(4):
            return cls._checked(text, year, PeriodKind.QUARTER, _number(match.group(4)))
        return cls(year, PeriodKind.YEAR, 1)

    @classmethod
    def _checked(cls, text: str, year: int, kind: PeriodKind, index: int) -> Period:
        try:
            return cls(year, kind, index)
        except ValidationError:
            raise ValidationError.single(
                record="Period", field="period", value=text, expected=f"a valid {kind.value}"
            ) from None

    @property
    def start(self) -> date:
        """First day."""
        return date(self.year, (self.index - 1) * self.kind.months + 1, 1)

    @property
    def end(self) -> date:
        """Last day."""
        last_month = self.index * self.kind.months
        return date(self.year, last_month, calendar.monthrange(self.year, last_month)[1])

    def contains(self, day: date) -> bool:
        """True when ``day`` falls in this period."""
        return self.start <= day <= self.end

    def next(self) -> Period:
        """The period of the same kind that follows."""
        count = 12 // self.kind.months
        if self.index == count:
            return Period(self.year + 1, self.kind, 1)
        return Period(self.year, self.kind, self.index + 1)

    def previous(self) -> Period:
        """The period of the same kind before this one."""
        if self.index == 1:
            return Period(self.year - 1, self.kind, 12 // self.kind.months)
        return Period(self.year, self.kind, self.index - 1)

    def months(self) -> Iterator[Period]:
        """The months this period spans, in order."""
        first = (self.index - 1) * self.kind.months + 1
        for month in range(first, first + self.kind.months):
            yield Period(self.year, PeriodKind.MONTH, month)

    def __str__(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return f"{self.year}-{self.index:02d}"
        if self.kind is PeriodKind.QUARTER:
            return f"{self.year}-Q{self.index}"
        if self.kind is PeriodKind.HALF:
            return f"{self.year}-H{self.index}"
        return f"{self.year}"


# Each form: pattern, and a function (match, year) -> (due period, latest period).
_YEAR_END = r"(?:今年|本年|年内|全年|当年)?(?:年底|年末)?|(?:今年|本年|当年)(?:底|末)"
_MONTH = re.compile(
    r"(?:今年|本年)?(\d{1,2}|十[一二]?|[一二三四五六七八九])月(?:份)?(底|末|中旬|上旬|(\d{1,2})日)?"
)
_CN_NUMBER = r"(\d+|[一二两三四五六七八九十])"
_YEARS = re.compile(
    rf"(?:用|花|通过)?{_CN_NUMBER}(?:[-~到至]{_CN_NUMBER})?年(?:时间|左右)?(?:的专项行动)?"
)


@attrs.frozen
class Deadline:
    """A deadline as written, with the last day it allows.

    ``due`` is the end of the period the text names; ``latest`` differs only for a
    range ("用2-3年时间": due at the end of the second year, latest at the end of the
    third). ``aspirational`` marks "力争…" (strive for) deadlines.
    """

    text: str = attrs.field(
        metadata=meta(
            label_cn="时限（原文）", label_en="deadline as written", column="deadline_text"
        )
    )
    due: date = attrs.field(metadata=meta(label_cn="完成时限", label_en="due day"))
    latest: date = attrs.field(metadata=meta(label_cn="最迟", label_en="latest day"))
    aspirational: bool = attrs.field(
        default=False, metadata=meta(label_cn="力争", label_en="aspirational (1) or firm (0)")
    )

    @text.validator
    def _check_text(self, attribute: attrs.Attribute[str], value: str) -> None:
        from townplan.model.checks import is_clean_text

        if not isinstance(value, str) or not value.strip() or not is_clean_text(value):
            raise ValidationError.single(
                record="Deadline", field="text", value=value,
                expected="the deadline as written: non-empty text without control characters",
            )  # fmt: skip

    @due.validator
    def _check_due(self, attribute: attrs.Attribute[date], value: date) -> None:
        if not isinstance(value, date):
            raise ValidationError.single(
                record="Deadline", field="due", value=value, expected="a datetime.date"
            )

    @latest.default
    def _latest_default(self) -> date:
        return self.due

    @latest.validator
    def _check_latest(self, attribute: attrs.Attribute[date], value: date) -> None:
        if not isinstance(value, date):
            raise ValidationError.single(
                record="Deadline", field="latest", value=value, expected="a datetime.date"
            )
        if value < self.due:
            raise ValidationError.single(
                record="Deadline",
                field="latest",
                value=value,
                expected=f"a day on or after due ({self.due})",
            )

    @classmethod
    def on(cls, day: date, *, aspirational: bool = False) -> Deadline:
        """A deadline on an exact day."""
        return cls(day.isoformat(), day, day, aspirational)

    @classmethod
    def parse(cls, text: str, year: int | None = None) -> Deadline:
        """Read a deadline as written; ``year`` is the year the text speaks from.

        Understood: "6月底前", "6月底", "6月30日前", "上半年", "下半年", "一季度",
        "年底前", "今年", "年内", "用2-3年时间", "3年", "力争2014年上半年",
        "2015年底前", "2015年", "到2015年底", or an ISO date; "力争" before any of them
        (力争到2015年底, 力争年底前, 力争用2-3年时间, 力争通过3年的专项行动) marks the
        deadline aspirational.

        >>> d = Deadline.parse("力争到2015年底")
        >>> d.due, d.aspirational
        (datetime.date(2015, 12, 31), True)

        >>> Deadline.parse("年内", year=2013).due
        datetime.date(2013, 12, 31)
        >>> Deadline.parse("3年", year=2013).due
        datetime.date(2015, 12, 31)
        >>> Deadline.parse("下个月")
        Traceback (most recent call last):
        ...
        townplan.errors.ValidationError: Deadline.text: got '下个月' — expected ...
        """
        if not isinstance(text, str):
            raise ValidationError.single(
                record="Deadline", field="text", value=text, expected="deadline text"
            )
        body = _normalise(text)
        aspirational = body.startswith("力争")
        body = body.removeprefix("力争").removeprefix("争取").removeprefix("确保")
        body = re.sub(r"^(?:到|在|于|至)(?=\d{4}年|\d{1,2}月|今年|本年|年底|年末|年内)", "", body)
        body = re.sub(r"(?:之前|以前|前)?(?:基本)?(?:完成|实现|建成)?$", "", body)
        try:
            span = _parse_span(body, year)
        except (KeyError, ValueError):
            span = None
        if span is None:
            raise ValidationError.single(
                record="Deadline",
                field="text",
                value=text,
                expected="a deadline such as '6月底前', '上半年', '年底前', '用2-3年时间' or "
                "'力争2014年上半年' (with a reference year unless the text names one)",
            )
        due, latest = span
        return cls(text, due, latest, aspirational)

    def is_overdue(self, on: date) -> bool:
        """True when ``on`` is past the due day."""
        return on > self.due


def _need(year: int | None) -> int:
    if year is None:
        raise ValueError("no year")
    return year


def _parse_span(body: str, year: int | None) -> tuple[date, date] | None:
    explicit = re.match(r"^(\d{4})年(.*)$", body)
    if explicit:
        year, body = int(explicit.group(1)), explicit.group(2)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", body):
        day = date.fromisoformat(body)
        return day, day
    if body in ("", "底", "末") or re.fullmatch(_YEAR_END, body):
        if body == "" and explicit is None:
            return None
        end = Period(_need(year), PeriodKind.YEAR).end
        return end, end
    half = re.fullmatch(r"(?:今年|本年)?(上|下)半年(?:底|末)?", body)
    if half:
        end = Period(_need(year), PeriodKind.HALF, 1 if half.group(1) == "上" else 2).end
        return end, end
    quarter = re.fullmatch(r"(?:今年|本年)?第?([一二三四1-4])季度(?:底|末)?", body)
    if quarter:
        end = Period(_need(year), PeriodKind.QUARTER, _number(quarter.group(1))).end
        return end, end
    month = _MONTH.fullmatch(body)
    if month:
        number = _number(month.group(1))
        if month.group(3):
            day = date(_need(year), number, int(month.group(3)))
        elif month.group(2) == "上旬":
            day = date(_need(year), number, 10)
        elif month.group(2) == "中旬":
            day = date(_need(year), number, 20)
        else:
            day = Period.month(_need(year), number).end
        return day, day
    years = _YEARS.fullmatch(body)
    if years:
        low = _number(years.group(1))
        high = _number(years.group(2)) if years.group(2) else low
        if not 1 <= low <= high <= 30:
            return None
        start = _need(year)
        return date(start + low - 1, 12, 31), date(start + high - 1, 12, 31)
    return None
