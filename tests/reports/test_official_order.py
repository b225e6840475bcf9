"""Units and zones in the order the office lists them (排列顺序), kept as data in the ledger;
without one, by name (the code a ledger keys them by)."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import townplan as tp


@pytest.fixture
def town(sample_town: tp.Ledger) -> tp.Ledger:
    return sample_town


def _first_column(report: tp.reports.Report, key: str) -> list[object]:
    return list(report.table(key).values("key"))


def test_without_an_order_units_and_zones_go_by_name(town: tp.Ledger) -> None:
    june = tp.reports.bulletin(town, month="2013-06")
    units = _first_column(june, "units")
    assert units == sorted(units, key=str)
    assert town.official_order("units") == []


def test_the_bulletin_follows_the_official_order(town: tp.Ledger) -> None:
    listed = ["党政办", "“三重”办", "经济贸易办公室", "城建办"]
    town.set_official_order("units", listed)
    town.set_official_order("zones", ["现代临港产业区", "水乡新城区"])
    june = tp.reports.bulletin(town, month="2013-06")
    units = _first_column(june, "units")
    assert units[:4] == listed
    assert units[4:] == sorted(units[4:], key=str)  # the rest after, by name
    zones = _first_column(june, "zones")
    assert zones[:2] == ["现代临港产业区", "水乡新城区"]
    chart = next(c for c in june.figures if c.key == "zones")
    assert list(chart.categories) == zones  # the chart reads the table's order
    assert [u.name for u in town.units()][:4] == listed


def test_an_order_names_only_what_the_ledger_holds_once_each(town: tp.Ledger) -> None:
    with pytest.raises(tp.ValidationError) as caught:
        town.set_official_order("units", ["党政办", "火星办", "党政办"])
    message = str(caught.value)
    assert "火星办" in message and "党政办" in message and "once" in message
    assert town.official_order("units") == []  # nothing written
    with pytest.raises(tp.ValidationError, match="'zones' or 'units'"):
        town.set_official_order("villages", [])


def test_an_empty_order_clears_it(town: tp.Ledger) -> None:
    town.set_official_order("zones", ["水乡新城区"])
    town.set_official_order("zones", [])
    assert town.official_order("zones") == []


def test_the_annex_lists_projects_unit_by_unit_in_the_official_order(town: tp.Ledger) -> None:
    june = tp.reports.bulletin(town, month="2013-06")
    by_code = june.table("progress")
    codes = list(by_code.values("code"))
    assert codes == sorted(codes)  # no order kept: by code
    town.set_official_order("units", ["党政办", "城建办"])
    rows = tp.reports.bulletin(town, month="2013-06").table("progress")
    units = list(rows.values("unit"))
    first = [u for u in units if u in ("党政办", "城建办")]
    assert first and units[: len(first)] == first  # those two units' projects come first
    assert first == sorted(first, key=["党政办", "城建办"].index)
    assert len(rows.rows) == len(by_code.rows)  # every project still there, once
    assert sorted(rows.values("code")) == sorted(codes)


def _tied_town() -> tp.Ledger:
    from datetime import date

    ledger = tp.Ledger.open(":memory:")
    ledger.add_units(["甲办", "乙办", "丙办"], recorded_at=date(2013, 1, 1))
    for code, unit, plan in (("P1", "甲办", "1000万"), ("P2", "乙办", "1000万"),
                             ("P3", "丙办", "2000万")):  # fmt: skip
        ledger.add_project(tp.Project(code=code, name=f"项目{code}",
                                      category=tp.Category.INFRASTRUCTURE, responsible_unit=unit,
                                      government_investment=tp.Money.parse("1亿"),
                                      annual_plan=tp.Money.parse(plan), plan_year=2013),
                           on=date(2013, 1, 1), recorded_at=date(2013, 1, 1))  # fmt: skip
    # Every month on time, each project a twentieth of its plan: the same share done.
    for month in range(1, 13):
        on = date(2013 + month // 12, month % 12 + 1, 3)
        ledger.record_progress_many(
            [tp.ProgressReport(project=code, period=f"2013-{month:02d}",
                               completed=tp.Money.parse(amount), reported_on=on)
             for code, amount in (("P1", "50万"), ("P2", "50万"), ("P3", "100万"))],
            recorded_at=on,
        )  # fmt: skip
    return ledger


def test_units_of_equal_score_are_ranked_in_the_official_order() -> None:
    ledger = _tied_town()
    before = ledger.assessment(2013).ranking
    assert [r.score for r in before] == [before[0].score] * 3  # the same share done: all tie
    assert {r.rank for r in before} == {1}
    assert [r.unit for r in before] == sorted(r.unit for r in before)  # by name
    ledger.set_official_order("units", ["丙办", "甲办", "乙办"])
    notice = tp.reports.ranking_notice(ledger, 2013)
    assert [row[1] for row in notice.table("ranking").rows] == ["丙办", "甲办", "乙办"]
    chart = notice.figures[0]
    assert list(chart.categories) == ["丙办", "甲办", "乙办"]


def test_the_order_is_kept_in_the_file_and_seen_by_an_as_of_view(tmp_path: Path) -> None:
    from datetime import date

    path = tmp_path / "town.db"
    with tp.Ledger.open(path) as ledger:
        ledger.add_zones(["水乡新城区", "现代临港产业区"], recorded_at=date(2013, 1, 1))
        ledger.set_official_order("zones", ["现代临港产业区"])
    with tp.Ledger.open(path) as again:
        assert again.official_order("zones") == ["现代临港产业区"]
        past = again.as_of(date(2013, 6, 30))
        assert past.official_order("zones") == ["现代临港产业区"]
        with pytest.raises(tp.ReadOnlyError):
            past.set_official_order("zones", [])
    assert sqlite3.connect(path).execute(
        "SELECT name FROM zones WHERE position = 1"
    ).fetchone() == ("现代临港产业区",)


def test_a_single_name_given_as_text_is_refused(town: tp.Ledger) -> None:
    with pytest.raises(tp.ValidationError, match="a list of names"):
        town.set_official_order("units", "党政办")
