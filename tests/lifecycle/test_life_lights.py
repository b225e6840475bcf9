"""Lights on several dimensions, their rules as dated data, and light history."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan.model.lifecycle import Dimension
from townplan.query.dimensions import EscalationRule, ProcedureRule, StartRule, months_between

AMBER, RED, GREEN = tp.Light.AMBER, tp.Light.RED, tp.Light.GREEN


def _report(ledger: tp.Ledger, month: str, wan: str, on: date, recorded: date) -> None:
    ledger.record_progress(
        tp.ProgressReport(project="P1", period=month, completed=tp.Money.parse(f"{wan}万"),
                          reported_on=on),
        recorded_at=recorded,
    )  # fmt: skip


@pytest.fixture
def catching_up(life: tp.Ledger) -> tp.Ledger:
    """P1 (plan 1200万, so 100万 a month keeps to the schedule) reports nothing in January
    and February and 150万 in March (amber in February and March), then 400万 in April
    (ahead again) in a report that reached the ledger only on 20 May."""
    _report(life, "2013-01", "0", date(2013, 2, 3), date(2013, 2, 3))  # 8.3 behind: green
    _report(life, "2013-02", "0", date(2013, 3, 3), date(2013, 3, 3))  # 16.7 behind: amber
    _report(life, "2013-03", "150", date(2013, 4, 3), date(2013, 4, 3))  # 12.5 behind: amber
    # April: 400 done, catching up (550 of 400 expected); the report reached the ledger on 20 May
    _report(life, "2013-04", "400", date(2013, 5, 3), date(2013, 5, 20))
    _report(life, "2013-05", "100", date(2013, 6, 3), date(2013, 6, 3))
    return life


def _changes(view: tp.Ledger) -> list[tuple[str, str, Dimension]]:
    return [
        (c.on.isoformat(), c.light.value, c.dimension) for c in view.query().light_history("P1")
    ]


def test_a_light_turns_red_and_back_to_amber(catching_up: tp.Ledger) -> None:
    # P1's eia is overdue from May (due 30 April, done 20 June): the procedures dimension
    # is amber in May; the investment gap is made up in April.
    changes = _changes(catching_up.as_of(date(2013, 6, 15)))
    assert changes[:4] == [
        ("2013-01-31", "green", Dimension.INVESTMENT),
        ("2013-02-28", "amber", Dimension.INVESTMENT),
        ("2013-03-31", "red", Dimension.ESCALATION),  # two ambers in a row
        ("2013-04-30", "amber", Dimension.ESCALATION),  # gap made up: red drops to amber
    ]
    history = catching_up.as_of(date(2013, 6, 15)).query().light_history("P1")
    assert "连续2个月黄灯" in history[2].reason_cn and "amber months" in history[2].reason
    assert "降为黄灯" in history[3].reason_cn


def test_the_history_as_known_before_the_late_report(catching_up: tp.Ledger) -> None:
    # On 15 May the April report was not yet recorded: the history ends in March, red.
    changes = _changes(catching_up.as_of(date(2013, 5, 15)))
    assert changes[-1] == ("2013-03-31", "red", Dimension.ESCALATION)


def test_a_town_changes_a_dimension_rule_from_a_day(catching_up: tp.Ledger) -> None:
    # From 1 March three ambers in a row are needed: March stays amber.
    catching_up.add_rule(
        EscalationRule("连续三月", 3, date(2013, 3, 1)), recorded_at=date(2013, 3, 1)
    )
    changes = _changes(catching_up.as_of(date(2013, 6, 15)))
    assert ("2013-03-31", "red", Dimension.ESCALATION) not in changes


def test_every_verdict_names_its_dimension(life: tp.Ledger) -> None:
    from townplan.query.judgement import procedure_verdicts

    verdicts = list(procedure_verdicts(life.query().procedures(), date(2013, 7, 1)))
    assert [(v.project, v.dimension, v.light) for v in verdicts] == [
        ("P2", Dimension.PROCEDURES, AMBER)
    ]
    assert "施工许可证逾期16天（住建分局）" in verdicts[0].reason_cn
    assert "construction_permit 16 days overdue" in verdicts[0].reason
    late = list(procedure_verdicts(life.query().procedures(), date(2013, 10, 1)))
    assert {v.project: v.light for v in late}["P2"] is RED  # 108 days > 90


def test_start_rule() -> None:
    rule = StartRule()
    assert rule.judge(date(2013, 3, 1), None, date(2013, 3, 1)) is GREEN  # not missed yet
    assert rule.judge(date(2013, 3, 1), None, date(2013, 5, 31)) is AMBER  # 2 months
    assert rule.judge(date(2013, 3, 1), None, date(2013, 6, 1)) is RED  # 3 months
    assert rule.judge(date(2013, 3, 1), date(2013, 5, 1), date(2013, 6, 30)) is GREEN
    assert StartRule(red_after_months=1).judge(date(2013, 3, 1), None, date(2013, 4, 1)) is RED
    with pytest.raises(tp.ValidationError, match="red_after_months"):
        StartRule(red_after_months=-1)


def test_rules_come_back_from_the_ledger_as_they_were_kept() -> None:
    ledger = tp.Ledger.open(":memory:")
    for rule in (StartRule("严", 2, date(2013, 1, 1)), ProcedureRule("严", 30, date(2013, 1, 1))):
        ledger.add_rule(rule, recorded_at=date(2013, 1, 1))
        assert ledger.rules(type(rule)) == [rule]
        assert ledger.as_of(date(2012, 12, 31)).rule(type(rule)) == type(rule)()


lights = st.lists(st.sampled_from([GREEN, AMBER, RED]), max_size=14)


@given(base=lights, months=st.integers(1, 4))
def test_escalation_follows_its_rule(base: list[tp.Light], months: int) -> None:
    out = EscalationRule(months=months).step(base)
    for i, (own, light) in enumerate(zip(base, out, strict=True)):
        run = 0
        for earlier in reversed(base[: i + 1]):
            if earlier is not AMBER:
                break
            run += 1
        if own is RED or run >= months:
            assert light is RED
        elif own is GREEN and i and out[i - 1] is RED:
            assert light is AMBER
        else:
            assert light is own


@given(st.dates(), st.dates())
def test_months_between_is_whole_months(a: date, b: date) -> None:
    n = months_between(a, b)
    assert n == (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)
