"""A figure the bulletin shows twice is rounded the same way both times: half-up (四舍五入),
as the tables round. A project that completed 699万元 of a 2000万元 plan by June is 34.95 %
done and exactly 15.05 points behind the schedule of 50 %: its row, its reason and the
overview must all say 35.0 % and 15.1, never 15.0 in one place and 15.1 in another.

The figures are worked by hand from the amounts written below."""

from __future__ import annotations

from datetime import date

import pytest

import townplan as tp
from townplan.reports import bulletin
from townplan.reports.table import Report

RECORDED = date(2013, 1, 5)


@pytest.fixture
def june() -> Report:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_units(["城建办"], recorded_at=RECORDED)
    ledger.add_policy(tp.ThresholdPolicy.default(effective_from=date(2013, 1, 1)),
                      recorded_at=RECORDED)  # fmt: skip
    project = tp.Project(
        code="P1", name="东环路改造", category=tp.Category.INFRASTRUCTURE,
        stage=tp.Stage.CONTINUING, responsible_unit="城建办",
        government_investment=tp.Money.parse("1.2亿"), annual_plan=tp.Money.parse("2000万"),
        plan_year=2013,
    )  # fmt: skip
    ledger.add_projects([project], on=date(2013, 1, 1), recorded_at=RECORDED)
    # 100万 a month for five months, then 199万 in June: 699万 in all
    for month, wan in ((1, 100), (2, 100), (3, 100), (4, 100), (5, 100), (6, 199)):
        on = date(2013, month + 1, 3)
        done = tp.Money.parse(f"{wan}万")
        report = tp.ProgressReport(
            project="P1", period=f"2013-{month:02d}", completed=done, reported_on=on
        )
        ledger.record_progress(report, recorded_at=on)
    return bulletin(ledger, "2013-06")


def test_the_lights_row_and_its_reason_agree_on_a_half(june: Report) -> None:
    (row,) = june.table("lights").rows
    assert row[0] == "P1" and row[2] is tp.Light.AMBER
    assert str(row[5]) == "15.1"  # 15.05 points behind, half-up
    assert "（35.0%）" in str(row[6]) and "落后15.1个百分点" in str(row[6])


def test_the_rendered_bulletin_says_15_1_everywhere(june: Report) -> None:
    text = june.to_markdown()
    assert "15.1" in text and "15.0" not in text
    assert "35.0%" in text and "34.9%" not in text
    # the overview: 34.95 % against 50.0 %, 15.05 points below, half-up
    assert "完成年度计划的35.0%，低于序时进度（50.0%）15.1个百分点" in text
