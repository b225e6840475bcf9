"""A small hand-made portfolio whose figures the query tests compute by hand.

Ten projects in two zones, measured on 2013-06-30 (month 6: the schedule expects 50 %).
Year-to-date completed / 2013 plan, in 万元 unless noted:

    code zone     category  kind        plan    ytd   rate  behind  light
    P01  新城区   infra     construct   4000   2000   50 %     0    green
    P02  新城区   infra     construct   2000    700   35 %    15    amber  (a)
    P03  新城区   infra     construct  10000   1000   10 %    40    red
    P04  临港区   industry  construct  20000  12000   60 %   -10    green
    P05  临港区   industry  construct  10000   2000   20 %    30    amber  (boundary: 30 is amber)
    P06  临港区   infra     construct   5000   2000   40 %    10    amber  (boundary: 10 is amber)
    P07  新城区   livelihood reserve       0      0     -      -    none   (reserve)
    P08  临港区   industry  construct   1000万美元 500万美元 50 % 0  green  (USD)
    P09  新城区   infra     construct    300      0    0 %    50    red    (not eligible)
    P10  新城区   industry  construct  plan for 2012; 500 in 2013, 1000 in 2012-12: no light

(a) P02's June report (400) is corrected to 200 on 2013-07-10; before that P02 had
900 (45 %, 5 behind, green).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import Query

NEW_TOWN = "水乡新城区"
PORT = "现代临港产业区"
INFRA, INDUSTRY, LIVELIHOOD = (
    tp.Category.INFRASTRUCTURE,
    tp.Category.INDUSTRY,
    tp.Category.LIVELIHOOD,
)
ON = date(2013, 6, 30)


def wan(amount: str, currency: str = "CNY") -> tp.Money:
    """``amount`` 万 in ``currency``."""
    return tp.Money.parse(f"{amount}万", currency=currency)


def _project(
    code: str, name: str, category: tp.Category, zone: str, unit: str, **kw: object
) -> tp.Project:
    return tp.Project(
        code=code, name=name, category=category, zone=zone, responsible_unit=unit,
        plan_year=kw.pop("plan_year", 2013), stage=kw.pop("stage", tp.Stage.CONTINUING),
        **kw,  # type: ignore[arg-type]
    )  # fmt: skip


PROJECTS = [
    _project("P01", "中心大道二期", INFRA, NEW_TOWN, "城建办", content="双向六车道",
             government_investment=wan("12000"), annual_plan=wan("4000"), leader="李明"),
    _project("P02", "东环路改造", INFRA, NEW_TOWN, "城建办",
             government_investment=wan("3000"), annual_plan=wan("2000"), stage=tp.Stage.NEW_START),
    _project("P03", "华阳湿地生态公园", INFRA, NEW_TOWN, "农办", content="生态修复与水系整治",
             government_investment=wan("8000"), annual_plan=wan("10000"), village="华阳"),
    _project("P04", "中粮产业园", INDUSTRY, PORT, "经信局",
             social_investment=wan("50000"), annual_plan=wan("20000")),
    _project("P05", "玉柴产业园", INDUSTRY, PORT, "经信局",
             social_investment=wan("30000"), annual_plan=wan("10000"), stage=tp.Stage.NEW_START),
    _project("P06", "汽车滚装码头", INFRA, PORT, "城建办",
             government_investment=wan("5000"), annual_plan=wan("5000")),
    _project("P07", "新医院", LIVELIHOOD, NEW_TOWN, "农办", kind=tp.ProjectKind.RESERVE,
             government_investment=wan("2000"), stage=tp.Stage.PREPARATION),
    _project("P08", "新沙港二期LNG码头", INDUSTRY, PORT, "经信局",
             government_investment=wan("0", "USD"), social_investment=wan("5000", "USD"),
             annual_plan=wan("1000", "USD")),
    _project("P09", "村道硬底化", INFRA, NEW_TOWN, "城建办",
             government_investment=wan("500"), annual_plan=wan("300")),
    _project("P10", "智慧城市科技园", INDUSTRY, NEW_TOWN, "经信局", plan_year=2012,
             social_investment=wan("25000"), annual_plan=wan("10000"), stage=tp.Stage.COMPLETED),
]  # fmt: skip

# (project, month, 万) — every amount CNY except P08's, which is USD.
MONTHLY = [
    *[("P01", m, a) for m, a in zip(range(1, 7), (300, 300, 300, 400, 300, 400), strict=True)],
    ("P02", 3, 200), ("P02", 4, 200), ("P02", 5, 100), ("P02", 6, 400),
    ("P03", 5, 500), ("P03", 6, 500),
    *[("P04", m, 2000) for m in range(1, 7)],
    ("P05", 6, 2000),
    ("P06", 4, 1000), ("P06", 5, 500), ("P06", 6, 500),
    ("P08", 6, 500),
    ("P10", 6, 500),
]  # fmt: skip
NOTES = {("P03", 6): "湿地公园一期水系开挖完成", ("P01", 6): "主体路基完成"}
CORRECTED_ON = datetime(2013, 7, 10, 9, 30)

GROUPS = [
    tp.LeadingGroup(code="G01", name="城市道路建设工作领导小组", member_units=("城建办",),
                    established=date(2013, 1, 15)),
    tp.LeadingGroup(code="G02", name="耕地统筹及农业招商引资工作领导小组",
                    member_units=("农办", "经信局"), established=date(2013, 3, 1)),
]  # fmt: skip
TASKS = [
    tp.Task(code="T01", group="G02", text="完成全镇耕地统筹工作",
                 deadline=tp.Deadline.parse("6月底前", year=2013)),
    tp.Task(code="T02", group="G01", text="完成中心大道二期主体工程",
                 deadline=tp.Deadline.parse("年底前", year=2013)),
    tp.Task(code="T03", group="G01", text="东环路改造动工",
                 deadline=tp.Deadline.parse("上半年", year=2013)),
    tp.Task(code="T04", group="G02", text="村民车间新增就业岗位1000个",
                 deadline=tp.Deadline.parse("今年", year=2013)),
    tp.Task(code="T05", group="G01", text="湿地公园水系整治",
                 deadline=tp.Deadline.parse("5月底前", year=2013)),
]  # fmt: skip


def build(ledger: LedgerStore) -> LedgerStore:
    """Fill ``ledger`` with the portfolio above."""
    ledger.add_zones([NEW_TOWN, PORT])
    ledger.add_units(["城建办", "经信局", "农办"])
    ledger.add_projects(PROJECTS, on=date(2013, 1, 1), recorded_at=date(2013, 1, 1))
    ledger.record_progress(
        tp.ProgressReport(project="P10", period="2012-12", completed=wan("1000"),
                          reported_on=date(2013, 1, 3)),
        recorded_at=date(2013, 1, 3),
    )  # fmt: skip
    for month in range(1, 7):
        day = date(2013, month + 1, 3)
        reports = [
            tp.ProgressReport(
                project=code, period=f"2013-{month:02d}", reported_on=day,
                completed=wan(str(amount), "USD" if code == "P08" else "CNY"),
                note=NOTES.get((code, month), ""),
            )
            for code, m, amount in MONTHLY
            if m == month
        ]  # fmt: skip
        ledger.record_progress_many(reports, recorded_at=day)
    ledger.correct_progress(
        tp.ProgressReport(project="P02", period="2013-06", completed=wan("200"),
                          reported_on=CORRECTED_ON.date()),
        recorded_at=CORRECTED_ON, reason="重复计入",
    )  # fmt: skip
    ledger.add_groups(GROUPS)
    ledger.add_tasks(TASKS)
    done = {"done": True, "value": "完成"}
    ledger.append_entry(
        "task_progress", "T01", date(2013, 7, 20), done, recorded_at=date(2013, 7, 20)
    )
    ledger.append_entry(
        "task_progress", "T03", date(2013, 6, 15), done, recorded_at=date(2013, 6, 15)
    )
    ledger.append_entry(
        "task_progress", "T04", date(2013, 5, 1), done, recorded_at=date(2013, 5, 1)
    )
    ledger.append_entry("task_progress", "T04", date(2013, 6, 1), {"done": False, "value": "返工"},
                        recorded_at=date(2013, 6, 1))  # fmt: skip
    ledger.add_targets([
        tp.AnnualTarget(code="GDP", indicator="地区生产总值增长", year=2013,
                        direction=tp.Direction.AT_LEAST, value=Decimal("15"), unit="%"),
        tp.AnnualTarget(code="UNEMP", indicator="城镇登记失业率", year=2013,
                        direction=tp.Direction.AT_MOST, value=Decimal("3"), unit="%"),
        tp.AnnualTarget(code="ENERGY", indicator="单位GDP能耗下降", year=2015, base_year=2011,
                        direction=tp.Direction.AT_LEAST, value=Decimal("31"), unit="%"),
    ])  # fmt: skip
    return ledger


@pytest.fixture(scope="session")
def _template() -> Iterator[LedgerStore]:
    with LedgerStore.open(":memory:") as store:
        yield build(store)


@pytest.fixture
def ledger(_template: LedgerStore) -> Iterator[LedgerStore]:
    """A fresh copy of the portfolio, in memory, for one test to change as it likes."""
    with LedgerStore.open(":memory:") as store:
        _template.db.conn.backup(store.db.conn)
        yield store


@pytest.fixture
def q(ledger: LedgerStore) -> Query:
    return Query(ledger)


@pytest.fixture(scope="session")
def build_portfolio() -> Callable[[LedgerStore], LedgerStore]:
    """The builder, to fill a ledger of the test's own (e.g. a file on disk)."""
    return build
