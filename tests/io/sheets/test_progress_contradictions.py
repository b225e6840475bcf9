"""A progress sheet that says two things — a month in its title and another in its 月份
column or the import's ``period=``, a year in its title and another in ``year=``, a code
and the name of another project — is an error naming what disagrees, and nothing is
written; a sheet sent again on a later day changes only the figures it changes."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.io import import_progress
from townplan.ledger import LedgerStore

HEADER = ["项目编号", "项目名称", "月份", "本月完成（万元）", "形象进度"]


@pytest.fixture
def town(ledger: LedgerStore) -> LedgerStore:
    ledger.add_projects(
        [tp.Project(code="DC01", name="古镇大道改造", category=tp.Category.INFRASTRUCTURE),
         tp.Project(code="DC02", name="滨河公园", category=tp.Category.LIVELIHOOD)],
        on=date(2013, 1, 1), recorded_at=date(2013, 1, 1),
    )  # fmt: skip
    return ledger


def _history(store: LedgerStore) -> list[tuple[str, str, tp.Money]]:
    return [(r.project, str(r.period), r.completed) for c in ("DC01", "DC02")
            for r in store.progress(c)]  # fmt: skip


def _refused(store: LedgerStore, path: Path, **given: Any) -> tp.FieldError:
    """The one problem an import of ``path`` stops at, having written nothing."""
    with pytest.raises(tp.ValidationError) as caught:
        import_progress(store, path, **given)
    (problem,) = caught.value.errors
    assert _history(store) == []
    return problem


def test_a_month_column_that_contradicts_the_title_is_an_error(
    make_csv: Any, town: LedgerStore
) -> None:
    path = make_csv("june.csv", [["2013年6月重点项目进展情况表"], HEADER,
                                 ["DC01", "古镇大道改造", "2013-05", 300, "路基"]])  # fmt: skip
    problem = _refused(town, path)
    assert (problem.row, problem.column, problem.field) == (3, "C", "period")
    assert "2013-06" in problem.expected


def test_a_period_that_contradicts_the_title_is_an_error(make_csv: Any, town: LedgerStore) -> None:
    path = make_csv("june.csv", [["2013年6月重点项目进展情况表"], HEADER[:2] + HEADER[3:],
                                 ["DC01", "古镇大道改造", 300, "路基"]])  # fmt: skip
    problem = _refused(town, path, period="2013-05")
    assert (problem.field, problem.value) == ("period", "2013-05")
    assert "2013-06" in problem.expected
    import_progress(town, path, period="2013-06")  # the title's month: no contradiction
    assert _history(town) == [("DC01", "2013-06", tp.Money.parse("300万元"))]


@pytest.mark.parametrize("title", ["2013年1-6月重点项目进展情况表", "2013年1—6月份项目进度"])
def test_a_title_of_the_months_to_date_is_its_last_month(
    make_csv: Any, town: LedgerStore, title: str
) -> None:
    path = make_csv("june.csv", [[title], HEADER[:2] + HEADER[3:],
                                 ["DC01", "古镇大道改造", 300, "路基"]])  # fmt: skip
    assert import_progress(town, path).added == ("DC01 2013-06",)


def test_a_year_that_contradicts_a_wide_sheet_s_title_is_an_error(
    make_csv: Any, town: LedgerStore
) -> None:
    path = make_csv("wide.csv", [
        ["2013年重点项目建设进度表"],
        ["项目名称", "1月形象进度", "1月实际完成投资", "2月形象进度", "2月实际完成投资"],
        ["滨河公园", "清表", 100, "放线", 50],
    ])  # fmt: skip
    problem = _refused(town, path, year=2012)
    assert (problem.field, problem.value) == ("year", 2012)
    assert "2013" in problem.expected
    with pytest.raises(tp.ValidationError):
        import_progress(town, path, period="2012-02")
    assert _history(town) == []
    assert len(import_progress(town, path).added) == 2


def test_a_code_and_the_name_of_another_project_is_an_error(
    make_csv: Any, town: LedgerStore
) -> None:
    path = make_csv("june.csv", [["2013年6月重点项目进展情况表"], HEADER[:2] + HEADER[3:],
                                 ["DC01", "滨河公园", 30, "绿化"]])  # fmt: skip
    problem = _refused(town, path)
    assert (problem.row, problem.column, problem.field) == (3, "B", "name")
    assert "古镇大道改造" in problem.expected
    short = make_csv("short.csv", [["2013年6月重点项目进展情况表"], HEADER[:2] + HEADER[3:],
                                   ["DC01", "古镇大道改造工程", 30, "路基"]])  # fmt: skip
    assert import_progress(town, short).added == ("DC01 2013-06",)  # a longer name is fine


def test_a_sheet_sent_again_later_changes_only_its_changed_figure(
    make_csv: Any, town: LedgerStore
) -> None:
    rows = [["2013年6月重点项目进展情况表"], HEADER[:2] + HEADER[3:],
            ["DC01", "古镇大道改造", 500, "路基"], ["DC02", "滨河公园", 200, "绿化"]]  # fmt: skip
    import_progress(town, make_csv("v1.csv", rows), reported_on=date(2013, 7, 3))
    rows[2][2] = 600  # DC01 corrected, sent again a week later
    again = import_progress(town, make_csv("v2.csv", rows), reported_on=date(2013, 7, 10))
    assert (again.changed, again.unchanged) == (("DC01 2013-06",), ("DC02 2013-06",))
    assert again.changes == {"DC01 2013-06": ("completed",)}
    assert [r.reported_on for c in ("DC01", "DC02") for r in town.progress(c)] == [
        date(2013, 7, 3), date(2013, 7, 3)
    ]  # fmt: skip
    assert [r.completed for r in town.progress("DC01")] == [tp.Money.parse("600万元")]


@pytest.mark.parametrize(
    ("expected", "chinese"),
    [
        ("the month the title names (2013-06), or no --month",
         "标题所写的月份 2013-06，或不给 --month"),
        ("the month the title names (2013-06)", "标题所写的月份 2013-06"),
        ("the year the title names (2013), or no --year", "标题所写的年份 2013，或不给 --year"),
        ("the name of project DC01 (古镇大道改造), or no name",
         "项目 DC01 的名称（古镇大道改造），或不填名称"),
    ],
)  # fmt: skip
def test_the_contradictions_are_said_in_chinese(expected: str, chinese: str) -> None:
    from townplan.cli.errors_zh import describe
    from townplan.errors import FieldError

    error = tp.ValidationError([FieldError("row 3", "period", "x", expected, "s", 3, "C")])
    assert f"应为{chinese}" in describe(error)


YTD = ["项目编号", "项目名称", "本月完成（万元）", "本年累计完成（万元）", "形象进度"]


def test_a_year_to_date_the_ledger_s_months_do_not_sum_to_is_said(
    make_csv: Any, town: LedgerStore
) -> None:
    # a town that starts its ledger in June: the sheet's 本年累计 holds January to May too
    june = make_csv("june.csv", [["2013年6月重点项目进展情况表"], YTD,
                                 ["DC01", "古镇大道改造", 500, 1200, "路基"],
                                 ["DC02", "滨河公园", 200, 200, "开工"]])  # fmt: skip
    result = import_progress(town, june)
    assert result.year_to_date_differs == ("DC01 2013-06",)  # 500 in the ledger, not 1200
    assert "1 份月报的本年累计与台账逐月之和不符" in result.summary("zh")
    assert "1 report(s) state a 本年累计 other than" in result.summary("en")
    # with May in the ledger the sums agree, and nothing is said
    may = make_csv("may.csv", [["2013年5月重点项目进展情况表"], YTD,
                               ["DC01", "古镇大道改造", 700, 700, "清表"]])  # fmt: skip
    assert not import_progress(town, may).year_to_date_differs
    again = import_progress(town, june)
    assert (again.n_unchanged, again.year_to_date_differs) == (2, ())
    assert "逐月之和不符" not in again.summary("zh")


def test_the_sheets_not_read_are_named(tmp_path: Path, town: LedgerStore) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    for index, month in enumerate((5, 6)):
        ws = book.active if index == 0 else book.create_sheet()
        ws.title = f"{month}月"
        ws.append([f"2013年{month}月重点项目进展情况表"])
        ws.append(HEADER[:2] + HEADER[3:])
        ws.append(["DC01", "古镇大道改造", 100 * month, "路基"])
    path = tmp_path / "both.xlsx"
    book.save(path)
    result = import_progress(town, path)
    assert (result.sheet, result.other_sheets) == ("5月", ("6月",))
    assert "未读其他工作表（6月；可用 --sheet 指定）" in result.summary("zh")
    assert import_progress(town, path, sheet="6月").other_sheets == ()
