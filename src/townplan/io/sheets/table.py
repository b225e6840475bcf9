"""Read a messy register or progress sheet (.xlsx or .csv) into clean rows of text.

Real sheets have title rows, a "单位：万元" line, units in the headers, merged cells,
blank rows and a 合计 (total) row at the bottom. :func:`read_table` finds the header,
maps its columns to fields with a :class:`~townplan.io.sheets.headers.HeaderMap`, and returns a
:class:`Table` of rows — every problem of the file collected, none raised.

>>> import tempfile, pathlib
>>> from townplan.io.sheets.headers import REGISTER_HEADERS
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> lines = ["重大项目表", "单位：万元", "序号,项目编号,项目名称,总投资", "1,P001,中心大道,1200",
...          "合计,,,1200"]
>>> _ = (folder / "r.csv").write_text("\\n".join(lines), encoding="utf-8")
>>> table = read_table(folder / "r.csv", headers=REGISTER_HEADERS, required={"code"})
>>> [(r.number, r.values["name"]) for r in table.rows]
[(4, '中心大道')]
>>> table.columns["total_investment"]
Column(letter='D', header_text='总投资', unit='万元')
>>> table.money(table.rows[0], "total_investment").format_cn()
'1200万元'
"""

from __future__ import annotations

import bisect
import functools
import itertools
import operator
import re
import unicodedata
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence, Set
from decimal import Decimal
from os import PathLike
from pathlib import Path
from types import MappingProxyType
from typing import Final

import attrs

from townplan.errors import FieldError, ValidationError
from townplan.io.sheets.grid import Grid, GridRow, load_grids
from townplan.io.sheets.header_row import HeaderRow, find_header, letter
from townplan.io.sheets.headers import HeaderMap, is_money_unit
from townplan.model.money import Money

__all__ = [
    "BLANK",
    "OTHER",
    "PLAIN_DIGITS",
    "Column",
    "Row",
    "Scale",
    "Section",
    "Table",
    "cell_amount",
    "money_cell",
    "plain_amount",
    "plain_fen",
    "read_table",
    "title_texts",
    "unit_scale",
]

# "合计", "全镇合计", "合计(36个)", "合计36个项目", "合计（6项）", "合计：2 个" — not "小计划…"
_TOTAL: Final = re.compile(r"^\D{0,4}?(合计|总计|小计|共计)([^\u4e00-\u9fff].*|\d+[个项].*)?$")
_COUNT: Final = re.compile(r"(\d+)\s*(?:个|项)")
# "一、基础设施（3项）", "（一）续建项目", "(二)新开工项目", "三、PPP项目"
_SECTION: Final = re.compile(
    r"^(?:[一二三四五六七八九十百]+[、.．]|[(（][一二三四五六七八九十百]+[)）]|第[一二三四五六七八九十]+[部类])\s*"
)
_SECTION_COUNT: Final = re.compile(r"[(（]\s*(?:共\s*)?(\d+)\s*(?:个|项)(?:目)?\s*[)）]\s*$")
_FOOTER: Final = re.compile(r"^(注|说明|填表|填报|制表|审核|负责人|联系人|联系电话)")
_MONEY_UNITS: Final = "a money unit such as 元, 万元, 亿元 or 万美元"
# a bare number whose product with any unit is exact in Decimal's default context
_PLAIN_NUMBER: Final = re.compile(r"-?\d{1,18}(?:\.\d{1,12})?")
_FEN: Final = Decimal("0.01")
#: What :meth:`Table.fen_column` holds for a blank cell, and for a cell that is not a
#: bare number (read by the general reader).
BLANK: Final = -1
_WORD: Final = (1 << 63) - 1
OTHER: Final = -2
#: The longest run of digits read as a whole number on the fast path (:func:`plain_fen`).
PLAIN_DIGITS: Final = 18


def _frozen_map(value: Mapping[str, object]) -> Mapping[str, object]:
    # a proxy built here is shared as it is (every row of a table has the same columns)
    return value if type(value) is MappingProxyType else MappingProxyType(dict(value))


@attrs.frozen
class Column:
    """Where a field's cells are: the column letter, the header as written, the unit (and
    the row of the header's last part)."""

    letter: str
    header_text: str
    unit: str | None = None
    row: int | None = attrs.field(default=None, repr=False, eq=False)


@attrs.frozen
class Row:
    """One data row: its spreadsheet row (or CSV line) number and its cells as text."""

    number: int
    values: Mapping[str, str | None] = attrs.field(converter=_frozen_map)
    cells: Mapping[str, str] = attrs.field(converter=_frozen_map)
    sheet: str = ""
    section: str | None = None

    @property
    def record(self) -> str:
        """How a problem names this row: ``"row 7"``."""
        return f"row {self.number}"

    def error(self, field: str, expected: str, value: object = None) -> FieldError:
        """A problem with ``field`` in this row, located to its sheet, row and column.

        ``value`` defaults to the cell's text.

        >>> print(Row(7, {"code": "X"}, {"code": "B"}, "项目库").error("code", "a code like P1"))
        sheet '项目库', row 7, column 'B', row 7.code: got 'X' — expected a code like P1
        """
        shown = self.values.get(field) if value is None else value
        return FieldError(
            self.record, field, shown, expected, self.sheet, self.number, self.cells.get(field)
        )


@attrs.frozen
class Section:
    """A section row ("一、基础设施（3项）"): its row, its text, the label without the
    numbering and the count ("基础设施"), the count it gives, and the rows under it."""

    number: int
    text: str
    label: str
    count: int | None
    rows: tuple[int, ...] = ()


@attrs.frozen
class Table:
    """What :func:`read_table` found: columns, data rows, and every problem in the file;
    ``titles`` are the texts above the header ("2013年市直政府性投资项目计划表", "单位：万元")."""

    source: str
    sheet: str
    columns: Mapping[str, Column] = attrs.field(converter=_frozen_map)
    rows: tuple[Row, ...] = ()
    problems: tuple[FieldError, ...] = ()
    header_row: int | None = None
    unmapped: Mapping[str, str] = attrs.field(factory=dict, converter=_frozen_map)
    hidden_sheets: tuple[str, ...] = ()
    #: The visible sheets of the workbook other than the one read.
    other_sheets: tuple[str, ...] = ()
    encoding: str | None = None
    sections: tuple[Section, ...] = ()
    totals: tuple[int, ...] = ()
    titles: tuple[str, ...] = ()
    # each money column's cells read once (see :meth:`fen_column`), for the rows they
    # were read from: the 合计 check and the import share one pass
    _fens: dict[str, tuple[tuple[Row, ...], array[int]]] = attrs.field(
        factory=dict, eq=False, repr=False, alias="_fens"
    )

    @property
    def ignored(self) -> tuple[str, ...]:
        """The columns not used, as they are headed ("column K" for one without a
        header), in sheet order."""
        return tuple(self.unmapped.values())

    def ignored_with(self, fields: Iterable[str]) -> tuple[tuple[str, str], ...]:
        """The (letter, header) of each column not used and of the columns of ``fields``
        (mapped, but not read by the import), in sheet order."""
        found = dict(self.unmapped)
        found.update({self.columns[f].letter: self.columns[f].header_text for f in fields})
        return tuple((c, found[c]) for c in sorted(found, key=lambda c: (len(c), c)))

    def raise_if_problems(self) -> Table:
        """Raise one :class:`ValidationError` listing every problem; else return ``self``."""
        if self.problems:
            raise ValidationError(self.problems)
        return self

    def fen_column(self, field: str) -> Sequence[int]:
        """Each row's ``field`` cell, in :attr:`rows` order, read once for the table: the
        fen of a bare number ("1200", "3.25") in the column's unit, :data:`BLANK` for a
        blank cell, :data:`OTHER` for any other text (which the general reader,
        :meth:`money`, reads and names the problem of). One machine word a cell.

        >>> rows = (Row(4, {"total_investment": "12"}, {}), Row(5, {}, {}),
        ...         Row(6, {"total_investment": "1.5亿"}, {}))
        >>> table = Table("r.csv", "r.csv", {"total_investment": Column("D", "总投资", "万元")},
        ...               rows)
        >>> list(table.fen_column("total_investment")) == [12000000, BLANK, OTHER]
        True
        """
        found = self._fens.get(field)
        if found is not None and found[0] is self.rows:
            return found[1]
        column = self.columns.get(field)
        scale = unit_scale(column.unit if column else None)
        whole = scale[2] if scale else None
        texts = [row.values.get(field) for row in self.rows]
        if not whole:
            fens = array("q", [cell_fen(t, whole) for t in texts])
        else:
            hundredths = whole * 100
            read = [
                (int(t) * hundredths if t.isdigit() and len(t) <= PLAIN_DIGITS and t.isascii()
                 else cell_fen(t, whole)) if t else BLANK
                for t in texts
            ]  # fmt: skip  # cell_fen's commonest cases inline: this runs for every amount
            try:
                fens = array("q", read)
            except OverflowError:  # past a machine word: far past any amount, said by money()
                fens = array("q", [OTHER if f > _WORD else f for f in read])
        self._fens[field] = (self.rows, fens)
        return fens

    def money(self, row: Row, field: str) -> Money:
        """The amount in ``row``'s ``field`` cell, in its column's unit; blank is zero.

        Raises :class:`ValidationError` located at the cell.
        """
        column = self.columns.get(field)
        try:
            return money_cell(row.values.get(field), column.unit if column else None)
        except ValidationError as err:
            raise ValidationError([row.error(field, err.expected)]) from None


def money_cell(value: str | None, unit: str | None) -> Money:
    """A money cell read with its header's unit; a blank cell is zero.

    >>> money_cell("3.5", "万元").format_cn()
    '3.5万元'
    >>> money_cell(None, "万美元")
    Money(amount=Decimal('0'), currency='USD')
    >>> money_cell("2亿", "万元").format_cn()
    '2亿元'
    """
    amount, currency = cell_amount(value, unit)
    return Money(amount, currency)


def cell_amount(value: str | None, unit: str | None) -> tuple[Decimal, str]:
    """The amount and currency :func:`money_cell` reads; a bare number ("1200", "3.5")
    is scaled by its unit without :meth:`Money.parse`'s general reader, which runs for
    every other text (and names the problem when there is one).

    >>> cell_amount("1200", "万元"), cell_amount("1.5亿", "万元")
    ((Decimal('12000000'), 'CNY'), (Decimal('150000000'), 'CNY'))
    """
    text = (value.strip() if value else "") or "0"
    scale = unit_scale(unit)
    fen = plain_fen(text, scale[2]) if scale and scale[2] else None
    if fen is not None and scale is not None:
        return Money.from_fen(fen, scale[1]).amount, scale[1]
    amount = plain_amount(text, scale)
    if amount is not None and scale is not None and amount == amount.quantize(_FEN):
        return amount, scale[1]  # else Money.parse says what is wrong
    money = Money.parse(text, unit=unit)
    return money.amount, money.currency


def plain_amount(text: str, scale: Scale | None) -> Decimal | None:
    """What :meth:`Money.parse` makes of ``text`` in a unit worth ``scale`` (see
    :func:`unit_scale`) when the text is a bare number; ``None`` for any other text.

    >>> plain_amount("1200", unit_scale("万元")), plain_amount("3.50", unit_scale("元"))
    (Decimal('12000000'), Decimal('3.5'))
    """
    if scale is None:
        return None
    if scale[2] is not None and len(text) <= PLAIN_DIGITS and text.isascii() and text.isdigit():
        return Decimal(int(text) * scale[2])  # whole units of a whole unit: no rounding
    if not _PLAIN_NUMBER.fullmatch(text):
        return None
    return _tidy(Decimal(text) * scale[0])


def plain_fen(text: str, whole: int) -> int | None:
    """The fen ``text`` holds when it is a bare number ("1200", "3.25") of a unit worth
    ``whole`` 元 (or dollars …), worked out in integers; ``None`` for any other text and
    for an amount with a part smaller than a fen (the general reader says why).

    >>> plain_fen("1200", 10_000), plain_fen("0.0125", 10_000), plain_fen("0.001", 1)
    (1200000000, 12500, None)
    """
    if text.isdigit() and len(text) <= PLAIN_DIGITS and text.isascii():
        return int(text) * whole * 100  # the commonest amount: whole units
    if len(text) > PLAIN_DIGITS + 1 or not text.isascii():
        return None
    head, dot, tail = text.partition(".")
    if not head.isdigit() or (dot and not tail.isdigit()):
        return None
    fen, rest = divmod(int(head + tail) * whole * 100, 10 ** len(tail))
    return None if rest else fen


def cell_fen(text: str | None, whole: int | None) -> int:
    """What one amount cell becomes in :meth:`Table.fen_column`: its fen when it is a bare
    number of a unit worth ``whole`` 元 (:func:`plain_fen`), :data:`BLANK` when blank,
    :data:`OTHER` for any other text or a unit that is no whole number of 元.

    >>> cell_fen("12", 10_000), cell_fen(None, 10_000) == BLANK, cell_fen("1亿", 1) == OTHER
    (12000000, True, True)
    """
    if not text:
        return BLANK
    fen = plain_fen(text, whole) if whole else None
    return OTHER if fen is None else fen


#: What one of a unit is worth (in 元, dollars …), its currency, and the same worth as an
#: int when it is whole (every unit from 元 up).
Scale = tuple[Decimal, str, int | None]


@functools.lru_cache(maxsize=256)
def unit_scale(unit: str | None) -> Scale | None:
    """What one of ``unit`` is worth, and its currency; ``None`` for a bad unit.

    >>> unit_scale("万美元"), unit_scale("公斤")
    ((Decimal('10000'), 'USD', 10000), None)
    """
    try:
        one = Money.parse("1", unit=unit)
    except ValidationError:
        return None
    whole = int(one.amount) if one.amount == one.amount.to_integral_value() else None
    return one.amount, one.currency, whole


def _tidy(value: Decimal) -> Decimal:
    """What :meth:`Money.parse` makes of an amount: an integer without a fraction part,
    else without trailing zeros."""
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def read_table(
    path: str | PathLike[str],
    *,
    headers: HeaderMap,
    required: Set[str] | Sequence[Set[str]] = frozenset(),
    sheet: str | None = None,
    unit: str | None = None,
) -> Table:
    """Read the table in ``path`` (.xlsx or .csv); never raises on a bad file (but
    raises :class:`ValidationError` for a ``unit`` that is no money unit).

    The header is the first of the first 20 non-blank rows naming at least two known
    columns and every ``required`` field (a two-row header is read as one); ``required``
    may also be several sets of fields, one of which the header must name. Rows above it
    are titles; a "单位：万元" among them is the unit of money columns whose header names
    none, else ``unit``. Blank rows are skipped; 合计/总计/小计 rows and notes (注：…) are
    dropped at the bottom and a problem anywhere else. Without ``sheet``, the first
    worksheet with such a header is read.
    """
    choices = _choices(required)
    unknown = set().union(*choices) - headers.fields
    if unknown:
        raise ValueError(f"required fields {sorted(unknown)} are not in the header map")
    if unit is not None and not is_money_unit(unit):  # one problem, not one per cell
        expected = "a unit such as 元, 万元, 亿元 or 万美元 (unit=)"
        raise ValidationError([FieldError("import", "unit", unit, expected)])
    file = Path(path)
    grids, problems = load_grids(file, sheet)
    if not grids:
        return Table(file.name, sheet or file.name, {}, problems=tuple(problems))
    hidden = tuple(g.sheet for g in grids if g.hidden)
    grids = [g for g in grids if not g.hidden]
    if not grids:
        expected = "a visible worksheet (every sheet is hidden; name the one to read)"
        problem = FieldError(None, None, ", ".join(hidden), expected, sheet=file.name)
        return Table(file.name, file.name, {}, problems=(problem,), hidden_sheets=hidden)
    found = [(grid, find_header(grid, headers, choices)) for grid in grids]
    complete = [(g, h) for g, h in found if h is not None and h.complete]
    partial = [(g, h) for g, h in found if h is not None]
    grid, header = (complete or partial or found)[0]
    if header is None:
        missing = (_no_header(grid, headers, choices[0]),)
        return Table(file.name, grid.sheet, {}, problems=missing, hidden_sheets=hidden)
    return attrs.evolve(
        _read(file.name, grid, header, headers, choices, unit),
        hidden_sheets=hidden,
        other_sheets=tuple(g.sheet for g in grids if g is not grid),
        encoding=grid.encoding,
    )


def _choices(required: Set[str] | Sequence[Set[str]]) -> tuple[frozenset[str], ...]:
    """``required`` as the sets of fields one of which a header must name."""
    if isinstance(required, Set):
        return (frozenset(required),)
    return tuple(frozenset(choice) for choice in required) or (frozenset(),)


def _no_header(grid: Grid, headers: HeaderMap, required: Set[str]) -> FieldError:
    first = next((row for row in grid.rows if not row.is_blank()), None)
    value = " | ".join(c for c in first.cells if c) if first else None
    names = [headers.names_for(f)[0] for f in sorted(required)]
    wanted = f", including {'、'.join(names)}" if names else ""
    expected = f"a header row in the first 20 rows naming at least two known columns{wanted}"
    return FieldError(None, None, value, expected, grid.sheet, first.number if first else None)


def _read(
    source: str,
    grid: Grid,
    header: HeaderRow,
    headers: HeaderMap,
    choices: Sequence[frozenset[str]],
    unit: str | None,
) -> Table:
    columns, indexes, unmapped, problems = _columns(grid, header, headers, unit)
    satisfied = any(choice <= columns.keys() for choice in choices)
    for missing in [] if satisfied else sorted(choices[0] - columns.keys()):
        names = " or ".join(headers.names_for(missing)[:3])
        problems.append(
            FieldError(None, missing, None, f"a column headed {names}", grid.sheet, header.number)
        )
    body = [row for row in grid.rows if row.number > header.last and not _blank(row, indexes)]
    while body and _footer(body[-1]):
        body.pop()
    headed = {c.index for c in header.cells}
    width = max((len(line.cells) for line in body), default=0)
    spare = [i for i in range(width) if i not in headed]  # cells under no header
    fields = tuple(indexes)
    pick = _picker(tuple(indexes.values()))
    cells = MappingProxyType({f: columns[f].letter for f in indexes})  # the same for every row
    marks = _TotalMarks(indexes)
    rows: list[Row] = []
    sections: list[Section] = []
    totals: list[tuple[GridRow, str, int]] = []
    section: Section | None = None
    section_rows: list[int] = []
    for line in body:
        texts = line.cells
        for index in spare:
            if index < len(texts) and texts[index] is not None:
                unmapped.setdefault(letter(index), f"column {letter(index)}")
        found = marks.total(line)
        if found:
            totals.append((line, found[2], found[1]))
            continue
        named = _section(grid, line)
        if named is not None:
            if section is not None:
                sections.append(attrs.evolve(section, rows=tuple(section_rows)))
            section, section_rows = named, []
            continue
        # pick gives one text per field; zip's keyword alone costs more than the dict
        values = MappingProxyType(dict(zip(fields, pick(line))))  # noqa: B905
        rows.append(Row(line.number, values, cells, grid.sheet, section.label if section else None))
        section_rows.append(line.number)
    if section is not None:
        sections.append(attrs.evolve(section, rows=tuple(section_rows)))
    table = Table(
        source, grid.sheet, columns, tuple(rows), tuple(problems), header.number,
        dict(sorted(unmapped.items(), key=lambda kv: (len(kv[0]), kv[0]))),
        sections=tuple(sections), totals=tuple(line.number for line, _, _ in totals),
        titles=tuple(t for r in _above(grid, header.number) for t in r.cells if t),
    )  # fmt: skip
    checks = [*_check_sections(table), *_check_totals(table, totals, headers, indexes)]
    return attrs.evolve(table, problems=(*problems, *checks))


def _above(grid: Grid, number: int) -> Iterator[GridRow]:
    """The rows of ``grid`` above row ``number`` (a grid's rows are in sheet order)."""
    return itertools.takewhile(lambda row: row.number < number, grid.rows)


def _section(grid: Grid, line: GridRow) -> Section | None:
    """The section a row opens: one text (often merged across the row) numbered as a
    heading ("一、…", "（一）…")."""
    cells = line.cells
    text = next(filter(None, cells), None)
    if text is None or cells.count(text) + cells.count(None) + cells.count("") != len(cells):
        return None  # a data row: more than one text
    written = [t for t in cells if t]
    texts = {(grid.origin(line.number, i), t) for i, t in enumerate(line.cells) if t}
    merged = len(texts) == 1 and len(written) > 1
    clean = unicodedata.normalize("NFKC", text).strip()
    numbered = _SECTION.match(clean)
    if not numbered and not merged:
        return None
    label = clean[numbered.end() :] if numbered else clean
    count = _SECTION_COUNT.search(label)
    if count:
        label = label[: count.start()]
    return Section(line.number, text, label.strip(), int(count[1]) if count else None)


def _check_sections(table: Table) -> list[FieldError]:
    problems = []
    for section in table.sections:
        if section.count is not None and section.count != len(section.rows):
            expected = (
                f"a section of {section.count} projects, as its heading says "
                f"(rows {_span(section.rows)} hold {len(section.rows)})"
            )
            record = f"row {section.number}"
            problems.append(
                FieldError(
                    record, "section", section.text, expected, table.sheet, section.number, "A"
                )
            )
    return problems


def _span(numbers: Sequence[int]) -> str:
    return f"{numbers[0]}–{numbers[-1]}" if numbers else "none"


def _check_totals(
    table: Table,
    totals: Sequence[tuple[GridRow, str, int]],
    headers: HeaderMap,
    indexes: Mapping[str, int],
) -> list[FieldError]:
    """Each 小计 row against the rows since the section or the last 小计, each 合计 row
    against every project row above it: amounts per money column, and the count its
    text gives ("合计（6项）", "合计：2 个")."""
    problems: list[FieldError] = []
    starts = [s.number for s in table.sections]
    numbers = [r.number for r in table.rows]
    money = [(f, c) for f, c in table.columns.items() if headers.is_money(f)]
    last_sub = 0
    for line, text, index in totals:
        sub = "小计" in "".join(unicodedata.normalize("NFKC", text).split())
        if sub:
            begin = max([last_sub, *(n for n in starts if n < line.number)], default=0)
            last_sub = line.number
        else:
            begin = 0
        low, high = bisect.bisect_right(numbers, begin), bisect.bisect_left(numbers, line.number)
        scope = numbers[low:high]
        record = f"row {line.number}"
        where = letter(index)
        count = _COUNT.search(unicodedata.normalize("NFKC", text))
        if count and int(count[1]) != len(scope):
            expected = f"{len(scope)} projects (rows {_span(scope)})"
            problems.append(
                FieldError(record, None, text, expected, table.sheet, line.number, where)
            )
        for field, column in money:
            given = line.cell(indexes[field])
            if given is None:
                continue
            try:
                stated = cell_amount(given, column.unit)
            except ValidationError:
                continue
            cells = table.fen_column(field)[low:high]
            if OTHER not in cells:  # bare numbers (or blanks)
                scale = unit_scale(column.unit)
                if scale is None or scale[1] != stated[1]:
                    continue
                found = Money.from_fen(sum(cells) + cells.count(BLANK), scale[1]).amount
            else:
                amounts = [
                    _amount_or_none(r.values.get(field), column.unit) for r in table.rows[low:high]
                ]
                if any(c is None or c[1] != stated[1] for c in amounts):
                    continue  # a cell that is no amount (said at the cell), or another currency
                found = sum((c[0] for c in amounts if c is not None), stated[0] * 0)
            if found != stated[0]:
                shown = Money(found, stated[1]).format_cn(unit=column.unit or "元")
                expected = f"the sum of rows {_span(scope)}, {shown}"
                problems.append(
                    FieldError(
                        record, field, given, expected, table.sheet, line.number, column.letter
                    )
                )
    return problems


def _amount_or_none(value: str | None, unit: str | None) -> tuple[Decimal, str] | None:
    try:
        return cell_amount(value, unit)
    except ValidationError:
        return None


def _columns(
    grid: Grid, header: HeaderRow, headers: HeaderMap, unit: str | None
) -> tuple[dict[str, Column], dict[str, int], dict[str, str], list[FieldError]]:
    """Columns by field, their 0-based indexes, unknown headers, and header problems."""
    problems: list[FieldError] = []
    columns: dict[str, Column] = {}
    indexes: dict[str, int] = {}
    origins: dict[str, tuple[int, int]] = {}
    unmapped: dict[str, str] = {}
    checked: set[tuple[int, int] | None] = set()
    for cell in header.cells:
        where = letter(cell.index)
        if not cell.field:
            unmapped[where] = cell.text
            near = headers.near(cell.text.rsplit("/", 1)[-1]) if cell.field is None else None
            if near is not None:
                key, field = near
                expected = (
                    f"a header townplan knows — {cell.text!r} looks like {key!r} ({field}); "
                    f"map it with headers={{{cell.text!r}: {field!r}}}, or to '' to leave it out"
                )
                problems.append(
                    FieldError(None, field, cell.text, expected, grid.sheet, cell.row, where)
                )
            continue
        if cell.field in columns:
            if origins[cell.field] != cell.origin:  # not one merged header over columns
                held = columns[cell.field].letter
                expected = f"one column for {cell.field}; column {held} already has it"
                problems.append(
                    FieldError(None, cell.field, cell.text, expected, grid.sheet, cell.row, where)
                )
            continue
        column_unit, unit_at = cell.unit, cell.unit_at
        money = headers.is_money(cell.field)
        if column_unit is None and money:
            column_unit, unit_at = header.title_unit or unit, header.title_unit_at
        if money and column_unit is not None and not is_money_unit(column_unit):
            if unit_at not in checked:  # one bad "单位" line is one problem
                row_at, at = (unit_at[0], letter(unit_at[1])) if unit_at else (None, None)
                expected = f"{_MONEY_UNITS} for {cell.field}"
                problems.append(
                    FieldError(None, cell.field, column_unit, expected, grid.sheet, row_at, at)
                )
            checked.add(unit_at)
        columns[cell.field] = Column(where, cell.text, column_unit, cell.row)
        indexes[cell.field] = cell.index
        origins[cell.field] = cell.origin
    return columns, indexes, unmapped, problems


def _blank(row: GridRow, indexes: Mapping[str, int]) -> bool:
    """Blank, or only a 序号 left from a pre-numbered template (a 小计/合计 in the 序号
    column is a total row, not a blank one)."""
    cells = row.cells
    empty = cells.count(None)
    if empty == len(cells):
        return True
    seq = indexes.get("seq")
    number = cells[seq] if seq is not None and seq < len(cells) else None
    if number is None or empty != len(cells) - 1:
        return False
    return not _total_text(number)


def _footer(row: GridRow) -> bool:
    texts = {text for text in row.cells if text}
    return len(texts) == 1 and bool(_FOOTER.match(texts.pop()))


class _TotalMarks:
    """Where a 合计/总计/小计 row is marked: its first written cell, or the 序号, code,
    project or name column."""

    def __init__(self, indexes: Mapping[str, int]) -> None:
        self.fields = {i: f for f, i in indexes.items()}
        self.columns = [indexes[f] for f in ("seq", "code", "project", "name") if f in indexes]

    def total(self, row: GridRow) -> tuple[str | None, int, str] | None:
        """The (field, index, text) of the cell marking ``row`` as a total, if it is one."""
        cells = row.cells
        written = next(filter(None, cells), None)
        if written is not None and "计" in written and _total_text(written):
            first = cells.index(written)
            return self.fields.get(first), first, written
        for index in self.columns:
            text = cells[index] if index < len(cells) else None
            if text and "计" in text and _total_text(text):  # the test inline: every row
                return self.fields.get(index), index, text
        return None


def _total(row: GridRow, indexes: Mapping[str, int]) -> tuple[str | None, int, str] | None:
    """The (field, index, text) of the cell marking a 合计/总计/小计 row, if it is one."""
    return _TotalMarks(indexes).total(row)


def _picker(indexes: tuple[int, ...]) -> Callable[[GridRow], tuple[str | None, ...]]:
    """What takes the cells at ``indexes`` from a row (``None`` past its end)."""
    if not indexes:
        return lambda _row: ()
    last = max(indexes)
    get = operator.itemgetter(*indexes)
    one = len(indexes) == 1

    def pick(row: GridRow) -> tuple[str | None, ...]:
        cells = row.cells
        if len(cells) <= last:
            return tuple(row.cell(i) for i in indexes)
        return (get(cells),) if one else get(cells)

    return pick


def _total_text(text: str) -> bool:
    """Whether a cell's text marks a total: "合计", "小 计", "全镇合计", "合计(36个)" …"""
    if "计" not in text:
        return False  # every total word ends in 计, and no other character's NFKC holds it
    return bool(_TOTAL.match("".join(unicodedata.normalize("NFKC", text).split())))


def title_texts(table: Table) -> list[str]:
    """The texts above ``table``'s header ("2013年重点项目建设进度表", "报送部门：…"), top to
    bottom, NFKC-normalised, less those that date the sheet rather than name its period:
    a day ("填报日期：2013年7月5日") or a span of years ("“十二五”（2011-2015年）").

    >>> t = Table("r.csv", "r.csv", {}, titles=("2013年6月进度表", "填报日期：2013年7月5日",
    ...           "“十二五”（2011-2015年）规划", "单位：万元"))
    >>> title_texts(t)
    ['2013年6月进度表', '单位:万元']
    """
    found = (unicodedata.normalize("NFKC", text) for text in table.titles)
    return [t for t in found if not _DAY.search(t) and not _YEARS.search(t) and "日期" not in t]


#: A day ("2013年7月5日", "2013-07-05") and a span of years ("2011-2015年", "2011—2015")
#: in a title: neither names the sheet's month or year.
_DAY: Final = re.compile(r"\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日|\d{4}-\d{1,2}-\d{1,2}")
_YEARS: Final = re.compile(r"\d{4}\s*年?\s*[-—–~至到]\s*\d{4}")
