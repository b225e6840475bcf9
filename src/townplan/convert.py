"""The one cattrs converter townplan uses for rows, documents and imports.

Rules (:func:`make_converter`):

- ``Decimal`` ↔ decimal text (``"12.50"``); a float is refused, never rounded.
- ``date`` ↔ ISO text (``"2013-06-30"``).
- :class:`~townplan.Money` ↔ ``{"amount": "10000000", "currency": "CNY"}``; structuring
  also reads official text such as ``"1000万元"``.
- :class:`~townplan.Period` ↔ its text (``"2013-06"``, ``"2013-Q2"``).
- Enums ↔ their values (``"continuing"``); structuring also reads the Chinese label.
- Unknown keys are refused (``forbid_extra_keys``).

Rows of the ledger's tables use the same rules with a few overrides (:class:`RowMap`,
:func:`row_map`): each field goes to the column its declaration names
(:func:`townplan.model.fields.field`), money to integer fen beside one ``currency``
column (the fen hook), a tuple to JSON text, a record inside a record (a task's
``Deadline``) over the columns of its own fields.

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

import json
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from operator import itemgetter
from types import UnionType
from typing import Any, Generic, TypeVar, Union, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.fns import identity
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn, override

from townplan.errors import FieldError, ValidationError
from townplan.model.enums import LabelledEnum
from townplan.model.fields import described
from townplan.model.money import Money
from townplan.model.period import Period

__all__ = [
    "RowMap",
    "converter",
    "make_converter",
    "refused",
    "row_map",
    "structure",
    "unstructure",
]

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


# Rows: the document rules with the overrides of the ledger's tables.


def _json_list(value: object, t: Any) -> tuple[Any, ...]:
    items = json.loads(value) if isinstance(value, str) else value
    found: tuple[Any, ...] = converter.structure(items, t)
    return found


def _same(value: Any, _: type) -> Any:
    return value


def _enum_value(value: str, cls: type[LabelledEnum]) -> LabelledEnum:
    return cls(value)


def _optional_unstructure(c: cattrs.Converter) -> Callable[[Any], Callable[[Any], Any]]:
    def factory(t: Any) -> Callable[[Any], Any]:
        (inner_type,) = (a for a in get_args(t) if a is not type(None))
        inner = c.get_unstructure_hook(inner_type)
        if inner is identity:
            return identity  # inlined by the generated function
        return lambda v: None if v is None else inner(v)

    return factory


def _optional_structure(c: cattrs.Converter) -> Callable[[Any], Callable[[Any, Any], Any]]:
    def factory(t: Any) -> Callable[[Any, Any], Any]:
        (inner_type,) = (a for a in get_args(t) if a is not type(None))
        inner = c.get_structure_hook(inner_type)
        if inner is _same:
            return _same
        return lambda v, _: None if v is None else inner(v, inner_type)

    return factory


def _is_tuple(t: Any) -> bool:
    return get_origin(t) is tuple


def _is_optional(t: Any) -> bool:
    args = get_args(t)
    return get_origin(t) in (Union, UnionType) and len(args) == 2 and type(None) in args


def _make_row_converter() -> cattrs.Converter:
    # Rows come from the ledger's own checked tables: no per-field error collection.
    c = converter.copy(detailed_validation=False)
    c.register_unstructure_hook_factory(_is_optional, _optional_unstructure(c))
    c.register_structure_hook_factory(_is_optional, _optional_structure(c))
    c.register_structure_hook(Money, _same)  # made from fen and currency by RowMap.record
    c.register_unstructure_hook(Money, Money.fen)  # the fen hook; the currency is a column
    c.register_unstructure_hook_func(
        _is_tuple,
        lambda v: json.dumps(converter.unstructure(list(v)), ensure_ascii=False),
    )
    c.register_structure_hook_func(_is_tuple, _json_list)
    for enum_type in LabelledEnum.__subclasses__():  # stored values, never labels
        c.register_structure_hook(enum_type, _enum_value)
    c.register_structure_hook(bool, lambda v, _: bool(v))
    c.register_structure_hook(str, _same)  # the table's column types and CHECKs hold
    c.register_structure_hook(int, _same)
    c.register_structure_hook(date, lambda v, _: v if isinstance(v, date) else _date(v, date))
    return c


_ROWS = _make_row_converter()
R = TypeVar("R")


@attrs.frozen
class RowMap(Generic[R]):
    """Records of one class ↔ rows of its table, derived from the class's declared fields.

    >>> from townplan.model.records import Project
    >>> from townplan.model.enums import Category
    >>> rows = row_map(Project)
    >>> rows.columns[:6]
    ('code', 'name', 'category', 'stage', 'kind', 'currency')
    >>> p = Project(code="P1", name="东环路", category=Category.INFRASTRUCTURE,
    ...             government_investment=Money.parse("3000万元"))
    >>> row = rows.row(p)
    >>> row["government_fen"], row["currency"], row["category"]
    (3000000000, 'CNY', 'infrastructure')
    >>> rows.record(row) == p
    True
    """

    cls: type[R]
    #: The columns a record is written to, in the class's field order; ``currency`` sits
    #: before the first amount.
    columns: tuple[str, ...]
    _unstructure: Callable[[R], dict[str, Any]]
    _structure: Callable[[Mapping[str, Any], Any], R]
    _money: tuple[str, ...]
    _currency_of: str | None
    _nested: tuple[str, ...]
    _values: Callable[[R], tuple[Any, ...]]
    #: The hot read path (hydrating many rows): generated from the same hooks.
    _read: Callable[[Mapping[str, Any]], R] | None = None

    def row(self, record: R) -> dict[str, Any]:
        """``record`` as ``{column: value}``."""
        row = self._unstructure(record)
        for name in self._nested:
            row.update(row.pop(name))
        if self._currency_of is not None:
            row["currency"] = getattr(record, self._currency_of).currency
        return row

    def values(self, record: R) -> tuple[Any, ...]:
        """``record``'s values in the order of :attr:`columns` (the bulk write path)."""
        return self._values(record)

    def values_fn(
        self, *given: str, fallback: Mapping[str, str] | None = None
    ) -> Callable[..., tuple[Any, ...]]:
        """A :meth:`values` that also takes ``given`` values (after the record): each
        replaces the field of its name, or is appended as a column of its own; a
        ``fallback`` expression over them stands in for a None field.

        >>> from townplan.model.records import ProgressReport
        >>> values = row_map(ProgressReport).values_fn(
        ...     "corrects", "recorded_at", fallback={"reported_on": "recorded_at[:10]"})
        >>> values(ProgressReport("P1", "2013-06", Money.parse("10万")), 7, "2013-07-01T09")
        ('P1', '2013-06', 'CNY', 10000000, None, '', '2013-07-01', 7, '2013-07-01T09')
        """
        return _values_fn(self.cls, described(self.cls).infos(), self._currency_of, given, fallback)

    def record(self, row: Mapping[str, Any], **given: Any) -> R:
        """The record a row holds (``given`` supplies fields kept in other tables).

        A value townplan does not write (a day that is no day, a stage that is none, left
        in the file by another program) raises :func:`refused`'s ValidationError."""
        try:  # named only when it fails: rows are read hot, and a try costs nothing
            if not given and self._read is not None:
                return self._read(row)
            data = {**row, **given}
            if self._money:
                currency = data["currency"]
                for column in self._money:
                    fen = data[column]
                    if fen is not None:
                        data[column] = Money.from_fen(fen, currency)
            for name in self._nested:
                data[name] = data
            return self._structure(data, self.cls)
        except (ValueError, TypeError) as exc:
            bad = None if isinstance(exc, ValidationError) else self._bad_value(row)
            if bad is None:
                raise
            raise bad from None

    def _bad_value(self, row: Mapping[str, Any]) -> ValidationError | None:
        """The error naming the first stored value of ``row`` its field's hook refuses."""
        for info in described(self.cls).infos():
            if not info.stored or info.is_money or attrs.has(info.type):
                continue
            value = _column(row, info.column)
            if value is None:
                continue
            try:
                _ROWS.get_structure_hook(info.type)(value, info.type)
            except Exception:  # any refusal of the field's hook (cattrs' groups too)
                return refused(_name(row, self.cls), info.name, value, info.type)
        return None


def _column(row: Mapping[str, Any], column: str) -> Any:
    try:
        return row[column]
    except (KeyError, IndexError):
        return None


def _name(row: Mapping[str, Any], cls: type) -> str:
    """What the record of ``row`` is called: its code (as a register names a project), its
    project and month, or its class."""
    for keys in (("code",), ("project", "period")):
        values = [_column(row, key) for key in keys]
        if None not in values:
            return " ".join(map(str, values))
    return cls.__name__


def refused(record: str, field: str, value: object, kind: Any) -> ValidationError:
    """A value of type ``kind`` stored in the ledger that townplan does not write (a file
    another program changed), named by its record and field.

    >>> from townplan.model.enums import Stage
    >>> str(refused("P001", "planned_start", "2013-13-01", date))
    "P001.planned_start: got '2013-13-01' — expected a day such as 2013-06-30"
    >>> refused("P001", "stage", "halfway", Stage).expected[:31]
    'one of preparation (前期), new_st'
    """
    if isinstance(kind, type) and issubclass(kind, LabelledEnum):
        expected = "one of " + ", ".join(f"{m.value} ({m.label_cn})" for m in kind)
    elif kind is date:
        expected = "a day such as 2013-06-30"
    else:
        expected = f"a value townplan stores for {getattr(kind, '__name__', kind)}"
    return ValidationError.single(record=record, field=field, value=value, expected=expected)


_MAPS: dict[type, RowMap[Any]] = {}


def row_map(cls: type[R]) -> RowMap[R]:
    """The :class:`RowMap` of ``cls`` (made once per class)."""
    found = _MAPS.get(cls)
    if found is None:
        found = _MAPS[cls] = _make_row_map(cls)
    return found


def _make_row_map(cls: type[R]) -> RowMap[R]:
    infos = described(cls).infos()
    columns: list[str] = []
    money: list[str] = []
    nested: list[str] = []
    currency_of = None
    for info in infos:
        inner = described(info.type).infos() if attrs.has(info.type) else ()
        if inner:  # a record inside: spread over the columns of its own fields
            _register_nested(info.type)
            nested.append(info.name)
            if info.stored:
                columns.extend(i.column for i in inner)
            continue
        if info.is_money:
            money.append(info.column)
            if currency_of is None:
                currency_of = info.name
                columns.append("currency")
        if info.stored:
            columns.append(info.column)
    unstructure_fn = make_dict_unstructure_fn(
        cls, _ROWS,
        **{i.name: override(rename=i.column, omit=not i.stored) for i in infos},  # type: ignore[arg-type]
    )  # fmt: skip
    structure_fn = make_dict_structure_fn(
        cls, _ROWS, _cattrs_forbid_extra_keys=False,
        **{i.name: override(rename=i.column) for i in infos if i.name not in nested},  # type: ignore[arg-type]
    )  # fmt: skip
    found: RowMap[R] = RowMap(
        cls, tuple(columns), unstructure_fn, structure_fn, tuple(money), currency_of,
        tuple(nested), lambda r: _unused(r),
    )  # fmt: skip
    if nested:
        return attrs.evolve(found, values=_by_row(found))
    return attrs.evolve(
        found, values=_values_fn(cls, infos, currency_of), read=_read_fn(cls, infos)
    )


def _read_fn(cls: type, infos: tuple[Any, ...]) -> Callable[[Mapping[str, Any]], Any]:
    """A function ``row -> record`` generated from the row converter's structure hooks
    (those that pass values through are left out; money is made from fen and the row's
    currency), like cattrs' own generated functions but without a dict per row."""
    names: dict[str, Any] = {"cls": cls, "from_fen": Money.from_fen}
    args = []
    for info in infos:
        key = repr(info.column)
        read = f"o[{key}]" if info.stored else f"o.get({key})"
        if info.is_money:
            value = f"from_fen({read}, cur)"
        else:
            hook = _ROWS.get_structure_hook(info.type)
            if hook is _same:
                value = read
            else:
                names[f"h_{info.name}"], names[f"t_{info.name}"] = hook, info.type
                value = f"h_{info.name}({read}, t_{info.name})"
        if info.optional and value != read:
            value = f"(None if {read} is None else {value})"
        args.append(f"{info.name}={value}")
    currency = "    cur = o['currency']\n" if any(i.is_money for i in infos) else ""
    source = f"def read(o):\n{currency}    return cls({', '.join(args)})\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<townplan row read {cls.__name__}>", "exec"), names, namespace)
    return namespace["read"]  # type: ignore[no-any-return]


def _unused(record: object) -> tuple[Any, ...]:
    raise AssertionError("replaced when the map is made")  # pragma: no cover


def _by_row(rows: RowMap[R]) -> Callable[[R], tuple[Any, ...]]:
    pick = itemgetter(*rows.columns)
    return lambda record: tuple(pick(rows.row(record)))


def _values_fn(
    cls: type,
    infos: tuple[Any, ...],
    currency_of: str | None,
    given: tuple[str, ...] = (),
    fallback: Mapping[str, str] | None = None,
) -> Callable[..., tuple[Any, ...]]:
    """A function ``(record, *given) -> tuple`` of the stored columns, generated like
    cattrs' own functions from the same hooks (a tuple, not a dict: the bulk path binds
    positionally). A ``given`` value replaces the field of its name or is appended; a
    ``fallback`` expression (over the given names) stands in for a None field."""
    hooks: dict[str, Any] = {}
    terms = []
    for info in infos:
        if info.is_money and info.name == currency_of:
            terms.append(f"i.{info.name}.currency")
        if not info.stored:
            continue
        if info.name in given:
            terms.append(info.name)
            continue
        hook = _ROWS.get_unstructure_hook(info.type)
        value = f"i.{info.name}"
        instead = (fallback or {}).get(info.name)
        if hook is not identity:
            hooks[f"h_{info.name}"] = hook
            value = f"h_{info.name}({value})"
            if info.optional:
                value = f"({instead or None} if i.{info.name} is None else {value})"
        elif instead:
            value = f"({instead} if {value} is None else {value})"
        terms.append(value)
    terms.extend(name for name in given if name not in {i.name for i in infos})
    source = f"def values(i, {', '.join(given)}):\n    return ({', '.join(terms)},)\n"
    namespace: dict[str, Any] = {}
    exec(compile(source, f"<townplan row values {cls.__name__}>", "exec"), hooks, namespace)
    return namespace["values"]  # type: ignore[no-any-return]


def _register_nested(cls: type) -> None:
    infos = described(cls).infos()
    renames = {i.name: override(rename=i.column) for i in infos}
    unstructure_fn: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls,
        _ROWS,
        **renames,  # type: ignore[arg-type]
    )
    structure_fn: Callable[[Any, Any], Any] = make_dict_structure_fn(
        cls,
        _ROWS,
        _cattrs_forbid_extra_keys=False,
        **renames,  # type: ignore[arg-type]
    )
    _ROWS.register_unstructure_hook(cls, unstructure_fn)
    _ROWS.register_structure_hook(cls, structure_fn)
