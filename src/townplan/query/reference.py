"""Questions about leading groups, targets and the ledger's appended entries.

>>> from townplan.ledger import LedgerStore
>>> import townplan as tp
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_units(["城建办"])
>>> _ = ledger.add_groups([tp.LeadingGroup(code="G1", name="城市道路建设工作领导小组",
...                                    member_units=("城建办",))])
>>> [g.name for g in GroupQuery(reader=ledger).where(unit="城建办")]
['城市道路建设工作领导小组']
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar, Self

import attrs

from townplan.ledger.reads import Entry
from townplan.ledger.rows import group_from_row, target_from_row
from townplan.model.enums import GroupKind
from townplan.model.records import AnnualTarget, LeadingGroup
from townplan.query.base import BaseQuery, deprecated
from townplan.query.fields import (
    ENTRY_FIELDS,
    GROUP_FIELDS,
    TARGET_FIELDS,
    Field,
    FieldSet,
    Kind,
)
from townplan.query.sql import Fragment
from townplan.query.where import condition

__all__ = ["EntryQuery", "GroupQuery", "TargetQuery"]

_GROUPS = (
    "SELECT g.*, (SELECT json_group_array(unit) FROM (SELECT unit FROM group_members "
    "WHERE group_code = g.code ORDER BY position)) AS members FROM leading_groups AS g"
)

#: A member unit of a group, for ``GroupQuery.where(unit=...)``.
_MEMBER = FieldSet("leading_groups", (Field("unit", "gm.unit", Kind.TEXT),))


@attrs.frozen(kw_only=True)
class GroupQuery(BaseQuery[LeadingGroup]):
    """Leading groups (领导小组) and the command HQ (指挥部); as of a day, those established."""

    FIELDS: ClassVar[FieldSet] = GROUP_FIELDS

    def kind(self, *kinds: GroupKind | str) -> Self:
        """Groups of the kinds named ("group"/"领导小组", "hq"/"指挥部")."""
        return self.where(kind__in=kinds)

    def with_member(self, unit: str) -> Self:
        """Deprecated: ``where(unit=unit)``."""
        deprecated("GroupQuery.with_member(...)", "where(unit=...)")
        return self.where(unit=unit)

    def _lookup(self, lookup: str, value: object) -> Fragment:
        # ``unit``: groups that have the unit among their member units (成员单位).
        if lookup.partition("__")[0] == "unit":
            member = condition(_MEMBER, lookup, value)
            return "x.code IN (SELECT gm.group_code FROM group_members AS gm WHERE " + member + ")"
        return super()._lookup(lookup, value)

    def _source(self) -> Fragment:
        if self.reader.cut is None:
            return Fragment(_GROUPS)
        return Fragment(
            _GROUPS + " WHERE g.established IS NULL OR g.established <= ?",
            (self.reader.cut.isoformat(),),
        )

    def _record(self, row: Mapping[str, Any]) -> LeadingGroup:
        return group_from_row(row, tuple(json.loads(row["members"])))


@attrs.frozen(kw_only=True)
class TargetQuery(BaseQuery[AnnualTarget]):
    """Expected targets (预期目标) for a year or a span of years."""

    FIELDS: ClassVar[FieldSet] = TARGET_FIELDS

    def for_year(self, year: int) -> Self:
        """Deprecated: ``where(year=year)``."""
        deprecated("TargetQuery.for_year(...)", "where(year=...)")
        return self.where(year=year)

    def _source(self) -> Fragment:
        return Fragment("SELECT * FROM targets")

    def _record(self, row: Mapping[str, Any]) -> AnnualTarget:
        return target_from_row(row)


@attrs.frozen(kw_only=True)
class EntryQuery(BaseQuery[Entry]):
    """Appended entries in force in the view (corrections applied), oldest first."""

    FIELDS: ClassVar[FieldSet] = ENTRY_FIELDS
    KEY: ClassVar[tuple[str, ...]] = ("effective_on", "id")

    def kind(self, *kinds: str) -> Self:
        """Entries of any of the kinds named (e.g. "task_progress")."""
        return self.where(kind__in=kinds)

    def subject(self, *subjects: str) -> Self:
        """Entries about any of the subjects named (a task or project code …)."""
        return self.where(subject__in=subjects)

    def _source(self) -> Fragment:
        return Fragment.relation(*self.reader.relation("entries"))

    def _record(self, row: Mapping[str, Any]) -> Entry:
        return Entry.from_row(row)
