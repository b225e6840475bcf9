"""Annual targets with actuals, and investment attraction per currency, on the sample
town's figures (town.json: targets, actuals; attraction from the report)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import pytest

import townplan as tp
import townplan.governance as gov
from townplan.ledger import LedgerStore

D = date


@pytest.fixture(scope="module")
def targets(sample_base: LedgerStore, town_json: dict[str, Any]) -> LedgerStore:
    gov.load_governance(sample_base, {"actuals": town_json["actuals"]})
    return sample_base


def test_verdicts_of_2013(targets):
    verdicts = gov.target_verdicts(targets, 2013)
    assert [v.target.code for v in verdicts] == [f"K0{i}" for i in range(1, 9)]
    missed = [v.target.code for v in verdicts if not v.met]
    assert missed == ["K01", "K05", "K06"]  # as the sample's notes say
    k08 = verdicts[-1]  # unemployment 2.6 % against at most 3 %
    assert (k08.actual, k08.met) == (Decimal("2.6"), True)
    assert k08.reason_cn == "城镇登记失业率2.6%，目标不高于3%，完成"
    assert verdicts[0].reason == "GDP growth 14.2% against at least 15%: missed"


def test_targets_without_actuals_have_no_verdict(targets):
    multi = gov.target_verdicts(targets, 2015)
    assert [(v.target.code, v.met, v.actual) for v in multi] == [
        ("M01", None, None), ("M02", None, None), ("M03", None, None),
    ]  # fmt: skip
    assert "尚无实际数" in multi[0].reason_cn
    assert all(v.met is None for v in gov.target_verdicts(targets, 2013, on=D(2013, 12, 30)))


def test_a_later_actual_replaces_an_earlier_one(targets):
    store = LedgerStore.open(":memory:")
    store.add_targets(targets.targets())
    gov.record_target_actual(store, "K01", "15.3", on=D(2013, 12, 31))
    gov.record_target_actual(store, "K01", Decimal("14.9"), on=D(2014, 2, 20), note="统计局修订")
    k01 = {v.target.code: v for v in gov.target_verdicts(store, 2013, on=D(2014, 3, 1))}["K01"]
    assert (k01.actual, k01.actual_on, k01.met) == (Decimal("14.9"), D(2014, 2, 20), False)
    k01 = {v.target.code: v for v in gov.target_verdicts(store, 2013, on=D(2014, 1, 1))}["K01"]
    assert k01.met is True
    with pytest.raises(tp.NotFoundError):
        gov.record_target_actual(store, "K99", "1", on=D(2013, 12, 31))
    with pytest.raises(tp.ValidationError):
        gov.record_target_actual(store, "K01", "十五", on=D(2013, 12, 31))


def test_attraction_is_summed_per_currency(targets):
    summary = gov.attraction_summary(targets, 2012)
    assert summary == {
        ("contracted", "foreign"): {"USD": tp.Money.parse("1.27亿美元")},
        ("utilised", "foreign"): {"USD": tp.Money.parse("2.39亿美元")},
        ("contracted", "domestic"): {"CNY": tp.Money.parse("15亿元")},
        ("utilised", "domestic"): {"CNY": tp.Money.parse("9亿元")},
    }
    # 2013: capital the deals used that year (outcomes.json: 汇商电子商务 1.5亿元 in May,
    # 中远海洋工程 0.3亿美元 in April); nothing signed
    assert gov.attraction_summary(targets, 2013) == {
        ("utilised", "domestic"): {"CNY": tp.Money.parse("1.5亿元")},
        ("utilised", "foreign"): {"USD": tp.Money.parse("3000万美元")},
    }


def test_currencies_are_mixed_only_with_a_dated_rate(targets):
    assert gov.attraction_total(targets, "utilised", year=2012, origin="domestic") == (
        tp.Money.parse("9亿元")
    )
    with pytest.raises(tp.ValidationError, match="USD"):
        gov.attraction_total(targets, "utilised", year=2012)
    old = tp.ExchangeRate("USD", "CNY", Decimal("6.3"), D(2012, 1, 4))
    year_end = tp.ExchangeRate("USD", "CNY", Decimal("6.2"), D(2012, 12, 31))
    total = gov.attraction_total(targets, "utilised", year=2012, rates=[year_end, old])
    assert total == tp.Money.parse("23.818亿元")  # 9亿 + 2.39亿 × 6.2, the later rate
    usd = gov.attraction_total(targets, "contracted", year=2012, origin="foreign", currency="USD")
    assert usd == tp.Money.parse("1.27亿美元")
