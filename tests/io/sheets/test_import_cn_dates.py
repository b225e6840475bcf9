"""Importing sheets whose date columns WPS or Chinese Excel wrote: a 报送日期 (day reported)
in the built-in format 31 (yyyy"年"m"月"d"日") that styles.xml does not define, and texts
with a line break typed inside a cell (stored as ``_x000D_``)."""

from __future__ import annotations

import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.io import import_progress, import_register
from townplan.ledger import LedgerStore

YEAR_MONTH_DAY = 'yyyy"年"m"月"d"日"'
HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "本月完成（万元）",
    "累计完成（万元）",
    "形象进度",
    "报送日期",
]


def as_wps_writes(path: Path, code: str, builtin_id: int) -> Path:
    """The workbook at ``path`` with the number format ``code`` (which openpyxl defined)
    replaced by the built-in ``builtin_id``, left undefined, as WPS writes it."""
    with zipfile.ZipFile(path) as z:
        parts = {name: z.read(name) for name in z.namelist()}
    styles = parts["xl/styles.xml"].decode()
    quoted = re.escape(code.replace('"', "&quot;"))
    found = re.search(rf'<numFmt numFmtId="(\d+)" formatCode="{quoted}" ?/>', styles)
    assert found is not None
    styles = styles.replace(found[0], "").replace(
        f'numFmtId="{found[1]}"', f'numFmtId="{builtin_id}"'
    )
    assert code.replace('"', "&quot;") not in styles
    parts["xl/styles.xml"] = styles.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return path


@pytest.fixture
def town(ledger: LedgerStore) -> LedgerStore:
    ledger.add_projects(
        [
            tp.Project(code="P001", name="中心大道二期", category=tp.Category.INFRASTRUCTURE),
            tp.Project(code="P002", name="华阳湿地生态公园", category=tp.Category.LIVELIHOOD),
        ],
        on=date(2013, 1, 1),
        recorded_at=date(2013, 1, 1),
    )
    return ledger


def test_day_reported_in_builtin_format_31(make_xlsx, town: LedgerStore) -> None:
    path = make_xlsx(
        "june.xlsx",
        [
            ["示例镇2013年6月重点项目进度表"],
            HEADER,
            [1, "P001", "中心大道二期", 512.34, 2012.34, "路基完成_x000D_\n80%", date(2013, 7, 3)],
            [2, "P002", "华阳湿地生态公园", 0, None, "征地中", date(2013, 7, 5)],
        ],
        formats={"G3": YEAR_MONTH_DAY, "G4": YEAR_MONTH_DAY},
        sheet="6月",
    )
    result = import_progress(town, as_wps_writes(path, YEAR_MONTH_DAY, 31))
    assert result.added == ("P001 2013-06", "P002 2013-06")
    p1, p2 = next(town.progress("P001")), next(town.progress("P002"))
    assert (p1.reported_on, p1.note) == (date(2013, 7, 3), "路基完成\r\n80%")
    assert p2.reported_on == date(2013, 7, 5)


def test_register_with_a_start_date_column_in_format_31(make_xlsx, ledger: LedgerStore) -> None:
    """The register has no date column: a 开工日期 beside its columns is left out, and
    the rest imports."""
    path = make_xlsx(
        "register.xlsx",
        [
            ["序号", "项目编号", "项目名称", "项目类别", "开工日期", "总投资（万元）", "建设内容"],
            [
                1,
                "P001",
                "中心大道二期",
                "基础设施",
                date(2013, 6, 30),
                12000,
                "道路6公里_x000D_\n桥梁2座",
            ],
        ],
        formats={"E2": YEAR_MONTH_DAY},
    )
    result = import_register(ledger, as_wps_writes(path, YEAR_MONTH_DAY, 31))
    assert result.added == ("P001",)
    project = ledger.project("P001")
    assert project.total_investment == tp.Money.parse("12000万元")
    assert project.content == "道路6公里\r\n桥梁2座"


@pytest.mark.parametrize("builtin_id", [27, 57])  # 年月 formats of zh-CN Excel and WPS
def test_month_column_formatted_as_year_and_month(make_xlsx, town: LedgerStore, builtin_id):
    """A 月份 column that Excel shows as "2013年6月" holds 1 June 2013: it is June."""
    path = make_xlsx(
        "months.xlsx",
        [
            ["序号", "项目编号", "月份", "本月完成（万元）", "报送日期"],
            [1, "P001", date(2013, 6, 1), 512.34, date(2013, 7, 3)],
            [2, "P002", date(2013, 5, 1), 100, date(2013, 6, 3)],
        ],
        formats={"C2": 'yyyy"年"m"月"', "C3": 'yyyy"年"m"月"'},
    )
    result = import_progress(town, as_wps_writes(path, 'yyyy"年"m"月"', builtin_id))
    assert result.added == ("P001 2013-06", "P002 2013-05")


@pytest.mark.parametrize("day", [date(2013, 6, 15), date(3013, 6, 1)])
def test_a_day_that_is_not_a_month_is_refused(make_xlsx, town: LedgerStore, day: date) -> None:
    path = make_xlsx(
        "months.xlsx",
        [
            ["序号", "项目编号", "月份", "本月完成（万元）"],
            [1, "P001", day, 512.34],
        ],
    )
    with pytest.raises(tp.ValidationError) as caught:
        import_progress(town, path)
    (error,) = caught.value.errors
    assert (error.field, error.row, error.value) == ("period", 2, day.isoformat())
    assert town.counts()["progress"] == 0
