"""Batches of reference records (groups, tasks, targets, attraction figures): every record
is checked — type, duplicate code, each reference — before any is written, and one
:class:`~townplan.ConflictError` (or ValidationError for wrong types) names them all."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Final

import attrs

from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.ledger.rows import attraction_row, group_row, target_row, task_row
from townplan.model.money import Money
from townplan.model.records import AnnualTarget, Attraction, LeadingGroup, Task

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["insert_reference"]


@attrs.frozen
class _Kind:
    table: str
    cls: type
    to_row: Callable[[Any], dict[str, Any]]
    # (field name on the record, table and key column it must name)
    references: tuple[tuple[str, str, str], ...] = ()


_KINDS: Final = {
    LeadingGroup: _Kind(
        "leading_groups", LeadingGroup, group_row,
        (("office_host", "units", "name"), ("member_units", "units", "name")),
    ),
    Task: _Kind(
        "milestones", Task, task_row, (("group", "leading_groups", "code"),)
    ),
    AnnualTarget: _Kind("targets", AnnualTarget, target_row),
    Attraction: _Kind("attraction", Attraction, attraction_row),
}  # fmt: skip
_THING: Final = {"units": "unit", "leading_groups": "leading group"}


def _keys(db: sqlite_utils.Database, table: str, column: str) -> set[str]:
    return {row[0] for row in db.execute(f"SELECT [{column}] FROM [{table}]")}


def typed_items(records: Iterable[Any], cls: type) -> list[Any]:
    """``records`` as a list, or a ValidationError naming every item that is not a ``cls``."""
    items = list(records)
    invalid = [
        FieldError(f"item {n}", None, repr(item)[:80], f"a townplan {cls.__name__}")
        for n, item in enumerate(items, start=1)
        if not isinstance(item, cls)
    ]
    if invalid:
        raise ValidationError(invalid)
    return items


def owner_problems(
    record: str, field: str, owner: str, amount: Money, currencies: dict[str, str], kind: str
) -> list[FieldError]:
    """What is wrong with an amount that belongs to ``owner`` (a project or a deal, the
    ``kind``) named in ``field``: the owner is not in the ledger (``currencies``, code →
    currency), or the amount is not in the owner's currency."""
    if owner not in currencies:
        expected = "a project in the register" if kind == "project" else f"a {kind} in the ledger"
        return [FieldError(record, field, owner, expected)]
    if currencies[owner] != amount.currency:
        expected = f"an amount in the {kind}'s currency {currencies[owner]}"
        return [FieldError(record, "amount", amount.format_cn(), expected)]
    return []


def insert_reference(
    db: sqlite_utils.Database, cls: type, records: Iterable[Any], recorded_at: str
) -> int:
    """Check then insert reference records of type ``cls`` recorded at ``recorded_at``;
    returns how many."""
    kind = _KINDS[cls]
    items = typed_items(records, cls)
    known = {(t, c): _keys(db, t, c) for _, t, c in kind.references}
    codes = _keys(db, kind.table, "code")
    names = _keys(db, "leading_groups", "name") if cls is LeadingGroup else set()
    conflicts: list[FieldError] = []
    for item in items:
        record = f"{cls.__name__} {item.code}"
        if item.code in codes:
            conflicts.append(FieldError(record, "code", item.code, "a code not already used"))
        codes.add(item.code)
        if cls is LeadingGroup:
            if item.name in names:
                conflicts.append(FieldError(record, "name", item.name, "a name not already used"))
            names.add(item.name)
        if cls is LeadingGroup:
            repeated = sorted({u for u in item.member_units if item.member_units.count(u) > 1})
            conflicts.extend(
                FieldError(record, "member_units", unit, "each member unit listed once")
                for unit in repeated
            )
        for field, table, column in kind.references:
            value = getattr(item, field)
            for one in value if isinstance(value, tuple) else (value,):
                if one is not None and one not in known[(table, column)]:
                    expected = f"a {_THING[table]} in the ledger"
                    conflicts.append(FieldError(record, field, one, expected))
    if conflicts:
        raise ConflictError(f"{len(conflicts)} problem(s) with {cls.__name__} records", conflicts)
    target = db.table(kind.table)
    for item in items:
        target.insert({**kind.to_row(item), "recorded_at": recorded_at})
        if cls is LeadingGroup:
            db.table("group_members").insert_all(
                {
                    "group_code": item.code,
                    "unit": unit,
                    "position": position,
                    "recorded_at": recorded_at,
                }
                for position, unit in enumerate(item.member_units)
            )
    return len(items)
