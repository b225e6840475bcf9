"""The register export reads its layout (currencies, plan years, towns) and its rows in
one read transaction of a ledger file: another program writing meanwhile — through its
own connection, as a second process does — neither waits for the export nor changes the
sheet, which shows the projects as they were when the export began. Checked with
openpyxl against values written by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import townplan as tp
from townplan.io import export_register
from townplan.io.sheets import register_export
from townplan.ledger import LedgerStore

_START = date(2013, 1, 1)


def _project(code: str, plan_year: int, currency: str = "CNY", **kw: Any) -> tp.Project:
    plan, zero = tp.Money.parse("100万", currency=currency), tp.Money(Decimal(0), currency)
    return tp.Project(code=code, name=f"项目{code}", category=tp.Category.INDUSTRY,
                      annual_plan=plan, government_investment=zero, social_investment=zero,
                      plan_year=plan_year, **kw)  # fmt: skip


def _town(path: Path) -> None:
    with LedgerStore.open(path) as store:
        store.add_projects([_project("P001", 2013), _project("P002", 2014)], on=_START)


def _after_the_layout(monkeypatch: pytest.MonkeyPatch, meanwhile: Callable[[], None]) -> list[str]:
    """Run ``meanwhile`` right after the export has read its layout; returns a log."""
    read = register_export._layout
    log: list[str] = []

    def layout_then_write(*args: Any) -> Any:
        found = read(*args)
        meanwhile()
        log.append("written meanwhile")
        return found

    monkeypatch.setattr(register_export, "_layout", layout_then_write)
    return log


def _sheet(path: Path) -> tuple[list[Any], list[list[Any]]]:
    rows = [list(r) for r in openpyxl.load_workbook(path).active.iter_rows(values_only=True)]
    return rows[1], rows[2:]


def _column(header: list[Any], body: list[list[Any]], name: str) -> list[Any]:
    at = header.index(name)
    return [row[at] for row in body]


def test_a_year_taken_away_meanwhile_is_still_in_the_sheet(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file, out = tmp_path / "town.db", tmp_path / "register.xlsx"
    _town(file)

    def move_p002_to_2013() -> None:  # another program: P002 is now planned for 2013
        with LedgerStore.open(file) as other:
            other.update_project(_project("P002", 2013), on=_START)

    log = _after_the_layout(monkeypatch, move_p002_to_2013)
    with LedgerStore.open(file) as store:
        export_register(store, out)
        assert log == ["written meanwhile"]
        assert store.project("P002").plan_year == 2013  # the other write was kept
    header, body = _sheet(out)
    assert _column(header, body, "项目编号") == ["P001", "P002", None]  # and 合计
    assert _column(header, body, "计划年度") == [2013, 2014, None]
    assert "年度计划投资（万元）" in header


def test_a_currency_added_meanwhile_waits_for_the_next_export(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    file, out = tmp_path / "town.db", tmp_path / "register.csv"
    _town(file)

    def add_a_dollar_project() -> None:
        with LedgerStore.open(file) as other:
            other.add_project(_project("P000", 2015, currency="USD", town="临港镇"), on=_START)

    _after_the_layout(monkeypatch, add_a_dollar_project)
    with LedgerStore.open(file) as store:
        export_register(store, out)
        assert _codes(out) == (["P001", "P002"], "2个项目")
        lines = out.read_text(encoding="utf-8-sig").splitlines()
        assert lines[0] == "重大项目库"
        assert "所属镇" not in lines[1] and "2013年度计划投资（万元）" not in lines[1]
        monkeypatch.undo()
        export_register(store, out)  # the next export has it
        assert _codes(out) == (["P000", "P001", "P002"], "3个项目")


def _codes(csv_path: Path) -> tuple[list[str], str]:
    """The codes of a CSV register and what its 合计 row says of them."""
    lines = [line.split(",") for line in csv_path.read_text(encoding="utf-8-sig").splitlines()]
    return [cells[1] for cells in lines[2:-1]], lines[-1][2]


def test_a_write_of_the_same_ledger_during_the_export_is_kept_at_once(tmp_path: Path) -> None:
    file, out = tmp_path / "town.db", tmp_path / "register.xlsx"
    _town(file)
    seen: list[int] = []
    with LedgerStore.open(file) as store:

        def meanwhile(done: int, total: int) -> None:
            if done == 0:  # the export's own progress hook changes the ledger
                store.update_project(_project("P002", 2013), on=_START)
                with LedgerStore.open(file) as other:  # committed, not held by the export
                    seen.append(other.project("P002").plan_year)

        export_register(store, out, on_progress=meanwhile)
        assert store.project("P002").plan_year == 2013
    assert seen == [2013]
    header, body = _sheet(out)
    assert _column(header, body, "计划年度") == [2013, 2014, None]
