"""`--sheet` on `townplan import register` and `import progress`: a workbook of several
sheets (one hidden, as offices keep a template) is read at the sheet named, and a name it
lacks is one line listing the sheets there are."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest
from tests.cli.conftest import Run

from townplan.ledger import LedgerStore

HEADER = ["项目编号", "项目名称", "项目类别", "总投资（万元）"]


@pytest.fixture
def book(tmp_path: Path) -> Path:
    """说明 (a note), 2013 and 2012 (registers), 模板 (hidden), 6月 (progress)."""
    workbook = openpyxl.Workbook()
    note = workbook.active
    note.title = "说明"
    note.append(["本表由城建办填报，每月5日前报送"])
    for title, rows in (
        ("2013", [HEADER, ["P1", "中心大道", "基础设施", 1200], ["P2", "新医院", "民生", 800]]),
        ("2012", [HEADER, ["P9", "旧路改造", "基础设施", 300]]),
        ("模板", [HEADER, ["X1", "示例项目", "民生", 1]]),
        ("6月", [["2013年6月进度表"], ["项目编号", "本月完成（万元）", "形象进度"],
                ["P2", 120, "主体封顶"]]),
    ):  # fmt: skip
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    workbook["模板"].sheet_state = "hidden"
    path = tmp_path / "项目库.xlsx"
    workbook.save(path)
    return path


def test_sheet_picks_the_worksheet_even_a_hidden_one(run: Run, book: Path, tmp_path: Path) -> None:
    db = tmp_path / "town.db"
    first = run.ok("import", "register", db, book).stdout
    assert "工作表 2013" in first and "未读隐藏工作表（模板）" in first
    run.ok("import", "register", db, book, "--sheet", "2012")
    run.ok("import", "register", db, book, "--sheet", "模板")  # hidden, read when named
    run.ok("import", "progress", db, book, "--sheet", "6月")
    with LedgerStore.open(db) as ledger:
        assert {p.code: p.name for p in ledger.projects()} == {
            "P1": "中心大道", "P2": "新医院", "P9": "旧路改造", "X1": "示例项目"
        }  # fmt: skip
        (report,) = ledger.progress("P2")
        assert (str(report.period), report.note) == ("2013-06", "主体封顶")


@pytest.mark.parametrize("command", ["register", "progress"])
def test_a_sheet_the_workbook_lacks_is_one_line_listing_its_sheets(
    run: Run, book: Path, tmp_path: Path, command: str
) -> None:
    db = tmp_path / "town.db"
    run.ok("import", "register", db, book)
    before = db.read_bytes()
    message = run.fails("import", command, db, book, "--sheet", "2014", code=1)
    assert "'2014'" in message
    assert "'说明', '2013', '2012', '模板' (hidden), '6月'" in message
    assert db.read_bytes() == before


def test_a_sheet_named_for_a_csv_file_is_refused(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "register.csv"
    path.write_text(",".join(HEADER) + "\nP1,中心大道,基础设施,1200\n", encoding="utf-8")
    message = run.fails("import", "register", tmp_path / "t.db", path, "--sheet", "2013")
    assert ".csv 文件只有一张表" in message
    assert not (tmp_path / "t.db").exists()
