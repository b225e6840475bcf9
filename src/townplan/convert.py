"""The one cattrs converter townplan uses for rows, documents and imports.

Rules (:func:`make_converter`):

- ``Decimal`` ↔ decimal text (``"12.50"``); a float is refused, never rounded.
- ``date`` ↔ ISO text (``"2013-06-30"``).
- :class:`~townplan.Money` ↔ ``{"amount": "10000000", "currency": "CNY"}``; structuring
  also reads official text such as ``"1000万元"``.
- :class:`~townplan.Period` ↔ its text (``"2013-06"``, ``"2013-Q2"``).
- Enums ↔ their values (``"continuing"``); structuring also reads the Chinese label.
- Unknown keys are refused (``forbid_extra_keys``).

:func:`structure` turns every cattrs failure into one :class:`townplan.ValidationError`
that names each bad field.

>>> from townplan.model.records import Project
>>> from townplan.model.money import Money
>>> from townplan.model.enums import Category
>>> p = Project(code="P1", name="东环路", category=Category.INFRASTRUCTURE,
...             government_investment=Money.parse("3000万元"))
>>> doc = unstructure(p)
>>> doc["government_investment"]
{'amount': '30000000', 'currency': 'CNY'}
>>> structure(doc, Project) == p
True
>>> structure({**doc, "stage": "开工了"}, Project)
Traceback (most recent call last):
...
townplan.errors.ValidationError: Project P1.stage: got '开工了' — expected one of ...
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)

from townplan.errors import FieldError, ValidationError
from townplan.model.enums import LabelledEnum
from townplan.model.money import Money
from townplan.model.period import Period

__all__ = ["converter", "make_converter", "structure", "unstructure"]

T = TypeVar("T")


def _decimal(value: object, _: type) -> Decimal:
    if isinstance(value, bool | float) or not isinstance(value, int | str | Decimal):
        raise ValueError(f"expected decimal text, got {value!r}")
    try:
        result = Decimal(value)
    except InvalidOperation:
        raise ValueError(f"expected decimal text, got {value!r}") from None
    if not result.is_finite():
        raise ValueError(f"expected a finite number, got {value!r}")
    return result


def _date(value: object, _: type) -> date:
    if isinstance(value, date) and type(value) is date:
        return value
    if not isinstance(value, str):
        raise ValueError(f"expected an ISO date, got {value!r}")
    return date.fromisoformat(value)


def _money(value: object, _: type) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, str):
        return Money.parse(value)
    if isinstance(value, dict) and set(value) == {"amount", "currency"}:
        return Money(_decimal(value["amount"], Decimal), value["currency"])
    raise ValueError(f"expected {{'amount', 'currency'}} or text like '1000万元', got {value!r}")


def _enum(value: object, cls: type[LabelledEnum]) -> LabelledEnum:
    if not isinstance(value, str):
        raise ValueError(f"expected one of {[m.value for m in cls]}, got {value!r}")
    return cls.parse(value)


def _strings(value: object, _: type) -> tuple[str, ...]:
    if isinstance(value, str) or not isinstance(value, list | tuple):
        raise ValueError(f"expected a list of names, got {value!r}")
    return tuple(value)


def _int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"expected a whole number, got {value!r}")
    return value


def _str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise ValueError(f"expected text, got {value!r}")
    return value


def _is_homogeneous_tuple(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) is tuple and len(args) == 2 and args[1] is Ellipsis and args[0] is not str


def _bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValueError(f"expected true or false, got {value!r}")
    return value


def make_converter() -> cattrs.Converter:
    """A new converter with townplan's rules (see the module docstring)."""
    c = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    c.register_unstructure_hook(Decimal, str)
    c.register_structure_hook(Decimal, _decimal)
    c.register_unstructure_hook(date, date.isoformat)
    c.register_structure_hook(date, _date)
    c.register_unstructure_hook(Money, lambda m: {"amount": str(m.amount), "currency": m.currency})
    c.register_structure_hook(Money, _money)
    c.register_unstructure_hook(Period, str)
    c.register_structure_hook(Period, lambda v, _: Period.parse(v))
    for enum_type in LabelledEnum.__subclasses__():
        c.register_structure_hook(enum_type, _enum)
        c.register_unstructure_hook(enum_type, lambda e: e.value)
    c.register_structure_hook_func(lambda t: t == tuple[str, ...], _strings)
    c.register_structure_hook(int, _int)
    c.register_structure_hook(bool, _bool)
    c.register_structure_hook(str, _str)

    def _tuple(value: object, t: Any) -> tuple[Any, ...]:
        if isinstance(value, str) or not isinstance(value, list | tuple):
            raise ValueError(f"expected a list, got {value!r}")
        (item_type, _) = get_args(t)
        items, errors = [], []
        for index, item in enumerate(value):
            try:
                items.append(c.structure(item, item_type))
            except Exception as exc:  # collected, with the index, like cattrs does
                exc.add_note(
                    IterableValidationNote(f"Structuring @ index {index}", index, item_type)
                )
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {t!r}", errors, t)
        return tuple(items)

    c.register_structure_hook_func(_is_homogeneous_tuple, _tuple)
    return c


#: The shared converter; treat it as read-only (make your own with :func:`make_converter`).
converter = make_converter()


def unstructure(obj: object) -> Any:
    """A record as plain dicts, lists and text, ready for JSON."""
    return converter.unstructure(obj)


def structure(data: object, cls: type[T], *, record: str | None = None) -> T:
    """Build ``cls`` from plain data; any failure is one ValidationError naming each field."""
    if attrs.has(cls) and not isinstance(data, dict):
        raise ValidationError.single(
            record=record or cls.__name__,
            field=None,
            value=data,
            expected=f"a mapping of {cls.__name__}'s fields",
        )
    try:
        return converter.structure(data, cls)
    except ValidationError:
        raise
    except (ClassValidationError, IterableValidationError) as group:
        name = record or _record_of(data, cls)
        raise ValidationError(_flatten(group, name, (), data)) from None
    except (ValueError, TypeError, KeyError) as exc:
        raise ValidationError.single(
            record=record or cls.__name__, field=None, value=data, expected=str(exc)
        ) from None


def _record_of(data: object, cls: type) -> str:
    code = data.get("code") if isinstance(data, dict) else None
    return f"{cls.__name__} {code}" if isinstance(code, str) and code else cls.__name__


def _flatten(
    exc: BaseException, record: str, path: tuple[str, ...], data: object
) -> list[FieldError]:
    found: list[FieldError] = []
    if isinstance(exc, ValidationError):
        for err in exc.errors:
            steps = (
                path if not err.field or (path and path[-1] == err.field) else (*path, err.field)
            )
            field = ".".join(steps)
            found.append(FieldError(record, field or None, err.value, err.expected))
        return found
    if isinstance(exc, BaseExceptionGroup):
        for sub in exc.exceptions:
            step = path
            value = data
            for note in getattr(sub, "__notes__", []):
                if isinstance(note, AttributeValidationNote):
                    step = (*path, note.name)
                    value = data.get(note.name) if isinstance(data, dict) else None
                elif isinstance(note, IterableValidationNote):
                    step = (*path, str(note.index))
                    value = _index(data, note.index)
            found.extend(_flatten(sub, record, step, value))
        return found
    if isinstance(exc, ForbiddenExtraKeysError):
        where = ".".join(path) or None
        return [FieldError(record, where, sorted(exc.extra_fields), "no unknown keys")]
    if isinstance(exc, KeyError):
        return [FieldError(record, ".".join(path) or None, None, "a value (the key is missing)")]
    return [FieldError(record, ".".join(path) or None, data, str(exc) or type(exc).__name__)]


def _index(data: object, index: int | str) -> object:
    try:
        return data[index]  # type: ignore[index]
    except (TypeError, IndexError, KeyError):
        return None
