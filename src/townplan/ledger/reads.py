"""Reading the ledger, live or as of a day.

The current state of a project is its latest version; as of a day it is the latest
version effective on that day and recorded by its end. What counts at a cut is decided in
:mod:`townplan.ledger.asof` alone; the reads here ask it for relations.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, Final, TypeVar

import attrs

from townplan.convert import structure
from townplan.deprecation import deprecated
from townplan.errors import NotFoundError, ValidationError
from townplan.ledger.asof import VERSION_COLUMNS, Cut, relation
from townplan.ledger.base import LedgerBase
from townplan.ledger.rows import (
    attraction_from_row,
    group_from_row,
    progress_from_row,
    project_from_row,
    target_from_row,
    task_from_row,
)
from townplan.model.arguments import code_argument, optional_day
from townplan.model.dated import DatedRule, check_kind_class, choose
from townplan.model.enums import Level
from townplan.model.policy import ThresholdPolicy, policy_in_force
from townplan.model.records import (
    AnnualTarget,
    Attraction,
    LeadingGroup,
    ProgressReport,
    Project,
    Task,
    Unit,
    Zone,
)

__all__ = ["Entry", "LedgerReader", "ProjectVersion"]

R = TypeVar("R", bound=DatedRule)

#: The tables with an official order (排列顺序), by the name a caller gives.
_ORDERED: Final = {"zones": "zones", "units": "units"}


@attrs.frozen
class ProjectVersion:
    """One version of a project: what it was from ``valid_from``, recorded at ``recorded_at``."""

    version: int
    valid_from: date
    recorded_at: str
    note: str
    project: Project


@attrs.frozen
class Entry:
    """An appended fact of a kind other than a progress report (task progress, a
    target's actual, a governance event); ``payload`` is its JSON data."""

    id: int
    kind: str
    subject: str
    effective_on: date
    recorded_at: str
    payload: dict[str, Any]
    note: str
    corrects: int | None

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Entry:
        """An entry from an ``entries`` row."""
        return cls(
            id=row["id"],
            kind=row["kind"],
            subject=row["subject"],
            effective_on=date.fromisoformat(row["effective_on"]),
            recorded_at=row["recorded_at"],
            payload=json.loads(row["payload"]),
            note=row["note"],
            corrects=row["corrects"],
        )


class LedgerReader(LedgerBase):
    """Every read, honouring the as-of cut."""

    # --- relations for the query layer --------------------------------------------------
    def register_relation(self, on: date) -> tuple[str, dict[str, str]]:
        """SQL (a subquery) and its parameters for the register valid on ``on`` as known
        at the cut: each project's latest version effective by ``on``, recorded by then."""
        if not isinstance(on, date):
            raise ValidationError.single(record="register", field="on", value=on, expected="a date")
        return self.relation("projects", on=on)

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """The rows of a parameterised query as dicts (storage failures as townplan errors)."""
        return list(self._rows(sql, dict(params or {})))

    def known(
        self, name: str, where: str = "", order_by: str = "", **equal: object
    ) -> Iterator[dict[str, Any]]:
        """Rows of the relation ``name`` at the cut, those whose column equals each value
        of ``equal`` that is not None (``where``, ``order_by`` and the column names are
        townplan's own SQL text, never user input; the values are bound)."""
        sql, params = self.relation(name)
        conditions = [where] if where else []
        for column in equal:
            conditions.append(f"(:eq_{column} IS NULL OR k.{column} = :eq_{column})")
        query = f"SELECT * FROM ({sql}) AS k"
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        if order_by:
            query += f" ORDER BY {order_by}"
        return self._rows(query, {**params, **{f"eq_{c}": v for c, v in equal.items()}})

    def arrivals_relation(self) -> tuple[str, dict[str, str]]:
        """SQL (a subquery) and its parameters for every progress report known at the cut,
        originals and corrections alike: when a month's report first arrived is the
        earliest ``reported_on`` among them, whatever corrected it later."""
        return relation("progress_entries", Cut(None, self._as_of))

    # --- projects -------------------------------------------------------------------------
    def project(self, code: str) -> Project:
        """The project ``code`` as it stands (as of the cut); NotFoundError if absent."""
        code = code_argument(code, record="project", field="code")
        sql, params = self.relation("project")
        rows = list(self._rows(sql, {**params, "code": code}))
        if not rows:
            when = f" as of {self._as_of}" if self._as_of else ""
            raise NotFoundError(f"no project with code {code!r}{when}", reason="not_found",
                                record="project", key=code)  # fmt: skip
        return project_from_row(rows[0])

    def projects(self) -> Iterator[Project]:
        """Every project, by code (streamed)."""
        sql, params = self.relation("projects")
        for row in self._rows(f"SELECT * FROM ({sql}) ORDER BY code", params):
            yield project_from_row(row)

    def project_versions(self, code: str) -> list[ProjectVersion]:
        """Every version of ``code`` known at the cut, oldest first."""
        code = code_argument(code, record="project_versions", field="code")
        known = Cut(None, self._as_of)
        sql = " UNION ALL ".join(
            f"SELECT {VERSION_COLUMNS} FROM ({relation(t, known)[0]}) WHERE code = :code"
            for t in ("project_rows", "project_history")
        )
        rows = self._rows(sql, {**known.params(), "code": code})
        versions = [
            ProjectVersion(
                r["version"], date.fromisoformat(r["valid_from"]), r["recorded_at"],
                r["change_note"], project_from_row(r),
            )
            for r in rows
        ]  # fmt: skip
        if not versions:
            raise NotFoundError(f"no project with code {code!r}", reason="not_found",
                                record="project", key=code)  # fmt: skip
        return sorted(versions, key=lambda v: (v.valid_from, v.version))

    # --- progress --------------------------------------------------------------------------
    def progress(self, project: str | None = None) -> Iterator[ProgressReport]:
        """Progress reports in force (corrections applied), by project and month."""
        sql, params = self.relation("progress")
        where = " WHERE project = :project" if project is not None else ""
        query = f"SELECT * FROM ({sql}){where} ORDER BY project, period"
        for row in self._rows(query, {**params, "project": project}):
            yield progress_from_row(row)

    def progress_entries(self, project: str) -> list[ProgressReport]:
        """Every progress entry of ``project`` known at the cut, corrections included,
        in the order recorded."""
        sql, params = relation("progress_entries", Cut(None, self._as_of))
        rows = self._rows(f"SELECT * FROM ({sql}) WHERE project = :p ORDER BY id",
                          {**params, "p": project})  # fmt: skip
        return [progress_from_row(r) for r in rows]

    # --- other reference data ---------------------------------------------------------------
    def zones(self) -> list[Zone]:
        """Planning zones, in the official order (:meth:`official_order`), then by name."""
        rows = self.known("zones", order_by="position IS NULL, position, name")
        return [Zone(r["name"], r["name_en"]) for r in rows]

    def units(self) -> list[Unit]:
        """Responsible units, in the official order (:meth:`official_order`), then by name."""
        rows = self.known("units", order_by="position IS NULL, position, name")
        return [Unit(r["name"], r["name_en"]) for r in rows]

    def official_order(self, kind: str) -> list[str]:
        """The names of ``kind`` ("zones" or "units") in the order the office lists them
        (排列顺序), as set by ``set_official_order``; empty when none is set (then reports
        list them by name, the code the ledger keys them by)."""
        table = _ORDERED.get(kind)
        if table is None:
            raise ValidationError.single(record="official order", field="kind", value=kind,
                                         expected="'zones' or 'units'")  # fmt: skip
        rows = self.known(table, where="position IS NOT NULL", order_by="position")
        return [r["name"] for r in rows]

    def groups(self) -> list[LeadingGroup]:
        """Leading groups and the command HQ established by the cut, by code."""
        members: dict[str, list[str]] = {}
        for m in self.known("group_members", order_by="group_code, position"):
            members.setdefault(m["group_code"], []).append(m["unit"])
        rows = list(self.known("leading_groups", order_by="code"))
        if self._as_of is not None:
            day = self._as_of.isoformat()
            rows = [r for r in rows if r["established"] is None or r["established"] <= day]
        return [group_from_row(r, tuple(members.get(r["code"], ()))) for r in rows]

    def group(self, code: str) -> LeadingGroup:
        """One leading group; NotFoundError if absent."""
        for g in self.groups():
            if g.code == code:
                return g
        raise NotFoundError(f"no leading group with code {code!r}", reason="not_found",
                            record="leading group", key=code)  # fmt: skip

    def tasks(self, group: str | None = None) -> list[Task]:
        """Tasks (of one group), by due day then code."""
        rows = self.known("milestones", order_by="due, code")
        return [task_from_row(r) for r in rows if group is None or r["group_code"] == group]

    def task(self, code: str) -> Task:
        """One task; NotFoundError if absent."""
        code = code_argument(code, record="task", field="code")
        rows = [r for r in self.known("milestones") if r["code"] == code]
        if not rows:
            raise NotFoundError(f"no task with code {code!r}", reason="not_found",
                                record="task", key=code)  # fmt: skip
        return task_from_row(rows[0])

    def milestones(self, group: str | None = None) -> list[Task]:
        """Deprecated: :meth:`tasks`."""
        deprecated("ledger.milestones()", "ledger.tasks()")
        return self.tasks(group)

    def milestone(self, code: str) -> Task:
        """Deprecated: :meth:`task`."""
        deprecated("ledger.milestone(code)", "ledger.task(code)")
        return self.task(code)

    def targets(self) -> list[AnnualTarget]:
        """Annual and multi-year targets (indicators with a value to reach), by code; every
        indicator, statistics included, is in ``indicators()``."""
        rows = self.known("targets", where="k.value IS NOT NULL", order_by="code")
        return [target_from_row(r) for r in rows]

    def attractions(self) -> list[Attraction]:
        """Investment-attraction figures (招商引资), by code."""
        return [attraction_from_row(r) for r in self.known("attraction", order_by="code")]

    # --- dated rules (townplan.model.dated) ---------------------------------------------
    def rules(self, kind: type[R]) -> list[R]:
        """The rules of ``kind`` known at the cut, by start day then in the order recorded."""
        check_kind_class(kind)
        rows = self.known("rules", where=f"kind = '{kind.kind}'",
                          order_by="effective_from, recorded_at, name")  # fmt: skip
        return [structure(json.loads(r["body"]), kind) for r in rows]

    def rule(self, kind: type[R], on: date | None = None) -> R:
        """The rule of ``kind`` in force on ``on`` (default: the cut, or today in the
        ledger's zone) among those known at the cut; ``kind.default()`` if none."""
        day = self._day(on, "on")
        return choose(self.rules(kind), day, kind.default())

    def policies(self) -> list[ThresholdPolicy]:
        """Every eligibility policy known at the cut; the default one when there is none."""
        return self.rules(ThresholdPolicy) or [ThresholdPolicy.default()]

    def policy(self, on: date | None = None, level: Level | str | None = None) -> ThresholdPolicy:
        """The eligibility policy in force on ``on`` (default: the cut, or today)."""
        return policy_in_force(self.policies(), self._day(on, "on"), level)

    def _day(self, on: date | None, field: str) -> date:
        day = optional_day(on, record="reading", field=field)
        return day or self._as_of or self.today()

    # --- entries -------------------------------------------------------------------------------
    def entries(self, kind: str | None = None, subject: str | None = None) -> list[Entry]:
        """Appended entries in force at the cut (corrections applied), oldest effective first."""
        sql, params = self.relation("entries")
        clauses = []
        if kind is not None:
            clauses.append("kind = :kind")
        if subject is not None:
            clauses.append("subject = :subject")
        where = (" WHERE " + " AND ".join(clauses)) if clauses else ""
        query = f"SELECT * FROM ({sql}){where} ORDER BY effective_on, id"
        return [
            Entry.from_row(r)
            for r in self._rows(query, {**params, "kind": kind, "subject": subject})
        ]

    def counts(self) -> dict[str, int]:
        """Rows per table: a quick look at how much the ledger holds."""
        names = ("projects", "project_history", "progress", "leading_groups", "milestones",
                 "targets", "attraction", "entries", "zones", "units", "procedures")  # fmt: skip
        return {n: self._db.table(n).count for n in names if self._db.table(n).exists()}
