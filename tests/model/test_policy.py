"""Eligibility (入库标准): government ≥ 1000万元 or social ≥ 2亿元, both inclusive."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

import townplan as tp

POLICY = tp.ThresholdPolicy.default()
RATE = tp.ExchangeRate("USD", "CNY", Decimal("6.2"), date(2013, 6, 30))


def project(gov: str = "0", social: str = "0", currency: str | None = None) -> tp.Project:
    return tp.Project(
        code="P001",
        name="中心大道二期",
        category=tp.Category.INFRASTRUCTURE,
        government_investment=tp.Money.parse(gov, currency=currency),
        social_investment=tp.Money.parse(social, currency=currency),
    )


def test_default_thresholds() -> None:
    assert POLICY.government_min == tp.Money(Decimal(10_000_000))
    assert POLICY.social_min == tp.Money(Decimal(200_000_000))
    assert POLICY.level is tp.Level.TOWN


@pytest.mark.parametrize(
    ("gov", "social", "eligible"),
    [
        ("1000万元", "0", True),
        ("999.99万元", "0", False),
        ("9999999.99", "0", False),
        ("0", "2亿元", True),
        ("0", "1.9999999亿", False),
        ("0", "199999999.99", False),
        ("999.99万元", "1.9999999亿", False),
        ("1000万元", "2亿元", True),
        ("0", "0", False),
    ],
)
def test_thresholds_are_inclusive(gov: str, social: str, eligible: bool) -> None:
    verdict = POLICY.assess(project(gov, social))
    assert isinstance(verdict, tp.Verdict)
    assert verdict.eligible is eligible
    assert verdict.project == "P001"
    assert verdict.policy == POLICY.name


def test_reasons_cite_the_figures_and_thresholds() -> None:
    verdict = POLICY.assess(project("1000万元"))
    assert verdict.reasons[0] == "government investment 1000万元 ≥ threshold 1000万元"
    assert verdict.reasons_cn[0] == "政府投资1000万元，达到1000万元的入库标准"


def test_reasons_when_not_eligible() -> None:
    verdict = POLICY.assess(project("999.99万元", "1.9999999亿"))
    assert not verdict.eligible
    english, chinese = " ".join(verdict.reasons), " ".join(verdict.reasons_cn)
    for figure in ("999.99万元", "1000万元", "1.9999999亿元", "2亿元"):
        assert figure in english
        assert figure in chinese
    assert all(" < threshold " in r for r in verdict.reasons)
    assert all("未达到" in r for r in verdict.reasons_cn)


def test_a_total_not_split_says_so_first() -> None:
    # a register that gives only 总投资: the split is unknown, not "government 0"
    unsplit = tp.Project(code="P001", name="湿地公园", category=tp.Category.LIVELIHOOD,
                         total_investment=tp.Money.parse("3亿元"))  # fmt: skip
    verdict = POLICY.assess(unsplit)
    assert not verdict.eligible
    assert verdict.reasons_cn[0] == "总投资3亿元未分列政府投资和社会投资"
    assert verdict.reasons[0] == (
        "total investment 3亿元 not split into government and social investment"
    )
    assert len(verdict.reasons_cn) == 3  # the two thresholds still cited
    split = POLICY.assess(project("0", "3亿元"))
    assert not any("未分列" in r for r in split.reasons_cn)


def test_the_deciding_reason_comes_first() -> None:
    verdict = POLICY.assess(project("0", "2亿元"))
    assert verdict.reasons[0].startswith("social investment 2亿元 ≥")
    assert verdict.reasons_cn[0].startswith("社会投资2亿元，达到")


def test_usd_investment_needs_an_explicit_rate() -> None:
    usd = project("0", "5000万美元", currency="USD")
    with pytest.raises(tp.ValidationError) as info:
        POLICY.assess(usd)
    assert "USD" in str(info.value)
    assert "ExchangeRate" in str(info.value)
    verdict = POLICY.assess(usd, rate=RATE)  # 5000万 × 6.2 = 3.1亿元
    assert verdict.eligible
    assert "3.1亿元" in verdict.reasons[0]


def test_usd_below_threshold_after_conversion() -> None:
    usd = project("160万美元", "0", currency="USD")  # 160万 × 6.2 = 992万元
    verdict = POLICY.assess(usd, rate=RATE)
    assert not verdict.eligible
    assert "992万元" in verdict.reasons[0]


def test_a_rate_between_the_wrong_currencies_is_refused() -> None:
    usd = project("0", "5000万美元", currency="USD")
    hkd = tp.ExchangeRate("HKD", "CNY", Decimal("0.8"), date(2013, 6, 30))
    with pytest.raises(tp.ValidationError):
        POLICY.assess(usd, rate=hkd)


# --- which policy is in force -------------------------------------------------------------

OLD = tp.ThresholdPolicy.default()
NEW = attrs.evolve(
    OLD, name="2014标准", government_min=tp.Money.parse("2000万"), effective_from=date(2014, 1, 1)
)
CITY = attrs.evolve(
    OLD, name="市标准", level=tp.Level.CITY, social_min=tp.Money.parse("5亿"),
    effective_from=date(2013, 1, 1),
)  # fmt: skip
ENDED = tp.ThresholdPolicy(
    name="2012标准",
    government_min=tp.Money.parse("500万"),
    social_min=tp.Money.parse("1亿"),
    effective_from=date(2012, 1, 1),
    effective_to=date(2012, 12, 31),
)


@pytest.mark.parametrize(
    ("on", "level", "expected"),
    [
        (date(2013, 6, 30), "town", OLD),
        (date(2014, 1, 1), "town", NEW),
        (date(2013, 12, 31), tp.Level.TOWN, OLD),
        (date(2012, 6, 30), "town", ENDED),  # ENDED started later than OLD
        (date(2013, 6, 30), "city", CITY),
        (date(2013, 6, 30), "市", CITY),
    ],
)
def test_policy_in_force_picks_the_latest_start(
    on: date, level: str | tp.Level, expected: tp.ThresholdPolicy
) -> None:
    policies = [NEW, CITY, OLD, ENDED]
    assert tp.policy_in_force(policies, on, level) == expected
    assert tp.policy_in_force(list(reversed(policies)), on, level) == expected


def test_policy_in_force_changes_the_verdict() -> None:
    mid = project("1500万元")
    assert tp.policy_in_force([OLD, NEW], date(2013, 6, 30), "town").assess(mid).eligible
    assert not tp.policy_in_force([OLD, NEW], date(2014, 6, 30), "town").assess(mid).eligible


@pytest.mark.parametrize(
    ("policies", "on", "level"),
    [
        ([], date(2013, 6, 30), None),
        ([NEW], date(2013, 6, 30), "town"),
        ([CITY, NEW], date(2013, 6, 30), "province"),
        ([ENDED], date(2013, 1, 1), None),
    ],
)
def test_no_policy_in_force(
    policies: list[tp.ThresholdPolicy], on: date, level: str | None
) -> None:
    with pytest.raises(tp.NotFoundError, match=str(on)):
        tp.policy_in_force(policies, on, level)


def test_policy_period_must_not_end_before_it_starts() -> None:
    with pytest.raises(tp.ValidationError) as info:
        attrs.evolve(ENDED, effective_to=date(2011, 12, 31))
    assert info.value.field == "effective_to"
