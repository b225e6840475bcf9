"""The June bulletin of the sample town says what the fixture made happen in June.

Expected figures are recomputed here from the fixture's own files (projects.csv and
progress.csv, read with the csv module) or taken from the fixture README, never from the
report code; totals are also compared with the public query API.
"""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

import townplan as tp
from townplan.reports import bulletin
from townplan.reports.table import Report, Table

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"
JUNE_END = date(2013, 6, 30)
WAN = Decimal(10_000)

RED = {"SZ2013-006", "SZ2013-022", "SZ2013-033"}
AMBER = {"SZ2013-018", "SZ2013-026"}


def _read(name: str) -> list[dict[str, str]]:
    with (SAMPLE / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _eligible() -> list[dict[str, str]]:
    return [p for p in _read("projects.csv") if not p["项目编号"].startswith("SZ2013-R")]


def _year_to_date(month: str, known_on: str) -> dict[str, Decimal]:
    """万元 completed this year up to ``month`` per project, from the reports that had
    arrived by ``known_on``: the latest 累计完成 minus what was done before the year."""
    by_project: dict[str, list[dict[str, str]]] = defaultdict(list)
    for row in _read("progress.csv"):
        by_project[row["项目编号"]].append(row)
    result = {}
    for code, rows in by_project.items():
        rows.sort(key=lambda r: r["月份"])
        before_year = Decimal(rows[0]["累计完成（万元）"]) - Decimal(rows[0]["本月完成（万元）"])
        known = [r for r in rows if r["月份"] <= month and r["报送日期"] <= known_on]
        result[code] = Decimal(known[-1]["累计完成（万元）"]) - before_year if known else Decimal(0)
    return result


def _column(table: Table, key: str) -> dict[str, object]:
    """The first column (code or label) → the cell of column ``key``."""
    index = [c.key for c in table.columns].index(key)
    return {str(row[0]): row[index] for row in table.rows}


def _headline(report: Report) -> dict[str, object]:
    return {label_cn: value for label_cn, _, value, _ in report.headline}


@pytest.fixture
def june(sample_town: tp.Ledger) -> Report:
    return bulletin(sample_town, month="2013-06")


def test_the_bulletin_is_as_of_the_15th_of_the_next_month(june: Report) -> None:
    assert june.as_of == date(2013, 7, 15)
    assert june.title_cn == "2013年6月“三重”建设重大项目进度通报"


def test_headline_totals_equal_the_fixture_files_and_the_query_api(
    june: Report, sample_town: tp.Ledger
) -> None:
    eligible = _eligible()
    plan = sum(Decimal(p["年度计划投资（万元）"] or 0) for p in eligible)
    done = _year_to_date("2013-06", "2013-07-15")
    ytd = sum(done.get(p["项目编号"], Decimal(0)) for p in eligible)
    headline = _headline(june)
    assert headline["纳入计划项目"] == len(eligible) == 36
    assert headline["年度计划投资"] == tp.Money(plan * WAN, "CNY")
    assert headline["1-6月完成投资"] == tp.Money(ytd * WAN, "CNY")
    assert headline["序时进度"] == Decimal(6) / 12

    (api,) = list(
        sample_town.as_of(june.as_of).query().projects().eligible().on(JUNE_END).summary()
    )
    assert (api.planned, api.year_to_date, api.rate) == (
        headline["年度计划投资"],
        headline["1-6月完成投资"],
        headline["完成率"],
    )


def test_every_zone_row_equals_the_fixture_files(june: Report) -> None:
    done = _year_to_date("2013-06", "2013-07-15")
    plans: dict[str, Decimal] = defaultdict(Decimal)
    ytd: dict[str, Decimal] = defaultdict(Decimal)
    counts: dict[str, int] = defaultdict(int)
    for p in _eligible():
        zone = p["所属板块"]
        plans[zone] += Decimal(p["年度计划投资（万元）"] or 0)
        ytd[zone] += done.get(p["项目编号"], Decimal(0))
        counts[zone] += 1
    zones = june.table("zones")
    assert _column(zones, "planned") == {z: tp.Money(v * WAN, "CNY") for z, v in plans.items()}
    assert _column(zones, "year_to_date") == {z: tp.Money(v * WAN, "CNY") for z, v in ytd.items()}
    assert _column(zones, "count") == counts
    assert zones.total is not None
    assert zones.total[:4] == (
        "合计", 36, tp.Money(sum(plans.values()) * WAN, "CNY"),
        tp.Money(sum(ytd.values()) * WAN, "CNY"),
    )  # fmt: skip


@pytest.mark.parametrize("key", ["zones", "categories", "units"])
def test_each_breakdown_adds_up_to_the_same_total(june: Report, key: str) -> None:
    headline = _headline(june)
    table = june.table(key)
    assert table.total is not None
    keys = [c.key for c in table.columns]
    total = dict(zip(keys, table.total, strict=True))
    assert total["count"] == headline["纳入计划项目"]
    assert total["planned"] == headline["年度计划投资"]
    assert total["year_to_date"] == headline["1-6月完成投资"]
    assert (total["red"], total["amber"]) == (len(RED), len(AMBER))
    for column in ("planned", "year_to_date", "remaining"):
        amounts = [v for v in table.values(column) if isinstance(v, tp.Money)]
        assert len(amounts) == len(table.rows)
        assert tp.sum_money(amounts, "CNY") == total[column]


def test_the_red_and_amber_projects_are_the_ones_the_fixture_made_late(june: Report) -> None:
    lights = june.table("lights")
    shown = _column(lights, "light")
    assert {code for code, light in shown.items() if light is tp.Light.RED} == RED
    assert {code for code, light in shown.items() if light is tp.Light.AMBER} == AMBER
    # red first, then the furthest behind first
    assert [row[0] for row in lights.rows][:3] == ["SZ2013-022", "SZ2013-006", "SZ2013-033"]
    headline = _headline(june)
    assert (headline["红灯项目"], headline["黄灯项目"]) == (3, 2)


def test_lights_follow_the_schedule_computed_by_hand(june: Report) -> None:
    """Behind = 50 % (6/12) − year-to-date ÷ annual plan: red above 30 points, amber from 10."""
    done = _year_to_date("2013-06", "2013-07-15")
    expected = {}
    for p in _eligible():
        plan = Decimal(p["年度计划投资（万元）"] or 0)
        if plan:
            behind = Decimal(50) - done[p["项目编号"]] / plan * 100
            if behind >= 10:
                expected[p["项目编号"]] = behind.quantize(Decimal("0.1"))
    assert _column(june.table("lights"), "behind") == expected


def test_each_light_gives_its_reason(june: Report) -> None:
    reasons = _column(june.table("lights"), "reason")
    behind = _column(june.table("lights"), "behind")
    for code, reason in reasons.items():
        assert isinstance(reason, str)
        word = "红灯" if code in RED else "黄灯"
        assert word in reason
        assert f"落后{behind[code]}个百分点" in reason
    assert "4000万元" in str(reasons["SZ2013-022"])  # its annual plan, from projects.csv


def test_missing_and_late_june_reports(june: Report) -> None:
    reports = june.table("reports")
    status = _column(reports, "status")
    received = _column(reports, "received")
    assert status == {
        "SZ2013-016": "未报", "SZ2013-024": "未报",
        "SZ2013-003": "迟报", "SZ2013-022": "迟报",
    }  # fmt: skip
    assert received["SZ2013-003"] == date(2013, 7, 10)
    assert received["SZ2013-022"] == date(2013, 7, 12)
    assert set(_column(reports, "due").values()) == {date(2013, 7, 5)}


def test_missing_and_late_reports_equal_the_query_api(june: Report, sample_town: tp.Ledger) -> None:
    q = sample_town.as_of(june.as_of).query()
    missing = {r.project.code for r in q.missing_reports("2013-06", on=june.as_of)}
    late = {r.project.code for r in q.late_reports("2013-06", on=june.as_of)}
    status = _column(june.table("reports"), "status")
    assert missing == {c for c, s in status.items() if s == "未报"}
    assert late == {c for c, s in status.items() if s == "迟报"}


def test_overdue_tasks_are_t09_and_t19(june: Report) -> None:
    tasks = june.table("tasks")
    assert sorted(str(code) for code in tasks.values("code")) == ["T09", "T19"]
    assert set(tasks.values("due")) == {JUNE_END}


def test_open_problems_in_june(june: Report) -> None:
    problems = june.table("problems")
    assert _column(problems, "project") == {
        "Q04": "SZ2013-022", "Q06": "SZ2013-006", "Q08": "SZ2013-033",
    }  # fmt: skip


def test_an_unanswered_problem_past_its_deadline_is_marked_overdue(
    sample_town: tp.Ledger,
) -> None:
    """Q06 (urgent, raised 2013-04-02) was still unanswered on 2013-04-15."""
    march = bulletin(sample_town, "2013-03")
    assert march.as_of == date(2013, 4, 15)
    assert _column(march.table("problems"), "overdue")["Q06"] == "超时"


def test_problems_answered_late_are_marked_overdue(june: Report) -> None:
    overdue = _column(june.table("problems"), "overdue")
    assert overdue["Q06"] == "超时"
    assert overdue["Q08"] == "超时"
    assert overdue["Q04"] == ""  # answered on time (urgent, due 2013-03-15)


def test_as_of_the_8th_the_report_of_the_12th_is_missing(sample_town: tp.Ledger) -> None:
    early = bulletin(sample_town, "2013-06", as_of=date(2013, 7, 8))
    later = bulletin(sample_town, "2013-06", as_of=date(2013, 7, 15))
    assert early.as_of == date(2013, 7, 8)
    assert _column(early.table("reports"), "status")["SZ2013-022"] == "未报"
    assert _column(later.table("reports"), "status")["SZ2013-022"] == "迟报"
    # and the year-to-date figure is what had arrived by each day
    for report, day in ((early, "2013-07-08"), (later, "2013-07-15")):
        done = _year_to_date("2013-06", day)
        assert _headline(report)["1-6月完成投资"] == tp.Money(sum(done.values()) * WAN, "CNY")


def test_a_report_of_an_as_of_view_never_sees_later_facts(sample_town: tp.Ledger) -> None:
    view = sample_town.as_of(date(2013, 7, 8))
    report = bulletin(view, "2013-06", as_of=date(2013, 7, 15))
    assert _column(report.table("reports"), "status")["SZ2013-022"] == "未报"


def _monthly(report: Report) -> dict[str, Decimal]:
    chart = next(c for c in report.figures if c.key == "monthly")
    return dict(zip(chart.categories, chart.series[0].values, strict=True))


def test_the_correction_of_the_10th_moves_121_wan_from_april_to_march(
    sample_town: tp.Ledger,
) -> None:
    """东环路 (SZ2013-021): corrected on 2013-07-10, 121万元 moved from April to March."""
    before = bulletin(sample_town, "2013-05", as_of=date(2013, 7, 9))
    after = bulletin(sample_town, "2013-05", as_of=date(2013, 7, 11))
    assert _headline(before)["1-5月完成投资"] == _headline(after)["1-5月完成投资"]
    moved = Decimal(121)
    old, new = _monthly(before), _monthly(after)  # cumulative 万元 by month
    assert new["3月"] - old["3月"] == moved
    assert new["4月"] == old["4月"] and new["5月"] == old["5月"]
    assert new["1月"] == old["1月"] and new["2月"] == old["2月"]

    def month_by_month(day: date) -> dict[str, tp.Money]:
        q = sample_town.as_of(day).query().projects().eligible().on(date(2013, 5, 31))
        return {str(s.key[0]): s.completed for s in q.group_by("month")}

    old_months, new_months = month_by_month(date(2013, 7, 9)), month_by_month(date(2013, 7, 11))
    shift = tp.Money(moved * WAN, "CNY")
    assert new_months["2013-03"] == old_months["2013-03"] + shift
    assert new_months["2013-04"] == old_months["2013-04"] - shift
    assert new_months["2013-05"] == old_months["2013-05"]


def test_the_correction_leaves_the_projects_june_figures_alone(sample_town: tp.Ledger) -> None:
    def ytd(day: date) -> tp.Money:
        q = sample_town.as_of(day).query().projects().where(code="SZ2013-021").on(JUNE_END)
        return next(iter(q.summary())).year_to_date

    by_hand = _year_to_date("2013-06", "2013-07-15")["SZ2013-021"]
    assert ytd(date(2013, 7, 9)) == ytd(date(2013, 7, 11)) == tp.Money(by_hand * WAN, "CNY")


def test_the_monthly_chart_ends_at_the_headline_figure(june: Report) -> None:
    monthly = _monthly(june)
    assert list(monthly) == [f"{m}月" for m in range(1, 7)]
    completed = _headline(june)["1-6月完成投资"]
    assert isinstance(completed, tp.Money)
    assert monthly["6月"] * WAN == completed.amount
    values = list(monthly.values())
    assert values == sorted(values)  # cumulative


def test_a_month_is_required(sample_town: tp.Ledger) -> None:
    with pytest.raises(tp.ValidationError, match="2013-Q2"):
        bulletin(sample_town, "2013-Q2")
    with pytest.raises(tp.ValidationError):
        bulletin(sample_town, "2013-13")


def test_the_rendered_bulletin_names_every_late_project(june: Report) -> None:
    text = june.to_markdown()
    page = june.to_html()
    for code in (*RED, *AMBER, "SZ2013-016", "SZ2013-024", "SZ2013-003"):
        assert code in text and code in page
    # investment: once in the red-and-amber table, once in the annex of every project;
    # procedures: SZ2013-026 red, four amber; start: SZ2013-022 red, two amber
    assert page.count('class="light light-red"') == 3 * 2 + 1 + 1
    assert page.count('class="light light-amber"') == 2 * 2 + 4 + 2
    assert page.count('class="light light-green"') == 26 - 1  # SZ2013-031 is suspended
    assert "Missing and late reports for 2013-06" in june.to_markdown("en")


def test_funds_arrived_by_source_equal_the_fixture_files(june: Report) -> None:
    """资金到位情况: the year's plan by source, and what had arrived by 30 June as known on
    15 July — read straight from funding_plan.csv and funds_arrived.csv."""
    planned: dict[str, Decimal] = defaultdict(Decimal)
    for row in _read("funding_plan.csv"):
        if row["年度"] == "2013":
            planned[row["资金来源"]] += Decimal(row["计划金额（万元）"])
    arrived: dict[str, Decimal] = defaultdict(Decimal)
    for row in _read("funds_arrived.csv"):
        if row["到位日期"] <= "2013-06-30" and row["录入日期"] <= "2013-07-15":
            arrived[row["资金来源"]] += Decimal(row["到位金额（万元）"])
    table = june.table("funding")
    assert table.title_cn == "2013年资金到位情况"
    shown = {row[0]: row for row in table.rows}
    assert set(shown) == set(planned)
    for source, row in shown.items():
        assert row[2] == tp.Money.parse(f"{planned[source]}万元"), source
        assert row[3] == tp.Money.parse(f"{arrived[source]}万元"), source
    assert table.total is not None
    assert table.total[2] == tp.Money.parse(f"{sum(planned.values())}万元")
    assert table.total[3] == tp.Money.parse(f"{sum(arrived.values())}万元")
    assert "资金到位情况" in june.to_markdown()


def test_building_a_bulletin_tells_a_hook_of_each_step(sample_town: tp.Ledger) -> None:
    from townplan.reports.bulletin import STEPS

    seen: list[tuple[int, int]] = []
    told = tp.reports.bulletin(sample_town, "2013-06", on_progress=lambda d, t: seen.append((d, t)))
    assert seen == [(n, STEPS) for n in range(STEPS + 1)]
    assert told == tp.reports.bulletin(sample_town, "2013-06")  # the same report, told or not
