"""The names a caller may filter, order and group by: the model's field names, each mapped
to the column (or exact expression) that holds it.

These allow-lists are the only way a name reaches SQL text; any other name raises
:class:`townplan.ValidationError` listing the valid ones.

>>> PROJECT_FIELDS.get("annual_plan").column
'x.plan_fen'
>>> PROJECT_FIELDS.get("budget")
Traceback (most recent call last):
...
townplan.errors.ValidationError: projects.budget: got 'budget' — expected one of ...
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from typing import Final, get_origin

import attrs

from townplan.errors import ValidationError
from townplan.model.enums import LabelledEnum
from townplan.model.fields import FieldInfo, described
from townplan.model.money import Money
from townplan.model.period import Period
from townplan.model.records import Indicator, LeadingGroup, ProgressReport, Project, Task

__all__ = [
    "ENTRY_FIELDS",
    "GROUP_FIELDS",
    "GROUP_KEYS",
    "PROGRESS_FIELDS",
    "PROJECT_FIELDS",
    "TARGET_FIELDS",
    "TASK_FIELDS",
    "Field",
    "FieldSet",
    "Kind",
    "declared",
]


class Kind(enum.Enum):
    """How a field's values are compared and bound."""

    TEXT = "text"
    INT = "int"
    BOOL = "bool"
    DATE = "date"
    PERIOD = "period"
    ENUM = "enum"
    MONEY = "money"
    RATIO = "ratio"
    DECIMAL = "decimal"


@attrs.frozen
class Field:
    """One filterable field. ``column`` is SQL over the row alias ``x``; a money field
    also names its currency column, a ratio its denominator."""

    name: str
    column: str
    kind: Kind
    enum: type[LabelledEnum] | None = None
    currency: str | None = None
    denominator: str | None = None

    @property
    def order_expr(self) -> str:
        """The expression to sort by: enums in their declared order, ratios by value."""
        if self.enum is not None:
            whens = " ".join(f"WHEN '{m.value}' THEN {i}" for i, m in enumerate(self.enum))
            return f"CASE {self.column} {whens} END"
        if self.kind is Kind.RATIO:
            return f"(CAST({self.column} AS REAL) / NULLIF({self.denominator}, 0))"
        return self.column


@attrs.frozen
class FieldSet:
    """The fields of one kind of record, by model name."""

    record: str
    fields: tuple[Field, ...]

    def get(self, name: object) -> Field:
        """The field called ``name``; ValidationError listing the valid names otherwise."""
        if isinstance(name, str):
            for field in self.fields:
                if field.name == name:
                    return field
        raise ValidationError.single(
            record=self.record,
            field=str(name),
            value=name,
            expected=f"one of {', '.join(self.names())}",
        )

    def names(self) -> list[str]:
        """Every valid name, in model order."""
        return [f.name for f in self.fields]

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)


def _text(name: str, column: str | None = None) -> Field:
    return Field(name, f"x.{column or name}", Kind.TEXT)


def _int(name: str, column: str | None = None) -> Field:
    return Field(name, f"x.{column or name}", Kind.INT)


def _money(name: str, column: str) -> Field:
    return Field(name, f"x.{column}", Kind.MONEY, currency="x.currency")


def _date(name: str, column: str | None = None) -> Field:
    return Field(name, f"x.{column or name}", Kind.DATE)


_KINDS: dict[object, Kind] = {
    str: Kind.TEXT, int: Kind.INT, bool: Kind.BOOL, date: Kind.DATE, Period: Kind.PERIOD,
    Money: Kind.MONEY, Decimal: Kind.DECIMAL,
}  # fmt: skip


def declared(info: FieldInfo) -> Field:
    """The query field of a declared model field: its column, compared by its type.

    >>> from townplan.model.fields import described
    >>> declared(described(Project)["plan_year"])
    Field(name='plan_year', column='x.plan_year', kind=<Kind.INT: 'int'>, enum=None, ...)
    """
    if isinstance(info.type, type) and issubclass(info.type, LabelledEnum):
        return Field(info.name, f"x.{info.column}", Kind.ENUM, enum=info.type)
    kind = _KINDS[info.type]
    currency = "x.currency" if kind is Kind.MONEY else None
    return Field(info.name, f"x.{info.column}", kind, currency=currency)


def _model(record: type) -> tuple[Field, ...]:
    """The query fields of ``record``'s stored fields, in the record's order: a record
    inside (a task's :class:`~townplan.model.period.Deadline`) by its own fields, each named
    by its column (``due``, ``latest``, ``aspirational``, ``deadline_text``); a tuple (JSON
    text: a group's deputies, a task's measures) is not compared and left out."""
    found: list[Field] = []
    for info in described(record).infos():
        if not info.stored or get_origin(info.type) is tuple:
            continue
        inner = described(info.type).infos() if attrs.has(info.type) else ()
        if inner:
            found.extend(attrs.evolve(declared(i), name=i.column) for i in inner)
        else:
            found.append(declared(info))
    return tuple(found)


#: Projects: the register's fields, plus ``year_to_date`` (本年完成投资), ``cumulative``
#: (累计完成投资) and ``completion_rate`` (完成率) measured on the query's day.
PROJECT_FIELDS = FieldSet(
    "projects",
    (
        *_model(Project), _text("currency"), _date("valid_from"),
        _money("year_to_date", "ytd_fen"), _money("cumulative", "cum_fen"),
        Field("completion_rate", "x.ytd_fen", Kind.RATIO, denominator="x.year_plan_fen"),
    ),
)  # fmt: skip
#: Fields of a project that are keys of totals (``group=True`` on the model field).
GROUP_KEYS: Final = tuple(i for i in described(Project).infos() if i.group)
#: Fields that need the progress figures joined in.
MEASURED = frozenset({"year_to_date", "cumulative", "completion_rate"})

PROGRESS_FIELDS = FieldSet(
    "progress",
    (_int("id"), *_model(ProgressReport), _text("recorded_at"), _text("currency")),
)  # fmt: skip

#: Tasks: the model's fields (the deadline by its parts), and ``deadline``, which compares
#: by the due day.
TASK_FIELDS = FieldSet(
    "milestones", (*_model(Task), _date("deadline", "due"))
)  # fmt: skip
#: Leading groups: the model's fields (a member unit is ``GroupQuery.where(unit=...)``).
GROUP_FIELDS = FieldSet("leading_groups", _model(LeadingGroup))
#: Targets and the other indicators: the model's fields.
TARGET_FIELDS = FieldSet("targets", _model(Indicator))

ENTRY_FIELDS = FieldSet(
    "entries",
    (
        _int("id"), _text("kind"), _text("subject"), _date("effective_on"),
        _text("recorded_at"), _text("note"), _int("corrects"),
    ),
)  # fmt: skip
