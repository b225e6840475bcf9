"""Writing the ledger: reference records, project versions, progress reports, entries.

Every write follows one convention:

- **what it returns** — a write of many records (an iterable) returns how many it
  wrote; a write of one record returns that record as the ledger now holds it, with what
  the ledger gave it (a progress report's ``id``, a project's version, an entry);
- **the day** — the day a fact takes effect (a project enters the register, a version
  or a status holds from, an entry is effective) is the keyword ``on``; the time the
  ledger learned it is ``recorded_at`` (default: now), for loading past records;
- **the words** — ``add_*`` for records that are there from a day on (projects, units,
  groups, tasks, targets, rules), ``record_*`` for what is reported over time (progress,
  funds, counts), ``update_*`` / ``correct_*`` / ``set_*`` for a new version of something
  held.

Every batch method validates the whole batch before anything is kept: records stream
through in chunks inside one transaction, every problem is collected, and on any problem
the transaction is rolled back and one error lists them all. The former spellings
(``valid_from=``, ``effective=``, ``effective_on=``) still work for one release and warn.

>>> import townplan as tp
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_units(["城建办"])
>>> ledger.add_project(tp.Project(code="P001", name="中心大道二期",
...     category=tp.Category.INFRASTRUCTURE, responsible_unit="城建办",
...     government_investment=tp.Money.parse("1.2亿"), annual_plan=tp.Money.parse("4000万"),
...     plan_year=2013), on=date(2013, 1, 1)).version
1
>>> r = ledger.record_progress(tp.ProgressReport(project="P001", period="2013-06",
...     completed=tp.Money.parse("500万"), reported_on=date(2013, 7, 3)))
>>> r.id, ledger.project("P001").name
(1, '中心大道二期')
>>> ledger.add_project(tp.Project(code="P001", name="重复", category=tp.Category.INDUSTRY))
Traceback (most recent call last):
...
townplan.errors.ConflictError: 1 project(s) conflict with the ledger
  - Project P001.code: got 'P001' — expected a code not already in the ledger
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any, Final, TypeVar

import attrs

from townplan.convert import unstructure
from townplan.deprecation import deprecated, renamed
from townplan.errors import ConflictError, FieldError, NotFoundError, ValidationError
from townplan.ledger.base import Recorded
from townplan.ledger.bulk import insert_progress, insert_projects
from townplan.ledger.currency import check_corrections, write_corrections
from townplan.ledger.funding import FundingLedger
from townplan.ledger.inputs import check_chunk, check_day, check_kind, check_record, payload_json
from townplan.ledger.lifecycle import LifecycleStore
from townplan.ledger.meta import MetaLedger
from townplan.ledger.outcomes import OutcomesLedger
from townplan.ledger.reads import Entry, ProjectVersion
from townplan.ledger.reference import insert_reference
from townplan.ledger.rows import PROJECT_COLUMNS, progress_from_row, project_tuple
from townplan.ledger.sqlite_errors import constraint, is_duplicate
from townplan.model.checks import is_clean_text
from townplan.model.dated import DatedRule, check_kind_class
from townplan.model.policy import ThresholdPolicy
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

__all__ = ["LedgerStore"]

DEFAULT_CHUNK: Final = 10_000
R = TypeVar("R", bound=DatedRule)
_ASSIGN = ", ".join(f"{c} = ?" for c in PROJECT_COLUMNS[1:])


class LedgerStore(FundingLedger, OutcomesLedger, MetaLedger, LifecycleStore):
    """One ledger file: reads (see :class:`LedgerReader`) and appending writes (funding's
    in :class:`~townplan.ledger.funding.FundingLedger`, standings, statistics counts and
    deals in :class:`~townplan.ledger.outcomes.OutcomesLedger`, the lifecycle's in
    :class:`~townplan.ledger.lifecycle.LifecycleStore`)."""

    # --- zones and units -------------------------------------------------------------
    def set_official_order(self, kind: str, names: Sequence[str]) -> None:
        """Keep the order the office lists its ``kind`` ("zones" or "units") in (排列顺序):
        reports list them so, the rest after by name; an empty list clears it. Every name
        must be in the ledger, once.

        >>> ledger = LedgerStore.open(":memory:")
        >>> _ = ledger.add_units(["城建办", "“三重”办", "党政办"])
        >>> ledger.set_official_order("units", ["党政办", "“三重”办"])
        >>> ledger.official_order("units"), [u.name for u in ledger.units()]
        (['党政办', '“三重”办'], ['党政办', '“三重”办', '城建办'])
        """
        self._writable()
        self.official_order(kind)  # refuses a kind that has no order
        if isinstance(names, str):
            raise ValidationError.single(record="official order", field=kind, value=names,
                                         expected="a list of names")  # fmt: skip
        listed = list(names)
        known = {z.name for z in (self.zones() if kind == "zones" else self.units())}
        problems = [FieldError("official order", kind, name, f"a name of the ledger's {kind}")
                    for name in listed if name not in known]  # fmt: skip
        repeated = sorted({n for n in listed if listed.count(n) > 1}, key=listed.index)
        problems += [FieldError("official order", kind, name, "each name once")
                     for name in repeated]  # fmt: skip
        if problems:
            raise ValidationError(problems)
        table = "zones" if kind == "zones" else "units"
        with self.transaction():
            self._db.execute(f"UPDATE {table} SET position = NULL")
            self._db.conn.executemany(
                f"UPDATE {table} SET position = ? WHERE name = ?",
                [(n, name) for n, name in enumerate(listed, start=1)],
            )

    def add_zones(self, zones: Iterable[Zone | str], *, recorded_at: Recorded = None) -> int:
        """Add planning zones (by name); names already present are kept as they are.
        Returns how many were new."""
        return self._add_named("zones", zones, Zone, recorded_at)

    def add_units(self, units: Iterable[Unit | str], *, recorded_at: Recorded = None) -> int:
        """Add responsible units (by name); names already present are kept as they are.
        Returns how many were new."""
        return self._add_named("units", units, Unit, recorded_at)

    def _add_named(
        self, table: str, items: Iterable[Any], cls: type[Zone] | type[Unit], recorded_at: Recorded
    ) -> int:
        self._writable()
        stamp = self.stamp(recorded_at, record=cls.__name__)
        records = [cls(item) if isinstance(item, str) else item for item in items]
        for record in records:
            if not isinstance(record, cls):
                raise ValidationError.single(
                    record=cls.__name__, field="name", value=record, expected=f"a {cls.__name__}"
                )
        rows = [{"name": r.name, "name_en": r.name_en, "recorded_at": stamp} for r in records]
        with self.transaction():
            before = self._db.table(table).count
            self._db.table(table).insert_all(rows, ignore=True)
            return self._db.table(table).count - before

    # --- projects -----------------------------------------------------------------------
    def add_project(
        self,
        project: Project,
        *,
        on: date | None = None,
        recorded_at: Recorded = None,
        valid_from: date | None = None,
    ) -> ProjectVersion:
        """Add one project to the register (see :meth:`add_projects`); returns its
        version 1 as the ledger holds it."""
        on = renamed("add_project", "valid_from", valid_from, "on", on)
        with self.transaction():
            self.add_projects([project], on=on, recorded_at=recorded_at)
            held = self._db.execute(
                "SELECT valid_from, recorded_at FROM projects WHERE code = ?", [project.code]
            ).fetchone()
        return ProjectVersion(1, date.fromisoformat(held[0]), held[1], "", project)

    def add_projects(
        self,
        projects: Iterable[Project],
        *,
        on: date | None = None,
        recorded_at: Recorded = None,
        chunk_size: int = DEFAULT_CHUNK,
        valid_from: date | None = None,
    ) -> int:
        """Add projects in one transaction; returns how many.

        ``on`` is the day the projects enter the register (default: the day they are
        recorded). A duplicate code or an unknown zone or unit raises
        :class:`ConflictError` naming every such project; nothing is written.
        """
        on = renamed("add_projects", "valid_from", valid_from, "on", on)
        self._writable()
        stamp = self.stamp(recorded_at)
        start = self._start(on, stamp).isoformat()
        size = check_chunk(chunk_size)
        with self.transaction():
            return insert_projects(self._db, projects, start, stamp, size)

    @staticmethod
    def _start(on: date | None, stamp: str) -> date:
        """The day a batch takes effect: ``on``, else the day it is recorded."""
        if on is None:
            return date.fromisoformat(stamp[:10])
        return check_day(on, record="batch", field="on")

    def update_project(
        self,
        project: Project,
        *,
        on: date | None = None,
        note: str = "",
        recorded_at: Recorded = None,
        corrections: Iterable[ProgressReport] = (),
        effective: date | None = None,
    ) -> ProjectVersion:
        """Record a new version of a project (a stage change, a new annual plan, a
        correction of its register data) in force from ``on``; returns the version.

        The old version is kept: ``as_of`` a day before ``on`` still shows it.
        ``corrections`` are reports of the project that replace its reports in force for
        their months, in the same transaction (``note`` is their reason). A project's
        currency is its own once it has progress: a new currency is refused
        (:class:`ConflictError` naming ``currency``) unless every report in force is
        corrected here in the new currency, effective no later than the first reported
        month (see :mod:`townplan.ledger.currency`).
        """
        on = renamed("update_project", "effective", effective, "on", on)
        self._writable()
        check_record(project, Project, record="update", field="project")
        effective = check_day(on, record=f"Project {project.code}", field="on")
        if not isinstance(note, str) or not is_clean_text(note):
            raise ValidationError.single(
                record=f"Project {project.code}", field="note", value=note,
                expected="text without control characters",
            )  # fmt: skip
        stamp = self.stamp(recorded_at)
        with self.transaction():
            rows = list(self._rows("SELECT * FROM projects WHERE code = ?", [project.code]))
            if not rows:
                raise NotFoundError(
                    f"no project with code {project.code!r} to update",
                    reason="not_found", record="project", key=project.code,
                )  # fmt: skip
            self._check_references([project])
            current = rows[0]
            fixes = check_corrections(
                self._db, project, current["currency"], effective, corrections
            )
            version = (
                1
                + self._db.execute(
                    "SELECT max(version) FROM (SELECT version FROM projects WHERE code = :c "
                    "UNION ALL SELECT version FROM project_history WHERE code = :c)",
                    {"c": project.code},
                ).fetchone()[0]
            )
            history_cols = (*PROJECT_COLUMNS, "version", "valid_from", "recorded_at", "change_note")
            placeholders = ", ".join("?" for _ in history_cols)
            insert = (
                f"INSERT INTO project_history ({', '.join(history_cols)}) VALUES ({placeholders})"
            )
            new_values = (*project_tuple(project), version, effective.isoformat(), stamp, note)
            if effective.isoformat() >= current["valid_from"]:
                self._db.execute(insert, [current[c] for c in history_cols])
                self._db.execute(
                    f"UPDATE projects SET {_ASSIGN}, version = ?, valid_from = ?, "
                    "recorded_at = ?, change_note = ? WHERE code = ?",
                    [*project_tuple(project)[1:], *new_values[-4:], project.code],
                )
            else:  # a change effective before the current version: history only
                if project.currency != current["currency"]:
                    raise ConflictError(
                        f"Project {project.code}: a new currency is the current version's",
                        [FieldError(f"Project {project.code}", "effective", effective.isoformat(),
                                    f"on or after {current['valid_from']}, the current version's")],
                    )  # fmt: skip
                self._db.execute(insert, list(new_values))
            write_corrections(self._db, fixes, stamp, note)
        return ProjectVersion(version, effective, stamp, note, project)

    def _check_references(self, projects: Iterable[Project]) -> None:
        zones = {r[0] for r in self._db.execute("SELECT name FROM zones")}
        units = {r[0] for r in self._db.execute("SELECT name FROM units")}
        problems = [
            FieldError(f"Project {p.code}", field, value, f"a {kind} in the ledger")
            for p in projects
            for field, value, known, kind in (
                ("zone", p.zone, zones, "zone"),
                ("responsible_unit", p.responsible_unit, units, "unit"),
            )
            if value is not None and value not in known
        ]
        if problems:
            raise ConflictError("project refers to what the ledger does not hold", problems)

    # --- progress -------------------------------------------------------------------------
    def record_progress(
        self, report: ProgressReport, *, recorded_at: Recorded = None
    ) -> ProgressReport:
        """Append one monthly progress report; returns it with its ledger ``id``."""
        self.record_progress_many([report], recorded_at=recorded_at)
        rows = self._rows(
            "SELECT * FROM progress WHERE project = ? AND period = ? AND corrects IS NULL",
            [report.project, str(report.period)],
        )
        return progress_from_row(next(rows))

    def record_progress_many(
        self,
        reports: Iterable[ProgressReport],
        *,
        recorded_at: Recorded = None,
        chunk_size: int = DEFAULT_CHUNK,
    ) -> int:
        """Append progress reports from any iterable (streamed in chunks, one
        transaction); returns how many. ``reported_on`` defaults to the record day.

        A report for a project the ledger lacks, in another currency than its project,
        or for a month already reported raises :class:`ConflictError` naming each one;
        use :meth:`correct_progress` to change a reported month. Nothing is written
        unless every report is good.
        """
        self._writable()
        stamp = self.stamp(recorded_at)
        size = check_chunk(chunk_size)
        with self.transaction():
            return insert_progress(self._db, reports, stamp, size)

    def correct_progress(
        self, report: ProgressReport, *, recorded_at: Recorded = None, reason: str = ""
    ) -> ProgressReport:
        """Append a correction of the report in force for ``report.project`` and
        ``report.period``; the corrected entry stays in the ledger and ``as_of`` a day
        before the correction still shows it."""
        self._writable()
        check_record(report, ProgressReport, record="correction", field="report")
        stamp = self.stamp(recorded_at)
        with self.transaction():
            row = self._db.execute(
                "SELECT id FROM progress_current WHERE project = ? AND period = ?",
                [report.project, str(report.period)],
            ).fetchone()
            if row is None:
                raise NotFoundError(
                    f"no progress report for {report.project} in {report.period} to correct"
                )
            note = report.note if not reason else f"{report.note}（更正：{reason}）".lstrip()
            fixed = attrs.evolve(report, note=note)
            insert_progress(self._db, [fixed], stamp, 1, corrects=row[0])
            new_id = self._db.execute("SELECT last_insert_rowid()").fetchone()[0]
            saved = self._rows("SELECT * FROM progress WHERE id = ?", [new_id])
            return progress_from_row(next(saved))

    # --- groups, tasks, targets, attraction, policies and rules -------------------------
    def add_groups(self, groups: Iterable[LeadingGroup], *, recorded_at: Recorded = None) -> int:
        """Add leading groups (and the command HQ) with their member units; returns how many.

        Every group is checked first (duplicate code or name, unknown office host or member
        unit); one ConflictError names every problem and nothing is written.
        """
        self._writable()
        with self.transaction():
            return insert_reference(self._db, LeadingGroup, groups, self.stamp(recorded_at))

    def add_tasks(self, tasks: Iterable[Task], *, recorded_at: Recorded = None) -> int:
        """Add tasks of leading groups (checked like :meth:`add_groups`); returns how many."""
        self._writable()
        with self.transaction():
            return insert_reference(self._db, Task, tasks, self.stamp(recorded_at))

    def add_milestones(self, milestones: Iterable[Task], *, recorded_at: Recorded = None) -> int:
        """Deprecated: :meth:`add_tasks`."""
        deprecated("ledger.add_milestones(...)", "ledger.add_tasks(...)")
        return self.add_tasks(milestones, recorded_at=recorded_at)

    def add_targets(self, targets: Iterable[AnnualTarget], *, recorded_at: Recorded = None) -> int:
        """Add annual or multi-year targets (checked like :meth:`add_groups`); returns how many."""
        self._writable()
        with self.transaction():
            return insert_reference(self._db, AnnualTarget, targets, self.stamp(recorded_at))

    def add_attractions(
        self, figures: Iterable[Attraction], *, recorded_at: Recorded = None
    ) -> int:
        """Add investment-attraction figures (招商引资) (checked like :meth:`add_groups`);
        returns how many."""
        self._writable()
        with self.transaction():
            return insert_reference(self._db, Attraction, figures, self.stamp(recorded_at))

    def add_policy(
        self, policy: ThresholdPolicy, *, recorded_at: Recorded = None
    ) -> ThresholdPolicy:
        """Add an eligibility policy; several coexist and the one in force is chosen.
        Returns the policy."""
        check_record(policy, ThresholdPolicy, record="policy", field="policy")
        if policy.government_min.currency != policy.social_min.currency:
            raise ValidationError.single(
                record=f"ThresholdPolicy {policy.name}", field="social_min",
                value=str(policy.social_min), expected="the currency of government_min",
            )  # fmt: skip
        return self.add_rule(policy, recorded_at=recorded_at)

    def add_rule(self, rule: R, *, recorded_at: Recorded = None) -> R:
        """Keep a dated rule (a policy, a light rule, a response or reporting rule, a
        scoring scheme — any registered kind, see :mod:`townplan.model.dated`).

        Two rules of a kind with the same name and start day conflict; to change one, add
        a new rule from a later day. ``as_of`` a day before ``recorded_at`` does not see it.
        Returns the rule.
        """
        self._writable()
        kind = type(rule)
        check_kind_class(kind)
        record = f"{kind.__name__} {rule.name}"
        row = {
            "kind": kind.kind,
            "name": rule.name,
            "effective_from": rule.effective_from.isoformat(),
            "effective_to": rule.effective_to.isoformat() if rule.effective_to else None,
            "body": json.dumps(unstructure(rule), ensure_ascii=False, sort_keys=True),
            "recorded_at": self.stamp(recorded_at, record=record),
        }
        with self.transaction():
            try:
                self._db.execute(
                    "INSERT INTO rules (kind, name, effective_from, effective_to, body, "
                    "recorded_at) VALUES (:kind, :name, :effective_from, :effective_to, :body, "
                    ":recorded_at)",
                    row,
                )
            except sqlite3.IntegrityError:
                raise ConflictError(
                    f"{record} is already in the ledger",
                    [FieldError(record, "effective_from", row["effective_from"],
                                "one rule of a kind and name per start day")],
                ) from None  # fmt: skip
        return rule

    # --- generic entries ----------------------------------------------------------------------
    def append_entry(
        self,
        kind: str,
        subject: str,
        on: date | None = None,
        payload: dict[str, Any] | None = None,
        *,
        note: str = "",
        corrects: Entry | int | None = None,
        recorded_at: Recorded = None,
        effective_on: date | None = None,
    ) -> Entry:
        """Append one entry (task progress, a target's actual, a governance event)
        effective ``on``; returns it as the ledger holds it (its ``id``, its record
        time). ``corrects`` is the entry (or the id of the entry) it corrects. Layers
        above give entries their meaning."""
        on = renamed("append_entry", "effective_on", effective_on, "on", on)
        self._writable()
        record = f"entry {kind} {subject}"
        if isinstance(corrects, Entry):
            corrects = corrects.id
        check_kind(kind, record=record, field="kind")
        check_kind(subject, record=record, field="subject")
        if kind == "light_rule" or kind.startswith("light_rule_"):  # entries before v7
            raise ValidationError.single(
                record=record, field="kind", value=kind,
                expected="a kind of fact; a light rule is a dated rule: "
                "ledger.add_rule(LightRule(...))",
            )  # fmt: skip
        if not isinstance(note, str) or not is_clean_text(note):
            raise ValidationError.single(
                record=record, field="note", value=note, expected="text without control characters"
            )
        if corrects is not None and (isinstance(corrects, bool) or not isinstance(corrects, int)):
            raise ValidationError.single(
                record=record, field="corrects", value=corrects, expected="an entry id or None"
            )
        row = {
            "kind": kind,
            "subject": subject,
            "effective_on": check_day(on, record=record, field="on").isoformat(),
            "recorded_at": self.stamp(recorded_at, record=record),
            "payload": payload_json(payload, record=record),
            "note": note,
            "corrects": corrects,
        }
        with self.transaction():
            try:
                cursor = self._db.execute(
                    "INSERT INTO entries (kind, subject, effective_on, recorded_at, payload, "
                    "note, corrects) VALUES (:kind, :subject, :effective_on, :recorded_at, "
                    ":payload, :note, :corrects)",
                    row,
                )
            except sqlite3.IntegrityError as exc:
                raise ConflictError(
                    f"entry {kind} for {subject} conflicts with the ledger ({exc})",
                    [FieldError(f"{kind} {subject}", "corrects", corrects, _expectation(exc))],
                ) from None
            saved = self._rows("SELECT * FROM entries WHERE id = ?", [cursor.lastrowid])
            return Entry.from_row(next(saved))


def _expectation(exc: sqlite3.Error) -> str:
    if is_duplicate(exc):
        return "a code not already in the ledger"
    if constraint(exc) == "foreignkey":
        return "a reference to a record the ledger holds"
    return "a value the ledger's constraints accept"
