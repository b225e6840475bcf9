"""One measured portfolio asked many questions: ``subtotals`` regroups a grouping exactly,
``snapshot`` measures the matching projects once. Both must answer exactly what the plain
queries answer, on the hand-made portfolio and on generated ones."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.query.conftest import NEW_TOWN

import townplan as tp
from townplan.fixtures import generate_portfolio
from townplan.ledger import LedgerStore
from townplan.query import LightRule, ProjectQuery, Query, subtotals
from townplan.query.lights import verdict

JUNE = date(2013, 6, 30)
KEYS = ("zone", "category", "responsible_unit", "stage", "kind")


@pytest.fixture(scope="module")
def generated() -> Query:
    store = LedgerStore.open(":memory:")
    generate_portfolio(store, 400, seed=7, months=8)
    return Query(store)


@pytest.mark.parametrize("key", KEYS)
def test_subtotals_by_one_key_equal_the_grouping_by_it(generated: Query, key: str) -> None:
    portfolio = generated.projects().eligible().on(JUNE)
    detail = list(portfolio.group_by(*KEYS))
    assert subtotals(detail, key) == list(portfolio.group_by(key))


def test_subtotals_without_keys_equal_the_summary(q: Query) -> None:
    portfolio = q.projects().on(JUNE)  # two currencies: one total row each
    detail = list(portfolio.group_by("zone", "category"))
    assert subtotals(detail) == list(portfolio.summary())
    assert [s.currency for s in subtotals(detail)] == ["CNY", "USD"]


@pytest.mark.parametrize(
    ("by", "keys", "why"),
    [
        (("month",), (), "not grouped by month"),
        (("group", "zone"), ("zone",), "'group' kept"),
        (("zone",), ("category",), "among those the summaries are grouped by"),
    ],
)
def test_subtotals_refuse_what_cannot_be_summed(
    generated: Query, by: tuple[str, ...], keys: tuple[str, ...], why: str
) -> None:
    rows = list(generated.projects().on(JUNE).group_by(*by))
    with pytest.raises(tp.ValidationError, match=why) as caught:
        subtotals(rows, *keys)
    assert caught.value.errors[0].field == "keys"


def test_snapshot_answers_what_the_ledger_answers(generated: Query) -> None:
    portfolio = generated.projects().eligible().on(JUNE)
    with portfolio.snapshot() as measured:
        assert measured.count() == portfolio.count()
        assert list(measured.group_by("zone")) == list(portfolio.group_by("zone"))
        assert list(measured.group_by("month")) == list(portfolio.group_by("month"))
        assert list(measured.behind_plan().lights()) == list(portfolio.behind_plan().lights())
        assert [p.code for p in measured.order_by("-completion_rate").limit(5)] == [
            p.code for p in portfolio.order_by("-completion_rate").limit(5)
        ]
        assert list(measured.where(zone__in=["no such zone"])) == []


@pytest.mark.parametrize("cut", [None, date(2013, 7, 5), date(2013, 7, 15)])
def test_a_snapshot_reads_the_months_as_the_ledger_does(
    ledger: LedgerStore, cut: date | None
) -> None:
    # before the cut of 5 July P02's June report is 400万元, after its correction 200万元
    view = ledger.as_of(cut) if cut else ledger
    portfolio = Query(view).projects().on(JUNE)
    with portfolio.snapshot() as measured:
        for keys in (("month",), ("zone", "month"), ("group", "month")):
            assert list(measured.group_by(*keys)) == list(portfolio.group_by(*keys))
        new_town = measured.where(zone=NEW_TOWN).group_by("month")
        assert list(new_town) == list(portfolio.where(zone=NEW_TOWN).group_by("month"))
        for month in ("2013-06", "2013-05"):  # the snapshot's month, and another
            assert list(measured.month_figures(month)) == list(portfolio.month_figures(month))
        june = {r.code: r for r in measured.month_figures("2013-06")}
    corrected = cut is None or cut >= date(2013, 7, 10)
    assert june["P02"].completed == tp.Money.parse("200万" if corrected else "400万")
    assert june["P07"].completed is None and june["P07"].note == ""


def test_snapshot_is_dropped_and_fixed_to_its_day(generated: Query) -> None:
    reader = generated.reader
    with generated.projects().on(JUNE).snapshot() as measured:
        with pytest.raises(tp.ValidationError, match="snapshot's day"):
            measured.on(date(2013, 7, 31))
        assert measured.on(JUNE).count() == measured.count()
    temp = reader.db.execute("SELECT name FROM temp.sqlite_master").fetchall()
    assert temp == []


def test_snapshot_of_a_limited_query_keeps_the_limit(generated: Query) -> None:
    top = generated.projects().on(JUNE).order_by("-annual_plan").limit(3)
    with top.snapshot() as measured:
        assert sorted(p.code for p in measured) == sorted(p.code for p in top)


def test_snapshot_works_on_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    with tp.Ledger.open(path) as ledger:
        generate_portfolio(ledger, 50, seed=2, months=6)
    ledger = tp.Ledger.open(path, read_only=True)
    try:
        portfolio = ledger.as_of(date(2013, 7, 15)).query().projects().on(JUNE)
        with portfolio.snapshot() as measured:
            assert list(measured.summary()) == list(portfolio.summary())
    finally:
        ledger.close()


@given(
    amber=st.decimals(min_value=0, max_value=60, places=1),
    extra=st.decimals(min_value=0, max_value=60, places=1),
    month=st.integers(1, 12),
    plan=st.integers(1, 10**12),
    ytd=st.integers(-(10**12), 10**12),
)
def test_verdict_lights_as_the_rule_judges_exactly(
    amber: object, extra: object, month: int, plan: int, ytd: int
) -> None:
    rule = LightRule(amber_from=amber, red_above=amber + extra)  # type: ignore[operator]
    v = verdict(rule, "P", "项目", ytd_fen=ytd, plan_fen=plan, currency="CNY",
                on=date(2013, month, 1))  # fmt: skip
    assert v.light is rule.judge(Fraction(100 * month, 12) - Fraction(100 * ytd, plan))


@pytest.fixture(scope="module")
def large() -> LedgerStore:
    store = LedgerStore.open(":memory:")
    generate_portfolio(store, 2_500, seed=3, months=6)  # more than one fetch batch (1000)
    return store


def _snapshot_tables(store: LedgerStore) -> list[str]:
    return [r[0] for r in store.db.execute("SELECT name FROM temp.sqlite_master")]


def test_a_snapshot_ends_cleanly_while_another_read_is_open(large: LedgerStore) -> None:
    reading = large.projects()  # a statement still open on the connection
    next(reading)
    with Query(large).projects().on(JUNE).snapshot() as measured:
        n = measured.count()
    assert n == 2_500
    rest = sum(1 for _ in reading)  # the open read goes on undisturbed
    assert rest == 2_499
    with Query(large).projects().on(JUNE).snapshot() as again:  # the left-over is dropped
        assert again.count() == 2_500
    assert _snapshot_tables(large) == []


def _fail_inside_a_snapshot(store: LedgerStore) -> None:
    with Query(store).projects().on(JUNE).snapshot() as measured:
        rows = iter(measured)
        next(rows)  # left open: the table cannot be dropped when the block ends
        raise KeyError("mine")


def test_the_blocks_own_error_is_the_one_raised(large: LedgerStore) -> None:
    with pytest.raises(KeyError, match="mine"):
        _fail_inside_a_snapshot(large)
    with Query(large).projects().on(JUNE).snapshot():  # the read is gone: drops the rest
        pass
    assert _snapshot_tables(large) == []


def test_a_bulletin_inside_a_loop_over_the_register(large: LedgerStore) -> None:
    from townplan.reports import bulletin

    ledger = tp.Ledger.open(":memory:")
    large.db.conn.backup(ledger.db.conn)
    for i, _ in enumerate(ledger.projects()):
        report = bulletin(ledger, "2013-06")
        assert report.table("zones").rows
        if i == 1:
            break


@pytest.mark.parametrize("name", ["sqlite_master) AS z, (SELECT 1", "projects", 7])
def test_a_snapshot_table_is_never_named_by_the_caller(generated: Query, name: object) -> None:
    with pytest.raises(tp.ValidationError, match="townplan's to name"):
        ProjectQuery(reader=generated.reader, table=name)  # type: ignore[arg-type]


def test_subtotals_of_rows_from_two_groupings_are_refused(generated: Query) -> None:
    q = generated.projects().on(JUNE)
    mixed = list(q.group_by("zone")) + list(q.group_by("zone", "category"))
    with pytest.raises(tp.ValidationError, match="rows of one grouping"):
        subtotals(mixed, "zone")
    other_day = list(generated.projects().on(date(2013, 5, 31)).group_by("zone"))
    with pytest.raises(tp.ValidationError, match="rows of one grouping"):
        subtotals(list(q.group_by("zone")) + other_day)


def test_a_reason_says_the_thresholds_as_the_rule_wrote_them() -> None:
    from decimal import Decimal

    plain = LightRule(amber_from=Decimal("10"), red_above=Decimal("30"))
    written = LightRule(amber_from=Decimal("10.0"), red_above=Decimal("30"))
    on = date(2013, 6, 30)
    first = verdict(plain, "P", "项目", ytd_fen=1, plan_fen=10, currency="CNY", on=on)
    second = verdict(written, "P", "项目", ytd_fen=1, plan_fen=10, currency="CNY", on=on)
    assert "落后10个百分点起黄灯" in first.reason_cn
    assert "落后10.0个百分点起黄灯" in second.reason_cn


def test_two_bulletins_in_a_row_and_one_inside_a_batch(ledger: LedgerStore) -> None:
    from townplan.reports import bulletin

    town = tp.Ledger.open(":memory:")
    ledger.db.conn.backup(town.db.conn)
    first = bulletin(town, "2013-06")
    assert bulletin(town, "2013-06") == first
    with town.transaction():
        town.add_units(["新设办"])  # the batch has written before the bulletin reads
        assert bulletin(town, "2013-06") == first
    assert "新设办" in [u.name for u in town.units()]  # and the batch is kept
    assert _snapshot_tables(town) == []


def _filtered(query: ProjectQuery, filters: tuple[str, ...]) -> ProjectQuery:
    for name in filters:
        if name == "eligible":
            query = query.eligible()
        elif name == "behind":
            query = query.behind_plan()
        elif name == "green":
            query = query.light("green")
        elif name.startswith("stage="):
            query = query.where(stage=name.removeprefix("stage="))
        else:
            query = query.where(zone=name.removeprefix("zone="))
    return query


def _answers(query: ProjectQuery) -> dict[str, object]:
    return {
        "count": query.count(),
        "codes": sorted(p.code for p in query),
        "summary": list(query.summary()),
        "zones": list(query.group_by("zone")),
        "months": list(query.group_by("month")),
        "zone months": list(query.group_by("zone", "month")),
        "lights": list(query.lights()),
        "june": list(query.month_figures("2013-06")),
        "june cells": list(query.month_cells("2013-06")),
        "may": list(query.month_figures("2013-05")),
    }


@pytest.mark.parametrize(
    "levels",
    [
        (("zone=现代临港产业区",), (), ("stage=续建",)),
        (("zone=现代临港产业区",), ("stage=续建",), ("green",)),
        (("eligible",), ("behind",), ("zone=岭南水乡风貌旧城区",)),
        (("green",), ("eligible",), ("stage=新开工",)),
    ],
)
def test_a_snapshot_of_a_snapshot_keeps_the_outer_filters(
    sample_town: tp.Ledger, levels: tuple[tuple[str, ...], ...]
) -> None:
    # each snapshot answers what the plain query with every filter so far answers
    town = sample_town.query().projects().on(JUNE)
    outer, middle, inner = levels
    with (
        _filtered(town, outer).snapshot() as first,
        _filtered(first, middle).snapshot() as second,
        _filtered(second, inner).snapshot() as third,
    ):
        got = [_answers(first), _answers(second), _answers(third)]
    plain = (outer, outer + middle, outer + middle + inner)
    want = [_answers(_filtered(town, filters)) for filters in plain]
    assert [a["count"] for a in got] == [a["count"] for a in want]
    assert got == want
    assert 0 < want[2]["count"] < town.count()  # type: ignore[operator]
