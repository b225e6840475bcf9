"""Ledgers for the governance tests: a tiny hand-made town, and the sample town loaded
through townplan.fixtures without its governance events (the tests load those)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.fixtures.sample import load_sample_base
from townplan.ledger import LedgerStore

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"
D = date


def sample_names() -> dict[str, str]:
    """Unit and leader codes of town.json → their names."""
    town = json.loads((SAMPLE / "town.json").read_text(encoding="utf-8"))
    return {x["code"]: x["name"] for x in town["units"] + town["leaders"]}


def governance_doc() -> dict[str, Any]:
    """The sample town's governance.json."""
    doc: dict[str, Any] = json.loads((SAMPLE / "governance.json").read_text(encoding="utf-8"))
    return doc


@pytest.fixture(scope="session")
def town_json() -> dict[str, Any]:
    """The sample town's town.json."""
    doc: dict[str, Any] = json.loads((SAMPLE / "town.json").read_text(encoding="utf-8"))
    return doc


@pytest.fixture(scope="session")
def governance_json() -> dict[str, Any]:
    """The sample town's governance.json (copy it before changing it)."""
    return governance_doc()


@pytest.fixture(scope="session")
def unit_names() -> dict[str, str]:
    """Unit and leader codes of the sample town → names."""
    return sample_names()


@pytest.fixture(scope="module")
def sample_base() -> Iterator[LedgerStore]:
    """The sample town without governance.json (read it, do not write to it)."""
    store = LedgerStore.open(":memory:")
    load_sample_base(store)
    yield store
    store.close()


@pytest.fixture(scope="module")
def sample() -> Iterator[LedgerStore]:
    """The sample town with its governance history (read it, do not write to it)."""
    from townplan.governance import load_governance

    store = LedgerStore.open(":memory:")
    load_sample_base(store)
    load_governance(store, governance_doc(), names=sample_names())
    yield store
    store.close()


@pytest.fixture
def town() -> Iterator[LedgerStore]:
    """A tiny town: two units, three projects, one leading group with three tasks.

    城建办 runs R1 中心大道 (infrastructure, construction, 1.2亿 gov, plan 4000万) and
    R2 新医院 (livelihood, construction, 3000万 gov, plan 1000万); 农业办 runs
    R3 世界农场 (industry, reserve, 6亿 social, no plan). G1 was established 2013-02-01.
    """
    store = LedgerStore.open(":memory:")
    start = D(2013, 1, 1)
    store.add_units(["城建办", "农业办", "国土分局"], recorded_at=start)
    store.add_projects(
        [
            tp.Project(
                code="R1", name="中心大道", category=tp.Category.INFRASTRUCTURE,
                stage=tp.Stage.CONTINUING, responsible_unit="城建办",
                government_investment=tp.Money.parse("1.2亿"),
                annual_plan=tp.Money.parse("4000万"), plan_year=2013,
            ),
            tp.Project(
                code="R2", name="新医院", category=tp.Category.LIVELIHOOD,
                stage=tp.Stage.NEW_START, responsible_unit="城建办",
                government_investment=tp.Money.parse("3000万"),
                annual_plan=tp.Money.parse("1000万"), plan_year=2013,
            ),
            tp.Project(
                code="R3", name="世界农场", category=tp.Category.INDUSTRY,
                kind=tp.ProjectKind.RESERVE, responsible_unit="农业办",
                social_investment=tp.Money.parse("6亿"),
            ),
        ],
        on=start, recorded_at=start,
    )  # fmt: skip
    store.add_groups(
        [
            tp.LeadingGroup(
                code="G1", name="城市道路建设工作领导小组", leader="副镇长",
                member_units=("城建办", "国土分局"), office_host="城建办",
                established=D(2013, 2, 1),
            )
        ],
        recorded_at=D(2013, 2, 1),
    )  # fmt: skip
    store.add_tasks(
        [
            tp.Task(
                code="T1",
                group="G1",
                text="完成征地",
                deadline=tp.Deadline.parse("6月底前", year=2013),
            ),
            tp.Task(
                code="T2",
                group="G1",
                text="路面贯通",
                deadline=tp.Deadline.parse("下半年", year=2013),
                targets=(tp.Measure(Decimal(11), "项"),),
            ),
            tp.Task(
                code="T3", group="G1", text="试点", deadline=tp.Deadline.parse("7月底前", year=2013)
            ),
        ],
        recorded_at=D(2013, 2, 1),
    )
    yield store
    store.close()
