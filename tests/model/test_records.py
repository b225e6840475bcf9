"""Records construct, validate, and round-trip exactly through the converter and JSON."""

from __future__ import annotations

import json
import string
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan.convert import structure, unstructure

# --- strategies ---------------------------------------------------------------------------

HANZI = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)
PLACES = ["中心大道", "东环路", "古梅路", "华阳", "新沙港", "麻涌", "大盛", "川槎", "鸥涌"]
codes = st.builds(
    lambda head, tail: head + tail,
    st.sampled_from([*"PGTAXZ", *"0123456789", "中", "湿"]),
    st.text(alphabet="ABCDEFGHJKLMNPQRSTUVWXYZabcdefgh0123456789-_./:中粮玉柴", max_size=20),
)
names = st.one_of(
    st.text(alphabet=HANZI, min_size=1, max_size=24),
    st.builds(
        lambda p, s: p + s, st.sampled_from(PLACES), st.sampled_from(["二期", "项目", "（一期）"])
    ),
)
optional_names = st.none() | names
english = st.text(alphabet=string.ascii_letters + " -'&", max_size=30)
years = st.integers(min_value=1990, max_value=2100)
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))
decimals = st.decimals(
    allow_nan=False, allow_infinity=False, places=2, min_value=-1000, max_value=10**6
)


def money(currency: str = "CNY", negative: bool = False) -> st.SearchStrategy[tp.Money]:
    low = -(10**14) if negative else 0
    return st.integers(min_value=low, max_value=10**14).map(
        lambda f: tp.Money.from_fen(f, currency)
    )


deadlines = st.builds(
    tp.Deadline.parse,
    st.sampled_from(
        ["6月底前", "上半年", "下半年", "年底前", "今年", "年内", "用2-3年时间", "3年"]
    ),
    year=years,
) | st.builds(tp.Deadline.parse, st.sampled_from(["力争2014年上半年", "2015年底前"]))
measures = st.builds(
    tp.Measure,
    value=decimals,
    unit=st.sampled_from(["项", "公里", "个岗位", "%"]),
    direction=st.sampled_from(list(tp.Direction)),
)


@st.composite
def projects(draw: st.DrawFn) -> tp.Project:
    currency = draw(st.sampled_from(["CNY", "USD"]))
    start = draw(st.none() | years)
    return tp.Project(
        code=draw(codes),
        name=draw(names),
        category=draw(st.sampled_from(list(tp.Category))),
        stage=draw(st.sampled_from(list(tp.Stage))),
        kind=draw(st.sampled_from(list(tp.ProjectKind))),
        government_investment=draw(money(currency)),
        social_investment=draw(money(currency)),
        annual_plan=draw(money(currency)),
        plan_year=draw(st.none() | years),
        zone=draw(optional_names),
        village=draw(optional_names),
        responsible_unit=draw(optional_names),
        leader=draw(optional_names),
        content=draw(st.text(alphabet=HANZI, max_size=40)),
        start_year=start,
        end_year=None if start is None else start + draw(st.integers(0, 5)),
        town=draw(optional_names),
    )


RECORDS: dict[str, st.SearchStrategy[Any]] = {
    "project": projects(),
    "zone": st.builds(tp.Zone, name=names, name_en=st.none() | english),
    "unit": st.builds(tp.Unit, name=names, name_en=st.none() | st.just("Planning Office")),
    "measure": measures,
    "group": st.builds(
        tp.LeadingGroup,
        code=codes,
        name=names,
        kind=st.sampled_from(list(tp.GroupKind)),
        leader=optional_names,
        deputies=st.lists(names, max_size=3).map(tuple),
        member_units=st.lists(names, max_size=5).map(tuple),
        office_host=optional_names,
        mandate=st.text(alphabet=HANZI, max_size=30),
        established=st.none() | days,
    ),
    "milestone": st.builds(
        tp.Task,
        code=codes,
        group=codes,
        text=names,
        deadline=deadlines,
        targets=st.lists(measures, max_size=3).map(tuple),
    ),
    "target": st.builds(
        tp.AnnualTarget,
        code=codes,
        indicator=names,
        year=years,
        direction=st.sampled_from(list(tp.Direction)),
        value=decimals,
        unit=st.sampled_from(["%", "万元", "亿元"]),
        indicator_en=st.none() | st.just("GDP growth"),
        base_year=st.none() | years,
    ),
    "attraction": st.builds(
        tp.Attraction,
        code=codes,
        kind=st.sampled_from(["contracted", "utilised"]),
        origin=st.sampled_from(["foreign", "domestic"]),
        amount=money("USD") | money("CNY"),
        year=years,
    ),
    "report": st.builds(
        tp.ProgressReport,
        project=codes,
        period=st.builds(tp.Period.month, years, st.integers(1, 12)),
        completed=money(negative=True),
        cumulative=st.none() | money(),
        note=st.text(alphabet=HANZI, max_size=30),
        reported_on=st.none() | days,
        corrects=st.none() | st.integers(1, 10**6),
        id=st.none() | st.integers(1, 10**6),
    ),
    "policy": st.builds(
        tp.ThresholdPolicy,
        name=names,
        government_min=money(),
        social_min=money(),
        level=st.sampled_from(list(tp.Level)),
        effective_from=days,
    ),
}


# --- round trips --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", sorted(RECORDS))
@given(data=st.data())
def test_round_trip_through_the_converter_and_json(kind: str, data: st.DataObject) -> None:
    record = data.draw(RECORDS[kind])
    doc = unstructure(record)
    assert structure(doc, type(record)) == record
    text = json.dumps(doc, ensure_ascii=False)
    again = structure(json.loads(text), type(record))
    assert again == record
    assert unstructure(again) == doc


def test_documents_use_plain_values() -> None:
    project = tp.Project(
        code="P001",
        name="中心大道二期",
        category=tp.Category.INFRASTRUCTURE,
        stage=tp.Stage.CONTINUING,
        government_investment=tp.Money.parse("1.2亿"),
    )
    doc = json.loads(json.dumps(unstructure(project), ensure_ascii=False))
    assert doc["government_investment"] == {"amount": "120000000", "currency": "CNY"}
    assert doc["total_investment"] == {"amount": "120000000", "currency": "CNY"}
    assert doc["stage"] == "continuing"
    assert doc["name"] == "中心大道二期"
    report = tp.ProgressReport(project="P001", period="2013-06", completed=tp.Money.parse("300万"))
    assert unstructure(report)["period"] == "2013-06"


def test_documents_are_plain_builtins() -> None:
    yaml = pytest.importorskip("yaml")
    project = tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE)
    doc = unstructure(project)
    assert type(doc["category"]) is str
    assert "infrastructure" in yaml.safe_dump(doc)


def test_structure_reads_official_text_and_chinese_labels() -> None:
    doc = {
        "code": "P001",
        "name": "华阳湿地生态公园",
        "category": "民生",
        "stage": "新开工",
        "government_investment": "1500万元",
        "social_investment": "2亿",
    }
    project = structure(doc, tp.Project)
    assert project.category is tp.Category.LIVELIHOOD
    assert project.stage is tp.Stage.NEW_START
    assert project.total_investment == tp.Money.parse("2.15亿")
    report = structure(
        {"project": "P001", "period": "2013年6月", "completed": "300万元"}, tp.ProgressReport
    )
    assert report.period == tp.Period.month(2013, 6)


# --- construction and validation ----------------------------------------------------------


def test_project_totals_default_to_government_plus_social() -> None:
    project = tp.Project(
        code="P001",
        name="中粮产业园",
        category=tp.Category.INDUSTRY,
        government_investment=tp.Money.parse("1000万"),
        social_investment=tp.Money.parse("2亿"),
    )
    assert project.total_investment == tp.Money.parse("2.1亿")
    assert project.annual_plan == tp.Money.zero()
    assert project.currency == "CNY"
    assert project.stage is tp.Stage.PREPARATION


def test_project_amounts_share_one_currency() -> None:
    with pytest.raises(tp.ValidationError) as info:
        tp.Project(
            code="P1",
            name="五矿钢铁物流",
            category=tp.Category.INDUSTRY,
            government_investment=tp.Money.parse("1000万"),
            social_investment=tp.Money.parse("1亿美元"),
        )
    assert info.value.field == "social_investment"
    assert "USD" in str(info.value)


def test_usd_project_plan_defaults_to_usd() -> None:
    project = tp.Project(
        code="F1",
        name="外资项目",
        category=tp.Category.INDUSTRY,
        government_investment=tp.Money.zero("USD"),
        social_investment=tp.Money.parse("5000万美元"),
    )
    assert project.annual_plan == tp.Money.zero("USD")
    assert project.total_investment == tp.Money.parse("5000万美元")


def test_progress_report_accepts_period_text_and_negative_corrections() -> None:
    report = tp.ProgressReport(
        project="P001", period="2013年6月", completed=tp.Money.parse("-50万")
    )
    assert report.period == tp.Period.parse("2013-06")
    assert report.completed.is_negative()


def test_measures_and_targets_are_met_in_their_direction() -> None:
    jobs = tp.Measure(Decimal(1000), "个岗位")
    assert jobs.met_by(Decimal(1000))
    assert not jobs.met_by(Decimal(999))
    unemployment = tp.AnnualTarget(
        code="UNEMP",
        indicator="城镇登记失业率",
        year=2013,
        direction=tp.Direction.AT_MOST,
        value=Decimal(3),
        unit="%",
    )
    assert unemployment.met_by(Decimal("2.9"))
    assert unemployment.met_by(Decimal(3))
    assert not unemployment.met_by(Decimal("3.01"))


def test_task_is_milestone() -> None:
    assert tp.Task is tp.Task


def test_records_are_frozen() -> None:
    zone = tp.Zone("水乡新城区")
    with pytest.raises(AttributeError):
        zone.name = "x"  # type: ignore[misc]
