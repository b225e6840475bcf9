"""Layout B, the wide progress sheet (重点项目建设进度表), imports as one progress report per
project and month; every value that lands is checked against the sheet's own cells
(``progress_b.py``)."""

from __future__ import annotations

import importlib.util
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from tests.cli.conftest import Run

import townplan as tp
from townplan.ledger import LedgerStore

HERE = Path(__file__).resolve().parent
CODES = {"中心大道二期": "P1", "华阳湿地生态公园": "P2"}


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "townplan_test_progress_b", HERE / "progress_b.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


B = _load()


def wan(value: object) -> tp.Money:
    return tp.Money.parse(f"{Decimal(str(value))}万元")


@pytest.fixture
def ledger() -> Iterator[LedgerStore]:
    """The town's register holds the sheet's two projects (by the names the sheet uses)."""
    with LedgerStore.open(":memory:") as store:
        store.add_projects(
            [tp.Project(code=code, name=name, category=tp.Category.INFRASTRUCTURE)
             for name, code in CODES.items()],
            on=date(2013, 1, 1), recorded_at=date(2013, 1, 1),
        )  # fmt: skip
        yield store


@pytest.fixture(params=["xlsx", "xlsx-merged", "csv"])
def sheet_b(request: pytest.FixtureRequest, tmp_path: Path) -> tuple[Path, bool]:
    """Layout B as .xlsx with flat headers, .xlsx with "1月" merged over its pair, and GBK
    CSV as Excel saves the flat one; and whether the header is merged."""
    merged = request.param == "xlsx-merged"
    rows, merges = B.grid(merged=merged)
    if request.param == "csv":
        return B.write_csv(tmp_path / "进度表.csv", rows), merged
    return B.write_xlsx(tmp_path / "进度表.xlsx", rows, merges), merged


def expected() -> dict[tuple[str, str], tuple[tp.Money, tp.Money | None, str]]:
    """(code, month) → (completed, cumulative, note), read off the literal cells."""
    found = {}
    for name, _content, _years, _total, _plan, done, months, *_ in B.ROWS:
        for month, (note, amount) in months.items():
            cumulative = wan(done) if month == max(months) else None
            found[(CODES[name], f"2013-{month:02d}")] = (wan(amount), cumulative, note)
    return found


def landed(ledger: LedgerStore) -> dict[tuple[str, str], tuple[tp.Money, tp.Money | None, str]]:
    return {
        (r.project, str(r.period)): (r.completed, r.cumulative, r.note)
        for code in CODES.values()
        for r in ledger.progress(code)
    }


def test_layout_b_lands_one_report_per_project_and_month(
    sheet_b: tuple[Path, bool], ledger: LedgerStore
) -> None:
    path, merged = sheet_b
    result = tp.io.import_progress(ledger, path)
    assert landed(ledger) == expected()
    assert sorted(result.added) == sorted(f"{c} {m}" for c, m in expected())
    assert set(result.ignored) == {
        "建设内容及规模", "建设起止年限", "总投资", "2013年计划投资", "存在问题",
        "开工/计划开工时间", "资金来源", "责任单位",
    }  # fmt: skip
    mapping = {header: (field, unit) for _, header, field, unit in result.mapping}
    under = "/" if merged else ""  # a merged "1月" over its pair: the path "1月/形象进度"
    assert mapping[f"3月{under}实际完成投资"] == ("completed_03", "万元")  # the 单位 line's
    assert mapping[f"12月{under}形象进度"] == ("note_12", None)
    assert mapping["自开始累积完成投资"] == ("cumulative", "万元")
    before = ledger.counts()
    again = tp.io.import_progress(ledger, path)
    assert (again.n_added, again.n_changed, again.n_unchanged) == (0, 0, len(expected()))
    assert ledger.counts() == before


def test_next_months_sheet_adds_its_month_and_keeps_the_earlier_cumulative(
    tmp_path: Path, ledger: LedgerStore
) -> None:
    june = B.write_xlsx(tmp_path / "june.xlsx", *B.grid())
    tp.io.import_progress(ledger, june)
    rows, merges = B.grid()
    row = rows[3]  # 中心大道二期: July's pair, and 自开始累积 as of July
    july_note, july_amount, done_july = "路面基层完成90%", 380, 6692.5
    column = len(B.LEFT) + 2 * 6
    row[column], row[column + 1], row[6] = july_note, july_amount, done_july
    rows[-1][column + 1] = july_amount
    rows[-1][6] = float(rows[-1][6]) + done_july - 6312.5
    july = B.write_xlsx(tmp_path / "july.xlsx", rows, merges)
    result = tp.io.import_progress(ledger, july)
    assert result.added == ("P1 2013-07",) and result.changed == ()
    reports = {str(r.period): r for r in ledger.progress("P1")}
    assert (reports["2013-07"].completed, reports["2013-07"].cumulative) == (
        wan(july_amount), wan(done_july)
    )  # fmt: skip
    assert reports["2013-07"].note == july_note
    assert reports["2013-06"].cumulative == wan(6312.5)  # as the June sheet gave it


def test_period_imports_one_month_and_lists_the_others_as_not_used(
    tmp_path: Path, ledger: LedgerStore
) -> None:
    path = B.write_xlsx(tmp_path / "b.xlsx", *B.grid())
    result = tp.io.import_progress(ledger, path, period="2013-04")
    assert result.added == ("P1 2013-04", "P2 2013-04")
    assert landed(ledger) == {k: v for k, v in expected().items() if k[1] == "2013-04"}
    assert {"3月实际完成投资", "5月形象进度", "12月实际完成投资"} <= set(result.ignored)
    assert "4月实际完成投资" not in result.ignored


def test_the_year_comes_from_the_title_or_the_call(tmp_path: Path, ledger: LedgerStore) -> None:
    rows, merges = B.grid()
    rows[0] = ["重点项目建设进度表"]  # no year anywhere
    path = B.write_xlsx(tmp_path / "b.xlsx", rows, merges)
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_progress(ledger, path)
    (problem,) = caught.value.errors
    assert problem.field == "year" and "year=" in problem.expected
    tp.io.import_progress(ledger, path, year=2014)
    assert {str(r.period) for r in ledger.progress("P2")} == {"2014-03", "2014-04", "2014-05",
                                                              "2014-06"}  # fmt: skip


@pytest.mark.parametrize(
    ("header", "field"), [("3月实际完成投贤", "completed_03"), ("6月形像进度", "note_06")]
)
def test_a_header_near_a_month_header_names_it(
    tmp_path: Path, ledger: LedgerStore, header: str, field: str
) -> None:
    rows, merges = B.grid()
    column = rows[2].index(header[:2] + ("实际完成投资" if "完成" in header else "形象进度"))
    rows[2][column] = header
    path = B.write_xlsx(tmp_path / "b.xlsx", rows, merges)
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_progress(ledger, path)
    (problem,) = caught.value.errors
    assert (problem.value, problem.field, problem.row) == (header, field, 3)
    assert problem.column == B._letter(column)
    assert ledger.counts()["progress"] == 0


def test_the_count_and_the_sums_of_the_total_row_are_checked(
    tmp_path: Path, ledger: LedgerStore
) -> None:
    rows, merges = B.grid(count=3)
    path = B.write_xlsx(tmp_path / "b.xlsx", rows, merges)
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_progress(ledger, path)
    (problem,) = caught.value.errors
    assert (problem.row, problem.value) == (len(rows), "合计：3 个")
    assert "2 projects (rows 4–5)" in problem.expected
    rows, merges = B.grid()
    column = len(B.LEFT) + 2 * 4 + 1  # 5月实际完成投资
    rows[-1][column] = float(rows[-1][column]) + 0.01
    path = B.write_xlsx(tmp_path / "b2.xlsx", rows, merges)
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_progress(ledger, path)
    (problem,) = caught.value.errors
    assert (problem.row, problem.column, problem.field) == (len(rows), B._letter(column),
                                                            "completed_05")  # fmt: skip
    assert ledger.counts()["progress"] == 0


@pytest.mark.long  # five command-line runs
def test_the_command_line_imports_layout_b(tmp_path: Path) -> None:
    db = tmp_path / "town.db"
    with LedgerStore.open(db) as store:
        store.add_projects([tp.Project(code=c, name=n, category=tp.Category.INFRASTRUCTURE)
                            for n, c in CODES.items()])  # fmt: skip
    path = B.write_xlsx(tmp_path / "进度表.xlsx", *B.grid())
    run = Run()
    dry = run.ok("import", "progress", db, path, "--dry-run").stdout
    lines = [line.split("\t") for line in dry.splitlines() if "\t" in line]
    assert ["I", "1月实际完成投资", "completed_01", "万元"] in lines
    assert ["H", "1月形象进度", "note_01", ""] in lines
    assert ["AF", "存在问题", "—", ""] in lines  # after A–G and twelve pairs of months
    rows, merges = B.grid()
    rows[0] = ["重点项目建设进度表"]  # no year in the title
    untitled = B.write_xlsx(tmp_path / "untitled.xlsx", rows, merges)
    assert "--year" in run.fails("import", "progress", db, untitled, code=1)
    run.ok("import", "progress", db, untitled, "--year", "2013")
    with LedgerStore.open(db) as ledger:
        assert landed(ledger) == expected()


def test_a_note_without_an_amount_column_is_a_report_of_nothing_invested(
    tmp_path: Path, ledger: LedgerStore
) -> None:
    rows = [["2013年重点项目建设进度表"], ["项目名称", "1月形象进度", "1月实际完成投资（万元）",
            "2月形象进度"], ["中心大道二期", "路基施工", 300, "春节停工"]]  # fmt: skip
    path = B.write_xlsx(tmp_path / "b.xlsx", rows, [])
    tp.io.import_progress(ledger, path)
    assert landed(ledger) == {
        ("P1", "2013-01"): (wan(300), None, "路基施工"),
        ("P1", "2013-02"): (tp.Money.zero("CNY"), None, "春节停工"),
    }
    long = tmp_path / "june.csv"
    long.write_text("项目编号,本月完成（万元）\nP1,100\n", encoding="utf-8")
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_progress(ledger, long, period="2013-06", year=2013)
    assert [p.field for p in caught.value.errors] == ["year"]


def test_this_months_headers_are_known_and_last_months_must_be_mapped(
    tmp_path: Path, ledger: LedgerStore
) -> None:
    path = tmp_path / "june.csv"
    path.write_text(
        "2013年6月重大项目进度表\n项目编号,本月实际完成投资（万元）,本月形象进度,上月形象进度\n"
        "P1,120,路面施工,路基完成\n",
        encoding="utf-8",
    )
    with pytest.raises(tp.ValidationError) as caught:  # one word from 本月形象进度
        tp.io.import_progress(ledger, path)
    (problem,) = caught.value.errors
    assert (problem.value, problem.field, problem.column) == ("上月形象进度", "note", "D")
    result = tp.io.import_progress(ledger, path, headers={"上月形象进度": ""})
    assert landed(ledger) == {("P1", "2013-06"): (wan(120), None, "路面施工")}
    assert result.ignored == ("上月形象进度",)
