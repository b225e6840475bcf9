"""Funding by source: plans, funds arrived (到位), the codelist, and what a late entry
does to "as of". Expected figures are worked out by hand in each test."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.io import from_json, rollup, to_json


def _ledger() -> tp.Ledger:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_units(["城建办", "经济贸易办公室"])
    for code, name, unit in (("P1", "东环路", "城建办"), ("P2", "中粮产业园", "经济贸易办公室")):
        ledger.add_project(
            tp.Project(code=code, name=name, category=tp.Category.INFRASTRUCTURE,
                       government_investment=tp.Money.parse("3亿"), responsible_unit=unit),
            on=date(2013, 1, 1), recorded_at=date(2013, 1, 5),
        )  # fmt: skip
    ledger.plan_funding(
        [
            tp.FundingPlan("P1", 2013, "city", tp.Money.parse("1200万")),
            tp.FundingPlan("P1", 2013, "town", tp.Money.parse("800万")),
            tp.FundingPlan("P2", 2013, "enterprise", tp.Money.parse("5000万")),
            tp.FundingPlan("P2", 2012, "enterprise", tp.Money.parse("9000万")),
        ],
        recorded_at=date(2013, 1, 10),
    )
    return ledger


def test_funds_arrived_by_source_unit_and_rate() -> None:
    with _ledger() as ledger:
        ledger.record_funds(
            [
                tp.FundsReceipt("P1", "city", date(2013, 3, 5), tp.Money.parse("600万")),
                tp.FundsReceipt("P1", "city", date(2013, 9, 1), tp.Money.parse("300万")),
                tp.FundsReceipt("P2", "enterprise", date(2013, 5, 1), tp.Money.parse("2000万")),
                tp.FundsReceipt("P2", "enterprise", date(2012, 11, 1), tp.Money.parse("1亿")),
            ],
            recorded_at=date(2013, 10, 1),
        )
        q = ledger.query().funding(2013)
        by_source = {t.key: (t.label, t.planned.format_cn(), t.arrived.format_cn(), t.rate)
                     for t in q.by_source()}  # fmt: skip
        assert by_source == {
            "city": ("市级财政", "1200万元", "900万元", Decimal("0.75")),
            "town": ("县(镇)级财政", "800万元", "0元", Decimal(0)),
            "enterprise": ("企业自筹", "5000万元", "2000万元", Decimal("0.4")),
        }
        # the codelist's order, not the alphabet
        assert [t.key for t in q.by_source()] == ["city", "town", "enterprise"]
        units = {t.key: (t.planned.format_cn(), t.arrived.format_cn()) for t in q.by_unit()}
        assert units == {
            "城建办": ("2000万元", "900万元"),
            "经济贸易办公室": ("5000万元", "2000万元"),
        }
        total = q.total()
        assert (total.planned.format_cn(), total.arrived.format_cn()) == ("7000万元", "2900万元")
        assert total.rate == Decimal("0.4143")  # 2900 / 7000 = 0.414285…
        # 2012's money counts in 2012 only
        assert ledger.query().funding(2012).total().arrived.format_cn() == "1亿元"
        # lines filter like every query, on the model's names
        lines = q.where(source="city", arrived__gte="500万").rows()
        assert [(r["project"], r["arrived"].format_cn()) for r in lines] == [("P1", "900万元")]
        assert [line.project for line in q.order_by("-rate")] == ["P1", "P2", "P1"]


def test_funds_that_arrived_in_june_but_were_entered_in_august() -> None:
    with _ledger() as ledger:
        ledger.record_funds(
            [tp.FundsReceipt("P1", "city", date(2013, 6, 20), tp.Money.parse("500万"))],
            recorded_at=date(2013, 8, 12),
        )
        june = ledger.as_of(date(2013, 6, 30)).query().funding(2013)
        assert june.total().arrived == tp.Money.zero()
        july = ledger.as_of(date(2013, 7, 31)).query().funding(2013)
        assert july.total().arrived == tp.Money.zero()  # still not entered by then
        august = ledger.as_of(date(2013, 8, 31)).query().funding(2013)
        assert august.total().arrived.format_cn() == "500万元"
        # today, asked about the end of June: the money had arrived by then
        assert ledger.query().funding(2013).on(date(2013, 6, 30)).total().arrived.format_cn() == (
            "500万元"
        )
        assert ledger.query().funding(2013).on(date(2013, 6, 19)).total().arrived == (
            tp.Money.zero()
        )


def test_a_revised_plan_replaces_the_earlier_one_from_when_it_is_recorded() -> None:
    with _ledger() as ledger:
        ledger.plan_funding([tp.FundingPlan("P1", 2013, "city", tp.Money.parse("2000万"))],
                            recorded_at=date(2013, 7, 1))  # fmt: skip
        assert ledger.funding_plans("P1", 2013)[0].amount.format_cn() == "2000万元"
        before = ledger.as_of(date(2013, 6, 30))
        assert before.funding_plans("P1", 2013)[0].amount.format_cn() == "1200万元"
        assert [p.source for p in ledger.funding_plans("P1", 2013)] == ["city", "town"]
        assert ledger.query().funding(2013).where(project="P1").count() == 2


def test_bad_plans_and_receipts_name_every_problem_and_write_nothing() -> None:
    with _ledger() as ledger:
        with pytest.raises(tp.ConflictError) as caught:
            ledger.plan_funding([
                tp.FundingPlan("P9", 2013, "city", tp.Money.parse("1万")),
                tp.FundingPlan("P1", 2013, "外资", tp.Money.parse("1万")),
                tp.FundingPlan("P1", 2013, "loan", tp.Money.parse("1万美元")),
                tp.FundingPlan("P1", 2014, "loan", tp.Money.parse("1万")),
                tp.FundingPlan("P1", 2014, "loan", tp.Money.parse("2万")),
            ])  # fmt: skip
        fields = [(e.record, e.field, e.value) for e in caught.value.errors]
        assert fields == [
            ("FundingPlan P9 2013 city", "project", "P9"),
            ("FundingPlan P1 2013 外资", "source", "外资"),
            ("FundingPlan P1 2013 loan", "amount", "1万美元"),
            ("FundingPlan P1 2014 loan", "source", "loan"),
        ]
        assert ledger.funding_plans("P1", 2014) == []
        with pytest.raises(tp.ConflictError):
            ledger.record_funds([
                tp.FundsReceipt("P1", "city", date(2013, 3, 1), tp.Money.parse("1万")),
                tp.FundsReceipt("P1", "nowhere", date(2013, 3, 1), tp.Money.parse("1万")),
            ])  # fmt: skip
        assert ledger.funds_receipts() == []
        with pytest.raises(tp.ValidationError, match=r"FundsReceipt P1\.received_on"):
            tp.FundsReceipt("P1", "city", "2013-03-01", tp.Money.parse("1万"))  # type: ignore[arg-type]
        with pytest.raises(tp.ValidationError, match="amount"):
            tp.FundingPlan("P1", 2013, "city", tp.Money.parse("-1万"))


def test_a_town_adds_its_own_source_and_a_sheet_heading_finds_it() -> None:
    from townplan.model.funding import source_for

    with _ledger() as ledger:
        own = tp.FundingSource("village", "村集体自筹", "village collective funds", ("村集体",),
                               public=False)  # fmt: skip
        assert ledger.add_funding_sources([own]) == 1
        sources = ledger.funding_sources()
        assert sources[-1] == own
        assert source_for("村集体", sources).code == "village"
        assert source_for("中央", sources).name == "中央预算内投资"
        ledger.plan_funding([tp.FundingPlan("P1", 2013, "village", tp.Money.parse("50万"))])
        assert ledger.query().funding(2013).by_source()[-1].label == "村集体自筹"
        with pytest.raises(tp.ConflictError) as caught:
            ledger.add_funding_sources([tp.FundingSource("village2", "村集体自筹"),
                                        tp.FundingSource("city", "市本级")])  # fmt: skip
        assert [(e.field, e.value) for e in caught.value.errors] == [
            ("name", "村集体自筹"), ("code", "city")]  # fmt: skip


def test_funding_survives_json_and_rolls_up_under_the_towns_prefix() -> None:
    with _ledger() as ledger:
        ledger.add_funding_sources([tp.FundingSource("village", "村集体自筹")])
        ledger.record_funds(
            [tp.FundsReceipt("P1", "city", date(2013, 3, 5), tp.Money.parse("600万"), note="首笔")],
            recorded_at=date(2013, 3, 6),
        )
        with from_json(to_json(ledger)) as copy:
            assert copy.funds_receipts() == ledger.funds_receipts()
            assert copy.funding_plans() == ledger.funding_plans()
            assert copy.funding_sources() == ledger.funding_sources()
            assert copy.checksum() == ledger.checksum()
        with tp.Ledger.open(":memory:") as city:
            first = rollup(city, {"麻涌镇": ledger})
            assert (first.added["funding_plans"], first.added["funds_receipts"]) == (4, 1)
            again = rollup(city, {"麻涌镇": ledger})
            assert (again.added["funding_plans"], again.added["funds_receipts"]) == (0, 0)
            total = city.query().funding(2013).total()
            assert (total.planned.format_cn(), total.arrived.format_cn()) == ("7000万元", "600万元")
            assert city.funds_receipts()[0].project == "麻涌镇/P1"
            assert [s.code for s in city.funding_sources()][-1] == "village"


@settings(deadline=None, max_examples=40)  # each example opens a ledger; shared cores are slow
@given(st.lists(st.tuples(st.sampled_from(["city", "town", "loan"]),
                          st.integers(min_value=0, max_value=10**12),
                          st.integers(min_value=1, max_value=365)), max_size=12))  # fmt: skip
def test_arrived_by_source_is_the_sum_of_the_receipts_of_the_year(
    receipts: list[tuple[str, int, int]],
) -> None:
    with _ledger() as ledger:
        ledger.record_funds(
            tp.FundsReceipt("P1", source, date.fromordinal(date(2012, 12, 31).toordinal() + day),
                            tp.Money.of(Decimal(fen) / 100))
            for source, fen, day in receipts
        )  # fmt: skip
        expected: dict[str, int] = {}
        for source, fen, _ in receipts:
            expected[source] = expected.get(source, 0) + fen
        got = {t.key: t.arrived.fen() for t in ledger.query().funding(2013).by_source()
               if t.arrived}  # fmt: skip
        assert got == {k: v for k, v in expected.items() if v}


def test_a_generated_portfolio_funded_from_two_sources(portfolio_factory) -> None:  # type: ignore[no-untyped-def]
    ledger = portfolio_factory(60, seed=7, progress=False)
    projects = [p for p in ledger.projects() if p.annual_plan]
    halves = []
    for p in projects:
        half = tp.Money.from_fen(p.annual_plan.fen() // 2, p.currency)
        halves += [tp.FundingPlan(p.code, 2013, "town", half),
                   tp.FundingPlan(p.code, 2013, "bond", p.annual_plan - half)]  # fmt: skip
    ledger.plan_funding(halves)
    planned = sum(p.annual_plan.fen() for p in projects if p.currency == "CNY")
    assert ledger.query().funding(2013).total().planned.fen() == planned
    by_unit = sum(t.planned.fen() for t in ledger.query().funding(2013).by_unit()
                  if t.planned.currency == "CNY")  # fmt: skip
    assert by_unit == planned
