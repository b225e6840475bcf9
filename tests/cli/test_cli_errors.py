"""A user's mistake gives one clear message and a non-zero exit code, never a traceback.

Usage mistakes (a malformed month or date, a missing file) exit with 2 and click's usage
message; mistakes the library finds (an unknown project, a damaged file) exit with 1 and
one ``error:`` line naming what was wrong.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.cli.conftest import Run

import townplan as tp


@pytest.fixture
def run() -> Run:
    """These tests read the messages in English (``test_cli_language`` reads them in
    Chinese)."""
    return Run("en")


@pytest.mark.parametrize("month", ["2013-13", "2013", "2013-Q2", "June", "2013-6-1", ""])
def test_a_malformed_month(run: Any, sample_db: Path, month: str) -> None:
    message = run.fails("bulletin", sample_db, "--month", month, code=2)
    assert "Invalid value for '--month'" in message
    assert "is not a month like 2013-06" in message


@pytest.mark.parametrize(
    "args",
    [["bulletin", "{db}", "--month", "2013-06", "--as-of", "2013-02-30"],
     ["projects", "{db}", "--as-of", "yesterday"],
     ["export", "json", "{db}", "{tmp}/x.json", "--as-of", "2013/07/01"]],
    ids=["bulletin", "projects", "export"],
)  # fmt: skip
def test_a_malformed_date(run: Any, sample_db: Path, tmp_path: Path, args: list[str]) -> None:
    filled = [a.format(db=sample_db, tmp=tmp_path) for a in args]
    message = run.fails(*filled, code=2)
    assert "is not a date like 2013-06-30" in message


def test_a_month_is_required(run: Any, sample_db: Path) -> None:
    assert "Missing option '--month'" in run.fails("bulletin", sample_db, code=2)


def test_a_year_out_of_range(run: Any, sample_db: Path) -> None:
    assert "'--year'" in run.fails("summary", sample_db, "--year", "1800", code=2)
    assert "'--year'" in run.fails("ranking", sample_db, "--year", "twenty", code=2)


def test_an_unknown_project(run: Any, sample_db: Path) -> None:
    message = run.fails("history", sample_db, "SZ2099-001", code=1)
    assert message == f"error: no project 'SZ2099-001' in {sample_db}"


@pytest.mark.parametrize(
    "command",
    [["info"], ["projects"], ["history", "SZ2013-001"], ["search", "湿地"],
     ["bulletin", "--month", "2013-06"], ["summary", "--year", "2013"],
     ["ranking", "--year", "2013"], ["datasette", "meta.json"],
     ["export", "json", "out.json"]],
    ids=lambda c: c[0],
)  # fmt: skip
def test_a_ledger_that_does_not_exist(run: Any, tmp_path: Path, command: list[str]) -> None:
    missing = tmp_path / "nowhere.db"
    args = [*command[:1], missing, *command[1:]]
    if command[0] == "export":
        args = ["export", "json", missing, tmp_path / "out.json"]
    message = run.fails(*args, code=2)
    assert "nowhere.db" in message and "does not exist" in message
    assert not missing.exists()


@pytest.fixture
def not_a_ledger(tmp_path: Path) -> Path:
    path = tmp_path / "notes.db"
    path.write_text("这不是数据库\n" * 100, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    "command",
    [["info"], ["projects"], ["bulletin", "--month", "2013-06"], ["history", "SZ2013-001"]],
    ids=lambda c: c[0],
)
def test_a_file_that_is_not_a_ledger(run: Any, not_a_ledger: Path, command: list[str]) -> None:
    message = run.fails(command[0], not_a_ledger, *command[1:], code=1)
    assert message.startswith("error:")
    assert "notes.db" in message and "not a readable SQLite database" in message


def test_a_damaged_spreadsheet(run: Any, sample_db: Path, tmp_path: Path) -> None:
    damaged = tmp_path / "progress.xlsx"
    damaged.write_bytes(b"PK\x03\x04 this zip ends here")
    message = run.fails("import", "progress", sample_db, damaged, code=1)
    assert "progress.xlsx" in message and "damaged or not a spreadsheet" in message


def test_a_sheet_without_the_needed_columns(run: Any, sample_db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "june.csv"
    sheet.write_text("甲,乙\n1,2\n", encoding="utf-8")
    message = run.fails("import", "progress", sample_db, sheet, code=1)
    assert "june.csv" in message and "本月完成" in message


def test_a_progress_row_for_an_unknown_project(run: Any, town_db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "june.xlsx"
    workbook = openpyxl.Workbook()
    rows = [["项目编号", "月份", "本月完成（万元）"], ["SZ2099-001", "2013-06", 100]]
    for row in rows:
        workbook.active.append(row)
    workbook.save(sheet)
    message = run.fails("import", "progress", town_db, sheet, code=1)
    assert "SZ2099-001" in message


@pytest.mark.parametrize("which", ["missing", "directory"])
def test_an_import_file_that_cannot_be_read(
    run: Any, sample_db: Path, tmp_path: Path, which: str
) -> None:
    path = tmp_path / "register.xlsx"
    if which == "directory":
        path.mkdir()
    message = run.fails("import", "register", sample_db, path, code=2)
    assert "register.xlsx" in message
    assert ("does not exist" if which == "missing" else "is a directory") in message


@pytest.mark.skipif(os.name != "posix" or os.geteuid() == 0, reason="root reads any file")
def test_an_import_file_without_read_permission(run: Any, sample_db: Path, tmp_path: Path) -> None:
    path = tmp_path / "register.xlsx"
    openpyxl.Workbook().save(path)
    path.chmod(0)
    try:
        message = run.fails("import", "register", sample_db, path)
    finally:
        path.chmod(0o600)
    assert "register.xlsx" in message


def test_a_failed_import_leaves_no_new_ledger(run: Any, tmp_path: Path) -> None:
    bad = tmp_path / "register.xlsx"
    bad.write_text("not a workbook", encoding="utf-8")
    ledger = tmp_path / "new.db"
    run.fails("import", "register", ledger, bad, code=1)
    assert not ledger.exists()


def test_a_register_with_a_bad_cell_changes_nothing(
    run: Any, town_db: Path, tmp_path: Path
) -> None:
    with tp.Ledger.open(town_db) as town:
        before = town.checksum()
    sheet = tmp_path / "register.xlsx"
    workbook = openpyxl.Workbook()
    rows = [["项目编号", "项目名称", "项目类别", "政府投资（万元）"],
            ["P001", "中心大道二期", "基础设施", 12000],
            ["P002", "华阳湿地生态公园", "民生", "12.3.4亿"]]  # fmt: skip
    for row in rows:
        workbook.active.append(row)
    workbook.save(sheet)
    message = run.fails("import", "register", town_db, sheet, code=1)
    assert "12.3.4亿" in message and "row 3" in message
    with tp.Ledger.open(town_db) as town:
        assert town.checksum() == before


def test_unknown_filter_values(run: Any, sample_db: Path) -> None:
    message = run.fails("projects", sample_db, "--category", "火星", code=1)
    assert "火星" in message and "基础设施" in message
    message = run.fails("projects", sample_db, "--order", "nonsense", code=1)
    assert "nonsense" in message and "total_investment" in message


def test_an_unknown_format_or_language(run: Any, sample_db: Path) -> None:
    message = run.fails("bulletin", sample_db, "--month", "2013-06", "--format", "pdf", code=2)
    assert "'pdf' is not one of" in message
    assert "'--lang'" in run.fails("summary", sample_db, "--year", "2013", "--lang", "fr")


def test_an_output_directory_that_cannot_be_made(run: Any, sample_db: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    message = run.fails("bulletin", sample_db, "--month", "2013-06", "--out", blocker, code=2)
    assert "is a file" in message
    message = run.fails("export", "json", sample_db, blocker / "sub" / "x.json", code=1)
    assert "x.json" in message


def test_sample_refuses_an_existing_file(run: Any, sample_db: Path) -> None:
    message = run.fails("sample", sample_db, code=1)
    assert "exists" in message


def test_generate_refuses_a_size_of_zero(run: Any, tmp_path: Path) -> None:
    assert "'--size'" in run.fails("generate", tmp_path / "g.db", "--size", "0", code=2)
    assert not (tmp_path / "g.db").exists()


def test_rollup_with_a_town_that_is_not_a_ledger(
    run: Any, sample_db: Path, not_a_ledger: Path, tmp_path: Path
) -> None:
    message = run.fails("rollup", tmp_path / "city.db", sample_db, not_a_ledger, code=1)
    assert "notes.db" in message
    assert not (tmp_path / "city.db").exists()


def test_an_unknown_command(run: Any) -> None:
    assert "No such command 'bulletins'" in run.fails("bulletins", code=2)
