"""The bad-input corpus (data/bad_inputs*.json): every case is refused with a townplan error
that names the field and the value, and the ledger's content does not change.

Extension point: more files named ``data/bad_inputs_<area>.json`` are read as well. A new
way of feeding input (spreadsheet cells, say) is a new kind: register a function with
``@runner("sheet")`` below taking ``(ledger, argument, input)`` where the case's kind is
``"sheet:<argument>"``, and write cases for it in ``data/bad_inputs_sheets.json``.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable, Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.convert import structure
from townplan.ledger import LedgerStore

pytestmark = pytest.mark.reliability

DATA = Path(__file__).parent / "data"
ANY = "$any"

# Valid documents (fresh codes, known references); a case overrides some keys.
BASE_DOCS: dict[str, dict[str, Any]] = {
    "Project": {"code": "P100", "name": "湿地公园", "category": "livelihood",
                "government_investment": "3000万元", "responsible_unit": "城建办", "zone": "东区"},
    "ProgressReport": {"project": "P001", "period": "2013-07", "completed": "300万元",
                       "reported_on": "2013-08-03"},
    "Correction": {"project": "P001", "period": "2013-06", "completed": "450万元",
                   "reported_on": "2013-08-10"},
    "Update": {"code": "P001", "name": "中心大道二期", "category": "infrastructure",
               "stage": "continuing", "responsible_unit": "城建办"},
    "LeadingGroup": {"code": "G02", "name": "环境整治工作领导小组", "member_units": ["交通局"]},
    "Task": {"code": "T02", "group": "G01", "text": "完成路基",
                  "deadline": {"text": "6月底前", "due": "2013-06-30"}},
    "AnnualTarget": {"code": "FDI", "indicator": "实际利用外资", "year": 2013,
                     "direction": "at_least", "value": "1.5", "unit": "亿美元"},
    "Attraction": {"code": "DOM-C", "kind": "contracted", "origin": "domestic",
                   "amount": "15亿元", "year": 2013},
    "ThresholdPolicy": {"name": "市级标准", "government_min": "5000万元", "social_min": "5亿元",
                        "level": "city", "effective_from": "2014-01-01"},
    "Zone": {"name": "西区"},
    "Unit": {"name": "水务局"},
}  # fmt: skip
RECORD: dict[str, type] = {
    "Project": tp.Project, "ProgressReport": tp.ProgressReport, "Correction": tp.ProgressReport,
    "Update": tp.Project, "LeadingGroup": tp.LeadingGroup, "Task": tp.Task,
    "AnnualTarget": tp.AnnualTarget, "Attraction": tp.Attraction,
    "ThresholdPolicy": tp.ThresholdPolicy, "Zone": tp.Zone, "Unit": tp.Unit,
}  # fmt: skip
WRITE: dict[str, Callable[[LedgerStore, list[Any]], object]] = {
    "Project": lambda ledger, rs: ledger.add_projects(rs),
    "ProgressReport": lambda ledger, rs: ledger.record_progress_many(rs),
    "Correction": lambda ledger, rs: [ledger.correct_progress(r) for r in rs],
    "Update": lambda ledger, rs: [ledger.update_project(r, on=date(2013, 9, 1)) for r in rs],
    "LeadingGroup": lambda ledger, rs: ledger.add_groups(rs),
    "Task": lambda ledger, rs: ledger.add_tasks(rs),
    "AnnualTarget": lambda ledger, rs: ledger.add_targets(rs),
    "Attraction": lambda ledger, rs: ledger.add_attractions(rs),
    "ThresholdPolicy": lambda ledger, rs: [ledger.add_policy(r) for r in rs],
    "Zone": lambda ledger, rs: ledger.add_zones(rs),
    "Unit": lambda ledger, rs: ledger.add_units(rs),
}


def doc(record: str, override: dict[str, Any]) -> dict[str, Any]:
    merged = {**BASE_DOCS[record], **decode(override)}
    return {k: v for k, v in merged.items() if v != "$missing"}


def nest(depth: int, start: Any, wrap: Callable[[Any], Any]) -> Any:
    """``start`` wrapped ``depth`` times."""
    value = start
    for _ in range(depth):
        value = wrap(value)
    return value


TAGS: dict[str, Callable[[Any], Any]] = {
    "$date": date.fromisoformat,
    "$datetime": datetime.fromisoformat,
    "$decimal": Decimal,
    "$float": float,
    "$json": json.loads,
    "$repeat": lambda spec: spec[0] * spec[1] + spec[2],
    "$nest": lambda n: nest(n, [], lambda v: [v]),
    "$nestdict": lambda n: nest(n, {}, lambda v: {"a": v}),
    "$period": tp.Period.parse,
    "$tuple": tuple,
    "$project": lambda o: structure(doc("Project", o), tp.Project),
    "$progress": lambda o: structure(doc("ProgressReport", o), tp.ProgressReport),
}


def decode(value: Any) -> Any:
    """Case JSON with tagged values ({"$date": "2013-06-30"} …) to the Python values meant."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in TAGS:
            tag, arg = next(iter(value.items()))
            return TAGS[tag](arg)
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


# --- runners: one per kind of input -----------------------------------------------------------
Runner = Callable[[LedgerStore, str, Any], object]
RUNNERS: dict[str, Runner] = {}


def runner(kind: str) -> Callable[[Runner], Runner]:
    def register(fn: Runner) -> Runner:
        RUNNERS[kind] = fn
        return fn

    return register


@runner("doc")
def run_doc(ledger: LedgerStore, record: str, override: dict[str, Any]) -> object:
    return WRITE[record](ledger, [structure(doc(record, override), RECORD[record])])


@runner("docs")
def run_docs(ledger: LedgerStore, record: str, overrides: list[dict[str, Any]]) -> object:
    return WRITE[record](ledger, [structure(doc(record, o), RECORD[record]) for o in overrides])


@runner("raw")
def run_raw(ledger: LedgerStore, record: str, data: Any) -> object:
    return WRITE[record](ledger, [structure(data, RECORD[record])])


@runner("json")
def run_json(ledger: LedgerStore, record: str, text: str) -> object:
    return WRITE[record](ledger, [structure(json.loads(text), RECORD[record])])


@runner("call")
def run_call(ledger: LedgerStore, method: str, arguments: dict[str, Any]) -> object:
    return getattr(ledger, method)(**decode(arguments))


# --- the seeded ledger ---------------------------------------------------------------------
def seed(ledger: LedgerStore) -> None:
    ledger.add_units(["城建办", "交通局"])
    ledger.add_zones(["东区"])
    ledger.add_projects([
        tp.Project(code="P001", name="中心大道二期", category=tp.Category.INFRASTRUCTURE,
                   stage=tp.Stage.NEW_START, responsible_unit="城建办", zone="东区"),
        tp.Project(code="PUSD", name="外资电子厂", category=tp.Category.INDUSTRY,
                   government_investment=tp.Money.zero("USD"),
                   social_investment=tp.Money.parse("1.27亿美元")),
    ], on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))  # fmt: skip
    ledger.record_progress(
        tp.ProgressReport(project="P001", period="2013-06", completed=tp.Money.parse("500万"),
                          reported_on=date(2013, 7, 3)),
        recorded_at=date(2013, 7, 3),
    )  # fmt: skip
    ledger.add_groups([tp.LeadingGroup(code="G01", name="城市道路建设工作领导小组",
                                       member_units=("城建办",))])  # fmt: skip
    ledger.add_tasks(
        [
            tp.Task(
                code="T01",
                group="G01",
                text="完成中心大道二期路基",
                deadline=tp.Deadline.parse("6月底前", year=2013),
            )
        ]
    )
    ledger.add_targets([tp.AnnualTarget(code="GDP", indicator="地区生产总值增长", year=2013,
                                        direction=tp.Direction.AT_LEAST, value=Decimal(15),
                                        unit="%")])  # fmt: skip
    ledger.add_attractions(
        [
            tp.Attraction(
                code="FDI-C",
                kind="contracted",
                origin="foreign",
                amount=tp.Money.parse("1.27亿美元"),
                year=2013,
            )
        ]
    )
    ledger.add_policy(tp.ThresholdPolicy.default())
    first = ledger.append_entry("note", "P001", date(2013, 6, 30), recorded_at=date(2013, 7, 1))
    ledger.append_entry(
        "note", "P001", date(2013, 6, 30), corrects=first, recorded_at=date(2013, 7, 2)
    )


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, tuple[dict[str, int], str]]:
    path = tmp_path_factory.mktemp("corpus") / "seeded.db"
    with LedgerStore.open(path) as ledger:
        seed(ledger)
        return path, (ledger.counts(), ledger.checksum())


@pytest.fixture
def seeded(template: tuple[Path, Any], tmp_path: Path) -> Iterator[LedgerStore]:
    copy = tmp_path / "ledger.db"
    shutil.copyfile(template[0], copy)
    with LedgerStore.open(copy) as ledger:
        yield ledger


def cases() -> list[Any]:
    params = []
    for path in sorted(DATA.glob("bad_inputs*.json")):
        for case in json.loads(path.read_text("utf-8"))["cases"]:
            bug = case.get("xfail")
            marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {bug}")] if bug else []
            params.append(pytest.param(case, id=f"{path.stem}:{case['id']}", marks=marks))
    return params


def same(a: object, b: object) -> bool:
    """Equal and of the same type (1.5 is not Decimal('1.5'); NaN equals NaN here)."""
    if isinstance(a, float) and isinstance(b, float) and a != a and b != b:
        return True
    return type(a) is type(b) and a == b


def names_field(problem: tp.FieldError, field: str | None) -> bool:
    if field is None:
        return problem.field is None
    return problem.field == field or (problem.field or "").startswith(field + ".")


def test_corpus_is_large_and_covers_every_kind_of_bad_input() -> None:
    all_cases = [p.values[0] for p in cases()]
    assert len(all_cases) >= 200
    groups = {c["id"].split("-")[0] for c in all_cases}
    assert {"money", "date", "deadline", "code", "enum", "duplicate", "reference", "type",
            "huge", "control", "json"} <= groups  # fmt: skip
    assert len({c["id"] for c in all_cases}) == len(all_cases)


@pytest.mark.parametrize("record", sorted(BASE_DOCS))
def test_every_base_document_is_accepted(seeded: LedgerStore, record: str) -> None:
    """So a refused case is refused for what it changed, not for its base."""
    run_doc(seeded, record, {})


@pytest.mark.parametrize("case", cases())
def test_bad_input_is_refused_naming_field_and_value_and_changes_nothing(
    case: dict[str, Any], seeded: LedgerStore, template: tuple[Path, Any]
) -> None:
    kind, _, argument = case["kind"].partition(":")
    wanted = case.get("error", "ValidationError")
    errors = tuple(getattr(tp, name) for name in ([wanted] if isinstance(wanted, str) else wanted))
    with pytest.raises(errors) as info:
        RUNNERS[kind](seeded, argument, case["input"])
    field, value = case["field"], case["value"]
    value = value if value == ANY else decode(value)
    message = str(info.value)
    problems: tuple[tp.FieldError, ...] = getattr(info.value, "errors", ())
    if problems or field is not None:
        named = [p for p in problems if names_field(p, field)]
        assert named, f"no problem names field {field!r}: {problems}"
        if value != ANY:
            assert any(same(p.value, value) for p in named), f"{value!r} not in {named}"
    if value != ANY and not isinstance(value, float):
        assert repr(value)[:60] in message or str(value) in message
    assert (seeded.counts(), seeded.checksum()) == template[1]
