"""Loading last year today, from the command line: ``import register`` and ``import
progress`` with ``--recorded-at`` give a June bulletin of the whole plan; without it the
bulletin says what its cut leaves out and the command warns, naming ``--as-of latest``.
The same under TZ=UTC and TZ=Asia/Shanghai: the ledger's clock is its own zone's.

The files are written here the way an office keeps them — a titled register with a
"2013年度计划投资" column, a June sheet of the month's reports — from the sample town's
source tables, and the figures are checked against those tables."""

from __future__ import annotations

import csv
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"
_MONEY = "（万元）"


def _table(name: str) -> tuple[list[str], list[list[str]]]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
        header, *rows = csv.reader(handle)
    keep = [i for i, h in enumerate(header) if h != "来源"]  # the fixture's own bookkeeping
    return [header[i] for i in keep], [[row[i] for i in keep] for row in rows]


def _cell(header: str, text: str) -> Any:
    if not text:
        return None
    if header.endswith(_MONEY):
        return float(text)
    if header.endswith("年份"):
        return int(text)
    return text


def _sheet(path: Path, title: str | None, header: list[str], rows: list[list[str]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append([_cell(h, v) for h, v in zip(header, row, strict=True)])
    book.save(path)
    return path


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, int, int]:
    """Last year's register and its June progress sheet; the number of projects in the
    plan, and of June reports."""
    folder = tmp_path_factory.mktemp("office")
    header, rows = _table("projects.csv")
    header = [h.replace("年度计划投资", "2013年度计划投资") for h in header]
    register = _sheet(folder / "2013年重大项目库.xlsx", "2013年“三重”建设重大项目库", header,
                      rows)  # fmt: skip
    # In the plan: at or over the default thresholds (政府投资 1000万元, 社会投资 2亿元).
    gov, social = (header.index(f"{h}{_MONEY}") for h in ("政府投资", "社会投资"))
    in_plan = sum(
        1 for r in rows
        if Decimal(r[gov] or 0) >= 1000 or Decimal(r[social] or 0) >= 20000
    )  # fmt: skip
    header, rows = _table("progress.csv")
    june = [r for r in rows if r[header.index("月份")] == "2013-06"]
    sheet = _sheet(folder / "6月进度.xlsx", None, header, june)
    return register, sheet, in_plan, len(june)


@pytest.fixture(params=["UTC", "Asia/Shanghai"])
def machine_zone(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The computer's own zone for the test (TZ and time.tzset), put back afterwards."""
    monkeypatch.setenv("TZ", request.param)
    time.tzset()
    yield request.param
    monkeypatch.undo()
    time.tzset()


def _headline(stdout: str) -> dict[str, str]:
    pairs = (line.split("\t") for line in stdout.splitlines())
    return {p[0]: p[1] for p in pairs if len(p) == 2}


def test_back_filled_june_bulletin_shows_the_plan(
    run: Any, files: tuple[Path, Path, int, int], tmp_path: Path, machine_zone: str
) -> None:
    register, june, in_plan, reports = files
    town = tmp_path / "town.db"
    run.ok("import", "register", town, register, "--recorded-at", "2013-01-05")
    run.ok("import", "progress", town, june, "--recorded-at", "2013-07-10")
    done = run.ok("bulletin", town, "--month", "2013-06", "--out", tmp_path)
    assert _headline(done.stdout)["纳入计划项目"] == str(in_plan) == "36"
    assert "--as-of" not in done.stderr  # nothing of the period is left out
    text = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    assert "之后录入" not in text
    # Only June was loaded: the bulletin says which months of the year it has no data of.
    assert "> 注：台账中没有2013年1-5月的进度月报，本年累计完成只含有月报的月份。" in text
    # every June report is in the annex: a month figure on each reporting project's line
    annex = text.split("进度表")[-1]
    assert sum(1 for line in annex.splitlines() if line.startswith("| SZ2013-")) == in_plan
    assert reports == 34


# The warning and the note in the run's language: Chinese on one machine, English on the
# other (each zone runs the whole sequence once).
WORDING = {
    "Asia/Shanghai": ("zh", "本期另有 {n} 条记录在 2013-07-15 之后录入",
                      "> 注：本期另有{n}条记录在2013年7月15日之后录入"),
    "UTC": ("en", "{n} records of this period were recorded after 2013-07-15",
            "> Note: {n} records of this period were recorded after 2013-07-15"),
}  # fmt: skip


def test_loaded_today_the_bulletin_and_the_command_say_what_is_left_out(
    run: Any, files: tuple[Path, Path, int, int], tmp_path: Path, machine_zone: str
) -> None:
    register, june, in_plan, reports = files
    lang, warned, noted = WORDING[machine_zone]
    town = tmp_path / "town.db"
    run.ok("import", "register", town, register)
    run.ok("import", "progress", town, june)
    done = run.ok("bulletin", town, "--month", "2013-06", "--lang", lang, "--out", tmp_path)
    in_plan_label = "纳入计划项目" if lang == "zh" else "Projects in the plan"
    assert _headline(done.stdout)[in_plan_label] == "0"
    # The June reports were recorded today, after the bulletin's day (15 July 2013); the
    # register, in force from today, is not of the period.
    warning = " ".join(done.stderr.split())
    assert warned.format(n=reports) in warning and "--as-of latest" in warning
    text = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    assert noted.format(n=reports) in text
    latest = run.ok("bulletin", town, "--month", "2013-06", "--as-of", "latest",
                    "--lang", lang, "--out", tmp_path / "latest")  # fmt: skip
    assert _headline(latest.stdout)[in_plan_label] == str(in_plan)
    assert "--as-of" not in latest.stderr
