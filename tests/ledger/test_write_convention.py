"""The write API's one convention: a batch returns how many, one record comes back as held,
the effective day is ``on``; the former keywords still work for one release and warn."""

from __future__ import annotations

import warnings
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest

import townplan as tp
from townplan.model.lifecycle import Procedure

JAN, JUL = date(2013, 1, 1), date(2013, 7, 1)
ROAD = tp.Project(code="P001", name="东环路", category=tp.Category.INFRASTRUCTURE)
PARK = tp.Project(code="P002", name="湿地公园", category=tp.Category.LIVELIHOOD)


@pytest.fixture
def ledger() -> tp.Ledger:
    return tp.Ledger.open(":memory:")


def test_a_batch_returns_how_many_it_wrote(ledger: tp.Ledger) -> None:
    assert ledger.add_units(["城建办", "农办"]) == 2
    assert ledger.add_units(["城建办", "经信局"]) == 1  # a name already there is kept
    assert ledger.add_zones(["水乡新城区"]) == 1
    assert ledger.add_projects([ROAD, PARK], on=JAN) == 2
    group = tp.LeadingGroup(code="G1", name="城市道路建设工作领导小组", member_units=("城建办",))
    assert ledger.add_groups([group]) == 1
    task = tp.Task(code="T1", group="G1", text="完成征地",
                        deadline=tp.Deadline.parse("6月底前", year=2013))  # fmt: skip
    assert ledger.add_tasks([task]) == 1
    target = tp.Indicator(code="K1", indicator="生产总值", year=2013, unit="亿元")
    assert ledger.add_targets([target]) == 1
    receipts = [
        tp.FundsReceipt("P001", "city", date(2013, 6, 20), tp.Money.parse("500万")),
        tp.FundsReceipt("P001", "town", date(2013, 6, 25), tp.Money.parse("80万")),
    ]
    assert ledger.record_funds(receipts) == 2
    assert [r.id for r in ledger.funds_receipts("P001")] == [1, 2]


def test_one_record_comes_back_as_the_ledger_holds_it(ledger: tp.Ledger) -> None:
    first = ledger.add_project(ROAD, on=JAN, recorded_at=date(2013, 1, 5))
    assert (first.version, first.valid_from, first.project) == (1, JAN, ROAD)
    assert first.recorded_at.startswith("2013-01-05")
    assert ledger.project_versions("P001") == [first]
    started = attrs.evolve(ROAD, stage=tp.Stage.NEW_START)
    second = ledger.update_project(started, on=JUL, note="开工")
    assert (second.version, second.valid_from, second.project) == (2, JUL, started)
    report = ledger.record_progress(
        tp.ProgressReport(project="P001", period="2013-07", completed=tp.Money.parse("300万"))
    )
    assert report.id == 1
    note = ledger.append_entry("note", "P001", on=JUL, payload={"text": "开工"})
    assert (note.kind, note.subject, note.effective_on, note.payload) == (
        "note", "P001", JUL, {"text": "开工"},
    )  # fmt: skip
    fixed = ledger.append_entry("note", "P001", on=JUL, payload={"text": "主体开工"}, corrects=note)
    assert fixed.corrects == note.id
    assert [e.payload for e in ledger.entries(kind="note")] == [{"text": "主体开工"}]
    status = ledger.set_status("P001", "suspended", date(2013, 9, 1), note="资金未到位")
    assert (status.subject, status.effective_on, status.payload) == (
        "P001", date(2013, 9, 1), {"status": "suspended"},
    )  # fmt: skip
    policy = ledger.policy(on=JUL)
    stricter = attrs.evolve(policy, name="2014年标准", effective_from=date(2014, 1, 1))
    assert ledger.add_policy(stricter) == stricter


# Each former spelling: the call with the old keyword, and with ``on``.
WriteCall = Callable[[tp.Ledger, dict[str, Any]], Any]
OLD_SPELLINGS: list[tuple[str, str, WriteCall]] = [
    ("add_project", "valid_from", lambda lg, kw: lg.add_project(ROAD, **kw)),
    ("add_projects", "valid_from", lambda lg, kw: lg.add_projects([ROAD], **kw)),
    ("update_project", "effective",
     lambda lg, kw: lg.update_project(attrs.evolve(ROAD, name="东环路二期"), **kw)),
    ("append_entry", "effective_on", lambda lg, kw: lg.append_entry("note", "P001", **kw)),
    ("add_procedures", "valid_from",
     lambda lg, kw: lg.add_procedures([Procedure("P001", "eia", date(2013, 4, 30))], **kw)),
]  # fmt: skip


def _prepared(call: str) -> tp.Ledger:
    ledger = tp.Ledger.open(":memory:")
    if call != "add_project" and call != "add_projects":
        ledger.add_project(ROAD, on=date(2012, 1, 1))
    return ledger


def _days(ledger: tp.Ledger) -> list[object]:
    """What the ledger holds, with the effective days of everything written."""
    versions = [(v.version, v.valid_from) for v in ledger.project_versions("P001")]
    entries = [(e.kind, e.effective_on) for e in ledger.entries()]
    procedures = [
        (kind, date.fromisoformat(day))
        for kind, day in ledger.db.execute("SELECT kind, valid_from FROM procedures")
    ]
    return [versions, entries, procedures]


@pytest.mark.parametrize(
    ("call", "old", "write"), OLD_SPELLINGS, ids=[c for c, _, _ in OLD_SPELLINGS]
)
def test_each_former_keyword_warns_naming_on_and_still_works(
    call: str, old: str, write: WriteCall
) -> None:
    new_way, old_way = _prepared(call), _prepared(call)
    write(new_way, {"on": JUL})
    with pytest.warns(
        DeprecationWarning, match=rf"{call}\({old}=\.\.\.\).*use {call}\(on=\.\.\.\)"
    ):
        write(old_way, {old: JUL})
    assert _days(old_way) == _days(new_way)
    assert JUL in [day for held in _days(new_way) for _, day in held]


@pytest.mark.parametrize(
    ("call", "old", "write"), OLD_SPELLINGS, ids=[c for c, _, _ in OLD_SPELLINGS]
)
def test_a_day_given_under_both_names_is_refused(call: str, old: str, write: WriteCall) -> None:
    ledger = _prepared(call)
    before = ledger.checksum()
    with pytest.raises(tp.ValidationError) as caught:
        write(ledger, {"on": JUL, old: JAN})
    assert (caught.value.record, caught.value.field) == (call, old)
    assert ledger.checksum() == before


def test_import_register_takes_on_and_its_former_effective(tmp_path: Path) -> None:
    first = tmp_path / "register.csv"
    first.write_text("项目编号,项目名称,项目类别\nP001,东环路,基础设施\n", encoding="utf-8")
    later = tmp_path / "register-07.csv"
    later.write_text("项目编号,项目名称,项目类别\nP001,东环路二期,基础设施\n", encoding="utf-8")
    held = []
    for spelling in ("on", "effective"):
        ledger = tp.Ledger.open(":memory:")
        tp.io.import_register(ledger, first, on=JAN)
        if spelling == "on":
            tp.io.import_register(ledger, later, on=JUL)
        else:
            with pytest.warns(DeprecationWarning, match=r"use import_register\(on=\.\.\.\)"):
                tp.io.import_register(ledger, later, effective=JUL)
        held.append([(v.version, v.valid_from, v.project.name)
                     for v in ledger.project_versions("P001")])  # fmt: skip
    assert held[0] == held[1] == [(1, JAN, "东环路"), (2, JUL, "东环路二期")]


def test_tasks_have_one_name_and_the_former_milestone_warns_and_works() -> None:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_groups([tp.LeadingGroup(code="G1", name="城市道路建设工作领导小组")])
    with pytest.warns(DeprecationWarning, match=r"townplan\.Milestone.*use townplan\.Task"):
        old_class = tp.Milestone  # type: ignore[attr-defined]
    assert old_class is tp.Task
    with pytest.warns(DeprecationWarning, match="use townplan.Task"):
        from townplan.model.records import Milestone  # type: ignore[attr-defined]
    assert Milestone is tp.Task
    first = tp.Task(code="T1", group="G1", text="完成征地",
                    deadline=tp.Deadline.parse("6月底前", year=2013))  # fmt: skip
    second = tp.Task(code="T2", group="G1", text="完成道路建设",
                     deadline=tp.Deadline.parse("年底前", year=2013))  # fmt: skip
    assert ledger.add_tasks([first]) == 1
    with pytest.warns(DeprecationWarning, match=r"use ledger\.add_tasks"):
        assert ledger.add_milestones([second]) == 1
    assert ledger.tasks() == [first, second]
    assert ledger.task("T2") == second
    with pytest.warns(DeprecationWarning, match=r"use ledger\.tasks\(\)"):
        assert ledger.milestones() == [first, second]
    with pytest.warns(DeprecationWarning, match=r"use ledger\.task\(code\)"):
        assert ledger.milestone("T1") == first
    q, july = ledger.query(), date(2013, 7, 1)
    assert [t.code for t in q.tasks().overdue(on=july)] == ["T1"]
    with warnings.catch_warnings():  # a public entry point: kept, and silent
        warnings.simplefilter("error")
        assert [t.code for t in q.milestones().overdue(on=july)] == ["T1"]
