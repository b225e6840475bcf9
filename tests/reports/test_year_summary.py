"""The year summary of the sample town: stages, the year's investment, targets, 招商引资, tasks.

Expected figures come from the fixture's files and README (read here independently) and
are compared with the public query API.
"""

from __future__ import annotations

import csv
import json
from collections import Counter, defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import townplan as tp
from townplan.reports import year_summary
from townplan.reports.table import Report, Table

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"
WAN = Decimal(10_000)
STAGES = {"前期": tp.Stage.PREPARATION, "新开工": tp.Stage.NEW_START, "续建": tp.Stage.CONTINUING,
          "竣工": tp.Stage.COMPLETED, "投产": tp.Stage.IN_OPERATION}  # fmt: skip


def _read(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _eligible() -> list[dict[str, str]]:
    return [p for p in _read("projects.csv") if not p["项目编号"].startswith("SZ2013-R")]


def _completed_in_2013(known_on: str) -> Decimal:
    """万元 completed in 2013 by the eligible projects, from the reports known on a day."""
    by_project: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read("progress.csv"):
        by_project[row["项目编号"]].append(row)
    total = Decimal(0)
    for rows in by_project.values():
        rows.sort(key=lambda r: r["月份"])
        before = Decimal(rows[0]["累计完成（万元）"]) - Decimal(rows[0]["本月完成（万元）"])
        known = [r for r in rows if r["月份"] <= "2013-12" and r["报送日期"] <= known_on]
        if known:
            total += Decimal(known[-1]["累计完成（万元）"]) - before
    return total


def _by_first(table: Table, key: str) -> dict[object, object]:
    index = [c.key for c in table.columns].index(key)
    return {row[0]: row[index] for row in table.rows}


def _headline(report: Report) -> dict[str, object]:
    return {label_cn: value for label_cn, _, value, _ in report.headline}


@pytest.fixture
def summary(sample_town: tp.Ledger) -> Report:
    return year_summary(sample_town, year=2013)


def test_the_summary_is_as_of_15_january(summary: Report) -> None:
    assert summary.as_of == date(2014, 1, 15)
    assert summary.title_cn == "2013年“三重”建设重大项目年度总结"


def test_projects_by_stage_equal_the_register(summary: Report) -> None:
    counts = Counter(STAGES[p["建设阶段"]] for p in _eligible())
    assert _by_first(summary.table("stages"), "count") == dict(counts)
    assert (
        _headline(summary)["竣工、投产项目"]
        == counts[tp.Stage.COMPLETED] + counts[tp.Stage.IN_OPERATION]
    )


def test_the_years_investment_equals_the_fixture_and_the_query_api(
    summary: Report, sample_town: tp.Ledger
) -> None:
    plan = sum(Decimal(p["年度计划投资（万元）"] or 0) for p in _eligible())
    done = _completed_in_2013("2014-01-15")
    headline = _headline(summary)
    assert headline["年度计划投资"] == tp.Money(plan * WAN, "CNY")
    assert headline["全年完成投资"] == tp.Money(done * WAN, "CNY")
    stages = summary.table("stages")
    assert stages.total is not None
    assert stages.total[2:4] == (headline["年度计划投资"], headline["全年完成投资"])
    query = sample_town.as_of(date(2014, 1, 15)).query().projects().eligible()
    (api,) = list(query.on(date(2013, 12, 31)).summary())
    assert (api.planned, api.year_to_date, api.rate) == (
        headline["年度计划投资"], headline["全年完成投资"], headline["完成率"],
    )  # fmt: skip


def test_targets_k01_k05_k06_are_missed(summary: Report) -> None:
    town = json.loads((SAMPLE / "town.json").read_text(encoding="utf-8"))
    names = {t["code"]: t["indicator"] for t in town["targets"]}
    verdicts = {k: v.label_cn for k, v in _by_first(summary.table("targets"), "verdict").items()}
    assert set(verdicts) == set(names.values())
    missed = {names[c] for c in ("K01", "K05", "K06")}
    assert {k for k, v in verdicts.items() if v == "未完成"} == missed
    assert {k for k, v in verdicts.items() if v == "完成"} == set(names.values()) - missed
    assert _headline(summary)["预期目标完成"] == "5/8"


def test_investment_attraction_is_per_currency_and_never_added(sample_town: tp.Ledger) -> None:
    # the review year's figures, as the report states them, come from the year's deals
    table = year_summary(sample_town, year=2012).table("attraction")
    assert "2012" in table.title_cn
    rows = {(row[0].label_cn, row[1]): row[2] for row in table.rows}
    assert rows == {
        ("合同利用外资", "USD"): tp.Money.parse("1.27亿美元"),
        ("实际利用外资", "USD"): tp.Money.parse("2.39亿美元"),
        ("合同利用内资", "CNY"): tp.Money.parse("15亿元"),
        ("实际利用内资", "CNY"): tp.Money.parse("9亿元"),
    }
    assert table.total is None


def test_foreign_currency_amounts_are_not_headed_as_yuan(summary: Report) -> None:
    text = summary.to_markdown()
    header = next(line for line in text.splitlines() if line.startswith("| 项目 | 币种 |"))
    assert "万元" not in header


def test_task_states_at_year_end(summary: Report) -> None:
    by_code = {row[1]: (row[4], row[5]) for row in summary.table("tasks").rows}
    assert by_code["T09"] == (date(2013, 10, 15), "逾期完成")  # due 6月底前: done late
    assert by_code["T19"] == (date(2013, 7, 25), "逾期完成")  # due 上半年
    assert by_code["T07"][1] == by_code["T10"][1] == "按时完成"
    assert by_code["T17"] == (None, "未完成")  # 860 of 1000 jobs
    assert by_code["T23"] == (None, "未完成")


def test_as_of_mid_year_the_summary_shows_what_was_known_then(sample_town: tp.Ledger) -> None:
    july = year_summary(sample_town, 2013, as_of=date(2013, 7, 15))
    assert july.as_of == date(2013, 7, 15)
    verdicts = {v.label_cn for v in _by_first(july.table("targets"), "verdict").values()}
    assert verdicts == {"尚无实际数"}  # the year's actuals come in at year end
    by_code = {row[1]: row[5] for row in july.table("tasks").rows}
    assert by_code["T09"] == by_code["T19"] == "未完成"
    completed = _headline(july)["全年完成投资"]
    june = sample_town.as_of(date(2013, 7, 15)).query().projects().eligible()
    (api,) = list(june.on(date(2013, 7, 15)).summary())
    assert completed == api.year_to_date


def test_the_stage_chart_counts_the_stage_table(summary: Report) -> None:
    (chart,) = summary.figures
    counts = _by_first(summary.table("stages"), "count")
    assert dict(zip(chart.categories, chart.series[0].values, strict=True)) == {
        stage.label_cn: Decimal(str(n))
        for stage, n in counts.items()
        if isinstance(stage, tp.Stage)
    }


def test_the_attraction_lines_are_in_the_language_the_summary_is_written_in(
    sample_town: tp.Ledger,
) -> None:
    from townplan.reports.table import text_rows

    table = year_summary(sample_town, year=2012).table("attraction")
    assert [row[0] for row in text_rows(table, "cn")] == [
        "合同利用外资", "实际利用外资", "合同利用内资", "实际利用内资",
    ]  # fmt: skip
    assert [row[0] for row in text_rows(table, "en")] == [
        "Foreign capital contracted", "Foreign capital utilised",
        "Domestic capital contracted", "Domestic capital utilised",
    ]  # fmt: skip
