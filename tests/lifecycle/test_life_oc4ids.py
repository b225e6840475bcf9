"""The lifecycle in OC4IDS: approvals as milestones, completion, cancelled status — and
still no error under the standard's own schema (the reference copy, read here)."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import townplan as tp
from townplan.fixtures import sample_town_ledger

REFERENCE = Path("/work/shared/reference/oc4ids")
SHIPPED = Path(__file__).resolve().parents[2] / "src" / "townplan" / "io" / "oc4ids" / "schema"
FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town" / "lifecycle.json"


def _schema_dir() -> Path:
    return REFERENCE if (REFERENCE / "project-schema.json").is_file() else SHIPPED


def _validator() -> jsonschema.Draft4Validator:
    schema = json.loads((_schema_dir() / "project-schema.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


def _codes(name: str) -> set[str]:
    with (_schema_dir() / "codelists" / name).open(encoding="utf-8") as f:
        return {row["Code"] for row in csv.DictReader(f)}


@pytest.fixture(scope="module")
def package() -> dict[str, Any]:
    town = sample_town_ledger()
    town.set_status("SZ2013-036", "cancelled", date(2013, 6, 1), note="收购谈判终止",
                    recorded_at=date(2013, 6, 2))  # fmt: skip
    return tp.io.to_oc4ids(town.as_of(date(2013, 7, 15)), published=datetime(2013, 7, 15, 9))


def _by_code(package: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {p["identifiers"][0]["id"]: p for p in package["projects"]}


def test_no_schema_error(package: dict[str, Any]) -> None:
    validator = _validator()
    errors = [e.message for p in package["projects"] for e in validator.iter_errors(p)]
    assert errors == []


def test_procedures_are_approval_milestones(package: dict[str, Any]) -> None:
    doc = json.loads(FIXTURE.read_text(encoding="utf-8"))
    projects = _by_code(package)
    approvals = [
        (code, m) for code, p in projects.items() for m in p.get("milestones", [])
        if m["type"] == "approval"
    ]  # fmt: skip
    assert len(approvals) == len(doc["procedures"])
    assert {m["status"] for _, m in approvals} <= _codes("milestoneStatus.csv")
    met = {
        (p["project"], p["done_on"])
        for p in doc["procedures"]
        if p["done_on"] and p["recorded_on"] <= "2013-07-15"
    }
    shown = {(code, m["dateMet"][:10]) for code, m in approvals if "dateMet" in m}
    assert shown == met


def test_completion_and_cancelled(package: dict[str, Any]) -> None:
    projects = _by_code(package)
    finished = projects["SZ2013-035"]["completion"]
    assert finished["endDate"].startswith("2013-05-30") and finished["finalValue"]["amount"] > 0
    assert projects["SZ2013-036"]["status"] == "cancelled"
    assert {p["status"] for p in projects.values()} <= _codes("projectStatus.csv")
