"""group_by for every key, checked against sums worked out by hand (see conftest.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import townplan as tp
from townplan.query import Query, Summary

ON = date(2013, 6, 30)
INFRA, INDUSTRY = tp.Category.INFRASTRUCTURE, tp.Category.INDUSTRY


def wan(n: int, currency: str = "CNY") -> tp.Money:
    return tp.Money.of(n * 10_000, currency)


def figures(s: Summary) -> tuple[Any, ...]:
    """key, currency, count, planned, ytd, cumulative, red, amber, green (money in 万)."""
    w = Decimal(10_000)
    return (
        s.key, s.currency, s.count, s.planned.amount / w, s.year_to_date.amount / w,
        s.cumulative.amount / w, s.red, s.amber, s.green,
    )  # fmt: skip


def test_by_zone(q: Query) -> None:
    rows = list(q.projects().on(ON).group_by("zone"))
    assert [figures(r) for r in rows] == [
        (("水乡新城区",), "CNY", 6, 16300, 4200, 5200, 2, 1, 1),
        (("现代临港产业区",), "CNY", 3, 35000, 16000, 16000, 0, 2, 1),
        (("现代临港产业区",), "USD", 1, 1000, 500, 500, 0, 0, 1),
    ]
    new_town = rows[0]
    assert new_town["zone"] == "水乡新城区"
    assert new_town.rate == Decimal(4200) / Decimal(16300)
    assert new_town.remaining == wan(16300 - 4200)
    assert new_town.completed == new_town.year_to_date
    assert new_town.percent_of_plan == Decimal(4200) / Decimal(16300) * 100
    assert new_town.average_planned == tp.Money(Decimal(163_000_000) / 6)


def test_by_category(q: Query) -> None:
    assert [figures(r) for r in q.projects().on(ON).group_by("category")] == [
        ((INFRA,), "CNY", 5, 21300, 5700, 5700, 2, 2, 1),
        ((INDUSTRY,), "CNY", 3, 30000, 14500, 15500, 0, 1, 1),
        ((INDUSTRY,), "USD", 1, 1000, 500, 500, 0, 0, 1),
        ((tp.Category.LIVELIHOOD,), "CNY", 1, 0, 0, 0, 0, 0, 0),
    ]
    livelihood = next(iter(q.projects().on(ON).category("民生").group_by("category")))
    assert livelihood.rate is None


def test_by_stage(q: Query) -> None:
    assert [figures(r) for r in q.projects().on(ON).group_by("stage")] == [
        ((tp.Stage.PREPARATION,), "CNY", 1, 0, 0, 0, 0, 0, 0),
        ((tp.Stage.NEW_START,), "CNY", 2, 12000, 2700, 2700, 0, 2, 0),
        ((tp.Stage.CONTINUING,), "CNY", 5, 39300, 17000, 17000, 2, 1, 2),
        ((tp.Stage.CONTINUING,), "USD", 1, 1000, 500, 500, 0, 0, 1),
        ((tp.Stage.COMPLETED,), "CNY", 1, 0, 500, 1500, 0, 0, 0),
    ]


def test_by_group_counts_projects_through_member_units(q: Query) -> None:
    assert [figures(r) for r in q.projects().on(ON).group_by("group")] == [
        (("G01",), "CNY", 4, 11300, 4700, 4700, 1, 2, 1),
        (("G02",), "CNY", 5, 40000, 15500, 16500, 1, 1, 1),
        (("G02",), "USD", 1, 1000, 500, 500, 0, 0, 1),
    ]


def test_by_unit_and_by_two_keys(q: Query) -> None:
    by_unit = [
        (r.key, r.currency, r.count) for r in q.projects().on(ON).group_by("responsible_unit")
    ]
    assert by_unit == [
        (("农办",), "CNY", 2), (("城建办",), "CNY", 4),
        (("经信局",), "CNY", 3), (("经信局",), "USD", 1),
    ]  # fmt: skip
    two = [
        (r.key, r.currency, r.count, r.red)
        for r in q.projects().on(ON).group_by("zone", "category")
    ]
    assert two == [
        (("水乡新城区", INFRA), "CNY", 4, 2),
        (("水乡新城区", INDUSTRY), "CNY", 1, 0),
        (("水乡新城区", tp.Category.LIVELIHOOD), "CNY", 1, 0),
        (("现代临港产业区", INFRA), "CNY", 1, 0),
        (("现代临港产业区", INDUSTRY), "CNY", 2, 0),
        (("现代临港产业区", INDUSTRY), "USD", 1, 0),
    ]


def test_summary_totals_per_currency(q: Query) -> None:
    assert [figures(r) for r in q.projects().on(ON).summary()] == [
        ((), "CNY", 9, 51300, 20200, 21200, 2, 3, 2),
        ((), "USD", 1, 1000, 500, 500, 0, 0, 1),
    ]
    eligible = list(q.projects().on(ON).eligible().summary())
    assert [(r.currency, r.count, r.red) for r in eligible] == [("CNY", 8, 1)]


def test_by_month_gives_year_to_date_and_cumulative(q: Query) -> None:
    rows = [r for r in q.projects().on(ON).group_by("month") if r.currency == "CNY"]
    assert [str(r["month"]) for r in rows] == [f"2013-0{m}" for m in range(1, 7)]
    w = Decimal(10_000)
    assert [r.completed.amount / w for r in rows] == [2300, 2300, 2500, 3600, 3400, 6100]
    assert [r.year_to_date.amount / w for r in rows] == [2300, 4600, 7100, 10700, 14100, 20200]
    assert [r.cumulative.amount / w for r in rows] == [3300, 5600, 8100, 11700, 15100, 21200]
    assert [r.count for r in rows] == [2, 2, 3, 4, 5, 7]
    assert {r.planned for r in rows} == {wan(51300)}
    assert rows[-1].rate == Decimal(20200) / Decimal(51300)
    assert rows[0].red is None


def test_by_zone_and_month(q: Query) -> None:
    port = [
        r for r in q.projects().on(ON).where(zone="现代临港产业区").group_by("zone", "month")
        if r.currency == "CNY"
    ]  # fmt: skip
    w = Decimal(10_000)
    assert [r.key[0] for r in port] == ["现代临港产业区"] * 6
    assert [r.completed.amount / w for r in port] == [2000, 2000, 2000, 3000, 2500, 4500]
    assert [r.year_to_date.amount / w for r in port] == [2000, 4000, 6000, 9000, 11500, 16000]
    assert port[-1].remaining == wan(35000 - 16000)


@pytest.mark.parametrize(
    ("keys", "expected"),
    [
        (("year",), [((2012,), "CNY", 1, 1000), ((2013,), "CNY", 23, 20200),
                     ((2013,), "USD", 1, 500)]),
        (("zone",), [(("水乡新城区",), "CNY", 14, 5200), (("现代临港产业区",), "CNY", 10, 16000),
                     (("现代临港产业区",), "USD", 1, 500)]),
        (("category",), [(("infrastructure",), "CNY", 15, 5700), (("industry",), "CNY", 9, 15500),
                         (("industry",), "USD", 1, 500)]),
        (("group",), [(("G01",), "CNY", 13, 4700), (("G02",), "CNY", 11, 16500),
                      (("G02",), "USD", 1, 500)]),
    ],
)  # fmt: skip
def test_progress_totals(q: Query, keys: tuple[str, ...], expected: list[tuple[Any, ...]]) -> None:
    got = [
        (t.key, t.currency, t.reports, t.completed.amount / 10_000)
        for t in q.progress().group_by(*keys)
    ]
    assert got == expected


def test_progress_totals_by_month(q: Query) -> None:
    months = [
        (str(t["month"]), t.reports)
        for t in q.progress().in_year(2013).group_by("month")
        if t.currency == "CNY"
    ]
    assert months == [
        ("2013-01", 2),
        ("2013-02", 2),
        ("2013-03", 3),
        ("2013-04", 4),
        ("2013-05", 5),
        ("2013-06", 7),
    ]


def test_task_totals(q: Query) -> None:
    july = [
        (t.key, t.count, t.done, t.open, t.overdue)
        for t in q.tasks().on(date(2013, 7, 1)).group_by("group")
    ]
    assert july == [(("G01",), 3, 1, 2, 1), (("G02",), 2, 0, 2, 1)]
    august = list(q.tasks().on(date(2013, 8, 1)).group_by("group"))
    assert [(t.done, t.overdue, t.rate) for t in august] == [
        (1, 1, Decimal(1) / 3),
        (1, 0, Decimal("0.5")),
    ]
    by_month = [
        (str(t["month"]), t.count, t.done, t.overdue)
        for t in q.tasks().on(date(2013, 7, 1)).group_by("month")
    ]
    assert by_month == [("2013-05", 1, 0, 1), ("2013-06", 2, 1, 1), ("2013-12", 2, 0, 0)]


def test_group_by_rejects_unknown_keys(q: Query) -> None:
    for bad in ("weather", "zone; DROP TABLE projects", "x.zone"):
        with pytest.raises(tp.ValidationError, match="expected one of category, stage, kind"):
            q.projects().group_by(bad)
    with pytest.raises(tp.ValidationError):
        q.progress().group_by("content")
    with pytest.raises(tp.ValidationError):
        q.tasks().group_by("zone")


def test_rows_of_a_summary_are_plain(q: Query) -> None:
    row = next(q.projects().on(ON).group_by("zone").rows())
    assert row["zone"] == "水乡新城区"
    assert row["planned"] == wan(16300)
    assert row["red"] == 2
    sql, params = q.projects().on(ON).group_by("zone").sql()
    assert "GROUP BY" in sql and 2013 in params.values()
