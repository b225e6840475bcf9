"""Every state transition of rapid response and supervision, allowed or refused: a
refused one raises ConflictError naming the record and its state, and writes nothing."""

from __future__ import annotations

from datetime import date

import pytest

import townplan as tp
import townplan.governance as gov
from townplan.ledger import LedgerStore

D = date
DAY = D(2013, 4, 15)

# Written out by hand from the workflow the office follows (not read from the code).
PROBLEM_ALLOWED = {
    "raised": {"assigned"},
    "assigned": {"assigned", "acknowledged", "answered"},
    "acknowledged": {"assigned", "answered"},
    "answered": {"closed"},
    "closed": set(),
}
PROBLEM_PATH = ["assigned", "acknowledged", "answered", "closed"]
FINDING_ALLOWED = {
    "item": {"assigned"},
    "assigned": {"assigned", "acknowledged"},
    "acknowledged": {"assigned", "handled"},
    "handled": {"reported_back"},
    "reported_back": {"reviewed"},
    "reviewed": {"handled", "closed"},  # a review that does not pass sends it back
    "closed": {"reopened"},
    "reopened": {"assigned", "acknowledged", "handled"},
}
FINDING_PATH = ["assigned", "acknowledged", "handled", "reported_back", "reviewed", "closed",
                "reopened"]  # fmt: skip
PROBLEM_ACTIONS = ["assigned", "acknowledged", "answered", "closed"]
FINDING_ACTIONS = ["assigned", "acknowledged", "handled", "reported_back", "reviewed", "closed",
                   "reopened"]  # fmt: skip


def _entries(store: LedgerStore) -> int:
    return int(store.db.execute("SELECT count(*) FROM entries").fetchone()[0])


def _problem_in(town: LedgerStore, state: str) -> str:
    gov.raise_problem(
        town, gov.Problem(code="Q1", project="R1", text="征地补偿未谈妥", raised_by="城建办",
                          raised_on=DAY, severity="urgent")
    )  # fmt: skip
    steps = [] if state == "raised" else PROBLEM_PATH[: PROBLEM_PATH.index(state) + 1]
    for step in steps:
        if step == "assigned":
            gov.assign_problem(town, "Q1", "国土分局", on=DAY)
        else:
            {"acknowledged": gov.acknowledge, "answered": gov.answer, "closed": gov.close}[step](
                town, "Q1", on=DAY
            )
    assert gov.problem(town, "Q1").state.value == state
    return "Q1"


def _act_on_problem(town: LedgerStore, action: str) -> gov.ProblemStatus:
    if action == "assigned":
        return gov.assign_problem(town, "Q1", "农业办", on=DAY)
    act = {"acknowledged": gov.acknowledge, "answered": gov.answer, "closed": gov.close}[action]
    return act(town, "Q1", on=DAY)


@pytest.mark.parametrize("state", list(PROBLEM_ALLOWED))
@pytest.mark.parametrize("action", PROBLEM_ACTIONS)
def test_problem_transitions(town, state, action):
    _problem_in(town, state)
    before = _entries(town)
    if action in PROBLEM_ALLOWED[state]:
        assert _act_on_problem(town, action).state.value == action
        assert _entries(town) == before + 1
    else:
        with pytest.raises(tp.ConflictError) as caught:
            _act_on_problem(town, action)
        assert "Problem Q1" in str(caught.value) and f"is {state}" in str(caught.value)
        assert caught.value.errors[0].field == "state"
        assert caught.value.errors[0].value == state
        assert _entries(town) == before


def _finding_in(town: LedgerStore, state: str) -> str:
    gov.add_inspection(
        town, gov.Inspection(code="I1", title="一季度督查", held_on=DAY),
        [gov.Finding(code="F1", inspection="I1", project="R1", text="进度滞后",
                     rectify_by=D(2013, 5, 31))],
    )  # fmt: skip
    steps = [] if state == "item" else FINDING_PATH[: FINDING_PATH.index(state) + 1]
    for step in steps:
        gov.advance(town, "F1", step, on=DAY, unit="国土分局")
    assert gov.finding(town, "F1").state.value == state
    return "F1"


@pytest.mark.parametrize("state", list(FINDING_ALLOWED))
@pytest.mark.parametrize("action", FINDING_ACTIONS)
def test_finding_transitions(town, state, action):
    _finding_in(town, state)
    before = _entries(town)
    if action in FINDING_ALLOWED[state]:
        status = gov.advance(town, "F1", action, on=DAY, unit="农业办")
        assert status.state.value == action
        assert _entries(town) == before + 1
    else:
        with pytest.raises(tp.ConflictError) as caught:
            gov.advance(town, "F1", action, on=DAY, unit="农业办")
        assert "Finding F1" in str(caught.value) and f"is {state}" in str(caught.value)
        assert caught.value.errors[0].value == state
        assert _entries(town) == before


def test_closing_an_unassigned_finding_is_refused(town):
    _finding_in(town, "item")
    with pytest.raises(
        tp.ConflictError, match=r"Finding F1 is item \(督查事项\); it cannot be closed"
    ):
        gov.advance(town, "F1", "closed", on=DAY)


def test_answering_a_closed_problem_is_refused(town):
    _problem_in(town, "closed")
    with pytest.raises(tp.ConflictError, match=r"Problem Q1 is closed \(已办结\)"):
        gov.answer(town, "Q1", on=D(2013, 5, 1))


def test_a_step_before_the_previous_one_is_refused(town):
    _problem_in(town, "acknowledged")
    before = _entries(town)
    with pytest.raises(tp.ConflictError) as caught:
        gov.answer(town, "Q1", on=D(2013, 4, 14))
    assert caught.value.errors[0].field == "on"
    assert _entries(town) == before


def test_unknown_action_unit_record_and_reference(town):
    _finding_in(town, "item")
    with pytest.raises(tp.ValidationError):
        gov.advance(town, "F1", "approved", on=DAY)
    with pytest.raises(tp.ConflictError, match="not a unit in the ledger"):
        gov.advance(town, "F1", "assigned", on=DAY, unit="不存在的局")
    with pytest.raises(tp.ConflictError, match="not a unit"):
        gov.advance(town, "F1", "assigned", on=DAY)  # no unit at all
    with pytest.raises(tp.NotFoundError):
        gov.advance(town, "F9", "assigned", on=DAY, unit="城建办")
    with pytest.raises(tp.NotFoundError):
        gov.acknowledge(town, "Q9", on=DAY)


def test_raising_is_all_or_nothing(town):
    bad_project = gov.Problem(code="Q2", project="NOPE", text="x", raised_by="城建办",
                              raised_on=DAY)  # fmt: skip
    with pytest.raises(tp.ConflictError) as caught:
        gov.raise_problem(town, bad_project)
    assert caught.value.errors[0].record == "Problem Q2"
    bad_unit = gov.Problem(code="Q3", project="R1", text="x", raised_by="城建办", raised_on=DAY,
                           assigned_to="不存在的局")  # fmt: skip
    with pytest.raises(tp.ConflictError):
        gov.raise_problem(town, bad_unit)
    assert town.db.execute("SELECT count(*) FROM problems").fetchone()[0] == 0
    assert _entries(town) == 0
    _problem_in(town, "raised")
    with pytest.raises(tp.ConflictError, match="Problem Q1"):
        _problem_in(town, "raised")  # the same code again


def test_an_inspection_is_all_or_nothing(town):
    good = gov.Finding(code="F1", inspection="I1", project="R1", text="滞后",
                       rectify_by=D(2013, 5, 31))  # fmt: skip
    unknown_task = gov.Finding(code="F2", inspection="I1", task="T9", text="未完成",
                               rectify_by=D(2013, 5, 31))  # fmt: skip
    early = gov.Finding(code="F3", inspection="I1", project="R1", text="滞后",
                        rectify_by=D(2013, 4, 1))  # fmt: skip
    inspection = gov.Inspection(code="I1", title="督查", held_on=DAY)
    with pytest.raises(tp.ConflictError):
        gov.add_inspection(town, inspection, [good, unknown_task])
    with pytest.raises(tp.ValidationError) as caught:
        gov.add_inspection(town, inspection, [good, early])
    assert caught.value.field == "rectify_by"
    for table in ("inspections", "findings", "entries"):
        assert town.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    with pytest.raises(tp.NotFoundError):
        gov.add_findings(town, [good])  # its inspection is not in the ledger
    with pytest.raises(tp.ValidationError, match="a project or a task"):
        gov.Finding(code="F4", inspection="I1", text="x", rectify_by=DAY)


def test_views_are_read_only(town):
    view = town.as_of(D(2013, 12, 31))
    with pytest.raises(tp.ReadOnlyError):
        gov.raise_problem(view, gov.Problem(code="Q1", project="R1", text="x", raised_by="城建办",
                                            raised_on=DAY))  # fmt: skip
    with pytest.raises(tp.ReadOnlyError):
        gov.add_inspection(view, gov.Inspection(code="I1", title="督查", held_on=DAY))
    assert town.db.execute("SELECT count(*) FROM problems").fetchone()[0] == 0


def test_reopened_findings_keep_their_history(town):
    gov.add_inspection(
        town, gov.Inspection(code="I1", title="督查", held_on=D(2013, 7, 10)),
        [gov.Finding(code="F6", inspection="I1", task="T1", text="耕地统筹未按期完成",
                     rectify_by=D(2013, 8, 31), assigned_to="农业办")],
        recorded_at=D(2013, 7, 10),
    )  # fmt: skip
    steps = [("acknowledged", D(2013, 7, 12)), ("handled", D(2013, 8, 28)),
             ("reported_back", D(2013, 8, 30)), ("reviewed", D(2013, 9, 3)),
             ("closed", D(2013, 9, 3)), ("reopened", D(2013, 9, 24)),
             ("handled", D(2013, 10, 10)), ("reported_back", D(2013, 10, 12)),
             ("reviewed", D(2013, 10, 15)), ("closed", D(2013, 10, 15))]  # fmt: skip
    for step, day in steps:
        gov.advance(town, "F6", step, on=day, recorded_at=day)
    final = gov.finding(town, "F6")
    assert [e.action for e in final.history] == ["raised", "assigned"] + [s for s, _ in steps]
    assert final.reopened == 1 and final.closed_on == D(2013, 10, 15)
    assert final.unit == "农业办" and final.finding.assigned_to == "农业办"
    assert gov.finding(town, "F6", on=D(2013, 9, 10)).state is gov.FindingState.CLOSED
    assert gov.finding(town, "F6", on=D(2013, 9, 30)).state is gov.FindingState.REOPENED
    assert gov.finding(town.as_of(D(2013, 9, 30)), "F6").state is gov.FindingState.REOPENED
    # Closed on 3 Sept, after its 31 Aug deadline: not rectified in time.
    assert not final.rectified_on_time and final.rectification_late(D(2013, 12, 31))
    assert [f.code for f in gov.overdue_findings(town, on=D(2013, 9, 30))] == ["F6"]
    assert gov.overdue_findings(town, on=D(2013, 9, 10)) == []
