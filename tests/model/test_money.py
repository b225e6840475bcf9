"""Money: exact amounts read and written the way officials write them."""

from __future__ import annotations

import operator
from datetime import date
from decimal import Decimal
from functools import reduce

import pytest
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan.model.money import CURRENCY_NAMES, _tidy

# 0.01元 … 10¹²元, exactly two decimal places.
amounts = st.integers(min_value=1, max_value=10**14).map(lambda fen: Decimal(fen).scaleb(-2))
currencies = st.sampled_from(["CNY", "USD"])
FULL_WIDTH = str.maketrans("0123456789.,-", "０１２３４５６７８９．，－")


# --- round trips --------------------------------------------------------------------------


@given(amount=amounts, currency=currencies, unit=st.sampled_from([None, "万", "亿"]))
def test_format_cn_reads_back_exactly(amount: Decimal, currency: str, unit: str | None) -> None:
    money = tp.Money(amount, currency)
    text = money.format_cn(unit)
    assert tp.Money.parse(text) == money
    assert tp.Money.parse(text).currency == currency


@given(amount=amounts, currency=currencies)
def test_negative_format_cn_reads_back(amount: Decimal, currency: str) -> None:
    money = -tp.Money(amount, currency)
    assert tp.Money.parse(money.format_cn()) == money


@given(amount=amounts, currency=st.sampled_from(sorted(CURRENCY_NAMES)))
def test_str_reads_back_in_every_named_currency(amount: Decimal, currency: str) -> None:
    money = tp.Money(amount, currency)
    assert tp.Money.parse(str(money)) == money
    assert tp.Money.parse(money.format_cn()) == money


@given(amount=amounts)
def test_full_width_and_thousands_separators_read_back(amount: Decimal) -> None:
    money = tp.Money(amount)
    assert tp.Money.parse(f"{amount:,}元") == money
    assert tp.Money.parse(f"{amount:,}元".translate(FULL_WIDTH)) == money
    assert tp.Money.parse(f"-{amount:,}元".translate(FULL_WIDTH)) == -money


def test_format_cn_reads_back_for_a_currency_without_a_chinese_name() -> None:
    money = tp.Money(Decimal(50_000), "AUD")
    assert tp.Money.parse(money.format_cn()) == money


def test_format_cn_examples() -> None:
    assert tp.Money.parse("1.27亿美元").format_cn() == "1.27亿美元"
    assert tp.Money(Decimal("10000000")).format_cn() == "1000万元"
    assert tp.Money(Decimal("9999")).format_cn() == "9999元"
    assert tp.Money(Decimal("10000")).format_cn() == "1万元"
    assert tp.Money(Decimal("200000000")).format_cn(unit="万") == "20000万元"
    assert tp.Money(Decimal("10000000")).format_cn(unit="亿") == "0.1亿元"
    assert tp.Money(Decimal("12345")).format_cn(unit="") == "12345元"
    assert str(tp.Money(Decimal("200000000"))) == "200000000.00 CNY"


@pytest.mark.parametrize(
    ("amount", "unit", "expected"),
    [
        ("122500000", "亿", "1.23亿元"),  # half-up, where banker's rounding gives 1.22
        ("-122500000", "亿", "-1.23亿元"),
        ("1250", "万", "0.13万元"),
        ("123456789.01", None, "1.23亿元"),
        ("122499999", "亿", "1.22亿元"),
        ("100000000", "亿", "1.00亿元"),
    ],
)
def test_format_cn_places_rounds_half_up(amount: str, unit: str | None, expected: str) -> None:
    assert tp.Money(Decimal(amount)).format_cn(unit=unit, places=2) == expected


# --- parsing official text ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kwargs", "amount", "currency"),
    [
        ("1000万元", {}, "10000000", "CNY"),
        ("2亿", {}, "200000000", "CNY"),
        ("1.27亿美元", {}, "127000000", "USD"),
        ("2.39亿美元", {}, "239000000", "USD"),
        ("15亿元", {}, "1500000000", "CNY"),
        ("1,500万", {}, "15000000", "CNY"),
        ("1亿2000万", {}, "120000000", "CNY"),
        ("1亿2000万美元", {}, "120000000", "USD"),
        ("１，２００万元", {}, "12000000", "CNY"),
        ("－５万元", {}, "-50000", "CNY"),
        ("-5万", {}, "-50000", "CNY"),
        ("-1亿2000万", {}, "-120000000", "CNY"),
        ("¥1000万", {}, "10000000", "CNY"),
        ("1000万人民币", {}, "10000000", "CNY"),
        ("5000万港元", {}, "50000000", "HKD"),
        ("0.01", {}, "0.01", "CNY"),
        ("100 USD", {}, "100", "USD"),
        ("3.5", {"unit": "万元"}, "35000", "CNY"),
        ("3.5", {"unit": "(亿元)"}, "350000000", "CNY"),
        ("3.5", {"unit": "（亿元）"}, "350000000", "CNY"),
        ("3.5", {"unit": "万美元"}, "35000", "USD"),
        ("3", {"unit": "元"}, "3", "CNY"),
        ("2亿", {"unit": "万元"}, "200000000", "CNY"),  # the text's own unit wins
        ("100", {"currency": "USD"}, "100", "USD"),
    ],
)
def test_parse_official_text(text: str, kwargs: dict[str, str], amount: str, currency: str) -> None:
    assert tp.Money.parse(text, **kwargs) == tp.Money(Decimal(amount), currency)


def test_parse_renminbi_prefix() -> None:
    assert tp.Money.parse("人民币1000万元") == tp.Money(Decimal(10_000_000))


def test_parse_error_names_the_text() -> None:
    with pytest.raises(tp.ValidationError, match=r"12\.3\.4亿") as info:
        tp.Money.parse("12.3.4亿")
    assert info.value.field == "amount"
    assert info.value.value == "12.3.4亿"


# --- arithmetic ---------------------------------------------------------------------------


@given(st.lists(amounts, max_size=60))
def test_sums_are_exact(values: list[Decimal]) -> None:
    items = [tp.Money(v) for v in values]
    expected = tp.Money(sum(values, Decimal(0)))
    if items:  # sum() starts from 0, which Money accepts only as a start
        assert sum(items) == expected
    assert tp.sum_money(items) == expected
    assert reduce(operator.add, items, tp.Money.zero()) == expected
    assert reduce(operator.sub, items, expected) == tp.Money.zero()


def test_float_sum_would_be_wrong_but_money_is_not() -> None:
    dimes = [tp.Money.parse("0.1")] * 10
    assert tp.sum_money(dimes) == tp.Money.parse("1")
    assert tp.Money.parse("0.1") * 3 == tp.Money.parse("0.3")


def test_sum_of_nothing_is_zero_in_the_currency() -> None:
    assert tp.sum_money([], "USD") == tp.Money.zero("USD")


@pytest.mark.parametrize(
    "op", [operator.add, operator.sub, operator.lt, operator.ge, operator.truediv]
)
def test_mixing_currencies_raises(op: object) -> None:
    with pytest.raises(tp.ValidationError) as info:
        op(tp.Money.parse("1亿"), tp.Money.parse("1亿美元"))  # type: ignore[operator]
    assert info.value.field == "currency"
    assert "CNY" in str(info.value)
    assert "USD" in str(info.value)


def test_sum_money_refuses_mixed_currencies() -> None:
    with pytest.raises(tp.ValidationError):
        tp.sum_money([tp.Money.parse("1万"), tp.Money.parse("1万美元")])


def test_floats_are_refused() -> None:
    with pytest.raises(tp.ValidationError):
        tp.Money(1.5)  # type: ignore[arg-type]
    with pytest.raises(tp.ValidationError):
        tp.Money.of(1.5)  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        tp.Money.parse("1万") * 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        tp.Money.parse("1万") / 1.5  # type: ignore[operator]
    with pytest.raises(TypeError):
        tp.Money.parse("1万") + 1  # type: ignore[operator]


def test_comparisons() -> None:
    small, big = tp.Money.parse("999.99万"), tp.Money.parse("1000万")
    assert small < big
    assert small <= big
    assert big > small
    assert big >= small
    assert big >= tp.Money.parse("0.1亿")
    assert big <= tp.Money.parse("0.1亿")
    assert tp.Money.parse("1万") == tp.Money(Decimal("10000.00"))
    assert hash(tp.Money.parse("1万")) == hash(tp.Money(Decimal("10000.00")))
    assert tp.Money.parse("1万") != tp.Money.parse("1万美元")
    assert sorted([big, small, -big]) == [-big, small, big]
    assert not tp.Money.zero()
    assert tp.Money.parse("0.01")


def test_multiply_and_divide() -> None:
    plan = tp.Money.parse("1200万")
    assert plan * 3 == tp.Money.parse("3600万")
    assert plan / 12 == tp.Money.parse("100万")
    assert tp.Money.parse("300万") / plan == Decimal("0.25")


# --- exchange rates -----------------------------------------------------------------------


def test_convert_with_a_dated_rate() -> None:
    rate = tp.ExchangeRate("USD", "CNY", Decimal("6.1932"), date(2013, 6, 30))
    assert tp.Money.parse("1.27亿美元").convert(rate) == tp.Money(Decimal("786536400"))
    assert tp.Money.parse("1亿美元").convert(rate).currency == "CNY"


def test_convert_with_the_wrong_base_raises() -> None:
    rate = tp.ExchangeRate("HKD", "CNY", Decimal("0.8"), date(2013, 6, 30))
    with pytest.raises(tp.ValidationError) as info:
        tp.Money.parse("1亿美元").convert(rate)
    assert info.value.field == "base"
    assert info.value.value == "HKD"


# --- storage in fen -----------------------------------------------------------------------


@given(fen=st.integers(min_value=-(10**16), max_value=10**16), currency=currencies)
def test_fen_round_trip(fen: int, currency: str) -> None:
    money = tp.Money.from_fen(fen, currency)
    assert money.fen() == fen
    assert money.amount == Decimal(fen) / 100
    assert tp.Money.from_fen(money.fen(), currency) == money


def test_fen_refuses_fractions_of_a_fen() -> None:
    assert tp.Money.parse("1.27亿美元").fen() == 12_700_000_000
    with pytest.raises(tp.ValidationError, match=r"0\.005"):
        tp.Money(Decimal("0.005")).fen()


@given(fen=st.integers(-(2**63), 2**63 - 1), currency=st.sampled_from(["CNY", "USD", "HKD"]))
def test_from_fen_builds_the_same_money_as_the_checked_constructor(fen: int, currency: str):
    checked = tp.Money(_tidy(Decimal(fen).scaleb(-2)), currency)
    built = tp.Money.from_fen(fen, currency)
    assert built == checked and hash(built) == hash(checked) and repr(built) == repr(checked)
    assert built.fen() == fen


@given(fen=st.integers(-(10**60), 10**60))
def test_from_fen_and_fen_are_exact_at_any_size(fen: int):
    money = tp.Money.from_fen(fen)
    assert money.fen() == fen
    assert "E" not in str(money.amount)


@pytest.mark.parametrize("fen", [1.5, "100", Decimal(1), True, None])
def test_from_fen_takes_only_a_whole_number_of_fen(fen: object):
    with pytest.raises(tp.ValidationError) as caught:
        tp.Money.from_fen(fen)  # type: ignore[arg-type]
    assert (caught.value.errors[0].field, caught.value.errors[0].value) == ("fen", fen)


@pytest.mark.parametrize("currency", ["cny", "YUAN", "", "C1Y"])
def test_from_fen_still_checks_the_currency(currency: str):
    with pytest.raises(tp.ValidationError) as caught:
        tp.Money.from_fen(100, currency)
    assert caught.value.errors[0].field == "currency"


@pytest.mark.parametrize(
    "text",
    [
        "10000.0000000000000000000000004",  # 31 digits: a 28-digit context rounds it away
        "0.001",
        "12.345元",
        "1.2345678万元",  # 12345.678 元
        "1.0000000001万",  # 10000.000001 元
    ],
)
def test_an_amount_below_one_fen_is_refused_not_rounded(text: str) -> None:
    with pytest.raises(tp.ValidationError, match="whole 分") as caught:
        tp.Money.parse(text)
    (problem,) = caught.value.errors
    assert problem.value == text


@given(st.integers(min_value=-(10**40), max_value=10**40))
def test_every_whole_fen_amount_reads_back_exactly(fen: int) -> None:
    digits = str(abs(fen)).rjust(3, "0")  # written out by hand: no Decimal context at all
    text = f"{'-' if fen < 0 else ''}{digits[:-2]}.{digits[-2:]}"
    assert tp.Money.parse(text).amount == Decimal(text)
    assert tp.Money.parse(text).fen() == fen


def _prose_oracle(fen: int) -> str:
    """Two decimals of the unit at most, no trailing zeros, the unit of the rounded amount:
    in whole fen, by hand."""
    sizes = {"亿": 10**10, "万": 10**6, "": 100}

    def unit_of(n: int) -> str:
        return "亿" if abs(n) >= 10**10 else "万" if abs(n) >= 10**6 else ""

    step = sizes[unit_of(fen)] // 100
    whole, rest = divmod(abs(fen), step)
    whole += 1 if 2 * rest >= step else 0  # half-up: halves away from zero
    rounded = (1 if fen >= 0 else -1) * whole * step
    unit = unit_of(rounded)
    text = f"{Decimal(rounded) / Decimal(sizes[unit]):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return f"{'0' if text in ('-0', '') else text}{unit}元"


@given(st.integers(min_value=-(10**16), max_value=10**16))
def test_format_cn_trim_writes_the_rounded_amount_as_prose_does(fen: int) -> None:
    assert tp.Money.from_fen(fen).format_cn(places=2, trim=True) == _prose_oracle(fen)


@pytest.mark.parametrize(
    ("amount", "expected"),
    [
        ("4000万", "4000万元"), ("1.164021亿", "1.16亿元"), ("9999.996万", "1亿元"),
        ("9999.99", "9999.99元"), ("-4000.50万", "-4000.5万元"), ("0.01", "0.01元"),
        ("-0.001万", "-10元"), ("461.915万", "461.92万元"),
    ],
)  # fmt: skip
def test_format_cn_trim_examples(amount: str, expected: str) -> None:
    assert tp.Money.parse(amount).format_cn(places=2, trim=True) == expected


@pytest.mark.parametrize("trim", [True, False])
@pytest.mark.parametrize("places", [-1, -3])
def test_format_cn_refuses_a_negative_number_of_places(places: int, trim: bool) -> None:
    # rounding to tens of 万 wrote 12345.678 as "0万元"; the unit it names is not the amount's
    with pytest.raises(tp.ValidationError, match="places") as caught:
        tp.Money(Decimal("12345.678")).format_cn(places=places, trim=trim)
    problem = caught.value.errors[0]
    assert (problem.record, problem.field, problem.value) == ("Money", "places", places)


def test_format_cn_rounds_to_no_places() -> None:
    assert tp.Money(Decimal("12345.678")).format_cn(places=0, trim=True) == "1万元"
    assert tp.Money(Decimal("12345.678")).format_cn(places=0) == "1万元"
    assert tp.Money(Decimal("9999.5")).format_cn(places=0, trim=True) == "1万元"
