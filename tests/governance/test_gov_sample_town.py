"""The sample town's governance history (fixtures/sample_town/governance.json) loaded on
the sample ledger, checked against what its README and data say, worked out by hand."""

from __future__ import annotations

import copy
import csv
from collections import Counter
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
import townplan.governance as gov
from townplan.ledger import LedgerStore

D = date
SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"


def _codes(items: Any) -> list[str]:
    return [x.code for x in items]


def test_load_counts(sample):
    assert sample.db.execute("SELECT count(*) FROM problems").fetchone()[0] == 12
    assert sample.db.execute("SELECT count(*) FROM findings").fetchone()[0] == 13
    assert len(sample.entries(kind="task_progress")) == 29  # T04's 32公里 twice


def test_rapid_response_as_the_readme_says(sample):
    assert _codes(p for p in gov.problems(sample, on=D(2013, 12, 31)) if p.answered_late) == [
        "Q03", "Q06", "Q08",
    ]  # fmt: skip
    assert _codes(gov.open_problems(sample, on=D(2013, 7, 1))) == ["Q04", "Q06", "Q08"]
    assert _codes(gov.open_problems(sample.as_of(D(2013, 7, 1)))) == ["Q04", "Q06", "Q08"]
    assert _codes(gov.open_problems(sample, on=D(2013, 12, 31))) == ["Q12"]
    # Q03 (normal, Tue 5 Mar) was due Tue 19 Mar; Q06 (urgent, Tue 2 Apr) due Fri 5 Apr.
    assert _codes(gov.overdue_responses(sample, on=D(2013, 3, 25))) == ["Q03"]
    assert _codes(gov.overdue_responses(sample, on=D(2013, 4, 10))) == ["Q06"]
    land = {t.unit: t for t in gov.response_times(sample, on=D(2013, 12, 31))}["国土分局"]
    # Q04 answered in 3 days, Q06 in 23.
    assert (land.answered, land.mean_days, land.median_days, land.late) == (
        2, Decimal("13.00"), Decimal("13.00"), 1,
    )  # fmt: skip


def test_supervision_as_the_readme_says(sample):
    year_end = gov.findings(sample, on=D(2013, 12, 31))
    assert _codes(f for f in year_end if f.is_open) == ["F10", "F11", "F13"]
    f01 = next(f for f in year_end if f.code == "F01")
    actions = [e.action for e in f01.history]
    assert actions[actions.index("reviewed") + 1] == "handled"  # the review did not pass
    f06 = gov.finding(sample, "F06", on=D(2013, 12, 31))
    assert (f06.reopened, f06.state, f06.closed_on) == (1, gov.FindingState.CLOSED, D(2013, 10, 15))
    assert gov.finding(sample, "F06", on=D(2013, 9, 30)).state is gov.FindingState.REOPENED
    assert [f.finding.task for f in gov.findings(sample, task="T09")] == ["T09"]
    assert _codes(gov.findings(sample, inspection="I04")) == ["F12", "F13"]
    # Open past the deadline on 1 Dec: only F10 (rectify by 30 Nov).
    assert _codes(gov.overdue_findings(sample, on=D(2013, 12, 1))) == ["F10"]


def test_tasks_as_the_readme_says(sample):
    assert [t.task.code for t in gov.overdue_tasks(sample, on=D(2013, 7, 1))] == ["T09", "T19"]
    statuses = {t.task.code: t for t in gov.task_statuses(sample, on=D(2013, 12, 31))}
    assert statuses["T07"].done_on_time and statuses["T10"].done_on_time
    assert statuses["T09"].done_on == D(2013, 10, 15) and not statuses["T09"].done_on_time
    assert (statuses["T17"].done, statuses["T17"].value) == (False, Decimal(860))
    assert not statuses["T23"].done
    g07 = {g.group: g for g in gov.group_completion(sample, on=D(2013, 12, 31))}["G07"]
    # T09 late, T10 on time, T11 on time, T12 (2-3 years) open and not yet due.
    assert (g07.tasks, g07.done, g07.on_time, g07.overdue) == (4, 3, 2, 0)


def _by_hand() -> tuple[int, int, Counter[str], Counter[str]]:
    """Missing and late reports of 2013 straight from the CSV files: every project eligible
    by the town's thresholds owes 12 reports, each due by the 5th of the next month."""
    with (SAMPLE / "projects.csv").open(encoding="utf-8", newline="") as f:
        eligible = {
            r["项目编号"]: r["责任单位"]
            for r in csv.DictReader(f)
            if Decimal(r["政府投资（万元）"] or 0) >= 1000
            or Decimal(r["社会投资（万元）"] or 0) >= 20000
        }
    late_units: Counter[str] = Counter()
    missing_units: Counter[str] = Counter()
    seen = set()
    with (SAMPLE / "progress.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            year, month = map(int, r["月份"].split("-"))
            due = D(year + month // 12, month % 12 + 1, 5)
            seen.add((r["项目编号"], month))
            if date.fromisoformat(r["报送日期"]) > due:
                late_units[eligible[r["项目编号"]]] += 1
    for code, unit in eligible.items():
        for month in range(1, 13):
            if (code, month) not in seen:
                missing_units[unit] += 1
    return len(eligible), sum(late_units.values()), late_units, missing_units


def test_reporting_as_the_readme_says(sample):
    june = D(2013, 7, 31)
    assert [r.project.code for r in gov.missing_reports(sample, "2013-06", on=june)] == [
        "SZ2013-016", "SZ2013-024",
    ]  # fmt: skip
    late = gov.late_reports(sample, "2013-06", on=june)
    assert [(r.project.code, r.received_on) for r in late] == [
        ("SZ2013-003", D(2013, 7, 10)), ("SZ2013-022", D(2013, 7, 12)),
    ]  # fmt: skip
    year = D(2014, 1, 31)
    eligible, late_count, late_units, missing_units = _by_hand()
    assert (eligible, late_count, sum(missing_units.values())) == (36, 33, 16)  # the README
    assert len(gov.missing_reports(sample, "2013", on=year)) == 16
    assert len(gov.late_reports(sample, "2013", on=year)) == 33
    summary = {c.key: c for c in gov.reporting_summary(sample, "2013", on=year)}
    assert {k: c.late for k, c in summary.items() if c.late} == dict(late_units)
    assert {k: c.missing for k, c in summary.items() if c.missing} == dict(missing_units)
    assert sum(c.expected for c in summary.values()) == 36 * 12


def test_the_assessment_explains_itself(sample):
    a = gov.assess(sample, 2013)
    assert a.on == D(2013, 12, 31) and a.scheme == gov.ScoringScheme.default()
    for row in (*a.ranking, *a.projects):
        assert sum(row.breakdown.values(), Decimal(0)) == row.score
    assert [r.rank for r in a.ranking] == sorted(r.rank for r in a.ranking)
    assert len(a.commended) == 3 and len(a.named) == 3
    # Late answers by 31 Dec: Q03 (规划所), Q06 (国土分局); Q08's unit has no project.
    responses = {r.unit: r.breakdown["overdue_responses"] for r in a.ranking}
    assert {u: p for u, p in responses.items() if p} == {
        "规划所": Decimal("-2.00"), "国土分局": Decimal("-2.00"),
    }  # fmt: skip
    # Not closed by their deadline, judged on 31 Dec: F01 and F04 (国土分局), F06 (农业办),
    # F08 (公路所), F10 (卫生和计划生育局); F12's unit (交警中队) has no project.
    findings = {r.unit: r.breakdown["overdue_findings"] for r in a.ranking}
    assert {u: p for u, p in findings.items() if p} == {
        "国土分局": Decimal("-2.00"), "农业办": Decimal("-1.00"), "公路所": Decimal("-1.00"),
        "卫生和计划生育局": Decimal("-1.00"),
    }  # fmt: skip
    # 玖龙纸业文化纸 is the one project in operation (投产).
    assert [p.project for p in a.projects if p.breakdown["operation"]] == ["SZ2013-008"]


def test_the_assessment_is_reproducible_as_of_a_past_day(sample):
    day = D(2013, 6, 30)
    assert gov.assess(sample.as_of(day), 2013) == gov.assess(sample, 2013, on=day)


def test_a_bad_document_writes_nothing(sample_base, governance_json, unit_names):
    store = LedgerStore.open(":memory:")
    store.add_units(u.name for u in sample_base.units())
    store.add_zones(z.name for z in sample_base.zones())
    for p in sample_base.projects():
        store.add_project(p, on=D(2013, 1, 1), recorded_at=D(2013, 1, 1))
    store.add_groups(sample_base.groups())
    store.add_tasks(sample_base.tasks())
    doc = copy.deepcopy(governance_json)
    names = unit_names
    doc["problems"][-1]["events"].append({"action": "answered", "on": "2013-12-02"})
    with pytest.raises(tp.ConflictError, match="Problem Q12 is answered"):
        gov.load_governance(store, doc, names=names)
    early = {"task_progress": [{"task": "T01", "on": "2013-01-15", "done": True}]}
    with pytest.raises(tp.ConflictError, match="before its group G01"):
        gov.load_governance(store, early)
    for table in ("problems", "inspections", "findings", "entries"):
        assert store.db.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0
    with pytest.raises(tp.ValidationError, match="only the keys"):
        gov.load_governance(store, {"problem": []})
    with pytest.raises(tp.ValidationError) as caught:
        gov.load_governance(store, {"task_progress": [{"task": "T01", "done": True}]})
    assert caught.value.field == "on"
    assert (
        gov.load_governance(store, doc | {"problems": doc["problems"][:-1]}, names=names)[
            "problems"
        ]
        == 11
    )
