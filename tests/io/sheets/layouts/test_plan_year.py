"""The year of a register's annual plan, as an office's sheet gives it (or does not): a
title or the plan's header names it; a system export (layout D) names none, so the plan
is the year the import takes effect unless the town says otherwise (``plan_year=``,
``--year``), and the result says which; a year given that the sheet contradicts is an
error, never a silent choice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path
from types import ModuleType

import pytest
from click.testing import CliRunner

import townplan as tp
from townplan.cli import cli
from townplan.ledger import LedgerStore


def _plans(store: LedgerStore) -> dict[str, tuple[int | None, tp.Money]]:
    return {p.code: (p.plan_year, p.annual_plan) for p in store.projects()}


def test_a_sheet_naming_no_year_takes_the_year_it_takes_effect_and_says_so(
    offices: ModuleType, tmp_path: Path
) -> None:
    path = offices.write_xlsx(tmp_path / "export.xlsx", offices.grid_d())  # no year anywhere
    store = LedgerStore.open(":memory:")
    result = tp.io.import_register(store, path, on=date(2013, 5, 1))
    assert (result.plan_year, result.plan_year_from) == (2013, "day")
    for _name, code, *_, plan, _done, _rate, _nature in offices.ROWS_D:
        assert _plans(store)[code] == (2013, tp.Money(Decimal(plan) * 10_000))
    assert "表中未写计划年度，年度计划投资按生效日所在的 2013 年计（可用 --year 指定）" in (
        result.summary("zh")
    )
    assert "the sheet names no plan year" in result.summary("en")


def test_the_town_names_the_year_of_a_sheet_that_names_none(
    offices: ModuleType, tmp_path: Path
) -> None:
    path = offices.write_xlsx(tmp_path / "export.xlsx", offices.grid_d())
    store = LedgerStore.open(":memory:")
    result = tp.io.import_register(store, path, on=date(2014, 1, 10), plan_year=2013)
    assert (result.plan_year, result.plan_year_from) == (2013, "given")
    assert {year for year, _ in _plans(store).values()} == {2013}
    assert "计划年度" not in result.summary("zh")
    again = tp.io.import_register(store, path, on=date(2014, 1, 10), plan_year=2013)
    assert again.n_unchanged == len(offices.ROWS_D)


def test_a_title_names_the_year(offices: ModuleType, tmp_path: Path) -> None:
    rows = offices.grid_d()
    rows[0] = ["2013年某镇重点建设项目计划表"]
    path = offices.write_xlsx(tmp_path / "export.xlsx", rows)
    store = LedgerStore.open(":memory:")
    result = tp.io.import_register(store, path, on=date(2014, 3, 1))
    assert (result.plan_year, result.plan_year_from) == (2013, "title")
    assert {year for year, _ in _plans(store).values()} == {2013}


def test_a_year_the_sheet_contradicts_is_an_error(offices: ModuleType, tmp_path: Path) -> None:
    rows = offices.grid_d()
    rows[1][7] = "2013年度计划投资（万元）"  # column H names its year
    path = offices.write_xlsx(tmp_path / "export.xlsx", rows)
    store = LedgerStore.open(":memory:")
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(store, path, plan_year=2014)
    (problem,) = caught.value.errors
    assert (problem.field, problem.value, problem.row, problem.column) == (
        "plan_year", 2014, 2, "H"
    )  # fmt: skip
    assert "2013" in problem.expected
    assert store.counts()["projects"] == 0
    # the command line names its own option
    ledger = tmp_path / "town.db"
    env = {"TOWNPLAN_LANG": "en", "NO_COLOR": "1", "COLUMNS": "400"}
    done = CliRunner(env=env).invoke(
        cli, ["import", "register", str(ledger), str(path), "--year", "2014"]
    )
    assert done.exit_code != 0
    assert "or no --year" in " ".join(done.stderr.split())
    assert not ledger.exists()


def test_the_command_line_takes_the_year(offices: ModuleType, tmp_path: Path) -> None:
    path = offices.write_xlsx(tmp_path / "export.xlsx", offices.grid_d())
    ledger = tmp_path / "town.db"
    env = {"TOWNPLAN_LANG": "zh", "NO_COLOR": "1", "COLUMNS": "400"}
    done = CliRunner(env=env).invoke(
        cli, ["import", "register", str(ledger), str(path), "--year", "2013"]
    )
    assert done.exit_code == 0, done.output
    with LedgerStore.open(ledger) as store:
        assert {year for year, _ in _plans(store).values()} == {2013}


def test_a_register_without_plan_years_exports_and_imports_without_one(
    tmp_path: Path,
) -> None:
    store = LedgerStore.open(":memory:")
    store.add_project(tp.Project(code="P1", name="中心大道", category=tp.Category.INFRASTRUCTURE,
                                 government_investment=tp.Money.parse("1200万元")))  # fmt: skip
    path = tp.io.export_register(store, tmp_path / "r.xlsx")
    target = LedgerStore.open(":memory:")
    result = tp.io.import_register(target, path, on=date(2014, 1, 1))
    assert result.plan_year_from == "column"  # a blank 计划年度 column says: none
    assert target.project("P1").plan_year is None


def test_a_year_given_beside_a_plan_year_column_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("项目编号,项目名称,项目类别,政府投资（万元）,计划年度,年度计划投资（万元）\n"
                    "P1,中心大道,基础设施,1200,2013,500\n", encoding="utf-8")  # fmt: skip
    store = LedgerStore.open(":memory:")
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(store, path, plan_year=2014)  # never silently unused
    (problem,) = caught.value.errors
    assert (problem.field, problem.value, problem.column) == ("plan_year", 2014, "E")
    result = tp.io.import_register(store, path)
    assert (result.plan_year, result.plan_year_from) == (None, "column")
    assert store.project("P1").plan_year == 2013
    env = {"TOWNPLAN_LANG": "zh", "NO_COLOR": "1", "COLUMNS": "400"}
    done = CliRunner(env=env).invoke(
        cli, ["import", "register", str(tmp_path / "t.db"), str(path), "--year", "2014"]
    )
    assert "不给 --year（E 列“计划年度”已写明每行的计划年度）" in " ".join(done.stderr.split())
