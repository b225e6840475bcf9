"""``in`` with a long list — a city's thousand project codes, units or zones — answers
like a short one (SQLite refuses an expression deeper than 1000, which a chain of one
``OR`` per value was), on the hand-made portfolio of conftest.py."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta
from decimal import Decimal

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import Query

from .conftest import wan

# Codes no project of the portfolio has, as a city's list of other towns' projects.
ELSEWHERE = [f"镇{i:03d}/P{i:05d}" for i in range(1500)]


def codes(query: object) -> list[str]:
    return [r.code for r in query]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        ({"code__in": [*ELSEWHERE, "P07", "P03"]}, ["P03", "P07"]),
        ({"code__in": ELSEWHERE}, []),
        ({"responsible_unit__in": [*ELSEWHERE, "农办"]}, ["P03", "P07"]),
        # None among many: the projects without a village, and 华阳's
        ({"village__in": [*ELSEWHERE, None, "华阳"]},
         ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10"]),
        ({"village__in": [*ELSEWHERE, None]},
         ["P01", "P02", "P04", "P05", "P06", "P07", "P08", "P09", "P10"]),
        # enums parsed value by value, Chinese labels and values mixed
        ({"stage__in": ["新开工", "completed"] * 800}, ["P02", "P05", "P10"]),
        ({"plan_year__in": [*range(1000, 2012), 2012]}, ["P10"]),
        # money is a test of two columns: a long list of amounts still answers
        ({"annual_plan__in": ["1万"] * 1200 + ["2亿"]}, ["P04"]),
    ],
)  # fmt: skip
def test_in_with_a_long_list(q: Query, lookups: dict[str, object], expected: list[str]) -> None:
    assert codes(q.projects().where(**lookups)) == expected


def test_long_list_of_projects_for_their_progress_and_procedures(q: Query) -> None:
    short = [(r.project, r.period) for r in q.progress().where(project__in=["P02", "P10"])]
    long = q.progress().where(project__in=[*ELSEWHERE, "P10", "P02"])
    assert short and [(r.project, r.period) for r in long] == short
    assert q.procedures().for_project(*ELSEWHERE).count() == 0


def test_a_bad_value_deep_in_a_long_list_is_named(q: Query) -> None:
    with pytest.raises(tp.ValidationError) as err:
        q.projects().where(stage__in=[*["续建"] * 1200, "半途"])
    assert err.value.field == "stage__in" and "半途" in str(err.value)


@pytest.mark.parametrize(
    ("lookup", "values", "shown"),
    [
        # 40,000 codes, the one at 1234 a number
        ("code__in", [f"镇{i}/P{i}" for i in range(40_000)], 5),
        # 40,000 amounts, the one at 1234 no amount
        ("annual_plan__in", ["1万"] * 40_000, "很多"),
        ("plan_year__in", list(range(40_000)), "2013"),
        ("valid_from__in", ["2013-06-30"] * 40_000, "2013-13-01"),
    ],
)
def test_a_bad_value_in_a_long_list_is_named_by_its_position_not_the_list(
    q: Query, lookup: str, values: list[object], shown: object
) -> None:
    values[1234] = shown
    with pytest.raises(tp.ValidationError) as err:
        q.projects().where(**{lookup: values})
    message = str(err.value)
    assert message.startswith(f"projects.{lookup}[1234]: got {shown!r} — expected ")
    assert len(message) < 200, message  # the item, not the 40,000 around it
    assert (err.value.field, err.value.value, err.value.errors[0].index) == (lookup, shown, 1234)
    # the same short message through a None the list also holds
    values[1] = None
    with pytest.raises(tp.ValidationError, match=rf"^projects\.{lookup}\[1234\]: got"):
        q.projects().where(**{lookup: values})


# SQLite's default limit of bound values in one statement; some builds raise it, so the
# test sets it on the connection to answer as a stock SQLite does.
STOCK_VARIABLE_LIMIT = 32766
MANY = 40_000
# 40,000 values none of the portfolio has: amounts of 1 … 40,000 元 plus 0.01元, months
# from 1900 to 1999 (repeated), days from 2100 on
OTHER_AMOUNTS = [tp.Money(Decimal(i) + Decimal("0.01"), "CNY") for i in range(MANY)]
OTHER_MONTHS = [f"{1900 + i // 12 % 100}-{i % 12 + 1:02d}" for i in range(MANY)]
OTHER_DAYS = [date(2100, 1, 1) + timedelta(days=i) for i in range(MANY)]


@pytest.fixture
def stock_q(ledger: LedgerStore) -> Query:
    ledger.db.conn.setlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER, STOCK_VARIABLE_LIMIT)
    return Query(ledger)


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        # money: a CNY amount among 40,000, compared in fen with its currency
        ({"annual_plan__in": [*OTHER_AMOUNTS, wan("20000")]}, ["P04"]),
        # P08's plan is 1000万 USD: the same figure in CNY does not match it
        ({"annual_plan__in": [*OTHER_AMOUNTS, wan("1000", "USD"), wan("300")]}, ["P08", "P09"]),
        ({"annual_plan__in": [*OTHER_AMOUNTS, wan("1000")]}, []),
        ({"annual_plan__in": ["3亿", *OTHER_AMOUNTS]}, []),
        ({"year_to_date__in": [*OTHER_AMOUNTS, wan("12000"), wan("700")]}, ["P02", "P04"]),
        ({"code__in": [*[f"镇{i}/P{i}" for i in range(MANY)], "P05"]}, ["P05"]),
        ({"plan_year__in": [*range(3000, 3000 + MANY), 2012]}, ["P10"]),
        ({"valid_from__in": OTHER_DAYS}, []),
        ({"stage__in": ["新开工"] * MANY}, ["P02", "P05"]),
        # 60 % and 35 % among 40,000 ratios above 1
        ({"completion_rate__in": [*(Decimal(2) + Decimal(i) / 1000 for i in range(MANY)),
                                  Decimal("0.6"), Decimal("0.35")]}, ["P02", "P04"]),
    ],
)  # fmt: skip
def test_in_with_more_values_than_sqlite_binds(
    stock_q: Query, lookups: dict[str, object], expected: list[str]
) -> None:
    assert sorted(codes(stock_q.projects().where(**lookups))) == expected


def test_progress_in_a_month_among_forty_thousand(stock_q: Query) -> None:
    # P10 alone reported for 2012-12 (1000万), P08 alone in USD (500万 in June)
    found = stock_q.progress().where(period__in=[*OTHER_MONTHS, "2012-12"])
    assert [(r.project, str(r.period), r.completed) for r in found] == [
        ("P10", "2012-12", wan("1000"))
    ]
    amounts = stock_q.progress().where(completed__in=[*OTHER_AMOUNTS, wan("500", "USD")])
    assert [(r.project, str(r.period)) for r in amounts] == [("P08", "2013-06")]


def test_targets_and_tasks_in_forty_thousand_values(stock_q: Query) -> None:
    values = [Decimal(i) + Decimal("0.5") for i in range(MANY)]
    assert [t.code for t in stock_q.targets().where(value__in=[*values, Decimal("31")])] == [
        "ENERGY"
    ]
    assert [t.code for t in stock_q.targets().where(value__in=[*values, "3"])] == ["UNEMP"]
    due = [*OTHER_DAYS, date(2013, 5, 31)]
    assert [t.code for t in stock_q.tasks().where(due__in=due)] == ["T05"]


@pytest.mark.parametrize("many", [3, 101, MANY])
def test_a_decimal_past_a_floats_range_in_a_list_is_named_by_its_position(
    q: Query, many: int
) -> None:
    # 1e400 is a finite Decimal, but compared as a float it would be infinity
    values: list[object] = [Decimal(i) + Decimal("0.5") for i in range(many)]
    values[2] = Decimal("1e400")
    with pytest.raises(tp.ValidationError) as err:
        q.targets().where(value__in=values)
    message = str(err.value)
    assert message.startswith("targets.value__in[2]: got Decimal('1E+400') — expected ")
    assert len(message) < 200 and "below 1.8e308" in message, message
    assert (err.value.field, err.value.value, err.value.errors[0].index) == (
        "value__in",
        Decimal("1e400"),
        2,
    )


@pytest.mark.parametrize("value", [Decimal("1e400"), "-1e309"])
def test_a_decimal_past_a_floats_range_is_named(q: Query, value: object) -> None:
    with pytest.raises(tp.ValidationError) as err:
        q.targets().where(value=value)
    assert (err.value.field, err.value.value) == ("value", value)
    assert str(err.value).startswith(f"targets.value: got {value!r} — expected ")
    assert "below 1.8e308" in str(err.value)
