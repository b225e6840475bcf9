"""The files a user opens — Excel, CSV, PNG — for the sample town's real reports carry the
same totals as the query API."""

from __future__ import annotations

import csv
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from matplotlib import image

import townplan as tp
from townplan.reports import bulletin, ranking_notice, year_summary
from townplan.reports.charts import cjk_font
from townplan.reports.table import Report

WAN = Decimal(10_000)
JUNE_END = date(2013, 6, 30)

# The sample town records two facts of the first half after 15 July (an environmental
# approval of 25 June, city funds of 20 June): the workbook opens with the note that says so.
BULLETIN_SHEETS = [
    "说明", "分板块完成情况", "分类别完成情况", "分责任单位完成情况", "红灯、黄灯项目",
    "新开工、竣工、投产情况", "开工、前期手续红灯、黄灯项目", "前期手续办理情况（按办理单位）",
    "逾期前期手续（超时倒查）",
    "停缓建、取消项目（不参与序时进度评价）", "分挂点领导项目情况", "2013年资金到位情况",
    "逾期任务（按领导小组）",
    "未办结问题（快速反应）", "2013年6月进度报送情况（未报、迟报）",
    "2013年6月“三重”建设重大项目进度表",
]  # fmt: skip


def _wan(money: tp.Money) -> Decimal:
    return money.amount / WAN


def _june_totals(town: tp.Ledger, report: Report) -> tuple[int, tp.Money, tp.Money, tp.Money]:
    """(projects, annual plan, year to date, remaining) of the June portfolio, by query."""
    query = town.as_of(report.as_of).query().projects().eligible().on(JUNE_END)
    (total,) = list(query.summary())
    return query.count(), total.planned, total.year_to_date, total.remaining


def _read_csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


@pytest.fixture
def june(sample_town: tp.Ledger) -> Report:
    return bulletin(sample_town, "2013-06")


def test_xlsx_sheets_are_the_bulletins_tables(june: Report, tmp_path: Path) -> None:
    path = june.to_xlsx(tmp_path / "bulletin.xlsx")
    workbook = openpyxl.load_workbook(path)
    assert workbook.sheetnames == BULLETIN_SHEETS
    zones = workbook["分板块完成情况"]
    assert zones.freeze_panes == "A2"
    assert [c.value for c in zones[1]][:4] == ["板块", "项目数", "年度计划投资（万元）",
                                               "本年完成投资（万元）"]  # fmt: skip
    assert zones.cell(row=2, column=3).number_format == "#,##0.00"
    assert zones.cell(row=2, column=5).number_format == "0.0%"


@pytest.mark.parametrize("sheet", ["分板块完成情况", "分类别完成情况", "分责任单位完成情况"])
def test_xlsx_total_rows_equal_the_query_api(
    june: Report, sample_town: tp.Ledger, tmp_path: Path, sheet: str
) -> None:
    count, planned, done, remaining = _june_totals(sample_town, june)
    rows = list(openpyxl.load_workbook(june.to_xlsx(tmp_path / "b.xlsx"))[sheet].values)
    total = rows[-1]
    assert total[0] == "合计"
    assert total[1] == count == 36
    assert total[2] == pytest.approx(float(_wan(planned)), abs=1e-6)
    assert total[3] == pytest.approx(float(_wan(done)), abs=1e-6)
    assert total[4] == pytest.approx(float(done.amount / planned.amount), rel=1e-12)
    assert total[5] == pytest.approx(float(_wan(remaining)), abs=1e-6)
    # and the body adds up to the total, as a person checking the sheet would do
    assert sum(row[2] for row in rows[1:-1]) == pytest.approx(total[2], abs=1e-6)
    assert sum(row[3] for row in rows[1:-1]) == pytest.approx(total[3], abs=1e-6)


def test_csv_totals_equal_the_query_api_exactly(
    june: Report, sample_town: tp.Ledger, tmp_path: Path
) -> None:
    paths = june.to_csv(tmp_path)
    assert sorted(p.name for p in paths) == sorted(
        f"bulletin-{key}.csv"
        for key in ("zones", "categories", "units", "lights", "starts", "lifecycle_lights",
                    "procedures", "overdue_procedures", "halted", "leaders", "funding", "tasks",
                    "problems", "reports", "progress", "notes")
    )  # fmt: skip
    count, planned, done, remaining = _june_totals(sample_town, june)
    for key in ("zones", "categories", "units"):
        header, *body, total = _read_csv(tmp_path / f"bulletin-{key}.csv")
        assert header[2:4] == ["年度计划投资（万元）", "本年完成投资（万元）"]
        assert total[0] == "合计" and int(total[1]) == count
        assert Decimal(total[2]) == _wan(planned)
        assert Decimal(total[3]) == _wan(done)
        assert Decimal(total[5]) == _wan(remaining)
        assert sum(Decimal(row[3]) for row in body) == Decimal(total[3])
        assert sum(int(row[6]) for row in body) == int(total[6]) == 3  # red
        assert sum(int(row[7]) for row in body) == int(total[7]) == 2  # amber


def test_csv_lists_the_missing_and_late_reports(june: Report, tmp_path: Path) -> None:
    june.to_csv(tmp_path)
    header, *rows = _read_csv(tmp_path / "bulletin-reports.csv")
    assert header == ["项目编号", "项目名称", "责任单位", "情况", "应报日期", "报送日期"]
    assert {(r[0], r[3], r[5]) for r in rows} == {
        ("SZ2013-003", "迟报", "2013-07-10"), ("SZ2013-022", "迟报", "2013-07-12"),
        ("SZ2013-016", "未报", ""), ("SZ2013-024", "未报", ""),
    }  # fmt: skip


def test_csv_in_english_has_english_headers(june: Report, tmp_path: Path) -> None:
    june.to_csv(tmp_path, lang="en")
    header, *_ = _read_csv(tmp_path / "bulletin-zones.csv")
    assert header[:3] == ["Zone", "Projects", "Annual plan (10k CNY)"]


def test_year_summary_and_ranking_files(sample_town: tp.Ledger, tmp_path: Path) -> None:
    summary = year_summary(sample_town, 2013)
    workbook = openpyxl.load_workbook(summary.to_xlsx(tmp_path / "summary.xlsx"))
    assert workbook.sheetnames == [
        "说明", "分建设阶段", "新开工、竣工、投产情况", "2013年预期目标完成情况",
        "2012年全市考核排名",
        "2013年招商引资（按币种，不折算）", "2013年资金到位情况", "2013年固定资产投资入统情况",
        "招商项目进展", "领导小组任务完成情况",
    ]  # fmt: skip
    query = sample_town.as_of(summary.as_of).query().projects().eligible()
    (year,) = list(query.on(date(2013, 12, 31)).summary())
    total = list(workbook["分建设阶段"].values)[-1]
    assert total[:2] == ("合计", 36)
    assert total[3] == pytest.approx(float(_wan(year.year_to_date)), abs=1e-6)
    summary.to_csv(tmp_path)
    *_, csv_total = _read_csv(tmp_path / "year-summary-stages.csv")
    assert Decimal(csv_total[3]) == _wan(year.year_to_date)

    notice = ranking_notice(sample_town, 2013)
    workbook = openpyxl.load_workbook(notice.to_xlsx(tmp_path / "ranking.xlsx"))
    assert workbook.sheetnames == ["说明", "单位排名", "项目得分", "计分明细"]
    rows = list(workbook["单位排名"].values)[1:]
    for row in rows:  # the score is the sum of its parts in the sheet too
        assert row[2] == pytest.approx(sum(row[3:]), abs=1e-9)
    assert [row[1] for row in rows] == notice.table("ranking").values("unit")


def _pixels(path: Path) -> tuple[int, int, int]:
    """(height, width, distinct colours) of a PNG."""
    data = image.imread(path)
    rgb = (data[..., :3] * 255).round().astype("uint8").reshape(-1, 3)
    return data.shape[0], data.shape[1], len({tuple(p) for p in rgb[:: max(1, len(rgb) // 50_000)]})


def _has_colour(path: Path, hex_colour: str) -> bool:
    data = image.imread(path)
    want = [int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)]
    rgb = (data[..., :3] * 255).round()
    return bool(((abs(rgb - want) <= 2).all(axis=-1)).sum() > 100)


@pytest.mark.parametrize(
    ("build", "names"),
    [
        (
            lambda t: bulletin(t, "2013-06"),
            ["bulletin-zones", "bulletin-lights", "bulletin-monthly"],
        ),
        (lambda t: year_summary(t, 2013), ["year-summary-stages"]),
        (lambda t: ranking_notice(t, 2013), ["ranking-scores"]),
    ],
    ids=["bulletin", "year-summary", "ranking"],
)
def test_charts_are_real_non_trivial_images(
    sample_town: tp.Ledger, tmp_path: Path, build: Callable[[tp.Ledger], Report],
    names: list[str],
) -> None:  # fmt: skip
    paths = build(sample_town).charts(tmp_path)
    keys = [p for p in paths if p.suffix == ".csv"]
    paths = [p for p in paths if p.suffix == ".png"]
    assert [p.stem for p in paths] == names
    # without a Chinese font a chart drawn with numbered labels gets its key beside it
    assert all(k.stem.removesuffix("-key") in names for k in keys)
    assert not keys or cjk_font() is None
    for path in paths:
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert path.stat().st_size > 10_000
        height, width, colours = _pixels(path)
        assert width >= 600 and height >= 300
        assert colours > 20  # axes, labels, bars: not a blank canvas


def test_the_light_chart_is_drawn_in_traffic_light_colours_with_chinese_labels(
    june: Report, tmp_path: Path, recwarn: pytest.WarningsRecorder
) -> None:
    (lights,) = [p for p in june.charts(tmp_path) if p.stem == "bulletin-lights"]
    for colour in ("#cf222e", "#bf8700", "#1a7f37"):
        assert _has_colour(lights, colour), colour
    if cjk_font() is not None:  # else charts fall back to English, with a warning
        assert not [w for w in recwarn if "CJK" in str(w.message) or "Glyph" in str(w.message)]
