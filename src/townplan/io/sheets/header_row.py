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

import itertools
import re
import unicodedata
from collections.abc import Sequence
from typing import Final

import attrs

from townplan.io.sheets.grid import Grid, GridRow
from townplan.io.sheets.headers import HeaderMap, normalise_header, split_unit

__all__ = [
    "HEADER_LEVELS",
    "HEADER_SEARCH_ROWS",
    "TOTAL_WORDS",
    "HeaderCell",
    "HeaderRow",
    "find_header",
    "letter",
    "resolve_path",
]

#: How many non-blank rows from the top may hold the header.
HEADER_SEARCH_ROWS: Final = 20
#: How many rows one header may span (a group header over sub-headers over …).
HEADER_LEVELS: Final = 4
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
    """The header: from row ``number`` to row ``last`` (up to four rows for a grouped
    header); each cell's ``text`` is its path, "2013年计划/投资"."""

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


def find_header(
    grid: Grid, headers: HeaderMap, required: frozenset[str] | Sequence[frozenset[str]]
) -> HeaderRow | None:
    """The first row (of the first 20 non-blank) naming two known fields and all of
    ``required`` (or all of one of several sets of fields), read with the rows below it
    that continue it (up to :data:`HEADER_LEVELS` rows: a merged group header over its
    sub-headers); failing that the one naming most fields (``complete`` is False);
    ``None`` when no row names two."""
    choices = [required] if isinstance(required, frozenset) else list(required)
    rows = list(itertools.islice((r for r in grid.rows if not r.is_blank()), HEADER_SEARCH_ROWS))
    best: HeaderRow | None = None
    for position, row in enumerate(rows):
        block = [row]
        for below in rows[position + 1 : position + HEADER_LEVELS]:
            if not _continues(grid, headers, block, below):
                break
            block.append(below)
        cells = _cells(grid, headers, block)
        fields = {c.field for c in cells if c.field}
        if len(fields) < 2:
            continue
        unit, unit_at = _title_unit(grid, rows[:position])
        complete = any(choice <= fields for choice in choices)
        header = HeaderRow(row.number, block[-1].number, cells, complete, unit, unit_at)
        if header.complete:
            return header
        if best is None or len(fields) > len(best.fields):
            best = header
    return best


def resolve_path(headers: HeaderMap, path: Sequence[str]) -> tuple[str | None, str | None]:
    """The field and unit of a column headed by ``path`` (its header texts, top down).

    The whole path may be a key ("本年度计划投资及资金来源/市级/财政"); else the last text
    decides under a header that names no field ("投资情况" over "总投资"); under one that
    names a field, a total word ("投资", "合计") is that field ("2013年计划" over "投资"),
    and another field is no field at all — "2013年计划" over "主要建设内容" is the year's
    work, not the project's content — so it is left for the town to map. Under a group
    whose columns are amounts of their own (:meth:`HeaderMap.group`), each column but the
    group's total is the group's prefix and its path below the group.

    >>> from townplan.io.sheets.headers import REGISTER_HEADERS as H
    >>> resolve_path(H, ["投资情况", "总投资（万元）"]), resolve_path(H, ["2013年计划", "投资"])
    (('total_investment', '万元'), ('annual_plan', None))
    >>> resolve_path(H, ["2013年计划", "主要建设内容"]), resolve_path(H, ["市级", "小计"])
    ((None, None), (None, None))
    >>> G = H.merge({}, groups={"本年度计划投资及资金来源": "funding:"})
    >>> resolve_path(G, ["政府直接投资项目", "本年度计划投资及资金来源", "市级", "财政"])
    ('funding:市级/财政', None)
    >>> resolve_path(G, ["政府直接投资项目", "本年度计划投资及资金来源", "合计"])
    ('annual_plan', None)
    """
    if len(path) == 1:
        return headers.resolve(path[0])
    field, unit = headers.resolve("/".join(path))
    if field is not None:
        return field, unit
    leaf, leaf_unit = headers.resolve(path[-1])
    units = [leaf_unit, *(headers.resolve(p)[1] for p in reversed(path[:-1]))]
    unit = next((u for u in units if u), None)
    for start in range(1, len(path) - 1):  # a key below an outer group
        field, own = headers.resolve("/".join(path[start:]))
        if field is not None:
            return field, own or unit
    for level, text in enumerate(path[:-1]):
        prefix = headers.group(text)
        tail = [split_unit(normalise_header(t))[0] for t in path[level + 1 :]]
        if prefix is not None and not (len(tail) == 1 and tail[0] in TOTAL_WORDS):
            return prefix + "/".join(tail), unit
    parent, parent_unit = headers.resolve(path[-2])
    if parent is None:
        return leaf, unit
    if leaf is None:
        word = split_unit(normalise_header(path[-1]))[0]
        return (parent, unit or parent_unit) if word in TOTAL_WORDS else (None, unit)
    return (leaf, unit) if leaf == parent else (None, unit)


#: Sub-headers that stand for the group header above them ("2013年计划" over "投资").
TOTAL_WORDS: Final = frozenset({"投资", "金额", "合计", "小计", "总计", "计划", "计划投资"})


def _cells(grid: Grid, headers: HeaderMap, block: Sequence[GridRow]) -> tuple[HeaderCell, ...]:
    """Each column's header: the texts of ``block`` top down, a merged cell once."""
    width = max(len(row.cells) for row in block)
    cells: list[HeaderCell] = []
    for i in range(width):
        path: list[str] = []
        seen: set[Cell] = set()
        leaf: tuple[int, Cell] | None = None
        for level, row in enumerate(block):
            origin = grid.origin(row.number, i)
            text = row.cell(i)
            if text is None and level + 1 < len(block) and block[level + 1].cell(i):
                origin, text = _group(block, level, i)  # a group header whose merge was lost
            if text is None or origin in seen:
                continue
            seen.add(origin)
            if path and normalise_header(path[-1]) == normalise_header(text):
                continue
            path.append(text)
            leaf = row.number, origin
        if leaf is None:
            continue
        field, unit = resolve_path(headers, path)
        if leaf[1][1] != i:  # no header of its own: a group header merged across from the left
            field = None
        unit_at = None
        if unit is not None:
            unit_at = next(
                (grid.origin(r.number, i) for r in reversed(block) if r.cell(i) and unit in
                 normalise_header(r.cell(i) or "")),
                leaf[1],
            )  # fmt: skip
        cells.append(HeaderCell(i, field, "/".join(path), leaf[0], leaf[1], unit, unit_at))
    return tuple(cells)


def _group(block: Sequence[GridRow], level: int, index: int) -> tuple[Cell, str | None]:
    """For a blank header cell over a sub-header (a CSV file keeps a merged group header
    in its first cell only): the nearest text to its left that also heads sub-headers."""
    row, below = block[level], block[level + 1]
    for left in range(index - 1, -1, -1):
        text = row.cell(left)
        if text is not None:
            return (row.number, left), text if below.cell(left) else None
    return (row.number, index), None


def _continues(grid: Grid, headers: HeaderMap, block: Sequence[GridRow], below: GridRow) -> bool:
    """Whether ``below`` continues the header ``block``: a header cell merged down into
    it (offices merge the one-level headers over all header rows), or — a header
    without merges — its texts name new known fields, at least half of them known."""
    numbers = {row.number for row in block}
    for i, text in enumerate(below.cells):
        if text is not None and grid.origin(below.number, i)[0] in numbers:
            return True
    parent_fields = {headers.resolve(t)[0] for row in block for t in row.cells if t} - {None}
    if not parent_fields:
        return False
    resolved = [headers.resolve(t)[0] for t in below.cells if t]
    known = [f for f in resolved if f]
    if bool(set(known) - parent_fields) and 2 * len(known) >= len(resolved):
        return True
    # a merged header saved as CSV: sub-headers under a group, blanks under the rest
    top = block[-1]
    texts = [t for t in below.cells if t]
    headed = [i for i, t in enumerate(top.cells) if t]
    blank_under = sum(1 for i in headed if below.cell(i) is None)
    words = all(
        headers.resolve(t)[0] or split_unit(normalise_header(t))[0] in TOTAL_WORDS for t in texts
    )
    return bool(texts) and words and 2 * blank_under >= len(headed)


def _title_unit(grid: Grid, rows: Sequence[GridRow]) -> tuple[str | None, Cell | None]:
    """The unit a "单位：万元" line above the header gives (the last one wins)."""
    found: tuple[str | None, Cell | None] = (None, None)
    for row in rows:
        for i, text in enumerate(row.cells):
            match = _TITLE_UNIT.search(unicodedata.normalize("NFKC", text)) if text else None
            if match:
                found = match.group(1), grid.origin(row.number, i)
    return found
