"""A line above the header that dates the sheet — "填报日期：2013年12月20日", a span of
years such as "“十二五”（2011-2015年）" — names neither its plan year nor its month; a
title of the months to date ("2013年1-6月…") keeps a 月份 column to those months; a
funding sheet with no 合计 column still takes its plan year from the title."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import townplan as tp
from townplan.io import import_progress, import_register
from townplan.ledger import LedgerStore

REGISTER = ["项目编号", "项目名称", "项目类别", "政府投资（万元）", "年度计划投资（万元）"]


def test_a_date_line_or_a_span_of_years_is_no_plan_year(make_csv: Any) -> None:
    for above in (
        (["某镇重点项目库"], ["填报日期：2013年12月20日"]),
        (["“十二五”（2011-2015年）项目库"],),
    ):
        path = make_csv("r.csv", [*above, REGISTER, ["P1", "中心大道", "基础设施", 1200, 500]])
        store = LedgerStore.open(":memory:")
        result = import_register(store, path, on=date(2014, 1, 5))
        assert (result.plan_year, result.plan_year_from) == (2014, "day"), above
        again = import_register(LedgerStore.open(":memory:"), path, plan_year=2014)
        assert again.plan_year_from == "given"  # nothing in the sheet to contradict it


def test_a_progress_sheet_s_date_line_is_no_month(make_csv: Any, ledger: LedgerStore) -> None:
    ledger.add_project(tp.Project(code="P1", name="中心大道", category=tp.Category.INFRASTRUCTURE))
    path = make_csv("p.csv", [["重点项目进展情况表"], ["填报日期：2013年7月5日"],
                              ["项目编号", "本月完成（万元）"], ["P1", 120]])  # fmt: skip
    assert import_progress(ledger, path, period="2013-06").added == ("P1 2013-06",)


def test_a_months_to_date_title_keeps_a_month_column_to_its_months(
    make_csv: Any, ledger: LedgerStore
) -> None:
    ledger.add_project(tp.Project(code="P1", name="中心大道", category=tp.Category.INFRASTRUCTURE))
    head = [["2013年1-6月重大项目进度汇总表"], ["项目编号", "月份", "本月完成（万元）"]]
    path = make_csv("p.csv", [*head, ["P1", "2013-05", 100], ["P1", "2013-06", 120]])
    assert import_progress(ledger, path).added == ("P1 2013-05", "P1 2013-06")
    late = make_csv("q.csv", [*head, ["P1", "2013-07", 90]])
    with pytest.raises(tp.ValidationError) as caught:
        import_progress(ledger, late)
    (problem,) = caught.value.errors
    assert "2013-01–2013-06" in problem.expected


def test_a_funding_sheet_without_a_total_column_takes_the_title_s_year(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2013年市直政府性投资项目计划表"])
    ws.append(
        ["项目编号", "项目名称", "项目类别", "政府投资（万元）", "本年度计划投资及资金来源", None]
    )
    ws.append([None, None, None, None, "中央", "省级"])
    ws.append(["P1", "中心大道", "基础设施", 3000, 1000, 500])
    for cells in ("A2:A3", "B2:B3", "C2:C3", "D2:D3", "E2:F2"):
        ws.merge_cells(cells)
    path = tmp_path / "c.xlsx"
    book.save(path)
    store = LedgerStore.open(":memory:")
    result = import_register(store, path, on=date(2014, 2, 1))
    assert (result.plan_year, result.plan_year_from) == (2013, "title")
    assert sorted(result.plans) == ["P1 2013 central", "P1 2013 province"]


def test_a_bad_unit_line_over_funding_columns_is_one_problem(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2013年市直政府性投资项目计划表"])
    ws.append(["单位：万块"])
    ws.append(["项目编号", "项目名称", "项目类别", "政府投资", "本年度计划投资及资金来源", None])
    ws.append([None, None, None, None, "中央", "省级"])
    for n in range(1, 4):
        ws.append([f"P{n}", f"项目{n}", "基础设施", 3000, 1000, 500])
    for cells in ("A3:A4", "B3:B4", "C3:C4", "D3:D4", "E3:F3"):
        ws.merge_cells(cells)
    path = tmp_path / "c.xlsx"
    book.save(path)
    with pytest.raises(tp.ValidationError) as caught:
        import_register(LedgerStore.open(":memory:"), path)
    assert len(caught.value.errors) == 1, [e.expected for e in caught.value.errors]
    assert caught.value.errors[0].value == "万块"


def test_the_unit_label_is_the_import_s_alone() -> None:
    from townplan.cli.errors_zh import field_error
    from townplan.errors import FieldError

    # a problem's responsible unit is no 金额单位
    text = field_error(FieldError("problem W1", "unit", "城建局", "a unit in the ledger"))
    assert "金额单位" not in text
    assert "金额单位" in field_error(FieldError("import", "unit", "万块", "a unit such as 元"))
