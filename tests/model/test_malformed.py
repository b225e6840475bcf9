"""Malformed inputs from data/malformed.json: each raises ValidationError naming field and value."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.convert import structure

TABLE = json.loads((Path(__file__).parent / "data" / "malformed.json").read_text("utf-8"))
RECORDS: dict[str, type] = {
    name: getattr(tp, name)
    for name in (
        "Project", "LeadingGroup", "Task", "Measure", "AnnualTarget", "Attraction",
        "ProgressReport", "ThresholdPolicy", "ExchangeRate", "Zone",
    )
}  # fmt: skip

# Valid arguments; each case overrides some of them.
BASE_ARGS: dict[str, dict[str, Any]] = {
    "Project": {"code": "P001", "name": "中心大道二期", "category": tp.Category.INFRASTRUCTURE},
    "LeadingGroup": {"code": "G01", "name": "城市道路建设工作领导小组"},
    "Task": {
        "code": "T01",
        "group": "G01",
        "text": "完成全镇耕地统筹工作",
        "deadline": tp.Deadline.parse("6月底前", year=2013),
    },
    "Measure": {"value": Decimal(32), "unit": "公里"},
    "AnnualTarget": {
        "code": "GDP",
        "indicator": "地区生产总值增长",
        "year": 2013,
        "direction": tp.Direction.AT_LEAST,
        "value": Decimal(15),
        "unit": "%",
    },
    "Attraction": {
        "code": "FDI-C",
        "kind": "contracted",
        "origin": "foreign",
        "amount": tp.Money.parse("1.27亿美元"),
        "year": 2013,
    },
    "ProgressReport": {
        "project": "P001",
        "period": "2013-06",
        "completed": tp.Money.parse("300万"),
    },
    "ThresholdPolicy": {
        "name": "三重项目入库标准",
        "government_min": tp.Money.parse("1000万元"),
        "social_min": tp.Money.parse("2亿元"),
    },
    "ExchangeRate": {
        "base": "USD",
        "quote": "CNY",
        "rate": Decimal("6.2"),
        "on": date(2013, 6, 30),
    },
}
BASE_DOCS: dict[str, dict[str, Any]] = {
    "Project": {"code": "P001", "name": "中心大道二期", "category": "infrastructure"},
    "ProgressReport": {"project": "P001", "period": "2013-06", "completed": "300万元"},
    "Task": {
        "code": "T01",
        "group": "G01",
        "text": "完成全镇耕地统筹工作",
        "deadline": {"text": "6月底前", "due": "2013-06-30"},
    },
    "LeadingGroup": {"code": "G01", "name": "城市道路建设工作领导小组"},
    "AnnualTarget": {
        "code": "GDP",
        "indicator": "地区生产总值增长",
        "year": 2013,
        "direction": "at_least",
        "value": "15",
        "unit": "%",
    },
    "Attraction": {
        "code": "FDI-C",
        "kind": "contracted",
        "origin": "foreign",
        "amount": "1.27亿美元",
        "year": 2013,
    },
}

TAGS: dict[str, Callable[[Any], Any]] = {
    "$decimal": Decimal,
    "$date": date.fromisoformat,
    "$datetime": datetime.fromisoformat,
    "$money": tp.Money.parse,
    "$amount": lambda text: tp.Money(Decimal(text), "CNY"),  # as held, not as parsed
    "$period": tp.Period.parse,
    "$tuple": lambda items: tuple(decode(i) for i in items),
    "$repeat": lambda spec: spec[0] * spec[1] + spec[2],
}


def decode(value: Any) -> Any:
    """JSON with tagged values ({"$decimal": "1.5"} …) to the Python values a caller passes."""
    if isinstance(value, dict):
        if len(value) == 1 and next(iter(value)) in TAGS:
            tag, arg = next(iter(value.items()))
            return TAGS[tag](arg)
        return {k: decode(v) for k, v in value.items()}
    if isinstance(value, list):
        return [decode(v) for v in value]
    return value


def attempt(case: dict[str, Any]) -> object:
    kind, raw = case["kind"], case["input"]
    action, _, record = kind.partition(":")
    if action == "money":
        return tp.Money.parse(raw)
    if action == "money_unit":
        return tp.Money.parse(raw[0], unit=raw[1])
    if action == "money_of":
        return tp.Money.of(raw)
    if action == "money_new":
        return tp.Money(**decode(raw))
    if action == "format_unit":
        return tp.Money.parse("1万").format_cn(unit=raw)
    if action == "period":
        return tp.Period.parse(raw)
    if action == "period_new":
        return tp.Period(**raw)
    if action == "deadline":
        return tp.Deadline.parse(raw, year=case.get("year", 2013))
    if action == "deadline_new":
        return tp.Deadline(**decode(raw))
    if action == "construct":
        return RECORDS[record](**{**BASE_ARGS[record], **decode(raw)})
    if action == "structure":
        doc = {**BASE_DOCS[record], **raw}
        return structure({k: v for k, v in doc.items() if v != "$missing"}, RECORDS[record])
    if action == "structure_raw":
        return structure(raw, RECORDS[record])
    raise AssertionError(f"unknown kind {kind!r}")


def same(a: object, b: object) -> bool:
    """Equal and of the same type, so 1.5 is not mistaken for Decimal('1.5') or True for 1."""
    return type(a) is type(b) and a == b


def cases() -> list[Any]:
    params = []
    for number, case in enumerate(TABLE["cases"]):
        bug = case.get("xfail")
        marks = [pytest.mark.xfail(strict=True, reason=f"BUG: {bug}")] if bug else []
        label = f"{number:03d}-{case['kind']}-{case['field']}"
        params.append(pytest.param(case, id=label, marks=marks))
    return params


def test_table_is_large_and_varied() -> None:
    assert len(TABLE["cases"]) >= 50
    kinds = {c["kind"].partition(":")[0] for c in TABLE["cases"]}
    assert {"money", "period", "deadline", "construct", "structure"} <= kinds


@pytest.mark.parametrize("case", cases())
def test_malformed_input_is_refused_naming_field_and_value(case: dict[str, Any]) -> None:
    with pytest.raises(tp.ValidationError) as info:
        attempt(case)
    field, value = case["field"], decode(case["value"])
    named = [p for p in info.value.errors if p.field == field]
    assert named, f"no problem names field {field!r}: {info.value.errors}"
    assert any(same(p.value, value) for p in named), f"value {value!r} not in {named}"
    message = str(info.value)
    assert repr(value) in message
    if field is not None:
        assert field in message
