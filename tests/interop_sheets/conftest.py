"""Fixtures for the spreadsheet import/export tests: files built in the test, a ledger."""

from __future__ import annotations

import csv
import io
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
