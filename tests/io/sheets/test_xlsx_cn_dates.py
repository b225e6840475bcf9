"""Date cells as Chinese Excel and WPS write them: built-in number formats 27–36 and 50–58
(年月日, 时分秒) used without a definition in styles.xml, and formats of the workbook's own
with 年/月/日 in them; a number in any other format stays a number.

Serial 41455 is 2013-06-30 (1899-12-30 plus 41455 days), .75 of a day is 18:00.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from townplan.io.sheets.grid import load_grids

HandmadeXlsx = Callable[..., Path]

ZH_CN = [*range(27, 37), *range(50, 59)]
EVERY_LOCALE = [*range(14, 23), 45, 47]
PLAIN = [0, 1, 2, 3, 4, 11, 12, 13, 37, 38, 39, 40, 48, 49]
SERIALS = '<c r="A1" s="1"><v>41455</v></c><c r="B1" s="1"><v>41455.75</v></c>'
SERIALS += '<c r="C1" s="1"><v>0.75</v></c><c r="D1"><v>41455</v></c>'


def cells(path: Path) -> list[tuple[str | None, ...]]:
    grids, problems = load_grids(path)
    assert problems == []
    return [row.cells for row in grids[0].rows]


def styles(format_id: int, defined: str | None = None) -> str:
    """Cell style 1 shows numbers in format ``format_id`` (defined as ``defined``, if given);
    style 0 in General."""
    numbers = (
        ""
        if defined is None
        else f'<numFmts><numFmt numFmtId="{format_id}" formatCode="{defined}"/></numFmts>'
    )
    return f'{numbers}<cellXfs><xf numFmtId="0"/><xf numFmtId="{format_id}"/></cellXfs>'


@pytest.mark.parametrize("format_id", [*ZH_CN, *EVERY_LOCALE])
def test_builtin_date_formats_need_no_definition(
    handmade_xlsx: HandmadeXlsx, format_id: int
) -> None:
    path = handmade_xlsx(f'<row r="1">{SERIALS}</row>', styles=styles(format_id))
    assert cells(path) == [("2013-06-30", "2013-06-30 18:00:00", "18:00:00", "41455")]


@pytest.mark.parametrize("format_id", PLAIN)
def test_builtin_number_formats_stay_numbers(handmade_xlsx: HandmadeXlsx, format_id: int) -> None:
    path = handmade_xlsx(f'<row r="1">{SERIALS}</row>', styles=styles(format_id))
    assert cells(path) == [("41455", "41455.75", "0.75", "41455")]


def test_a_builtin_id_defined_in_the_workbook_reads_by_its_definition(
    handmade_xlsx: HandmadeXlsx,
) -> None:
    year_month_day = "yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"
    path = handmade_xlsx(f'<row r="1">{SERIALS}</row>', styles=styles(31, year_month_day))
    assert cells(path)[0][0] == "2013-06-30"
    path = handmade_xlsx(f'<row r="1">{SERIALS}</row>', styles=styles(31, "0.00"))
    assert cells(path)[0][0] == "41455"


DATE_CODES = [
    'yyyy"年"m"月"d"日"',
    "[$-804]yyyy年m月d日",
    'yyyy"年"m"月"',
    'm"月"d"日"',
    '[DBNum1][$-804]yyyy"年"m"月"d"日"',
    '[$-804]yyyy"年"m"月"d"日" aaaa',
    "yyyy/m/d;@",
    "[$-F800]dddd, mmmm dd, yyyy",
    'h"时"mm"分"',
]
NUMBER_CODES = [
    '"年"',
    '"开工日期"',
    '"开工日期"@',
    '@"年月日"',
    '0"年"',
    '"第"0"期"',
    '#,##0.00"万元"',
    "[$¥-804]#,##0.00",
    "¥#,##0.00;¥-#,##0.00",
    '"￥"#,##0.00_);[Red]\\("￥"#,##0.00\\)',
    '_ * #,##0.00_ ;_ * \\-#,##0.00_ ;_ * "-"??_ ;_ @_ ',
    "[$-804]General",
    "[DBNum2][$-804]General",
    "#,##0_ ;[Red]-#,##0 ",
]


def written_by_openpyxl(path: Path, number_format: str) -> Path:
    book = openpyxl.Workbook()
    book.active.append([41455, 41455.75])
    for cell in book.active[1]:
        cell.number_format = number_format
    book.save(path)
    return path


@pytest.mark.parametrize("code", DATE_CODES)
def test_own_formats_with_date_codes_are_dates(tmp_path: Path, code: str) -> None:
    path = written_by_openpyxl(tmp_path / "dates.xlsx", code)
    assert cells(path) == [("2013-06-30", "2013-06-30 18:00:00")]


@pytest.mark.parametrize("code", NUMBER_CODES)
def test_literal_text_currency_and_number_formats_are_not(tmp_path: Path, code: str) -> None:
    path = written_by_openpyxl(tmp_path / "numbers.xlsx", code)
    assert cells(path) == [("41455", "41455.75")]


def test_a_register_sheet_with_a_start_date_column(handmade_xlsx: HandmadeXlsx) -> None:
    """A 项目库 sheet from WPS: 开工日期 in format 31, 总投资 in a yuan currency format."""
    header = "".join(
        f'<c r="{letter}1" t="inlineStr"><is><t>{text}</t></is></c>'
        for letter, text in zip(
            "ABCD", ["项目编号", "项目名称", "开工日期", "总投资（万元）"], strict=True
        )
    )
    data = (
        '<c r="A2" t="inlineStr"><is><t>P001</t></is></c>'
        '<c r="B2" t="inlineStr"><is><t>中心大道二期</t></is></c>'
        '<c r="C2" s="1"><v>41455</v></c><c r="D2" s="2"><v>12000.5</v></c>'
    )
    currency = "[$¥-804]#,##0.00"
    style = (
        f'<numFmts><numFmt numFmtId="176" formatCode="{currency}"/></numFmts>'
        '<cellXfs><xf numFmtId="0"/><xf numFmtId="31"/><xf numFmtId="176"/></cellXfs>'
    )
    path = handmade_xlsx(f'<row r="1">{header}</row><row r="2">{data}</row>', styles=style)
    assert cells(path)[1] == ("P001", "中心大道二期", "2013-06-30", "12000.5")
