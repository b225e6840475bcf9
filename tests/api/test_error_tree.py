"""Nothing townplan's public API raises is a built-in exception: a wrong argument is a
``TownplanError`` naming the argument and the value, at the call; a closed ledger, a
damaged file and a sum past SQLite's integers are townplan errors or simply work.

A day is a ``datetime.date``: ISO text, a datetime and an int are refused alike at every
call that takes a day, with a ValidationError naming the argument.
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import townplan as tp
import townplan.governance as gov
from townplan.ledger import SCHEMA_VERSION

D = date
CITY = tp.Category.INFRASTRUCTURE


@pytest.fixture(scope="module")
def town() -> Iterator[tp.Ledger]:
    """A small town: two projects with plans and June's report of one of them, a leading
    group with a task, a problem, an inspection's finding and a target."""
    ledger = tp.Ledger.open(":memory:")
    ledger.add_units(["城建办", "国土分局"])
    ledger.add_projects(
        [
            tp.Project(
                code=f"P{i}", name=f"道路{i}", category=CITY, responsible_unit="城建办",
                government_investment=tp.Money.parse("1.2亿"),
                annual_plan=tp.Money.parse("4000万"), plan_year=2013,
            )
            for i in (1, 2)
        ],
        on=D(2013, 1, 1),
    )  # fmt: skip
    ledger.record_progress(
        tp.ProgressReport(project="P1", period="2013-06", completed=tp.Money.parse("100万"),
                          reported_on=D(2013, 7, 3))
    )  # fmt: skip
    ledger.add_groups(
        [
            tp.LeadingGroup(
                code="G1",
                name="城市道路建设工作领导小组",
                member_units=("城建办",),
                established=D(2013, 2, 1),
            )
        ]
    )
    ledger.add_tasks(
        [
            tp.Task(
                code="T1",
                group="G1",
                text="完成征地",
                deadline=tp.Deadline.parse("6月底前", year=2013),
            )
        ]
    )
    gov.raise_problem(
        ledger,
        gov.Problem(
            code="Q1",
            project="P1",
            text="征地补偿未谈妥",
            raised_by="城建办",
            raised_on=D(2013, 3, 12),
            severity="urgent",
            assigned_to="国土分局",
        ),
    )
    gov.add_inspection(
        ledger,
        gov.Inspection(code="I1", title="一季度督查", held_on=D(2013, 4, 15)),
        [
            gov.Finding(
                code="F1",
                inspection="I1",
                project="P1",
                text="进度滞后",
                rectify_by=D(2013, 5, 31),
                assigned_to="国土分局",
            )
        ],
    )
    ledger.add_targets(
        [
            tp.AnnualTarget(
                code="GDP",
                indicator="地区生产总值",
                year=2013,
                direction=tp.Direction.AT_LEAST,
                value=Decimal("10"),
                unit="%",
            )
        ]
    )
    yield ledger
    ledger.close()


# --- each escape the issue lists, now a townplan error naming the argument ------------------
WRONG_DAYS = ["2013-06-30", datetime(2013, 6, 30, 12), 20130630]
DAY_CALLS: dict[str, Callable[[tp.Ledger, Any], object]] = {
    "as_of": lambda t, v: t.as_of(v).query().projects().count(),
    "overdue(on=)": lambda t, v: t.query().problems().overdue(on=v).count(),
    "tasks overdue(on=)": lambda t, v: t.query().tasks().overdue(on=v).count(),
    "missing_reports(on=)": lambda t, v: t.query().missing_reports("2013-06", on=v).count(),
    "missing_reports.on": lambda t, v: t.query().missing_reports("2013-06").on(v).count(),
    "problems.on": lambda t, v: t.query().problems().on(v).count(),
    "projects.on": lambda t, v: t.query().projects().on(v).count(),
    "funding.on": lambda t, v: t.query().funding(2013).on(v).count(),
    "assessment(on=)": lambda t, v: t.assessment(2013, on=v),
    "bulletin(as_of=)": lambda t, v: tp.reports.bulletin(t, month="2013-06", as_of=v),
    "policy(on=)": lambda t, v: t.policy(on=v),
}
ARGUMENT = {"as_of": "day", "bulletin(as_of=)": "as_of"}


@pytest.mark.parametrize("value", WRONG_DAYS, ids=["iso-text", "datetime", "int"])
@pytest.mark.parametrize("call", sorted(DAY_CALLS))
def test_a_day_that_is_not_a_date_is_refused_at_the_call(
    town: tp.Ledger, call: str, value: object
) -> None:
    with pytest.raises(tp.ValidationError) as caught:
        DAY_CALLS[call](town, value)
    assert caught.value.field == ARGUMENT.get(call, "on")
    assert caught.value.value == value


@pytest.mark.parametrize("year", ["2013", 10**6, 2013.0, True])
def test_an_assessment_year_must_be_a_year(town: tp.Ledger, year: object) -> None:
    with pytest.raises(tp.ValidationError) as caught:
        town.assessment(year)  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("year", year)


@pytest.mark.parametrize("n", [2**63, -1, 1.5, "2"])
def test_limit_and_offset_take_counts_sqlite_can_hold(town: tp.Ledger, n: object) -> None:
    for verb in ("limit", "offset"):
        with pytest.raises(tp.ValidationError) as caught:
            getattr(town.query().projects(), verb)(n).count()
        assert (caught.value.field, caught.value.value) == (verb, n)
    assert town.query().projects().limit(2**63 - 1).count() == 2


def test_a_required_amount_cannot_be_none() -> None:
    with pytest.raises(tp.ValidationError) as caught:
        tp.Project(code="P1", name="东环路", category=CITY, government_investment=None)  # type: ignore[arg-type]
    assert caught.value.field == "government_investment"
    with pytest.raises(tp.ValidationError) as caught:
        tp.ProgressReport(project="P1", period="2013-06", completed=None)  # type: ignore[arg-type]
    assert caught.value.field == "completed"
    # an optional amount stays optional
    assert tp.ProgressReport(project="P1", period="2013-06", completed=tp.Money.parse("1万"),
                             cumulative=None).cumulative is None  # fmt: skip


def test_sums_past_sqlite_integers_are_exact() -> None:
    most = tp.Money.parse("999999999999999元")  # the largest amount a record holds
    ledger = tp.Ledger.open(":memory:")
    ledger.add_projects(
        tp.Project(code=f"B{i:03d}", name="大项目", category=CITY, government_investment=most,
                   annual_plan=most, plan_year=2013)
        for i in range(100)
    )  # fmt: skip
    ledger.record_progress_many(
        tp.ProgressReport(project=f"B{i:03d}", period="2013-06", completed=most) for i in range(100)
    )
    hundred = tp.Money(most.amount * 100, "CNY")  # 10¹⁹ fen: beyond 2⁶³
    q = ledger.query().projects().on(D(2013, 6, 30))
    [total] = q.summary()
    assert (total.planned, total.year_to_date, total.count) == (hundred, hundred, 100)
    assert [s.year_to_date for s in q.group_by("month")][-1] == hundred
    assert [t.completed for t in ledger.query().progress().group_by("month")] == [hundred]


def test_a_closed_ledger_says_so_for_reads_writes_and_views() -> None:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_project(tp.Project(code="P1", name="东环路", category=CITY))
    view = ledger.as_of(D(2013, 6, 30))
    ledger.close()
    reads: list[Callable[[], object]] = [
        lambda: ledger.project("P1"),
        lambda: list(ledger.projects()),
        lambda: ledger.query().projects().count(),
        lambda: ledger.query().problems().count(),
        lambda: view.query().projects().count(),
        lambda: ledger.add_units(["城建办"]),
        lambda: ledger.db,
    ]
    for read in reads:
        with pytest.raises(tp.ClosedError, match="closed"):
            read()
    assert issubclass(tp.ClosedError, tp.TownplanError)


@pytest.mark.parametrize("version", [4, SCHEMA_VERSION])
def test_a_file_that_only_claims_to_be_a_ledger_is_refused(tmp_path: Path, version: int) -> None:
    path = tmp_path / "crafted.db"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE townplan_meta (key TEXT PRIMARY KEY, value TEXT)")
    conn.execute(f"PRAGMA user_version = {version}")
    conn.commit()
    conn.close()
    with pytest.raises(tp.SchemaError, match=r"crafted\.db"):
        tp.Ledger.open(path).query().projects().count()


@pytest.mark.parametrize(
    "towns", [{5: "town"}, {"甲镇": "not a ledger"}, "甲镇", 5, [None]], ids=repr
)
def test_rollup_names_a_wrong_argument(town: tp.Ledger, towns: Any) -> None:
    if isinstance(towns, dict) and 5 in towns:
        towns = {5: town}
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.rollup(tp.Ledger.open(":memory:"), towns)
    assert caught.value.field == "towns"


def test_more_than_one_is_a_townplan_error(town: tp.Ledger) -> None:
    assert issubclass(tp.MoreThanOneError, tp.TownplanError)
    with pytest.raises(tp.MoreThanOneError):
        town.query().projects().one()


def test_a_duplicate_is_told_from_the_constraint_code(town: tp.Ledger) -> None:
    # classified by SQLite's extended result code, not by the wording of its message
    from townplan.ledger.sqlite_errors import constraint, is_duplicate

    conn = sqlite3.connect(":memory:")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute("CREATE TABLE t (code TEXT PRIMARY KEY, other TEXT UNIQUE, up TEXT "
                 "REFERENCES t(code), n INTEGER CHECK (n > 0))")  # fmt: skip
    conn.execute("INSERT INTO t VALUES ('a', 'x', NULL, 1)")
    found = []
    for values in (("a", "y", None, 1), ("b", "x", None, 1), ("c", "z", "zz", 1),
                   ("d", "w", None, 0)):  # fmt: skip
        try:
            conn.execute("INSERT INTO t VALUES (?, ?, ?, ?)", values)
        except sqlite3.IntegrityError as exc:
            found.append((constraint(exc), is_duplicate(exc)))
    assert found == [("primarykey", True), ("unique", True), ("foreignkey", False),
                     ("check", False)]  # fmt: skip


# --- a hypothesis sweep: wrong-typed values into public entry points ---------------------
ANYTHING = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=True), st.text(max_size=12), st.binary(max_size=4),
    st.dates(), st.datetimes(), st.decimals(allow_nan=True), st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.just(object()),
    st.sampled_from(["2013-06", "2013", "2013-Q2", "1000万元", "P1", "城建办", "-1", ""]),
    st.sampled_from([0, -1, 1899, 3000, 10**6, 10**9, 2**31, 2**63, -(2**63) - 1, 10**20]),
    st.sampled_from([Decimal("sNaN"), Decimal("NaN"), Decimal("Infinity"), float("nan")]),
)  # fmt: skip
ENTRY_POINTS: dict[str, Callable[[tp.Ledger, Any], object]] = {
    "as_of": lambda t, v: t.as_of(v).query().projects().count(),
    "project": lambda t, v: t.project(v),
    "projects.on": lambda t, v: t.query().projects().on(v).count(),
    "projects.where": lambda t, v: t.query().projects().where(code=v).count(),
    "projects.where money": lambda t, v: t.query().projects().where(annual_plan__gte=v).count(),
    "projects.where in": lambda t, v: t.query().projects().where(zone__in=v).count(),
    "projects.where unit": lambda t, v: t.query().projects().where(unit=v).count(),
    "projects.where group": lambda t, v: t.query().projects().where(group=v).count(),
    "projects.order_by": lambda t, v: t.query().projects().order_by(v).count(),
    "projects.limit": lambda t, v: t.query().projects().limit(v).count(),
    "projects.light": lambda t, v: t.query().projects().light(v).count(),
    "progress.in_year": lambda t, v: t.query().progress().in_year(v).count(),
    "progress.where zone": lambda t, v: t.query().progress().where(zone=v).count(),
    "milestones.due_within": lambda t, v: t.query().tasks().due_within(v).count(),
    "problems.on": lambda t, v: t.query().problems().on(v).count(),
    "problems.where": lambda t, v: t.query().problems().where(unit=v).count(),
    "problems.overdue": lambda t, v: t.query().problems().overdue(on=v).count(),
    "findings.on": lambda t, v: t.query().findings().on(v).count(),
    "funding": lambda t, v: t.query().funding(v).count(),
    "funding.on": lambda t, v: t.query().funding(2013).on(v).count(),
    "expected_reports": lambda t, v: t.query().expected_reports(v).count(),
    "missing_reports on": lambda t, v: t.query().missing_reports("2013-06", on=v).count(),
    "missing_reports where": lambda t, v: t.query().missing_reports("2013").where(status=v).count(),
    "search": lambda t, v: t.query().search(v).count(),
    "assessment": lambda t, v: t.assessment(v),
    "assessment on": lambda t, v: t.assessment(2013, on=v),
    "policy": lambda t, v: t.policy(on=v),
    "bulletin month": lambda t, v: tp.reports.bulletin(t, month=v),
    "bulletin as_of": lambda t, v: tp.reports.bulletin(t, month="2013-06", as_of=v),
    "year_summary": lambda t, v: tp.reports.year_summary(t, v),
    "ranking_notice": lambda t, v: tp.reports.ranking_notice(t, v),
    "Money.parse": lambda t, v: tp.Money.parse(v),
    "Period.parse": lambda t, v: tp.Period.parse(v),
    "Deadline.parse": lambda t, v: tp.Deadline.parse(v),
    "Project": lambda t, v: tp.Project(code="P9", name="x", category=CITY, annual_plan=v),
    "Project code": lambda t, v: tp.Project(code=v, name="x", category=CITY),
    "ProgressReport": lambda t, v: tp.ProgressReport(project="P1", period="2013-06", completed=v),
    "rollup": lambda t, v: tp.io.rollup(tp.Ledger.open(":memory:"), v),
    "gov.problems": lambda t, v: gov.problems(t, on=v),
    "gov.findings": lambda t, v: gov.findings(t, on=v),
    "gov.open_tasks": lambda t, v: gov.open_tasks(t, on=v),
    "gov.overdue_tasks": lambda t, v: gov.overdue_tasks(t, on=v),
    "gov.tasks_due_within": lambda t, v: gov.tasks_due_within(t, v),
    "gov.task_status": lambda t, v: gov.task_status(t, "T1", on=v),
    "gov.group_completion": lambda t, v: gov.group_completion(t, on=v),
    "gov.response_times": lambda t, v: gov.response_times(t, on=v),
    "gov.response_times year": lambda t, v: gov.response_times(t, year=v),
    "gov.missing_reports": lambda t, v: gov.missing_reports(t, v),
    "gov.reporting_summary": lambda t, v: gov.reporting_summary(t, "2013", on=v),
    "gov.reporting_summary by": lambda t, v: gov.reporting_summary(t, "2013", by=v),
    "gov.target_verdicts": lambda t, v: gov.target_verdicts(t, v),
    "gov.attraction_summary": lambda t, v: gov.attraction_summary(t, v),
    "gov.attraction_total": lambda t, v: gov.attraction_total(t, "contracted", year=v),
    "gov.register_on": lambda t, v: gov.register_on(t, v),
}


@pytest.mark.parametrize("entry", sorted(ENTRY_POINTS))
def test_only_townplan_errors_escape(town: tp.Ledger, entry: str) -> None:
    call = ENTRY_POINTS[entry]

    @settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(value=ANYTHING)
    def check(value: object) -> None:
        with contextlib.suppress(tp.TownplanError):
            call(town, value)

    check()


def test_the_sweep_reaches_a_working_call(town: tp.Ledger) -> None:
    # the sweep is not only refusals: good values of the same calls answer
    assert ENTRY_POINTS["projects.where unit"](town, "城建办") == 2
    assert ENTRY_POINTS["assessment"](town, 2013) is not None
    assert ENTRY_POINTS["Money.parse"](town, "1000万元") == tp.Money(Decimal("10000000"), "CNY")
