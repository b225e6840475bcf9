"""Rapid response on the tiny town: deadlines from the rule in force, open and overdue
problems on a day, and response times per unit — against answers worked out by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import townplan.governance as gov
from townplan.ledger import LedgerStore

D = date


def _raise(store: LedgerStore, code: str, day: date, severity: str, unit: str | None) -> None:
    gov.raise_problem(
        store,
        gov.Problem(code=code, project="R1", text=f"问题{code}", raised_by="挂点领导",
                    raised_on=day, severity=severity, assigned_to=unit),
        recorded_at=day,
    )  # fmt: skip


@pytest.fixture
def rapid(town: LedgerStore) -> LedgerStore:
    """Q1 urgent, Tue 12 Mar → due Fri 15 Mar, answered 19 Mar (late), closed 25 Mar.
    Q2 normal, Wed 20 Mar → due Wed 3 Apr, answered 28 Mar, still open.
    Q3 normal, Wed 8 May (城建办) → due Wed 22 May, never answered.
    Q4 urgent, raised Mon 3 Jun unassigned, assigned Wed 5 Jun (农业办) → due Mon 10 Jun,
    acknowledged 6 Jun, answered 7 Jun, closed 20 Jun."""
    _raise(town, "Q1", D(2013, 3, 12), "urgent", "国土分局")
    _raise(town, "Q2", D(2013, 3, 20), "normal", "国土分局")
    _raise(town, "Q3", D(2013, 5, 8), "normal", "城建办")
    _raise(town, "Q4", D(2013, 6, 3), "urgent", None)
    steps = [
        (gov.answer, "Q1", D(2013, 3, 19)), (gov.close, "Q1", D(2013, 3, 25)),
        (gov.acknowledge, "Q2", D(2013, 3, 21)), (gov.answer, "Q2", D(2013, 3, 28)),
        (gov.acknowledge, "Q4", D(2013, 6, 6)), (gov.answer, "Q4", D(2013, 6, 7)),
        (gov.close, "Q4", D(2013, 6, 20)),
    ]  # fmt: skip
    gov.assign_problem(town, "Q4", "农业办", on=D(2013, 6, 5), recorded_at=D(2013, 6, 5))
    for act, code, day in steps:
        act(town, code, on=day, recorded_at=day)
    return town


def test_deadlines_follow_the_rule_and_severity(rapid):
    due = {p.code: p.due for p in gov.problems(rapid, on=D(2013, 12, 31))}
    assert due == {
        "Q1": D(2013, 3, 15), "Q2": D(2013, 4, 3), "Q3": D(2013, 5, 22), "Q4": D(2013, 6, 10),
    }  # fmt: skip
    assert gov.problem(rapid, "Q4", on=D(2013, 6, 4)).due is None  # not yet assigned


def test_open_and_overdue_on_a_day(rapid):
    def codes(items):
        return [p.code for p in items]

    assert codes(gov.overdue_responses(rapid, on=D(2013, 3, 15))) == []  # due day itself
    assert codes(gov.overdue_responses(rapid, on=D(2013, 3, 18))) == ["Q1"]
    assert codes(gov.open_problems(rapid, on=D(2013, 3, 18))) == ["Q1"]
    assert codes(gov.open_problems(rapid, on=D(2013, 5, 23))) == ["Q2", "Q3"]
    assert codes(gov.overdue_responses(rapid, on=D(2013, 5, 22))) == []
    assert codes(gov.overdue_responses(rapid, on=D(2013, 5, 23))) == ["Q3"]
    assert codes(gov.open_problems(rapid, on=D(2013, 6, 4))) == ["Q2", "Q3", "Q4"]
    assert codes(gov.open_problems(rapid, on=D(2013, 12, 31))) == ["Q2", "Q3"]
    # The same questions through a view cut at the day.
    assert codes(gov.overdue_responses(rapid.as_of(D(2013, 3, 18)))) == ["Q1"]
    assert codes(gov.open_problems(rapid.as_of(D(2013, 5, 23)))) == ["Q2", "Q3"]


def test_statuses_carry_dates_and_lateness(rapid):
    q1 = gov.problem(rapid, "Q1", on=D(2013, 12, 31))
    assert (q1.state, q1.unit, q1.assigned_on, q1.answered_on, q1.closed_on) == (
        gov.ProblemState.CLOSED, "国土分局", D(2013, 3, 12), D(2013, 3, 19), D(2013, 3, 25),
    )  # fmt: skip
    assert q1.answered_late and q1.response_days == 7
    assert [e.action for e in q1.history] == ["raised", "assigned", "answered", "closed"]
    q4 = gov.problem(rapid, "Q4", on=D(2013, 12, 31))
    assert q4.response_days == 2 and not q4.answered_late  # counted from assignment
    q3 = gov.problem(rapid, "Q3", on=D(2013, 12, 31))
    assert q3.response_late(D(2013, 12, 31)) and not q3.response_late(D(2013, 5, 22))


def test_response_times_per_unit(rapid):
    times = {t.unit: t for t in gov.response_times(rapid, on=D(2013, 12, 31))}
    assert list(times) == sorted(times)
    land = times["国土分局"]  # answered in 7 and 8 days
    assert (land.answered, land.mean_days, land.median_days, land.late, land.open) == (
        2, Decimal("7.50"), Decimal("7.50"), 1, 1,
    )  # fmt: skip
    city = times["城建办"]  # Q3 never answered
    assert (city.answered, city.mean_days, city.median_days, city.late, city.open) == (
        0, None, None, 1, 1,
    )  # fmt: skip
    farm = times["农业办"]
    assert (farm.answered, farm.mean_days, farm.late, farm.open) == (1, Decimal("2.00"), 0, 0)


def test_median_of_three(town):
    for code, raised, answered in [
        ("Q1", D(2013, 3, 4), D(2013, 3, 5)),  # 1 day
        ("Q2", D(2013, 3, 4), D(2013, 3, 8)),  # 4 days
        ("Q3", D(2013, 3, 4), D(2013, 3, 14)),  # 10 days
    ]:
        _raise(town, code, raised, "normal", "城建办")
        gov.answer(town, code, on=answered)
    (row,) = gov.response_times(town, on=D(2013, 12, 31))
    assert (row.mean_days, row.median_days) == (Decimal("5.00"), Decimal("4.00"))


def test_a_new_rule_governs_problems_assigned_after_it(rapid):
    gov.add_rule(
        rapid, gov.ResponseRule(name="提速", normal_days=5, effective_from=D(2013, 5, 1)),
        recorded_at=D(2013, 5, 25),
    )  # fmt: skip
    assert gov.problem(rapid, "Q3", on=D(2013, 12, 31)).due == D(2013, 5, 15)
    assert gov.problem(rapid, "Q2", on=D(2013, 12, 31)).due == D(2013, 4, 3)  # before the rule
    # What the office knew on 20 May: the rule was not yet recorded.
    assert gov.problem(rapid.as_of(D(2013, 5, 20)), "Q3").due == D(2013, 5, 22)


def test_problems_filter_by_project_unit_and_year(rapid):
    assert [p.code for p in gov.problems(rapid, unit="国土分局")] == ["Q1", "Q2"]
    assert len(gov.problems(rapid, project="R1")) == 4
    assert gov.problems(rapid, project="R2") == []
    assert gov.problems(rapid, year=2014) == []
    assert gov.problems(rapid, on=D(2013, 3, 11)) == []
