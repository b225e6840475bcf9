"""Ledgers for the governance tests: a tiny hand-made town, and the sample town loaded
from fixtures/sample_town (only what governance needs: units, zones, projects, policy,
groups and tasks, targets, attraction, progress and corrections)."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.ledger import LedgerStore

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"
D = date


def _money(text: str) -> tp.Money:
    return tp.Money.parse(text or "0", unit="万元")


def _measure(t: dict[str, str]) -> tp.Measure:
    return tp.Measure(Decimal(t["value"]), t["unit"], tp.Direction.parse(t["direction"]))


def sample_names() -> dict[str, str]:
    """Unit and leader codes of town.json → their names."""
    town = json.loads((SAMPLE / "town.json").read_text(encoding="utf-8"))
    return {x["code"]: x["name"] for x in town["units"] + town["leaders"]}


def load_sample_base(store: LedgerStore) -> None:
    """Everything of the sample town except governance.json, recorded when it happened."""
    town = json.loads((SAMPLE / "town.json").read_text(encoding="utf-8"))
    names = sample_names()
    start = D(2013, 1, 1)
    store.add_units(u["name"] for u in town["units"])
    store.add_zones(z["name"] for z in town["zones"])
    p = town["policy"]
    store.add_policy(
        tp.ThresholdPolicy(
            name=p["name"], government_min=tp.Money.parse(p["government_min"]),
            social_min=tp.Money.parse(p["social_min"]), level=p["level"],
            effective_from=date.fromisoformat(p["effective_from"]),
        )
    )  # fmt: skip
    with (SAMPLE / "projects.csv").open(encoding="utf-8", newline="") as f:
        projects = [
            tp.Project(
                code=r["项目编号"], name=r["项目名称"], content=r["建设内容"],
                category=tp.Category.parse(r["项目类别"]), stage=tp.Stage.parse(r["建设阶段"]),
                kind=tp.ProjectKind.parse(r["项目性质"]), zone=r["所属板块"] or None,
                village=r["所属村(社区)"] or None, responsible_unit=r["责任单位"],
                leader=r["挂点领导"], government_investment=_money(r["政府投资（万元）"]),
                social_investment=_money(r["社会投资（万元）"]),
                annual_plan=_money(r["年度计划投资（万元）"]), plan_year=2013,
                start_year=int(r["开工年份"]), end_year=int(r["竣工年份"]),
            )
            for r in csv.DictReader(f)
        ]  # fmt: skip
    store.add_projects(projects, valid_from=start, recorded_at=start)
    groups, tasks = [], []
    for g in town["groups"]:
        groups.append(
            tp.LeadingGroup(
                code=g["code"], name=g["name"], kind=tp.GroupKind.parse(g["kind"]),
                leader=names[g["leader"]], deputies=tuple(names[x] for x in g["deputies"]),
                member_units=tuple(names[x] for x in g["member_units"]),
                office_host=names[g["office_host"]], mandate=g["mandate"],
                established=date.fromisoformat(g["established"]),
            )
        )  # fmt: skip
        for t in g["tasks"]:
            measures = [_measure(t["target"])] if t.get("target") else []
            measures += [_measure(x) for x in t.get("extra_targets", [])]
            tasks.append(
                tp.Task(
                    code=t["code"], group=g["code"], text=t["text"],
                    deadline=tp.Deadline.parse(t["deadline"], year=2013), targets=tuple(measures),
                )
            )  # fmt: skip
    store.add_groups(groups)
    store.add_milestones(tasks)
    store.add_targets(
        tp.AnnualTarget(
            code=t["code"], indicator=t["indicator"], indicator_en=t.get("indicator_en"),
            year=t["year"], direction=tp.Direction.parse(t["direction"]),
            value=Decimal(t["value"]), unit=t["unit"], base_year=t.get("base_year"),
        )
        for t in town["targets"] + town["multi_year_targets"]
    )  # fmt: skip
    store.add_attractions(
        tp.Attraction(
            code=a["code"], kind=a["kind"], origin=a["origin"],
            amount=tp.Money.parse(a["amount"]), year=a["year"],
        )
        for a in town["attraction"]
    )  # fmt: skip
    with (SAMPLE / "progress.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            day = date.fromisoformat(r["报送日期"])
            store.record_progress(
                tp.ProgressReport(
                    project=r["项目编号"],
                    period=r["月份"],
                    completed=_money(r["本月完成（万元）"]),
                    cumulative=_money(r["累计完成（万元）"]),
                    note=r["形象进度"],
                    reported_on=day,
                ),
                recorded_at=day,
            )
    with (SAMPLE / "corrections.csv").open(encoding="utf-8", newline="") as f:
        for r in csv.DictReader(f):
            day = date.fromisoformat(r["更正日期"])
            store.correct_progress(
                tp.ProgressReport(
                    project=r["项目编号"],
                    period=r["月份"],
                    completed=_money(r["本月完成（万元）"]),
                    cumulative=_money(r["累计完成（万元）"]),
                    note=r["形象进度"],
                    reported_on=day,
                ),
                recorded_at=day,
                reason=r["原因"],
            )


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
    store.add_units(["城建办", "农业办", "国土分局"])
    start = D(2013, 1, 1)
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
        valid_from=start, recorded_at=start,
    )  # fmt: skip
    store.add_groups(
        [
            tp.LeadingGroup(
                code="G1", name="城市道路建设工作领导小组", leader="副镇长",
                member_units=("城建办", "国土分局"), office_host="城建办",
                established=D(2013, 2, 1),
            )
        ]
    )  # fmt: skip
    store.add_milestones(
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
        ]
    )
    yield store
    store.close()
