"""A task with several measures — "11项32公里" — tracked apart: progress per measure is the
observation of the measure's indicator (one concept), as of any day and any record time,
and shown in the task's status and the year summary."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import townplan as tp
from townplan import governance as gov
from townplan.ledger import LedgerStore
from townplan.reports import year_summary

D = date


def _latest(doc: dict[str, Any], task: str, measure: str, on: date) -> Decimal | None:
    """What governance.json says of one measure by ``on``, read from the file itself."""
    found = [
        (e["on"], e["value"])
        for e in doc["task_progress"]
        if e["task"] == task and e.get("measure") == measure and e["on"] <= on.isoformat()
    ]
    return Decimal(max(found)[1]) if found else None  # fmt: skip


@pytest.mark.parametrize("on", [D(2013, 3, 31), D(2013, 7, 1), D(2013, 12, 31)])
def test_the_sample_towns_11_roads_and_32_km_are_tracked_apart(
    sample: LedgerStore, governance_json: dict[str, Any], on: date
) -> None:
    status = gov.task_status(sample, "T04", on=on)
    roads, km = status.measures
    assert (roads.code, roads.target.unit, km.code, km.target.unit) == (
        "T04.1",
        "项",
        "T04.2",
        "公里",
    )
    assert (roads.target.value, km.target.value) == (11, 32)  # "11项32公里" in the task's text
    assert roads.value == _latest(governance_json, "T04", "项", on)
    assert km.value == _latest(governance_json, "T04", "公里", on)
    assert status.value == roads.value
    # the same observations, read as indicators
    verdicts = {v.target.code: v.actual for v in gov.indicator_statuses(sample, task="T04", on=on)}
    assert verdicts == {"T04.1": roads.value, "T04.2": km.value}


def test_the_year_summary_shows_each_measure_against_its_target(sample_town: tp.Ledger) -> None:
    tasks = year_summary(sample_town, 2013).table("tasks")
    names = [c.key for c in tasks.columns]
    row = dict(zip(names, next(r for r in tasks.rows if r[1] == "T04"), strict=True))
    assert row["progress"] == "11/11项；32/32公里"
    plain = dict(zip(names, next(r for r in tasks.rows if r[1] == "T09"), strict=True))
    assert plain["progress"] == ""  # a task without measures


@pytest.fixture
def roads() -> LedgerStore:
    store = LedgerStore.open(":memory:")
    day = D(2013, 2, 1)
    store.add_groups([tp.LeadingGroup(code="G1", name="交通建设领导小组", established=day)],
                     recorded_at=day)  # fmt: skip
    task = tp.Task(
        code="T4", group="G1", text="11项32公里联网道路",
        deadline=tp.Deadline.parse("年底前", year=2013),
        targets=(tp.Measure(Decimal(11), "项"), tp.Measure(Decimal(32), "公里")),
    )  # fmt: skip
    store.add_tasks([task], recorded_at=day)
    return store


def test_a_measure_recorded_later_is_not_in_the_view_cut_before(roads: LedgerStore) -> None:
    gov.record_task_progress(roads, "T4", measure="项", value=6, on=D(2013, 6, 30),
                             recorded_at=D(2013, 7, 2))  # fmt: skip
    # the kilometres of June arrive in August
    gov.record_task_progress(roads, "T4", measure=2, value="12.5", on=D(2013, 6, 30),
                             recorded_at=D(2013, 8, 5))  # fmt: skip
    july = gov.task_status(roads.as_of(D(2013, 7, 31)), "T4", on=D(2013, 6, 30))
    august = gov.task_status(roads.as_of(D(2013, 8, 31)), "T4", on=D(2013, 6, 30))
    assert [m.value for m in july.measures] == [Decimal(6), None]
    assert july.progress_cn == "6/11项；—/32公里"
    assert [m.value for m in august.measures] == [Decimal(6), Decimal("12.5")]
    assert [m.met for m in august.measures] == [False, False]
    # effective dates count too: on 30 May neither measure had a value
    assert [m.value for m in gov.task_status(roads, "T4", on=D(2013, 5, 30)).measures] == [
        None,
        None,
    ]
    later = gov.record_task_progress(roads, "T4", measure="T4.2", value=32, on=D(2013, 12, 20),
                                     done=True)  # fmt: skip
    assert later.done and [m.met for m in later.measures] == [False, True]


@pytest.mark.parametrize("measure", [None, 3, "米", "T5.1"])
def test_a_value_must_say_which_measure_and_nothing_is_written(
    roads: LedgerStore, measure: object
) -> None:
    before = roads.counts()
    with pytest.raises(tp.ValidationError) as caught:
        gov.record_task_progress(roads, "T4", measure=measure, value=3,  # type: ignore[arg-type]
                                 on=D(2013, 7, 1))  # fmt: skip
    (problem,) = caught.value.errors
    assert problem.field == "measure" and "1 (11项)" in problem.expected
    assert roads.counts() == before
