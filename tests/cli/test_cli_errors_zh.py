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
    # what a register or progress import says that no small sheet below shows
    "a sheet within townplan's limits (sheet '项目库' reaches column 2,000; at most 1,024)",
    "a sheet within townplan's limits (sheet '项目库' spans more than 5,000,000 cells)",
    "a sheet within townplan's limits (it declares a DOCTYPE)",
    "a sheet within townplan's limits (it unpacks to more than 1,000,000,000 bytes)",
    "a sheet within townplan's limits (it lacks its part xl/_rels/workbook.xml.rels)",
    "a file of at most 5,000,000 cells (read as GB18030)",
    "a file that can be read (Permission denied)", "a file that can be read (Is a directory)",
    "a name that names one project (it names SZ2013-001、SZ2013-002)",
    "CNY, the currency of its progress reports (a project's currency is its own once it has "
    "progress)",
    "a plan year for the funding plan: a year in the title or the plan's header",
    "text without control characters or lone surrogates", "the project's currency CNY",
    "a project name", "a section of 3 projects, as its heading says (rows none hold 0)",
    "0 projects (rows none)", "the sum of rows none, 0元",
    "a header townplan knows — \"总投资'\" looks like '总投资' (total_investment); map it "
    "with headers={\"总投资'\": 'total_investment'}, or to '' to leave it out",
]  # fmt: skip
_WORDS = re.compile(r"[A-Za-z]{3,}")
_KEPT = {"CNY", "USD", "ISO", "IANA", "Asia", "Shanghai", "Unicode", "JSON", "True", "False",
         "leader", "platform", "UTF", "xlsx", "xlsm", "xls", "xlsb", "ods", "csv", "sheet",
         "townplan", "export", "json", "null", "deals", "rules", "code", "name", "other",
         "central", "bond", "province", "city", "town", "loan", "enterprise", "ppp",
         "DOCTYPE", "rels", "workbook", "xml", "total", "investment",
         "headers"}  # fmt: skip


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


# Registers as towns send them, each with one thing the import refuses; what a Chinese run
# says of it (the sheet's numbers, rows, amounts and names kept), and the options given.
_R = "项目编号,项目名称,项目类别,"
_MESSY_REGISTERS = {
    "misspelt header": (
        _R + "政付投资\nP1,路,基础设施,5\n", (),
        "D 列（政府投资）：'政付投资' 不符合要求，应为townplan 能识别的表头（'政付投资' 像是 "
        "'政府投资'，即字段 government_investment）：若正是此列，请在 --headers 文件的 [headers] "
        '中写 "政付投资" = "government_investment"；若不读此列，写 "政付投资" = ""',
    ),
    "小计 that is not its rows' sum": (
        _R + "总投资（万元）\n一、基础设施\nP1,路,基础设施,5000\nP2,桥,基础设施,13000\n"
        "小计,,,20000\n", (),
        "第 5 行，D 列（总投资）：'20000' 不符合要求，应为第 3–4 行之和 18000万元",
    ),
    "合计 that miscounts": (
        _R + "总投资（万元）\nP1,路,基础设施,5000\nP2,桥,基础设施,13000\n合计（3项）,,,18000\n",
        (), "第 4 行，A 列：'合计（3项）' 不符合要求，应为2 个项目（第 2–3 行）",
    ),
    "section that miscounts": (
        _R + "总投资\n一、基础设施（4项）\nP1,路,基础设施,5\nP2,桥,基础设施,5\n二、产业（1项）\n"
        "P3,厂,产业,5\n", (),
        "第 2 行，A 列（分节标题）：'一、基础设施（4项）' 不符合要求，"
        "应为分节标题所写的 4 个项目（第 3–4 行共 2 个）",
    ),
    "起止年限": (
        _R + "总投资,起止年限\nP1,路,基础设施,5,明年\n", (),
        "E 列（起止年限）：'明年' 不符合要求，"
        "应为起止年限，例如 2012-2015、2013-03/2015-12、2013 或 -2015",
    ),
    "category against its section": (
        _R + "总投资\n一、基础设施\nP1,路,产业,5\n", (),
        "C 列（项目类别）：'产业' 不符合要求，应为与所在分节 '基础设施' 一致的项目类别（基础设施）",
    ),
    "stage against its section": (
        _R + "总投资,建设性质\n（二）新开工项目\nP1,路,产业,5,续建\n", (),
        "E 列（建设性质）：'续建' 不符合要求，应为与所在分节 '新开工项目' 一致的建设阶段（新开工）",
    ),
    "unknown 建设性质": (
        _R + "总投资,建设性质\nP1,路,产业,5,筹建\n", (),
        "E 列（建设性质）：'筹建' 不符合要求，应为建设性质，例如 新建、新开工、改建、",
    ),
    "plan year against the sheet's": (
        _R + "总投资（万元）,2013年度计划投资（万元）\nP1,路,基础设施,200,100\n",
        ("--year", "2014"),
        "E 列（导入·计划年度）：2014 不符合要求，"
        "应为表中写明的计划年度 2013（见 '2013年度计划投资（万元）'），或不给 --year",
    ),
    "two columns for one field": (
        "项目编号,项目名称,项目名称,项目类别,总投资\nP1,路,路,基础设施,5\n", (),
        "C 列（项目名称）：'项目名称' 不符合要求，应为只用一列（B 列已是此字段）",
    ),
    "unit that is no money": (
        _R + "总投资（吨）\nP1,路,基础设施,5\n", (),
        "D 列（总投资）：'吨' 不符合要求，应为金额单位，例如 元、万元、亿元、万美元",
    ),
    "amounts in two currencies": (
        _R + "总投资,政府投资,社会投资\nP1,路,基础设施,200万元,100万美元,100万元\n", (),
        "E 列（政府投资）：'100万美元' 不符合要求，应为以 CNY 计的金额（与本行其他金额同一币种）",
    ),
    "line too wide": (
        _R + "总投资" + ",备注" * 1100 + "\nP1,路,基础设施,5\n", (),
        "应为每行最多 1,024 列（此行有 1,104 列；按 UTF-8 编码读取）",
    ),
    "cell too long for CSV": (
        _R + "总投资\nP1,路" + "长" * 140_000 + ",基础设施,5\n", (),
        "应为格式正确的 CSV（有一格超过 131072 个字符的上限；按 UTF-8 编码读取）",
    ),
}  # fmt: skip

# Words a message may keep: options, the --headers file's tables, field names, codes.
_KEPT_WORDS = re.compile(r"--[a-z-]+|\[[a-z]+\]|\b[a-z]+(?:_[a-z]+)+\b|\btownplan\b|\bCSV\b")


def _english_left(message: str) -> list[str]:
    """English words in what the message says was expected (after each 应为)."""
    said = " ".join(message.split("应为")[1:])
    return re.findall(r"[A-Za-z]{4,}", _KEPT_WORDS.sub("", said))


@pytest.mark.parametrize(("text", "options", "said"), _MESSY_REGISTERS.values(),
                         ids=list(_MESSY_REGISTERS))  # fmt: skip
def test_what_a_messy_register_gets_wrong_is_said_in_chinese(
    run: Any, tmp_path: Path, text: str, options: tuple[str, ...], said: str
) -> None:
    sheet = tmp_path / "项目库.csv"
    sheet.write_text(text, encoding="utf-8")
    ledger = tmp_path / "t.db"
    message = _chinese(run.fails("import", "register", ledger, sheet, *options, code=1))
    assert said in message, message
    assert _english_left(message) == [], message
    assert not ledger.exists()


_MESSY_PROGRESS = {
    "month other than --month": (
        "项目编号,月份,本月完成（万元）\nSZ2013-001,2013-05,10\n", ("--month", "2013-06"),
        "B 列（月份）：'2013-05' 不符合要求，应为导入时给出的月份 2013-06",
    ),
    "amount in another currency": (
        "项目编号,月份,本月完成\nSZ2013-001,2013-06,10万美元\n", (),
        "'10万美元' 不符合要求，应为以项目币种 CNY 计的金额",
    ),
    "本月完成 beside month columns": (
        "项目编号,本月完成（万元）,1月形象进度,1月实际完成投资（万元）\nSZ2013-001,5,开工,10\n",
        ("--year", "2013"), "应为本月完成 列或每月一对列，二者只能有其一",
    ),
    "month columns without a year": (
        "项目编号,1月形象进度,1月实际完成投资（万元）\nSZ2013-001,开工,10\n", (),
        "（年份）：空 不符合要求，应为标题中的年份（2013年…）或导入时的 --year",
    ),
    "--month the columns lack": (
        "项目编号,1月形象进度,1月实际完成投资（万元）\nSZ2013-001,开工,10\n",
        ("--month", "2013-03"), "'2013-03' 不符合要求，应为表中有列的月份（1月）",
    ),
    "--year against --month": (
        "项目编号,1月形象进度,1月实际完成投资（万元）\nSZ2013-001,开工,10\n",
        ("--month", "2013-01", "--year", "2014"),
        "（年份）：2014 不符合要求，应为--month 所在的年份（2013-01）",
    ),
    "--year for a sheet of one month": (
        "项目编号,月份,本月完成（万元）\nSZ2013-001,2013-06,10\n", ("--year", "2013"),
        "（年份）：2013 不符合要求，应为每月一对列的工作表（--year 只用于这种表）",
    ),
}  # fmt: skip


@pytest.mark.parametrize(("text", "options", "said"), _MESSY_PROGRESS.values(),
                         ids=list(_MESSY_PROGRESS))  # fmt: skip
def test_what_a_messy_progress_sheet_gets_wrong_is_said_in_chinese(
    run: Any, town_db: Path, tmp_path: Path, text: str, options: tuple[str, ...], said: str
) -> None:
    sheet = tmp_path / "调度表.csv"
    sheet.write_text(text, encoding="utf-8")
    message = _chinese(run.fails("import", "progress", town_db, sheet, *options, code=1))
    assert said in message, message
    assert _english_left(message) == [], message


def test_the_chinese_advice_for_a_header_or_a_nature_is_a_headers_file_that_works(
    run: Any, tmp_path: Path
) -> None:
    sheet = tmp_path / "项目库.csv"
    sheet.write_text(_R + "政付投资,建设性质\nP1,路,基础设施,5,筹建\n", encoding="utf-8")
    message = _chinese(run.fails("import", "register", tmp_path / "t.db", sheet, code=1))
    lines = re.findall(r'写 ("政付投资" = "government_investment")', message)
    assert lines and "在 --headers 文件的 [stages] 中写明对应的建设阶段" in message
    mapping = tmp_path / "mapping.toml"
    mapping.write_text('[stages]\n"筹建" = "前期"\n', encoding="utf-8")  # [stages] alone
    message = _chinese(
        run.fails("import", "register", tmp_path / "t.db", sheet, "--headers", mapping, code=1)
    )
    assert "'筹建'" not in message and "'政付投资'" in message
    mapping.write_text(f'[headers]\n{lines[0]}\n[stages]\n"筹建" = "前期"\n', encoding="utf-8")
    run.ok("import", "register", tmp_path / "t.db", sheet, "--headers", mapping)
    with tp.Ledger.open(tmp_path / "t.db") as ledger:
        project = ledger.project("P1")
    assert project.stage is tp.Stage.PREPARATION
    assert project.government_investment == tp.Money.parse("5")


def test_a_register_s_funding_columns_are_said_in_chinese(run: Any, tmp_path: Path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "项目库"
    sheet.append(["项目编号", "项目名称", "项目类别", "总投资（万元）",
                  "本年度计划投资及资金来源（万元）", None, None, None])  # fmt: skip
    sheet.append([None, None, None, None, "合计", "中央", "市级", "国企"])
    sheet.append(["P1", "路", "基础设施", 5000, 3000, 1000, 1000, None])
    for cells in ("A1:A2", "B1:B2", "C1:C2", "D1:D2", "E1:H1"):
        sheet.merge_cells(cells)
    path = tmp_path / "项目库.xlsx"
    book.save(path)
    message = _chinese(run.fails("import", "register", tmp_path / "t.db", path, code=1))
    assert (
        "H 列（资金来源 国企）：'本年度计划投资及资金来源（万元）/国企' 不符合要求，"
        "应为台账中的资金来源（中央预算内投资、" in message
    )
    assert '请在 --headers 文件的 [sources] 中写 "国企" = "资金来源代码"' in message
    assert (
        "E 列（年度计划投资）：'3000' 不符合要求，应为中央（F 列）、市级（G 列）、国企（H 列）"
        "之和 2000万元" in message
    )
    assert _english_left(message) == [], message


def test_a_zone_or_unit_the_ledger_lacks_is_named_in_chinese(tmp_path: Path) -> None:
    sheet = tmp_path / "项目库.csv"
    sheet.write_text(_R + "总投资,所属板块,责任单位\nP1,路,基础设施,5,新城区,城建办\n",
                     encoding="utf-8")  # fmt: skip
    with tp.Ledger.open(":memory:") as ledger, pytest.raises(tp.ConflictError) as caught:
        tp.io.import_register(ledger, sheet, create_missing=False)
    message = in_chinese(caught.value)
    assert "（所属板块）：'新城区' 不符合要求，应为台账中已有的板块" in message
    assert "（责任单位）：'城建办' 不符合要求，应为台账中已有的责任单位" in message
    assert _english_left(message) == [], message
