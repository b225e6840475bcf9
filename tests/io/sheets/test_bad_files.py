"""Bad files: each raises ONE error naming every bad cell, and the ledger is unchanged.

Every case is a row of :data:`CASES`: the file (rows of an .xlsx or .csv, or raw bytes),
the import and its arguments, the error class, and the (row, column) of every problem —
worked out by hand from the file. Registers have a title in row 1 and the header in
row 2, so data starts in row 3.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import townplan as tp
from townplan.io import ImportResult, import_progress, import_register
from townplan.ledger import LedgerStore

# A 序号, B 项目编号, C 项目名称, D 项目类别, E 建设阶段, F 总投资（万元）, G 政府投资（万元）,
# H 社会投资（万元）, I 起止年限, J 所属板块/片区, K 责任单位
R_HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "项目类别",
    "建设阶段",
    "总投资（万元）",
    "政府投资（万元）",
    "社会投资（万元）",
    "起止年限",
    "所属板块/片区",
    "责任单位",
]
GOOD = [1, "N001", "新项目", "产业", "新开工", 300, 100, 200, "2013-2015", "水乡新城区", "城建办"]
LAST = [9, "N009", *GOOD[2:]]


def reg(*changes: dict[int, object], header: Sequence[object] = R_HEADER) -> list[list[object]]:
    """The title, the header and one row per ``changes`` (column index → new value)."""
    rows: list[list[object]] = [["示例镇 重大项目库"], list(header)]
    for number, change in enumerate(changes, 1):
        row = [number, f"N{number:03d}", *GOOD[2:]]
        for index, value in change.items():
            row[index] = value
        rows.append(row)
    return rows


# A 序号, B 项目编号, C 项目名称, D 本月完成（万元）, E 累计完成（万元）, F 形象进度, G 报送日期
P_HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "本月完成（万元）",
    "累计完成（万元）",
    "形象进度",
    "报送日期",
]


def prog(*rows: Sequence[object], title: str = "2013年6月进度表") -> list[list[object]]:
    return [[title], P_HEADER, *[list(r) for r in rows]]


def ok(code: str = "P001", completed: object = 50) -> list[object]:
    return [1, code, "", completed, None, "ok", "2013-07-03"]


@attrs.frozen
class Case:
    id: str
    file: list[list[object]] | bytes
    where: set[tuple[int | None, str | None]]
    suffix: str = ".xlsx"
    what: str = "register"
    kwargs: dict[str, Any] = attrs.field(factory=dict)
    error: type[Exception] = tp.ValidationError


CASES = [
    # --- the file as a whole -----------------------------------------------------------
    Case("empty csv", b"", {(None, None)}, ".csv"),
    Case("blank csv", b"\r\n \r\n", {(None, None)}, ".csv"),
    Case("empty workbook", [], {(None, None)}),
    Case("not a spreadsheet", b"%PDF-1.4 not really a workbook", {(None, None)}),
    Case("wrong suffix", b"a,b\n", {(None, None)}, ".pdf"),
    Case(
        "latin-1",
        "项目编号,项目名称\nP1,café,\n".encode().replace(b"caf\xc3\xa9", b"caf\xe9"),
        {(None, None)},
        ".csv",
    ),
    Case("wrong header", [["Code", "Name", "Total"], ["N1", "x", 1]], {(1, None)}),
    Case(
        "missing 项目名称 column",
        reg({}, header=[*R_HEADER[:2], "名称", *R_HEADER[3:]]),
        {(2, None)},
    ),
    Case("no such sheet", reg({}), {(None, None)}, kwargs={"sheet": "2014年"}),
    Case(
        "unknown unit in header",
        reg({}, header=[*R_HEADER[:5], "总投资（千亿元）", *R_HEADER[6:]]),
        {(2, "F")},
    ),
    Case("two code columns", reg({}, header=[*R_HEADER[:4], "编号", *R_HEADER[5:]]), {(2, "E")}),
    # --- cells ---------------------------------------------------------------------------
    Case("text in money cells", reg({5: "约300"}, {}, {6: "三百万"}), {(3, "F"), (5, "G")}),
    Case("negative investment", reg({6: -100, 5: None}), {(3, "G")}),
    Case("sub-fen amount", reg({6: "0.0000001", 5: None}), {(3, "G")}),
    Case("amount of 10¹⁵ 元", reg({5: "100000000000", 6: None, 7: None}), {(3, "F")}),
    Case("gov + social ≠ total", reg({5: 300, 6: 100, 7: 100}, {}), {(3, "F")}),
    Case("two currencies in a row", reg({6: "100万美元", 5: 300}), {(3, "G")}),
    Case("duplicate code", reg({}, {}, {1: "N001"}), {(5, "B")}, ".csv"),
    Case("blank code and blank name", reg({1: None}, {2: None}), {(3, "B"), (4, "C")}),
    Case("bad code", reg({1: "N 01"}), {(3, "B")}),
    Case("unknown category", reg({3: "工业"}), {(3, "D")}),
    Case("unknown stage", reg({4: "在建"}), {(3, "E")}),
    Case("new project without category", reg({3: None}), {(3, "D")}),
    Case("start year after end year", reg({8: "2016-2013"}), {(3, "I")}),
    Case("起止年限 not years", reg({8: "明年"}, {8: "1800-1805"}), {(3, "I"), (4, "I")}),
    Case(
        "separate years reversed",
        [
            ["开工年份", "竣工年份", "项目编号", "项目名称", "项目类别"],
            [2016, 2013, "N1", "甲", "产业"],
        ],
        {(2, "B")},
    ),
    Case(
        "bad 计划年度",
        [["项目编号", "项目名称", "项目类别", "计划年度"], ["N1", "甲", "产业", "明年"]],
        {(2, "D")},
    ),
    Case(
        "a total that does not add up",
        [*reg({}, {}), ["合计", None, None, None, None, 601], LAST],
        {(5, "F")},
    ),
    Case(
        "every bad cell at once",
        [
            *reg({5: "约300"}, {3: "工业"}, {8: "明年"}, {1: "N001"}),
            ["小计", *[None] * 4, 300],
            LAST,
        ],
        {(3, "F"), (4, "D"), (5, "I"), (6, "B")},
    ),
    # --- conflicts with the ledger ---------------------------------------------------------
    Case(
        "unknown zone",
        reg({9: "新区"}),
        {(3, "J")},
        kwargs={"create_missing": False},
        error=tp.ConflictError,
    ),
    Case(
        "unknown unit",
        reg({}, {10: "规划局"}),
        {(4, "K")},
        kwargs={"create_missing": False},
        error=tp.ConflictError,
    ),
    Case(
        "unknown zone and a bad cell",
        reg({9: "新区"}, {3: "工业"}),
        {(3, "J"), (4, "D")},
        kwargs={"create_missing": False},
    ),
    # --- progress sheets -----------------------------------------------------------------
    Case(
        "unknown project",
        prog(ok("P999"), ok("P002")),
        {(3, "B")},
        what="progress",
        error=tp.ConflictError,
    ),
    Case(
        "unknown project and text amount",
        prog(ok("P999"), ok("P002", "五百")),
        {(3, "B"), (4, "D")},
        what="progress",
    ),
    Case("negative cumulative", prog([1, "P001", "", 5, -5]), {(3, "E")}, what="progress"),
    Case(
        "bad 报送日期", prog([1, "P001", "", 5, None, "", "七月五日"]), {(3, "G")}, what="progress"
    ),
    Case(
        "same project and month twice",
        prog(ok(), ok("P002"), ok()),
        {(5, "B")},
        ".csv",
        what="progress",
    ),
    Case("amount in another currency", prog(ok("P001", "12万美元")), {(3, "D")}, what="progress"),
    Case("no month anywhere", prog(ok(), title="进度表"), {(None, None)}, what="progress"),
    Case(
        "bad period argument",
        prog(ok()),
        {(None, None)},
        what="progress",
        kwargs={"period": "六月"},
    ),
    Case(
        "quarter instead of a month",
        prog(ok()),
        {(None, None)},
        what="progress",
        kwargs={"period": "2013-Q2"},
    ),
    Case(
        "bad 月份 cells",
        [
            ["项目编号", "月份", "本月完成（万元）"],
            ["P001", "2013-13", 1],
            ["P002", "2013-Q2", 1],
            ["P001", "2013-05", 1],
        ],
        {(2, "B"), (3, "B"), (4, "B")},
        what="progress",
        kwargs={"period": "2013-06"},
    ),
    Case(
        "missing 本月完成 column",
        [["项目编号", "累计完成（万元）"], ["P001", 5]],
        {(1, None)},
        what="progress",
    ),
    Case(
        "name of two projects",
        [["项目名称", "本月完成（万元）"], ["东环路", 5], ["无此项目", 1]],
        {(2, "A"), (3, "A")},
        what="progress",
        kwargs={"period": "2013-06"},
    ),
]


def write(folder: Path, case: Case) -> Path:
    path = folder / f"bad{case.suffix}"
    if isinstance(case.file, bytes):
        path.write_bytes(case.file)
        return path
    if case.suffix == ".csv":
        text = "\n".join(",".join("" if v is None else str(v) for v in row) for row in case.file)
        path.write_text(text, encoding="utf-8")
        return path
    import openpyxl

    book = openpyxl.Workbook()
    for row in case.file:
        book.active.append(row)
    book.save(path)
    return path


@pytest.fixture
def town(ledger: LedgerStore) -> LedgerStore:
    ledger.add_zones(["水乡新城区"])
    ledger.add_units(["城建办"])
    projects = [
        tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE),
        tp.Project(code="P002", name="东环路", category=tp.Category.INFRASTRUCTURE),
        tp.Project(
            code="P003", name="东环路", category=tp.Category.INFRASTRUCTURE, zone="水乡新城区"
        ),
    ]
    ledger.add_projects(projects, on=date(2013, 1, 1), recorded_at=date(2013, 1, 1))
    ledger.record_progress(
        tp.ProgressReport(project="P001", period="2013-05", completed=tp.Money.parse("9万")),
        recorded_at=date(2013, 6, 3),
    )
    return ledger


def test_there_are_at_least_thirty_cases() -> None:
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
@pytest.mark.parametrize("dry_run", [False, True], ids=["import", "dry-run"])
def test_bad_file(tmp_path: Path, town: LedgerStore, case: Case, dry_run: bool) -> None:
    path = write(tmp_path, case)
    run: Callable[..., ImportResult] = (
        import_register if case.what == "register" else import_progress
    )
    before = town.checksum()
    with pytest.raises(case.error) as caught:
        run(town, path, dry_run=dry_run, **case.kwargs)
    problems = caught.value.errors  # type: ignore[attr-defined]
    assert {(p.row, p.column) for p in problems} == case.where
    assert len(problems) == len(case.where), [str(p) for p in problems]
    for problem in problems:
        assert problem.expected
        if problem.row is not None and case.suffix != ".pdf":
            assert problem.sheet
    assert town.checksum() == before
