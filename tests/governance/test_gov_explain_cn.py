"""Every score component says how it was found in Chinese too (计分说明), with the same
numbers as the English wording: amounts, counts, points and project codes."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date
from decimal import Decimal

import pytest

import townplan as tp
import townplan.governance as gov
from townplan.ledger import LedgerStore

D = date
NUMBER = re.compile(r"\d+(?:\.\d+)?")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
PENALTIES = {
    "late_reports": "迟报",
    "missing_reports": "未报",
    "overdue_responses": "超时答复",
    "overdue_findings": "逾期未整改",
}


def numbers(text: str) -> list[str]:
    """The numbers written in ``text``, in a fixed order (the two languages order words
    differently)."""
    return sorted(NUMBER.findall(text))


@pytest.fixture(scope="module")
def assessed(sample: LedgerStore) -> gov.Assessment:
    return gov.assess(sample, 2013)


def _scores(a: gov.Assessment) -> Iterator[gov.UnitScore | gov.ProjectScore]:
    yield from a.ranking
    yield from a.projects


def test_every_point_of_the_sample_town_is_explained_in_chinese(assessed):
    assert assessed.ranking and assessed.projects
    for row in _scores(assessed):
        assert list(row.explain_cn) == list(gov.COMPONENTS)
        for component, points in row.breakdown.items():
            text = row.explain_cn[component]
            if points:
                assert CHINESE.search(text), (row, component)
            assert not ENGLISH_WORD.search(text), (row, component, text)


def test_both_languages_carry_the_same_numbers(assessed):
    for row in _scores(assessed):
        assert list(row.explain) == list(row.explain_cn)
        for component in gov.COMPONENTS:
            english, chinese = row.explain[component], row.explain_cn[component]
            assert numbers(chinese) == numbers(english), (component, english, chinese)


def test_a_penalty_names_its_count_and_the_points_each_costs(assessed):
    scheme = assessed.scheme
    each = {
        "late_reports": scheme.late_report_penalty,
        "missing_reports": scheme.missing_report_penalty,
        "overdue_responses": scheme.overdue_response_penalty,
        "overdue_findings": scheme.overdue_finding_penalty,
    }
    penalised = 0
    for row in _scores(assessed):
        for component, word in PENALTIES.items():
            text = row.explain_cn[component]
            assert word in text, text
            count, cost = (Decimal(n) for n in NUMBER.findall(text))
            assert cost == each[component]
            assert -count * cost == row.breakdown[component], (row, text)
            penalised += count > 0
    assert penalised  # the sample town has late, missing and overdue items


@pytest.fixture
def half_year(town: LedgerStore) -> LedgerStore:
    """城建办: R1 300万 a month Jan–Jun, March's report late; R2 100万 a month Jan–May,
    June's missing. 农业办 runs only the reserve project R3, which reports nothing."""
    for month in range(1, 7):
        due = D(2013, month + 1, 5)
        day = D(2013, 4, 10) if month == 3 else due
        town.record_progress(
            tp.ProgressReport(project="R1", period=f"2013-{month:02d}",
                              completed=tp.Money.parse("300万"), reported_on=day),
            recorded_at=day,
        )  # fmt: skip
        if month < 6:
            town.record_progress(
                tp.ProgressReport(project="R2", period=f"2013-{month:02d}",
                                  completed=tp.Money.parse("100万"), reported_on=due),
                recorded_at=due,
            )  # fmt: skip
    return town


def test_a_unit_reads_its_points_in_chinese(half_year):
    a = gov.assess(half_year, 2013, on=D(2013, 7, 31))
    unit = a.unit("城建办")
    # 1800万 + 500万 completed of 4000万 + 1000万 planned: 60 × 0.46 = 27.60.
    assert unit.breakdown["progress"] == Decimal("27.60")
    progress = unit.explain_cn["progress"]
    assert "2300万元" in progress and "5000万元" in progress and "27.60分" in progress
    # Scale: R1's 1.2亿 earns 3, R2's 3000万 nothing; the unit gets the mean of two.
    assert unit.breakdown["scale"] == Decimal("1.50")
    assert "2个项目平均" in unit.explain_cn["scale"] and "R1加3分" in unit.explain_cn["scale"]
    assert "R2" not in unit.explain_cn["scale"]
    assert unit.explain_cn["late_reports"] == "月度进度迟报1次，每次扣1分"
    assert unit.explain_cn["missing_reports"] == "月度进度未报1次，每次扣2分"
    # 农业办's only project is a reserve one: no plan, so no progress points.
    farm = a.unit("农业办")
    assert farm.breakdown["progress"] == 0
    assert "2013年" in farm.explain_cn["progress"] and "无年度计划" in farm.explain_cn["progress"]


def test_a_scheme_of_its_own_is_worded_with_its_own_points(half_year):
    scheme = gov.ScoringScheme(late_report_penalty="0.5", unit_bonuses="sum")
    a = gov.assess(half_year, 2013, on=D(2013, 7, 31), scheme=scheme)
    unit = a.unit("城建办")
    assert unit.breakdown["late_reports"] == Decimal("-0.50")
    assert numbers(unit.explain_cn["late_reports"]) == ["0.5", "1"]
    assert "平均" not in unit.explain_cn["type"]  # bonuses added up, not averaged
    assert unit.breakdown["type"] == Decimal("6.00")
    for row in _scores(a):
        for component in gov.COMPONENTS:
            assert numbers(row.explain_cn[component]) == numbers(row.explain[component])
