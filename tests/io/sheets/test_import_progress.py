"""Importing monthly progress sheets (月度调度表) from messy .xlsx and .csv files."""

from __future__ import annotations

from datetime import date

import pytest

import townplan as tp
from townplan.io import import_progress
from townplan.ledger import LedgerStore

HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "年度计划投资（万元）",
    "本月完成（万元）",
    "累计完成（万元）",
    "形象进度",
    "报送日期",
]


@pytest.fixture
def town(ledger: LedgerStore) -> LedgerStore:
    ledger.add_projects(
        [
            tp.Project(code="P001", name="中心大道二期", category=tp.Category.INFRASTRUCTURE),
            tp.Project(code="P002", name="华阳湿地生态公园", category=tp.Category.LIVELIHOOD),
            tp.Project(code="P003", name="东环路", category=tp.Category.INFRASTRUCTURE),
            tp.Project(
                code="F1",
                name="中远海洋工程",
                category=tp.Category.INDUSTRY,
                government_investment=tp.Money.zero("USD"),
                social_investment=tp.Money.parse("1.27亿美元"),
            ),
        ],
        on=date(2013, 1, 1),
        recorded_at=date(2013, 1, 1),
    )
    return ledger


def wan(text: str, currency: str = "CNY") -> tp.Money:
    return tp.Money.parse(text, unit="万元", currency=currency)


def test_messy_xlsx_sheet_takes_its_month_from_the_title(make_xlsx, town: LedgerStore) -> None:
    path = make_xlsx(
        "june.xlsx",
        [
            ["示例镇2013年6月“三重”项目进度表"],
            ["填报单位：“三重”办", None, None, None, None, None, "单位：万元"],
            HEADER,
            [1, "P001", "中心大道二期", 4000, 512.34, 2012.34, "路基完成80%", date(2013, 7, 3)],
            [],
            [2, "P002", "华阳湿地生态公园", 800, 0, None, "征地中", "2013/7/5"],
            [3, "P003", "东环路", 500],  # no report this month
            ["合计", None, None, 5300, 512.34, 2012.34],
        ],
        merges=["A1:H1", "G2:H2"],
        sheet="6月",
    )
    result = import_progress(town, path)
    assert result.added == ("P001 2013-06", "P002 2013-06")
    assert result.skipped_rows == (7,)
    p1 = next(town.progress("P001"))
    assert p1 == tp.ProgressReport(
        project="P001",
        period="2013-06",
        completed=wan("512.34"),
        cumulative=wan("2012.34"),
        note="路基完成80%",
        reported_on=date(2013, 7, 3),
        id=p1.id,
    )
    p2 = next(town.progress("P002"))
    assert (p2.completed, p2.cumulative, p2.reported_on) == (wan("0"), None, date(2013, 7, 5))


def test_month_column_and_period_argument(make_csv, town: LedgerStore) -> None:
    path = make_csv(
        "months.csv",
        [
            ["项目编号", "月份", "本月完成（万元）"],
            ["P001", "2013-05", 100],
            ["P001", "2013年6月", 120],
            ["P002", "2013-06", 50],
        ],
    )
    result = import_progress(town, path, reported_on=date(2013, 7, 4))
    assert result.added == ("P001 2013-05", "P001 2013-06", "P002 2013-06")
    assert [str(r.period) for r in town.progress("P001")] == ["2013-05", "2013-06"]
    assert {r.reported_on for r in town.progress()} == {date(2013, 7, 4)}
    # period= fills the rows whose 月份 is blank
    blank = make_csv("blank.csv", [["项目编号", "月份", "本月完成（万元）"], ["P003", "", 9]])
    assert import_progress(town, blank, period="2013年7月").added == ("P003 2013-07",)


def test_same_sheet_twice_changes_nothing(make_csv, town: LedgerStore) -> None:
    path = make_csv(
        "june.csv",
        [["2013年6月进度表"], HEADER, [1, "P001", "", "", 500, 1500, "ok", "2013-07-03"]],
    )
    import_progress(town, path)
    before = town.checksum()
    again = import_progress(town, path)
    assert town.checksum() == before
    assert again.unchanged == ("P001 2013-06",)
    assert (again.added, again.changed) == ((), ())


def test_changed_figure_becomes_a_correction(make_csv, town: LedgerStore) -> None:
    first = make_csv(
        "v1.csv", [["2013年6月进度表"], HEADER, [1, "P001", "", "", 500, 1500, "ok", "2013-07-03"]]
    )
    import_progress(town, first, recorded_at=date(2013, 7, 3))
    second = make_csv(
        "v2.csv", [["2013年6月进度表"], HEADER, [1, "P001", "", "", 550, 1550, "ok", "2013-07-03"]]
    )
    result = import_progress(town, second, recorded_at=date(2013, 7, 10))
    assert result.changed == ("P001 2013-06",)
    assert result.changes == {"P001 2013-06": ("completed", "cumulative")}
    entries = town.progress_entries("P001")
    assert len(entries) == 2
    assert entries[1].corrects == entries[0].id
    assert next(town.progress("P001")).completed == wan("550")
    assert next(town.as_of(date(2013, 7, 5)).progress("P001")).completed == wan("500")


def test_dry_run_of_a_correction_writes_nothing(make_csv, town: LedgerStore) -> None:
    import_progress(town, make_csv("v1.csv", [HEADER, [1, "P001", "", "", 500]]), period="2013-06")
    before = town.checksum()
    changed = make_csv("v2.csv", [HEADER, [1, "P001", "", "", 501], [2, "P002", "", "", 7]])
    result = import_progress(town, changed, period="2013-06", dry_run=True)
    assert town.checksum() == before
    assert (result.added, result.changed) == (("P002 2013-06",), ("P001 2013-06",))
    assert "将变更 1 个" in result.summary("zh")


def test_projects_named_by_name_when_there_is_no_code(make_csv, town: LedgerStore) -> None:
    path = make_csv(
        "names.csv", [["项目名称", "本月完成（万元）"], ["东环路", 30], ["中心大道二期", 40]]
    )
    assert import_progress(town, path, period="2013-06").added == ("P003 2013-06", "P001 2013-06")


def test_usd_project_reports_in_usd(make_csv, town: LedgerStore) -> None:
    path = make_csv(
        "usd.csv", [["项目编号", "本月完成（万元）", "累计完成（万元）"], ["F1", "12万美元", ""]]
    )
    import_progress(town, path, period="2013-06")
    assert next(town.progress("F1")).completed == tp.Money.parse("12万美元")


def test_month_from_the_sheet_name(make_xlsx, town: LedgerStore) -> None:
    path = make_xlsx("p.xlsx", [["项目编号", "本月完成(万元)"], ["P001", 5]], sheet="2013-06")
    assert import_progress(town, path).added == ("P001 2013-06",)
