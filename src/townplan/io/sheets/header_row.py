"""Find the header row of a sheet: below the titles, possibly two rows deep.

>>> from townplan.io.sheets.grid import Grid, GridRow
>>> from townplan.io.sheets.headers import REGISTER_HEADERS
>>> grid = Grid("项目库", (
...     GridRow(1, ("2013年重大项目表", None, None)),
...     GridRow(2, ("单位：万元", None, None)),
...     GridRow(3, ("项目编号", "项目名称", "总投资")),
...     GridRow(4, ("P001", "中心大道", "1200")),
... ))
>>> header = find_header(grid, REGISTER_HEADERS, frozenset({"code"}))
>>> header.number, sorted(header.fields), header.title_unit
(3, ['code', 'name', 'total_investment'], '万元')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

import attrs

from townplan.io.sheets.grid import Grid, GridRow
from townplan.io.sheets.headers import HeaderMap

__all__ = ["HEADER_SEARCH_ROWS", "HeaderCell", "HeaderRow", "find_header", "letter"]

#: How many non-blank rows from the top may hold the header.
HEADER_SEARCH_ROWS: Final = 20
_TITLE_UNIT: Final = re.compile(r"单位[:]\s*([^\s,;、()\[\]]+)")

Cell = tuple[int, int]


def letter(index: int) -> str:
    """The spreadsheet letter of a 0-based column index (CSV columns too).

    >>> letter(0), letter(25), letter(26)
    ('A', 'Z', 'AA')
    """
    number, text = index + 1, ""
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(ord("A") + rest) + text
    return text


@attrs.frozen
class HeaderCell:
    """One column's header: its field (``None`` if unknown), text and unit, and the cells
    they came from (``origin``: the top-left of a merged header, so one merged header
    spanning columns is one header)."""

    index: int
    field: str | None
    text: str
    row: int
    origin: Cell
    unit: str | None = None
    unit_at: Cell | None = None


@attrs.frozen
class HeaderRow:
    """The header: from row ``number`` to row ``last`` (two rows for a grouped header)."""

    number: int
    last: int
    cells: tuple[HeaderCell, ...]
    complete: bool
    title_unit: str | None = None
    title_unit_at: Cell | None = None

    @property
    def fields(self) -> frozenset[str]:
        """The known fields the header names."""
        return frozenset(c.field for c in self.cells if c.field)


def find_header(grid: Grid, headers: HeaderMap, required: frozenset[str]) -> HeaderRow | None:
    """The first row (of the first 20 non-blank) naming two known fields and all of
    ``required``; failing that the one naming most fields (``complete`` is False);
    ``None`` when no row names two."""
    rows = [row for row in grid.rows if not row.is_blank()][:HEADER_SEARCH_ROWS]
    best: HeaderRow | None = None
    for position, row in enumerate(rows):
        child = rows[position + 1] if position + 1 < len(rows) else None
        cells, last = _cells(grid, headers, row, child)
        fields = {c.field for c in cells if c.field}
        if len(fields) < 2:
            continue
        unit, unit_at = _title_unit(grid, rows[:position])
        header = HeaderRow(row.number, last, cells, required <= fields, unit, unit_at)
        if header.complete:
            return header
        if best is None or len(fields) > len(best.fields):
            best = header
    return best


def _cells(
    grid: Grid, headers: HeaderMap, row: GridRow, child: GridRow | None
) -> tuple[tuple[HeaderCell, ...], int]:
    """The header cells of ``row``, read together with ``child`` when it continues it."""
    parent = [headers.resolve(t) if t else (None, None) for t in row.cells]
    if child is None or not _continues(headers, parent, child):
        child = None
    width = max(len(row.cells), len(child.cells) if child else 0)
    cells: list[HeaderCell] = []
    for i in range(width):
        p_field, p_unit = parent[i] if i < len(parent) else (None, None)
        p_origin = grid.origin(row.number, i)
        text = row.cell(i)
        if child is not None:
            c_text = child.cell(i)
            c_field, c_unit = headers.resolve(c_text) if c_text else (None, None)
            if c_field is not None and c_text is not None:
                c_origin = grid.origin(child.number, i)
                unit_at = c_origin if c_unit else None
                if c_unit is None and p_field is None and p_unit is not None:
                    c_unit, unit_at = p_unit, p_origin
                cells.append(
                    HeaderCell(i, c_field, c_text, child.number, c_origin, c_unit, unit_at)
                )
                continue
            text = c_text if p_field is None and c_text else text
        if text is not None:
            unit_at = p_origin if p_unit else None
            cells.append(HeaderCell(i, p_field, text, row.number, p_origin, p_unit, unit_at))
    return tuple(cells), child.number if child else row.number


def _continues(
    headers: HeaderMap, parent: Sequence[tuple[str | None, str | None]], child: GridRow
) -> bool:
    """Whether ``child`` holds the second row of a grouped header ("投资情况" over
    "总投资 | 政府投资 | 社会投资"): the parent names a field, the child names new ones,
    and at least half the child's cells are known headers."""
    parent_fields = {f for f, _ in parent if f}
    if not parent_fields:
        return False
    resolved = [headers.resolve(t)[0] for t in child.cells if t]
    known = [f for f in resolved if f]
    return bool(set(known) - parent_fields) and 2 * len(known) >= len(resolved)


def _title_unit(grid: Grid, rows: Sequence[GridRow]) -> tuple[str | None, Cell | None]:
    """The unit a "单位：万元" line above the header gives (the last one wins)."""
    found: tuple[str | None, Cell | None] = (None, None)
    for row in rows:
        for i, text in enumerate(row.cells):
            match = _TITLE_UNIT.search(unicodedata.normalize("NFKC", text)) if text else None
            if match:
                found = match.group(1), grid.origin(row.number, i)
    return found
