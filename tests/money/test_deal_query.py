"""Deals and indicators in the one query dialect: where, order_by, count and on, as of any
record time."""

from __future__ import annotations

import json
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import townplan as tp
from townplan import governance as gov
from townplan.ledger import LedgerStore
from townplan.query import Query

D = date


def _pipeline() -> LedgerStore:
    ledger = LedgerStore.open(":memory:")
    ledger.add_deals([
        tp.Deal(code="D1", name="中粮产业园", origin="domestic", contract=tp.Money.parse("10亿元")),
        tp.Deal(code="D2", name="玉柴电子", origin="foreign",
                contract=tp.Money.parse("5000万美元")),
        tp.Deal(code="D3", name="港口物流", origin="domestic"),
    ], recorded_at=D(2013, 1, 5))  # fmt: skip
    for code, stage, on, recorded in [
        ("D1", "negotiating", D(2013, 1, 10), D(2013, 1, 10)),
        ("D1", "signed", D(2013, 3, 1), D(2013, 3, 2)),
        ("D2", "signed", D(2013, 5, 20), D(2013, 7, 15)),  # signed in May, entered in July
        ("D3", "negotiating", D(2013, 4, 1), D(2013, 4, 1)),
    ]:
        ledger.append_entry("deal_stage", code, on, {"stage": stage}, recorded_at=recorded)
    ledger.record_utilisations(
        [tp.Utilisation(deal="D1", received_on=D(2013, 6, 10), amount=tp.Money.parse("2亿元"))],
        recorded_at=D(2013, 6, 11),
    )
    return ledger


def test_deals_by_stage_on_a_day_and_as_of_a_record_time() -> None:
    ledger = _pipeline()
    q = ledger_query(ledger)
    signed = q.deals().where(stage="签约").order_by("-contract")
    assert [d.code for d in signed.on(D(2013, 6, 30))] == ["D1", "D2"]
    assert [d.code for d in signed.on(D(2013, 4, 30))] == ["D1"]
    # the May signing was entered in July: a view cut in June does not know it
    june = ledger_query(ledger.as_of(D(2013, 6, 30)))
    assert [d.code for d in june.deals().where(stage="signed")] == ["D1"]
    assert q.deals().on(D(2013, 6, 30)).where(utilised__gte=tp.Money.parse("1亿元")).count() == 1
    assert q.deals().on(D(2013, 6, 1)).where(utilised__gt=tp.Money.parse("0元")).count() == 0
    assert q.deals().where(origin="domestic", stage__isnull=False).count() == 2


def test_the_query_agrees_with_the_deals_statuses_of_the_sample_town(
    sample_town: tp.Ledger,
) -> None:
    for day in (D(2012, 6, 30), D(2012, 12, 31), D(2013, 12, 31)):
        statuses = {s.deal.code: s for s in gov.deal_statuses(sample_town, on=day)}
        for stage in tp.DealStage:
            found = {d.code for d in sample_town.query().deals().on(day).where(stage=stage)}
            assert found == {c for c, s in statuses.items() if s.stage is stage}
        assert sample_town.query().deals().count() == len(statuses)


def ledger_query(store: LedgerStore) -> Query:
    return Query(store)


def test_the_review_years_statistics_as_a_query_match_the_file(sample_town: tp.Ledger) -> None:
    doc = json.loads(
        (Path(__file__).resolve().parents[2] / "fixtures" / "sample_town" / "outcomes.json")
        .read_text(encoding="utf-8")
    )  # fmt: skip
    observed = D.fromisoformat(doc["observed_on"])
    stats = (
        sample_town.query()
        .indicators()
        .on(observed)
        .where(year=doc["statistics_year"], direction__isnull=True)
    )
    found = {i.code: i for i in stats}
    assert set(found) == {s["code"] for s in doc["statistics"]}
    with_actual = stats.where(actual__isnull=False).order_by("code")
    assert [i.code for i in with_actual] == sorted(found)
    for s in doc["statistics"]:
        assert stats.where(code=s["code"], actual=Decimal(s["value"])).count() == 1
    # the day before they were observed, none had an actual yet
    assert stats.on(observed - timedelta(days=1)).where(actual__isnull=False).count() == 0
