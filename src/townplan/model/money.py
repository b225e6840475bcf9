"""Money: an exact ``Decimal`` amount with its currency, read and written the official way.

Officials write amounts in 万元 (10⁴) and 亿元 (10⁸), with the currency in the unit
("1.27亿美元"). :meth:`Money.parse` reads that; :meth:`Money.format_cn` writes it back.

>>> Money.parse("1.27亿美元")
Money(amount=Decimal('127000000'), currency='USD')
>>> Money.parse("1,500万").format_cn()
'1500万元'
>>> Money.parse("3.5", unit="万元")
Money(amount=Decimal('35000'), currency='CNY')
>>> str(Money.parse("2亿"))
'200000000.00 CNY'
>>> Money.parse("1000万元") + Money.parse("2亿元")
Money(amount=Decimal('210000000'), currency='CNY')
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from datetime import date
from decimal import (
    MAX_EMAX,
    MAX_PREC,
    MIN_EMIN,
    ROUND_HALF_UP,
    Context,
    Decimal,
    InvalidOperation,
    localcontext,
)
from functools import lru_cache
from typing import Final, Self

import attrs

from townplan.errors import ValidationError

__all__ = ["CURRENCY_NAMES", "ExchangeRate", "Money", "prose_cn", "sum_money"]

#: Currency codes with the Chinese word an official writes after the unit (元, 美元 …).
CURRENCY_NAMES: Final[dict[str, str]] = {
    "CNY": "元",
    "USD": "美元",
    "HKD": "港元",
    "EUR": "欧元",
    "JPY": "日元",
    "GBP": "英镑",
    "MOP": "澳门元",
    "TWD": "新台币",
}
_WORD_TO_CURRENCY: Final[dict[str, str]] = {
    **{word: code for code, word in CURRENCY_NAMES.items()},
    "人民币": "CNY",
    "人民币元": "CNY",
    "美金": "USD",
    "港币": "HKD",
}
_MULTIPLIERS: Final[dict[str, Decimal]] = {
    "": Decimal(1),
    "千": Decimal(1000),
    "万": Decimal(10_000),
    "百万": Decimal(1_000_000),
    "千万": Decimal(10_000_000),
    "亿": Decimal(100_000_000),
}
_CODE = re.compile(r"^[A-Z]{3}$")
_NUMBER = r"[+-]?(?:\d+(?:,\d{3})*|\d*)(?:\.\d+)?"
_SEGMENT = re.compile(rf"({_NUMBER})(百万|千万|千|万|亿)?")
_PLAIN = re.compile(rf"^({_NUMBER})\s*([A-Z]{{3}})?$")
_ISO_FIRST = re.compile(rf"^([A-Z]{{3}})\s*({_NUMBER})$")
_CURRENCY_WORDS = sorted(_WORD_TO_CURRENCY, key=len, reverse=True)


def _currency_validator(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not isinstance(value, str) or not _CODE.fullmatch(value):
        raise ValidationError.single(
            record=type(instance).__name__,
            field=attribute.name,
            value=value,
            expected="an ISO 4217 code of three capital letters, e.g. 'CNY' or 'USD'",
        )


def _amount_validator(
    instance: object, attribute: attrs.Attribute[Decimal], value: Decimal
) -> None:
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        raise ValidationError.single(
            record=type(instance).__name__,
            field=attribute.name,
            value=value,
            expected="a finite decimal.Decimal (never a float)",
        )


def _normalise_text(text: str) -> str:
    """Full-width digits and punctuation to ASCII, spaces and 人民币 prefixes removed."""
    text = unicodedata.normalize("NFKC", text).strip()
    text = text.replace("，", ",").replace("－", "-").replace("−", "-").replace("﹣", "-")
    text = text.replace("¥", "").replace("￥", "").replace(" ", "").replace("\u3000", "")
    for prefix in ("人民币", "RMB"):
        if text.startswith(prefix) and not text.endswith(("美元", "港元", "欧元", "日元")):
            text = text.removeprefix(prefix)
    return text


@attrs.frozen(order=False)
class Money:
    """An exact amount in one currency. Arithmetic mixes currencies never.

    >>> Money(Decimal("5"), "CNY") * 3
    Money(amount=Decimal('15'), currency='CNY')
    >>> Money.parse("1亿2000万").format_cn()
    '1.2亿元'
    """

    amount: Decimal = attrs.field(validator=_amount_validator)
    currency: str = attrs.field(default="CNY", validator=_currency_validator)

    # --- construction -------------------------------------------------------------
    @classmethod
    def zero(cls, currency: str = "CNY") -> Self:
        """Nothing, in ``currency``."""
        return cls.from_fen(0, currency)

    @classmethod
    def of(cls, amount: int | str | Decimal, currency: str = "CNY") -> Self:
        """An amount in plain units (元, dollars …) from an int, Decimal or decimal text.

        >>> Money.of(10_000_000)
        Money(amount=Decimal('10000000'), currency='CNY')
        """
        if isinstance(amount, float | bool):
            raise ValidationError.single(
                record="Money", field="amount", value=amount, expected="an int, str or Decimal"
            )
        try:
            value = Decimal(amount)
        except InvalidOperation:
            raise ValidationError.single(
                record="Money", field="amount", value=amount, expected="a decimal number"
            ) from None
        return cls(value, currency)

    @classmethod
    def parse(cls, text: str, *, unit: str | None = None, currency: str | None = None) -> Self:
        """Read an amount the way officials write it.

        ``unit`` is the unit a table header gives ("万元", "亿元", "元", "万美元" …) and
        applies when ``text`` carries none. ``currency`` is the default when neither the
        text nor the unit names one (CNY otherwise).

        >>> Money.parse("１，２００万元")
        Money(amount=Decimal('12000000'), currency='CNY')
        >>> Money.parse("-5万")
        Money(amount=Decimal('-50000'), currency='CNY')
        >>> Money.parse("12.3.4亿")
        Traceback (most recent call last):
        ...
        townplan.errors.ValidationError: Money.amount: got '12.3.4亿' — expected ...
        """
        if not isinstance(text, str):
            raise ValidationError.single(
                record="Money", field="amount", value=text, expected="text such as '1000万元'"
            )
        original = text
        body = _normalise_text(text)
        unit_mult, unit_currency = _split_unit(_normalise_text(unit)) if unit else (None, None)
        with localcontext(_EXACT):  # read exactly, whatever the caller's context rounds to
            return cls._parsed(original, body, unit_mult, unit_currency, currency)

    @classmethod
    def _parsed(
        cls,
        original: str,
        body: str,
        unit_mult: Decimal | None,
        unit_currency: str | None,
        currency: str | None,
    ) -> Self:
        try:
            found = _parse_body(body)
        except ArithmeticError:  # a segment beyond Decimal's precision
            found = None
        if found is None:
            raise ValidationError.single(
                record="Money",
                field="amount",
                value=original,
                expected="an amount such as '1000万元', '2亿', '1.27亿美元' or '3.5' with a unit",
            )
        amount, had_multiplier, text_currency = found
        code = text_currency or unit_currency or currency or "CNY"
        if not had_multiplier and unit_mult is not None:
            amount *= unit_mult
        if amount != amount.quantize(_FEN_STEP):  # 分 is the smallest amount written
            raise ValidationError.single(
                record="Money",
                field="amount",
                value=original,
                expected="an amount in whole 分 (at most two decimal places of 元); "
                "a smaller part would be lost",
            )
        return cls(_tidy(amount), code)

    # --- arithmetic -----------------------------------------------------------------
    def _same(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise ValidationError.single(
                record="Money",
                field="currency",
                value=f"{self.currency} {op} {other.currency}",
                expected="amounts in one currency; convert with an explicit dated ExchangeRate",
            )
        return other

    def __add__(self, other: Money) -> Money:
        return Money(self.amount + self._same(other, "add").amount, self.currency)

    def __radd__(self, other: object) -> Money:
        if other == 0:  # lets sum() start from its default 0
            return self
        return self._same(other, "add") + self

    def __sub__(self, other: Money) -> Money:
        return Money(self.amount - self._same(other, "subtract").amount, self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __abs__(self) -> Money:
        return Money(abs(self.amount), self.currency)

    def __mul__(self, factor: int | Decimal) -> Money:
        if isinstance(factor, float | bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        return Money(self.amount * factor, self.currency)

    __rmul__ = __mul__

    def __truediv__(self, other: int | Decimal | Money) -> Money | Decimal:
        if isinstance(other, Money):
            return self.amount / self._same(other, "divide").amount
        if isinstance(other, float | bool) or not isinstance(other, int | Decimal):
            return NotImplemented
        return Money(self.amount / other, self.currency)

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Money):
            return NotImplemented
        return self.currency == other.currency and self.amount == other.amount

    def __hash__(self) -> int:
        return hash((self.amount, self.currency))

    def __bool__(self) -> bool:
        return bool(self.amount)

    def is_negative(self) -> bool:
        """True below zero."""
        return self.amount < 0

    def convert(self, rate: ExchangeRate) -> Money:
        """This amount in ``rate.quote``, at a rate that names its date.

        >>> usd = Money.parse("1亿美元")
        >>> usd.convert(ExchangeRate("USD", "CNY", Decimal("6.2"), date(2013, 6, 30))).format_cn()
        '6.2亿元'
        """
        if rate.base != self.currency:
            raise ValidationError.single(
                record="ExchangeRate",
                field="base",
                value=rate.base,
                expected=f"a rate from {self.currency}",
            )
        return Money(_tidy(self.amount * rate.rate), rate.quote)

    # --- presentation -------------------------------------------------------------
    def fen(self) -> int:
        """The amount in hundredths (分, cents): how the ledger stores it, exactly."""
        hundredths = self.amount.scaleb(2, _EXACT)  # no rounding at any size
        if hundredths != hundredths.to_integral_value(context=_EXACT):
            raise ValidationError.single(
                record="Money",
                field="amount",
                value=str(self.amount),
                expected="at most two decimal places (分) to be stored",
            )
        return int(hundredths)

    @classmethod
    def from_fen(cls, fen: int, currency: str = "CNY") -> Self:
        """The inverse of :meth:`fen`.

        >>> Money.from_fen(123450), Money.from_fen(-5, "USD").amount
        (Money(amount=Decimal('1234.5'), currency='CNY'), Decimal('-0.05'))
        """
        if type(fen) is int and cls is Money and currency in _CHECKED:
            if _INT64_MIN <= fen <= _INT64_MAX:
                # An int of fen in a currency already checked is valid by construction;
                # reading a large ledger or sheet builds millions of these, so the
                # validators are skipped.
                money = _new(cls)
                _set_amount(money, Decimal(fen // 100) if fen % 100 == 0 else _fen_amount(fen))
                _set_currency(money, currency)
                return money
        elif type(fen) is not int:
            raise ValidationError.single(
                record=cls.__name__, field="fen", value=fen, expected="a whole number of fen"
            )
        money = cls(_fen_amount(fen), currency)  # validates
        _CHECKED.add(currency)
        return money

    def format_cn(
        self, unit: str | None = None, places: int | None = None, *, trim: bool = False
    ) -> str:
        """Write the amount the official way: 亿 from 10⁸, 万 from 10⁴, else plain.

        ``unit`` forces "亿", "万" or "" (plain); ``places`` rounds (half-up) for tables,
        otherwise the text is exact and :meth:`parse` reads back the same amount; it is a
        number of decimals, 0 or more.
        ``trim=True`` (with ``places``) writes the rounded amount as prose does: no trailing
        zeros, in the unit the rounded amount has (9999.996万元 to two places is "1亿元").

        >>> Money.parse("123456789.01").format_cn(places=2)
        '1.23亿元'
        >>> Money.parse("2亿").format_cn(unit="万")
        '20000万元'
        >>> plan = Money.parse("4000万")
        >>> plan.format_cn(places=2), plan.format_cn(places=2, trim=True)
        ('4000.00万元', '4000万元')
        """
        auto = unit is None
        if unit is None:
            magnitude = abs(self.amount)
            unit = "亿" if magnitude >= 100_000_000 else "万" if magnitude >= 10_000 else ""
        else:
            unit = unit.removesuffix("元")
            if unit not in ("亿", "万", ""):
                raise ValidationError.single(
                    record="Money", field="unit", value=unit, expected="'亿', '万' or ''"
                )
        scaled = self.amount / _MULTIPLIERS[unit]
        if places is not None:
            if type(places) is not int or places < 0:
                raise ValidationError.single(
                    record="Money", field="places", value=places,
                    expected="a number of decimals, 0 or more",
                )  # fmt: skip
            scaled = scaled.quantize(_quantum(places), ROUND_HALF_UP)
            if trim:  # the rounded amount, written exactly in the unit it now has
                # Rounding may carry it into the next unit (9999.996万 → 1亿), only ever
                # from below 10⁴ of its unit to 10⁴: there is nothing to carry from 亿.
                if auto and unit != "亿" and abs(scaled) >= 10_000:
                    rounded = abs(scaled * _MULTIPLIERS[unit])
                    now = "亿" if rounded >= 100_000_000 else "万" if rounded >= 10_000 else ""
                    scaled, unit = scaled * _MULTIPLIERS[unit] / _MULTIPLIERS[now], now
                    text = _plain(scaled)
                else:
                    text = _trimmed(scaled, places)
            else:
                text = f"{scaled:f}"
        else:
            text = _plain(scaled)
        word = CURRENCY_NAMES.get(self.currency, self.currency)
        return f"{text}{unit}{word}"

    def __str__(self) -> str:
        """``"<amount> <CODE>"`` with at least two decimals: unambiguous, parseable."""
        amount = self.amount
        text = f"{amount.quantize(Decimal('0.01')):f}" if _places(amount) <= 2 else _plain(amount)
        return f"{text} {self.currency}"


@attrs.frozen
class ExchangeRate:
    """One unit of ``base`` is worth ``rate`` units of ``quote`` on the day ``on``."""

    base: str = attrs.field(validator=_currency_validator)
    quote: str = attrs.field(validator=_currency_validator)
    rate: Decimal = attrs.field(validator=_amount_validator)
    on: date


def sum_money(items: Iterable[Money], currency: str = "CNY") -> Money:
    """Exact sum of amounts in one currency; an empty sum is zero in ``currency``.

    >>> sum_money([Money.parse("1万"), Money.parse("2.5万")]).format_cn()
    '3.5万元'
    """
    first: Money | None = None
    amount = Decimal(0)
    count = 0
    for item in items:
        if first is None:
            first, amount = item, item.amount
        else:
            # What ``total + item`` checks, without an intermediate Money per item: a
            # bulletin's tables total thousands of rows.
            if type(item) is not Money or item.currency != first.currency:
                first._same(item, "add")
            amount += item.amount
        count += 1
    if first is None:
        return Money.zero(currency)
    return first if count == 1 else Money(amount, first.currency)


def prose_cn(fen: int, currency: str = "CNY") -> str:
    """``fen`` hundredths of ``currency`` as prose writes an amount: what
    ``Money.from_fen(fen, currency).format_cn(places=2, trim=True)`` gives (亿 from 10⁸,
    万 from 10⁴, two decimals of the unit at most, half-up, no trailing zeros), worked in
    integers for a list that words an amount per project (a light list's reasons).
    ``fen`` is an ``int`` and ``currency`` a code ``Money`` accepts, as a record read from
    the ledger holds them: neither is checked again here.

    >>> prose_cn(11_640_210_000), prose_cn(461_923_450), prose_cn(4_000_000_000)
    ('1.16亿元', '461.92万元', '4000万元')
    >>> prose_cn(9_999_995_000), prose_cn(-5, "USD")
    ('1亿元', '-0.05美元')
    """
    size = -fen if fen < 0 else fen
    if size >= 10_000_000_000:  # 亿: hundredths of 亿 are 10⁸ fen
        step, unit = 100_000_000, "亿"
    elif size >= 1_000_000:  # 万: hundredths of 万 are 10⁴ fen
        step, unit = 10_000, "万"
    else:
        step, unit = 1, ""
    hundredths = (size + step // 2) // step  # half-up, away from zero
    if unit == "万" and hundredths == 1_000_000:  # 9999.995万 and up round to 1亿
        hundredths, unit = 100, "亿"
    whole, part = divmod(hundredths, 100)
    if not part:
        text = str(whole)
    elif part % 10:
        text = f"{whole}.{part:02d}"
    else:
        text = f"{whole}.{part // 10}"
    sign = "-" if fen < 0 and hundredths else ""
    return f"{sign}{text}{unit}{CURRENCY_NAMES.get(currency, currency)}"


def _split_unit(unit: str) -> tuple[Decimal, str | None]:
    """ "万美元" -> (10⁴, "USD"); "元" -> (1, "CNY"); "亿" -> (10⁸, None)."""
    unit = unit.strip("()（）[]")
    currency = None
    for word in _CURRENCY_WORDS:
        if unit.endswith(word):
            currency = _WORD_TO_CURRENCY[word]
            unit = unit[: -len(word)]
            break
    if unit not in _MULTIPLIERS:
        raise ValidationError.single(
            record="Money",
            field="unit",
            value=unit,
            expected="a unit such as '元', '万元', '亿元' or '万美元'",
        )
    return _MULTIPLIERS[unit], currency


def _parse_body(body: str) -> tuple[Decimal, bool, str | None] | None:
    """Amount, whether the text carried a multiplier, and the currency it named."""
    if not body:
        return None
    iso = _PLAIN.match(body) or _ISO_FIRST.match(body)
    if iso:
        number, code = iso.groups()
        if iso.re is _ISO_FIRST:
            code, number = number, code
        if not number or number in "+-":
            return None
        return Decimal(number.replace(",", "")), False, code
    currency = None
    for word in _CURRENCY_WORDS:
        if body.endswith(word):
            currency = _WORD_TO_CURRENCY[word]
            body = body[: -len(word)]
            break
    else:
        trailing = re.search(r"[A-Z]{3}$", body)
        if trailing:
            currency = trailing.group(0)
            body = body[: trailing.start()]
    sign = Decimal(1)
    if body[:1] in "+-" and body:
        sign = Decimal(-1) if body[0] == "-" else sign
        body = body[1:]
    total = Decimal(0)
    position = 0
    had_multiplier = False
    last = None
    while position < len(body):
        match = _SEGMENT.match(body, position)
        if not match or match.end() == position or not match.group(1):
            return None
        number, word = match.group(1), match.group(2) or ""
        if number[0] in "+-":
            return None
        scale = _MULTIPLIERS[word]
        if last is not None and scale >= last:  # "1万2亿" is not an amount
            return None
        if word == "" and match.end() != len(body):
            return None
        total += Decimal(number.replace(",", "")) * scale
        had_multiplier = had_multiplier or bool(word)
        last = scale
        position = match.end()
    return sign * total, had_multiplier, currency


#: Currency codes :meth:`Money.from_fen` has seen pass the validator.
_CHECKED: set[str] = set()
_new: Final = object.__new__
# the slots themselves: setting one is faster than object.__setattr__ finding it by name
# (a frozen class, so its own __setattr__ refuses)
_set_amount: Final = Money.__dict__["amount"].__set__
_set_currency: Final = Money.__dict__["currency"].__set__
#: Arithmetic that never rounds a ledger amount (more digits than any Decimal here has).
_EXACT: Final = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)
_FEN_STEP: Final = Decimal("0.01")
#: What an SQLite integer column holds: the amounts read from a ledger.
_INT64_MIN: Final = -(2**63)
_INT64_MAX: Final = 2**63 - 1


def _fen_amount(fen: int) -> Decimal:
    """``_tidy(Decimal(fen).scaleb(-2))`` for an int, exactly and without normalising."""
    if fen % 100 == 0:
        return Decimal(fen // 100)
    if fen % 10 == 0:  # text, not scaleb: exact at any size, whatever the context
        return Decimal(f"{fen // 10}e-1")
    return Decimal(f"{fen}e-2")


@lru_cache(maxsize=16)
def _quantum(places: int) -> Decimal:
    """``10⁻ᵖˡᵃᶜᵉˢ``, what an amount rounded to ``places`` decimals is quantized to."""
    return Decimal(1).scaleb(-places)


def _tidy(value: Decimal) -> Decimal:
    """Drop trailing zeros (and the sign of zero) without switching to exponent notation."""
    if not value:
        return Decimal(0)
    if value == value.to_integral_value():
        return value.quantize(Decimal(1))
    return value.normalize()


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def _plain(value: Decimal) -> str:
    return f"{_tidy(value):f}"


def _trimmed(value: Decimal, places: int) -> str:
    """``_plain(value)`` for ``value`` quantized to ``places`` decimals, from its text:
    a prose amount is written per project of a light list, and this is a third of the
    cost. Up to six places ``str`` writes such a value without an exponent."""
    if places > 6:
        return _plain(value)
    text = str(value)
    if places:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text
