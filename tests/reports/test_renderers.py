"""The renderers turn any report into Markdown, HTML, CSV, Excel and PNG that a person can use."""

from __future__ import annotations

import csv
import warnings
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import townplan as tp
from townplan.reports import charts as chart_module
from townplan.reports.table import Chart, Column, Kind, Report, Series, Table


def _report() -> Report:
    zones = Table(
        key="zones",
        title_cn="分板块完成情况",
        title_en="By zone",
        columns=(
            Column("zone", "板块", "Zone"),
            Column("count", "项目数", "Projects", Kind.INT),
            Column("plan", "年度计划", "Annual plan", Kind.MONEY),
            Column("done", "本年完成", "Completed", Kind.MONEY),
            Column("rate", "完成率", "Rate", Kind.RATE),
        ),
        rows=(
            (
                "水乡新城区",
                2,
                tp.Money.parse("1.5亿"),
                tp.Money.parse("6000.5万"),
                Decimal("0.40003"),
            ),
            ("大盛南洲片区", 1, tp.Money.parse("3000万"), tp.Money.parse("1234.5678万"), None),
        ),
        total=("合计", 3, tp.Money.parse("1.8亿"), tp.Money.parse("7235.0678万"), Decimal("0.4")),
    )
    lights = Table(
        key="lights",
        title_cn="红黄灯项目",
        title_en="Red and amber",
        columns=(Column("code", "编号", "Code"), Column("light", "灯", "Light", Kind.LABEL)),
        rows=(("SZ-1", tp.Light.RED), ("SZ-2", tp.Light.AMBER)),
    )
    figures = (
        Chart("plan", "bars", "计划与完成", "Plan vs completed", ("水乡新城区", "大盛南洲片区"),
              (Series("计划", "Plan", (Decimal(15000), Decimal(3000))),
               Series("完成", "Completed", (Decimal("6000.5"), Decimal("1234.5678")))),
              "万元", "10k CNY", ("Zone 1", "Zone 2")),
        Chart("lights", "counts", "红黄绿灯", "Lights", ("红灯", "黄灯", "绿灯"),
              (Series("项目数", "Projects", (Decimal(1), Decimal(1), Decimal(5))),),
              categories_en=("red", "amber", "green")),
    )  # fmt: skip
    return Report(
        kind="bulletin",
        title_cn="2013年6月重大项目进度通报",
        title_en="Major projects, June 2013",
        as_of=date(2013, 7, 10),
        headline=(
            ("年度计划投资", "Annual plan", tp.Money.parse("1.8亿"), Kind.MONEY),
            ("完成率", "Completion", Decimal("0.4"), Kind.RATE),
        ),
        tables=(zones, lights),
        figures=figures,
    )


def test_markdown_shows_chinese_headings_units_and_rates() -> None:
    text = _report().to_markdown()
    assert text.startswith("# 2013年6月重大项目进度通报")
    assert "| 板块 | 项目数 | 年度计划（万元） | 本年完成（万元） | 完成率 |" in text
    assert "| 水乡新城区 | 2 | 15,000.00 | 6,000.50 | 40.0% |" in text
    assert "| 合计 | 3 | 18,000.00 | 7,235.07 | 40.0% |" in text
    assert "| 年度计划投资 | 1.8亿元 |" in text
    assert "| SZ-1 | 红灯 |" in text


def test_markdown_in_english() -> None:
    text = _report().to_markdown("en")
    assert "# Major projects, June 2013" in text
    assert "Annual plan (10k CNY)" in text
    assert "| SZ-1 | red |" in text


def test_html_is_a_standalone_page_with_light_badges() -> None:
    page = _report().to_html()
    assert page.startswith("<!DOCTYPE html>")
    assert '<html lang="zh-CN">' in page
    assert '<span class="light light-red">红灯</span>' in page
    assert '<tr class="total">' in page
    assert "http" not in page  # nothing fetched from elsewhere


def test_csv_totals_are_exact_and_equal_the_report(tmp_path: Path) -> None:
    paths = _report().to_csv(tmp_path)
    assert [p.name for p in paths] == ["bulletin-zones.csv", "bulletin-lights.csv"]
    with paths[0].open(encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0][2] == "年度计划（万元）"
    body, total = rows[1:-1], rows[-1]
    assert sum(Decimal(r[3]) for r in body) == Decimal(total[3]) == Decimal("7235.0678")


def test_xlsx_has_one_styled_sheet_per_table(tmp_path: Path) -> None:
    path = _report().to_xlsx(tmp_path / "out" / "bulletin.xlsx")
    book = openpyxl.load_workbook(path)
    assert book.sheetnames == ["分板块完成情况", "红黄灯项目"]
    sheet = book["分板块完成情况"]
    assert sheet.freeze_panes == "A2"
    assert sheet["A1"].value == "板块" and sheet["A1"].font.bold
    assert sheet["C2"].number_format == "#,##0.00" and sheet["E2"].number_format == "0.0%"
    assert sheet["C2"].value == pytest.approx(15000)
    assert sheet["A4"].value == "合计" and sheet["A4"].font.bold
    assert sheet.column_dimensions["A"].width >= 12  # wide enough for 大盛南洲片区
    assert book["红黄灯项目"]["B2"].value == "红灯"


def _png_size(path: Path) -> tuple[int, int]:
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")


def test_charts_are_real_pngs(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", chart_module.CJKFontWarning)
        paths = _report().charts(tmp_path)
    assert [p.name for p in paths] == ["bulletin-plan.png", "bulletin-lights.png"]
    for path in paths:
        width, height = _png_size(path)
        assert width > 500 and height > 300
        assert path.stat().st_size > 10_000


def test_charts_fall_back_to_english_with_a_warning_without_cjk_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chart_module, "cjk_font", lambda: None)
    with pytest.warns(chart_module.CJKFontWarning, match="fonts-wqy-zenhei"):
        paths = _report().charts(tmp_path)
    assert len(paths) == 2 and all(p.stat().st_size > 10_000 for p in paths)


def test_a_table_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells, not 1"):
        Table("t", "表", "T", (Column("a", "甲", "A"),), (("x", "y"),))
