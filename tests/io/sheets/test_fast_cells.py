"""The reader's shortcuts for the commonest cells give what the general readers give:
a number cell's text, and a bare amount read with its unit."""

from __future__ import annotations

import sys
import unicodedata
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from townplan.errors import ValidationError
from townplan.io.sheets.grid import _texts, cell_text
from townplan.io.sheets.table import (
    BLANK,
    OTHER,
    Column,
    Row,
    Table,
    cell_amount,
    plain_fen,
    unit_scale,
)
from townplan.model.money import Money

UNITS = ("元", "万元", "亿元", "千元", "万美元", None)


@given(st.floats(allow_nan=True, allow_infinity=True))
def test_a_number_cell_reads_as_cell_text_writes_it(value: float) -> None:
    assert _texts([value], 1, {}) == [cell_text(value)]


amounts = st.one_of(
    st.integers(0, 10**19).map(str),
    st.decimals(0, 10**12, places=6, allow_nan=False).map(str),
    st.from_regex(r"\A[0-9]{0,20}(\.[0-9]{0,8})?\Z"),
    st.sampled_from(["0012", "1.50", "7.", ".5", "1e3", "١٢", "²", "-3", "1,200"]),
)


@given(amounts, st.sampled_from(UNITS))
def test_a_bare_amount_in_fen_is_what_money_parse_reads(text: str, unit: str | None) -> None:
    scale = unit_scale(unit)
    assert scale is not None and scale[2] is not None
    fen = plain_fen(text, scale[2])
    try:
        expected = Money.parse(text, unit=unit)
    except ValidationError:
        assert fen is None
        return
    if fen is not None:
        assert Money.from_fen(fen, scale[1]) == expected
        assert str(Money.from_fen(fen, scale[1]).amount) == str(expected.amount)


@given(amounts, st.sampled_from(UNITS))
def test_a_total_cell_reads_as_money_parse_reads_it(text: str, unit: str | None) -> None:
    try:
        expected = Money.parse(text or "0", unit=unit)
    except ValidationError:
        try:
            cell_amount(text, unit)
        except ValidationError:
            return
        raise AssertionError(f"{text!r} in {unit} read as an amount") from None
    amount, currency = cell_amount(text, unit)
    assert (amount, currency) == (expected.amount, expected.currency)
    assert str(amount) == str(expected.amount) and isinstance(amount, Decimal)


@given(st.lists(st.one_of(st.none(), amounts), max_size=8), st.sampled_from(UNITS))
def test_a_column_of_amounts_reads_cell_by_cell_as_money_parse_reads_it(
    texts: list[str | None], unit: str | None
) -> None:
    rows = tuple(Row(n, {"total_investment": t}, {}) for n, t in enumerate(texts, 1))
    table = Table("r.csv", "r.csv", {"total_investment": Column("D", "总投资", unit)}, rows)
    read = table.fen_column("total_investment")
    for text, got in zip(texts, read, strict=True):
        if not text:
            assert got == BLANK
            continue
        try:
            expected = Money.parse(text, unit=unit)
        except ValidationError:
            assert got == OTHER  # left to the general reader, which names the problem
            continue
        if got != OTHER:
            assert got >= 0
            assert Money.from_fen(got, expected.currency) == expected
    assert table.fen_column("total_investment") is read  # read once


def test_only_ji_itself_holds_ji_once_normalised() -> None:
    # the total rows' shortcut: a text without 计 is no 合计/小计/总计 under NFKC either
    holders = [
        char
        for char in map(chr, range(sys.maxunicode + 1))
        if unicodedata.decomposition(char) and "计" in unicodedata.normalize("NFKC", char)
    ]
    assert holders == []
