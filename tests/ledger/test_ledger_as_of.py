"""As-of views: what the ledger knew on a day (effective by then and recorded by its end).
Corrections and project changes keep the old values visible before them; views are
read-only."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime

import attrs
import pytest

import townplan as tp
from townplan.ledger import LedgerStore

D = date


def money(text: str) -> tp.Money:
    return tp.Money.parse(text)


@pytest.fixture
def town() -> Iterator[LedgerStore]:
    """P001 entered the register on 2013-01-01 (recorded 2013-01-05) as a new start."""
    with LedgerStore.open() as ledger:
        ledger.add_units(["城建办"])
        ledger.add_project(
            tp.Project(code="P001", name="中心大道二期", category=tp.Category.INFRASTRUCTURE,
                       stage=tp.Stage.NEW_START, responsible_unit="城建办",
                       annual_plan=money("4000万"), plan_year=2013),
            on=D(2013, 1, 1), recorded_at=D(2013, 1, 5),
        )  # fmt: skip
        yield ledger


def june(completed: str, reported_on: date) -> tp.ProgressReport:
    return tp.ProgressReport(
        project="P001", period="2013-06", completed=money(completed), reported_on=reported_on
    )


def in_force(ledger: LedgerStore) -> list[tp.Money]:
    return [r.completed for r in ledger.progress("P001")]


def test_a_correction_changes_now_but_not_the_past(town: LedgerStore) -> None:
    town.record_progress(june("500万", D(2013, 7, 3)), recorded_at=datetime(2013, 7, 3, 10))
    fixed = town.correct_progress(
        june("450万", D(2013, 8, 10)), recorded_at=datetime(2013, 8, 10, 16), reason="统计口径"
    )
    assert in_force(town) == [money("450万")]
    assert in_force(town.as_of(D(2013, 7, 2))) == []
    assert in_force(town.as_of(D(2013, 7, 3))) == [money("500万")]
    assert in_force(town.as_of(D(2013, 8, 9))) == [money("500万")]
    assert in_force(town.as_of(D(2013, 8, 10))) == [money("450万")]
    assert "统计口径" in fixed.note
    history = town.progress_entries("P001")
    assert [r.completed for r in history] == [money("500万"), money("450万")]
    assert history[1].corrects == history[0].id == fixed.corrects
    assert len(town.as_of(D(2013, 7, 31)).progress_entries("P001")) == 1


def test_a_correction_of_a_correction(town: LedgerStore) -> None:
    town.record_progress(june("500万", D(2013, 7, 3)), recorded_at=D(2013, 7, 3))
    town.correct_progress(june("450万", D(2013, 8, 10)), recorded_at=D(2013, 8, 10))
    town.correct_progress(june("455万", D(2013, 9, 2)), recorded_at=D(2013, 9, 2))
    assert in_force(town) == [money("455万")]
    assert in_force(town.as_of(D(2013, 8, 31))) == [money("450万")]
    assert in_force(town.as_of(D(2013, 7, 31))) == [money("500万")]


def test_a_stage_change_shows_from_its_day_once_recorded(town: LedgerStore) -> None:
    changed = attrs.evolve(town.project("P001"), stage=tp.Stage.CONTINUING)
    version = town.update_project(
        changed, on=D(2013, 6, 1), note="已开工", recorded_at=D(2013, 6, 3)
    )
    assert version.version == 2 and version.valid_from == D(2013, 6, 1)
    assert town.project("P001").stage is tp.Stage.CONTINUING
    assert town.as_of(D(2013, 5, 31)).project("P001").stage is tp.Stage.NEW_START
    # Effective on 1 June, but nobody knew until it was recorded on 3 June.
    assert town.as_of(D(2013, 6, 2)).project("P001").stage is tp.Stage.NEW_START
    assert town.as_of(D(2013, 6, 3)).project("P001").stage is tp.Stage.CONTINUING
    versions = town.project_versions("P001")
    assert [(v.version, v.valid_from, v.note) for v in versions] == [
        (1, D(2013, 1, 1), ""), (2, D(2013, 6, 1), "已开工"),
    ]  # fmt: skip
    assert len(town.as_of(D(2013, 6, 2)).project_versions("P001")) == 1


def test_a_change_recorded_ahead_of_its_day(town: LedgerStore) -> None:
    plan = attrs.evolve(town.project("P001"), annual_plan=money("5000万"))
    town.update_project(plan, on=D(2013, 10, 1), recorded_at=D(2013, 9, 20))
    assert town.as_of(D(2013, 9, 30)).project("P001").annual_plan == money("4000万")
    assert town.as_of(D(2013, 10, 1)).project("P001").annual_plan == money("5000万")


def test_before_a_project_entered_the_register_it_is_not_found(town: LedgerStore) -> None:
    with pytest.raises(tp.NotFoundError, match="as of 2012-12-31"):
        town.as_of(D(2012, 12, 31)).project("P001")
    assert list(town.as_of(D(2012, 12, 31)).projects()) == []


def test_entries_as_of_apply_corrections_once_known(town: LedgerStore) -> None:
    first = town.append_entry(
        "target_actual", "GDP", D(2013, 6, 30), {"value": "14.0"}, recorded_at=D(2013, 7, 1)
    )
    town.append_entry(
        "target_actual", "GDP", D(2013, 6, 30), {"value": "14.6"}, corrects=first,
        recorded_at=D(2013, 8, 1),
    )  # fmt: skip
    values = lambda ledger: [e.payload["value"] for e in ledger.entries("target_actual")]  # noqa: E731
    assert values(town) == ["14.6"]
    assert values(town.as_of(D(2013, 7, 15))) == ["14.0"]
    assert values(town.as_of(D(2013, 6, 30))) == []
    assert values(town.as_of(D(2013, 8, 1))) == ["14.6"]


def test_as_of_never_shows_two_reports_for_one_month(town: LedgerStore) -> None:
    town.record_progress(june("500万", D(2013, 7, 3)), recorded_at=D(2013, 7, 3))
    town.correct_progress(june("450万", D(2013, 9, 1)), recorded_at=D(2013, 8, 1))
    town.correct_progress(june("455万", D(2013, 8, 5)), recorded_at=D(2013, 8, 5))
    assert len(in_force(town.as_of(D(2013, 8, 10)))) == 1


WRITES: dict[str, Callable[[LedgerStore], object]] = {
    "add_zones": lambda v: v.add_zones(["东区"]),
    "add_units": lambda v: v.add_units(["交通局"]),
    "add_project": lambda v: v.add_project(
        tp.Project(code="P002", name="湿地公园", category=tp.Category.LIVELIHOOD)
    ),
    "add_projects": lambda v: v.add_projects([]),
    "update_project": lambda v: v.update_project(v.project("P001"), on=D(2013, 6, 1)),
    "record_progress": lambda v: v.record_progress(june("1万", D(2013, 7, 3))),
    "record_progress_many": lambda v: v.record_progress_many([]),
    "correct_progress": lambda v: v.correct_progress(june("1万", D(2013, 7, 3))),
    "add_groups": lambda v: v.add_groups([tp.LeadingGroup(code="G1", name="道路组")]),
    "add_tasks": lambda v: v.add_tasks([]),
    "add_targets": lambda v: v.add_targets([]),
    "add_attractions": lambda v: v.add_attractions([]),
    "add_policy": lambda v: v.add_policy(tp.ThresholdPolicy.default()),
    "append_entry": lambda v: v.append_entry("note", "P001", D(2013, 6, 1)),
    "transaction": lambda v: v.transaction().__enter__(),
}


@pytest.mark.parametrize("write", WRITES.values(), ids=WRITES.keys())
def test_writing_through_an_as_of_view_is_refused(
    town: LedgerStore, write: Callable[[LedgerStore], object]
) -> None:
    before = town.checksum()
    view = town.as_of(D(2013, 12, 31))
    with pytest.raises(tp.ReadOnlyError, match="2013-12-31"):
        write(view)
    assert town.checksum() == before
    WRITES["append_entry"](town)  # the live ledger still writes


def test_a_view_knows_its_day_and_leaving_it_keeps_the_ledger_open(town: LedgerStore) -> None:
    assert town.cut is None
    with town.as_of(D(2013, 3, 1)) as view:
        assert view.cut == D(2013, 3, 1)
        assert view.project("P001").stage is tp.Stage.NEW_START
    assert town.project("P001").code == "P001"
    assert town.as_of(D(2013, 3, 1)).as_of(D(2013, 1, 2)).cut == D(2013, 1, 2)
