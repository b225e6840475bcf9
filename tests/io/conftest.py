"""Fixtures for the .xlsx reader tests: one-sheet workbooks written part by part, so the
XML holds exactly what a case needs (what Excel or WPS writes and openpyxl cannot)."""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Sequence
from pathlib import Path

import pytest

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

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
