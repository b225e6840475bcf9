"""A ledger exported as a JSON document imports back into an equal ledger."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.io.jsondoc.document import from_json, load_json, to_json
from townplan.ledger import LedgerStore

Y = 2013


def via_text(doc: dict[str, Any]) -> Any:
    """The document as it comes back from a file."""
    return json.loads(json.dumps(doc, ensure_ascii=False))


def test_round_trip_keeps_every_record_id_and_record_time(town_ledger: LedgerStore) -> None:
    doc = via_text(to_json(town_ledger))
    copy = from_json(doc)
    assert copy.checksum() == town_ledger.checksum()
    assert to_json(copy) == doc
    assert doc["format"] == "townplan" and doc["version"] == 1


def test_document_holds_every_version_and_every_correction(town_ledger: LedgerStore) -> None:
    doc = to_json(town_ledger)
    versions = [(p["code"], p["version"], p["change_note"]) for p in doc["projects"]]
    assert versions == [
        ("SZ-001", 1, ""),
        ("SZ-001", 2, "调整年度计划"),
        ("SZ-002", 1, ""),
        ("SZ-002", 2, "转为续建"),
        ("SZ-002", 3, "补录挂点领导"),
        ("SZ-003", 1, ""),
        ("SZ-004", 1, ""),
    ]
    # 9 monthly reports, then two corrections of SZ-001's February report (id 4), chained.
    chain = [(r["id"], r["corrects"], r["completed"]["amount"]) for r in doc["progress"][-2:]]
    assert chain == [(10, 4, "6500000"), (11, 10, "6405000")]
    assert doc["progress"][-1]["recorded_at"] == "2013-03-25T00:00:00.000000"
    assert [e["corrects"] for e in doc["entries"]] == [None, 1]
    assert {"key": "town", "value": "示例镇"} in doc["tables"]["townplan_meta"]


def test_history_survives_the_trip(town_ledger: LedgerStore) -> None:
    copy = from_json(to_json(town_ledger))
    for day in (date(Y, 1, 20), date(Y, 3, 22), date(Y, 4, 1), date(Y, 12, 31)):
        before, after = town_ledger.as_of(day), copy.as_of(day)
        assert list(after.projects()) == list(before.projects())
        assert list(after.progress()) == list(before.progress())
        assert after.entries() == before.entries()
    assert copy.project("SZ-002").stage is tp.Stage.CONTINUING
    # the back-dated change (effective 1 Feb, recorded 1 May) is kept as history only
    versions = copy.project_versions("SZ-002")
    assert versions == town_ledger.project_versions("SZ-002")
    assert [(v.version, v.project.leader) for v in versions] == [(1, None), (3, "镇长"), (2, None)]


def test_governance_rows_come_back_column_for_column(town_ledger: LedgerStore) -> None:
    db = town_ledger.db
    db.execute(
        "INSERT INTO inspections (code, title, held_on, inspector, recorded_at) "
        "VALUES ('I01', '一季度督查', '2013-04-10', '督查室', '2013-04-10T00:00:00')"
    )
    db.execute(
        "INSERT INTO findings (code, inspection, project, task, text, rectify_by, "
        "recorded_at) VALUES ('F01', 'I01', 'SZ-001', 'T01', '进度滞后', '2013-05-31', "
        "'2013-04-10T00:00:00')"
    )
    doc = to_json(town_ledger)
    assert doc["tables"]["findings"] == [
        {
            "code": "F01",
            "inspection": "I01",
            "project": "SZ-001",
            "task": "T01",
            "text": "进度滞后",
            "rectify_by": "2013-05-31",
            "recorded_at": "2013-04-10T00:00:00",
        }
    ]
    assert from_json(via_text(doc)).checksum() == town_ledger.checksum()


def test_a_file_ledger_reopens_equal(town_ledger: LedgerStore, tmp_path: Path) -> None:
    path = tmp_path / "copy.db"
    from_json(to_json(town_ledger), path).close()
    with LedgerStore.open(path) as reopened:
        assert reopened.checksum() == town_ledger.checksum()


def test_every_problem_is_named_by_its_path_and_nothing_is_written(
    town_ledger: LedgerStore, tmp_path: Path
) -> None:
    doc = via_text(to_json(town_ledger))
    doc["projects"][3]["government_investment"] = 5000.5
    doc["projects"][5]["zone"] = "不存在的板块"
    doc["progress"][10]["corrects"] = 7
    doc["progress"][2]["recorded_at"] = "2013-02-05 08:00"
    doc["tasks"][0]["group"] = "G99"
    doc["entries"][1]["id"] = 5
    meta = doc["tables"]["townplan_meta"]
    meta.append({"key": "city", "valu": "东莞市"})
    doc["tables"]["budget_lines"] = []
    target = LedgerStore.open(":memory:")
    with pytest.raises(tp.ValidationError) as caught:
        load_json(target, doc)
    found = {(e.record, e.field) for e in caught.value.errors}
    assert found >= {
        ("projects[3]", "government_investment"),
        ("projects[5]", "zone"),
        ("progress[10]", "corrects"),
        ("progress[2]", "recorded_at"),
        ("tasks[0]", "group"),
        ("entries[1]", "id"),
        (f"tables.townplan_meta[{len(meta) - 1}]", "valu"),
        ("tables", "budget_lines"),
    }
    assert target.counts() == dict.fromkeys(target.counts(), 0)
    path = tmp_path / "never.db"
    with pytest.raises(tp.ValidationError):
        from_json(doc, path)
    assert not path.exists()


def test_what_the_ledger_refuses_is_named_by_the_path_of_the_record(
    town_ledger: LedgerStore,
) -> None:
    doc = via_text(to_json(town_ledger))
    assert doc["progress"][4]["completed"]["currency"] == "CNY"
    doc["tasks"].append({**doc["tasks"][0], "text": "同一编号的另一项任务"})
    doc["progress"][4]["completed"]["currency"] = "USD"
    doc["progress"][4]["cumulative"] = None
    doc["projects"][0]["responsible_unit"] = "不存在的单位"
    target = LedgerStore.open(":memory:")
    with pytest.raises(tp.ValidationError) as caught:
        load_json(target, doc)
    found = {(e.record, e.field, e.value): e.expected for e in caught.value.errors}
    assert found[("tasks[1]", "code", doc["tasks"][0]["code"])] == "a code not already used"
    assert ("progress[4]", "completed", "USD") in found
    assert found[("projects[0]", "responsible_unit", "不存在的单位")] == "a unit in the ledger"
    # what only follows from those (the refused project's later versions and reports) is
    # not named again
    assert {record for record, _, _ in found} == {"tasks[1]", "progress[4]", "projects[0]"}
    assert target.counts() == dict.fromkeys(target.counts(), 0)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"format": "beancount"}, "format"),
        ({"version": 2}, "version"),
        ({"projects": {"SZ-001": {}}}, "projects"),
        ({"extra": []}, "extra"),
    ],
)
def test_a_document_of_another_kind_is_refused(
    town_ledger: LedgerStore, change: dict[str, object], field: str
) -> None:
    doc = {**to_json(town_ledger), **change}
    with pytest.raises(tp.ValidationError) as caught:
        from_json(doc)
    assert ("document", field) in {(e.record, e.field) for e in caught.value.errors}


def test_loading_into_a_ledger_that_holds_records_is_refused(
    town_ledger: LedgerStore, make_town: Callable[..., LedgerStore]
) -> None:
    other = make_town(town=None)
    before = other.checksum()
    with pytest.raises(tp.ConflictError, match="empty ledger"):
        load_json(other, to_json(town_ledger))
    assert other.checksum() == before


def test_a_view_is_not_exported(town_ledger: LedgerStore) -> None:
    with pytest.raises(tp.ConflictError, match="whole ledger"):
        to_json(town_ledger.as_of(date(Y, 3, 1)))


# --- generated histories ------------------------------------------------------------------
NAMES = st.text(alphabet="东环路湿地公园新城区码头 AB", min_size=1, max_size=8).filter(
    lambda s: s.strip() == s and s
)
OPS = st.lists(
    st.tuples(
        st.sampled_from(["report", "correct", "update", "entry", "fix_entry"]),
        st.integers(0, 3),  # which project / entry
        st.integers(1, 6),  # month, or how many days into the year a change takes effect
        st.integers(-5_000, 900_000),  # fen (a correction may be negative)
        NAMES,
    ),
    max_size=25,
)


@st.composite
def histories(draw: st.DrawFn) -> LedgerStore:
    ledger = LedgerStore.open(":memory:")
    ledger.add_zones(["水乡新城区"])
    projects = [
        tp.Project(
            code=f"P{i}",
            name=draw(NAMES),
            category=draw(st.sampled_from(list(tp.Category))),
            government_investment=tp.Money.from_fen(draw(st.integers(0, 10**12)), currency),
            social_investment=tp.Money.zero(currency),
            zone=draw(st.sampled_from([None, "水乡新城区"])),
        )
        for i, currency in enumerate(
            draw(st.lists(st.sampled_from(["CNY", "USD"]), min_size=1, max_size=4))
        )
    ]
    clock = datetime(Y, 1, 5, 9)
    ledger.add_projects(projects, on=date(Y, 1, 1), recorded_at=clock)
    entries: list[int] = []
    for op, which, number, fen, text in draw(OPS):
        clock += timedelta(hours=draw(st.sampled_from([0, 1, 30])))
        p = projects[which % len(projects)]
        money = tp.Money.from_fen(fen, p.currency)
        period = tp.Period.month(Y, number)
        report = tp.ProgressReport(
            project=p.code, period=period, completed=abs(money), note=text, reported_on=clock.date()
        )
        reported = any(r.period == period for r in ledger.progress(p.code))
        if op == "report" and not reported:
            ledger.record_progress(report, recorded_at=clock)
        elif op in ("report", "correct") and reported:
            ledger.correct_progress(attrs.evolve(report, completed=money), recorded_at=clock)
        elif op == "update":
            changed = attrs.evolve(p, name=text, stage=tp.Stage.CONTINUING)
            ledger.update_project(
                changed,
                on=date(Y, 1, 1) + timedelta(days=number * 20),
                note=text,
                recorded_at=clock,
            )
        elif op == "entry" or not entries:
            entries.append(
                ledger.append_entry(
                    "task_progress", p.code, clock.date(), {"value": str(fen)}, recorded_at=clock
                )
            )
        elif op == "fix_entry":
            fixed = entries.pop(which % len(entries))
            entries.append(
                ledger.append_entry(
                    "task_progress",
                    p.code,
                    clock.date(),
                    {},
                    corrects=fixed,
                    note=text,
                    recorded_at=clock,
                )
            )
    return ledger


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_any_history_round_trips(ledger: LedgerStore) -> None:
    doc = via_text(to_json(ledger))
    copy = from_json(doc)
    assert copy.checksum() == ledger.checksum()
    assert to_json(copy) == doc


def test_the_sample_town_round_trips(sample_town: LedgerStore) -> None:
    doc = via_text(to_json(sample_town))
    assert len(doc["tables"]["problems"]) == 12 and len(doc["entries"]) > 100
    assert from_json(doc).checksum() == sample_town.checksum()


def test_the_new_ledger_is_the_front_door(town_ledger: LedgerStore) -> None:
    copy = from_json(to_json(town_ledger))
    assert isinstance(copy, tp.Ledger)
    assert copy.query().projects().count() == 4
    plain = from_json(to_json(town_ledger), ledger_type=LedgerStore)
    assert type(plain) is LedgerStore
