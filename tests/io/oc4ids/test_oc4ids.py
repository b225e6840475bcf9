"""The ledger as an OC4IDS project package: every project valid under the project schema."""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Callable
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import townplan as tp
from townplan.io.oc4ids import validate as oc4ids_validate
from townplan.io.oc4ids.package import (
    ROLES,
    SECTOR_BY_CATEGORY,
    SECTOR_KEYWORDS,
    STATUS_BY_STAGE,
    TYPE_BY_CATEGORY,
    to_oc4ids,
    validate_oc4ids,
)
from townplan.ledger import LedgerStore

SHIPPED = resources.files("townplan.io.oc4ids").joinpath("schema")
REFERENCE = Path("/work/shared/reference/oc4ids")
PUBLISHED = datetime(2013, 7, 1, 9, 0)


def shipped(name: str) -> Any:
    return json.loads(SHIPPED.joinpath(name).read_text("utf-8"))


def codelist(name: str) -> set[str]:
    with SHIPPED.joinpath("codelists", name).open(encoding="utf-8") as f:
        return {row["Code"] for row in csv.DictReader(f)}


def _rfc3339(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return False
    return "T" in value and moment.tzinfo is not None


# Written here, apart from townplan's validate_oc4ids: the project schema as it declares
# itself (Draft 4, local "#/definitions" references), with formats checked.
FORMATS = jsonschema.FormatChecker()
FORMATS.checks("date-time")(_rfc3339)
PROJECT_SCHEMA = jsonschema.Draft4Validator(shipped("project-schema.json"), format_checker=FORMATS)


def schema_errors(package: dict[str, Any]) -> list[str]:
    return [
        f"{project.get('id')}: {'/'.join(map(str, e.absolute_path))}: {e.message}"
        for project in package["projects"]
        for e in PROJECT_SCHEMA.iter_errors(project)
    ]


def by_code(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["identifiers"][0]["id"]: p for p in package["projects"]}


def test_every_project_of_the_town_is_valid(town_ledger: LedgerStore) -> None:
    package = to_oc4ids(town_ledger, published=PUBLISHED)
    assert len(package["projects"]) == 4
    assert schema_errors(package) == []
    assert validate_oc4ids(package) == []
    assert json.loads(json.dumps(package)) == package


def test_the_envelope(town_ledger: LedgerStore) -> None:
    package = to_oc4ids(town_ledger, published=PUBLISHED, uri="https://example.org/2013-07.json")
    assert package["version"] == "0.9"
    assert package["uri"] == "https://example.org/2013-07.json"
    assert package["publishedDate"] == "2013-07-01T09:00:00+08:00"
    assert package["publisher"] == {"name": "示例镇"}
    default = to_oc4ids(town_ledger, published=PUBLISHED, publisher="示例镇“三重”办")
    assert default["uri"].startswith("urn:townplan:") and default["uri"].isascii()
    assert default["publisher"] == {"name": "示例镇“三重”办"}


def test_a_project_in_full(town_ledger: LedgerStore) -> None:
    road = by_code(to_oc4ids(town_ledger, published=PUBLISHED))["SZ-001"]
    assert road["id"] == "oc4ids-townplan-示例镇-SZ-001"
    assert (road["title"], road["description"]) == ("东环路", "东环路三期道路工程")
    assert (road["status"], road["type"]) == ("implementation", "construction")
    assert road["sector"] == ["transport", "transport.road"]
    assert road["budget"]["amount"] == {"amount": 300_000_000, "currency": "CNY"}
    split = road["budget"]["budgetBreakdowns"][0]["budgetBreakdown"]
    assert [(b["id"], b["amount"]["amount"]) for b in split] == [
        ("government", 300_000_000),
        ("social", 0),
    ]
    assert road["period"] == {
        "startDate": "2011-01-01T00:00:00+08:00",
        "endDate": "2014-12-31T23:59:59+08:00",
    }
    assert road["locations"] == [
        {"id": "1", "description": "水乡新城区，新基村", "address": {"locality": "示例镇"}}
    ]
    assert road["publicAuthority"] == {"id": "unit:城建办", "name": "城建办"}
    assert [(p["name"], p["roles"]) for p in road["parties"]] == [
        ("城建办", ["publicAuthority"]),
        ("副镇长(分管城建)", ["reviewBody"]),
    ]
    assert road["updated"] == "2013-02-01T00:00:00+08:00"  # version 2 (the new annual plan)


def test_reporting_milestones_of_the_town(town_ledger: LedgerStore) -> None:
    projects = by_code(to_oc4ids(town_ledger, published=PUBLISHED))
    road = projects["SZ-001"]["milestones"]
    # Reports for January to March arrived on the 3rd of the next month, due by the 5th.
    assert [(m["id"], m["dueDate"], m.get("dateMet"), m["status"]) for m in road] == [
        ("report-2013-01", "2013-02-05T23:59:59+08:00", "2013-02-03T00:00:00+08:00", "met"),
        ("report-2013-02", "2013-03-05T23:59:59+08:00", "2013-03-03T00:00:00+08:00", "met"),
        ("report-2013-03", "2013-04-05T23:59:59+08:00", "2013-04-03T00:00:00+08:00", "met"),
    ]
    assert "milestones" not in projects["SZ-004"]  # a reserve project that never reported


def test_missing_and_pending_reports() -> None:
    ledger = LedgerStore.open(":memory:")
    ledger.add_project(
        tp.Project(code="P1", name="南洲路", category=tp.Category.INFRASTRUCTURE, plan_year=2013),
        on=date(2013, 1, 1),
        recorded_at=date(2013, 1, 5),
    )
    for month, arrived in ((1, date(2013, 2, 4)), (3, date(2013, 4, 12))):
        report = tp.ProgressReport(
            project="P1",
            period=f"2013-{month:02d}",
            completed=tp.Money.parse("10万"),
            reported_on=arrived,
        )
        ledger.record_progress(report, recorded_at=arrived)
    status = {
        m["id"]: (m["status"], m.get("dateMet"))
        for m in to_oc4ids(ledger, published=datetime(2013, 4, 20))["projects"][0]["milestones"]
    }
    assert status == {
        "report-2013-01": ("met", "2013-02-04T00:00:00+08:00"),
        "report-2013-02": ("notMet", None),
        "report-2013-03": ("met", "2013-04-12T00:00:00+08:00"),  # late, but met
    }
    early = to_oc4ids(ledger.as_of(date(2013, 3, 1)), published=datetime(2013, 3, 1))
    assert [(m["id"], m["status"]) for m in early["projects"][0]["milestones"]] == [
        ("report-2013-01", "met")
    ]
    before_due = to_oc4ids(ledger, published=datetime(2013, 3, 4))["projects"][0]["milestones"]
    assert before_due[1] == {**before_due[1], "id": "report-2013-02", "status": "scheduled"}


def test_financial_and_physical_progress(town_ledger: LedgerStore) -> None:
    road = by_code(to_oc4ids(town_ledger, published=PUBLISHED))["SZ-001"]
    assert road["forecasts"][0]["observations"][0]["value"] == {
        "amount": 70_000_000,
        "currency": "CNY",
    }
    financial, physical = road["metrics"]
    assert financial["id"] == "financialProgress" and physical["id"] == "physicalProgress"
    # February was corrected twice: 700万 → 650万 → 640.5万.
    months = {o["id"]: o["value"]["amount"] for o in financial["observations"]}
    assert months == {
        "2013-01": 5_000_000,
        "2013-02": 6_405_000,
        "2013-03": 6_500_000,
        "2013-to-date": 17_905_000,
    }
    assert financial["observations"][-1]["notes"].endswith("完成率25.6%")  # 1790.5 / 7000
    assert physical["observations"] == [
        {
            "id": "2013-03",
            "period": {
                "startDate": "2013-03-01T00:00:00+08:00",
                "endDate": "2013-03-31T23:59:59+08:00",
            },
            "measure": "3月形象进度：SZ-001",
        }
    ]
    earlier = by_code(to_oc4ids(town_ledger.as_of(date(2013, 3, 22)), published=PUBLISHED))
    february = earlier["SZ-001"]["metrics"][0]["observations"][1]
    assert february["value"]["amount"] == 6_500_000  # only the first correction was known


def test_amounts_are_numbers_summed_exactly() -> None:
    ledger = LedgerStore.open(":memory:")
    project = tp.Project(
        code="P1",
        name="敬老院",
        category=tp.Category.LIVELIHOOD,
        government_investment=tp.Money.parse("12.34"),
        plan_year=2013,
    )
    ledger.add_project(project, on=date(2013, 1, 1))
    for month, amount in ((1, "0.10"), (2, "0.20")):
        report = tp.ProgressReport(
            project="P1",
            period=f"2013-{month:02d}",
            completed=tp.Money.parse(amount),
            reported_on=date(2013, month + 1, 1),
        )
        ledger.record_progress(report)
    package = to_oc4ids(ledger, published=PUBLISHED)
    (only,) = package["projects"]
    assert only["budget"]["amount"]["amount"] == 12.34
    assert (
        only["metrics"][0]["observations"][-1]["value"]["amount"] == 0.3
    )  # not 0.30000000000000004
    assert only["sector"] == ["health"]
    assert validate_oc4ids(package) == []


def test_mapping_tables_use_the_codelists() -> None:
    assert set(STATUS_BY_STAGE) == set(tp.Stage)
    assert set(STATUS_BY_STAGE.values()) <= codelist("projectStatus.csv")
    assert set(TYPE_BY_CATEGORY) == set(tp.Category)
    assert set(TYPE_BY_CATEGORY.values()) <= codelist("projectType.csv")
    sectors = codelist("projectSector.csv")
    assert set(SECTOR_BY_CATEGORY) == set(tp.Category)
    for chosen in [*SECTOR_BY_CATEGORY.values(), *(s for _, s in SECTOR_KEYWORDS)]:
        assert set(chosen) <= sectors
        assert all(code.split(".")[0] in chosen for code in chosen)  # parent code included
    assert {r for roles in ROLES.values() for r in roles} <= codelist("partyRole.csv")


def test_a_mapping_can_be_replaced(town_ledger: LedgerStore) -> None:
    mine = {**SECTOR_BY_CATEGORY, tp.Category.INDUSTRY: ("transport", "transport.water")}
    port = by_code(to_oc4ids(town_ledger, published=PUBLISHED, sector_by_category=mine))
    assert port["SZ-003"]["sector"] == ["transport", "transport.water"]
    assert by_code(to_oc4ids(town_ledger, published=PUBLISHED))["SZ-003"]["sector"] == ["economy"]


def test_validation_names_each_problem(town_ledger: LedgerStore) -> None:
    package = to_oc4ids(town_ledger, published=PUBLISHED)
    package["projects"][1]["budget"]["amount"]["amount"] = "2500万元"
    package["projects"][2]["id"] = package["projects"][0]["id"]
    package["projects"][3]["updated"] = "2013-01-05 09:00"
    package["publishedDate"] = "yesterday"
    problems = validate_oc4ids(package)
    assert [p.split(":")[0] for p in problems] == [
        "projects[1].budget.amount.amount",
        "projects[2].id",
        "projects[3].updated",
        "publishedDate",
    ]


def test_validation_without_jsonschema_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    oc4ids_validate._validator.cache_clear()
    monkeypatch.setitem(sys.modules, "jsonschema", None)
    try:
        with pytest.raises(ImportError, match=r"townplan\[oc4ids\]"):
            validate_oc4ids({"projects": []})
    finally:
        monkeypatch.undo()
        oc4ids_validate._validator.cache_clear()


def test_the_shipped_schema_is_the_reference_copy() -> None:
    assert "Apache License" in SHIPPED.joinpath("LICENSE").read_text("utf-8")
    if not REFERENCE.exists():
        pytest.skip("the reference copy is not on this machine")
    for name in ("project-schema.json", "project-package-schema.json"):
        assert shipped(name) == json.loads((REFERENCE / name).read_text("utf-8"))


def test_a_generated_portfolio_is_valid(portfolio: Callable[..., None]) -> None:
    ledger = LedgerStore.open(":memory:")
    portfolio(ledger, 120, seed=3, town="长安镇", months=6)
    package = to_oc4ids(ledger, published=PUBLISHED)
    assert len(package["projects"]) == 120
    assert schema_errors(package) == []
    assert validate_oc4ids(package) == []


@pytest.mark.slow
def test_a_thousand_project_portfolio_is_valid(portfolio: Callable[..., None]) -> None:
    ledger = LedgerStore.open(":memory:")
    portfolio(ledger, 1000, seed=1, town="长安镇")
    package = to_oc4ids(ledger, published=datetime(2014, 1, 10))
    assert len({p["id"] for p in package["projects"]}) == 1000
    assert schema_errors(package) == []
    assert validate_oc4ids(package) == []


def test_the_docs_table_every_mapping() -> None:
    page = Path(__file__).resolve().parents[3] / "docs" / "oc4ids.md"
    text = page.read_text(encoding="utf-8")

    def codes(values: tuple[str, ...] | list[str]) -> str:
        return ", ".join(f"`{v}`" for v in values)

    for stage, status in STATUS_BY_STAGE.items():
        assert f"| `{stage.value}` | {stage.label_cn} | `{status}`" in text
    for category, kind in TYPE_BY_CATEGORY.items():
        assert f"| `{category.value}` | {category.label_cn} | `{kind}` |" in text
    for category, sectors in SECTOR_BY_CATEGORY.items():
        assert f"| `{category.value}` | {category.label_cn} | {codes(sectors)}" in text
    for keywords, sectors in SECTOR_KEYWORDS:
        assert f"| {', '.join(keywords)} | {codes(sectors)} |" in text
    for who, roles in ROLES.items():
        assert f"| `{who}` " in text and f"| {codes(roles)} — " in text
