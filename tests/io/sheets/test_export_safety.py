"""What an export must never do with what a town typed or with the file already there:
a town name in the title becomes no formula and no link; text too long for a cell is
refused rather than cut; a failed export leaves last month's file as it was; and the
cells are the same whichever of xlsxwriter's writers puts them down.

Checked against the raw sheet XML and with openpyxl, which share nothing with the exporter."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import openpyxl
import pytest

import townplan as tp
from townplan.cli.errors_zh import describe
from townplan.errors import ValidationError
from townplan.io import export_register
from townplan.io.sheets import writer
from townplan.io.sheets.stored_writer import Stored, write_stored
from townplan.io.sheets.writer import Column, write_table
from townplan.ledger import LedgerStore

FORMULA = '=HYPERLINK("http://evil.example/","x")&"'
LINK = "http://evil.example/"


def _town(name: str) -> LedgerStore:
    store = LedgerStore.open(":memory:")
    store.add_projects([
        tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE,
                   government_investment=tp.Money.parse("1200万"), town=name),
        tp.Project(code="P002", name="临港产业园", category=tp.Category.INDUSTRY, town=name),
    ])  # fmt: skip
    return store


def _sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as book:
        return book.read("xl/worksheets/sheet1.xml").decode()


@pytest.mark.parametrize("town", [FORMULA, LINK], ids=["formula", "link"])
def test_a_town_name_in_the_title_is_text(tmp_path: Path, town: str) -> None:
    with _town(town) as store:
        xlsx = export_register(store, tmp_path / "r.xlsx")
        csv_path = export_register(store, tmp_path / "r.csv")
    xml = _sheet_xml(xlsx)
    assert "<f>" not in xml and "<hyperlink" not in xml
    a1 = openpyxl.load_workbook(xlsx).active["A1"]
    assert (a1.data_type, a1.value) == ("s", f"{town} 重大项目库")
    with csv_path.open(encoding="utf-8-sig", newline="") as f:
        title = next(csv.reader(f))
    assert title == ([f"'{town} 重大项目库"] if town.startswith("=") else [f"{town} 重大项目库"])


def test_a_title_given_by_the_caller_is_text_in_every_table(tmp_path: Path) -> None:
    path = write_table(tmp_path / "t.xlsx", "s", "=1+2", [Column("a"), Column("b")], [["x", "y"]])
    assert "<f>" not in _sheet_xml(path)
    assert openpyxl.load_workbook(path).active["A1"].value == "=1+2"
    csv_path = write_table(tmp_path / "t.csv", "s", "=1+2", [Column("a")], [["x"]])
    assert csv_path.read_text(encoding="utf-8-sig").splitlines()[0] == "'=1+2"


def test_text_longer_than_a_cell_holds_is_refused_not_cut(tmp_path: Path) -> None:
    long = "长" * 40_000
    with pytest.raises(ValidationError, match="32,767 characters") as raised:
        write_table(tmp_path / "t.xlsx", "s", "表", [Column("a"), Column("b")], [["x", long]])
    (problem,) = raised.value.errors
    assert (problem.row, problem.column) == (3, "B")  # the first row below the header
    assert "最多容纳 32,767 个字符" in describe(raised.value)
    assert list(tmp_path.iterdir()) == []
    columns = [Stored.value(Column("项目名称"), 0)]
    with pytest.raises(ValidationError, match="32,767 characters"):
        write_stored(tmp_path / "r.xlsx", "s", "t", columns, [[("短",), (long,)]], count=2,
                     currency_at=0, currency="CNY")  # fmt: skip
    with pytest.raises(ValidationError, match="32,767 characters"):
        write_table(tmp_path / "t.xlsx", "s", long, [Column("a")], [["x"]])  # the title
    assert list(tmp_path.iterdir()) == []
    write_table(tmp_path / "t.csv", "s", "表", [Column("a")], [[long]])  # a .csv holds it


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_a_failed_export_leaves_the_earlier_file_as_it_was(tmp_path: Path, suffix: str) -> None:
    path = tmp_path / f"register{suffix}"
    with _town("示例镇") as store:
        export_register(store, path)
        before = path.read_bytes()
        more = [tp.Project(code=f"Q{n:04d}", name=f"项目{n}", category=tp.Category.INDUSTRY)
                for n in range(1500)]  # fmt: skip
        store.add_projects(more)
        told: list[int] = []

        def fail(done: int, total: int) -> None:
            told.append(done)
            if 0 < done < total:  # half the rows written
                raise OSError("disk full")

        with pytest.raises(OSError, match="disk full"):
            export_register(store, path, on_progress=fail)
    assert told == [0, 1000]
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == [path.name]  # no hidden part left


def test_the_public_writers_put_down_the_same_cells(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with _town("示例镇") as store:
        store.add_project(tp.Project(code="P003", name="=1+2", category=tp.Category.INDUSTRY,
                                     social_investment=tp.Money.parse("0.5元")))  # fmt: skip
        quick = export_register(store, tmp_path / "quick.xlsx")
        monkeypatch.setattr(writer, "QUICK_WRITERS", ())  # as with an xlsxwriter without them
        public = export_register(store, tmp_path / "public.xlsx")

    def cells(path: Path) -> list[list[tuple[object, str]]]:
        ws = openpyxl.load_workbook(path).active
        return [[(c.value, c.data_type) for c in row] for row in ws.iter_rows()]

    assert cells(public) == cells(quick)
    assert ("=1+2", "s") in cells(public)[4]
