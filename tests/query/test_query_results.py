"""Results: typed records, plain rows, count/first/one, ordering, paging, SQL, laziness."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import MoreThanOneError, Query


def codes(query: object) -> list[str]:
    return [r.code for r in query]  # type: ignore[attr-defined]


def test_iteration_gives_typed_records(q: Query) -> None:
    projects = list(q.projects())
    assert all(isinstance(p, tp.Project) for p in projects)
    assert projects[0].annual_plan == tp.Money.parse("4000万")
    assert projects[0].category is tp.Category.INFRASTRUCTURE
    assert all(isinstance(r, tp.ProgressReport) for r in q.progress())
    assert all(isinstance(t, tp.Task) for t in q.tasks())
    assert all(isinstance(g, tp.LeadingGroup) for g in q.groups())
    assert all(isinstance(t, tp.AnnualTarget) for t in q.targets())


def test_records_equal_what_the_ledger_reads(ledger: LedgerStore, q: Query) -> None:
    assert list(q.projects()) == list(ledger.projects())
    assert sorted(q.progress(), key=lambda r: r.id or 0) == sorted(
        ledger.progress(), key=lambda r: r.id or 0
    )
    assert list(q.tasks()) == ledger.tasks()
    assert list(q.groups()) == ledger.groups()
    assert list(q.targets()) == ledger.targets()
    assert list(q.entries()) == ledger.entries()


def test_rows_are_plain_dicts_with_measured_fields(q: Query) -> None:
    row = next(q.projects().where(code="P02").on(date(2013, 6, 30)).rows())
    assert row["code"] == "P02"
    assert row["annual_plan"] == tp.Money.parse("2000万")
    assert row["year_to_date"] == tp.Money.parse("700万")
    assert row["cumulative"] == tp.Money.parse("700万")
    assert row["completion_rate"] == Decimal("0.35")
    reserve = next(q.projects().where(code="P07").rows())
    assert reserve["completion_rate"] is None
    report = next(q.progress().where(project="P03", period="2013-06").rows())
    assert report["note"] == "湿地公园一期水系开挖完成"
    assert report["completed"] == tp.Money.parse("500万")


def test_count_first_one(q: Query) -> None:
    assert q.projects().count() == 10
    assert q.projects().where(zone="现代临港产业区").count() == 4
    assert q.projects().limit(3).count() == 3
    assert q.projects().offset(8).count() == 2
    first = q.projects().order_by("-annual_plan").first()
    assert first is not None and first.code == "P04"
    assert q.projects().where(zone="nowhere").first() is None
    assert q.projects().where(name="玉柴产业园").one().code == "P05"
    assert q.projects().where(code="P99").exists() is False
    with pytest.raises(tp.NotFoundError):
        q.projects().where(code="P99").one()
    with pytest.raises(MoreThanOneError, match="more than one"):
        q.projects().where(zone="现代临港产业区").one()


@pytest.mark.parametrize(
    ("order", "expected"),
    [
        (("name",), ["P02", "P01", "P04", "P03", "P07", "P08", "P10", "P09", "P06", "P05"]),
        (("-code",), ["P10", "P09", "P08", "P07", "P06", "P05", "P04", "P03", "P02", "P01"]),
        # stages in their declared order: preparation, new_start, continuing, completed
        (("stage",), ["P07", "P02", "P05", "P01", "P03", "P04", "P06", "P08", "P09", "P10"]),
        (("-annual_plan",), ["P04", "P03", "P05", "P10", "P06", "P01", "P02", "P08", "P09", "P07"]),
        (("zone", "-government_investment"),
         ["P01", "P03", "P02", "P07", "P09", "P10", "P06", "P04", "P05", "P08"]),
        (("completion_rate",),
         ["P07", "P10", "P09", "P03", "P05", "P02", "P06", "P01", "P08", "P04"]),
        (("-completion_rate",),
         ["P04", "P01", "P08", "P06", "P02", "P05", "P03", "P09", "P07", "P10"]),
    ],
)  # fmt: skip
def test_order_by(q: Query, order: tuple[str, ...], expected: list[str]) -> None:
    assert codes(q.projects().on(date(2013, 6, 30)).order_by(*order)) == expected


def test_limit_and_offset(q: Query) -> None:
    ordered = codes(q.projects().order_by("-annual_plan"))
    assert codes(q.projects().order_by("-annual_plan").limit(3)) == ordered[:3]
    assert codes(q.projects().order_by("-annual_plan").offset(3).limit(4)) == ordered[3:7]
    assert codes(q.projects().offset(9)) == ["P10"]
    assert codes(q.projects().limit(0)) == []
    with pytest.raises(tp.ValidationError):
        q.projects().limit(-1)
    with pytest.raises(tp.ValidationError):
        q.projects().offset("1")  # type: ignore[arg-type]


def test_progress_orders_by_field_and_streams_by_id(q: Query) -> None:
    ids = [r.id for r in q.progress()]
    assert ids == sorted(ids)
    latest = q.progress().order_by("-period", "project").limit(3)
    assert [(r.project, str(r.period)) for r in latest] == [
        ("P01", "2013-06"), ("P02", "2013-06"), ("P03", "2013-06"),
    ]  # fmt: skip


def test_tasks_order_by_due_by_default(q: Query) -> None:
    assert codes(q.tasks()) == ["T05", "T01", "T03", "T02", "T04"]
    assert codes(q.tasks().order_by("-code")) == ["T05", "T04", "T03", "T02", "T01"]


def test_sql_shows_statement_and_bound_parameters(q: Query) -> None:
    sql, params = q.projects().where(name="x' OR 1=1 --", zone__in=["a", "b"]).sql()
    assert "x' OR 1=1" not in sql
    assert "x' OR 1=1 --" in params.values()
    assert sql.count(":_p") == 3
    text = q.projects().where(zone="水乡新城区").explain()
    assert "SELECT" in text and "水乡新城区" in text and "plan:" in text


def test_queries_are_immutable_and_lazy(ledger: LedgerStore) -> None:
    statements: list[str] = []
    ledger.db.conn.set_trace_callback(statements.append)
    base = Query(ledger).projects()
    narrowed = base.where(zone="水乡新城区").order_by("-name").limit(2)
    grouped = narrowed.group_by("category")
    assert statements == []  # nothing ran yet
    assert base.conditions == () and base.limit_n is None
    assert narrowed is not base
    assert codes(narrowed) == ["P09", "P10"]
    assert statements
    assert len(list(grouped)) == 2
    ledger.db.conn.set_trace_callback(None)
