"""A sheet's claimed extent (``<dimension ref="A1:T20003"/>``) is checked, not trusted:
the search that clears a block of cells finds every cell and row tag past the claim."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from townplan.io.sheets.xlsx_scan import _beyond


def _letters(number: int) -> str:
    """Column letters the way a spreadsheet numbers them: 1 → A, 27 → AA."""
    text = ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"[rest] + text
    return text


near = st.integers(-3, 3)


@given(
    st.integers(1, 16_384), st.integers(1, 1_048_576), st.integers(1, 16_384),
    st.integers(1, 99_999_999), near, near, st.booleans(),
)  # fmt: skip
def test_a_cell_or_row_past_the_claim_is_found(
    columns: int, rows: int, column: int, row: int, dc: int, dr: int, close: bool
) -> None:
    if close:  # near the claim's edge, where an off-by-one would hide
        column, row = max(1, columns + dc), max(1, rows + dr)
    cells, row_tags, _ = _beyond(_letters(columns).encode(), str(rows).encode())
    tag = f'<row r="{row}"><c r="{_letters(column)}{row}" s="1"><v>1</v></c></row>'.encode()
    assert bool(cells.search(tag)) == (column > columns or row > rows)
    assert bool(row_tags.search(tag)) == (row > rows)


def test_tags_written_otherwise_are_found() -> None:
    cells, row_tags, prefixed = _beyond(b"T", b"20003")
    assert cells.search(b'<c s="1" r="B7">') and cells.search(b"<c>")
    assert cells.search(b'<c r="b7">') and row_tags.search(b"<row>")
    assert prefixed.search(b'<x:c r="B7">') and prefixed.search(b'<x:row r="7">')
    assert not any(p.search(b'<row r="7" spans="1:20"><c r="T7" t="s"><v>3</v></c></row>')
                   for p in (cells, row_tags, prefixed))  # fmt: skip
