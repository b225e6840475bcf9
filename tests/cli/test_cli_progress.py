"""Progress on long jobs: a Rich bar with counts in a terminal; piped, nothing drawn (no
carriage returns, no escape codes), and a plain line at each tenth only for big jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from townplan.cli.common import PLAIN_FROM, Bar

DRAWING = ("\r", "\x1b", "━")


def _register(path: Path, rows: int) -> Path:
    lines = ["序号,项目编号,项目名称,项目类别,总投资,责任单位"]
    lines += [f"{n},P{n:05d},项目{n},基础设施,{100 + n},城建办" for n in range(1, rows + 1)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_piped_an_import_draws_no_bar(run: Any, tmp_path: Path) -> None:
    sheet = _register(tmp_path / "reg.csv", 30)
    result = run.ok("import", "register", tmp_path / "t.db", sheet)
    for stream in (result.stdout, result.stderr):
        assert not any(mark in stream for mark in DRAWING), repr(stream)
    assert result.stderr == ""  # a small job says only its result
    assert result.stdout.startswith("项目库 reg.csv")
    exported = run.ok("export", "register", tmp_path / "t.db", tmp_path / "out.xlsx")
    assert exported.stderr == "" and not any(m in exported.stdout for m in DRAWING)


def test_in_a_terminal_the_import_bar_counts_its_steps(run: Any, tmp_path: Path) -> None:
    sheet = _register(tmp_path / "reg.csv", 30)
    result = run.ok("import", "register", tmp_path / "t.db", sheet, terminal=True)
    assert "━" in result.stderr and "正在导入" in result.stderr
    assert "60/60" in result.stderr  # 30 rows checked, 30 written: the library's hook


def test_piped_a_big_job_says_each_tenth_on_plain_lines(capsys: pytest.CaptureFixture[str]) -> None:
    bar = Bar("正在导入 big.xlsx", None, None)
    total = 2 * PLAIN_FROM
    for done in range(0, total + 1, 1000):
        bar.hook(done, total)
    lines = capsys.readouterr().err.splitlines()
    assert lines[0] == "正在导入 big.xlsx 2,000/20,000 (10%)"
    assert lines[-1] == "正在导入 big.xlsx 20,000/20,000 (100%)"
    assert len(lines) == 10
    small = Bar("正在导出", None, None)
    small.hook(0, 100)
    small.hook(100, 100)
    assert capsys.readouterr().err == ""


def test_the_bulletin_bar_counts_its_build_and_each_format(
    run: Any, sample_db: Path, tmp_path: Path
) -> None:
    from townplan.reports.bulletin import STEPS

    result = run.ok("bulletin", sample_db, "--month", "2013-06", "--out", tmp_path, terminal=True)
    assert f"{STEPS + 1}/{STEPS + 1}" in result.stderr  # the build's steps and the .md
    piped = run.ok("bulletin", sample_db, "--month", "2013-06", "--out", tmp_path)
    assert not any(mark in piped.stderr + piped.stdout for mark in DRAWING)


@pytest.mark.parametrize("command", ["summary", "ranking"])
def test_a_year_report_bar_counts_its_build_and_each_format(
    run: Any, sample_db: Path, tmp_path: Path, command: str
) -> None:
    from townplan.reports import ranking, summary

    steps = {"summary": summary.STEPS, "ranking": ranking.STEPS}[command]
    args = (command, sample_db, "--year", "2013", "--out", tmp_path, "--format", "md")
    result = run.ok(*args, "--format", "csv", terminal=True)
    assert f"{steps + 2}/{steps + 2}" in result.stderr  # the build's steps, the .md, the .csv
    piped = run.ok(*args)
    assert not any(mark in piped.stderr + piped.stdout for mark in DRAWING)
