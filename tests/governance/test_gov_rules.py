"""Rules as data: working days, response deadlines, the reporting calendar, the scoring
scheme, and rules kept in the ledger with an effective period."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
import townplan.governance as gov
from townplan.ledger import LedgerStore

D = date


@given(
    start=st.dates(min_value=D(2000, 1, 1), max_value=D(2030, 12, 31)),
    n=st.integers(min_value=0, max_value=40),
    off=st.sets(st.dates(min_value=D(2000, 1, 1), max_value=D(2031, 3, 31)), max_size=5),
)
def test_adding_n_working_days_passes_exactly_n_working_days(start, n, off):
    end = gov.add_working_days(start, n, holidays=off)
    counted = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in off:
            counted += 1
    assert counted == n
    if n:
        assert end.weekday() < 5 and end not in off


@pytest.mark.parametrize(
    ("assigned", "severity", "due"),
    [
        (D(2013, 3, 12), "urgent", D(2013, 3, 15)),  # Tue + 3 working days = Fri
        (D(2013, 3, 15), "urgent", D(2013, 3, 20)),  # Fri: the weekend does not count
        (D(2013, 3, 20), "normal", D(2013, 4, 3)),  # Wed + 10 working days
        (D(2013, 3, 16), "urgent", D(2013, 3, 20)),  # raised on a Saturday
    ],
)
def test_default_response_deadline_counts_working_days(assigned, severity, due):
    assert gov.ResponseRule.default().due(assigned, severity) == due


def test_holidays_and_make_up_days_move_the_deadline():
    # 2013 Qingming: 4-6 April off, Sunday 7 April worked.
    rule = gov.ResponseRule(holidays=[D(2013, 4, 4), D(2013, 4, 5)], extra_workdays=[D(2013, 4, 7)])
    assert gov.ResponseRule().due(D(2013, 4, 2), "urgent") == D(2013, 4, 5)
    assert rule.due(D(2013, 4, 2), "urgent") == D(2013, 4, 8)  # 3rd, 7th, 8th


def test_calendar_day_rule():
    rule = gov.ResponseRule(urgent_days=3, working_days=False)
    assert rule.due(D(2013, 3, 15), gov.Severity.URGENT) == D(2013, 3, 18)


@pytest.mark.parametrize(
    ("calendar", "period", "due"),
    [
        (gov.ReportingCalendar(), "2013-06", D(2013, 7, 5)),
        (gov.ReportingCalendar(), "2013-12", D(2014, 1, 5)),
        (gov.ReportingCalendar(due_day=31), "2013-01", D(2013, 2, 28)),
        (gov.ReportingCalendar(due_day=31, months_after=0), "2013-04", D(2013, 4, 30)),
        (gov.ReportingCalendar(due_day=10, months_after=2), "2013-11", D(2014, 1, 10)),
    ],
)
def test_reporting_calendar_due_days(calendar, period, due):
    assert calendar.due(period) == due


@pytest.mark.parametrize(
    ("make", "field"),
    [
        (lambda: gov.ReportingCalendar(due_day=0), "due_day"),
        (lambda: gov.ReportingCalendar(months_after=13), "months_after"),
        (lambda: gov.ResponseRule(urgent_days=-1), "urgent_days"),
        (lambda: gov.ResponseRule(normal_days=True), "normal_days"),
        (lambda: gov.ScoringScheme(progress_points=-60), "progress_points"),
        (lambda: gov.ScoringScheme(late_report_penalty=1.5), "late_report_penalty"),
        (lambda: gov.ScoringScheme(unit_bonuses="max"), "unit_bonuses"),
        (lambda: gov.ScoringScheme(commended=-1), "commended"),
        (
            lambda: gov.ScoringScheme(effective_from=D(2013, 7, 1), effective_to=D(2013, 1, 1)),
            "effective_to",
        ),
        (lambda: gov.ReportingCalendar().due("2013-Q2"), "period"),
    ],
)
def test_bad_rule_values_name_the_field(make, field):
    with pytest.raises(tp.ValidationError) as caught:
        make()
    assert caught.value.field == field


def test_scheme_bonuses():
    s = gov.ScoringScheme.default()
    assert s.scale_points(tp.Money.parse("10亿")) == 10
    assert s.scale_points(tp.Money.parse("9.99亿")) == 6
    assert s.scale_points(tp.Money.parse("1亿")) == 3
    assert s.scale_points(tp.Money.parse("9999万")) == 0
    assert s.category_points(tp.Category.URBAN_RENEWAL) == 2
    with pytest.raises(tp.ValidationError):
        s.scale_points(tp.Money.parse("20亿美元"))


def test_rules_are_kept_with_their_effective_period():
    store = LedgerStore.open(":memory:")
    assert gov.rule_in_force(store, gov.ScoringScheme, D(2013, 6, 30)) == gov.ScoringScheme()
    custom = gov.ScoringScheme(
        name="2013下半年办法",
        progress_points=Decimal(70),
        scale_tiers=(gov.ScaleTier(tp.Money.parse("2亿"), Decimal("4.5")),),
        category_bonus=(gov.CategoryPoints(tp.Category.INDUSTRY, Decimal(8)),),
        effective_from=D(2013, 7, 1),
    )
    gov.add_rule(store, custom, recorded_at=D(2013, 7, 1))
    gov.add_rule(store, gov.ResponseRule(normal_days=5, effective_from=D(2013, 5, 1)),
                 recorded_at=D(2013, 5, 1))  # fmt: skip
    assert gov.rules(store, gov.ScoringScheme) == [custom]  # a faithful round trip
    assert gov.rule_in_force(store, gov.ScoringScheme, D(2013, 7, 1)) == custom
    assert gov.rule_in_force(store, gov.ScoringScheme, D(2013, 6, 30)).progress_points == 60
    assert gov.rule_in_force(store, gov.ResponseRule, D(2013, 5, 2)).normal_days == 5
    assert gov.rule_in_force(store, gov.ReportingCalendar, D(2013, 5, 2)).due_day == 5
    # A view cut before the scheme was recorded does not know it.
    assert gov.rules(store.as_of(D(2013, 6, 30)), gov.ScoringScheme) == []
    with pytest.raises(tp.ConflictError):
        gov.add_rule(store, custom)
    with pytest.raises(tp.ReadOnlyError):
        gov.add_rule(store.as_of(D(2013, 12, 31)), gov.ReportingCalendar(name="季度"))


def test_latest_start_wins_and_expired_rules_fall_back_to_the_default():
    store = LedgerStore.open(":memory:")
    gov.add_rule(store, gov.ResponseRule(name="一", normal_days=7, effective_from=D(2013, 1, 1),
                                         effective_to=D(2013, 12, 31)))  # fmt: skip
    gov.add_rule(store, gov.ResponseRule(name="二", normal_days=6, effective_from=D(2013, 7, 1),
                                         effective_to=D(2013, 9, 30)))  # fmt: skip
    days = [
        gov.rule_in_force(store, gov.ResponseRule, d).normal_days
        for d in (D(2012, 12, 31), D(2013, 6, 30), D(2013, 7, 1), D(2013, 10, 1), D(2014, 1, 1))
    ]
    assert days == [10, 7, 6, 7, 10]
