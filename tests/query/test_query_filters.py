"""Every filter and operator against the hand-made portfolio (see conftest.py)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import townplan as tp
from townplan.cli.errors_zh import describe
from townplan.ledger import LedgerStore
from townplan.query import Query

NEW_TOWN, PORT = "水乡新城区", "现代临港产业区"
ON = date(2013, 6, 30)


def codes(query: object) -> list[str]:
    return [r.code for r in query]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        ({"code": "P03"}, ["P03"]),
        ({"name": "玉柴产业园"}, ["P05"]),
        ({"name__contains": "产业园"}, ["P04", "P05"]),
        ({"zone": PORT}, ["P04", "P05", "P06", "P08"]),
        ({"zone__in": [PORT, "nowhere"]}, ["P04", "P05", "P06", "P08"]),
        ({"zone__ne": NEW_TOWN}, ["P04", "P05", "P06", "P08"]),
        ({"village": None}, ["P01", "P02", "P04", "P05", "P06", "P07", "P08", "P09", "P10"]),
        ({"village__isnull": False}, ["P03"]),
        ({"leader__ne": "李明"}, ["P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10"]),
        ({"code__lt": "P03"}, ["P01", "P02"]),
        ({"code__gte": "P09"}, ["P09", "P10"]),
        ({"code__range": ("P02", "P04")}, ["P02", "P03", "P04"]),
        ({"plan_year": 2012}, ["P10"]),
        ({"plan_year__gt": 2012}, ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09"]),
        ({"category": "基础设施"}, ["P01", "P02", "P03", "P06", "P09"]),
        ({"category": tp.Category.LIVELIHOOD}, ["P07"]),
        ({"stage__in": ["新开工", "completed"]}, ["P02", "P05", "P10"]),
        ({"kind": "预备"}, ["P07"]),
        ({"currency": "USD"}, ["P08"]),
        ({"responsible_unit": "农办"}, ["P03", "P07"]),
        ({"content__contains": "水系"}, ["P03"]),
        ({"valid_from": date(2013, 1, 1), "code": "P01"}, ["P01"]),
        ({"valid_from__lt": "2013-01-01"}, []),
    ],
)
def test_where_on_plain_fields(q: Query, lookups: dict[str, object], expected: list[str]) -> None:
    assert codes(q.projects().where(**lookups)) == expected


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        ({"annual_plan": tp.Money.parse("2亿")}, ["P04"]),
        ({"annual_plan__gte": "1亿元"}, ["P03", "P04", "P05", "P10"]),
        ({"annual_plan__lt": tp.Money.parse("2000万")}, ["P07", "P09"]),
        ({"annual_plan__range": ("2000万", "5000万")}, ["P01", "P02", "P06"]),
        ({"annual_plan__in": ["300万", "1000万美元"]}, ["P08", "P09"]),
        # money compares within its currency only: 1000万美元 is not ≥ 500万元 in CNY terms
        ({"annual_plan__gte": tp.Money.parse("500万美元")}, ["P08"]),
        ({"government_investment__gte": "1000万"}, ["P01", "P02", "P03", "P06", "P07"]),
        ({"social_investment__gt": "2亿"}, ["P04", "P05", "P10"]),
        ({"total_investment": "1.2亿"}, ["P01"]),
    ],
)
def test_where_on_money(q: Query, lookups: dict[str, object], expected: list[str]) -> None:
    assert codes(q.projects().where(**lookups)) == expected


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        ({"completion_rate": Decimal("0.5")}, ["P01", "P08"]),
        ({"completion_rate__lt": Decimal("0.35")}, ["P03", "P05", "P09"]),
        ({"completion_rate__lte": "0.35"}, ["P02", "P03", "P05", "P09"]),
        ({"completion_rate__range": (Decimal("0.2"), Decimal("0.4"))}, ["P02", "P05", "P06"]),
        ({"completion_rate__isnull": True}, ["P07", "P10"]),
        ({"year_to_date__gte": "2000万"}, ["P01", "P04", "P05", "P06"]),
        ({"cumulative": "1500万"}, ["P10"]),
    ],
)
def test_where_on_measured_fields(
    q: Query, lookups: dict[str, object], expected: list[str]
) -> None:
    assert codes(q.projects().on(ON).where(**lookups)) == expected


def test_named_filters(q: Query) -> None:
    projects = q.projects()
    assert codes(projects.where(zone=NEW_TOWN)) == ["P01", "P02", "P03", "P07", "P09", "P10"]
    by_unit = projects.where(unit__in=["农办", "经信局"])
    assert codes(by_unit) == ["P03", "P04", "P05", "P07", "P08", "P10"]
    assert codes(projects.stage("续建").category("industry")) == ["P04", "P08"]
    assert codes(projects.kind(tp.ProjectKind.RESERVE)) == ["P07"]
    # G02's member units are 农办 and 经信局
    assert codes(projects.where(group="G02")) == ["P03", "P04", "P05", "P07", "P08", "P10"]
    assert codes(projects.where(group__in=["G01", "G02"])) == codes(
        projects.where(responsible_unit__ne=None)
    )


def test_eligible_under_the_default_policy(q: Query) -> None:
    # gov ≥ 1000万 or social ≥ 2亿, in CNY: P09 (500万) fails, P08 is in USD
    eligible = ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P10"]
    assert codes(q.projects().eligible()) == eligible
    rate = tp.ExchangeRate("USD", "CNY", Decimal("6.2"), date(2013, 6, 30))  # 5000万美元 → 3.1亿
    assert codes(q.projects().eligible(rates=[rate])) == sorted([*eligible, "P08"])
    strict = tp.ThresholdPolicy(
        name="严格", government_min=tp.Money.parse("5000万"), social_min=tp.Money.parse("4亿")
    )
    assert codes(q.projects().eligible(strict)) == ["P01", "P03", "P04", "P06"]


def test_eligible_uses_the_policy_in_force_on_the_day(ledger: LedgerStore) -> None:
    ledger.add_policy(tp.ThresholdPolicy.default())
    ledger.add_policy(
        tp.ThresholdPolicy(
            name="2013下半年", government_min=tp.Money.parse("6000万"),
            social_min=tp.Money.parse("2亿"), effective_from=date(2013, 7, 1),
        )
    )  # fmt: skip
    q = Query(ledger)
    assert codes(q.projects().on(date(2013, 6, 30)).eligible().where(zone=NEW_TOWN)) == [
        "P01", "P02", "P03", "P07", "P10",
    ]  # fmt: skip
    assert codes(q.projects().on(date(2013, 7, 31)).eligible().where(zone=NEW_TOWN)) == [
        "P01", "P03", "P10",
    ]  # fmt: skip


def test_behind_plan_and_lights_filters(q: Query) -> None:
    assert codes(q.projects().behind_plan(on=ON)) == ["P02", "P03", "P05", "P06", "P09"]
    assert codes(q.projects().light("red", on=ON)) == ["P03", "P09"]
    assert codes(q.projects().light("绿灯", on=ON)) == ["P01", "P04", "P08"]
    assert codes(q.projects().behind_plan(on=ON).light("red")) == ["P03", "P09"]
    assert codes(q.projects().light("green", on=ON).light("red")) == []


def test_the_api_example(q: Query) -> None:
    found = (
        q.projects()
        .where(category="infrastructure")
        .eligible()
        .behind_plan()
        .order_by("completion_rate")
    )
    # P03 10 %, P02 35 %, P06 40 % (P09 is behind but not eligible)
    assert codes(found) == ["P03", "P02", "P06"]


def test_behind_plan_early_in_the_year(q: Query) -> None:
    # on 2013-03-31 (25 % expected): P01 900/4000 = 22.5 % → 2.5 behind, green;
    # P02 200/2000 = 10 % → 15 behind, amber; P04 6000/20000 = 30 % green; others 0 %.
    behind = codes(q.projects().behind_plan(on=date(2013, 3, 31)))
    assert behind == ["P02", "P03", "P05", "P06", "P08", "P09"]
    assert codes(q.projects().light("red", on=date(2013, 3, 31))) == []


def test_progress_filters(q: Query) -> None:
    progress = q.progress()
    assert [(r.project, str(r.period)) for r in progress.where(period="2012-12")] == [
        ("P10", "2012-12")
    ]
    assert progress.in_year(2013).count() == len(list(progress)) - 1
    assert progress.where(period="2013-Q2").where(project="P06").count() == 3
    assert progress.where(period__lt="2013-Q2", project="P01").count() == 3
    assert progress.where(period__gt="2013-H1").count() == 0
    assert progress.between("2013-05", "2013-06").where(project="P03").count() == 2
    assert progress.where(zone=PORT).where(period="2013-06").count() == 4
    assert progress.category("基础设施").where(period="2013-04").count() == 3
    assert progress.stage("new_start").where(period="2013-06").count() == 2
    assert progress.where(unit="农办").count() == 2
    assert [r.note for r in progress.where(note__contains="湿地")] == ["湿地公园一期水系开挖完成"]
    assert progress.where(completed__gte="2000万").count() == 7
    assert progress.where(completed="500万美元").count() == 1
    june = progress.where(period="2013-06", project="P02").one()
    assert june.completed == tp.Money.parse("200万")
    assert june.corrects is not None


def test_reference_queries(q: Query) -> None:
    assert codes(q.groups()) == ["G01", "G02"]
    assert codes(q.groups().where(unit="经信局")) == ["G02"]
    assert codes(q.groups().kind("领导小组").where(name__contains="道路")) == ["G01"]
    assert q.groups().where(code="G02").one().member_units == ("农办", "经信局")
    assert codes(q.targets().where(year=2013)) == ["GDP", "UNEMP"]
    assert codes(q.targets().where(direction="不高于")) == ["UNEMP"]
    assert codes(q.targets().where(value__gte=Decimal("15"))) == ["ENERGY", "GDP"]
    assert [e.subject for e in q.entries("task_progress")] == ["T04", "T04", "T03", "T01"]
    assert q.entries().kind("task_progress").subject("T04").count() == 2
    assert q.entries().where(effective_on__gte=date(2013, 6, 1)).count() == 3


@pytest.mark.parametrize(
    ("lookup", "value", "named"),
    [
        ("budget", 1, "budget"),
        ("name__like", "x", "name__like"),
        ("annual_plan__contains", "1万", "annual_plan__contains"),
        ("stage__lt", "续建", "stage__lt"),
        ("stage", "半途", "stage"),
        ("annual_plan", 1000, "annual_plan"),
        ("annual_plan", "lots", "annual_plan"),
        ("plan_year", "2013", "plan_year"),
        ("plan_year", True, "plan_year"),
        ("valid_from", "30/06/2013", "valid_from"),
        ("name__in", "P01", "name__in"),
        ("name__range", ("a",), "name__range"),
        ("name__isnull", "yes", "name__isnull"),
        ("completion_rate", 0.5, "completion_rate"),
        ("name", "\ud800", "name"),
    ],
)
def test_bad_lookups_raise_validation_errors(
    q: Query, lookup: str, value: object, named: str
) -> None:
    with pytest.raises(tp.ValidationError) as err:
        q.projects().where(**{lookup: value})
    assert err.value.field == named
    assert err.value.record == "projects"


def test_unknown_field_lists_the_valid_names(q: Query) -> None:
    with pytest.raises(tp.ValidationError, match="expected one of code, name, category") as err:
        q.projects().where(**{"name; DROP TABLE projects": "x"})
    assert "annual_plan" in err.value.expected
    assert "completion_rate" in err.value.expected
    with pytest.raises(tp.ValidationError, match="period"):
        q.progress().where(month="2013-06")
    with pytest.raises(tp.ValidationError):
        q.tasks().order_by("-deadline; --")
    with pytest.raises(tp.ValidationError):
        q.projects().group_by("zone", "weather")


def test_an_unknown_operator_on_a_known_field_is_named_as_an_operator(q: Query) -> None:
    # name__startswith: the field is right, the operator is not one townplan has
    with pytest.raises(tp.ValidationError) as err:
        q.projects().where(name__startswith="中心")
    error = err.value
    assert (error.record, error.field, error.value) == (
        "projects",
        "name__startswith",
        "startswith",
    )
    assert error.expected == (
        "an operator: one of eq, ne, lt, lte, gt, gte, in, range, contains, isnull"
    )
    assert "annual_plan" not in error.expected  # not the list of fields
    assert "以下运算之一：eq, ne" in describe(error)
    with pytest.raises(tp.ValidationError, match="expected one of code, name"):
        q.projects().where(weather__startswith="晴")  # an unknown field: the fields listed


def test_every_stored_field_of_groups_tasks_and_targets_is_queryable() -> None:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_groups([
        tp.LeadingGroup(code="G1", name="城市道路建设工作领导小组", leader="王强",
                        established=date(2012, 3, 1)),
        tp.LeadingGroup(code="G2", name="“三重”建设指挥部", kind=tp.GroupKind.HQ),
    ])  # fmt: skip
    ledger.add_tasks([
        tp.Task(code="T1", group="G1", text="完成道路建设",
                     deadline=tp.Deadline.parse("力争用2-3年时间", year=2013)),
        tp.Task(code="T2", group="G1", text="完成征地",
                     deadline=tp.Deadline.parse("6月底前", year=2013)),
    ])  # fmt: skip
    ledger.add_targets([
        tp.Indicator(code="K1", indicator="生产总值增长", year=2013, unit="%",
                     direction=tp.Direction.AT_LEAST, value=Decimal(15), baseline_year=2012,
                     baseline_value=Decimal("107.7"), baseline_unit="亿元"),
        tp.Indicator(code="R1", indicator="生产总值", year=2012, unit="亿元"),
        tp.Indicator(code="M1", indicator="新建道路", year=2013, unit="公里", task="T1",
                     direction=tp.Direction.AT_LEAST, value=Decimal(32), aspirational=True),
    ])  # fmt: skip
    q = ledger.query()
    assert codes(q.targets().where(baseline_year=2012)) == ["K1"]
    assert codes(q.targets().where(baseline_unit="亿元")) == ["K1"]
    assert codes(q.targets().where(task="T1")) == ["M1"]
    assert codes(q.targets().where(aspirational=True)) == ["M1"]
    assert codes(q.targets().where(direction__isnull=True)) == ["R1"]
    assert codes(q.tasks().where(aspirational=True)) == ["T1"]
    assert codes(q.tasks().where(latest__gt=date(2015, 12, 1))) == ["T1"]
    assert codes(q.tasks().where(deadline_text="6月底前")) == ["T2"]
    assert codes(q.tasks().order_by("-deadline")) == ["T1", "T2"]
    assert codes(q.groups().where(leader="王强")) == ["G1"]
    assert codes(q.groups().where(established__isnull=True)) == ["G2"]
    with pytest.raises(tp.ValidationError, match="expected one of code, name, kind, leader"):
        q.groups().where(deputies="张三")
