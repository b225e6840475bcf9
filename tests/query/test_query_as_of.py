"""The same questions through as_of, before and after P02's June correction (2013-07-10).

Before: P02 year-to-date 900万 of 2000万 (45 %, 5 points behind, green).
After: 700万 (35 %, 15 behind, amber).
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import Query

BEFORE, AFTER = date(2013, 7, 5), date(2013, 7, 15)


@pytest.fixture
def before(ledger: LedgerStore) -> Query:
    return Query(ledger.as_of(BEFORE))


@pytest.fixture
def after(ledger: LedgerStore) -> Query:
    return Query(ledger.as_of(AFTER))


def test_progress_through_as_of(before: Query, after: Query, q: Query) -> None:
    def june(query: Query) -> tp.Money:
        return query.progress().where(project="P02", period="2013-06").one().completed

    assert june(before) == tp.Money.parse("400万")
    assert june(after) == june(q) == tp.Money.parse("200万")
    assert before.progress().count() == after.progress().count() == q.progress().count()


def test_filters_through_as_of(before: Query, after: Query, q: Query) -> None:
    def behind(query: Query) -> list[str]:
        return [p.code for p in query.projects().behind_plan()]

    assert behind(before) == ["P03", "P05", "P06", "P09"]
    assert behind(after) == behind(q) == ["P02", "P03", "P05", "P06", "P09"]
    rate = {"completion_rate": Decimal("0.45")}
    assert [p.code for p in before.projects().where(**rate)] == ["P02"]
    assert [p.code for p in after.projects().where(**rate)] == []


def test_lights_through_as_of(before: Query, after: Query) -> None:
    def p02(query: Query) -> tuple[tp.Light, Decimal]:
        v = next(query.projects().where(code="P02").lights())
        assert v.on == date(2013, 6, 30)  # the latest month reported, in both views
        return v.light, v.points_behind

    assert p02(before) == (tp.Light.GREEN, 5)
    assert p02(after) == (tp.Light.AMBER, 15)


def test_aggregates_through_as_of(before: Query, after: Query, q: Query) -> None:
    def new_town(query: Query) -> tuple[Decimal, int, int]:
        row = next(iter(query.projects().group_by("zone")))
        assert row.key == ("水乡新城区",)
        return row.year_to_date.amount / 10_000, row.amber or 0, row.green or 0

    assert new_town(before) == (4400, 0, 2)
    assert new_town(after) == new_town(q) == (4200, 1, 1)
    june = [t for t in before.progress().group_by("month") if str(t["month"]) == "2013-06"]
    assert june[0].completed == tp.Money.parse("6300万")


def test_earlier_views_see_less(ledger: LedgerStore) -> None:
    march = Query(ledger.as_of(date(2013, 3, 31)))  # January and February reported
    assert {v.on for v in march.projects().lights()} == {date(2013, 2, 28)}
    assert march.progress().where(period__gte="2013-03").count() == 0
    assert march.projects().count() == 10
    nothing = Query(ledger.as_of(date(2012, 12, 31)))
    assert nothing.projects().count() == 0
    assert nothing.progress().count() == 0


def test_project_versions_through_as_of(ledger: LedgerStore) -> None:
    p06 = ledger.project("P06")
    bigger = tp.Project(
        code="P06", name=p06.name, category=p06.category, stage=tp.Stage.COMPLETED,
        zone=p06.zone, responsible_unit=p06.responsible_unit,
        government_investment=p06.government_investment, annual_plan=tp.Money.parse("4000万"),
        plan_year=2013,
    )  # fmt: skip
    ledger.update_project(bigger, on=date(2013, 7, 1), recorded_at=date(2013, 7, 1))
    june, july = Query(ledger.as_of(date(2013, 6, 30))), Query(ledger.as_of(date(2013, 7, 2)))
    assert june.projects().where(code="P06").one().annual_plan == tp.Money.parse("5000万")
    assert july.projects().where(code="P06").one().annual_plan == tp.Money.parse("4000万")
    assert [p.code for p in june.projects().stage("竣工")] == ["P10"]
    assert [p.code for p in july.projects().stage("竣工")] == ["P06", "P10"]
    # 2000万 of the new 4000万 plan: 50 %, on schedule
    assert next(july.projects().where(code="P06").lights()).light is tp.Light.GREEN
    assert next(june.projects().where(code="P06").lights()).light is tp.Light.AMBER


def test_views_are_read_only_and_queries_write_nothing(ledger: LedgerStore, before: Query) -> None:
    checksum = ledger.checksum()
    list(before.projects().behind_plan())
    list(before.projects().group_by("zone", "month"))
    list(before.search("湿地"))
    assert ledger.checksum() == checksum
