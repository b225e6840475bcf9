"""The glossary lists every Chinese label and every spreadsheet header the code knows."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest

import townplan as tp
from townplan import Ledger
from townplan.governance import states
from townplan.io.sheets.headers import DEFAULT_PROGRESS_HEADERS, DEFAULT_REGISTER_HEADERS
from townplan.model import enums
from townplan.model.money import CURRENCY_NAMES
from townplan.query import LightRule
from townplan.reports import Report
from townplan.reports.ranking import COMPONENT_NAMES

GLOSSARY = (Path(__file__).resolve().parents[2] / "docs" / "glossary.md").read_text("utf-8")
LABELLED = [
    *(
        getattr(enums, name)
        for name in enums.__all__
        if name != "LabelledEnum"
        and isinstance(getattr(enums, name), type)
        and issubclass(getattr(enums, name), enums.LabelledEnum)
    ),
    *(getattr(states, name) for name in states.__all__),
]


def bulletin_june(town: Ledger) -> Report:
    return tp.reports.bulletin(town, "2013-06")


def year_summary_2013(town: Ledger) -> Report:
    return tp.reports.year_summary(town, 2013)


def ranking_2013(town: Ledger) -> Report:
    return tp.reports.ranking_notice(town, 2013)


@pytest.mark.parametrize("enum", LABELLED, ids=lambda e: e.__name__)
def test_every_enum_label_and_value_is_in_the_glossary(enum: type[enums.LabelledEnum]) -> None:
    assert len(enum) > 1
    for member in enum:
        assert member.label_cn in GLOSSARY, f"{enum.__name__}.{member.name}: {member.label_cn}"
        assert f"`{enum.__name__}.{member.name}`" in GLOSSARY, f"{enum.__name__}.{member.name}"


@pytest.mark.parametrize(
    "header", sorted({*DEFAULT_REGISTER_HEADERS, *DEFAULT_PROGRESS_HEADERS} - {"序号"})
)
def test_every_recognised_header_is_in_the_glossary(header: str) -> None:
    bare = header.replace("(", "（").replace(")", "）")
    assert header in GLOSSARY or bare in GLOSSARY or header.split("/")[-1] in GLOSSARY, header


def test_every_currency_word_is_in_the_glossary() -> None:
    for word in CURRENCY_NAMES.values():
        assert word in GLOSSARY, word


def report_headings(report: Report) -> set[str]:
    """Every column heading and headline label a report prints in Chinese. Labels with a
    number in them ("1-6月完成投资") change with the month and are listed in a general form."""
    labels = {label for label, *_ in report.headline}
    labels |= {column.title_cn for table in report.tables for column in table.columns}
    return {label for label in labels if not re.search(r"\d", label)}


@pytest.mark.parametrize("build", [bulletin_june, year_summary_2013, ranking_2013])
def test_every_report_heading_is_in_the_glossary(
    build: Callable[[Ledger], Report], sample_town: Ledger
) -> None:
    missing = sorted(h for h in report_headings(build(sample_town)) if h not in GLOSSARY)
    assert missing == [], f"add to docs/glossary.md: {missing}"


def test_every_score_component_is_in_the_glossary() -> None:
    for key, (chinese, _) in COMPONENT_NAMES.items():
        assert chinese in GLOSSARY and f"`{key}`" in GLOSSARY, key


def test_the_light_rule_is_in_the_glossary() -> None:
    assert "红黄绿灯规则" in GLOSSARY and "`LightRule`" in GLOSSARY
    assert LightRule.default().name in GLOSSARY
