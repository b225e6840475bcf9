"""The streaming .xlsx reader reads what openpyxl read before it: random small sheets
(text with Chinese, numbers, decimals, dates and times, booleans, formulas without a
cached value, number formats, merged ranges) written with openpyxl, then read by both.
openpyxl's reading is kept here only as the oracle. openpyxl reads a "_x0041_" in a text
cell as written, where Excel (and the reader) decode it: the oracle decodes it with
openpyxl's own ``unescape``.
"""

from __future__ import annotations

import warnings
from datetime import date, datetime
from pathlib import Path

import openpyxl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl.cell.cell import MergedCell
from openpyxl.utils.escape import unescape

from townplan.io.sheets.grid import Grid, GridRow, cell_text, load_grids


def openpyxl_grids(path: Path) -> list[Grid]:
    """What the reader gave before it streamed the XML itself: openpyxl's values."""
    with warnings.catch_warnings():  # a date serial past 9999 is "#VALUE!", with a warning
        warnings.simplefilter("ignore", UserWarning)
        book = openpyxl.load_workbook(path, data_only=True)
    grids = []
    for ws in book.worksheets:
        texts: dict[tuple[int, int], str] = {}
        for line in ws.iter_rows():
            for cell in line:
                value = unescape(cell.value) if isinstance(cell.value, str) else cell.value
                text = (
                    None
                    if isinstance(cell, MergedCell)
                    else cell_text(value, percent="%" in cell.number_format)
                )
                if text is not None:
                    texts[(cell.row, cell.column - 1)] = text
        origins = {}
        for merged in ws.merged_cells.ranges:
            top_left = (merged.min_row, merged.min_col - 1)
            value = texts.get(top_left)
            for r in range(merged.min_row, merged.max_row + 1):
                for c in range(merged.min_col - 1, merged.max_col):
                    if (r, c) != top_left:
                        origins[(r, c)] = top_left
                        if value is not None:
                            texts[(r, c)] = value
        width = max((c for _, c in texts), default=-1) + 1
        last = max((r for r, _ in texts), default=0)
        rows = tuple(
            GridRow(r, tuple(texts.get((r, c)) for c in range(width))) for r in range(1, last + 1)
        )
        grids.append(Grid(ws.title, rows, origins))
    book.close()
    return grids


TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("中心大道华阳湿地合计小计项目 _x0041_\t\n ,.%年月日"),
        st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn")),
    ),
    max_size=8,
)
VALUE = st.one_of(
    st.none(),
    TEXT,
    st.integers(-(10**12), 10**12),
    st.decimals(-(10**9), 10**9, places=4, allow_nan=False, allow_infinity=False),
    st.floats(-1e12, 1e12, allow_nan=False),
    st.dates(date(1900, 3, 1), date(2100, 12, 31)),
    st.datetimes(datetime(1900, 3, 1), datetime(2100, 12, 31)).map(
        lambda d: d.replace(microsecond=0)
    ),
    st.times().map(lambda t: t.replace(microsecond=0)),
    st.booleans(),
    st.just("=1+1"),
)
FORMATS = [
    "General",
    "0%",
    "0.00%",
    "0.00",
    '"d"0',
    "@",
]  # dates carry the date formats openpyxl gives them


@st.composite
def sheets(draw: st.DrawFn) -> tuple[list[list[object]], list[tuple[int, int, int, int]], dict]:
    height = draw(st.integers(1, 6))
    width = draw(st.integers(1, 5))
    rows = [[draw(VALUE) for _ in range(width)] for _ in range(height)]
    merges: list[tuple[int, int, int, int]] = []
    taken: set[tuple[int, int]] = set()
    for _ in range(draw(st.integers(0, 3))):
        top, left = draw(st.integers(1, height + 1)), draw(st.integers(1, width + 1))
        bottom, right = top + draw(st.integers(0, 2)), left + draw(st.integers(0, 2))
        cells = {(r, c) for r in range(top, bottom + 1) for c in range(left, right + 1)}
        if len(cells) > 1 and not cells & taken:
            taken |= cells
            merges.append((top, left, bottom, right))
    formats = {
        (r, c): draw(st.sampled_from(FORMATS))
        for r in range(1, height + 1)
        for c in range(1, width + 1)
        if draw(st.integers(0, 3)) == 0
    }
    return rows, merges, formats


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(sheet=sheets())
def test_reads_what_openpyxl_reads(tmp_path: Path, sheet: tuple) -> None:
    rows, merges, formats = sheet
    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "项目库"
    for row in rows:
        ws.append(row)
    for (r, c), number_format in formats.items():
        ws.cell(r, c).number_format = number_format
    for top, left, bottom, right in merges:
        ws.merge_cells(start_row=top, start_column=left, end_row=bottom, end_column=right)
    book.create_sheet("第二页").append(["项目编号", 1.5])
    path = tmp_path / "book.xlsx"
    book.save(path)
    grids, problems = load_grids(path)
    assert problems == []
    assert grids == openpyxl_grids(path)
