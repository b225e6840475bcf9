"""Red/amber/green lights against the time-proportional schedule, numbers worked by hand."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import LightRule, Query, rule_in_force

ON = date(2013, 6, 30)
RED, AMBER, GREEN = tp.Light.RED, tp.Light.AMBER, tp.Light.GREEN


def test_lights_with_hand_computed_points(q: Query) -> None:
    verdicts = {v.project: v for v in q.projects().lights(on=ON)}
    # reserve P07 and P10 (no plan for 2013) get no light
    assert sorted(verdicts) == ["P01", "P02", "P03", "P04", "P05", "P06", "P08", "P09"]
    expected = {
        "P01": (GREEN, "0.5", 0), "P02": (AMBER, "0.35", 15), "P03": (RED, "0.1", 40),
        "P04": (GREEN, "0.6", -10), "P05": (AMBER, "0.2", 30), "P06": (AMBER, "0.4", 10),
        "P08": (GREEN, "0.5", 0), "P09": (RED, "0", 50),
    }  # fmt: skip
    for code, (light, rate, points) in expected.items():
        v = verdicts[code]
        assert (v.light, v.completion_rate, v.points_behind) == (light, Decimal(rate), points), code
        assert v.expected == Decimal("0.5")
        assert v.on == ON


def test_verdicts_say_why(q: Query) -> None:
    v = next(q.projects().where(code="P03").lights(on=ON))
    assert v.year_to_date == tp.Money.parse("1000万") and v.planned == tp.Money.parse("1亿")
    assert "10.0%" in v.reason and "40.0 points behind" in v.reason and "red" in v.reason
    assert "落后40.0个百分点" in v.reason_cn and "红灯" in v.reason_cn and "1000万元" in v.reason_cn
    ahead = next(q.projects().where(code="P04").lights(on=ON))
    assert "ahead" in ahead.reason and "超前10.0个百分点" in ahead.reason_cn


def test_default_day_is_the_end_of_the_latest_month_reported(q: Query) -> None:
    assert {v.on for v in q.projects().lights()} == {ON}


def test_a_custom_rule(q: Query) -> None:
    strict = LightRule(name="严格", amber_from=Decimal(5), red_above=Decimal("14.5"))
    lights = {v.project: v.light for v in q.projects().lights(on=ON, rule=strict)}
    assert lights == {"P01": GREEN, "P02": RED, "P03": RED, "P04": GREEN, "P05": RED,
                      "P06": AMBER, "P08": GREEN, "P09": RED}  # fmt: skip
    assert [p.code for p in q.projects().light("amber", on=ON, rule=strict)] == ["P06"]
    assert all(v.rule == "严格" for v in q.projects().lights(on=ON, rule=strict))


def test_the_rule_in_force_comes_from_the_ledger(ledger: LedgerStore) -> None:
    strict = LightRule(name="2013下半年", amber_from=Decimal(5), red_above=Decimal(12),
                       effective_from=date(2013, 7, 1))  # fmt: skip
    ledger.add_rule(strict)
    q = Query(ledger)
    # June is judged by the default rule, July by the stricter one
    assert [p.code for p in q.projects().light("red", on=ON)] == ["P03", "P09"]
    july = date(2013, 7, 31)  # expected 7/12; P01 2000/4000 → 8.33 behind: amber under 5–12
    assert {v.project: v.light for v in q.projects().lights(on=july)}["P01"] is AMBER
    assert next(q.projects().lights(on=july)).rule == "2013下半年"


def test_rule_validation() -> None:
    with pytest.raises(tp.ValidationError):
        LightRule(amber_from=Decimal(20), red_above=Decimal(10))
    with pytest.raises(tp.ValidationError):
        LightRule(amber_from=Decimal(-1))
    assert rule_in_force([], ON) == LightRule.default()


@given(
    plan=st.integers(min_value=1, max_value=10**12),
    share=st.fractions(min_value=0, max_value=2),
    month=st.integers(min_value=1, max_value=12),
)
def test_judge_agrees_with_points_behind(plan: int, share: Fraction, month: int) -> None:
    ytd = int(plan * share)
    points = Fraction(100 * month, 12) - Fraction(100 * ytd, plan)
    light = LightRule.default().judge(points)
    assert (light is RED) == (points > 30)
    assert (light is AMBER) == (10 <= points <= 30)


@pytest.mark.parametrize("month", range(1, 13))
def test_sql_and_python_agree_on_every_month(q: Query, month: int) -> None:
    on = date(2013, month, 28)
    by_python = {v.project: v.light for v in q.projects().lights(on=on)}
    for light in tp.Light:
        in_sql = [p.code for p in q.projects().light(light, on=on)]
        assert in_sql == sorted(c for c, lit in by_python.items() if lit is light)
