"""Layouts A and D as offices send them — .xlsx, .xls (made by LibreOffice) and GBK CSV —
import as laid out; every value that lands is checked against the sheet's own cells."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest

import townplan as tp
from townplan.ledger import LedgerStore

FORMATS = ["xlsx", "xls", "csv"]
STAGES = {"续建": tp.Stage.CONTINUING, "新建": tp.Stage.NEW_START, "扩建": tp.Stage.NEW_START,
          "竣工": tp.Stage.COMPLETED}  # fmt: skip
CATEGORIES = {"基础设施": tp.Category.INFRASTRUCTURE, "产业": tp.Category.INDUSTRY,
              "民生": tp.Category.LIVELIHOOD}  # fmt: skip
YEARS = {"2012-2014": (2012, 2014), "2013—2015年": (2013, 2015), "2011-2014": (2011, 2014),
         "2013年": (2013, 2013), "2013.03-2015.12": (2013, 2015), "2011-2013": (2011, 2013),
         "2013-03/2015-12": (2013, 2015), "2012-2016": (2012, 2016)}  # fmt: skip


def wan(value: object) -> tp.Money:
    return tp.Money.parse(f"{Decimal(str(value))}万元")


@pytest.fixture
def ledger() -> LedgerStore:
    return LedgerStore.open(":memory:")


@pytest.mark.parametrize("layout_a", FORMATS, indirect=True)
def test_layout_a_lands_as_laid_out(
    layout_a: Path, offices: ModuleType, ledger: LedgerStore
) -> None:
    result = tp.io.import_register(ledger, layout_a, headers={"包联领导": "leader"})
    projects = {p.name: p for p in ledger.projects()}
    expected = [(section, row) for section, rows in offices.SECTIONS_A for row in rows]
    assert sorted(projects) == sorted(row[0] for _, row in expected)
    assert result.derived_codes and len(result.added) == 6
    for section, row in expected:
        (name, _owner, nature, kind, _place, content, years, total, _done, plan, _work,
         _state, unit, leader, _remark) = row  # fmt: skip
        p = projects[name]
        assert p.code.startswith("N") and len(p.code) == 11
        assert p.content == content  # the project's content, not the year's planned work
        assert p.stage is STAGES[nature]
        assert p.category is CATEGORIES[kind]
        assert kind in section
        assert (p.start_year, p.end_year) == YEARS[years]
        assert p.total_investment == wan(total)
        assert p.annual_plan == wan(plan)
        assert p.plan_year == 2013
        assert (p.responsible_unit, p.leader) == (unit, leader)
    assert set(result.ignored) == {
        "项目法人", "建设地点", "2012年底累计完成投资", "2013年计划/主要建设内容", "形象进度",
        "备注",
    }  # fmt: skip
    assert result.hidden_sheets == (() if layout_a.suffix == ".csv" else ("填表说明",))
    before = ledger.counts()
    again = tp.io.import_register(ledger, layout_a, headers={"包联领导": "leader"})
    assert (again.n_added, again.n_changed, again.n_unchanged) == (0, 0, 6)
    assert ledger.counts() == before


@pytest.mark.parametrize("layout_d", FORMATS, indirect=True)
def test_layout_d_lands_as_laid_out(
    layout_d: Path, offices: ModuleType, ledger: LedgerStore
) -> None:
    result = tp.io.import_register(ledger, layout_d)
    assert not result.derived_codes
    for row in offices.ROWS_D:
        name, code, years, unit, _builder, kind, total_yi, plan, _done, _rate, nature = row
        p = ledger.project(code)  # the national project code is the code
        assert p.name == name
        assert p.total_investment == tp.Money.parse(f"{Decimal(str(total_yi))}亿元")
        assert p.annual_plan == wan(plan)
        assert (p.start_year, p.end_year) == YEARS[years]
        assert p.stage is STAGES[nature]
        assert p.category is CATEGORIES[kind]
        assert p.responsible_unit == unit
    assert set(result.ignored) == {"建设单位", "年度累计完成投资（万元）", "年度投资完成率"}
    assert result.ignored_columns == (
        ("E", "建设单位"), ("I", "年度累计完成投资（万元）"), ("J", "年度投资完成率"),
    )  # fmt: skip
    mapping = {header: (field, unit) for _, header, field, unit in result.mapping}
    assert mapping["总投资（亿元）"] == ("total_investment", "亿元")
    assert mapping["年度计划投资（万元）"] == ("annual_plan", "万元")
    assert tp.io.import_register(ledger, layout_d).n_unchanged == 3


@pytest.mark.parametrize("unit_line", [False, True])
def test_a_header_the_town_maps_whole_keeps_its_own_unit(
    offices: ModuleType, tmp_path: Path, ledger: LedgerStore, unit_line: bool
) -> None:
    # the town maps layout D's "总投资（亿元）" to 政府投资 by its whole text, as the
    # misspelt-header advice says to; its cells are still 亿元, whatever the 单位 line says
    rows = offices.grid_d()
    if unit_line:
        rows.insert(1, ["单位：万元"])
    path = offices.write_xlsx(tmp_path / "export.xlsx", rows)
    result = tp.io.import_register(
        ledger, path, headers={"总投资（亿元）": "government_investment"}
    )
    mapping = {header: (field, unit) for _, header, field, unit in result.mapping}
    assert mapping["总投资（亿元）"] == ("government_investment", "亿元")
    for name, code, *_, total_yi, plan, _done, _rate, _nature in offices.ROWS_D:
        p = ledger.project(code)
        assert p.government_investment == tp.Money(Decimal(str(total_yi)) * 100_000_000), name
        assert p.annual_plan == tp.Money(Decimal(plan) * 10_000)


def test_a_register_of_totals_only_says_the_split_is_unknown(
    layout_a: Path, offices: ModuleType, ledger: LedgerStore
) -> None:
    # layout A gives 总投资 but no 政府投资 or 社会投资: the rule cannot select its projects
    result = tp.io.import_register(ledger, layout_a, headers={"包联领导": "leader"})
    names = {p.code: p.name for p in ledger.projects()}
    assert sorted(names[c] for c in result.unsplit) == sorted(
        row[0] for _, rows in offices.SECTIONS_A for row in rows
    )
    assert "6 个项目只有总投资、未分列政府投资和社会投资（两者记为 0），入库标准不会选中它们" in (
        result.summary("zh")
    )
    assert "6 project(s) give only 总投资" in result.summary("en")
    first = next(iter(ledger.projects()))
    verdict = tp.ThresholdPolicy.default().assess(first)
    assert not verdict.eligible
    assert (
        verdict.reasons_cn[0]
        == f"总投资{first.total_investment.format_cn()}未分列政府投资和社会投资"
    )
    # layout D's 总投资 mapped as 政府投资: split, so nothing to say
    assert not tp.io.import_register(
        LedgerStore.open(":memory:"), offices.write_xlsx(layout_a.with_name("d.xlsx"),
        offices.grid_d()), headers={"总投资（亿元）": "government_investment"},
    ).unsplit  # fmt: skip


@pytest.mark.parametrize(("encoding", "named"), [("gbk", "GB18030/GBK"), ("utf-8-sig", "UTF-8")])
def test_a_csv_summary_names_the_encoding_it_was_read_in(
    offices: ModuleType, tmp_path: Path, ledger: LedgerStore, encoding: str, named: str
) -> None:
    path = offices.write_csv(tmp_path / "export.csv", offices.grid_d(), encoding=encoding)
    result = tp.io.import_register(ledger, path)
    assert result.encoding is not None and result.encoding.startswith(named)
    assert f"项目库 export.csv（{result.encoding} 编码）：新增 3 个" in result.summary("zh")
    assert f"register export.csv (read as {result.encoding}): Added 3" in result.summary("en")


def test_a_wrong_subtotal_names_both_rows_and_the_column(
    offices: ModuleType, tmp_path: Path, ledger: LedgerStore
) -> None:
    rows, merges = offices.grid_a()
    subtotal = next(i for i, r in enumerate(rows) if r and r[0] == "小计")
    rows[subtotal][8] = rows[subtotal][8] + 1  # 总投资 of the first 小计, one 万元 off
    path = offices.write_xlsx(tmp_path / "plan.xlsx", rows, merges)
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(ledger, path)
    (problem,) = caught.value.errors
    assert (problem.row, problem.column, problem.field) == (subtotal + 1, "I", "total_investment")
    assert "rows 6–8" in problem.expected
    assert ledger.counts()["projects"] == 0


@pytest.mark.parametrize(
    ("header", "field"),
    [("政付投资", "government_investment"), ("责仁单位", "responsible_unit"),
     ("建设阶断", "stage"), ("社会投资（万元）x", "social_investment")],
)  # fmt: skip
def test_a_misspelt_header_is_an_error_naming_the_likely_field(
    tmp_path: Path, ledger: LedgerStore, header: str, field: str
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        f"项目编号,项目名称,项目类别,{header}\nP1,中心大道,基础设施,1200\n", encoding="utf-8"
    )
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(ledger, path)
    (problem,) = caught.value.errors
    assert (problem.value, problem.field, problem.column) == (header, field, "D")
    assert ledger.counts()["projects"] == 0
    # the town maps it, and it imports
    tp.io.import_register(ledger, path, headers={header: field if field != "stage" else ""})
    assert ledger.project("P1").name == "中心大道"
