"""Planned start and completion days (计划开工时间 / 计划竣工时间): from a register an office
writes, through queries, the register export, the JSON document and OC4IDS."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import openpyxl
import pytest

import townplan as tp
from townplan.io import export_register, from_json, import_register, to_json, to_oc4ids
from townplan.ledger import LedgerStore

from .conftest import CsvMaker, XlsxMaker

# As an office lays it out: a title, units in the headers, dates typed three ways.
TITLE = ["示例镇 2013年重大项目库"]
HEADER = [
    "序号", "项目编号", "项目名称", "项目类别", "总投资（万元）", "计划开工时间", "计划竣工日期",
    "起止年限",
]  # fmt: skip
ROWS = [
    [1, "P001", "中心大道二期", "基础设施", 12000, "2013-03-01", "2014年6月30日", "2013-2014"],
    [2, "P002", "湿地公园", "民生", 3000, "2013/9/15", None, None],
    [3, "P003", "码头改造", "产业", 800, None, None, "2013-2015"],
]


@pytest.fixture
def imported(make_xlsx: XlsxMaker) -> Iterator[tp.Ledger]:
    # P001's start is a real date cell, as Excel keeps a typed date; the rest are text
    rows = [[*r[:5], date.fromisoformat(r[5]) if r[0] == 1 else r[5], *r[6:]] for r in ROWS]
    path = make_xlsx("register.xlsx", [TITLE, HEADER, *rows], formats={"F3": "yyyy-mm-dd"})
    with tp.Ledger.open(":memory:") as ledger:
        import_register(ledger, path)
        yield ledger


def test_the_days_are_read_from_the_register(imported: tp.Ledger) -> None:
    got = {p.code: (p.planned_start, p.planned_finish) for p in imported.projects()}
    assert got == {
        "P001": (date(2013, 3, 1), date(2014, 6, 30)),
        "P002": (date(2013, 9, 15), None),
        "P003": (None, None),
    }


def test_the_days_can_be_asked_and_ordered_by(imported: tp.Ledger) -> None:
    q = imported.query()
    assert [p.code for p in q.projects().where(planned_start=date(2013, 9, 15))] == ["P002"]
    ordered = q.projects().where(planned_start__gte=date(2013, 1, 1)).order_by("-planned_start")
    assert [p.code for p in ordered] == ["P002", "P001"]


def test_a_day_that_is_no_day_names_its_cell(ledger: LedgerStore, make_csv: CsvMaker) -> None:
    path = make_csv(
        "register.csv", [HEADER, [1, "P009", "新区路网", "基础设施", 100, "明年春", None, None]]
    )
    with pytest.raises(tp.ValidationError) as caught:
        import_register(ledger, path)
    (problem,) = caught.value.errors
    assert (problem.field, problem.value, problem.row, problem.column) == (
        "planned_start", "明年春", 2, "F",
    )  # fmt: skip
    assert list(ledger.projects()) == []


def test_a_finish_before_the_start_is_refused() -> None:
    with pytest.raises(tp.ValidationError, match="planned_finish"):
        tp.Project(
            code="P1", name="x", category=tp.Category.INDUSTRY,
            planned_start=date(2014, 1, 1), planned_finish=date(2013, 1, 1),
        )  # fmt: skip


def test_the_register_export_writes_the_days(imported: tp.Ledger, tmp_path: Path) -> None:
    path = export_register(imported, tmp_path / "out.csv")
    with path.open(encoding="utf-8-sig", newline="") as f:
        table = list(csv.reader(f))
    header = table[1]
    start, finish = header.index("计划开工时间"), header.index("计划竣工时间")
    by_code = {row[1]: (row[start], row[finish]) for row in table[2:-1]}
    assert by_code == {
        "P001": ("2013-03-01", "2014-06-30"),
        "P002": ("2013-09-15", ""),
        "P003": ("", ""),
    }


def test_the_xlsx_export_reads_back(imported: tp.Ledger, tmp_path: Path) -> None:
    path = export_register(imported, tmp_path / "out.xlsx")
    ws = openpyxl.load_workbook(path).active
    header = [c.value for c in ws[2]]
    assert ws.cell(3, header.index("计划竣工时间") + 1).value == "2014-06-30"
    with LedgerStore.open(":memory:") as again:
        import_register(again, path)
        assert again.project("P001").planned_finish == date(2014, 6, 30)


def test_the_json_document_carries_the_days(imported: tp.Ledger) -> None:
    doc = json.loads(json.dumps(to_json(imported), ensure_ascii=False))
    first = next(p for p in doc["projects"] if p["code"] == "P001")
    assert (first["planned_start"], first["planned_finish"]) == ("2013-03-01", "2014-06-30")
    back = from_json(doc)
    assert back.project("P002").planned_start == date(2013, 9, 15)


def test_oc4ids_period_is_the_planned_days(imported: tp.Ledger) -> None:
    # a planned day is more exact than a year: P001's days win over its 2013-2014
    projects = {p["identifiers"][0]["id"]: p for p in to_oc4ids(imported)["projects"]}
    assert projects["P001"]["period"] == {
        "startDate": "2013-03-01T00:00:00+08:00",
        "endDate": "2014-06-30T23:59:59+08:00",
    }
    assert projects["P002"]["period"] == {"startDate": "2013-09-15T00:00:00+08:00"}
    # without planned days, the years stand for their first and last day
    assert projects["P003"]["period"] == {
        "startDate": "2013-01-01T00:00:00+08:00",
        "endDate": "2015-12-31T23:59:59+08:00",
    }
