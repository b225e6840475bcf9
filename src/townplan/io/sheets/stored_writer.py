"""Write rows as the ledger stores them straight to a sheet, with no record in between.

An export of many rows spends its time per cell, so each column says once where its cells
come from (:class:`Stored`) and the rows (tuples from SQL) are written as they arrive: a
value shown as stored (text, a whole number), an amount in fen, the row's number (序号),
or a cell worked out from the row. The sheet looks as :func:`~townplan.io.sheets.writer.
write_table` lays it out, cell for cell the same.

An amount is stored in fen (分) and written in 万 of the table's currency: an .xlsx cell
gets the whole number or the float nearest the exact quotient — for at most 15
significant digits, the one number a float holds exactly to the fen — and anything else
(more digits, another currency, a value that is not a whole number of fen) goes through
:func:`~townplan.io.sheets.writer.amount` and :class:`~townplan.model.money.Money`, which
refuse what they cannot hold exactly.

>>> import tempfile, pathlib
>>> from decimal import Decimal
>>> from townplan.io.sheets.writer import Column
>>> from townplan.io.sheets.table import read_table
>>> from townplan.io.sheets.headers import REGISTER_HEADERS
>>> columns = [Stored.ordinal(Column("序号", 6)), Stored.value(Column("项目编号"), 0),
...            Stored.amount(Column("总投资（万元）", money=True), 1)]
>>> rows = [("P001", 123_456_780, "CNY"), ("P002", 50_000_000_000, "CNY")]
>>> path = write_stored(pathlib.Path(tempfile.mkdtemp()) / "r.xlsx", "项目库", "重大项目库",
...     columns, [rows], count=2, currency_at=2, currency="CNY",
...     total=lambda sums: ["合计", None, Decimal(sums[0]) / 1_000_000])
>>> table = read_table(path, headers=REGISTER_HEADERS, required={"code"})
>>> [table.money(r, "total_investment").format_cn() for r in table.rows]
['123.45678万元', '5亿元']
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from os import PathLike
from pathlib import Path
from typing import Any, Final

import attrs

from townplan.io.sheets.grid import CSV_SUFFIXES
from townplan.io.sheets.writer import (
    Cell,
    Column,
    XlsxSheet,
    amount,
    check_target,
    csv_sheet,
    csv_text,
    replacing,
)
from townplan.model.money import Money
from townplan.progress import ProgressHook, Tally

__all__ = ["Stored", "wan_number", "write_stored"]

#: A stored row: the values of one SQL row, by position.
Row = Sequence[Any]

_FEN_PER_WAN: Final = 1_000_000
#: Below this many fen an amount has at most 15 digits, and its quotient in 万 is exact
#: as a whole number or (the nearest float) as a float.
_FAST_LIMIT: Final = 10**15

_ORDINAL, _VALUE, _AMOUNT, _DERIVED = "ordinal", "value", "amount", "derived"


@attrs.frozen
class Stored:
    """A column of the sheet and where its cells come from in a stored row."""

    column: Column
    kind: str
    at: int = -1
    blank_zero: bool = False
    derive: Callable[[Row], Cell] | None = None

    @classmethod
    def ordinal(cls, column: Column) -> Stored:
        """The row's number, from 1 (序号)."""
        return cls(column, _ORDINAL)

    @classmethod
    def value(cls, column: Column, at: int) -> Stored:
        """The value at position ``at`` as stored: text (empty text is a blank cell) or
        a whole number; None is a blank."""
        return cls(column, _VALUE, at)

    @classmethod
    def amount(cls, column: Column, at: int, *, blank_zero: bool = False) -> Stored:
        """The amount in fen at position ``at``, in the row's currency, written in 万 of
        the table's (``blank_zero``: zero in the table's currency is a blank)."""
        return cls(attrs.evolve(column, money=True), _AMOUNT, at, blank_zero)

    @classmethod
    def derived(cls, column: Column, derive: Callable[[Row], Cell]) -> Stored:
        """The cell ``derive(row)`` works out from the whole row."""
        return cls(column, _DERIVED, derive=derive)


def wan_number(fen: int) -> int | float | None:
    """``fen`` in 万 as an .xlsx number, exactly when it has at most 15 digits (the
    whole number, or the float nearest the quotient, which is :func:`~townplan.io.sheets.
    writer.xlsx_value` of the decimal); None for any other amount.

    >>> wan_number(12_000_000), wan_number(123_450), wan_number(10**15)
    (12, 0.12345, None)
    """
    if type(fen) is not int or not -_FAST_LIMIT < fen < _FAST_LIMIT:
        return None
    whole, rest = divmod(fen, _FEN_PER_WAN)
    return fen / _FEN_PER_WAN if rest else whole  # int / int: correctly rounded


def _amount_cell(fen: Any, currency: str, table: str, blank_zero: bool) -> Cell:
    """The cell of an amount in fen the general way (:func:`amount`), which refuses a
    value that is not a whole number of fen."""
    return amount(Money.from_fen(fen, currency), table, blank_zero=blank_zero)


def write_stored(
    path: str | PathLike[str],
    sheet: str,
    title: str,
    columns: Sequence[Stored],
    batches: Iterable[Sequence[Row]],
    *,
    count: int,
    currency_at: int,
    currency: str,
    total: Callable[[list[int]], Sequence[Cell]] | None = None,
    on_progress: ProgressHook | None = None,
) -> Path:
    """Write ``title``, the header, the ``count`` rows of ``batches`` and the ``total``
    row to ``path`` (.xlsx or .csv by suffix, as :func:`~townplan.io.sheets.writer.
    write_table`); returns the path.

    ``currency_at`` is the position of each row's currency; ``currency`` the table's.
    ``total`` is given the sums in fen of the amount columns (rows in the table's currency)
    and returns the 合计 row. ``on_progress`` is told ``(done, total)`` as rows are written.
    An error leaves no half-written file, and an earlier file at ``path`` as it was.
    """
    file = Path(path)
    check_target(file, count + (total is not None))
    tally = Tally(on_progress, count + (total is not None))
    sums = [0] * sum(1 for c in columns if c.kind == _AMOUNT)
    with replacing(file) as part:
        if file.suffix.lower() in CSV_SUFFIXES:
            _csv(part, title, columns, batches, currency_at, currency, sums, tally, total)
        else:
            _xlsx(part, sheet, title, columns, batches, currency_at, currency, sums, tally, total)
    tally.finish()
    return file


def _xlsx(
    file: Path,
    sheet: str,
    title: str,
    columns: Sequence[Stored],
    batches: Iterable[Sequence[Row]],
    currency_at: int,
    currency: str,
    sums: list[int],
    tally: Tally,
    total: Callable[[list[int]], Sequence[Cell]] | None,
) -> None:
    with XlsxSheet(file, sheet, title, [c.column for c in columns]) as out:
        style = out.money
        write_string, write_number = out.write_string, out.write_number
        ordinals = [i for i, c in enumerate(columns) if c.kind == _ORDINAL]
        values = [(i, c.at) for i, c in enumerate(columns) if c.kind == _VALUE]
        amounts = [(j, i, c.at, c.blank_zero)
                   for j, (i, c) in enumerate((i, c) for i, c in enumerate(columns)
                                               if c.kind == _AMOUNT)]  # fmt: skip
        derived = [(i, c.derive) for i, c in enumerate(columns) if c.derive is not None]
        n = 1
        for batch in batches:
            for row in batch:
                n += 1
                for i in ordinals:
                    write_number(n, i, n - 1)
                for i, at in values:
                    value = row[at]
                    if type(value) is str:
                        if value and (code := write_string(n, i, value)):
                            out.check(n, i, value, code)
                    elif value is not None:
                        out.write_cell(n, i, value, None)
                own = row[currency_at]
                for j, i, at, blank_zero in amounts:
                    fen = row[at]
                    number = wan_number(fen) if own == currency else None
                    if number is not None:
                        sums[j] += fen
                        if fen or not blank_zero:
                            write_number(n, i, number, style)
                        continue
                    cell = _amount_cell(fen, own, currency, blank_zero)
                    if own == currency:
                        sums[j] += fen
                    if cell is not None:
                        out.write_cell(n, i, cell, style)
                for i, derive in derived:
                    cell = derive(row)
                    if type(cell) is str:
                        if cell and (code := write_string(n, i, cell)):
                            out.check(n, i, cell, code)
                    elif cell is not None:
                        out.write_cell(n, i, cell, None)
            tally.add(len(batch))
        if total is not None:
            out.write_row(n + 1, total(sums), total=True)
            tally.add()


def _csv(
    file: Path,
    title: str,
    columns: Sequence[Stored],
    batches: Iterable[Sequence[Row]],
    currency_at: int,
    currency: str,
    sums: list[int],
    tally: Tally,
    total: Callable[[list[int]], Sequence[Cell]] | None,
) -> None:
    amounts = {c.at: j for j, c in enumerate(c for c in columns if c.kind == _AMOUNT)}

    def text(column: Stored, row: Row, n: int) -> str:
        if column.kind == _ORDINAL:
            return str(n)
        if column.derive is not None:
            return csv_text(column.derive(row))
        value = row[column.at]
        if column.kind == _VALUE:
            return csv_text(value)
        own = row[currency_at]
        cell = _amount_cell(value, own, currency, column.blank_zero)
        if own == currency:
            sums[amounts[column.at]] += value
        return csv_text(cell)

    with csv_sheet(file, title, [c.column.header for c in columns]) as writer:
        n = 0
        for batch in batches:
            for row in batch:
                n += 1
                writer.writerow([text(c, row, n) for c in columns])
            tally.add(len(batch))
        if total is not None:
            writer.writerow([csv_text(v) for v in total(sums)])
            tally.add()
