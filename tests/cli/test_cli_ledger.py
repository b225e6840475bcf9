"""``townplan new / info / projects / history / search`` on the sample town's ledger file.

Expected codes come from the fixture's projects.csv (read here) and README.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path
from typing import Any

import pytest
from tests.cli.conftest import Run

import townplan as tp

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"


def _register() -> list[dict[str, str]]:
    with (SAMPLE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _codes(run: Any, *args: object) -> list[str]:
    rows = json.loads(run.ok("projects", *args, "--json").stdout)
    return [row["code"] for row in rows]


def test_help_lists_every_command(run: Any) -> None:
    text = run.ok("--help").stdout
    for command in ("demo", "new", "info", "projects", "history", "search", "bulletin",
                    "summary", "ranking", "import", "export", "generate", "sample", "rollup",
                    "datasette"):  # fmt: skip
        assert command in text
    assert "townplan" in run.ok("--version").stdout


def test_new_creates_an_empty_ledger(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    assert "结构版本" in run.ok("new", path).stdout
    with tp.Ledger.open(path) as ledger:
        assert ledger.counts()["projects"] == 0


def test_new_leaves_an_existing_ledger_as_it_is(run: Any, town_db: Path) -> None:
    with tp.Ledger.open(town_db) as ledger:
        before = ledger.checksum()
    run.ok("new", town_db)
    with tp.Ledger.open(town_db) as ledger:
        assert ledger.checksum() == before
        assert ledger.counts()["projects"] == 40


def test_info_counts_the_rows(run: Any, sample_db: Path) -> None:
    lines = run.ok("info", sample_db).stdout.splitlines()
    rows = {cells[0]: cells[1] for line in lines if len(cells := line.split("\t")) == 2}
    # 40 projects in the register, 416 reports + 2 corrections, 14 groups, 23 tasks
    assert rows["projects"] == "40"
    assert rows["progress"] == "418"
    assert rows["leading_groups"] == "14"
    assert rows["milestones"] == "23"


def test_read_commands_do_not_change_the_ledger(run: Any, town_db: Path) -> None:
    with tp.Ledger.open(town_db) as ledger:
        before = ledger.checksum()
    run.ok("info", town_db)
    run.ok("projects", town_db, "--behind")
    run.ok("history", town_db, "SZ2013-021")
    run.ok("search", town_db, "湿地")
    with tp.Ledger.open(town_db) as ledger:
        assert ledger.checksum() == before


def test_projects_lists_the_register(run: Any, sample_db: Path) -> None:
    register = _register()
    assert _codes(run, sample_db) == sorted(p["项目编号"] for p in register)
    eligible = [p["项目编号"] for p in register if not p["项目编号"].startswith("SZ2013-R")]
    assert _codes(run, sample_db, "--eligible") == eligible


@pytest.mark.parametrize(
    ("option", "value", "column"),
    [("--zone", "水乡新城区", "所属板块"), ("--category", "民生", "项目类别"),
     ("--stage", "前期", "建设阶段"), ("--unit", "公路所", "责任单位")],
)  # fmt: skip
def test_projects_filters(run: Any, sample_db: Path, option: str, value: str, column: str) -> None:
    expected = sorted(p["项目编号"] for p in _register() if p[column] == value)
    assert expected
    assert _codes(run, sample_db, option, value) == expected


def test_projects_filters_in_english_and_combined(run: Any, sample_db: Path) -> None:
    both = {p["项目编号"] for p in _register()
            if p["项目类别"] in ("民生", "基础设施") and p["所属板块"] == "水乡新城区"}  # fmt: skip
    codes = _codes(run, sample_db, "--category", "livelihood", "--category", "infrastructure",
                   "--zone", "水乡新城区")  # fmt: skip
    assert set(codes) == both


def test_projects_behind_plan_in_june_are_the_red_and_amber_ones(run: Any, sample_db: Path) -> None:
    codes = _codes(run, sample_db, "--eligible", "--behind", "--on", "2013-06-30",
                   "--as-of", "2013-07-15")  # fmt: skip
    assert set(codes) == {"SZ2013-006", "SZ2013-018", "SZ2013-022", "SZ2013-026", "SZ2013-033"}


def test_projects_order_and_limit(run: Any, sample_db: Path) -> None:
    by_total = sorted(
        _register(),
        key=lambda p: -(float(p["政府投资（万元）"] or 0) + float(p["社会投资（万元）"] or 0)),
    )
    codes = _codes(run, sample_db, "--order", "-total_investment", "--limit", "3")
    assert codes == [p["项目编号"] for p in by_total[:3]]


def test_projects_json_rows_carry_the_measures(run: Any, sample_db: Path) -> None:
    rows = json.loads(run.ok("projects", sample_db, "--json", "--zone", "水乡新城区",
                             "--on", "2013-06-30", "--as-of", "2013-07-15").stdout)  # fmt: skip
    by_code = {row["code"]: row for row in rows}
    # 东环路 (SZ2013-021): Jan–Jun reports 436.65 + 311.08 + 704.47 + 282.21 + 465.53 +
    # 516.59 万元 (March and April as corrected on 2013-07-10) = 2716.53万元
    assert tp.Money.parse(by_code["SZ2013-021"]["year_to_date"].replace(" CNY", "")) == (
        tp.Money.parse("2716.53万")
    )


def test_projects_table_shows_names_and_amounts(run: Any, sample_db: Path) -> None:
    text = run.ok("projects", sample_db, "--zone", "水乡新城区").stdout
    assert "东环路" in text and "SZ2013-021" in text and "1.26亿元" in text


def test_projects_table_keeps_codes_whole_in_a_narrow_terminal(run: Any, sample_db: Path) -> None:
    text = run.ok("projects", sample_db, "--zone", "水乡新城区", columns=80).stdout
    for code in ("SZ2013-018", "SZ2013-021", "SZ2013-027"):
        assert code in text


def test_history_shows_versions_reports_and_the_correction(run: Any, sample_db: Path) -> None:
    text = run.ok("history", sample_db, "SZ2013-021").stdout
    assert "SZ2013-021 东环路" in text
    assert "2013-01-05" in text  # the register's record day (version 1)
    # March and April as first reported and as corrected on 2013-07-10 (corrections.csv)
    for amount in ("583.47万元", "403.21万元", "704.47万元", "282.21万元"):
        assert amount in text
    assert text.count("2013-07-10") == 2
    months = [line for line in text.splitlines() if re.search(r"\t2013-\d\d\t", line)]
    assert len(months) == 14  # twelve monthly reports and two corrections


def test_search_finds_chinese_text(run: Any, sample_db: Path) -> None:
    text = run.ok("search", sample_db, "湿地").stdout
    assert "项目\tSZ2013-012\t华阳湿地生态公园" in text
    assert "任务\tT08\t力争年底前" in text  # 力争年底前完成华阳湿地…
    notes = run.ok("search", sample_db, "拆迁").stdout
    assert "月报\t" in notes and "【拆迁】" in notes  # a monthly report's note
    assert not re.search(r"\b(project|task|progress)\b", text + notes)  # a Chinese run
    english = Run("en").ok("search", sample_db, "湿地").stdout
    assert "project\tSZ2013-012" in english and "task\tT08" in english


def test_search_without_hits_is_not_an_error(run: Any, sample_db: Path) -> None:
    text = run.ok("search", sample_db, "不存在的词语").stdout
    assert "SZ2013" not in text


def test_meta_sets_the_official_order_and_the_bulletin_follows_it(
    run: Any, town_db: Path, tmp_path: Path
) -> None:
    shown = run.ok("meta", town_db, "--unit-order", "党政办、城建办,“三重”办").output
    assert "单位排列顺序\t党政办、城建办、“三重”办" in shown
    with tp.Ledger.open(town_db) as ledger:
        assert ledger.official_order("units") == ["党政办", "城建办", "“三重”办"]
    run.ok("bulletin", town_db, "--month", "2013-06", "--format", "csv", "--out", tmp_path)
    with (tmp_path / "bulletin-units.csv").open(encoding="utf-8-sig") as f:
        first = [row["责任单位"] for row in csv.DictReader(f)][:3]
    assert first == ["党政办", "城建办", "“三重”办"]
    assert "单位排列顺序" not in run.ok("meta", town_db, "--unit-order", "").output


def test_meta_refuses_an_order_naming_an_unknown_unit_and_keeps_the_rest(
    run: Any, town_db: Path
) -> None:
    message = run.fails("meta", town_db, "--town", "别镇", "--unit-order", "火星办")
    assert "火星办" in message
    with tp.Ledger.open(town_db) as ledger:
        assert ledger.official_order("units") == []
        assert ledger.meta().get("town") != "别镇"  # one change: all or nothing
