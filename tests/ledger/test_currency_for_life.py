"""A project's currency is its own for life once it has progress: ``update_project`` to
another currency is refused naming ``currency`` unless every report in force is corrected
in the same batch (``corrections=``); ``import_register`` refuses the same change naming
``currency`` at the cell that brought it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.io import import_register

CNY = tp.Project(code="F1", name="外资园区", category=tp.Category.INDUSTRY,
                 responsible_unit="经济贸易办公室",
                 government_investment=tp.Money.parse("1500万"),
                 annual_plan=tp.Money.parse("1000万"))  # fmt: skip
USD = tp.Project(code="F1", name="外资园区", category=tp.Category.INDUSTRY,
                 responsible_unit="经济贸易办公室",
                 government_investment=tp.Money.parse("200万美元"),
                 annual_plan=tp.Money.parse("140万美元"))  # fmt: skip


def month(period: str, amount: str) -> tp.ProgressReport:
    return tp.ProgressReport(project="F1", period=period, completed=tp.Money.parse(amount),
                             reported_on=date(2013, 7, 3))  # fmt: skip


@pytest.fixture
def ledger() -> tp.Ledger:
    ledger = tp.Ledger.open()
    ledger.add_units(["经济贸易办公室"], recorded_at=date(2013, 1, 2))
    ledger.add_project(CNY, on=date(2013, 1, 1), recorded_at=date(2013, 1, 2))
    ledger.record_progress_many([month("2013-05", "500万"), month("2013-06", "1000万")],
                                recorded_at=date(2013, 7, 3))  # fmt: skip
    return ledger


def year_to_date(ledger: tp.Ledger, day: date) -> list[str]:
    """Each currency's year to date of the register on ``day``, as text."""
    found = ledger.query().projects().on(day).group_by("category")
    return [f"{s.currency} {s.year_to_date.amount}" for s in found]


def test_a_new_currency_with_every_report_corrected_in_the_batch_is_taken(
    ledger: tp.Ledger,
) -> None:
    restated = [month("2013-05", "70万美元"), month("2013-06", "140万美元")]
    ledger.update_project(USD, on=date(2013, 1, 1), corrections=restated,
                          note="外资项目按美元统计", recorded_at=date(2013, 8, 1))  # fmt: skip
    assert ledger.project("F1").currency == "USD"
    assert [str(r.completed) for r in ledger.progress("F1")] == ["700000.00 USD", "1400000.00 USD"]
    assert all("（更正：外资项目按美元统计）" in r.note for r in ledger.progress("F1"))
    assert year_to_date(ledger, date(2013, 6, 30)) == ["USD 2100000"]  # not 15,000,000 + …
    july = ledger.as_of(date(2013, 7, 31))  # before the change: as it was, all in CNY
    assert year_to_date(july, date(2013, 6, 30)) == ["CNY 15000000"]
    assert july.project("F1").currency == "CNY"


def test_a_new_currency_without_the_corrections_is_refused_naming_currency(
    ledger: tp.Ledger,
) -> None:
    before = ledger.checksum()
    with pytest.raises(tp.ConflictError) as caught:
        ledger.update_project(USD, on=date(2013, 1, 1))
    assert [(e.field, e.value) for e in caught.value.errors] == [("currency", "USD")]
    assert "CNY, the currency of its progress reports" in caught.value.errors[0].expected
    assert "corrections=" in str(caught.value)
    assert ledger.checksum() == before


def test_corrections_that_leave_a_month_or_begin_too_late_are_refused(
    ledger: tp.Ledger,
) -> None:
    before = ledger.checksum()
    with pytest.raises(tp.ConflictError) as caught:
        ledger.update_project(USD, on=date(2013, 6, 1),
                              corrections=[month("2013-06", "140万美元")])  # fmt: skip
    found = {e.field: e for e in caught.value.errors}
    assert found["corrections"].value == "2013-05"  # the month not restated
    assert found["effective"].value == "2013-06-01"
    assert "2013-05-01" in found["effective"].expected
    half = [month("2013-05", "70万美元"), month("2013-06", "1000万")]  # one still in CNY
    with pytest.raises(tp.ValidationError) as caught_invalid:
        ledger.update_project(USD, on=date(2013, 1, 1), corrections=half)
    assert [e.field for e in caught_invalid.value.errors] == ["completed"]
    with pytest.raises(tp.ConflictError) as caught:  # a month never reported
        ledger.update_project(CNY, on=date(2013, 1, 1),
                              corrections=[month("2013-07", "10万")])  # fmt: skip
    assert [(e.field, e.value) for e in caught.value.errors] == [("period", "2013-07")]
    assert ledger.checksum() == before
    assert [str(r.completed) for r in ledger.progress("F1")] == [
        "5000000.00 CNY",
        "10000000.00 CNY",
    ]


def test_corrections_in_the_same_currency_go_with_the_new_version(ledger: tp.Ledger) -> None:
    bigger = tp.Project(code="F1", name="外资园区二期", category=tp.Category.INDUSTRY,
                        responsible_unit="经济贸易办公室",
                        government_investment=tp.Money.parse("1500万"),
                        annual_plan=tp.Money.parse("1000万"))  # fmt: skip
    ledger.update_project(bigger, on=date(2013, 7, 1),
                          corrections=[month("2013-06", "900万")])  # fmt: skip
    assert ledger.project("F1").name == "外资园区二期"
    assert [str(r.completed) for r in ledger.progress("F1")] == ["5000000.00 CNY", "9000000.00 CNY"]


def write_register(path: Path, header: str, row: str) -> Path:
    path.write_text(f"2013年重大项目库\n{header}\n{row}\n", encoding="utf-8-sig")
    return path


def test_import_register_refusing_a_new_currency_names_currency(
    ledger: tp.Ledger, tmp_path: Path
) -> None:
    sheet = write_register(tmp_path / "register.csv",
                           "项目编号,项目名称,项目类别,政府投资（万美元）,责任单位",
                           "F1,外资园区,产业,200,经济贸易办公室")  # fmt: skip
    before = ledger.checksum()
    with pytest.raises(tp.TownplanError) as caught:
        import_register(ledger, sheet)
    (error,) = caught.value.errors  # type: ignore[attr-defined]
    assert (error.field, error.value, error.row, error.column) == ("currency", "USD", 3, "D")
    assert "CNY, the currency of its progress reports" in error.expected
    assert ledger.checksum() == before


def test_import_register_switches_a_project_without_progress_when_all_is_given(
    tmp_path: Path,
) -> None:
    ledger = tp.Ledger.open()
    ledger.add_units(["经济贸易办公室"])
    ledger.add_project(CNY, on=date(2013, 1, 1))
    partial = write_register(tmp_path / "partial.csv",
                             "项目编号,项目名称,项目类别,政府投资（万美元）,责任单位",
                             "F1,外资园区,产业,200,经济贸易办公室")  # fmt: skip
    with pytest.raises(tp.ValidationError) as caught:  # the plan of 1000万元 would stay CNY
        import_register(ledger, partial)
    (error,) = caught.value.errors
    assert (error.field, error.value) == ("currency", "USD")
    assert "annual_plan" in error.expected
    whole = write_register(tmp_path / "whole.csv",
                           "项目编号,项目名称,项目类别,政府投资（万美元）,2013年计划投资（万美元）,责任单位",
                           "F1,外资园区,产业,200,140,经济贸易办公室")  # fmt: skip
    import_register(ledger, whole, on=date(2013, 2, 1))
    project = ledger.project("F1")
    assert (project.currency, str(project.annual_plan)) == ("USD", "1400000.00 USD")
    assert str(project.social_investment) == "0.00 USD"
