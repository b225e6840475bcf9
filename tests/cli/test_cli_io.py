"""``townplan import / export / generate / sample / rollup / datasette``.

Import files are built here with openpyxl, the way an office's spreadsheet looks; exported
files are read back with openpyxl and json and checked against the fixture's own files.
"""

from __future__ import annotations

import csv
import json
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import townplan as tp

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"


def _sample_rows(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _workbook(path: Path, title: str | None, header: list[str], rows: list[list[Any]]) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    if title:
        sheet.append([title])
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.fixture
def register(tmp_path: Path) -> Path:
    return _workbook(
        tmp_path / "register.xlsx", "2013年重大项目库",
        ["项目编号", "项目名称", "项目类别", "建设阶段", "政府投资（万元）", "社会投资（万元）",
         "年度计划投资（万元）", "所属板块", "责任单位"],
        [["P001", "中心大道二期", "基础设施", "续建", 12000, None, 3000, "水乡新城区",
          "城建办"],
         ["P002", "华阳湿地生态公园", "民生", "新开工", 800, 15000, 2000, "水乡特色示范区",
          "城建办"],
         ["P003", "临港物流园", "产业", "新开工", None, 25000, 5000, "现代临港产业区",
          "经济贸易办公室"]],
    )  # fmt: skip


@pytest.fixture
def progress(tmp_path: Path) -> Path:
    return _workbook(
        tmp_path / "progress.xlsx", None,
        ["项目编号", "月份", "本月完成（万元）", "累计完成（万元）", "报送日期"],
        [["P001", "2013-06", 500, 1500, "2013-07-03"],
         ["P002", "2013-06", 200.5, 200.5, "2013-07-09"]],
    )  # fmt: skip


def _sheet_rows(path: Path) -> list[tuple[Any, ...]]:
    """Data rows of an exported sheet: after the title and header rows, before 合计."""
    rows = list(openpyxl.load_workbook(path).active.values)
    start = next(i for i, row in enumerate(rows) if row[0] == "序号") + 1
    return [row for row in rows[start:] if row[0] != "合计"]


def test_import_register_into_a_new_ledger(run: Any, tmp_path: Path, register: Path) -> None:
    ledger = tmp_path / "town.db"
    result = run.ok("import", "register", ledger, register)
    assert "新增 3 个" in result.stdout
    with tp.Ledger.open(ledger) as town:
        road = town.project("P001")
        assert road.government_investment == tp.Money.parse("1.2亿")
        assert road.category is tp.Category.INFRASTRUCTURE
        assert town.project("P002").total_investment == tp.Money.parse("15800万")
        assert [p.code for p in town.projects()] == ["P001", "P002", "P003"]
    again = run.ok("import", "register", ledger, register)
    assert "新增 0 个" in again.stdout and "未变 3 个" in again.stdout


def test_import_register_dry_run_writes_nothing(run: Any, tmp_path: Path, register: Path) -> None:
    ledger = tmp_path / "town.db"
    assert "试运行" in run.ok("import", "register", ledger, register, "--dry-run").stdout
    with tp.Ledger.open(ledger) as town:
        assert town.counts()["projects"] == 0


def test_import_progress(run: Any, tmp_path: Path, register: Path, progress: Path) -> None:
    ledger = tmp_path / "town.db"
    run.ok("import", "register", ledger, register)
    assert "未写入" in run.ok("import", "progress", ledger, progress, "--dry-run").stdout
    with tp.Ledger.open(ledger) as town:
        assert town.counts()["progress"] == 0
    assert "新增 2 个" in run.ok("import", "progress", ledger, progress).stdout
    with tp.Ledger.open(ledger) as town:
        june = {r.project: r for r in town.progress()}
        assert june["P002"].completed == tp.Money.parse("200.5万")
        assert str(june["P001"].period) == "2013-06"
        assert str(june["P002"].reported_on) == "2013-07-09"


def test_import_progress_with_month_and_day_from_options(
    run: Any, tmp_path: Path, register: Path
) -> None:
    ledger = tmp_path / "town.db"
    run.ok("import", "register", ledger, register)
    sheet = _workbook(tmp_path / "july.xlsx", None, ["项目编号", "本月完成（万元）"],
                      [["P003", 321]])  # fmt: skip
    run.ok("import", "progress", ledger, sheet, "--month", "2013-07",
           "--reported-on", "2013-08-02")  # fmt: skip
    with tp.Ledger.open(ledger) as town:
        (report,) = town.progress()
        assert (str(report.period), str(report.reported_on)) == ("2013-07", "2013-08-02")
        assert report.completed == tp.Money.parse("321万")


def test_export_register(run: Any, sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "register.xlsx"
    assert run.ok("export", "register", sample_db, out).stdout == f"已写入 {out}\n"
    codes = [row[1] for row in _sheet_rows(out)]
    assert codes == [p["项目编号"] for p in _sample_rows("projects.csv")]


def test_export_progress_of_a_month(run: Any, sample_db: Path, tmp_path: Path) -> None:
    june = [r for r in _sample_rows("progress.csv") if r["月份"] == "2013-06"]
    out = tmp_path / "june.xlsx"
    run.ok("export", "progress", sample_db, out, "--month", "2013-06")
    rows = _sheet_rows(out)
    assert sorted(row[1] for row in rows) == sorted(r["项目编号"] for r in june)  # 34 of 36
    done = sum(Decimal(str(row[4])) for row in rows)
    assert done == sum(Decimal(r["本月完成（万元）"]) for r in june)


def test_export_as_of_a_past_day(run: Any, sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "june.xlsx"
    run.ok("export", "progress", sample_db, out, "--month", "2013-06", "--as-of", "2013-07-08")
    codes = {row[1] for row in _sheet_rows(out)}
    assert "SZ2013-022" not in codes and "SZ2013-003" not in codes  # arrived 07-12, 07-10
    assert len(codes) == 32


def test_export_json_and_oc4ids(run: Any, sample_db: Path, tmp_path: Path) -> None:
    run.ok("export", "json", sample_db, tmp_path / "town.json")
    doc = json.loads((tmp_path / "town.json").read_text(encoding="utf-8"))
    assert len(doc["projects"]) == 40
    assert {p["code"] for p in doc["projects"]} >= {"SZ2013-001", "SZ2013-R04"}
    run.ok("export", "oc4ids", sample_db, tmp_path / "oc4ids.json")
    package = json.loads((tmp_path / "oc4ids.json").read_text(encoding="utf-8"))
    assert len(package["projects"]) == 40
    assert any(p["title"] == "东环路" for p in package["projects"])


def test_generate_is_reproducible(run: Any, tmp_path: Path) -> None:
    first, second, other = tmp_path / "a.db", tmp_path / "b.db", tmp_path / "c.db"
    run.ok("generate", first, "--size", "50", "--seed", "7")
    run.ok("generate", second, "--size", "50", "--seed", "7")
    run.ok("generate", other, "--size", "50", "--seed", "8")
    with tp.Ledger.open(first) as a, tp.Ledger.open(second) as b, tp.Ledger.open(other) as c:
        assert a.counts()["projects"] == 50
        assert a.checksum() == b.checksum() != c.checksum()


def test_sample_writes_the_sample_town(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "sample.db"
    run.ok("sample", path)
    with tp.Ledger.open(path) as town:
        assert town.counts()["projects"] == 40
        assert len(town.groups()) == 14


def test_rollup_of_two_generated_towns(run: Any, tmp_path: Path) -> None:
    east, west = tmp_path / "东镇.db", tmp_path / "西镇.db"  # a town is named by its file
    run.ok("generate", east, "--size", "50", "--seed", "1", "--town", "东镇")
    run.ok("generate", west, "--size", "50", "--seed", "2", "--town", "西镇")
    city = tmp_path / "city.db"
    run.ok("rollup", city, east, west)
    with tp.Ledger.open(east) as a, tp.Ledger.open(west) as b:
        first = next(iter(a.projects()))
        reports = a.counts()["progress"] + b.counts()["progress"]
    with tp.Ledger.open(city) as merged:
        assert merged.counts()["projects"] == 100
        assert merged.counts()["progress"] == reports
        assert {p.town for p in merged.projects()} == {"东镇", "西镇"}
        assert merged.project(f"东镇/{first.code}").name == first.name
    run.ok("rollup", city, east, west)  # merging again adds nothing
    with tp.Ledger.open(city) as merged:
        assert merged.counts()["projects"] == 100
        assert merged.counts()["progress"] == reports


def test_rollup_of_towns_whose_groups_share_a_name(run: Any, tmp_path: Path) -> None:
    east, west = tmp_path / "东镇.db", tmp_path / "西镇.db"
    run.ok("generate", east, "--size", "50", "--seed", "1")
    run.ok("generate", west, "--size", "50", "--seed", "2")
    with tp.Ledger.open(east) as a, tp.Ledger.open(west) as b:
        assert {g.name for g in a.groups()} & {g.name for g in b.groups()}
    run.ok("rollup", tmp_path / "city.db", east, west)
    with tp.Ledger.open(tmp_path / "city.db") as merged:
        assert merged.counts()["projects"] == 100


def test_datasette_metadata(run: Any, sample_db: Path, tmp_path: Path) -> None:
    out = tmp_path / "metadata.json"
    assert "datasette" in run.ok("datasette", sample_db, out).stdout
    doc = json.loads(out.read_text(encoding="utf-8"))
    text = json.dumps(doc, ensure_ascii=False)
    assert "projects" in text and "progress" in text and "万元" in text


def test_back_filled_imports_are_known_as_of_their_own_days(
    run: Any, tmp_path: Path, register: Path, progress: Path
) -> None:
    filled, today = tmp_path / "filled.db", tmp_path / "today.db"
    run.ok("import", "register", filled, register, "--recorded-at", "2013-01-05",
           "--on", "2013-01-01")  # fmt: skip
    run.ok("import", "progress", filled, progress, "--recorded-at", "2013-07-10")
    run.ok("import", "register", today, register)
    run.ok("import", "progress", today, progress)
    mid_july = date(2013, 7, 15)
    with tp.Ledger.open(filled) as town:
        view = town.as_of(mid_july)
        assert [p.code for p in view.projects()] == ["P001", "P002", "P003"]
        assert {r.project for r in view.progress()} == {"P001", "P002"}
        assert town.as_of(date(2013, 7, 9)).progress_entries("P001") == []
    with tp.Ledger.open(today) as town:  # stamped now: unknown in July 2013
        assert list(town.as_of(mid_july).projects()) == []
