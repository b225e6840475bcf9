"""The governance questions speak the query dialect: immutable queries compiled to SQL,
judged on the day ``.on(day)`` sets, with the verbs every query has.

The oracle folds the raw workflow entries by hand (the last step effective by the day
decides the state, the last assignment the unit) and reads the stored rows directly; it
shares no code with the SQL the queries compile to.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.governance import ResponseRule
from townplan.governance.queries import PortfolioQuery
from townplan.ledger import LedgerStore

D = date
ZONE, LAND = "水乡新城区", "国土分局"
DAYS = st.dates(min_value=D(2013, 1, 1), max_value=D(2014, 3, 31))


def by_hand(store: LedgerStore, kind: str, day: date) -> dict[str, dict[str, Any]]:
    """Per record code: the last action and the last assignment effective by ``day``."""
    rows = store.db.execute(
        "SELECT subject, effective_on, id, payload FROM entries WHERE kind = ? "
        "ORDER BY effective_on, id",
        [kind],
    ).fetchall()
    found: dict[str, dict[str, Any]] = {}
    for subject, effective_on, _, payload in rows:
        if effective_on > day.isoformat():
            continue
        step = json.loads(payload)
        record = found.setdefault(subject, {"unit": None, "assigned_on": None})
        record["action"] = step["action"]
        if step["action"] == "assigned":
            record["unit"], record["assigned_on"] = step["unit"], date.fromisoformat(effective_on)
    return found


@settings(max_examples=25, deadline=None)
@given(day=DAYS)
def test_problems_open_overdue_and_unit_match_the_entries(sample: LedgerStore, day: date) -> None:
    q = PortfolioQuery(sample).problems().on(day)
    expected = by_hand(sample, "problem_event", day)
    severity = dict(sample.db.execute("SELECT code, severity FROM problems").fetchall())
    rule = ResponseRule.default()  # the sample town keeps no rule of its own
    opened = {c for c, r in expected.items() if r["action"] != "closed"}
    overdue = {
        c for c, r in expected.items()
        if r["action"] in ("assigned", "acknowledged")
        and day > rule.due(r["assigned_on"], severity[c])
    }  # fmt: skip
    assert {p.code for p in q} == set(expected)
    assert {p.code for p in q.open()} == opened
    assert {p.code for p in q.open().overdue()} == overdue
    assert q.overdue().count() == len(overdue)
    for unit in {r["unit"] for r in expected.values()} - {None}:
        assert {p.code for p in q.where(unit=unit)} == {
            c for c, r in expected.items() if r["unit"] == unit
        }


@settings(max_examples=25, deadline=None)
@given(day=DAYS)
def test_findings_open_and_overdue_match_the_entries(sample: LedgerStore, day: date) -> None:
    q = PortfolioQuery(sample).findings().on(day)
    expected = by_hand(sample, "finding_event", day)
    deadline = {
        c: date.fromisoformat(d)
        for c, d in sample.db.execute("SELECT code, rectify_by FROM findings").fetchall()
    }
    opened = {c for c, r in expected.items() if r["action"] != "closed"}
    assert {f.code for f in q.open()} == opened
    assert {f.code for f in q.overdue()} == {c for c in opened if day > deadline[c]}
    assert {f.code: f.unit for f in q} == {c: r["unit"] for c, r in expected.items()}


def test_the_contract_of_the_design_notes(sample: LedgerStore) -> None:
    q = PortfolioQuery(sample)
    june = q.missing_reports(period="2013-06").on(D(2013, 7, 15))
    assert june.count() == 2
    assert [(r.code, r.unit) for r in june] == [("SZ2013-016", "农业办"), ("SZ2013-024", "公路所")]
    assert [r.code for r in june.where(unit="农业办")] == ["SZ2013-016"]
    assert june.where(unit="城建办").count() == 0
    assert q.problems().on(D(2013, 6, 1)).open().overdue().count() == 1
    assert q.problems().on(D(2013, 7, 1)).open().overdue().count() == 0
    assert issubclass(tp.MoreThanOneError, tp.TownplanError)
    with pytest.raises(tp.MoreThanOneError):
        june.one()


def test_overdue_without_an_argument_follows_the_query_day(sample: LedgerStore) -> None:
    q = PortfolioQuery(sample)
    june = D(2013, 6, 1)
    assert [p.code for p in q.problems().on(june).overdue()] == [
        p.code for p in q.problems().overdue(on=june)
    ]
    assert q.tasks().on(D(2013, 7, 1)).overdue().count() == (
        q.tasks().overdue(on=D(2013, 7, 1)).count()
    )
    # on an as-of view the day is the view's cut
    view = PortfolioQuery(sample.as_of(june))
    assert [p.code for p in view.problems().overdue()] == [
        p.code for p in q.problems().on(june).overdue()
    ]


def test_a_problem_judged_before_it_is_raised_is_not_there(sample: LedgerStore) -> None:
    q = PortfolioQuery(sample).problems()
    first = q.on(D(2014, 1, 1)).first()
    assert first is not None
    before = first.problem.raised_on - timedelta(days=1)
    assert q.on(before).where(code=first.code).count() == 0


def queries(sample: LedgerStore) -> dict[str, Any]:
    q = PortfolioQuery(sample)
    day = D(2013, 7, 15)
    return {
        "projects": q.projects().on(day),
        "progress": q.progress(),
        "milestones": q.tasks().on(day),
        "groups": q.groups(),
        "problems": q.problems().on(day),
        "findings": q.findings().on(day),
        "expected": q.expected_reports("2013-H1").on(day),
        "missing": q.missing_reports("2013").on(day),
        "late": q.late_reports("2013").on(day),
        "search": q.search("项目"),
    }


KINDS = ["projects", "progress", "milestones", "groups", "problems", "findings", "expected",
         "missing", "late", "search"]  # fmt: skip


@pytest.mark.parametrize("kind", KINDS)
def test_every_query_has_the_same_verbs(sample: LedgerStore, kind: str) -> None:
    query = queries(sample)[kind]
    records = list(query)
    assert records, f"the sample town has {kind}"
    assert query.count() == len(records) == len(query.list()) == len(list(query.rows()))
    assert query.first() == records[0]
    assert list(query.limit(2)) == records[:2]
    assert list(query.offset(1).limit(1)) == records[1:2]
    assert query.limit(0).count() == 0
    sql, params = query.sql()
    assert sql.startswith("SELECT") and isinstance(params, dict)
    with pytest.raises(tp.ValidationError, match="no_such_field"):
        query.where(no_such_field=1)
    with pytest.raises(tp.ValidationError):
        query.order_by("no_such_field")
    if len(records) > 1:
        with pytest.raises(tp.MoreThanOneError):
            query.one()


@pytest.mark.parametrize("kind", ["problems", "findings", "expected"])
def test_order_by_a_governance_field(sample: LedgerStore, kind: str) -> None:
    query = queries(sample)[kind]
    field = {"problems": "due", "findings": "rectify_by", "expected": "due"}[kind]
    values = [row[field] for row in query.order_by(f"-{field}").rows()]
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True)


def test_the_status_of_an_expected_report_is_checked(sample: LedgerStore) -> None:
    with pytest.raises(tp.ValidationError, match="overdue"):
        PortfolioQuery(sample).expected_reports("2013-06").where(status="overdue")


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (lambda q: q.projects().by_zone(ZONE), lambda q: q.projects().where(zone=ZONE)),
        (lambda q: q.projects().by_unit("城建办"), lambda q: q.projects().where(unit="城建办")),
        (lambda q: q.projects().by_group("G01"), lambda q: q.projects().where(group="G01")),
        (lambda q: q.progress().by_zone(ZONE), lambda q: q.progress().where(zone=ZONE)),
        (lambda q: q.progress().by_unit("城建办"), lambda q: q.progress().where(unit="城建办")),
        (lambda q: q.progress().for_project("SZ2013-022"),
         lambda q: q.progress().where(project="SZ2013-022")),
        (lambda q: q.tasks().by_group("G01"), lambda q: q.tasks().where(group="G01")),
        (lambda q: q.groups().with_member("城建办"), lambda q: q.groups().where(unit="城建办")),
        (lambda q: q.targets().for_year(2013), lambda q: q.targets().where(year=2013)),
        (lambda q: q.problems().at(D(2013, 6, 1)), lambda q: q.problems().on(D(2013, 6, 1))),
        (lambda q: q.problems().for_unit(LAND), lambda q: q.problems().where(unit=LAND)),
        (lambda q: q.problems().for_project("SZ2013-022"),
         lambda q: q.problems().where(project="SZ2013-022")),
        (lambda q: q.findings().at(D(2013, 6, 1)), lambda q: q.findings().on(D(2013, 6, 1))),
        (lambda q: q.findings().for_unit(LAND), lambda q: q.findings().where(unit=LAND)),
        (lambda q: q.findings().for_project("SZ2013-022"),
         lambda q: q.findings().where(project="SZ2013-022")),
        (lambda q: q.missing_reports("2013", unit="农业办"),
         lambda q: q.missing_reports("2013").where(unit="农业办")),
        (lambda q: q.late_reports("2013", unit="城建办"),
         lambda q: q.late_reports("2013").where(unit="城建办")),
    ],
)  # fmt: skip
def test_old_names_warn_and_answer_as_the_new_ones(sample: LedgerStore, old: Any, new: Any) -> None:
    q = PortfolioQuery(sample)
    with pytest.deprecated_call():
        answer = old(q).list()
    assert answer == new(q).list()
    assert answer, "the case asks something the sample town has"
