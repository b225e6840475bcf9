"""The renderers turn any report into Markdown, HTML, CSV, Excel and PNG that a person can use."""

from __future__ import annotations

import csv
import re
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
    keys = [p.name for p in paths if p.suffix == ".csv"]
    paths = [p for p in paths if p.suffix == ".png"]
    assert [p.name for p in paths] == ["bulletin-plan.png", "bulletin-lights.png"]
    # the zones are numbered, with their key beside the chart, only without a Chinese font
    assert keys == ([] if chart_module.cjk_font() else ["bulletin-plan-key.csv"])
    for path in paths:
        width, height = _png_size(path)
        assert width > 500 and height > 300
        assert path.stat().st_size > 10_000


def test_charts_fall_back_to_english_with_a_warning_without_cjk_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(chart_module, "cjk_font", lambda: None)
    monkeypatch.setattr(chart_module, "_warned", [])
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        paths = _report().charts(tmp_path)
        _report().charts(tmp_path)  # a second report: no second warning
    said = [w for w in caught if issubclass(w.category, chart_module.CJKFontWarning)]
    assert len(said) == 1  # once a process, in plain words
    assert "no Chinese font is installed" in str(said[0].message)
    assert "apt-get install fonts-noto-cjk" in str(said[0].message)
    pngs = [p for p in paths if p.suffix == ".png"]
    assert len(pngs) == 2 and all(p.stat().st_size > 10_000 for p in pngs)
    # the plan chart numbers its zones ("Zone 1", "Zone 2"): its key names them, beside it
    (key,) = [p for p in paths if p.suffix == ".csv"]
    assert key.name == "bulletin-plan-key.csv"
    with key.open(encoding="utf-8-sig") as f:
        assert list(csv.reader(f))[1:] == [["Zone 1", "水乡新城区"], ["Zone 2", "大盛南洲片区"]]


def test_without_a_chinese_font_the_page_names_each_numbered_label(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(chart_module, "cjk_font", lambda: None)
    monkeypatch.setattr(chart_module, "_warned", [True])
    # the pictures are drawn in the tests above; here the page around them is the subject
    monkeypatch.setattr(chart_module, "chart_png", lambda chart, lang: b"\x89PNG")
    page = _report().to_html()
    keys = re.findall(r'<table class="chart-key">(.*?)</table>', page)
    assert len(keys) == 1  # the lights chart says red, amber, green: no key needed
    cells = re.findall(r"<td>(.*?)</td>", keys[0])
    assert cells == ["Zone 1", "水乡新城区", "Zone 2", "大盛南洲片区"]
    monkeypatch.setattr(chart_module, "cjk_font", lambda: "Noto Sans CJK SC")
    assert "<figcaption>" not in _report().to_html()  # drawn with its own names


def _fonts_on_disk() -> list[str]:
    from matplotlib import font_manager

    return [p for p in font_manager.findSystemFonts() if "cjk" in p.lower() or "wqy" in p.lower()]


@pytest.mark.skipif(not _fonts_on_disk(), reason="no CJK font file on this machine")
def test_a_font_installed_after_the_cache_was_built_is_found(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """matplotlib's font cache predates the install: the files themselves are read."""
    from matplotlib import font_manager

    stale = [f for f in font_manager.fontManager.ttflist if f.name not in chart_module.CJK_FONTS
             and "CJK" not in f.name]  # fmt: skip
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    chart_module.cjk_font.cache_clear()
    try:
        found = chart_module.cjk_font()
        assert found is not None
        assert found in {f.name for f in font_manager.fontManager.ttflist}  # now registered
    finally:
        chart_module.cjk_font.cache_clear()


def test_no_font_file_means_no_font(monkeypatch: pytest.MonkeyPatch) -> None:
    from matplotlib import font_manager

    stale = [f for f in font_manager.fontManager.ttflist if f.name not in chart_module.CJK_FONTS
             and "CJK" not in f.name]  # fmt: skip
    monkeypatch.setattr(font_manager.fontManager, "ttflist", stale)
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: [])
    chart_module.cjk_font.cache_clear()
    try:
        assert chart_module.cjk_font() is None
    finally:
        chart_module.cjk_font.cache_clear()


def _bars(values: list[int], names: list[str] | None = None) -> Chart:
    categories = tuple(names or [f"片区{i}" for i in range(len(values))])
    return Chart("c", "bars", "计划", "Plan", categories,
                 (Series("计划", "Plan", tuple(Decimal(v) for v in values)),), "万元",
                 "10k CNY")  # fmt: skip


def test_one_dominant_bar_gets_a_second_panel_for_the_others() -> None:
    import matplotlib.pyplot as plt

    figure = chart_module._figure(_bars([792_000, 30_200, 28_300, 21_500, 3_800]), "en")
    try:
        left, right = figure.axes
        assert len(right.patches) == 4  # the others, at their own scale
        assert right.get_ylim()[1] < 100_000 < left.get_ylim()[1]
        labels = [t.get_text() for t in left.texts]
        assert "792,000" in labels and "3,800" in labels  # every bar labelled, separated
    finally:
        plt.close(figure)
    even = chart_module._figure(_bars([300, 280, 250]), "en")
    try:
        assert len(even.axes) == 1
    finally:
        plt.close(even)


def test_many_or_long_names_are_drawn_as_horizontal_bars() -> None:
    import matplotlib.pyplot as plt

    names = [f"第{i}个很长的责任单位名称" for i in range(14)]
    figure = chart_module._figure(_bars(list(range(50, 64)), names), "en")
    try:
        (axes,) = figure.axes
        assert len(axes.get_yticklabels()) == 14  # names down the side: none overlap
        assert axes.xaxis.get_major_formatter()(12345, 0) == "12,345"
    finally:
        plt.close(figure)


def test_the_html_page_embeds_every_chart() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", chart_module.CJKFontWarning)
        report = _report()
        page = report.to_html()
    assert page.count('<img alt="') == len(report.figures) == 2
    assert page.count('src="data:image/png;base64,') == 2
    assert "@media print" in page and "size: A4" in page
    assert "<img" not in report.to_html(charts=False)


def test_a_table_row_of_the_wrong_width_is_refused() -> None:
    with pytest.raises(ValueError, match="2 cells, not 1"):
        Table("t", "表", "T", (Column("a", "甲", "A"),), (("x", "y"),))
