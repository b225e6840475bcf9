"""Procedures (前期手续): overdue, done, counts by unit and kind, as of a day."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.model.lifecycle import Procedure, ProcedureDone, ProcedureKind


def test_overdue_on_a_day_names_the_holding_unit(life: tp.Ledger) -> None:
    q = life.query().procedures()
    # 1 July, live: P1 eia is done (06-20, known now); P2 permit is past 06-15;
    # P3 permit is past due but P3 is suspended; P1 land_pre is due in August.
    overdue = list(q.overdue(on=date(2013, 7, 1)))
    assert [(p.project, p.kind, p.unit, p.days_overdue) for p in overdue] == [
        ("P2", "construction_permit", "住建分局", 16)
    ]
    assert q.overdue(on=date(2013, 7, 1)).count() == 1


def test_a_procedure_done_late_and_recorded_later(life: tp.Ledger) -> None:
    # Done on 20 June, recorded on 20 July: the June bulletin (as of 15 July) still
    # sees it overdue; as of 31 July it is done, and done late.
    before = life.as_of(date(2013, 7, 15)).query().procedures().on(date(2013, 6, 30))
    eia = before.where(project="P1", kind="eia").one()
    assert eia.overdue and eia.done_on is None and eia.days_overdue == 61
    after = life.as_of(date(2013, 7, 31)).query().procedures().on(date(2013, 6, 30))
    eia = after.where(project="P1", kind="eia").one()
    assert not eia.overdue and eia.done_on == date(2013, 6, 20) and eia.done_late
    assert eia.document == "环审〔2013〕12号"


def test_suspended_project_leaves_and_rejoins_the_judgment(life: tp.Ledger) -> None:
    q = life.query().procedures().where(project="P3")
    assert q.overdue(on=date(2013, 4, 15)).count() == 1  # before the suspension
    assert q.overdue(on=date(2013, 6, 30)).count() == 0  # suspended
    assert q.overdue(on=date(2013, 8, 15)).count() == 1  # resumed


def test_where_by_unit_kind_and_leader(life: tp.Ledger) -> None:
    q = life.query().procedures()
    assert sorted(p.project for p in q.where(unit="环保分局")) == ["P1", "P2"]
    assert [p.project for p in q.where(kind="construction_permit", leader="副镇长甲")] == ["P3"]
    assert q.required().where(project="P1").count() == 2
    assert q.where(holder="国土分局").count() == 1
    with pytest.raises(tp.ValidationError, match=r"procedures\.colour"):
        q.where(colour="x")


def test_counts_by_unit_and_kind(life: tp.Ledger) -> None:
    q = life.query().procedures().on(date(2013, 6, 30))
    by_unit = q.counts("unit")
    # 环保分局: P1 eia (done 06-20, after its 04-30 deadline) and P2 eia (05-10, in time)
    assert (by_unit["环保分局"].required, by_unit["环保分局"].done) == (2, 2)
    assert by_unit["环保分局"].done_late == 1 and by_unit["环保分局"].overdue == 0
    # 住建分局: P2 permit due 06-15 (in June, not done: overdue), P3 permit (suspended)
    assert by_unit["住建分局"].overdue == 1 and by_unit["住建分局"].due == 1
    assert "国土分局" in by_unit and by_unit["国土分局"].overdue == 0
    by_kind = q.counts("kind")
    assert by_kind["eia"].required == 2 and "energy" not in by_kind  # energy is not required
    with pytest.raises(tp.ValidationError, match="by"):
        q.counts("colour")


def test_a_town_adds_its_own_kind_from_a_day(life: tp.Ledger) -> None:
    life.add_procedure_kinds(
        [ProcedureKind("fire", "消防设计审查", "Fire design review", 75, date(2013, 7, 1))],
        recorded_at=date(2013, 6, 20),
    )
    assert [k.code for k in life.procedure_kinds(on=date(2013, 6, 30))][-1] == "construction_permit"
    assert [k.code for k in life.procedure_kinds(on=date(2013, 7, 1))][-1] == "fire"
    life.add_procedures([Procedure("P2", "fire", date(2013, 9, 30), "住建分局")])
    fire = life.query().procedures().where(kind="fire").one()
    assert fire.kind_name == "消防设计审查"
    with pytest.raises(tp.ConflictError, match="one period of a kind"):
        life.add_procedure_kinds([ProcedureKind("fire", "消防", effective_from=date(2013, 7, 1))])


def test_bad_procedures_are_refused_whole(life: tp.Ledger) -> None:
    before = life.checksum()
    with pytest.raises(tp.ConflictError) as caught:
        life.add_procedures(
            [
                Procedure("P2", "land_pre", date(2013, 9, 1), "国土分局"),
                Procedure("P9", "eia", date(2013, 9, 1)),
                Procedure("P1", "eia", date(2013, 9, 1)),
                Procedure("P2", "energy", None, "不存在的单位"),
            ]
        )
    text = str(caught.value)
    assert "P9" in text and "P1/eia" in text and "不存在的单位" in text
    with pytest.raises(tp.ConflictError, match="P1/fire"):
        life.record_procedures_done([ProcedureDone("P1", "fire", date(2013, 6, 1))])
    assert life.checksum() == before


days = st.integers(min_value=0, max_value=200).map(lambda n: date(2013, 1, 1) + timedelta(n))


@settings(max_examples=40, deadline=None)
@given(due=days, done=days, recorded_after=st.integers(0, 60), judged=days, cut=days)
def test_overdue_follows_the_as_of_rule(
    due: date, done: date, recorded_after: int, judged: date, cut: date
) -> None:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_project(
        tp.Project(code="P", name="路", category=tp.Category.INFRASTRUCTURE),
        on=date(2013, 1, 1), recorded_at=date(2013, 1, 1),
    )  # fmt: skip
    ledger.add_procedures([Procedure("P", "eia", due)], recorded_at=date(2013, 1, 1))
    recorded = done + timedelta(recorded_after)
    ledger.record_procedures_done([ProcedureDone("P", "eia", done)], recorded_at=recorded)
    view = ledger.as_of(cut)
    # Known done: effective by the day judged and recorded by the cut.
    known_done = done <= judged and recorded <= cut
    expected = due < judged and not known_done
    assert view.query().procedures().overdue(on=judged).count() == int(expected)
