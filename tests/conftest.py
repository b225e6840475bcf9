"""Options shared by the whole suite.

The everyday run (``python -m pytest -n auto``, the README's command; pytest-xdist spreads
it over every core) stays under two and a half minutes on two cores:

- ``--runlong`` also runs tests marked ``@pytest.mark.long`` — the ones that take seconds
  each because they start processes: the benchmark script at its small size, two processes
  racing for one file, ten SIGKILLs per crash case instead of two. ``.ci/run`` runs them
  as its second step (``pytest --runlong -m long``).
- ``--runslow`` runs tests marked ``@pytest.mark.slow`` (minutes: large files, large
  generated portfolios) and implies ``--runlong``.
- ``--reliability-full`` runs the reliability suite at full strength (100 crash runs, more
  stateful examples) and implies ``--runslow``.

Hypothesis runs without deadlines everywhere, so a loaded or slow machine never fails a
test by time (the bench measures speed, not the tests). Under CI (``CI`` set) it also runs
derandomized, so a CI run is reproducible; locally every run explores new examples.

The hand-made town (``town_ledger``, ``make_town``) and generated portfolios
(``portfolio``) serve the interop tests of io/ and the rollup tests of the ledger (the
sample town comes from townplan's pytest plugin, fixture ``sample_town``).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal

import attrs
import pytest
from hypothesis import settings

import townplan as tp
from townplan.fixtures import generate_portfolio
from townplan.ledger import LedgerStore

settings.register_profile("local", deadline=None)
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.load_profile("ci" if os.environ.get("CI") else "local")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("townplan")
    group.addoption(
        "--runlong",
        action="store_true",
        default=False,
        help="also run tests marked long (processes, the small benchmark, more SIGKILLs)",
    )
    group.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="also run tests marked slow",
    )
    group.addoption(
        "--spark",
        action="store_true",
        default=False,
        help="also run tests marked spark (they start a local Spark session; need Java 17)",
    )
    group.addoption(
        "--reliability-full",
        action="store_true",
        default=False,
        help="run the reliability suite at full strength (implies --runslow)",
    )


def run_level(config: pytest.Config) -> str:
    """``"full"``, ``"slow"``, ``"long"`` or ``"everyday"``: how much of the suite runs."""
    if config.getoption("--reliability-full"):
        return "full"
    if config.getoption("--runslow"):
        return "slow"
    if config.getoption("--runlong"):
        return "long"
    return "everyday"


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not config.getoption("--spark"):
        no_spark = pytest.mark.skip(reason="spark: run with --spark")
        for item in items:
            if "spark" in item.keywords:
                item.add_marker(no_spark)
    level = run_level(config)
    skip_slow = pytest.mark.skip(reason="slow: run with --runslow")
    skip_long = pytest.mark.skip(reason="long: run with --runlong")
    for item in items:
        if "slow" in item.keywords and level not in ("slow", "full"):
            item.add_marker(skip_slow)
        elif "long" in item.keywords and level == "everyday":
            item.add_marker(skip_long)


# --- towns for the interop and rollup tests ---------------------------------------------

Y = 2013


def wan(text: str | int) -> tp.Money:
    return tp.Money.parse(f"{text}万元")


def build_town(path: str = ":memory:", town: str | None = "示例镇") -> LedgerStore:
    """A small town written by hand: every kind of record, versions, corrections."""
    ledger = LedgerStore.open(path)
    if town:
        ledger.db.execute("INSERT INTO townplan_meta (key, value) VALUES ('town', ?)", [town])
    ledger.add_zones([tp.Zone("水乡新城区", "Water Town New District"), tp.Zone("现代临港产业区")])
    ledger.add_units(["城建办", "经济贸易办公室", "“三重”办"])
    ledger.add_policy(tp.ThresholdPolicy.default(effective_from=date(Y, 1, 1)))
    road = tp.Project(
        code="SZ-001",
        name="东环路",
        category=tp.Category.INFRASTRUCTURE,
        stage=tp.Stage.CONTINUING,
        government_investment=wan(30000),
        annual_plan=wan(8000),
        plan_year=Y,
        zone="水乡新城区",
        village="新基村",
        responsible_unit="城建办",
        leader="副镇长(分管城建)",
        content="东环路三期道路工程",
        start_year=2011,
        end_year=2014,
    )
    park = tp.Project(
        code="SZ-002",
        name="华阳湿地公园",
        category=tp.Category.INFRASTRUCTURE,
        stage=tp.Stage.NEW_START,
        government_investment=wan(5000),
        social_investment=wan(20000),
        annual_plan=wan(6000),
        plan_year=Y,
        zone="水乡新城区",
        responsible_unit="“三重”办",
        content="湿地修复、生态公园及游览设施",
        start_year=Y,
        end_year=2015,
    )
    port = tp.Project(
        code="SZ-003",
        name="汽车滚装码头",
        category=tp.Category.INDUSTRY,
        government_investment=tp.Money.parse("0美元"),
        social_investment=tp.Money.parse("1.27亿美元"),
        annual_plan=tp.Money.parse("3000万美元"),
        plan_year=Y,
        zone="现代临港产业区",
        responsible_unit="经济贸易办公室",
        leader="镇长",
        start_year=Y,
    )
    hospital = tp.Project(
        code="SZ-004", name="新医院", category=tp.Category.LIVELIHOOD, kind=tp.ProjectKind.RESERVE
    )
    ledger.add_projects(
        [road, park, port, hospital], on=date(Y, 1, 1), recorded_at=datetime(Y, 1, 5, 9, 0)
    )
    ledger.update_project(
        attrs.evolve(park, stage=tp.Stage.CONTINUING),
        on=date(Y, 4, 1),
        note="转为续建",
        recorded_at=datetime(Y, 4, 2, 10, 30),
    )
    ledger.update_project(
        attrs.evolve(road, annual_plan=wan(7000)),
        on=date(Y, 1, 1),
        note="调整年度计划",
        recorded_at=datetime(Y, 2, 1),
    )
    ledger.update_project(
        attrs.evolve(park, stage=tp.Stage.NEW_START, leader="镇长"),
        on=date(Y, 2, 1),
        note="补录挂点领导",
        recorded_at=date(Y, 5, 1),
    )
    for month, amounts in ((1, (500, 300, 100)), (2, (700, 400, 120)), (3, (650, 0, 90))):
        reports = [
            tp.ProgressReport(
                project=code,
                period=f"{Y}-{month:02d}",
                completed=money,
                note=f"{month}月形象进度：{code}",
                reported_on=date(Y, month + 1, 3),
            )
            for code, money in (
                ("SZ-001", wan(amounts[0])),
                ("SZ-002", wan(amounts[1])),
                ("SZ-003", tp.Money.parse(f"{amounts[2]}万美元")),
            )
        ]
        ledger.record_progress_many(reports, recorded_at=datetime(Y, month + 1, 5, 8, 0))
    fix = tp.ProgressReport(
        project="SZ-001",
        period=f"{Y}-02",
        completed=wan(650),
        note="更正",
        reported_on=date(Y, 3, 20),
    )
    ledger.correct_progress(fix, recorded_at=datetime(Y, 3, 20), reason="重复统计")
    ledger.correct_progress(attrs.evolve(fix, completed=wan("640.5")), recorded_at=date(Y, 3, 25))
    ledger.add_groups(
        [
            tp.LeadingGroup(
                code="G01",
                name="城市建设指挥部",
                kind=tp.GroupKind.HQ,
                leader="镇长",
                deputies=("常务副镇长",),
                member_units=("城建办", "“三重”办"),
                office_host="城建办",
                established=date(Y, 2, 1),
            )
        ]
    )
    ledger.add_tasks(
        [
            tp.Task(
                code="T01",
                group="G01",
                text="完成东环路三期路面",
                deadline=tp.Deadline.parse("6月底前", year=Y),
                targets=(tp.Measure(Decimal("3.5"), "公里"),),
            )
        ]
    )
    ledger.add_targets(
        [
            tp.AnnualTarget(
                code="K01",
                indicator="生产总值增长",
                year=Y,
                direction=tp.Direction.AT_LEAST,
                value=Decimal("15"),
                unit="%",
            )
        ]
    )
    ledger.add_attractions(
        [
            tp.Attraction(
                code="A1",
                kind="contracted",
                origin="foreign",
                amount=tp.Money.parse("1.27亿美元"),
                year=2012,
            )
        ]
    )
    first = ledger.append_entry(
        "task_progress",
        "T01",
        date(Y, 3, 31),
        {"value": "1.2"},
        note="完成1.2公里",
        recorded_at=datetime(Y, 4, 1),
    )
    ledger.append_entry(
        "task_progress",
        "T01",
        date(Y, 3, 31),
        {"value": "1.4"},
        corrects=first,
        recorded_at=datetime(Y, 4, 3),
    )
    return ledger


@pytest.fixture
def town_ledger() -> Iterator[LedgerStore]:
    """The small hand-made town (示例镇)."""
    with build_town() as ledger:
        yield ledger


@pytest.fixture(scope="session")
def make_town() -> Callable[..., LedgerStore]:
    """``make_town(path=":memory:", town="示例镇")`` builds the hand-made town anew."""
    return build_town


@pytest.fixture(scope="session")
def portfolio() -> Callable[..., None]:
    """``portfolio(store, size, seed=1, town=None, months=12)`` writes a generated portfolio."""
    return write_portfolio


def write_portfolio(
    store: LedgerStore, size: int, *, seed: int = 1, town: str | None = None, months: int = 12
) -> None:
    """A generated portfolio, seeded and reproducible."""
    generate_portfolio(store, size, seed=seed, town=town, months=months)
