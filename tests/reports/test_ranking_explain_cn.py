"""The ranking notice is a Chinese document: its table of how every point was found
(计分明细) speaks Chinese, with the numbers of the assessment behind it."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

import townplan as tp
from townplan.reports import ranking_notice
from townplan.reports.ranking import COMPONENT_NAMES
from townplan.reports.table import Report

NUMBER = re.compile(r"\d+(?:\.\d+)?")
CHINESE = re.compile(r"[\u4e00-\u9fff]")
ENGLISH_WORD = re.compile(r"[A-Za-z]{4,}")
PENALTIES = ("late_reports", "missing_reports", "overdue_responses", "overdue_findings")


@pytest.fixture
def notice(sample_town: tp.Ledger) -> Report:
    return ranking_notice(sample_town, year=2013)


def explanation_rows(markdown: str, title: str) -> list[list[str]]:
    """The body rows of the Markdown table under the heading ``## {title}``."""
    section = markdown.split(f"## {title}\n", 1)[1].split("\n## ", 1)[0]
    lines = [line for line in section.splitlines() if line.startswith("| ")]
    return [[cell.strip() for cell in line.strip("|").split(" | ")] for line in lines[2:]]


def test_the_explanations_of_the_notice_are_chinese(notice: Report) -> None:
    rows = explanation_rows(notice.to_markdown(), "计分明细")
    units = {row[1] for row in notice.table("ranking").rows}
    assert {row[0] for row in rows} == units
    for unit, component, _, why in rows:
        assert CHINESE.search(why), (unit, component, why)
        assert not ENGLISH_WORD.search(why), (unit, component, why)
        assert not ENGLISH_WORD.search(component)


def test_the_explanations_carry_the_numbers_of_the_assessment(
    notice: Report, sample_town: tp.Ledger
) -> None:
    result = sample_town.as_of(notice.as_of).assessment(2013)
    key = {cn: component for component, (cn, _) in COMPONENT_NAMES.items()}
    rows = explanation_rows(notice.to_markdown(), "计分明细")
    assert rows
    for unit, component, points, why in rows:
        row = result.unit(unit)
        english = row.explain[key[component]]
        assert sorted(NUMBER.findall(why)) == sorted(NUMBER.findall(english)), (english, why)
        assert Decimal(points) == row.breakdown[key[component]]


def test_a_penalty_line_adds_up_to_its_points(notice: Report) -> None:
    """A line "月度进度未报1次，每次扣2分" stands beside -2.00 in the points column."""
    names = {COMPONENT_NAMES[c][0] for c in PENALTIES}
    deducted = 0
    for unit, component, points, why in explanation_rows(notice.to_markdown(), "计分明细"):
        if component in names:
            count, each = (Decimal(n) for n in NUMBER.findall(why))
            assert -count * each == Decimal(points), (unit, component, why)
            deducted += count > 0
    assert deducted


def test_the_title_stays_bilingual(notice: Report) -> None:
    assert "## 计分明细" in notice.to_markdown("cn")
    english = notice.to_markdown("en")
    rows = explanation_rows(english, "How every point was found")
    assert rows and all(CHINESE.search(row[-1]) for row in rows)
