"""No official notice made of nothing: a bulletin, year summary or ranking of a period the
ledger holds no progress reports (or no projects) of is refused, saying what is missing;
a period partly covered says which months and units lack data, and months of which no
report at all came are not scored as missing."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import townplan as tp
from townplan.cli.errors_zh import describe as in_chinese
from townplan.reports import bulletin, ranking_notice, year_summary


@pytest.mark.parametrize(
    ("build", "missing"),
    [
        (lambda town: bulletin(town, "2020-01"), "progress reports for 2020-01"),
        (lambda town: year_summary(town, 2020), "progress reports nor figures of 2020"),
        (lambda town: ranking_notice(town, 2020), "progress reports for 2020"),
    ],
    ids=["bulletin", "summary", "ranking"],
)
def test_a_year_without_reports_is_refused(sample_town: tp.Ledger, build: Any,
                                           missing: str) -> None:  # fmt: skip
    with pytest.raises(tp.NotFoundError, match=missing) as caught:
        build(sample_town)
    assert "2020年" in in_chinese(caught.value)  # as a Chinese run words it


def test_a_bulletin_of_a_register_not_yet_loaded_names_the_register() -> None:
    town = tp.Ledger.open(":memory:")
    town.add_units(["城建办"])
    town.add_projects([_project("P1", "城建办")], on=date(2013, 7, 20))
    with pytest.raises(tp.NotFoundError, match="projects in the plan on 2013-06-30") as caught:
        bulletin(town, "2013-06")
    message = in_chinese(caught.value)
    assert message.startswith("没有可生成通报的数据：截至2013年7月15日")
    assert "2013年6月30日在计划内的项目" in message and "--recorded-at" in message


def _project(code: str, unit: str) -> tp.Project:
    return tp.Project(
        code=code, name=f"项目{code}", category=tp.Category.INFRASTRUCTURE,
        responsible_unit=unit, government_investment=tp.Money.parse("1.2亿"),
        annual_plan=tp.Money.parse("1200万"), plan_year=2013,
    )  # fmt: skip


@pytest.fixture
def from_june() -> tp.Ledger:
    """A town whose ledger starts with June: 城建办's project reports June to December on
    the 3rd of the next month, 农业办's never reports."""
    town = tp.Ledger.open(":memory:")
    town.add_units(["城建办", "农业办"], recorded_at=date(2013, 1, 5))
    town.add_projects([_project("P1", "城建办"), _project("P2", "农业办")],
                      on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))  # fmt: skip
    for month in range(6, 13):
        on = date(2013 + month // 12, month % 12 + 1, 3)
        town.record_progress(tp.ProgressReport(project="P1", period=f"2013-{month:02d}",
                                               completed=tp.Money.parse("100万"),
                                               reported_on=on), recorded_at=on)  # fmt: skip
    return town


def test_months_without_any_report_are_said_and_not_scored(from_june: tp.Ledger) -> None:
    notice = ranking_notice(from_june, 2013)
    assert notice.notes() == (
        "注：台账中没有2013年1-5月的进度月报，这些月份不计未报扣分。",
        "注：农业办本年没有报送任何进度月报。",
    )
    missing = {row[0]: row[2:] for row in notice.table("explain").rows if row[1] == "未报扣分"}
    # 城建办 reported every month the ledger covers; 农业办 missed June to December only.
    assert missing.get("城建办", (Decimal(0),))[0] == 0
    assert missing["农业办"] == (Decimal("-14.00"), "月度进度未报7次，每次扣2分")
    assert "2013-01 to 2013-05" in notice.to_markdown("en")
    judged = from_june.assessment(2013)  # the assessment itself, as the notice reads it
    assert [str(m) for m in judged.uncovered] == [f"2013-0{m}" for m in range(1, 6)]
    assert judged.silent_units == ("农业办",)


def test_a_bulletin_says_which_months_of_the_year_it_has_no_data_of(from_june: tp.Ledger) -> None:
    july = bulletin(from_june, "2013-07")
    assert july.notes() == ("注：台账中没有2013年1-5月的进度月报，本年累计完成只含有月报的月份。",)
    assert july.notes("en") == (
        "Note: the ledger holds no progress reports for 2013-01 to 2013-05; the year to "
        "date counts the months reported.",
    )
    with pytest.raises(tp.NotFoundError, match="progress reports for 2013-01 to 2013-05"):
        bulletin(from_june, "2013-05")


def test_the_review_year_keeps_its_figures_and_says_it_has_no_reports(
    sample_town: tp.Ledger,
) -> None:
    review = year_summary(sample_town, 2012)
    assert review.table("review").rows  # the figures of the year the work report reviews
    assert review.notes() == ("注：台账中没有2012年1-12月的进度月报，投资完成情况无从统计。",)
