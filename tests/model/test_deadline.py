"""Deadlines as a work report writes them: a period end, not a typed day."""

from __future__ import annotations

import calendar
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan import Deadline


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("6月底前", date(2013, 6, 30)),
        ("6月底", date(2013, 6, 30)),
        ("今年6月底前", date(2013, 6, 30)),
        ("6月底完成", date(2013, 6, 30)),
        ("6月30日前", date(2013, 6, 30)),
        ("上半年", date(2013, 6, 30)),
        ("下半年", date(2013, 12, 31)),
        ("一季度", date(2013, 3, 31)),
        ("第三季度", date(2013, 9, 30)),
        ("年底前", date(2013, 12, 31)),
        ("今年", date(2013, 12, 31)),
        ("年内", date(2013, 12, 31)),
        ("3年", date(2015, 12, 31)),
        ("十二月底前", date(2013, 12, 31)),
        ("2015年底前", date(2015, 12, 31)),
        ("2015年", date(2015, 12, 31)),
        ("2013-09-15", date(2013, 9, 15)),
    ],
)
def test_expressions_with_the_report_year(text: str, due: date) -> None:
    deadline = Deadline.parse(text, year=2013)
    assert deadline.due == due
    assert deadline.latest == due
    assert deadline.text == text
    assert not deadline.aspirational


def test_range_of_years() -> None:
    deadline = Deadline.parse("用2-3年时间", year=2013)
    assert deadline.due == date(2014, 12, 31)
    assert deadline.latest == date(2015, 12, 31)
    assert Deadline.parse("用２～３年时间", year=2013).latest == date(2015, 12, 31)


def test_aspirational_deadline_names_its_own_year() -> None:
    deadline = Deadline.parse("力争2014年上半年")
    assert deadline.due == date(2014, 6, 30)
    assert deadline.aspirational is True
    assert deadline.text == "力争2014年上半年"
    # the explicit year wins over the reference year
    assert Deadline.parse("力争2014年上半年", year=2013).due == date(2014, 6, 30)
    this_year = Deadline.parse("力争年底前", year=2013)
    assert (this_year.due, this_year.aspirational) == (date(2013, 12, 31), True)


def test_explicit_year_needs_no_reference_year() -> None:
    assert Deadline.parse("2015年底前").due == date(2015, 12, 31)


@given(year=st.integers(1900, 2199), month=st.integers(1, 12))
def test_month_end_is_the_last_day_of_that_month(year: int, month: int) -> None:
    last = calendar.monthrange(year, month)[1]
    assert Deadline.parse(f"{month}月底前", year=year).due == date(year, month, last)


def test_leap_february() -> None:
    assert Deadline.parse("2月底前", year=2012).due == date(2012, 2, 29)
    assert Deadline.parse("2月底前", year=2013).due == date(2013, 2, 28)


@pytest.mark.parametrize(
    "text", ["6月底前", "上半年", "年底前", "今年", "年内", "用2-3年时间", "3年"]
)
def test_missing_year_raises_quoting_the_text(text: str) -> None:
    with pytest.raises(tp.ValidationError) as info:
        Deadline.parse(text)
    assert info.value.field == "text"
    assert info.value.value == text
    assert text in str(info.value)


@pytest.mark.parametrize("text", ["今年6月底前完成", "力争年底前完成", "6月底前完成"])
def test_before_and_complete_suffixes_together(text: str) -> None:
    assert Deadline.parse(text, year=2013).due.year == 2013


def test_overdue() -> None:
    deadline = Deadline.parse("6月底前", year=2013)
    assert not deadline.is_overdue(date(2013, 6, 30))
    assert deadline.is_overdue(date(2013, 7, 1))


def test_on_an_exact_day() -> None:
    deadline = Deadline.on(date(2013, 9, 15), aspirational=True)
    assert (deadline.due, deadline.latest, deadline.aspirational) == (
        date(2013, 9, 15),
        date(2013, 9, 15),
        True,
    )


def test_latest_before_due_is_refused() -> None:
    with pytest.raises(tp.ValidationError) as info:
        Deadline("x", date(2013, 6, 30), date(2013, 6, 1))
    assert info.value.field == "latest"
