"""A Chinese run's errors are Chinese: worded from the errors' structure (record, field,
value, sheet, row, column, reason), one line each, never a traceback."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.cli.common import describe
from townplan.cli.errors_zh import describe as in_chinese

# The English an untranslated message would show.
ENGLISH = re.compile(r"\b(expected|got|row|sheet|column|problems?|no such|not a)\b")


def _chinese(message: str) -> str:
    assert message.startswith(("错误：", "用法：")), message
    assert not ENGLISH.search(message), message
    return message


def test_a_file_without_a_header_row_is_said_in_chinese(run: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "bad.csv"
    sheet.write_text("甲,乙\n1,2\n", encoding="utf-8")
    message = _chinese(run.fails("import", "register", tmp_path / "t.db", sheet, code=1))
    assert "工作表 'bad.csv'，第 1 行" in message and "表头行" in message
    assert "项目名称" in message  # the column it must name
    assert not (tmp_path / "t.db").exists()  # nothing left behind


def test_bad_cells_name_sheet_row_column_and_field(run: Any, tmp_path: Path) -> None:
    sheet = tmp_path / "reg.csv"
    sheet.write_text("项目编号,项目名称,项目类别,总投资\nP1,路,基础设施,很多\nP1,桥,基础设施,5\n",
                     encoding="utf-8")  # fmt: skip
    message = _chinese(run.fails("import", "register", tmp_path / "t.db", sheet, code=1))
    assert message.startswith("错误：2 处问题，未写入任何内容")
    assert "第 2 行，D 列（总投资）：'很多' 不符合要求，应为金额" in message
    assert (
        "第 3 行，A 列（项目编号）：'P1' 不符合要求，应为文件中只出现一次的编号（第 2 行已有）"
        in message
    )


def test_a_progress_sheet_s_bad_month_and_unknown_project(run: Any, town_db: Path,
                                                         tmp_path: Path) -> None:  # fmt: skip
    sheet = tmp_path / "june.csv"
    sheet.write_text("项目编号,月份,本月完成（万元）\nNOPE1,2013-06,10\nSZ2013-001,2013-13,5\n",
                     encoding="utf-8")  # fmt: skip
    message = _chinese(run.fails("import", "progress", town_db, sheet, code=1))
    assert "第 3 行，B 列（月份）：'2013-13' 不符合要求，应为形如 2013-06 的月份" in message
    assert "'NOPE1' 不符合要求，应为台账中已有的项目" in message
    no_month = tmp_path / "no-month.csv"
    no_month.write_text("项目编号,本月完成（万元）\nSZ2013-001,10\n", encoding="utf-8")
    message = _chinese(run.fails("import", "progress", town_db, no_month, code=1))
    assert "导入时的 --month" in message


def test_paths_that_are_not_ledgers_or_are_missing(run: Any, tmp_path: Path) -> None:
    text = tmp_path / "notes.db"
    text.write_text("会议记录\n", encoding="utf-8")
    assert _chinese(run.fails("info", text, code=1)) == (
        f"错误：{text} 不是可读的 SQLite 数据库，townplan 不会改动它"
    )
    message = _chinese(run.fails("import", "register", tmp_path / "t.db", tmp_path / "无.csv"))
    assert "'FILE' 的值无效" in message and "不存在" in message
    folder = tmp_path / "folder.xlsx"
    folder.mkdir()
    message = _chinese(run.fails("export", "register", text, folder, code=1))
    assert "这是一个目录" in message


def test_errors_the_library_raises_worded_from_their_structure(sample_town: tp.Ledger) -> None:
    with pytest.raises(tp.NotFoundError) as missing:
        sample_town.project("NOPE")
    assert in_chinese(missing.value) == "没有项目 'NOPE'"
    with pytest.raises(tp.NotFoundError) as group:
        sample_town.group("G99")
    assert in_chinese(group.value) == "没有领导小组 'G99'"
    with pytest.raises(tp.ReadOnlyError) as read_only:
        sample_town.as_of(sample_town.today()).add_units(["新办"])
    assert in_chinese(read_only.value).startswith("这是台账某日的只读视图")
    with pytest.raises(tp.ValidationError) as bad:
        sample_town.set_official_order("units", ["火星办"])
    assert in_chinese(bad.value) == (
        "1 处问题，未写入任何内容：排列顺序·责任单位：'火星办' 不符合要求，应为台账中已有的责任单位"
    )

    units = ["农办"] * 40_000
    units[2000] = "\ud800"
    with pytest.raises(tp.ValidationError) as in_list:
        sample_town.query().projects().where(unit__in=units)
    assert in_chinese(in_list.value) == (
        "1 处问题，未写入任何内容：projects·responsible_unit__in 第 2001 项："
        "'\\ud800' 不符合要求，应为有效的 Unicode 文字"
    )


def test_a_permission_problem_is_one_line_in_either_language() -> None:
    import click

    denied = PermissionError(errno.EACCES, "Permission denied", "/srv/town.db")
    for lang, expected in (("zh", "无法读取 /srv/town.db：没有权限"),
                           ("en", "cannot read /srv/town.db: permission denied")):  # fmt: skip
        with click.Context(click.Command("x"), obj=None) as ctx:
            ctx.meta["townplan.language"] = lang
            assert describe(denied) == expected


def test_generating_the_same_portfolio_twice_is_refused_in_chinese(
    run: Any, tmp_path: Path
) -> None:
    ledger = tmp_path / "g.db"
    run.ok("generate", ledger, "--size", "3", "--months", "0")
    message = _chinese(run.fails("generate", ledger, "--size", "3", "--months", "0", code=1))
    assert message == (
        "错误：1 处与台账不符，未写入任何内容：生成的项目组合·种子：'G1' 不符合要求，"
        "应为台账中还没有的编号（换一个 --seed 或 --town）"
    )


# What a sheet's cells, an option or a --headers file can be told they lack, as the checks
# word it (copied from the checks by hand: a phrase the table misses would stay English).
_USER_FACING = [
    "a month like 2013-06", "a period such as '2013-06', '2013-Q2', '2013-H1', '2013' or "
    "'2013年6月'", "a year such as 2013", "an ISO date such as '2013-06-30'",
    "a funding source of the ledger (its code, name or an alias)",
    'a table of header = field, e.g. "包联领导" = "leader"',
    'a table of source column = funding source, e.g. "交投" = "platform"',
    'a table of 建设性质 = stage, e.g. "储备" = "前期"', "a row as the file's header says",
    "a decimal number", "a whole number of 1 or more", "a day of the month from 1 to 31",
    "an ISO 4217 code of three capital letters, e.g. 'CNY' or 'USD'",
    "text without control characters (at most 500 characters)", "a non-empty name",
    "a town's name without / \\\\ = or control characters, not starting with .",
    "an IANA zone such as 'Asia/Shanghai'", "a whole number of zero or more",
    "a file with a header row and data (this file is empty)",
    "a workbook (.xlsx, .xlsm, .xls, .xlsb, .ods) or a .csv file",
    "a workbook, to name a sheet in (a .csv file is one sheet)",
    "a JSON document, as townplan export json writes it (not JSON at line 3, column 7)",
    "a JSON document, as townplan export json writes it (not UTF-8 text)",
    "1 (this townplan reads 1)", "non-empty text", "a whole number from 1 or null",
    "a table of the ledger's schema: ['deals', 'rules']",
    "a column of deals: ['code', 'name'], holding text, a number or null",
    "a code not already in the ledger", "a name not already in the ledger",
    "a code used once in the batch", "a code not already used", "a name not already used",
    "one procedure of a kind per project", "1 to 9,999,999 projects",
    "a 项目类别 for a new project: 基础设施、产业、民生 or 城市更新",
    "a funding source of the ledger for '市级/其他' (given 'city_other'; the ledger has "
    "central, bond, province, city, town, platform, loan, enterprise, ppp)",
]  # fmt: skip
_WORDS = re.compile(r"[A-Za-z]{3,}")
_KEPT = {"CNY", "USD", "ISO", "IANA", "Asia", "Shanghai", "Unicode", "JSON", "True", "False",
         "leader", "platform", "UTF", "xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "sheet",
         "townplan", "export", "json", "null", "deals", "rules", "code", "name", "other",
         "central", "bond", "province", "city", "town", "loan", "enterprise", "ppp"}  # fmt: skip


@pytest.mark.parametrize("expected", _USER_FACING)
def test_what_a_file_or_an_option_lacks_is_said_in_chinese(expected: str) -> None:
    error = tp.ValidationError([tp.FieldError("row 3", "x", "?", expected, "表", 3, "B")])
    words = set(_WORDS.findall(in_chinese(error))) - _KEPT
    assert words == set(), in_chinese(error)


def test_a_file_an_import_cannot_read_is_said_in_chinese(run: Any, tmp_path: Path) -> None:
    (tmp_path / "empty.csv").write_bytes(b"")
    message = _chinese(run.fails("import", "register", tmp_path / "t.db", tmp_path / "empty.csv"))
    assert message.endswith("应为有表头行和数据的文件（此文件是空的）")
    (tmp_path / "plan.json").write_text('{"format": "townplan",\n "version": 1,,}')
    message = _chinese(run.fails("import", "register", tmp_path / "t.db", tmp_path / "plan.json"))
    assert message.endswith("应为工作簿（.xlsx、.xlsm、.xls、.xlsb、.ods）或 .csv 文件")
    message = _chinese(run.fails("import", "json", tmp_path / "t.db", tmp_path / "plan.json"))
    assert message.endswith(
        "应为townplan export json 写出的 JSON 文档（第 2 行第 15 列起不是 JSON）"
    )
    assert not (tmp_path / "t.db").exists()


def test_a_bad_json_document_is_said_in_chinese_and_a_unit_s_name_is_no_project_s(
    run: Any, tmp_path: Path
) -> None:
    doc = {"format": "townplan", "version": 2}
    (tmp_path / "town.json").write_text(json.dumps(doc), encoding="utf-8")
    message = _chinese(run.fails("import", "json", tmp_path / "t.db", tmp_path / "town.json"))
    assert message.endswith("文档·version：2 不符合要求，应为1（此版本 townplan 读取第 1 版文档）")
    doc = {"format": "townplan", "version": 1, "units": [{"name": ""}]}
    (tmp_path / "town.json").write_text(json.dumps(doc), encoding="utf-8")
    message = _chinese(run.fails("import", "json", tmp_path / "t.db", tmp_path / "town.json"))
    assert message.endswith("units[0]·名称：空 不符合要求，应为非空文字")  # not 项目名称


def test_a_file_with_a_foreign_trigger_is_refused_in_chinese(run: Any, tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "town.db"
    run.ok("new", path)
    conn = sqlite3.connect(path)
    conn.execute("CREATE TRIGGER spy AFTER INSERT ON units BEGIN SELECT 1; END")
    conn.execute("CREATE TABLE audit (what TEXT)")
    conn.commit()
    conn.close()
    message = _chinese(run.fails("info", path))
    assert "含有 townplan 在结构版本" in message
    assert "表 audit；触发器 spy（在表 units 上）" in message
    assert 'DROP TABLE "audit"; DROP TRIGGER "spy";' in message
    assert not re.search(r"\b(the|file|schema|trigger|table)\b", message)


@pytest.mark.parametrize("args", [(), ("import",)])
def test_a_command_given_without_its_subcommand_shows_its_help_not_an_error(
    run: Any, args: tuple[str, ...]
) -> None:
    result = run(*args)
    shown = result.stdout + result.stderr
    command = " ".join(("\\S+", *args))  # the program's name, then the group's
    assert re.match(rf"Usage: {command} \[OPTIONS\] COMMAND", shown.lstrip()), shown
    assert "Commands:" in shown and "错误" not in shown
