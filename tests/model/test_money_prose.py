"""``prose_cn``: an amount of fen as a light's reason writes it, in integers. It must say
what ``Money.format_cn(places=2, trim=True)`` says (the Decimal path, a separate
implementation) for every amount, and what an official writes for the ones typed here."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townplan.model.money import CURRENCY_NAMES, Money, prose_cn

INT64 = st.integers(min_value=-(2**63), max_value=2**63 - 1)
# the edges where the unit or the rounding changes, and a step either side of them
EDGES = st.sampled_from([10**6, 10**10, 9_999_995_000, 99_995, 999_999_995, 50, 5]).flatmap(
    lambda edge: st.integers(min_value=edge - 3, max_value=edge + 3)
)


@pytest.mark.parametrize(
    ("fen", "text"),
    [
        (0, "0元"),
        (5, "0.05元"),
        (999_999, "9999.99元"),  # below 1万元: plain yuan, exact
        (1_000_000, "1万元"),
        (461_923_450, "461.92万元"),
        (461_925_000, "461.93万元"),  # 461.925万: half-up
        (400_000_000, "400万元"),
        (9_999_994_999, "9999.99万元"),
        (9_999_995_000, "1亿元"),  # 9999.995万 rounds into the next unit
        (11_640_210_000, "1.16亿元"),
        (-700_000_000, "-700万元"),
        (-4, "-0.04元"),
    ],
)
def test_amounts_as_an_official_writes_them(fen: int, text: str) -> None:
    assert prose_cn(fen) == text


def test_other_currencies_take_their_name_or_code() -> None:
    assert prose_cn(123_456_000_000, "USD") == "12.35亿美元"
    assert prose_cn(150, "XAF") == "1.5XAF"


@given(st.one_of(INT64, EDGES), st.sampled_from(sorted(CURRENCY_NAMES)))
def test_says_what_format_cn_says(fen: int, currency: str) -> None:
    assert prose_cn(fen, currency) == Money.from_fen(fen, currency).format_cn(places=2, trim=True)
