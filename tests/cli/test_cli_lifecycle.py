"""``townplan procedures / light-history / leaders`` and ``generate --lifecycle`` on the
sample town's ledger file. Expected values are read from ``fixtures/sample_town``'s files
(lifecycle.json, projects.csv), not from the library."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import townplan as tp
from townplan.model.lifecycle import Procedure, ProcedureDone

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"
JUNE = ("--on", "2013-06-30", "--as-of", "2013-07-15")


def _doc() -> dict[str, Any]:
    return json.loads((SAMPLE / "lifecycle.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _register() -> list[dict[str, str]]:
    with (SAMPLE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _overdue_in_june() -> dict[tuple[str, str], str]:
    """(project, kind) → holding unit of every procedure overdue on 30 June as known on
    15 July, from the file."""
    doc = _doc()
    halted = {s["project"] for s in doc["status"] if s["on"] <= "2013-06-30"}
    return {
        (p["project"], p["kind"]): p["unit"]
        for p in doc["procedures"]
        if p["required"] and p["due"] and p["due"] < "2013-06-30" and p["project"] not in halted
        and not (p["done_on"] and p["done_on"] <= "2013-06-30"
                 and p["recorded_on"] <= "2013-07-15")
    }  # fmt: skip


def _tsv(text: str) -> list[list[str]]:
    return [line.split("\t") for line in text.splitlines() if "\t" in line]


def test_overdue_procedures_name_who_holds_them(run: Any, sample_db: Path) -> None:
    rows = json.loads(run.ok("procedures", sample_db, "--overdue", *JUNE, "--json").stdout)
    expected = _overdue_in_june()
    assert {(r["project"], r["kind"]): r["unit"] for r in rows} == expected
    assert all(r["days_overdue"] > 0 for r in rows)
    lines = _tsv(run.ok("procedures", sample_db, "--overdue", *JUNE).stdout)
    assert lines[0][:3] == ["项目编号", "项目名称", "手续"]
    assert all(line[-1].startswith("逾期") and line[-1].endswith("天") for line in lines[1:])


def test_filters_by_unit_kind_and_project(run: Any, sample_db: Path) -> None:
    expected = _overdue_in_june()
    unit = sorted(expected.values())[0]
    rows = json.loads(run.ok("procedures", sample_db, "--overdue", "--unit", unit, *JUNE,
                             "--json").stdout)  # fmt: skip
    assert {(r["project"], r["kind"]) for r in rows} == {k for k, u in expected.items()
                                                         if u == unit}  # fmt: skip
    by_name = run.ok("procedures", sample_db, "--kind", "施工许可证", *JUNE, "--json").stdout
    by_code = run.ok("procedures", sample_db, "--kind", "construction_permit", *JUNE, "--json")
    assert json.loads(by_name) == json.loads(by_code.stdout)
    file = {p["project"] for p in _doc()["procedures"] if p["kind"] == "construction_permit"}
    assert {r["project"] for r in json.loads(by_name)} == file
    project = next(iter(expected))[0]
    rows = json.loads(run.ok("procedures", sample_db, "--project", project, "--json").stdout)
    assert {r["kind"] for r in rows} == {p["kind"] for p in _doc()["procedures"]
                                         if p["project"] == project}  # fmt: skip


def test_counts_by_unit_add_up(run: Any, sample_db: Path) -> None:
    lines = _tsv(run.ok("procedures", sample_db, "--by", "unit", *JUNE).stdout)
    assert lines[0] == ["办理单位", "应办手续", "已办结", "超时办结", "本月到期", "逾期未办"]
    required = sum(1 for p in _doc()["procedures"] if p["required"])
    assert sum(int(line[1]) for line in lines[1:]) == required
    assert sum(int(line[5]) for line in lines[1:]) == len(_overdue_in_june())


def test_an_unknown_kind_names_the_known_ones(run: Any, sample_db: Path) -> None:
    message = run.fails("procedures", sample_db, "--kind", "消防审查")
    assert "消防审查" in message and "eia" in message and "施工许可证" in message


def test_english_runs_speak_english(sample_db: Path) -> None:
    from tests.cli.conftest import Run

    english = Run("en")
    lines = _tsv(english.ok("procedures", sample_db, "--overdue", *JUNE).stdout)
    assert lines[0][:3] == ["code", "project", "procedure"]
    assert all(line[-1].endswith("days overdue") for line in lines[1:])
    history = english.ok("light-history", sample_db, "SZ2013-024", "--as-of", "2013-12-31")
    assert "dimension" in history.stdout and "planned to start" in history.stdout


def test_light_history_follows_the_planned_start(run: Any, sample_db: Path) -> None:
    # SZ2013-024 never started (no actual start in the file): amber at the end of the
    # month its planned start was missed in, red a month later (two ambers in a row)
    (planned,) = [p["planned_start"] for p in _doc()["planned"] if p["project"] == "SZ2013-024"]
    assert not [a for a in _doc()["actual"] if a["project"] == "SZ2013-024"]
    start = date.fromisoformat(planned)
    missed = tp.Period.month(start.year, start.month).end
    later = tp.Period.month(start.year, start.month + 1).end
    lines = _tsv(run.ok("light-history", sample_db, "SZ2013-024", "--as-of", "2013-12-31").stdout)
    assert lines[0] == ["月末", "灯号", "维度", "原因"]
    rows = {line[0]: line[1:3] for line in lines[1:]}
    assert rows[missed.isoformat()] == ["黄灯", "开工"]
    assert rows[later.isoformat()] == ["红灯", "连续预警"]
    message = run.fails("light-history", sample_db, "SZ2099-999")
    assert "SZ2099-999" in message


def _in_plan(row: dict[str, str]) -> bool:
    """Eligible (入库标准): government investment ≥ 1000万元 or social ≥ 2亿元, by hand."""
    gov, social = (float(row[c] or 0) for c in ("政府投资（万元）", "社会投资（万元）"))
    return gov >= 1000 or social >= 20000


def test_the_leader_view_adds_up(run: Any, sample_db: Path) -> None:
    lines = _tsv(run.ok("leaders", sample_db, "--month", "2013-06", "--as-of", "2013-07-15")
                 .stdout)  # fmt: skip
    assert lines[0][0] == "挂点领导"
    plan = [p for p in _register() if _in_plan(p)]
    expected: dict[str, int] = {}
    for p in plan:
        expected[p["挂点领导"]] = expected.get(p["挂点领导"], 0) + 1
    assert {line[0]: int(line[1]) for line in lines[1:]} == expected
    codes = {p["项目编号"] for p in plan}
    overdue = sum(int(line[7]) for line in lines[1:])
    assert overdue == sum(1 for project, _ in _overdue_in_june() if project in codes)


def test_one_leaders_projects(run: Any, sample_db: Path) -> None:
    register = _register()
    # a leader with projects outside the plan too: the list is the plan's, as the table's
    leader = next(p["挂点领导"] for p in register if not _in_plan(p))
    mine = [p for p in register if p["挂点领导"] == leader]
    assert any(_in_plan(p) for p in mine)
    lines = _tsv(run.ok("leaders", sample_db, "--leader", leader, "--month", "2013-06",
                        "--as-of", "2013-07-15").stdout)  # fmt: skip
    assert lines[0][:4] == ["项目编号", "项目名称", "建设阶段", "灯号"]
    assert [line[0] for line in lines[1:]] == sorted(p["项目编号"] for p in mine
                                                     if _in_plan(p))  # fmt: skip
    table = _tsv(run.ok("leaders", sample_db, "--month", "2013-06", "--as-of", "2013-07-15")
                 .stdout)  # fmt: skip
    assert {line[0]: int(line[1]) for line in table[1:]}[leader] == len(lines) - 1
    overdue = _overdue_in_june()
    for line in lines[1:]:
        assert int(line[5]) == sum(1 for project, _ in overdue if project == line[0])
    assert "没有挂点领导" in run.fails("leaders", sample_db, "--leader", "无此人")


def test_stored_text_stays_text(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "hostile.db"
    with tp.Ledger.open(path) as ledger:
        ledger.add_units(["[red]住建[/red]"])
        ledger.add_project(tp.Project(code="X1", name="[bold]东环路[/bold]",
                                      category=tp.Category.INFRASTRUCTURE),
                           on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))  # fmt: skip
        ledger.add_procedures([Procedure("X1", "eia", date(2013, 3, 31), "[red]住建[/red]")],
                              recorded_at=date(2013, 1, 5))  # fmt: skip
        ledger.record_procedures_done([ProcedureDone("X1", "eia", date(2013, 3, 1),
                                                     '=HYPERLINK("http://evil.example")')],
                                      recorded_at=date(2013, 3, 1))  # fmt: skip
    text = run.ok("procedures", path).stdout
    assert "[bold]东环路[/bold]" in text and "[red]住建[/red]" in text
    assert "\t=HYPERLINK" not in text and "'=HYPERLINK" in text


def test_generate_with_the_lifecycle(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "g.db"
    run.ok("generate", path, "--size", "60", "--months", "0", "--lifecycle")
    with tp.Ledger.open(path) as ledger:
        (procedures,) = ledger.db.execute("SELECT count(*) FROM procedures").fetchone()
        (planned,) = ledger.db.execute("SELECT count(planned_start) FROM projects").fetchone()
    assert procedures > 0 and planned == 60
    lines = _tsv(run.ok("procedures", path, "--by", "kind").stdout)
    assert sum(int(line[1]) for line in lines[1:]) == procedures


def test_lifecycle_commands_do_not_change_the_ledger(run: Any, town_db: Path) -> None:
    with tp.Ledger.open(town_db) as ledger:
        before = ledger.checksum()
    run.ok("procedures", town_db, "--overdue")
    run.ok("leaders", town_db)
    run.ok("light-history", town_db, "SZ2013-024")
    with tp.Ledger.open(town_db) as ledger:
        assert ledger.checksum() == before


def test_a_leader_with_no_project_in_the_plan_is_told_so(run: Any, tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    with tp.Ledger.open(path) as ledger:
        ledger.add_project(tp.Project(code="P1", name="小公园", category=tp.Category.LIVELIHOOD,
                                      government_investment=tp.Money.parse("300万元"),
                                      leader="王五"))  # fmt: skip
    message = run.fails("leaders", path, "--leader", "王五")
    assert "挂点领导为 '王五' 的项目都未达到入库标准" in message
    assert "没有挂点领导" in run.fails("leaders", path, "--leader", "赵六")
