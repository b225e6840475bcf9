"""Record times on everything: an as-of view answers the same whatever is recorded later,
back-dated or not — policies, rules, groups, tasks, targets, zones and units included."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import townplan as tp
import townplan.governance as gov
from townplan.query import LightRule

D = date
CUT = D(2013, 6, 30)


def project(code: str, gov_yuan: str = "1200万") -> tp.Project:
    return tp.Project(
        code=code, name=f"项目{code}", category=tp.Category.INFRASTRUCTURE,
        responsible_unit="城建办", government_investment=tp.Money.parse(gov_yuan),
        annual_plan=tp.Money.parse("400万"), plan_year=2013,
    )  # fmt: skip


@pytest.fixture
def town() -> tp.Ledger:
    ledger = tp.Ledger.open()
    ledger.add_units(["城建办"], recorded_at=D(2013, 1, 2))
    ledger.add_policy(tp.ThresholdPolicy.default(D(2013, 1, 1)), recorded_at=D(2013, 1, 2))
    ledger.add_project(project("P1"), on=D(2013, 1, 1), recorded_at=D(2013, 1, 5))
    return ledger


def test_a_stricter_policy_back_dated_today_leaves_the_past_as_it_was(town: tp.Ledger) -> None:
    def eligible() -> int:
        return town.as_of(CUT).query().projects().eligible().count()

    assert eligible() == 1
    strict = tp.ThresholdPolicy(
        name="从严标准", government_min=tp.Money.parse("5000万"),
        social_min=tp.Money.parse("5亿"), effective_from=D(2013, 1, 1),
    )  # fmt: skip
    town.add_policy(strict)  # recorded today, effective from 2013-01-01
    assert eligible() == 1
    assert town.as_of(CUT).policy().name == "三重项目入库标准"
    assert town.policy(on=CUT).name == "从严标准"  # the live ledger knows it


def test_a_group_or_task_added_today_is_not_in_a_past_view(town: tp.Ledger) -> None:
    town.add_groups([tp.LeadingGroup(code="G1", name="道路组", established=D(2013, 2, 1))])
    town.add_tasks(
        [tp.Task(code="T1", group="G1", text="征地", deadline=tp.Deadline.parse("6月底前", 2013))]
    )
    town.add_targets(
        [
            tp.AnnualTarget(
                code="GDP",
                indicator="地区生产总值",
                year=2013,
                direction=tp.Direction.AT_LEAST,
                value=Decimal("14.6"),
                unit="亿元",
            )
        ]
    )
    town.add_zones(["东区"])
    past = town.as_of(CUT)
    assert (past.groups(), past.tasks(), past.targets(), past.zones()) == ([], [], [], [])
    assert [g.code for g in town.groups()] == ["G1"]
    assert gov.overdue_tasks(past) == []


def test_a_correction_effective_later_leaves_the_entry_in_force_until_then(
    town: tp.Ledger,
) -> None:
    first = town.append_entry("target_actual", "GDP", D(2013, 6, 1), {"value": "14.0"},
                              recorded_at=D(2013, 6, 2))  # fmt: skip
    town.append_entry("target_actual", "GDP", D(2013, 8, 1), {"value": "14.6"},
                      corrects=first, recorded_at=D(2013, 7, 1))  # fmt: skip

    def values(day: date) -> list[str]:
        return [e.payload["value"] for e in town.as_of(day).entries(kind="target_actual")]

    assert values(D(2013, 6, 15)) == ["14.0"]
    assert values(D(2013, 7, 15)) == ["14.0"]  # the correction is known but not yet in force
    assert values(D(2013, 8, 1)) == ["14.6"]
    assert [e.payload["value"] for e in town.entries()] == ["14.6"]


@pytest.mark.parametrize("day", ["2013-06-30", datetime(2013, 6, 30), 20130630, None])
def test_a_cut_is_a_date(town: tp.Ledger, day: Any) -> None:
    with pytest.raises(tp.ValidationError, match=r"as_of\.day"):
        town.as_of(day)


def test_a_rule_of_every_kind_is_known_from_its_record_time(town: tp.Ledger) -> None:
    rules = [
        LightRule("严格", Decimal(5), Decimal(20), effective_from=D(2013, 1, 1)),
        gov.ResponseRule(name="从快", urgent_days=1, effective_from=D(2013, 1, 1)),
        gov.ReportingCalendar(name="提前", due_day=3, effective_from=D(2013, 1, 1)),
        gov.ScoringScheme(name="新办法", progress_points=Decimal(70), effective_from=D(2013, 1, 1)),
    ]
    for rule in rules:
        town.add_rule(rule, recorded_at=D(2013, 7, 1))
        assert town.as_of(CUT).rule(type(rule)) == type(rule).default()
        assert town.as_of(D(2013, 7, 1)).rule(type(rule)) == rule
    with pytest.raises(tp.ConflictError, match="严格"):
        town.add_rule(rules[0])


# --- the property: record, cut, record more, compare ---------------------------------------

KINDS = ("unit", "zone", "project", "update", "progress", "entry", "group", "task", "target",
         "attraction", "policy", "light", "response", "scoring")  # fmt: skip
ops = st.lists(
    st.tuples(st.sampled_from(KINDS), st.integers(0, 364), st.integers(0, 200)), max_size=12
)


def apply(ledger: tp.Ledger, n: int, kind: str, effective: date, recorded: datetime) -> None:
    """One write of ``kind``, effective on ``effective``, recorded at ``recorded``."""
    at = {"recorded_at": recorded}
    code = f"X{n}"
    if kind == "unit":
        ledger.add_units([f"单位{n}"], **at)
    elif kind == "zone":
        ledger.add_zones([f"板块{n}"], **at)
    elif kind == "project":
        ledger.add_project(project(code, "800万"), on=effective, **at)
    elif kind == "update":
        ledger.update_project(project("P1", f"{n + 1}00万"), on=effective, **at)
    elif kind == "progress":
        report = tp.ProgressReport(project="P1", period=f"2013-{effective.month:02d}",
                                   completed=tp.Money.parse(f"{n + 1}万"),
                                   reported_on=effective)  # fmt: skip
        month = [r for r in ledger.progress("P1") if r.period == report.period]
        if month:
            ledger.correct_progress(report, **at)
        else:
            ledger.record_progress(report, **at)
    elif kind == "entry":
        known = ledger.entries(kind="target_actual")
        ledger.append_entry("target_actual", "GDP", effective, {"value": str(n)},
                            corrects=known[-1].id if known and n % 2 else None, **at)  # fmt: skip
    elif kind == "group":
        ledger.add_groups([tp.LeadingGroup(code=code, name=f"组{n}", established=effective)], **at)
    elif kind == "task":
        if not ledger.groups():
            ledger.add_groups([tp.LeadingGroup(code=f"G{n}", name=f"组G{n}")], **at)
        group = ledger.groups()[0].code
        deadline = tp.Deadline.parse(f"{effective.month}月底前", 2013)
        ledger.add_tasks([tp.Task(code=code, group=group, text="任务", deadline=deadline)], **at)
    elif kind == "target":
        target = tp.AnnualTarget(code=code, indicator="指标", year=2013, value=Decimal(n),
                                 direction=tp.Direction.AT_LEAST, unit="亿元")  # fmt: skip
        ledger.add_targets([target], **at)
    elif kind == "attraction":
        figure = tp.Attraction(code=code, kind="contracted", origin="domestic",
                               amount=tp.Money.parse("1亿"), year=2013)  # fmt: skip
        ledger.add_attractions([figure], **at)
    elif kind == "policy":
        minimum = tp.Money.parse(f"{n + 1}00万")
        social = tp.Money.parse("2亿")
        policy = tp.ThresholdPolicy(f"标准{n}", minimum, social, effective_from=effective)
        ledger.add_policy(policy, **at)
    elif kind == "light":
        light = LightRule(f"灯{n}", Decimal(n % 20), Decimal(30), effective_from=effective)
        ledger.add_rule(light, **at)
    elif kind == "response":
        ledger.add_rule(gov.ResponseRule(name=f"时限{n}", urgent_days=n % 5,
                                         effective_from=effective), **at)  # fmt: skip
    elif kind == "scoring":
        ledger.add_rule(gov.ScoringScheme(name=f"办法{n}", progress_points=Decimal(n % 90),
                                          effective_from=effective), **at)  # fmt: skip


def snapshot(view: tp.Ledger) -> dict[str, Any]:
    """Everything an as-of view answers."""
    return {
        "projects": list(view.projects()),
        "versions": view.project_versions("P1"),
        "progress": list(view.progress()),
        "progress_entries": view.progress_entries("P1"),
        "entries": view.entries(),
        "zones": view.zones(), "units": view.units(), "groups": view.groups(),
        "tasks": view.tasks(), "targets": view.targets(), "attraction": view.attractions(),
        "policies": view.policies(), "policy": view.policy(),
        "rules": [view.rules(k) for k in (LightRule, gov.ResponseRule, gov.ScoringScheme)],
        "in_force": [view.rule(k) for k in (LightRule, gov.ResponseRule, gov.ScoringScheme)],
        "eligible": view.query().projects().eligible().count(),
        "overdue": gov.overdue_tasks(view),
    }  # fmt: skip


@settings(max_examples=25)
@given(before=ops, after=ops)
def test_an_as_of_view_answers_the_same_after_anything_recorded_later(
    before: list[tuple[str, int, int]], after: list[tuple[str, int, int]]
) -> None:
    ledger = tp.Ledger.open()
    ledger.add_units(["城建办"], recorded_at=D(2013, 1, 1))
    ledger.add_policy(tp.ThresholdPolicy.default(D(2013, 1, 1)), recorded_at=D(2013, 1, 1))
    ledger.add_project(project("P1"), on=D(2013, 1, 1), recorded_at=D(2013, 1, 1))
    start = datetime(2013, 1, 1, 9)
    for n, (kind, effective, recorded) in enumerate(before):
        when = start + timedelta(days=min(recorded, 179))  # by the cut
        apply(ledger, n, kind, D(2013, 1, 1) + timedelta(days=effective), when)
    seen = snapshot(ledger.as_of(CUT))
    for n, (kind, effective, recorded) in enumerate(after, start=len(before)):
        when = datetime(2013, 7, 1, 0, 0) + timedelta(days=recorded, hours=n % 24)
        apply(ledger, n, kind, D(2013, 1, 1) + timedelta(days=effective), when)
    assert snapshot(ledger.as_of(CUT)) == seen
