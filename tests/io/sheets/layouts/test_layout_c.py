"""Layout C — 年度市直政府性投资项目计划表 — as a city office lays it out: a title, "单位：万元",
a four-level merged header (政府直接投资项目 > 本年度计划投资及资金来源 > 市级 > 小计 | 财政 |
城投 | 交投 | 其他; PPP项目 > 总投资 | 计划投资), section rows 一、续建项目 / 二、新开工项目 /
三、PPP项目, a 小计 after each section and 合计 at the bottom. Every value that lands — the
projects and the year's funding plan by source — is checked against the cells written here."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from click.testing import CliRunner

import townplan as tp
from townplan.cli import cli
from townplan.ledger import LedgerStore

TITLE = "2013年市直政府性投资项目计划表"
# Columns: A 序号, B 项目名称, C 建设内容及规模, D 建设年限, E 政府直接投资项目/总投资,
# F 截至上年底完成投资, G 本年度计划投资及资金来源/合计, H 中央, I 省级, J 市级/小计, K 市级/财政,
# L 市级/城投, M 市级/交投, N 市级/其他, O 县区及管委会, P PPP项目/总投资, Q PPP项目/计划投资,
# R 年度工作目标, S 项目责任单位, T 责任人, U 备注.
HEADER = {
    3: {"A": "序号", "B": "项目名称", "C": "建设内容及规模", "D": "建设年限",
        "E": "政府直接投资项目", "P": "PPP项目", "R": "年度工作目标", "S": "项目责任单位",
        "T": "责任人", "U": "备注"},
    4: {"E": "总投资", "F": "截至上年底完成投资", "G": "本年度计划投资及资金来源", "P": "总投资",
        "Q": "计划投资"},
    5: {"G": "合计", "H": "中央", "I": "省级", "J": "市级", "O": "县区及管委会"},
    6: {"J": "小计", "K": "财政", "L": "城投", "M": "交投", "N": "其他"},
}  # fmt: skip
MERGES = [
    "A1:U1", "E3:O3", "P3:Q3", "G4:O4", "J5:N5",
    *(f"{c}3:{c}6" for c in "ABCDRSTU"), *(f"{c}4:{c}6" for c in "EFPQ"),
    *(f"{c}5:{c}6" for c in "GHIO"),
]  # fmt: skip
#: (section, [(name, 内容, 年限, {column: 万元}, 年度工作目标, 责任单位, 责任人, 备注)])
SECTIONS: tuple[tuple[str, tuple[tuple[Any, ...], ...]], ...] = (
    ("一、续建项目（2项）", (
        ("东莞大道快速化改造", "改造主线5.6公里，新建高架桥2座", "2012-2014",
         {"E": 36000, "F": 12000, "G": 15000, "H": 3000, "I": 2000, "J": 8000, "K": 5000,
          "L": 2000, "N": 1000, "O": 2000},
         "完成主线高架桥", "市交通运输局", "王明", None),
        ("市第三人民医院", "床位600张", "2011-2014",
         {"E": 48000, "F": 30000, "G": 12000, "H": 4000, "J": 6000, "K": 6000, "O": 2000},
         "主体结构封顶", "市卫生局", "李华", None),
    )),
    ("二、新开工项目（2项）", (
        ("松山湖大道延伸段", "新建道路3.2公里", "2013-2015",
         {"E": 22000, "F": 0, "G": 8000, "I": 1500, "J": 4500, "K": 1500, "M": 3000,
          "O": 2000},
         "完成路基工程", "市交通运输局", "王明", "省重点"),
        ("东江水质净化厂三期", "日处理污水10万吨", "2013-2014",
         {"E": 15000.5, "G": 6000.5, "H": 2000, "J": 4000.5, "K": 4000.5},
         "完成土建工程70%", "市水务局", "陈刚", None),
    )),
    ("三、PPP项目（1项）", (
        ("城市轨道交通R2线配套工程", "站点配套及接驳道路", "2013-2017",
         {"P": 120000, "Q": 25000},
         "完成征地拆迁", "市轨道交通办", "赵强", "社会资本方：某投资集团"),
    )),
)  # fmt: skip
STAGES = {"续建": tp.Stage.CONTINUING, "新开工": tp.Stage.NEW_START, "PPP": tp.Stage.PREPARATION}
#: The source each column lands in with the default mapping (城投 and 交投 are one source).
DEFAULT_SOURCES = {"H": "central", "I": "province", "K": "city", "L": "platform",
                   "M": "platform", "N": "city", "O": "town", "Q": "ppp"}  # fmt: skip


def wan(value: object) -> tp.Money:
    return tp.Money.parse(f"{Decimal(str(value))}万元")


def grid(changes: dict[tuple[str, str], float] | None = None) -> dict[tuple[int, str], object]:
    """Layout C as {(row, column letter): value}: what an office types (with a project's
    amounts changed by ``changes`` {(name, column): 万元}, its 小计 and 合计 following)."""
    cells: dict[tuple[int, str], object] = {(1, "A"): TITLE, (2, "U"): "单位：万元"}
    for row, texts in HEADER.items():
        cells.update({(row, c): t for c, t in texts.items()})
    row, number = 6, 0
    total: dict[str, float] = {}
    for section, projects in SECTIONS:
        row += 1
        cells[(row, "A")] = section
        sub: dict[str, float] = {}
        for name, content, years, money, goal, unit, leader, remark in projects:
            row, number = row + 1, number + 1
            texts = {"A": number, "B": name, "C": content, "D": years, "R": goal, "S": unit,
                     "T": leader, "U": remark}  # fmt: skip
            money = {**money, **{c: v for (n, c), v in (changes or {}).items() if n == name}}
            cells.update({(row, c): v for c, v in {**texts, **money}.items() if v is not None})
            for c, v in money.items():
                sub[c] = sub.get(c, 0) + v
        row += 1
        cells[(row, "A")] = "小计"
        cells.update({(row, c): v for c, v in sub.items()})
        for c, v in sub.items():
            total[c] = total.get(c, 0) + v
    row += 1
    cells[(row, "A")] = f"合计（{number}项）"
    cells.update({(row, c): v for c, v in total.items()})
    return cells


def write(path: Path, cells: dict[tuple[int, str], object]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "2013年计划"
    for (row, column), value in cells.items():
        sheet[f"{column}{row}"] = value
    for merge in MERGES + [f"A{r}:U{r}" for (r, c), v in cells.items()
                           if c == "A" and isinstance(v, str) and "、" in v]:  # fmt: skip
        sheet.merge_cells(merge)
    book.save(path)
    return path


def row_of(cells: dict[tuple[int, str], object], name: str) -> int:
    return next(r for (r, c), v in cells.items() if c == "B" and v == name)


@pytest.fixture
def ledger() -> LedgerStore:
    return LedgerStore.open(":memory:")


@pytest.fixture
def sheet(tmp_path: Path) -> Path:
    return write(tmp_path / "plan-c.xlsx", grid())


def test_layout_c_lands_projects_and_the_funding_plan_by_source(
    sheet: Path, ledger: LedgerStore
) -> None:
    result = tp.io.import_register(ledger, sheet, category="基础设施")
    projects = {p.name: p for p in ledger.projects()}
    rows = [(section, row) for section, rs in SECTIONS for row in rs]
    assert sorted(projects) == sorted(r[0] for _, r in rows)
    assert result.derived_codes and len(result.added) == 5
    planned = 0
    for section, (name, content, years, money, goal, unit, leader, _remark) in rows:
        p = projects[name]
        assert (p.content, p.annual_goal, p.responsible_unit, p.leader) == (
            content, goal, unit, leader)  # fmt: skip
        assert (p.start_year, p.end_year) == tuple(int(y) for y in years.split("-"))
        assert p.stage is next(s for word, s in STAGES.items() if word in section)
        assert p.category is tp.Category.INFRASTRUCTURE
        assert p.government_investment == wan(money.get("E", 0))
        assert p.social_investment == wan(money.get("P", 0))
        assert p.total_investment == wan(money.get("E", 0) + money.get("P", 0))
        assert p.annual_plan == wan(money.get("G", 0) + money.get("Q", 0))
        assert p.plan_year == 2013
        expected: dict[str, Decimal] = {}
        for column, source in DEFAULT_SOURCES.items():
            if column in money:
                expected[source] = expected.get(source, Decimal(0)) + Decimal(str(money[column]))
        plans = ledger.funding_plans(p.code, 2013)
        assert {f.source: f.amount for f in plans} == {s: wan(v) for s, v in expected.items()}
        planned += len(plans)
    assert len(result.plans) == planned == 15
    assert set(result.ignored) == {"政府直接投资项目/截至上年底完成投资", "备注"}
    fields = {header: field for _, header, field, _ in result.mapping}
    assert fields["政府直接投资项目/本年度计划投资及资金来源/市级/财政"] == "funding:city"
    assert fields["政府直接投资项目/本年度计划投资及资金来源/市级/小计"] == "funding:市级/小计"
    assert fields["PPP项目/计划投资"] == "funding:ppp"
    before = ledger.counts()
    again = tp.io.import_register(ledger, sheet, category="基础设施")
    assert (again.n_added, again.n_changed, again.n_unchanged, again.plans) == (0, 0, 5, ())
    assert ledger.counts() == before
    assert len(ledger.db.execute("SELECT * FROM funding_plans").fetchall()) == planned


def test_a_town_maps_a_source_column_to_a_source_of_its_own(
    sheet: Path, ledger: LedgerStore
) -> None:
    ledger.add_funding_sources([tp.FundingSource("city_other", "市级其他资金")])
    tp.io.import_register(ledger, sheet, category="基础设施",
                          sources={"市级/其他": "市级其他资金", "交投": "loan"})  # fmt: skip
    road = next(p for p in ledger.projects() if p.name == "东莞大道快速化改造")
    plans = {f.source: f.amount for f in ledger.funding_plans(road.code, 2013)}
    assert plans == {"central": wan(3000), "province": wan(2000), "city": wan(5000),
                     "platform": wan(2000), "city_other": wan(1000), "town": wan(2000)}  # fmt: skip
    avenue = next(p for p in ledger.projects() if p.name == "松山湖大道延伸段")
    assert {f.source for f in ledger.funding_plans(avenue.code)} == {"province", "city", "loan",
                                                                      "town"}  # fmt: skip


def test_a_subtotal_that_is_not_its_parts_names_both_columns_and_the_row(
    tmp_path: Path, ledger: LedgerStore
) -> None:
    cells = grid()
    row = row_of(cells, "市第三人民医院")
    cells[(row, "J")] = 6500  # 市级/小计 500 over its only part, 财政
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(ledger, write(tmp_path / "c.xlsx", cells), category="基础设施")
    problems = [(p.row, p.column) for p in caught.value.errors]
    assert (row, "J") in problems
    problem = next(p for p in caught.value.errors if (p.row, p.column) == (row, "J"))
    assert "市级/财政" in problem.expected and "column K" in problem.expected
    assert "6000万元" in problem.expected
    assert ledger.counts()["projects"] == 0 and not ledger.funding_plans()


def test_a_total_that_is_not_its_sources_names_both_columns_and_the_row(
    tmp_path: Path, ledger: LedgerStore
) -> None:
    cells = grid()
    row = row_of(cells, "松山湖大道延伸段")
    cells[(row, "O")] = 2100  # 县区及管委会 100 over: the 合计 (G) no longer adds up
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(ledger, write(tmp_path / "c.xlsx", cells), category="基础设施")
    located = {(p.row, p.column): p for p in caught.value.errors}
    problem = located[(row, "G")]
    assert "column O" in problem.expected and "8100万元" in problem.expected
    assert ledger.counts()["projects"] == 0


def test_a_column_naming_no_source_is_an_error_until_mapped(
    tmp_path: Path, ledger: LedgerStore
) -> None:
    cells = grid()
    cells[(6, "N")] = "国企"  # 市级/国企: no source of the codelist
    path = write(tmp_path / "c.xlsx", cells)
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(ledger, path, category="基础设施")
    (problem,) = caught.value.errors
    assert (problem.row, problem.column) == (6, "N")
    assert "sources=" in problem.expected
    tp.io.import_register(ledger, path, category="基础设施", sources={"市级/国企": "enterprise"})
    road = next(p for p in ledger.projects() if p.name == "东莞大道快速化改造")
    assert {f.source: f.amount for f in ledger.funding_plans(road.code)}["enterprise"] == wan(1000)


def test_a_revised_plan_records_only_what_changed_and_keeps_the_old(
    sheet: Path, tmp_path: Path, ledger: LedgerStore
) -> None:
    tp.io.import_register(ledger, sheet, category="基础设施", recorded_at=date(2013, 1, 10))
    plant = "东江水质净化厂三期"
    cells = grid({(plant, "H"): 1000, (plant, "I"): 1000})  # 中央 2000 → 1000, 省级 1000 new
    result = tp.io.import_register(ledger, write(tmp_path / "c2.xlsx", cells),
                                   category="基础设施", recorded_at=date(2013, 7, 1))  # fmt: skip
    plant = next(p for p in ledger.projects() if p.name == "东江水质净化厂三期")
    assert result.plans == (f"{plant.code} 2013 central", f"{plant.code} 2013 province")
    now = {f.source: f.amount for f in ledger.funding_plans(plant.code)}
    then = {f.source: f.amount for f in ledger.as_of(date(2013, 6, 30)).funding_plans(plant.code)}
    assert now == {"central": wan(1000), "province": wan(1000), "city": wan(4000.5)}
    assert then == {"central": wan(2000), "city": wan(4000.5)}


def test_the_command_line_imports_layout_c_with_a_mapping_file(sheet: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "c.toml"
    mapping.write_text('[sources]\n"交投" = "loan"\n', encoding="utf-8")
    db = tmp_path / "city.db"
    args = ["import", "register", str(db), str(sheet), "--category", "基础设施", "--headers",
            str(mapping)]  # fmt: skip
    dry = CliRunner().invoke(cli, [*args, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "funding:loan" in dry.output and "funding:central" in dry.output
    done = CliRunner().invoke(cli, args)
    assert done.exit_code == 0, done.output
    with tp.Ledger.open(db) as city:
        avenue = next(p for p in city.projects() if p.name == "松山湖大道延伸段")
        assert {f.source: f.amount for f in city.funding_plans(avenue.code)}["loan"] == wan(3000)


def test_a_column_mapped_to_a_source_the_ledger_lacks_names_what_was_given_and_what_is_known(
    sheet: Path, ledger: LedgerStore
) -> None:
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(
            ledger, sheet, category="基础设施", sources={"市级/其他": "city_other"}
        )
    (problem,) = caught.value.errors
    assert "'city_other'" in problem.expected and "'市级/其他'" in problem.expected
    assert (
        "central, bond, province, city, town, platform, loan, enterprise, ppp" in problem.expected
    )
    assert ledger.counts()["projects"] == 0
