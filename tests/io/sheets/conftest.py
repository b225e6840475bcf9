"""Fixtures for the spreadsheet tests: files built in the test, a ledger, and one-sheet
workbooks written part by part, so the XML holds exactly what a case needs (what Excel or
WPS writes and openpyxl cannot)."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import openpyxl
import pytest

from townplan.ledger import LedgerStore

Rows = Sequence[Sequence[object]]
XlsxMaker = Callable[..., Path]
CsvMaker = Callable[..., Path]


@pytest.fixture
def ledger() -> Iterator[LedgerStore]:
    with LedgerStore.open(":memory:") as store:
        yield store


@pytest.fixture
def make_xlsx(tmp_path: Path) -> XlsxMaker:
    """``make_xlsx(name, rows, merges=(), sheet="项目库", formats={}, extra_sheets={})``."""

    def make(
        name: str,
        rows: Rows,
        merges: Sequence[str] = (),
        sheet: str = "项目库",
        formats: dict[str, str] | None = None,
        extra_sheets: dict[str, Rows] | None = None,
    ) -> Path:
        book = openpyxl.Workbook()
        for title, content in (extra_sheets or {}).items():
            other = book.create_sheet(title, 0)
            for row in content:
                other.append(list(row))
        ws = book[book.sheetnames[-1]] if extra_sheets else book.active
        ws.title = sheet
        for row in rows:
            ws.append(list(row))
        for cells in merges:
            ws.merge_cells(cells)
        for cell, number_format in (formats or {}).items():
            ws[cell].number_format = number_format
        path = tmp_path / name
        book.save(path)
        return path

    return make


@pytest.fixture
def make_csv(tmp_path: Path) -> CsvMaker:
    """``make_csv(name, rows, encoding="utf-8-sig")``: the rows as CSV bytes."""

    def make(name: str, rows: Rows, encoding: str = "utf-8-sig") -> Path:
        buffer = io.StringIO()
        csv.writer(buffer).writerows([["" if v is None else v for v in row] for row in rows])
        path = tmp_path / name
        path.write_bytes(buffer.getvalue().encode(encoding))
        return path

    return make


MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
    'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
    'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sharedStrings+xml"/>'
    '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.styles+xml"/></Types>'
)

HandmadeXlsx = Callable[..., Path]


@pytest.fixture
def handmade_xlsx(tmp_path: Path) -> HandmadeXlsx:
    """``handmade_xlsx(rows, strings=None, styles=None, sheet="Sheet1")``: a workbook
    whose one sheet's ``<sheetData>`` holds ``rows`` (XML), with a shared strings part of
    the ``<si>`` elements ``strings`` and a styles part holding the XML ``styles``, each
    only when given."""

    def make(
        rows: str,
        strings: Sequence[str] | None = None,
        styles: str | None = None,
        sheet: str = "Sheet1",
    ) -> Path:
        rels = [
            ("rId1", "worksheet", "worksheets/sheet1.xml"),
            ("rId2", "sharedStrings", "sharedStrings.xml"),
            ("rId3", "styles", "styles.xml"),
        ]
        body = "".join(
            f'<Relationship Id="{i}" Type="{RELS}/{kind}" Target="{target}"/>'
            for i, kind, target in rels
        )
        parts = {
            "[Content_Types].xml": CONTENT_TYPES,
            "_rels/.rels": f'<Relationships xmlns="{PACKAGE_RELS}"><Relationship Id="rId1" '
            f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
            "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
            f'<sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>',
            "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE_RELS}">{body}'
            "</Relationships>",
            "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{rows}'
            "</sheetData></worksheet>",
        }
        if strings is not None:
            parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{"".join(strings)}</sst>'
        if styles is not None:
            parts["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
        path = tmp_path / "handmade.xlsx"
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
            for name, text in parts.items():
                z.writestr(name, text.encode("utf-8"))
        return path

    return make
