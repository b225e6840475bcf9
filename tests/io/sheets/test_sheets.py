"""Reading messy registers and progress sheets, built here with openpyxl and csv."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan.errors import FieldError
from townplan.io.sheets.grid import cell_text
from townplan.io.sheets.headers import PROGRESS_HEADERS, REGISTER_HEADERS
from townplan.io.sheets.table import Column, Row, Table, money_cell, read_table

Cells = Sequence[object]


def xlsx(
    path: Path,
    rows: Sequence[Cells],
    merges: Sequence[str] = (),
    title: str = "项目库",
    formats: dict[str, str] | None = None,
) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for cells in merges:
        sheet.merge_cells(cells)
    for cell, number_format in (formats or {}).items():
        sheet[cell].number_format = number_format
    book.save(path)
    return path


def where(problems: Sequence[FieldError]) -> list[tuple[str | None, int | None, str | None]]:
    return [(p.field, p.row, p.column) for p in problems]


def register(path: Path, **kwargs: object) -> Table:
    return read_table(path, headers=REGISTER_HEADERS, required={"code", "name"}, **kwargs)  # type: ignore[arg-type]


HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "总投资（万元）",
    "政府投资(万元)",
    "社会投资",
    "建设阶段",
]


def test_messy_register(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "register.xlsx",
        [
            ["2013年6月重大项目进度表"],
            [None, None, None, None, None, None, "单位：万元"],
            [],
            [*HEADER, "联系电话"],
            [1, "P001", "中心大道", 1234.5, 1000.0, 234.5, "续建", "0755-1234567"],
            [],
            [2, "P002", " 华阳湿地生态公园 ", 30000, 0.1 + 0.2, None, "新开工", "13800000000"],
            [None, None, None],
            ["合计", None, None, 31234.5],
        ],
        merges=["A1:H1", "G2:H2"],
    )
    table = register(path).raise_if_problems()
    assert table.source == "register.xlsx"
    assert table.sheet == "项目库"
    assert table.header_row == 4
    assert table.columns["total_investment"] == Column("D", "总投资（万元）", "万元")
    assert table.columns["social_investment"] == Column("F", "社会投资", "万元")
    assert table.columns["stage"] == Column("G", "建设阶段", None)
    assert table.unmapped == {"H": "联系电话"}
    assert [r.number for r in table.rows] == [5, 7]
    first, second = table.rows
    assert first.values == {
        "seq": "1",
        "code": "P001",
        "name": "中心大道",
        "total_investment": "1234.5",
        "government_investment": "1000",
        "social_investment": "234.5",
        "stage": "续建",
    }
    assert second.values["name"] == "华阳湿地生态公园"
    assert second.values["government_investment"] == "0.3"
    assert second.values["social_investment"] is None
    assert first.cells["name"] == "C"
    assert table.money(first, "total_investment") == tp.Money.parse("1234.5万元")
    assert table.money(second, "social_investment") == tp.Money.zero()


def test_date_and_percent_cells(tmp_path: Path) -> None:
    headers = PROGRESS_HEADERS.merge({"计划开工": "planned_start", "完成率": "rate"})
    path = xlsx(
        tmp_path / "progress.xlsx",
        [
            ["项目编号", "本月完成（万元）", "报送日期", "计划开工", "完成率"],
            ["P001", 12.5, datetime(2013, 7, 3), date(2013, 1, 15), 0.85],
            ["P002", 3, datetime(2013, 7, 4, 9, 30), None, 1],
        ],
        formats={"E2": "0%", "E3": "0.0%"},
    )
    table = read_table(path, headers=headers, required={"project", "completed"})
    assert not table.problems
    assert [dict(r.values) for r in table.rows] == [
        {
            "project": "P001",
            "completed": "12.5",
            "reported_on": "2013-07-03",
            "planned_start": "2013-01-15",
            "rate": "85%",
        },
        {
            "project": "P002",
            "completed": "3",
            "reported_on": "2013-07-04 09:30:00",
            "planned_start": None,
            "rate": "100%",
        },
    ]


def test_grouped_header_with_merged_parent(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "grouped.xlsx",
        [
            ["2013年重大项目表"],
            ["序号", "项目编号", "项目名称", "投资情况（亿元）", None, None, "责任单位"],
            [None, None, None, "总投资", "政府投资", "社会投资（万元）", None],
            [1, "P001", "新沙港二期", 12, 0.5, 11500, "交通局"],
            [2, "P002", "中粮产业园", 8, None, 80000],
        ],
        merges=["A1:G1", "A2:A3", "B2:B3", "C2:C3", "D2:F2", "G2:G3", "G4:G5"],
    )
    table = register(path).raise_if_problems()
    assert table.header_row == 2
    assert [r.number for r in table.rows] == [4, 5]
    assert {f: (c.letter, c.unit) for f, c in table.columns.items()} == {
        "seq": ("A", None),
        "code": ("B", None),
        "name": ("C", None),
        "total_investment": ("D", "亿元"),
        "government_investment": ("E", "亿元"),
        "social_investment": ("F", "万元"),
        "responsible_unit": ("G", None),
    }
    # a merged data cell applies to every row it covers
    assert [r.values["responsible_unit"] for r in table.rows] == ["交通局", "交通局"]
    assert table.money(table.rows[0], "total_investment").format_cn() == "12亿元"


def test_child_row_holds_the_real_headers(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "child.xlsx",
        [
            ["基本情况", None, None, "投资情况"],
            ["序号", "项目编号", "项目名称", "总投资", "政府投资"],
            [1, "P001", "中心大道", 100, 100],
        ],
        merges=["A1:C1", "D1:E1"],
    )
    table = register(path, unit="万元").raise_if_problems()
    assert table.header_row == 2
    assert [r.number for r in table.rows] == [3]
    assert table.columns["government_investment"].unit == "万元"


def test_subtotals_and_totals_anywhere_are_checked(tmp_path: Path) -> None:
    rows: list[Cells] = [
        HEADER,
        [1, "P001", "中心大道", 100],
        [None, None, "小 计", 100],
        [2, "P002", "东环路", 200],
        [3, "P003", "古梅路", 50],
        [None, None, "小计", 250],
        ["合  计（3项）", None, None, 350],
        ["注：数据截至6月底。"],
    ]
    table = register(xlsx(tmp_path / "register.xlsx", rows)).raise_if_problems()
    assert [r.number for r in table.rows] == [2, 4, 5]
    assert table.totals == (3, 6, 7)
    rows[5] = [None, None, "小计", 240]  # rows 4–5 add up to 250
    rows[6] = ["合  计（4项）", None, None, 350]  # three projects, not four
    table = register(xlsx(tmp_path / "wrong.xlsx", rows))
    assert where(table.problems) == [("total_investment", 6, "D"), (None, 7, "A")]
    subtotal, count = table.problems
    assert (subtotal.record, subtotal.value) == ("row 6", "240")
    assert "rows 4–5" in subtotal.expected and "250万元" in subtotal.expected
    assert "3 projects (rows 2–5)" in count.expected
    with pytest.raises(tp.ValidationError) as caught:
        table.raise_if_problems()
    assert caught.value.errors == table.problems


def test_blank_rows_and_prenumbered_template_rows_are_skipped(tmp_path: Path) -> None:
    rows: list[Cells] = [HEADER, [1, "P001", "中心大道", 100], [], [2], [3], [None, None, None]]
    table = register(xlsx(tmp_path / "r.xlsx", rows)).raise_if_problems()
    assert [r.number for r in table.rows] == [2]


def test_header_problems_are_all_reported(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "bad.xlsx",
        [
            ["单位：万元"],
            ["项目名称", "总投资(千亿元)", "政府投资", "项目名称", "社会投资（%）"],
            ["中心大道", 1, 2, "中心大道", 3],
            ["合计", 1, 2],
            ["东环路", 1, 2],
        ],
    )
    table = register(path)
    assert where(table.problems) == [
        ("total_investment", 2, "B"),
        ("name", 2, "D"),
        ("social_investment", 2, "E"),
        ("code", 2, None),
    ]
    unit = table.problems[0]
    assert unit.value == "千亿元"
    assert "万元" in unit.expected
    assert table.columns["government_investment"].unit == "万元"
    assert "项目编号" in table.problems[3].expected
    assert [r.number for r in table.rows] == [3, 5]
    with pytest.raises(tp.ValidationError) as caught:
        table.raise_if_problems()
    assert len(caught.value.errors) == 4


def test_bad_title_unit_is_reported_once(tmp_path: Path) -> None:
    path = xlsx(
        tmp_path / "r.xlsx",
        [["单位：千亿元"], ["项目编号", "项目名称", "总投资", "政府投资"], ["P1", "x", 1, 1]],
    )
    assert where(register(path).problems) == [("total_investment", 1, "A")]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(tmp_path: Path, encoding: str) -> None:
    text = (
        "2013年6月重大项目月度调度表\r\n"
        "单位：万元\r\n"
        '项目编号,项目名称,"本月完成\n(万元)",累计完成（亿元）,形象进度\r\n'
        "P001,中心大道,120.5,1.2,路基完成80%\r\n"
        "\r\n"
        'P002,"五矿钢铁物流, 二期",0,,"主体封顶\n装修中"\r\n'
        "P003,东环路,30,0.5,\r\n"
        "合计,,150.5,,\r\n"
    )
    path = tmp_path / "progress.csv"
    path.write_bytes(text.encode(encoding))
    table = read_table(path, headers=PROGRESS_HEADERS, required={"project", "completed"})
    assert not table.problems
    assert table.sheet == "progress.csv"
    assert table.header_row == 3
    assert table.columns["completed"] == Column("C", "本月完成\n(万元)", "万元")
    assert table.columns["cumulative"].unit == "亿元"
    assert [r.number for r in table.rows] == [5, 7, 9]
    assert table.rows[0].values["note"] == "路基完成80%"
    assert table.rows[1].values["name"] == "五矿钢铁物流, 二期"
    assert table.rows[1].values["note"] == "主体封顶\n装修中"
    assert table.rows[2].cells == {
        "project": "A",
        "name": "B",
        "completed": "C",
        "cumulative": "D",
        "note": "E",
    }


def test_tab_separated_csv(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("项目编号\t项目名称\nP001\t中心大道\n", encoding="utf-8")
    assert [dict(r.values) for r in register(path).raise_if_problems().rows] == [
        {"code": "P001", "name": "中心大道"}
    ]


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    [
        ("empty.xlsx", b"", "empty"),
        ("empty.csv", b"\r\n  \n", "empty"),
        ("random.xlsx", random.Random(1).randbytes(3000), "not a spreadsheet"),
        ("zip.xlsx", b"PK\x03\x04" + bytes(100), "not a spreadsheet"),
        ("register.txt", "项目编号,项目名称\n".encode(), ".xlsx"),
        ("register.xls", b"\xd0\xcf\x11\xe0", "not a spreadsheet"),
        ("random.csv", random.Random(2).randbytes(3000), "GB18030"),
        ("noheader.csv", "甲,乙,丙\n1,2,3\n".encode(), "header row"),
    ],
)
def test_bad_files_give_one_problem(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    table = register(path)
    assert len(table.problems) == 1, table.problems
    problem = table.problems[0]
    assert expected in problem.expected
    assert problem.sheet == name
    assert table.rows == ()
    with pytest.raises(tp.ValidationError):
        table.raise_if_problems()


def test_missing_file_is_a_problem(tmp_path: Path) -> None:
    table = register(tmp_path / "nowhere.xlsx")
    assert [p.value for p in table.problems] == ["nowhere.xlsx"]


def test_no_header_names_the_first_row(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("\n\n重大项目表\n甲,乙\n", encoding="utf-8")
    (problem,) = register(path).problems
    assert (problem.row, problem.value) == (3, "重大项目表")
    assert "项目编号、项目名称" in problem.expected


def test_sheets_are_chosen_by_name_or_by_header(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.title = "说明"
    book.active.append(["本表由三重办填报"])
    data = book.create_sheet("项目库")
    data.append(["项目编号", "项目名称"])
    data.append(["P001", "中心大道"])
    path = tmp_path / "book.xlsx"
    book.save(path)
    assert register(path).sheet == "项目库"
    assert register(path, sheet="项目库").rows[0].values["code"] == "P001"
    (problem,) = register(path, sheet="进度表").problems
    assert problem.value == "进度表"
    assert "'说明', '项目库'" in problem.expected
    (problem,) = register(path, sheet="说明").problems
    assert problem.sheet == "说明"


def test_required_fields_must_be_known() -> None:
    with pytest.raises(ValueError, match="not in the header map"):
        read_table("x.csv", headers=REGISTER_HEADERS, required={"colour"})


def test_money_cells(tmp_path: Path) -> None:
    assert money_cell("1,200", "万元") == tp.Money.parse("1200万元")
    assert money_cell("  ", "亿元") == tp.Money.zero()
    with pytest.raises(tp.ValidationError):
        money_cell("十二", "万元")
    row = Row(7, {"total_investment": "十二"}, {"total_investment": "D"}, "项目库")
    table = Table("r.xlsx", "项目库", {"total_investment": Column("D", "总投资", "万元")}, (row,))
    with pytest.raises(tp.ValidationError) as caught:
        table.money(row, "total_investment")
    (problem,) = caught.value.errors
    assert (problem.sheet, problem.row, problem.column, problem.value) == ("项目库", 7, "D", "十二")


def test_rows_are_immutable() -> None:
    row = Row(2, {"code": "P1"}, {"code": "A"})
    with pytest.raises(TypeError):
        row.values["code"] = "P2"  # type: ignore[index]
    assert row.values == {"code": "P1"}


@pytest.mark.parametrize(
    "label", ["合计", "总 计", "合计(1个)", "全镇合计", "合计1个项目", "小计：", "合计：1 个"]
)
def test_total_labels_at_the_bottom_are_dropped(tmp_path: Path, label: str) -> None:
    rows: list[Cells] = [HEADER, [1, "P001", "小计划项目", 1], [None, label, None, 1]]
    table = register(xlsx(tmp_path / "r.xlsx", rows)).raise_if_problems()
    assert [r.values["name"] for r in table.rows] == ["小计划项目"]


def test_workbook_without_worksheets(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.create_chartsheet("图")
    book.remove(book.active)
    path = tmp_path / "charts.xlsx"
    book.save(path)
    table = register(path)
    assert len(table.problems) == 1
    assert table.rows == ()


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_numbers_render_as_plain_exact_text(number: float) -> None:
    text = cell_text(number)
    assert text is not None
    assert "e" not in text.lower()
    assert not text.endswith(".0")
    exact = Decimal(repr(number))
    assert abs(Decimal(text) - exact) <= abs(exact) * Decimal("1e-14")


@pytest.mark.parametrize("label", ["小计", "合计", "合 计", "全镇合计"])
def test_total_in_the_seq_column_in_the_middle_is_a_total(tmp_path: Path, label: str) -> None:
    rows: list[Cells] = [
        HEADER,
        [1, "P001", "中心大道", 100],
        [label],
        [2, "P002", "东环路", 200],
        [3],  # a pre-numbered template row left empty
        ["合计", None, None, 300],
    ]
    table = register(xlsx(tmp_path / "r.xlsx", rows)).raise_if_problems()
    assert [r.number for r in table.rows] == [2, 4]
    assert table.totals == (3, 6)


def test_total_in_the_seq_column_at_the_bottom_is_dropped(tmp_path: Path) -> None:
    rows: list[Cells] = [HEADER, [1, "P001", "中心大道", 100], ["小计"], [2], [3]]
    table = register(xlsx(tmp_path / "r.xlsx", rows)).raise_if_problems()
    assert [r.number for r in table.rows] == [2]
