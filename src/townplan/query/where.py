"""``where(field__op=value)`` lookups turned into SQL conditions with bound values.

Operators: ``eq`` (the default), ``ne``, ``lt``, ``lte``, ``gt``, ``gte``, ``in``,
``range`` (a ``(low, high)`` pair, inclusive), ``contains`` (text, literal substring) and
``isnull`` (True/False). Values are checked against the field's kind: money takes
:class:`townplan.Money` (or text such as "1000万元") and also matches the currency; an
enum takes a member, its value or its Chinese label; a month period takes a
:class:`townplan.Period` or text, and a quarter or year covers its months.

>>> from townplan.query.fields import PROJECT_FIELDS
>>> condition(PROJECT_FIELDS, "annual_plan__gte", "1000万元")
Fragment(text='x.currency = ? AND x.plan_fen >= ?', params=('CNY', 1000000000), named=())
>>> condition(PROJECT_FIELDS, "stage__in", ["续建", "new_start"])
Fragment(text='x.stage IN (?, ?)', params=('continuing', 'new_start'), named=())

``in`` stays one flat condition however long its list (a thousand project codes are not a
thousand ``OR`` s, which SQLite refuses past a depth of 1000): the values are bound one
each, or, past :data:`LISTED`, as one JSON array read with ``json_each``.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final, NoReturn, TypeVar

from townplan.errors import TownplanError, ValidationError
from townplan.model.money import Money
from townplan.model.period import Period, PeriodKind
from townplan.query.fields import Field, FieldSet, Kind
from townplan.query.sql import Fragment, join

__all__ = ["LISTED", "OPERATORS", "condition", "split_lookup"]

OPERATORS: Final = ("eq", "ne", "lt", "lte", "gt", "gte", "in", "range", "contains", "isnull")
_SQL_OPS: Final = {"eq": "=", "lt": "<", "lte": "<=", "gt": ">", "gte": ">="}
_ORDERED: Final = frozenset({"lt", "lte", "gt", "gte", "range"})
_UNORDERED_KINDS: Final = frozenset({Kind.ENUM, Kind.BOOL})
#: The most values an ``in`` lookup binds one by one; a longer list is bound as one JSON
#: array (SQLite takes at most 32766 bound values in a statement).
LISTED: Final = 100

T = TypeVar("T")


def split_lookup(fields: FieldSet, lookup: object) -> tuple[Field, str]:
    """The field and operator named by ``lookup`` (``"name"`` or ``"name__op"``); a known
    field with an operator that is none of :data:`OPERATORS` is named as such.

    >>> from townplan.query.fields import PROJECT_FIELDS
    >>> split_lookup(PROJECT_FIELDS, "name__startswith")
    Traceback (most recent call last):
    ...
    townplan.errors.ValidationError: projects.name__startswith: got 'startswith' — expected \
an operator: one of eq, ne, lt, lte, gt, gte, in, range, contains, isnull
    """
    if isinstance(lookup, str) and "__" in lookup:
        name, _, op = lookup.rpartition("__")
        if op in OPERATORS:
            return fields.get(name), op
        if name in fields.names():
            raise ValidationError.single(
                record=fields.record, field=lookup, value=op,
                expected=f"an operator: one of {', '.join(OPERATORS)}",
            )  # fmt: skip
    return fields.get(lookup), "eq"


def condition(fields: FieldSet, lookup: object, value: object) -> Fragment:
    """The SQL condition for one lookup; ValidationError for a bad name, operator or value."""
    field, op = split_lookup(fields, lookup)
    problem = _operator_problem(field, op)
    if problem:
        _fail(fields, field, op, value, problem)
    try:
        return _build(field, op, value)
    except _BadItem as bad:  # one value of an ``in`` list: named with its position
        _fail(fields, field, op, bad.item, _expected(field, bad.cause), bad.index)
    except _PROBLEMS as exc:
        _fail(fields, field, op, value, _expected(field, exc))


#: What converting a bad value raises.
_PROBLEMS: Final = (TypeError, ValueError, ArithmeticError, TownplanError)


class _BadItem(Exception):
    """The value at ``index`` of an ``in`` list could not be converted."""

    def __init__(self, index: int, item: object, cause: Exception) -> None:
        super().__init__(index, item, cause)
        self.index, self.item, self.cause = index, item, cause


def _expected(field: Field, exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        return exc.expected
    return f"a value for {field.kind.value} field ({exc})"


def _fail(
    fields: FieldSet, field: Field, op: str, value: object, expected: str,
    index: int | None = None,
) -> NoReturn:  # fmt: skip
    name = field.name if op == "eq" else f"{field.name}__{op}"
    raise ValidationError.single(
        record=fields.record, field=name, value=value, expected=expected, index=index
    )


def _operator_problem(field: Field, op: str) -> str | None:
    if op == "contains" and field.kind is not Kind.TEXT:
        return "a text field for 'contains'"
    if op in _ORDERED and field.kind in _UNORDERED_KINDS:
        return f"one of eq, ne, in, isnull for a {field.kind.value} field"
    return None


def _build(field: Field, op: str, value: object) -> Fragment:
    if op == "isnull":
        if not isinstance(value, bool):
            raise ValidationError.single(record=None, field=None, value=value, expected="a bool")
        null = _null_test(field)
        return Fragment(null if value else f"NOT ({null})")
    if value is None and op in ("eq", "ne"):
        null = _null_test(field)
        return Fragment(null if op == "eq" else f"NOT ({null})")
    if op == "in":
        items = _items(value)
        present = [(i, item) for i, item in enumerate(items) if item is not None]
        parts = [_among(field, present)] if present else []
        if None in items:
            parts.append(Fragment(_null_test(field)))
        return join(" OR ", parts) if parts else Fragment("0")
    if op == "range":
        low, high = _pair(value)
        return _compare(field, "gte", low) + " AND " + _compare(field, "lte", high)
    if op == "ne":
        # NULL-safe, so that rows whose value is missing count as "not equal".
        return "NOT (COALESCE(" + _compare(field, "eq", value) + ", 0))"
    if op == "contains":
        return Fragment(f"instr({field.column}, ?) > 0", (_text(value),))
    return _compare(field, op, value)


def _null_test(field: Field) -> str:
    if field.kind is Kind.RATIO:
        return f"({field.denominator} IS NULL OR {field.denominator} = 0)"
    return f"{field.column} IS NULL"


def _items(value: object) -> list[Any]:
    if isinstance(value, str | bytes) or not isinstance(value, Iterable):
        raise ValidationError.single(
            record=None, field=None, value=value, expected="a list, tuple or set of values"
        )
    return list(value)


def _pair(value: object) -> tuple[Any, Any]:
    items = _items(value)
    if len(items) != 2:
        raise ValidationError.single(
            record=None, field=None, value=value, expected="a (low, high) pair"
        )
    return items[0], items[1]


def _compare(field: Field, op: str, value: object) -> Fragment:
    convert = _VALUES.get(field.kind)
    if convert is not None:
        return Fragment(f"{field.column} {_SQL_OPS[op]} ?", (convert(field, value),))
    build = _BUILDERS[field.kind]
    return build(field, op, value)


def _among(field: Field, items: list[tuple[int, Any]]) -> Fragment:
    """``field`` equals one of ``items`` (each with its position in the list given, none of
    them None), as one flat condition whose bound values do not grow with the list past
    :data:`LISTED` (SQLite takes 32766)."""
    if field.kind is Kind.MONEY:  # per currency, the amounts in fen: integers
        by_currency: dict[str, list[int]] = {}
        for money in _each(items, _money_value):
            by_currency.setdefault(money.currency, []).append(money.fen())
        return join(
            " OR ",
            (
                Fragment(f"({field.currency} = ? AND ", (currency,))
                + _listed(field.column, fens)
                + ")"
                for currency, fens in by_currency.items()
            ),
        )
    if field.kind is Kind.PERIOD:  # the months each covers, as stored: 'YYYY-MM' text
        months = {str(month): None for each in _each(items, _months) for month in each}
        return _listed(field.column, list(months))
    if field.kind is Kind.RATIO:
        return _ratios(field, _each(items, _fraction))
    if field.kind is Kind.DECIMAL:
        return _listed(f"CAST({field.column} AS REAL)", _each(items, _decimal))
    convert = _VALUES[field.kind]
    return _listed(field.column, _each(items, lambda item: convert(field, item)))


def _each(items: list[tuple[int, Any]], convert: Callable[[Any], T]) -> list[T]:
    """Each item converted; a value that is not is named with its position
    (:class:`_BadItem`), not the whole list, however long it is."""
    converted = []
    for index, item in items:
        try:
            converted.append(convert(item))
        except _PROBLEMS as exc:
            raise _BadItem(index, item, exc) from exc
    return converted


def _listed(expr: str, values: list[Any]) -> Fragment:
    """``expr IN`` the ``values`` (integers, floats or text, each the type of the column
    it is compared with): bound one each, or past :data:`LISTED` as one JSON array, whose
    ``json_each`` reads an integer back as an integer, a float as a real, text as text."""
    if len(values) <= LISTED:
        return Fragment(f"{expr} IN ({', '.join('?' for _ in values)})", tuple(values))
    array = json.dumps(values, ensure_ascii=False, allow_nan=False)
    return Fragment(f"{expr} IN (SELECT value FROM json_each(?))", (array,))


def _ratios(field: Field, ratios: list[Fraction]) -> Fragment:
    """The ratio is one of ``ratios``, compared cross-multiplied as :func:`_ratio` does;
    past :data:`LISTED`, each (denominator, numerator) pair read from one JSON array."""
    pairs = list({(r.denominator, r.numerator): None for r in ratios})
    if len(pairs) <= LISTED:
        return join(" OR ", ("(" + _ratio(field, "eq", Fraction(n, d)) + ")" for d, n in pairs))
    array = json.dumps([list(pair) for pair in pairs])
    return Fragment(
        f"{field.denominator} > 0 AND EXISTS (SELECT 1 FROM json_each(?) AS r WHERE "
        f"{field.column} * json_extract(r.value, '$[0]') = "
        f"json_extract(r.value, '$[1]') * {field.denominator})",
        (array,),
    )


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise ValidationError.single(record=None, field=None, value=value, expected="text")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        raise ValidationError.single(
            record=None, field=None, value=value, expected="text that is valid Unicode"
        ) from None
    return value


_INT64 = 2**63


def _int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not -_INT64 <= value < _INT64:
        raise ValidationError.single(
            record=None, field=None, value=value, expected="an integer (64-bit)"
        )
    return value


def _bool(value: object) -> int:
    if not isinstance(value, bool):
        raise ValidationError.single(record=None, field=None, value=value, expected="a bool")
    return int(value)


def _date(value: object) -> str:
    if isinstance(value, str):
        value = date.fromisoformat(value)
    if isinstance(value, datetime) or not isinstance(value, date):
        raise ValidationError.single(
            record=None, field=None, value=value, expected="a date or 'YYYY-MM-DD'"
        )
    return value.isoformat()


def _decimal(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal):
        raise ValidationError.single(
            record=None, field=None, value=value, expected="a Decimal, int or decimal text"
        )
    try:
        number = Decimal(value)
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite():
        raise ValidationError.single(
            record=None, field=None, value=value, expected="a decimal number"
        )
    # The column is compared as a float: past its range (about 1.8e308) it would be
    # infinity, bound as that or, in a long list, refused by the JSON array.
    real = float(number)
    if not math.isfinite(real):
        raise ValidationError.single(
            record=None, field=None, value=value,
            expected="a decimal number of magnitude below 1.8e308 (a float's range)",
        )  # fmt: skip
    return real


def _enum(field: Field, value: object) -> str:
    assert field.enum is not None
    member = field.enum.parse(value, record=None, field=field.name)  # type: ignore[arg-type]
    return str(member.value)


def _money_value(value: object) -> Money:
    if isinstance(value, str):
        value = Money.parse(value)
    if not isinstance(value, Money):
        raise ValidationError.single(
            record=None, field=None, value=value, expected="Money or text such as '1000万元'"
        )
    if abs(value.amount) >= Decimal(10) ** 15:
        raise ValidationError.single(
            record=None, field=None, value=str(value), expected="an amount below 10¹⁵"
        )
    return value


def _money(field: Field, op: str, value: object) -> Fragment:
    money = _money_value(value)
    return Fragment(
        f"{field.currency} = ? AND {field.column} {_SQL_OPS[op]} ?", (money.currency, money.fen())
    )


def _fraction(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | Fraction):
        raise ValidationError.single(
            record=None, field=None, value=value, expected="a Decimal, e.g. Decimal('0.5')"
        )
    try:
        exact = Fraction(Decimal(value)) if isinstance(value, str) else Fraction(value)
    except InvalidOperation:
        raise ValidationError.single(
            record=None, field=None, value=value, expected="a decimal number"
        ) from None
    if abs(exact.numerator) > 10**15 or exact.denominator > 10**12:
        # Both go into SQLite's 64-bit integers, multiplied by money in fen.
        raise ValidationError.single(
            record=None, field=None, value=value,
            expected="a ratio below 10¹⁵ with at most 12 decimal places",
        )  # fmt: skip
    return exact


def _ratio(field: Field, op: str, value: object) -> Fragment:
    exact = _fraction(value)
    # Cross-multiplied, so the comparison is exact in integers: num/den OP n/d.
    return Fragment(
        f"{field.denominator} > 0 AND {field.column} * ? {_SQL_OPS[op]} ? * {field.denominator}",
        (exact.denominator, exact.numerator),
    )


def _months(value: object) -> list[Period]:
    period = Period.parse(value)  # type: ignore[arg-type]
    return [period] if period.kind is PeriodKind.MONTH else list(period.months())


def _period(field: Field, op: str, value: object) -> Fragment:
    months = _months(value)
    first, last = str(months[0]), str(months[-1])
    bound = {"eq": None, "lt": first, "gte": first, "gt": last, "lte": last}[op]
    if bound is None:
        return Fragment(f"{field.column} BETWEEN ? AND ?", (first, last))
    return Fragment(f"{field.column} {_SQL_OPS[op]} ?", (bound,))


#: The value bound for one column of a kind that compares as the column itself.
_VALUES: Final[dict[Kind, Callable[[Field, object], Any]]] = {
    Kind.TEXT: lambda f, v: _text(v),
    Kind.INT: lambda f, v: _int(v),
    Kind.BOOL: lambda f, v: _bool(v),
    Kind.DATE: lambda f, v: _date(v),
    Kind.ENUM: _enum,
}
#: The condition for the other kinds.
_BUILDERS: Final[dict[Kind, Callable[[Field, str, object], Fragment]]] = {
    Kind.DECIMAL: lambda f, op, v: Fragment(
        f"CAST({f.column} AS REAL) {_SQL_OPS[op]} ?", (_decimal(v),)
    ),
    Kind.MONEY: _money,
    Kind.RATIO: _ratio,
    Kind.PERIOD: _period,
}
