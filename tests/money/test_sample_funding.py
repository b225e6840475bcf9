"""The sample town's funding: the ledger agrees with its files, read here with the csv
module, and the OC4IDS package carries the plan by source and still validates."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import townplan as tp
from townplan.io import to_oc4ids, validate_oc4ids

FILES = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"


def _wan_by(name: str, key: str, amount: str, *, until: str | None = None) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    with (FILES / name).open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            if until is not None and row["录入日期"] > until:
                continue
            sums[row[key]] = sums.get(row[key], Decimal(0)) + Decimal(row[amount])
    return sums


def test_the_town_and_city_are_in_the_ledgers_meta(sample_town: tp.Ledger) -> None:
    assert sample_town.meta()["town"] == "示例镇"
    assert sample_town.meta()["city"] == "东莞市"


def test_planned_and_arrived_by_source_match_the_files(sample_town: tp.Ledger) -> None:
    planned = _wan_by("funding_plan.csv", "资金来源", "计划金额（万元）")
    arrived = _wan_by("funds_arrived.csv", "资金来源", "到位金额（万元）")
    got = {t.label: (t.planned.amount / 10_000, t.arrived.amount / 10_000)
           for t in sample_town.query().funding(2013).by_source()}  # fmt: skip
    assert got == {name: (planned[name], arrived.get(name, Decimal(0))) for name in planned}
    assert "企业自筹" in got and "地方政府专项债券" in got


def test_money_entered_late_is_missing_from_the_june_view(sample_town: tp.Ledger) -> None:
    # 东环路's city money arrived on 20 June and was entered on 12 August
    june = _wan_by("funds_arrived.csv", "资金来源", "到位金额（万元）", until="2013-06-30")
    view = sample_town.as_of(date(2013, 6, 30)).query().funding(2013).by_source()
    assert {t.label: t.arrived.amount / 10_000 for t in view if t.arrived} == june
    line = sample_town.query().funding(2013).on(date(2013, 6, 30)).where(
        project="SZ2013-021", source="city").one()  # fmt: skip
    late = sample_town.as_of(date(2013, 6, 30)).query().funding(2013).where(
        project="SZ2013-021", source="city").one()  # fmt: skip
    assert line.arrived - late.arrived == tp.Money.parse("333.75万元")


def test_oc4ids_of_the_sample_town_validates_with_budget_breakdowns_by_source(
    sample_town: tp.Ledger,
) -> None:
    pytest.importorskip("jsonschema")
    package = to_oc4ids(sample_town)
    assert validate_oc4ids(package) == []
    park = next(p for p in package["projects"] if p["title"] == "中粮产业园")
    assert park["id"] == "oc4ids-townplan-示例镇-SZ2013-001"
    assert park["locations"][0]["address"] == {"locality": "示例镇", "region": "东莞市"}
    (funding,) = [b for b in park["budget"]["budgetBreakdowns"] if b["id"] == "funding-2013"]
    lines = {b["description"]: (b["amount"], b["sourceParty"]) for b in funding["budgetBreakdown"]}
    # projects.csv: 中粮产业园 plans 110000万元 in 2013, all social money
    assert lines == {
        "企业自筹": ({"amount": 660_000_000, "currency": "CNY"},
                     {"id": "funder:enterprise", "name": "企业自筹"}),
        "银行贷款": ({"amount": 440_000_000, "currency": "CNY"},
                     {"id": "funder:loan", "name": "银行贷款"}),
    }  # fmt: skip
    funders = [p for p in park["parties"] if p["id"].startswith("funder:")]
    # in the codelist's order: 银行贷款 comes before 企业自筹
    assert [(p["name"], p["roles"]) for p in funders] == [
        ("银行贷款", ["funder"]), ("企业自筹", ["funder"])]  # fmt: skip
    reserve = next(p for p in package["projects"] if p["title"] == "世界农场")
    assert [b["id"] for b in reserve["budget"]["budgetBreakdowns"]] == ["source"]
