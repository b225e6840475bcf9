"""Hostile values and field names: values match literally or not at all, names are
rejected, and the ledger is unchanged afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import Query
from townplan.query.fields import PROGRESS_FIELDS, PROJECT_FIELDS, TASK_FIELDS
from townplan.query.where import OPERATORS

HOSTILE = [
    "'", '"', ";", "--", "' OR 1=1 --", '" OR ""="', "'; DROP TABLE projects; --", "\x00",
    "a\x00b", "%", "_", "\\", "*", "湿地' OR '1'='1", "中心大道二期", "中心大道二期\x00", "P01",
    "P01'--", "Robert'); DROP TABLE progress;--", "\u202e", "\ufeff", "𝔘𝔫𝔦𝔠𝔬𝔡𝔢", "NULL", "",
    " ", "现代临港产业区", "1=1", "/*", "*/", "\n", "?", ":_p0", ":day", "$1", "@x",
]  # fmt: skip
hostile_text = st.one_of(
    st.sampled_from(HOSTILE),
    st.text(max_size=24),
    st.text(
        alphabet=st.sampled_from(list("'\";-\\%_*()?:=\x00 OR1湿地中心大道新城区")), max_size=16
    ),
)
TEXT_FIELDS = ["code", "name", "zone", "village", "responsible_unit", "leader", "content", "town"]
TEXT_OPS = ["eq", "ne", "contains", "lt", "gte", "in"]


@pytest.fixture(scope="module")
def ledger(build_portfolio: Callable[[LedgerStore], LedgerStore]) -> Iterator[LedgerStore]:
    with LedgerStore.open(":memory:") as store:
        yield build_portfolio(store)


def _matches(actual: str | None, op: str, value: str) -> bool:
    if op == "ne":
        return actual != value
    if actual is None:
        return False
    return {
        "eq": actual == value, "contains": value in actual, "lt": actual < value,
        "gte": actual >= value, "in": actual in (value, "P01"),
    }[op]  # fmt: skip


@settings(max_examples=120, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(field=st.sampled_from(TEXT_FIELDS), op=st.sampled_from(TEXT_OPS), value=hostile_text)
def test_text_values_match_literally(ledger: LedgerStore, field: str, op: str, value: str) -> None:
    before = ledger.checksum()
    projects = list(ledger.projects())
    argument: Any = [value, "P01"] if op == "in" else value
    got = [p.code for p in Query(ledger).projects().where(**{f"{field}__{op}": argument})]
    assert got == [p.code for p in projects if _matches(getattr(p, field), op, value)]
    assert ledger.checksum() == before


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=hostile_text)
def test_notes_and_task_texts_match_literally(ledger: LedgerStore, value: str) -> None:
    before = ledger.checksum()
    q = Query(ledger)
    notes = [r.id for r in q.progress().where(note__contains=value)]
    assert notes == [r.id for r in q.progress() if value in r.note]
    tasks = [t.code for t in q.tasks().where(text=value)]
    assert tasks == [t.code for t in q.tasks() if t.text == value]
    assert ledger.checksum() == before


VALID = {f.name for fs in (PROJECT_FIELDS, PROGRESS_FIELDS, TASK_FIELDS) for f in fs}
VALID |= {f"{name}__{op}" for name in VALID for op in OPERATORS}


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile_text.filter(lambda n: n not in VALID and n.removeprefix("-") not in VALID))
def test_hostile_field_names_are_rejected(ledger: LedgerStore, name: str) -> None:
    before = ledger.checksum()
    q = Query(ledger)
    for build in (
        lambda: q.projects().where(**{name: "x"}),
        lambda: q.progress().where(**{name: 1}),
        lambda: q.tasks().where(**{name: None}),
        lambda: q.projects().order_by(name),
        lambda: q.progress().order_by(name),
        lambda: q.projects().group_by(name),
        lambda: q.progress().group_by(name),
        lambda: q.tasks().group_by(name),
    ):
        with pytest.raises(tp.ValidationError) as err:
            build()
        assert err.value.value == name
    assert ledger.checksum() == before


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    field=st.sampled_from(["annual_plan", "stage", "category", "plan_year", "valid_from",
                           "completion_rate", "kind"]),
    op=st.sampled_from(["eq", "ne", "in", "gte"]),
    value=hostile_text,
)  # fmt: skip
def test_hostile_values_for_typed_fields_are_rejected_or_exact(
    ledger: LedgerStore, field: str, op: str, value: str
) -> None:
    before = ledger.checksum()
    argument: Any = [value] if op == "in" else value
    try:
        query = Query(ledger).projects().where(**{f"{field}__{op}": argument})
    except tp.ValidationError as err:
        rejected_by = err.record
    else:
        rejected_by = None
        list(query)  # whatever it parsed to, it runs as a bound value
    assert rejected_by in (None, "projects")
    assert ledger.checksum() == before


@settings(max_examples=100, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=hostile_text)
def test_hostile_search_text(ledger: LedgerStore, text: str) -> None:
    before = ledger.checksum()
    try:
        found = list(Query(ledger).search(text))
    except tp.ValidationError:
        assert not text.strip()
    else:
        for hit in found:
            assert text.lower() in hit.snippet.replace("【", "").replace("】", "").lower()
    assert ledger.checksum() == before
