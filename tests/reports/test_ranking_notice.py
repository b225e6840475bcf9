"""The ranking notice of the sample town: every point explained, penalties that match the
fixture's late and missing reports, and the same ranking as the assessment API."""

from __future__ import annotations

import csv
import itertools
from collections import Counter
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.reports import ranking_notice
from townplan.reports.table import Report

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"
COMPONENTS = (
    "progress", "scale", "type", "operation",
    "late_reports", "missing_reports", "overdue_responses", "overdue_findings",
)  # fmt: skip


def _rows(report: Report, key: str) -> list[dict[str, Any]]:
    table = report.table(key)
    keys = [c.key for c in table.columns]
    return [dict(zip(keys, row, strict=True)) for row in table.rows]


def _report_counts(on: date) -> tuple[Counter[str], Counter[str]]:
    """Late and missing reports per responsible unit among the 2013 reports due by ``on``
    (the 5th of the next month), as known on ``on``, from the fixture's files."""
    with (SAMPLE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        units = {p["项目编号"]: p["责任单位"] for p in csv.DictReader(handle)
                 if not p["项目编号"].startswith("SZ2013-R")}  # fmt: skip
    with (SAMPLE / "progress.csv").open(encoding="utf-8", newline="") as handle:
        arrived = {(r["项目编号"], r["月份"]): date.fromisoformat(r["报送日期"])
                   for r in csv.DictReader(handle)}  # fmt: skip
    late: Counter[str] = Counter()
    missing: Counter[str] = Counter()
    for code, unit in units.items():
        for month in range(1, 13):
            due = date(2013 + month // 12, month % 12 + 1, 5)
            if due > on:
                continue
            received = arrived.get((code, f"2013-{month:02d}"))
            if received is None or received > on:
                missing[unit] += 1
            elif received > due:
                late[unit] += 1
    return late, missing


@pytest.fixture
def notice(sample_town: tp.Ledger) -> Report:
    return ranking_notice(sample_town, year=2013)


def test_the_notice_is_as_of_15_january(notice: Report) -> None:
    assert notice.as_of == date(2014, 1, 15)
    assert notice.title_cn == "2013年度“三重”建设考核情况通报"


def test_ranks_follow_the_scores(notice: Report) -> None:
    rows = _rows(notice, "ranking")
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True)
    assert rows[0]["rank"] == 1
    for before, after in itertools.pairwise(rows):
        if after["score"] == before["score"]:
            assert after["rank"] == before["rank"]
        else:
            assert after["rank"] == rows.index(after) + 1


def test_every_score_is_the_sum_of_its_breakdown(notice: Report) -> None:
    for key in ("ranking", "projects"):
        for row in _rows(notice, key):
            parts = [row[c] for c in COMPONENTS]
            assert sum(parts, Decimal(0)) == row["score"], row


def test_the_ranking_equals_the_assessment_api(notice: Report, sample_town: tp.Ledger) -> None:
    view = sample_town.as_of(notice.as_of)
    result = view.assessment(2013)
    scheme = result.scheme
    construction = view.query().projects().eligible().kind("construction")
    for s in construction.on(date(2013, 12, 31)).group_by("responsible_unit"):
        share = min(s.year_to_date.amount / s.planned.amount, scheme.progress_cap)
        points = (scheme.progress_points * share).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert result.unit(s.key[0]).breakdown["progress"] == points
    assert [(r["rank"], r["unit"], r["score"]) for r in _rows(notice, "ranking")] == [
        (r.rank, r.unit, r.score) for r in result.ranking
    ]


def test_the_headline_names_the_units_of_the_ranking(notice: Report) -> None:
    rows = _rows(notice, "ranking")
    headline = {label: value for label, _, value, _ in notice.headline}
    assert headline["参评单位"] == len(rows)
    assert headline["表扬单位"] == "、".join(str(r["unit"]) for r in rows if r["rank"] <= 3)
    named = str(headline["通报单位"]).split("、")
    assert named == [str(r["unit"]) for r in rows[-3:]]


def test_report_penalties_match_the_late_and_missing_reports_of_the_files(
    sample_town: tp.Ledger,
) -> None:
    day = date(2013, 7, 15)
    notice = ranking_notice(sample_town, 2013, as_of=day)
    scheme = sample_town.assessment(2013).scheme
    late, missing = _report_counts(day)
    assert late["公路所"] and missing["公路所"]  # 古梅路延长线 late, 临港大道 missing in June
    for row in _rows(notice, "ranking"):
        unit = str(row["unit"])
        assert row["late_reports"] == -scheme.late_report_penalty * late[unit], unit
        assert row["missing_reports"] == -scheme.missing_report_penalty * missing[unit], unit


def test_late_answers_cost_the_units_that_gave_them(notice: Report) -> None:
    """Q03 (规划所) and Q06 (国土分局) were answered after their deadlines."""
    rows = {str(r["unit"]): r for r in _rows(notice, "ranking")}
    assert rows["规划所"]["overdue_responses"] < 0
    assert rows["国土分局"]["overdue_responses"] < 0
    assert rows["“三重”办"]["overdue_responses"] == 0


def test_every_nonzero_point_is_explained(notice: Report) -> None:
    explained = {(str(r["unit"]), str(r["component"])): r for r in _rows(notice, "explain")}
    names = [c.title_cn for c in notice.table("ranking").columns[3:]]
    for row in _rows(notice, "ranking"):
        for component, name in zip(COMPONENTS, names, strict=True):
            if row[component] != 0:
                line = explained[(str(row["unit"]), name)]
                assert line["points"] == row[component]
                assert str(line["why"]).strip()


def test_as_of_mid_year_the_notice_shows_the_ranking_then(sample_town: tp.Ledger) -> None:
    july = ranking_notice(sample_town, 2013, as_of=date(2013, 7, 15))
    year_end = ranking_notice(sample_town, 2013)
    assert july.as_of == date(2013, 7, 15)
    api = sample_town.as_of(date(2013, 7, 15)).assessment(2013, on=date(2013, 7, 15))
    assert [(r["unit"], r["score"]) for r in _rows(july, "ranking")] == [
        (r.unit, r.score) for r in api.ranking
    ]
    assert _rows(july, "ranking") != _rows(year_end, "ranking")


def test_the_score_chart_shows_every_unit(notice: Report) -> None:
    (chart,) = notice.figures
    rows = _rows(notice, "ranking")
    assert chart.categories == tuple(r["unit"] for r in rows)
    assert chart.series[0].values == tuple(r["score"] for r in rows)
