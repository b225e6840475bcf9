"""A value in the ledger file that townplan never writes — a day that is no day, a stage
that is no stage, left there by another program in a table without a CHECK — stops the
register export with a townplan error naming the project, the field and the value (and
in Chinese in a Chinese run), and leaves no file."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.cli.errors_zh import describe
from townplan.io import export_register
from townplan.ledger import LedgerStore


def _ledger() -> LedgerStore:
    store = LedgerStore.open(":memory:")
    store.add_project(
        tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE,
                   planned_start=date(2013, 3, 1), stage=tp.Stage.PREPARATION),
        on=date(2013, 1, 1), recorded_at=date(2013, 1, 1),
    )  # fmt: skip
    store.update_project(
        tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE,
                   planned_start=date(2013, 3, 1), stage=tp.Stage.NEW_START),
        on=date(2013, 4, 1), recorded_at=date(2013, 4, 1),
    )  # fmt: skip
    return store


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
@pytest.mark.parametrize(
    ("column", "stored", "field", "expected"),
    [
        ("planned_start", "2013-13-01", "planned_start", "a day such as 2013-06-30"),
        ("planned_start", "2013-02-30", "planned_start", "a day such as 2013-06-30"),
        ("planned_start", "20130301", "planned_start", "a day such as 2013-06-30"),
        ("stage", "halfway", "stage", "one of preparation (前期), "),
        ("stage", "前期", "stage", "one of preparation (前期), "),
        ("category", "INFRASTRUCTURE", "category", "one of infrastructure (基础设施), "),
    ],
)  # fmt: skip
def test_a_bad_stored_value_is_named_with_its_project(
    tmp_path: Path, suffix: str, column: str, stored: object, field: str, expected: str
) -> None:
    path = tmp_path / f"register{suffix}"
    with _ledger() as store:
        # the superseded version, which only an export as of March reads
        store.db.execute(f"UPDATE project_history SET {column} = ?", [stored])
        export_register(store, path)  # today's version is sound
        path.unlink()
        with pytest.raises(tp.ValidationError) as raised:
            export_register(store.as_of(date(2013, 3, 31)), path)
    error = raised.value
    assert isinstance(error, tp.TownplanError)
    assert (error.record, error.field, error.value) == ("P001", field, stored)
    assert error.expected.startswith(expected)
    assert str(error).startswith(f"P001.{field}: got {stored!r} — expected ")
    assert not path.exists()
    assert f"P001·{field}：{stored!r} 不符合要求" in describe(error)  # in a Chinese run
