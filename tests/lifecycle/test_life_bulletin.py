"""The June bulletin's lifecycle sections in Markdown, HTML and Excel, on the sample town.

Expected values are read from ``fixtures/sample_town/lifecycle.json`` itself (the oracle),
not from the loader or the queries."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import townplan as tp
from townplan.model.lifecycle import Dimension

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town" / "lifecycle.json"
JUNE_END, AS_OF = date(2013, 6, 30), date(2013, 7, 15)


def _overdue_in_june() -> dict[tuple[str, str], int]:
    """(project, kind) → days overdue on 30 June as known on 15 July, from the file."""
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    halted = {s["project"] for s in doc["status"] if s["on"] <= JUNE_END.isoformat()}
    found = {}
    for p in doc["procedures"]:
        if not p["required"] or not p["due"] or p["project"] in halted:
            continue
        due = date.fromisoformat(p["due"])
        known_done = (
            p["done_on"] and p["done_on"] <= "2013-06-30" and p["recorded_on"] <= "2013-07-15"
        )
        if due < JUNE_END and not known_done:
            found[(p["project"], p["kind"])] = (JUNE_END - due).days
    return found


@pytest.fixture(scope="module")
def june(sample_town_module: tp.Ledger) -> tp.reports.Report:
    return tp.reports.bulletin(sample_town_module, "2013-06")


@pytest.fixture(scope="module")
def sample_town_module() -> tp.Ledger:
    from townplan.fixtures import sample_town_ledger

    return sample_town_ledger()


def test_the_overdue_list_names_who_holds_each_step(june: tp.reports.Report) -> None:
    expected = _overdue_in_june()
    assert len(expected) >= 3  # the fixture promises a few
    table = june.table("overdue_procedures")
    assert {r[0] for r in table.rows} == {project for project, _ in expected}
    assert sorted(r[4] for r in table.rows) == sorted(expected.values())
    assert [r[4] for r in table.rows] == sorted((r[4] for r in table.rows), reverse=True)
    assert all(r[5] for r in table.rows)  # every step has a holding unit


def test_the_procedures_section_totals_by_unit(june: tp.reports.Report) -> None:
    table = june.table("procedures")
    assert table.total is not None
    assert table.total[5] == len(_overdue_in_june())
    assert sum(int(r[5]) for r in table.rows) == table.total[5]  # type: ignore[arg-type]


def test_the_suspended_project_is_listed_and_not_judged(june: tp.reports.Report) -> None:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    (suspended,) = doc["status"]
    rows = june.table("halted").rows
    assert [(r[0], r[2], r[3]) for r in rows] == [
        (suspended["project"], tp.ProjectStatus.SUSPENDED, date.fromisoformat(suspended["on"]))
    ]
    judged = {r[0] for r in june.table("lights").rows} | {
        r[0] for r in june.table("lifecycle_lights").rows
    }
    assert suspended["project"] not in judged


def test_the_leader_section_adds_up(june: tp.reports.Report) -> None:
    rows = june.table("leaders").rows
    assert sum(int(r[1]) for r in rows) == june.headline[0][2]  # type: ignore[arg-type]
    overdue = sum(int(r[7]) for r in rows)  # type: ignore[arg-type]
    assert overdue == len(_overdue_in_june())
    by_leader = {r[0]: r[7] for r in rows}
    for r in june.table("overdue_procedures").rows:
        assert by_leader[r[6]] >= 1  # each overdue step counts for its project's leader


def test_markdown_html_and_excel_show_the_sections(june: tp.reports.Report, tmp_path: Path) -> None:
    titles = (
        "前期手续办理情况",
        "逾期前期手续",
        "开工、前期手续红灯、黄灯项目",
        "分挂点领导",
        "停缓建",
    )
    md, html = june.to_markdown(), june.to_html()
    for title in titles:
        assert title in md and title in html
    path = june.to_xlsx(tmp_path / "june.xlsx")
    book = openpyxl.load_workbook(path)
    names = "".join(book.sheetnames)
    for title in ("前期手续办理情况", "逾期前期手续", "分挂点领导"):
        assert title in names
    sheet = next(book[n] for n in book.sheetnames if n.startswith("逾期前期手续"))
    codes = {row[0].value for row in sheet.iter_rows(min_row=2)}
    assert codes == {project for project, _ in _overdue_in_june()}


def test_a_later_view_sees_the_late_record(sample_town_module: tp.Ledger) -> None:
    # SZ2013-026's 环评 was done on 25 June but recorded on 18 July: the June bulletin
    # issued on 31 July no longer lists it overdue.
    later = tp.reports.bulletin(sample_town_module, "2013-06", as_of=date(2013, 7, 31))
    codes = [r[0] for r in later.table("overdue_procedures").rows]
    assert "SZ2013-026" not in codes
    assert "SZ2013-026" in [
        r[0]
        for r in tp.reports.bulletin(sample_town_module, "2013-06", as_of=AS_OF)
        .table("overdue_procedures")
        .rows
    ]


def _in_plan() -> set[str]:
    """Eligible (入库标准) by hand from projects.csv: 政府投资 ≥ 1000万元 or 社会投资 ≥ 2亿元."""
    import csv

    with (FIXTURE.parent / "projects.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        r["项目编号"]
        for r in rows
        if r["项目性质"] == "建设" and r["建设阶段"] in ("前期", "新开工")
        and (float(r["政府投资（万元）"] or 0) >= 1000
             or float(r["社会投资（万元）"] or 0) >= 20000)
    }  # fmt: skip


def test_the_start_lights_in_every_format(june: tp.reports.Report, tmp_path: Path) -> None:
    # not started by 30 June though planned before it, as the file says
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    started = {a["project"] for a in doc["actual"] if a["milestone"] == "start"
               and a["on"] <= "2013-06-30"}  # fmt: skip
    halted = {s["project"] for s in doc["status"] if s["on"] <= "2013-06-30"}
    expected = {
        p["project"] for p in doc["planned"]
        if p["planned_start"] < "2013-06-30" and p["project"] in _in_plan() - started - halted
    }  # fmt: skip
    assert expected
    rows = june.table("lifecycle_lights").rows
    assert {r[0] for r in rows if r[2] is Dimension.START} == expected
    md, html = june.to_markdown(), june.to_html()
    book = openpyxl.load_workbook(june.to_xlsx(tmp_path / "june.xlsx"))
    sheet = next(book[n] for n in book.sheetnames if n.startswith("开工、前期手续"))
    in_sheet = {row[0].value for row in sheet.iter_rows(min_row=2) if row[2].value == "开工"}
    assert in_sheet == expected
    for code in expected:
        assert code in md and code in html
