"""A value in the ledger file that townplan never writes — a day that is no day, a stage
that is no stage, left there by another program — read back by ``ledger.project(code)``,
a query or an as-of view raises a townplan error naming the project, the field and the
value (as the register export does, and in Chinese in a Chinese run), not a bare
ValueError of the conversion."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

import townplan as tp
from townplan.cli.errors_zh import describe


def _ledger() -> tp.Ledger:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_project(
        tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE,
                   planned_start=date(2013, 3, 1), stage=tp.Stage.PREPARATION),
        on=date(2013, 1, 1), recorded_at=date(2013, 1, 1),
    )  # fmt: skip
    ledger.update_project(
        tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE,
                   planned_start=date(2013, 3, 1), stage=tp.Stage.NEW_START),
        on=date(2013, 4, 1), recorded_at=date(2013, 4, 1),
    )  # fmt: skip
    return ledger


READS: dict[str, Callable[[tp.Ledger], Any]] = {
    "project": lambda ledger: ledger.project("P001"),
    "query": lambda ledger: list(ledger.query().projects()),
    "query on a day": lambda ledger: list(ledger.query().projects().on(date(2013, 6, 30))),
}


@pytest.mark.parametrize("read", READS.values(), ids=READS.keys())
@pytest.mark.parametrize("stored", ["2013-13-01", "2013-02-30", "2013-00-10"])
def test_a_bad_stored_day_of_the_current_version_is_named(
    read: Callable[[tp.Ledger], Any], stored: str
) -> None:
    with _ledger() as ledger:
        ledger.db.execute("UPDATE projects SET planned_start = ?", [stored])
        with pytest.raises(tp.ValidationError) as raised:
            read(ledger)
    error = raised.value
    assert (error.record, error.field, error.value) == ("P001", "planned_start", stored)
    assert str(error) == f"P001.planned_start: got {stored!r} — expected a day such as 2013-06-30"
    assert describe(error) == (
        f"1 处问题，未写入任何内容：P001·planned_start：{stored!r} 不符合要求，"
        "应为形如 2013-07-05 的日期"
    )


@pytest.mark.parametrize(
    ("column", "stored", "expected"),
    [
        ("planned_start", "2013-13-01", "a day such as 2013-06-30"),
        ("stage", "halfway", "one of preparation (前期), new_start (新开工), "),
    ],
)
def test_a_bad_stored_value_of_a_superseded_version_is_named(
    column: str, stored: str, expected: str
) -> None:
    with _ledger() as ledger:
        ledger.db.execute(f"UPDATE project_history SET {column} = ?", [stored])
        assert ledger.project("P001").stage is tp.Stage.NEW_START  # today's is sound
        march = ledger.as_of(date(2013, 3, 31))
        for read in (lambda: march.project("P001"), lambda: list(march.query().projects())):
            with pytest.raises(tp.ValidationError) as raised:
                read()
            error = raised.value
            assert (error.record, error.field, error.value) == ("P001", column, stored)
            assert error.expected.startswith(expected)
