"""Planned against actual days: started_late, finished_late, starts in a period, the start
light, and the counts against the year's targets — as of a day."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs

import townplan as tp
from townplan.model.lifecycle import Dimension
from townplan.query.dates import start_verdicts
from townplan.query.sql import Fragment


def _plan(ledger: tp.Ledger, code: str, start: date, finish: date) -> None:
    project = ledger.project(code)
    ledger.update_project(
        attrs.evolve(project, planned_start=start, planned_finish=finish),
        on=date(2013, 1, 1), recorded_at=date(2013, 1, 5),
    )  # fmt: skip


def test_started_late_and_finished_late(life: tp.Ledger) -> None:
    _plan(life, "P1", date(2013, 3, 1), date(2014, 6, 30))
    _plan(life, "P3", date(2013, 3, 15), date(2013, 12, 31))  # suspended May to August
    q = life.query().projects()
    # P2 (no planned days) started on 04-08 and finished on 11-30 by its stage changes
    assert [p.code for p in q.started_late(on=date(2013, 3, 20))] == ["P1", "P3"]
    assert [p.code for p in q.started_late(on=date(2013, 6, 30))] == ["P1"]  # P3 halted
    assert [p.code for p in q.started_late(on=date(2013, 8, 15))] == ["P1", "P3"]  # resumed
    assert q.finished_late(on=date(2014, 7, 1)).count() == 2  # P1 and P3, neither finished
    assert [p.code for p in q.started_in("2013-04")] == ["P2"]
    assert [p.code for p in q.finished_in("2013")] == ["P2"]


def test_a_start_recorded_later_is_not_known_before(life: tp.Ledger) -> None:
    _plan(life, "P1", date(2013, 3, 1), date(2014, 6, 30))
    life.set_actual("P1", "start", date(2013, 2, 25), recorded_at=date(2013, 7, 20))
    assert life.as_of(date(2013, 7, 15)).query().projects().started_late(
        on=date(2013, 6, 30)).count() == 1  # fmt: skip
    assert life.as_of(date(2013, 7, 31)).query().projects().started_late(
        on=date(2013, 6, 30)).count() == 0  # fmt: skip


def test_the_start_light_names_its_dimension(life: tp.Ledger) -> None:
    _plan(life, "P1", date(2013, 3, 1), date(2014, 6, 30))
    everything = Fragment("SELECT code FROM projects")
    (v,) = start_verdicts(life, everything, date(2013, 5, 31))
    assert (v.project, v.dimension, v.light) == ("P1", Dimension.START, tp.Light.AMBER)
    assert "计划2013年3月1日开工" in v.reason_cn and "planned to start" in v.reason
    (v,) = start_verdicts(life, everything, date(2013, 6, 1))
    assert v.light is tp.Light.RED  # three months missed


def test_the_year_summary_counts_starts_against_the_target() -> None:
    life = tp.Ledger.open(":memory:")
    projects = [
        tp.Project(code=code, name=name, category=tp.Category.INFRASTRUCTURE,
                   government_investment=tp.Money.parse("3000万"),
                   planned_start=start, planned_finish=date(2013, 10, 31))
        for code, name, start in (("P1", "东环路", date(2013, 3, 1)),
                                  ("P2", "西大街", date(2013, 4, 1)))
    ]  # fmt: skip
    life.add_projects(projects, on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))
    for stage, day in (
        (tp.Stage.NEW_START, date(2013, 4, 8)),
        (tp.Stage.COMPLETED, date(2013, 11, 30)),
    ):
        life.update_project(attrs.evolve(projects[1], stage=stage), on=day,
                            recorded_at=day)  # fmt: skip
    life.add_targets([tp.AnnualTarget(code="K-START", indicator="新开工项目", year=2013,
                                      direction=tp.Direction.AT_LEAST, value=Decimal(2),
                                      unit="个")])  # fmt: skip
    summary = tp.reports.year_summary(life, 2013, as_of=date(2014, 1, 15))
    start, finish, _ = summary.table("starts").rows
    # planned in 2013: P1 and P2; started: P2 on 04-08 (P1 never); P2 finished on 11-30
    assert start[:3] == ("新开工", 2, 1) and start[3] == Decimal("0.5") and start[4] == 2
    assert finish[2] == 1  # P2 finished on 11-30
    assert "新开工、竣工、投产情况" in summary.to_markdown()
