"""Periods: months, quarters, halves and years, in ISO and Chinese forms."""

from __future__ import annotations

import itertools
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan import Period, PeriodKind

COUNT = {PeriodKind.MONTH: 12, PeriodKind.QUARTER: 4, PeriodKind.HALF: 2, PeriodKind.YEAR: 1}


@st.composite
def periods(draw: st.DrawFn) -> Period:
    kind = draw(st.sampled_from(list(PeriodKind)))
    year = draw(st.integers(min_value=1900, max_value=2200))
    return Period(year, kind, draw(st.integers(min_value=1, max_value=COUNT[kind])))


@given(periods())
def test_parse_str_round_trip(period: Period) -> None:
    assert Period.parse(str(period)) == period


@given(periods())
def test_start_end_and_months_agree(period: Period) -> None:
    months = list(period.months())
    assert len(months) == period.kind.months
    assert months[0].start == period.start
    assert months[-1].end == period.end
    assert all(m.next() == n for m, n in itertools.pairwise(months))
    assert period.contains(period.start)
    assert period.contains(period.end)
    assert not period.contains(period.start - timedelta(days=1))
    assert not period.contains(period.end + timedelta(days=1))


@given(periods().filter(lambda p: 1901 <= p.year <= 2199))
def test_next_and_previous_are_adjacent(period: Period) -> None:
    assert period.next().start == period.end + timedelta(days=1)
    assert period.previous().end == period.start - timedelta(days=1)
    assert period.next().previous() == period
    assert period.next().kind is period.kind


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2013-06", Period(2013, PeriodKind.MONTH, 6)),
        ("2013-6", Period(2013, PeriodKind.MONTH, 6)),
        ("2013-Q2", Period(2013, PeriodKind.QUARTER, 2)),
        ("2013q2", Period(2013, PeriodKind.QUARTER, 2)),
        ("2013-H1", Period(2013, PeriodKind.HALF, 1)),
        ("2013", Period(2013, PeriodKind.YEAR, 1)),
        ("2013年6月", Period(2013, PeriodKind.MONTH, 6)),
        ("2013年12月份", Period(2013, PeriodKind.MONTH, 12)),
        ("２０１３年６月", Period(2013, PeriodKind.MONTH, 6)),
        ("2013年上半年", Period(2013, PeriodKind.HALF, 1)),
        ("2013年下半年", Period(2013, PeriodKind.HALF, 2)),
        ("2013年第二季度", Period(2013, PeriodKind.QUARTER, 2)),
        ("2013年四季度", Period(2013, PeriodKind.QUARTER, 4)),
        ("2013年第1季度", Period(2013, PeriodKind.QUARTER, 1)),
        ("2013年", Period(2013, PeriodKind.YEAR, 1)),
    ],
)
def test_parse_forms(text: str, expected: Period) -> None:
    assert Period.parse(text) == expected


@given(year=st.integers(1900, 2200), month=st.integers(1, 12))
def test_chinese_month_form(year: int, month: int) -> None:
    assert Period.parse(f"{year}年{month}月") == Period.month(year, month)


def test_start_end_of_each_kind() -> None:
    assert Period.parse("2013-06").start == date(2013, 6, 1)
    assert Period.parse("2013-06").end == date(2013, 6, 30)
    assert Period.parse("2012-02").end == date(2012, 2, 29)
    assert Period.parse("2013-02").end == date(2013, 2, 28)
    assert Period.parse("2013-Q2").start == date(2013, 4, 1)
    assert Period.parse("2013-Q2").end == date(2013, 6, 30)
    assert Period.parse("2013-H2").start == date(2013, 7, 1)
    assert Period.parse("2013-H2").end == date(2013, 12, 31)
    assert Period.parse("2013").start == date(2013, 1, 1)
    assert Period.parse("2013").end == date(2013, 12, 31)


def test_next_previous_cross_year_ends() -> None:
    assert Period.parse("2013-12").next() == Period.parse("2014-01")
    assert Period.parse("2014-01").previous() == Period.parse("2013-12")
    assert Period.parse("2013-Q4").next() == Period.parse("2014-Q1")
    assert Period.parse("2013-H1").previous() == Period.parse("2012-H2")
    assert Period.parse("2013").next() == Period.parse("2014")


def test_months_of_a_quarter() -> None:
    assert [str(m) for m in Period.parse("2013-Q3").months()] == ["2013-07", "2013-08", "2013-09"]


def test_of_a_day() -> None:
    day = date(2013, 8, 15)
    assert Period.of(day) == Period.parse("2013-08")
    assert Period.of(day, "quarter") == Period.parse("2013-Q3")
    assert Period.of(day, PeriodKind.HALF) == Period.parse("2013-H2")
    assert Period.of(day, "year") == Period.parse("2013")


def test_ordering_of_one_kind() -> None:
    months = [Period.parse(t) for t in ("2014-01", "2013-06", "2013-12", "2012-12")]
    assert [str(m) for m in sorted(months)] == ["2012-12", "2013-06", "2013-12", "2014-01"]
    assert Period.parse("2013-Q1") < Period.parse("2013-Q2") < Period.parse("2014-Q1")


def test_ordering_follows_start_date_across_kinds() -> None:
    mixed = [Period.parse(t) for t in ("2013-Q2", "2013-12", "2013-H2", "2013-01", "2014")]
    starts = [p.start for p in sorted(mixed)]
    assert starts == sorted(starts)
    assert Period.parse("2013-01") < Period.parse("2013-Q2")


def test_parse_refuses_bad_periods() -> None:
    for text in ("2013-13", "2013-Q5", "2013年13月", "1899", "下半年"):
        with pytest.raises(tp.ValidationError) as info:
            Period.parse(text)
        assert info.value.field == "period"
        assert info.value.value == text
