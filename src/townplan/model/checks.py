"""Field validators shared by the records; each raises a townplan ValidationError that
names the record (by its code where it has one), the field and the value."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any, Final

import attrs

from townplan.errors import ValidationError
from townplan.model.money import Money

__all__ = [
    "CODE_PATTERN",
    "check_choice",
    "check_code",
    "check_date",
    "check_decimal",
    "check_money",
    "check_optional_text",
    "check_text",
    "check_year",
    "is_clean_text",
    "record_name",
]

#: A code as offices number things: letters, digits and ``- _ . / :``, at most 64 long.
CODE_PATTERN: Final = re.compile(r"[A-Za-z0-9\u4e00-\u9fff][A-Za-z0-9_.:/\-\u4e00-\u9fff]{0,63}")
# control characters and lone surrogates (which UTF-8 cannot encode), found in one pass
_UNCLEAN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ud800-\udfff]")
MAX_TEXT: Final = 4000
_LIMIT: Final = Decimal(10) ** 15
_FEN: Final = Decimal("0.01")


def is_clean_text(value: str) -> bool:
    """No control characters and no lone surrogates (text SQLite and JSON can store).

    >>> is_clean_text("中心大道"), is_clean_text("a\x07b"), is_clean_text(chr(0xD800))
    (True, False, False)
    """
    return _UNCLEAN.search(value) is None


def record_name(instance: object) -> str:
    """``Project P001`` — the record's type and code (the code may still be unset)."""
    code = getattr(instance, "code", None)
    kind = type(instance).__name__
    project, period = getattr(instance, "project", None), getattr(instance, "period", None)
    if code is None and isinstance(project, str) and CODE_PATTERN.fullmatch(project):
        return f"{kind} {project} {period}" if period is not None else f"{kind} {project}"
    return f"{kind} {code}" if isinstance(code, str) and CODE_PATTERN.fullmatch(code) else kind


def _fail(instance: object, attribute: attrs.Attribute[Any], value: object, expected: str) -> None:
    raise ValidationError.single(
        record=record_name(instance), field=attribute.name, value=value, expected=expected
    )


def check_code(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A stable code chosen by the user."""
    if not isinstance(value, str) or not CODE_PATTERN.fullmatch(value):
        _fail(
            instance,
            attribute,
            value,
            "a code of letters, digits, Chinese characters and - _ . / : (1–64 characters)",
        )


def check_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Non-empty text without control characters."""
    if not isinstance(value, str) or not value.strip():
        _fail(instance, attribute, value, "non-empty text")
    check_optional_text(instance, attribute, value)


def check_optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Text (possibly empty) or None, without control characters and not too long."""
    if value is None or (
        type(value) is str and len(value) <= MAX_TEXT and _UNCLEAN.search(value) is None
    ):
        return
    if not isinstance(value, str):
        _fail(instance, attribute, value, "text")
    elif not is_clean_text(value):
        _fail(instance, attribute, value, "text without control characters or lone surrogates")
    elif len(value) > MAX_TEXT:
        _fail(instance, attribute, value[:40] + "…", f"at most {MAX_TEXT} characters")


def check_year(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A calendar year or None."""
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1900 <= value <= 2200:
        _fail(instance, attribute, value, "a year from 1900 to 2200")


def check_date(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A ``datetime.date`` (not a datetime, not text) or None."""
    if value is None:
        return
    if not isinstance(value, date) or type(value).__name__ == "datetime":
        _fail(instance, attribute, value, "a datetime.date")


def check_decimal(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A finite Decimal (never a float)."""
    if isinstance(value, bool) or not isinstance(value, Decimal) or not value.is_finite():
        _fail(instance, attribute, value, "a finite decimal.Decimal")


def check_choice(*choices: str) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """One of a few fixed words."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value not in choices:
            _fail(instance, attribute, value, f"one of {', '.join(choices)}")

    return check


def _shown(money: Money) -> str:
    try:
        return money.format_cn()
    except ArithmeticError:  # beyond Decimal's precision: show it in exponent form
        return f"{money.amount} {money.currency}"


def check_money(
    *, negative: bool = False
) -> Callable[[object, attrs.Attribute[Any], object], None]:
    """Money storable to the fen, and not negative unless ``negative`` is allowed; None
    only where the field's default is None (an optional amount)."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is Money:  # the usual case, checked in one go
            amount = value.amount
            in_range = (negative or amount >= 0) and -_LIMIT < amount < _LIMIT
            if in_range and amount == amount.quantize(_FEN):
                return
        if value is None and attribute.default is None:
            return
        if not isinstance(value, Money):
            _fail(instance, attribute, value, "a townplan Money, e.g. Money.parse('1000万元')")
            return
        if not negative and value.is_negative():
            _fail(instance, attribute, _shown(value), "an amount of zero or more")
        if abs(value.amount) >= _LIMIT:
            _fail(instance, attribute, _shown(value), "an amount below 10¹⁵")
        if value.amount != value.amount.quantize(_FEN):
            _fail(instance, attribute, str(value.amount), "at most two decimal places (分)")

    return check
