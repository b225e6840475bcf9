"""Tasks of leading groups: done, open, overdue, due soon — from task_progress entries."""

from __future__ import annotations

from datetime import date

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import TASK_PROGRESS, Query


def codes(query: object) -> list[str]:
    return [r.code for r in query]  # type: ignore[attr-defined]


def test_overdue(q: Query) -> None:
    # T05 due 5-31 never done; T01 due 6-30 done only on 7-20; T03 done 6-15
    assert codes(q.tasks().overdue(on=date(2013, 7, 1))) == ["T05", "T01"]
    assert codes(q.tasks().overdue(on=date(2013, 8, 1))) == ["T05"]
    assert codes(q.tasks().overdue(on=date(2013, 6, 30))) == ["T05"]  # due day itself is not late
    assert codes(q.tasks().overdue(on=date(2014, 1, 1))) == ["T05", "T02", "T04"]


def test_done_and_open(q: Query) -> None:
    july = date(2013, 7, 1)
    assert codes(q.tasks().done(on=july)) == ["T03"]
    # T04 was reported done on 5-01 and reopened on 6-01: the latest entry decides
    assert codes(q.tasks().done(on=date(2013, 5, 15))) == ["T04"]
    assert codes(q.tasks().open(on=july)) == ["T05", "T01", "T02", "T04"]
    assert codes(q.tasks().done(on=date(2013, 12, 31))) == ["T01", "T03"]


def test_by_group_and_due_within(q: Query) -> None:
    assert codes(q.tasks().where(group="G01")) == ["T05", "T03", "T02"]
    assert codes(q.tasks().where(group="G01").overdue(on=date(2013, 7, 1))) == ["T05"]
    assert codes(q.tasks().due_within(31, on=date(2013, 6, 1))) == ["T01", "T03"]
    assert codes(q.tasks().due_within(0, on=date(2013, 5, 31))) == ["T05"]
    assert codes(q.tasks().due_within(30, on=date(2013, 6, 1)).open(on=date(2013, 6, 30))) == [
        "T01"
    ]
    assert codes(q.tasks().where(text__contains="湿地")) == ["T05"]
    assert codes(q.tasks().where(deadline__gte=date(2013, 12, 31))) == ["T02", "T04"]
    with pytest.raises(tp.ValidationError):
        q.tasks().due_within(-1)
    with pytest.raises(tp.ValidationError):
        q.tasks().overdue(on="2013-07-01")  # type: ignore[arg-type]


def test_default_day_is_the_cut(ledger: LedgerStore) -> None:
    view = Query(ledger.as_of(date(2013, 7, 1)))
    assert codes(view.tasks().overdue()) == ["T05", "T01"]


def test_a_done_entry_recorded_late_is_not_known_before(ledger: LedgerStore) -> None:
    # T05 reported done (effective 6-20) but only recorded on 7-05
    ledger.append_entry(TASK_PROGRESS, "T05", date(2013, 6, 20), {"done": True, "value": ""},
                        recorded_at=date(2013, 7, 5))  # fmt: skip
    assert codes(Query(ledger).tasks().overdue(on=date(2013, 7, 1))) == ["T01"]
    known_on_july_1 = Query(ledger.as_of(date(2013, 7, 1)))
    assert codes(known_on_july_1.tasks().overdue(on=date(2013, 7, 1))) == ["T05", "T01"]


def test_as_of_hides_tasks_of_groups_not_yet_established(ledger: LedgerStore) -> None:
    february = Query(ledger.as_of(date(2013, 2, 1)))  # G02 is established on 3-01
    assert codes(february.tasks()) == ["T05", "T03", "T02"]
    assert codes(february.groups()) == ["G01"]
