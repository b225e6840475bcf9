"""Reading the ledger, live or as of a day.

The current state of a project is its latest version; as of a day it is the latest
version effective on that day and recorded by its end. A progress report counts unless a
correction of it is known at the cut.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, Final

import attrs

from townplan.errors import NotFoundError, ValidationError
from townplan.ledger.base import LedgerBase
from townplan.ledger.rows import (
    PROJECT_COLUMNS,
    attraction_from_row,
    group_from_row,
    milestone_from_row,
    progress_from_row,
    project_from_row,
    target_from_row,
)
from townplan.model.arguments import code_argument, optional_day
from townplan.model.enums import Level
from townplan.model.money import Money
from townplan.model.policy import ThresholdPolicy, policy_in_force
from townplan.model.records import (
    AnnualTarget,
    Attraction,
    LeadingGroup,
    Milestone,
    ProgressReport,
    Project,
    Unit,
    Zone,
)

__all__ = ["Entry", "LedgerReader", "ProjectVersion"]

_VERSION_COLUMNS: Final = ", ".join(
    (*PROJECT_COLUMNS, "version", "valid_from", "recorded_at", "change_note")
)
# The register as of a day: per code, the version with the latest (valid_from, version)
# among those effective and recorded by the cut. Written as "no later visible version"
# lookups through the primary key and project_history(code, valid_from, version), so a
# register without history costs about what reading the projects table does (ranking
# the union with a window function sorted the whole register, about 10× slower).
_VISIBLE: Final = "{t}.valid_from <= :day AND {t}.recorded_at < :cutoff"
_LATER: Final = (
    "({t}.valid_from > {o}.valid_from"
    " OR ({t}.valid_from = {o}.valid_from AND {t}.version > {o}.version))"
)
_PROJECTS_AS_OF: Final = f"""
SELECT {_VERSION_COLUMNS} FROM projects p
WHERE {_VISIBLE.format(t="p")}
  AND NOT EXISTS (SELECT 1 FROM project_history h WHERE h.code = p.code
                  AND {_VISIBLE.format(t="h")} AND {_LATER.format(t="h", o="p")})
UNION ALL
SELECT {_VERSION_COLUMNS} FROM project_history h
WHERE {_VISIBLE.format(t="h")}
  AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.code = h.code
                  AND {_VISIBLE.format(t="p")} AND {_LATER.format(t="p", o="h")})
  AND NOT EXISTS (SELECT 1 FROM project_history g WHERE g.code = h.code
                  AND {_VISIBLE.format(t="g")} AND {_LATER.format(t="g", o="h")})
"""
# One project as of a day: the newest version effective and recorded by then, looked up
# through the indexes of each table rather than ranking the whole register.
_PROJECT_AS_OF: Final = f"""
SELECT * FROM (
    SELECT {_VERSION_COLUMNS} FROM projects
    WHERE code = :code AND valid_from <= :day AND recorded_at < :cutoff
    UNION ALL SELECT * FROM (
        SELECT {_VERSION_COLUMNS} FROM project_history
        WHERE code = :code AND valid_from <= :day AND recorded_at < :cutoff
        ORDER BY valid_from DESC, version DESC LIMIT 1))
ORDER BY valid_from DESC, version DESC LIMIT 1
"""
# The report in force for a project and month is the last one appended (the end of its
# correction chain) among those effective and recorded by the cut. A report nothing
# corrects is the end of its chain whatever the cut, which the small partial index on
# ``corrects`` answers; only corrected reports need the look at later ones (half the
# time of a 6·10⁶-report portfolio went on that look before).
_PROGRESS_AS_OF: Final = """
SELECT p.* FROM progress p
WHERE p.reported_on <= :day AND p.recorded_at < :cutoff
  AND (NOT EXISTS (SELECT 1 FROM progress n WHERE n.corrects = p.id)
       OR NOT EXISTS (SELECT 1 FROM progress c
                      WHERE c.project = p.project AND c.period = p.period AND c.id > p.id
                      AND c.reported_on <= :day AND c.recorded_at < :cutoff))
"""
# An entry is replaced once a correction of it is recorded by the cut.
_ENTRIES_AS_OF: Final = """
SELECT e.* FROM entries e
WHERE e.effective_on <= :day AND e.recorded_at < :cutoff
  AND NOT EXISTS (SELECT 1 FROM entries c WHERE c.corrects = e.id
                  AND c.recorded_at < :cutoff)
"""


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
    def relation(self, name: str) -> tuple[str, dict[str, str]]:
        """SQL (a subquery) and its parameters for the current or as-of rows of ``name``:
        ``projects``, ``progress`` or ``entries``. The query layer builds on these."""
        if self._as_of is None:
            live = {
                "projects": "SELECT * FROM projects",
                "progress": "SELECT * FROM progress_current",
                "entries": "SELECT e.* FROM entries e WHERE NOT EXISTS "
                "(SELECT 1 FROM entries c WHERE c.corrects = e.id)",
            }
            if name in live:
                return live[name], {}
        day, cutoff = self._cut_params()
        cut = {"projects": _PROJECTS_AS_OF, "progress": _PROGRESS_AS_OF, "entries": _ENTRIES_AS_OF}
        if name not in cut:
            raise NotFoundError(f"no relation {name!r}; choose from {sorted(cut)}")
        return cut[name], {"day": day, "cutoff": cutoff}

    def register_relation(self, on: date) -> tuple[str, dict[str, str]]:
        """SQL (a subquery) and its parameters for the register valid on ``on`` as known
        at the cut: each project's latest version effective by ``on``, recorded by then."""
        if not isinstance(on, date):
            raise ValidationError.single(record="register", field="on", value=on, expected="a date")
        _, cutoff = self._cut_params()
        return _PROJECTS_AS_OF, {"day": on.isoformat(), "cutoff": cutoff}

    def arrivals_relation(self) -> tuple[str, dict[str, str]]:
        """SQL (a subquery) and its parameters for every progress report known at the cut,
        originals and corrections alike: when a month's report first arrived is the
        earliest ``reported_on`` among them, whatever corrected it later."""
        if self._as_of is None:
            return "SELECT * FROM progress", {}
        _, cutoff = self._cut_params()
        return "SELECT * FROM progress WHERE recorded_at < :cutoff", {"cutoff": cutoff}

    # --- projects -------------------------------------------------------------------------
    def project(self, code: str) -> Project:
        """The project ``code`` as it stands (as of the cut); NotFoundError if absent."""
        code = code_argument(code, record="project", field="code")
        if self._as_of is None:
            sql, params = "SELECT * FROM projects WHERE code = :code", {"code": code}
        else:
            day, cutoff = self._cut_params()
            sql, params = _PROJECT_AS_OF, {"code": code, "day": day, "cutoff": cutoff}
        rows = list(self._rows(sql, params))
        if not rows:
            when = f" as of {self._as_of}" if self._as_of else ""
            raise NotFoundError(f"no project with code {code!r}{when}")
        return project_from_row(rows[0])

    def projects(self) -> Iterator[Project]:
        """Every project, by code (streamed)."""
        sql, params = self.relation("projects")
        for row in self._rows(f"SELECT * FROM ({sql}) ORDER BY code", params):
            yield project_from_row(row)

    def project_versions(self, code: str) -> list[ProjectVersion]:
        """Every version of ``code`` known at the cut, oldest first."""
        code = code_argument(code, record="project_versions", field="code")
        _, cutoff = self._cut_params()
        rows = self._rows(
            f"SELECT {_VERSION_COLUMNS} FROM projects WHERE code = :code "
            f"UNION ALL SELECT {_VERSION_COLUMNS} FROM project_history WHERE code = :code",
            {"code": code},
        )
        versions = [
            ProjectVersion(
                r["version"], date.fromisoformat(r["valid_from"]), r["recorded_at"],
                r["change_note"], project_from_row(r),
            )
            for r in rows
            if r["recorded_at"] < cutoff
        ]  # fmt: skip
        if not versions:
            raise NotFoundError(f"no project with code {code!r}")
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
        _, cutoff = self._cut_params()
        rows = self._rows(
            "SELECT * FROM progress WHERE project = :p AND recorded_at < :cutoff ORDER BY id",
            {"p": project, "cutoff": cutoff},
        )
        return [progress_from_row(r) for r in rows]

    # --- other reference data ---------------------------------------------------------------
    def zones(self) -> list[Zone]:
        """Planning zones, by name."""
        return [
            Zone(r["name"], r["name_en"]) for r in self._rows("SELECT * FROM zones ORDER BY name")
        ]

    def units(self) -> list[Unit]:
        """Responsible units, by name."""
        return [
            Unit(r["name"], r["name_en"]) for r in self._rows("SELECT * FROM units ORDER BY name")
        ]

    def groups(self) -> list[LeadingGroup]:
        """Leading groups and the command HQ established by the cut, by code."""
        day, _ = self._cut_params()
        members: dict[str, list[str]] = {}
        for m in self._rows("SELECT * FROM group_members ORDER BY group_code, position"):
            members.setdefault(m["group_code"], []).append(m["unit"])
        rows = self._rows(
            "SELECT * FROM leading_groups WHERE established IS NULL OR established <= :day "
            "ORDER BY code",
            {"day": day},
        )
        return [group_from_row(r, tuple(members.get(r["code"], ()))) for r in rows]

    def group(self, code: str) -> LeadingGroup:
        """One leading group; NotFoundError if absent."""
        for g in self.groups():
            if g.code == code:
                return g
        raise NotFoundError(f"no leading group with code {code!r}")

    def milestones(self, group: str | None = None) -> list[Milestone]:
        """Tasks (of one group), by due day then code."""
        where = "WHERE group_code = :g " if group is not None else ""
        rows = self._rows(f"SELECT * FROM milestones {where}ORDER BY due, code", {"g": group})
        return [milestone_from_row(r) for r in rows]

    def milestone(self, code: str) -> Milestone:
        """One task; NotFoundError if absent."""
        code = code_argument(code, record="milestone", field="code")
        rows = list(self._rows("SELECT * FROM milestones WHERE code = :c", {"c": code}))
        if not rows:
            raise NotFoundError(f"no task with code {code!r}")
        return milestone_from_row(rows[0])

    def targets(self) -> list[AnnualTarget]:
        """Annual and multi-year targets, by code."""
        return [target_from_row(r) for r in self._rows("SELECT * FROM targets ORDER BY code")]

    def attractions(self) -> list[Attraction]:
        """Investment-attraction figures (招商引资), by code."""
        rows = self._rows("SELECT * FROM attraction ORDER BY code")
        return [attraction_from_row(r) for r in rows]

    def policies(self) -> list[ThresholdPolicy]:
        """Every eligibility policy; the default one when the ledger holds none."""
        rows = list(self._rows("SELECT * FROM policies ORDER BY effective_from, name"))
        if not rows:
            return [ThresholdPolicy.default()]
        return [
            ThresholdPolicy(
                name=r["name"],
                government_min=Money.from_fen(r["government_min_fen"], r["currency"]),
                social_min=Money.from_fen(r["social_min_fen"], r["currency"]),
                level=Level(r["level"]),
                effective_from=date.fromisoformat(r["effective_from"]),
                effective_to=date.fromisoformat(r["effective_to"]) if r["effective_to"] else None,
            )
            for r in rows
        ]

    def policy(self, on: date | None = None, level: Level | str | None = None) -> ThresholdPolicy:
        """The eligibility policy in force on ``on`` (default: the cut, or today)."""
        day = optional_day(on, record="policy", field="on")
        return policy_in_force(self.policies(), day or self._as_of or date.today(), level)

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
