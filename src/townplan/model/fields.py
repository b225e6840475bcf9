"""What a record's field means outside Python: its Chinese label, its unit, the sheet
headers that name it, the ledger column that holds it — declared once, on the field.

Declare a field with ``attrs.field(metadata=meta(...))``: the ledger's rows, the query
fields, the sheet headers, the register export, the Datasette labels and OC4IDS read
these declarations, so a new field is one line on its record plus its migration:

>>> import attrs
>>> from townplan.model.checks import check_text, check_year
>>> @attrs.frozen
... class Permit:
...     code: str = attrs.field(validator=check_text, metadata=meta(
...         label_cn="许可证号", label_en="permit number", headers=("许可证编号",)))
...     issued: int | None = attrs.field(default=None, validator=check_year, metadata=meta(
...         label_cn="发证年份", label_en="year issued", unit="年", column="issued_year"))
>>> info = described(Permit)
>>> info["issued"].label_cn, info["issued"].type, info["issued"].optional
('发证年份', <class 'int'>, True)
>>> info["issued"].column
'issued_year'
>>> info["code"].header, info["code"].headers
('许可证号', ('许可证号', '许可证编号'))

What the declaration says (all optional but ``label_cn``):

- ``label_en`` — English words for the label (Datasette, docs);
- ``unit`` — the unit the value is in ("年" for a year, "元" for money);
- ``headers`` — more sheet headers that name the field (the label always does);
- ``sheet`` — the header the register export writes, when not the label;
- ``column`` — the ledger column, when not the field's name (money: its ``*_fen``);
- ``group`` — the field is a key of totals (``summary(by=...)``);
- ``oc4ids`` — the path in an OC4IDS project (``"period.startDate"``);
- ``stored`` — False for a field the ledger assigns (an id) and never writes;
- ``sheets`` — False for a field no sheet carries (a correction's link).
"""

from __future__ import annotations

import types
from collections.abc import Iterator, Mapping
from typing import Any, Final, Union, get_args, get_origin

import attrs

from townplan.model.money import Money

__all__ = ["FieldInfo", "described", "meta"]

_KEY: Final = "townplan"


@attrs.frozen
class FieldInfo:
    """The declaration of one field (see the module docstring), with its resolved type
    (``None`` stripped: ``optional`` says whether None is allowed)."""

    name: str
    label_cn: str
    label_en: str = ""
    unit: str | None = None
    headers: tuple[str, ...] = ()
    sheet: str | None = None
    column: str = ""
    group: bool = False
    oc4ids: str | None = None
    stored: bool = True
    sheets: bool = True
    type: Any = None
    optional: bool = False

    @property
    def header(self) -> str:
        """The header the register export writes."""
        return self.sheet or self.label_cn

    @property
    def describe(self) -> str:
        """``"所属村（社区） village or community"`` — Chinese label, English, unit."""
        return " ".join(x for x in (self.label_cn, self.label_en) if x)

    @property
    def is_money(self) -> bool:
        """Whether the field holds :class:`~townplan.Money`."""
        return self.type is Money


def meta(
    *,
    label_cn: str,
    label_en: str = "",
    unit: str | None = None,
    headers: tuple[str, ...] = (),
    sheet: str | None = None,
    column: str | None = None,
    group: bool = False,
    oc4ids: str | None = None,
    stored: bool = True,
    sheets: bool = True,
) -> dict[str, Any]:
    """The ``metadata`` of an ``attrs.field`` that declares what the field means (see
    the module docstring)."""
    declared = {
        "label_cn": label_cn, "label_en": label_en, "unit": unit,
        "headers": tuple(dict.fromkeys((label_cn, *headers))), "sheet": sheet,
        "column": column, "group": group, "oc4ids": oc4ids, "stored": stored,
        "sheets": sheets,
    }  # fmt: skip
    return {_KEY: declared}


class Described(Mapping[str, FieldInfo]):
    """The declared fields of a record class, by name, in the class's order."""

    def __init__(self, fields: tuple[FieldInfo, ...]) -> None:
        self._fields = {f.name: f for f in fields}

    def __getitem__(self, name: str) -> FieldInfo:
        return self._fields[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._fields)

    def __len__(self) -> int:
        return len(self._fields)

    def infos(self) -> tuple[FieldInfo, ...]:
        """Every declaration, in the class's order."""
        return tuple(self._fields.values())


_CACHE: dict[type, Described] = {}


def described(cls: type) -> Described:
    """The declared fields of the attrs class ``cls`` (fields without a declaration are
    left out)."""
    found = _CACHE.get(cls)
    if found is None:
        attrs.resolve_types(cls)
        infos = []
        for attribute in attrs.fields(cls):
            declared = attribute.metadata.get(_KEY)
            if declared is None:
                continue
            kind, optional = _strip_none(attribute.type)
            column = declared["column"] or attribute.name
            infos.append(
                FieldInfo(
                    name=attribute.name, type=kind, optional=optional,
                    **{**declared, "column": column},
                )
            )  # fmt: skip
        found = _CACHE[cls] = Described(tuple(infos))
    return found


def _strip_none(annotation: Any) -> tuple[Any, bool]:
    if get_origin(annotation) in (Union, types.UnionType):
        args = [a for a in get_args(annotation) if a is not type(None)]
        if len(args) == 1:
            return args[0], len(args) < len(get_args(annotation))
    return annotation, False
