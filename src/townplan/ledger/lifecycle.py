"""Writing and reading the lifecycle: procedure kinds, a project's procedures, the day a
procedure was done (with its 批文号), a project's status (停缓建 / 复工 / 取消) and an actual
start, finish or 投产 day set by hand.

The kinds and the procedures are rows; what happens to them later is appended as
entries (kinds :data:`PROCEDURE_DONE`, :data:`STATUS` and :data:`ACTUAL`), each with its
effective day and its record time, so a view ``as_of`` a day knows what was known then.

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> from townplan.model.lifecycle import Procedure, ProcedureDone
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_units(["环保分局"])
>>> ledger.add_project(tp.Project(code="P001", name="东环路改造",
...     category=tp.Category.INFRASTRUCTURE), on=date(2013, 1, 1)).version
1
>>> ledger.add_procedures([Procedure("P001", "eia", date(2013, 4, 30), "环保分局")],
...     recorded_at=date(2013, 1, 5))
1
>>> ledger.record_procedures_done([ProcedureDone("P001", "eia", date(2013, 5, 20),
...     "东环建〔2013〕12号")], recorded_at=date(2013, 7, 20))
1
>>> ledger.add_procedures([Procedure("P001", "fire")])
Traceback (most recent call last):
...
townplan.errors.ConflictError: 1 procedure(s) conflict with the ledger
  - Procedure P001/fire.kind: got 'fire' — expected a procedure kind in the ledger ...
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import date
from typing import Any, Final

from townplan.deprecation import renamed
from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.ledger.base import Recorded, as_recorded_at
from townplan.ledger.bulk import chunked, write_rows
from townplan.ledger.inputs import check_chunk, check_day, payload_json
from townplan.ledger.reads import Entry, LedgerReader
from townplan.ledger.reference import typed_items
from townplan.model.checks import is_clean_text
from townplan.model.lifecycle import Procedure, ProcedureDone, ProcedureKind, ProjectStatus

__all__ = ["ACTUAL", "PROCEDURE_DONE", "STATUS", "LifecycleStore", "procedure_subject"]

#: The entry kind that records a procedure done (subject: ``project/kind``).
PROCEDURE_DONE: Final = "procedure_done"
#: The entry kind that records a project's status (subject: the project code).
STATUS: Final = "project_status"
#: Entry kinds that set an actual day by hand (subject: the project code).
ACTUAL: Final = {
    "start": "actual_start",
    "finish": "actual_finish",
    "operation": "actual_operation",
}

_ENTRY_SQL: Final = (
    "INSERT INTO entries (kind, subject, effective_on, recorded_at, payload, note) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)
_PROCEDURE_SQL: Final = (
    "INSERT INTO procedures (project, kind, required, due, unit, valid_from, recorded_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)


def procedure_subject(project: str, kind: str) -> str:
    """The subject of the entries about one project's procedure of one kind."""
    return f"{project}/{kind}"


def _text(value: object, record: str, field: str) -> str:
    if not isinstance(value, str) or not is_clean_text(value) or len(value) > 500:
        raise ValidationError.single(
            record=record, field=field, value=value,
            expected="text without control characters (at most 500 characters)",
        )  # fmt: skip
    return value


class LifecycleStore(LedgerReader):
    """The lifecycle's writes and reads (mixed into :class:`~townplan.ledger.LedgerStore`)."""

    # --- procedure kinds ------------------------------------------------------------
    def add_procedure_kinds(
        self, kinds: Iterable[ProcedureKind], *, recorded_at: Recorded = None
    ) -> int:
        """Add procedure kinds of the town's own (or a kind's new period); a code and
        start day already in the ledger raises ConflictError and nothing is written.
        Returns how many."""
        self._writable()
        items = typed_items(kinds, ProcedureKind)
        stamp = as_recorded_at(recorded_at)
        rows = [
            (k.code, k.name, k.name_en, k.position, k.effective_from.isoformat(),
             k.effective_to.isoformat() if k.effective_to else None, stamp)
            for k in items
        ]  # fmt: skip
        with self.transaction():
            try:
                self._db.conn.executemany(
                    "INSERT INTO procedure_kinds (code, name, name_en, position, "
                    "effective_from, effective_to, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    rows,
                )
            except sqlite3.IntegrityError:
                known = {
                    (r[0], r[1])
                    for r in self._db.execute("SELECT code, effective_from FROM procedure_kinds")
                }
                raise ConflictError(
                    "procedure kind already in the ledger",
                    [
                        FieldError(f"ProcedureKind {r[0]}", "effective_from", r[4],
                                   "one period of a kind per start day")
                        for r in rows
                        if (r[0], r[4]) in known
                    ],
                ) from None  # fmt: skip
        return len(rows)

    def procedure_kinds(self, on: date | None = None) -> list[ProcedureKind]:
        """Procedure kinds known at the cut (in force on ``on`` when given), in their order."""
        sql, params = self.relation("procedure_kinds")
        kinds = [
            ProcedureKind(
                r["code"], r["name"], r["name_en"], r["position"],
                date.fromisoformat(r["effective_from"]),
                date.fromisoformat(r["effective_to"]) if r["effective_to"] else None,
            )
            for r in self._rows(
                f"SELECT * FROM ({sql}) ORDER BY position, code, effective_from", params
            )
        ]  # fmt: skip
        return [k for k in kinds if on is None or k.in_force(on)]

    # --- procedures -------------------------------------------------------------------
    def add_procedures(
        self,
        procedures: Iterable[Procedure],
        *,
        on: date | None = None,
        recorded_at: Recorded = None,
        chunk_size: int = 10_000,
        valid_from: date | None = None,
    ) -> int:
        """Add projects' procedures in one transaction, held from ``on`` (default: the
        day recorded); returns how many.

        A procedure of a project or kind the ledger lacks, held by an unknown unit, or
        already recorded for its project raises :class:`ConflictError` naming every one;
        nothing is written.
        """
        on = renamed("add_procedures", "valid_from", valid_from, "on", on)
        self._writable()
        stamp = as_recorded_at(recorded_at)
        if on is not None:
            check_day(on, record="batch", field="on")
        start = (on or date.fromisoformat(stamp[:10])).isoformat()
        size = check_chunk(chunk_size)
        kinds = {r[0] for r in self._db.execute("SELECT code FROM procedure_kinds")}
        units = {r[0] for r in self._db.execute("SELECT name FROM units")}
        invalid: list[FieldError] = []
        conflicts: list[FieldError] = []
        total = 0
        seen: set[tuple[str, str]] = set()
        with self.transaction():
            for chunk in chunked(procedures, size):
                rows: list[tuple[Any, ...]] = []
                for n, p in enumerate(chunk, start=total + 1):
                    if not isinstance(p, Procedure):
                        invalid.append(FieldError(f"item {n}", None, repr(p)[:80],
                                                  "a townplan Procedure"))  # fmt: skip
                        continue
                    record = f"Procedure {procedure_subject(p.project, p.kind)}"
                    if (p.project, p.kind) in seen:
                        invalid.append(
                            FieldError(
                                record, "kind", p.kind, "one procedure of a kind per project"
                            )
                        )
                    seen.add((p.project, p.kind))
                    if p.kind not in kinds:
                        conflicts.append(FieldError(
                            record, "kind", p.kind,
                            f"a procedure kind in the ledger ({', '.join(sorted(kinds))})",
                        ))  # fmt: skip
                    if p.unit is not None and p.unit not in units:
                        conflicts.append(FieldError(record, "unit", p.unit, "a unit in the ledger"))
                    due = p.due.isoformat() if p.due else None
                    rows.append((p.project, p.kind, int(p.required), due, p.unit, start, stamp))
                conflicts.extend(self._missing_projects({r[0] for r in rows}, "Procedure"))
                conflicts.extend(
                    FieldError(f"Procedure {procedure_subject(*key)}", "kind", key[1],
                               "a procedure not already recorded for the project")
                    for key in self._existing_procedures(rows)
                )  # fmt: skip
                total += len(chunk)
                if not invalid and not conflicts:
                    write_rows(self._db.conn, _PROCEDURE_SQL, rows)
            if invalid:
                raise ValidationError(invalid + conflicts)
            if conflicts:
                raise ConflictError(f"{len(conflicts)} procedure(s) conflict with the ledger",
                                    conflicts)  # fmt: skip
        return total

    def record_procedures_done(
        self, events: Iterable[ProcedureDone], *, recorded_at: Recorded = None
    ) -> int:
        """Append that procedures were done (批文号 and all), in one transaction; returns
        how many. A procedure the ledger does not hold raises ConflictError."""
        self._writable()
        stamp = as_recorded_at(recorded_at)
        items = typed_items(events, ProcedureDone)
        rows = [
            (PROCEDURE_DONE, procedure_subject(e.project, e.kind), e.done_on.isoformat(), stamp,
             payload_json({"document": e.document} if e.document else {},
                          record=f"ProcedureDone {e.project}"), e.note)
            for e in items
        ]  # fmt: skip
        with self.transaction():
            known = {
                procedure_subject(r[0], r[1])
                for r in self._db.execute("SELECT project, kind FROM procedures")
            }
            missing = [
                FieldError(f"ProcedureDone {row[1]}", "kind", row[1].split("/", 1)[1],
                           "a procedure the ledger holds for the project")
                for row in rows
                if row[1] not in known
            ]  # fmt: skip
            if missing:
                raise ConflictError(f"{len(missing)} event(s) name no procedure", missing)
            write_rows(self._db.conn, _ENTRY_SQL, rows)
        return len(rows)

    # --- status and actual days -------------------------------------------------------
    def set_status(
        self,
        project: str,
        status: ProjectStatus | str,
        on: date,
        *,
        note: str = "",
        recorded_at: Recorded = None,
    ) -> Entry:
        """Record that ``project`` is suspended (停缓建), resumed (复工) or cancelled (取消)
        from ``on``; ``note`` says why. Suspended and cancelled projects are left out of
        the schedule judgment from that day. Returns the entry."""
        value = ProjectStatus.parse(status, record=f"status {project}", field="status")
        return self._append_about(project, STATUS, on, {"status": value.value}, note, recorded_at)

    def set_actual(
        self,
        project: str,
        milestone: str,
        on: date,
        *,
        note: str = "",
        recorded_at: Recorded = None,
    ) -> Entry:
        """Set a project's actual ``"start"`` (开工), ``"finish"`` (竣工) or ``"operation"``
        (投产) day by hand; it wins over the day read from the stage changes. Returns the
        entry."""
        if milestone not in ACTUAL:
            raise ValidationError.single(
                record=f"actual {project}", field="milestone", value=milestone,
                expected=f"one of {', '.join(ACTUAL)}",
            )  # fmt: skip
        return self._append_about(project, ACTUAL[milestone], on, {}, note, recorded_at)

    def record_lifecycle_many(
        self,
        statuses: Iterable[tuple[str, ProjectStatus | str, date, str]] = (),
        actuals: Iterable[tuple[str, str, date]] = (),
        *,
        recorded_at: Recorded = None,
    ) -> int:
        """Append many statuses ``(project, status, on, note)`` and actual days
        ``(project, "start" | "finish" | "operation", on)`` in one transaction (as
        :meth:`set_status` and :meth:`set_actual` one at a time); returns how many."""
        self._writable()
        stamp = as_recorded_at(recorded_at)
        rows: list[tuple[Any, ...]] = []
        for project, status, on, note in statuses:
            value = ProjectStatus.parse(status, record=f"status {project}", field="status")
            record = f"{STATUS} {project}"
            rows.append((STATUS, project, check_day(on, record=record, field="on").isoformat(),
                         stamp, payload_json({"status": value.value}, record=record),
                         _text(note, record, "note")))  # fmt: skip
        for project, milestone, on in actuals:
            if milestone not in ACTUAL:
                raise ValidationError.single(
                    record=f"actual {project}", field="milestone", value=milestone,
                    expected=f"one of {', '.join(ACTUAL)}",
                )  # fmt: skip
            day = check_day(on, record=f"actual {project}", field="on").isoformat()
            rows.append((ACTUAL[milestone], project, day, stamp, "{}", ""))
        with self.transaction():
            missing = self._missing_projects({r[1] for r in rows}, "lifecycle")
            if missing:
                raise ConflictError(f"{len(missing)} entries name no project", missing)
            write_rows(self._db.conn, _ENTRY_SQL, rows)
        return len(rows)

    def _append_about(
        self, project: str, kind: str, on: date, payload: dict[str, str], note: str,
        recorded_at: Recorded,
    ) -> Entry:  # fmt: skip
        self._writable()
        record = f"{kind} {project}"
        row = (kind, project, check_day(on, record=record, field="on").isoformat(),
               as_recorded_at(recorded_at), payload_json(payload, record=record),
               _text(note, record, "note"))  # fmt: skip
        with self.transaction():
            missing = self._missing_projects({project}, kind)
            if missing:
                raise ConflictError(f"no project {project!r} in the ledger", missing)
            cursor = self._db.execute(_ENTRY_SQL, list(row))
            saved = self._rows("SELECT * FROM entries WHERE id = ?", [cursor.lastrowid])
            return Entry.from_row(next(saved))

    # --- helpers ------------------------------------------------------------------------
    def _missing_projects(self, codes: set[str], what: str) -> list[FieldError]:
        found = {
            r[0]
            for r in self._db.execute(
                "SELECT code FROM projects WHERE code IN (SELECT value FROM json_each(?))",
                [json.dumps(sorted(codes), ensure_ascii=False)],
            )
        }
        return [
            FieldError(f"{what} {code}", "project", code, "a project in the ledger")
            for code in sorted(codes - found)
        ]

    def _existing_procedures(self, rows: list[tuple[Any, ...]]) -> list[tuple[str, str]]:
        keys = json.dumps([[r[0], r[1]] for r in rows], ensure_ascii=False)
        return [
            (r[0], r[1])
            for r in self._db.execute(
                "SELECT p.project, p.kind FROM json_each(?) AS j JOIN procedures AS p "
                "ON p.project = j.value ->> 0 AND p.kind = j.value ->> 1",
                [keys],
            )
        ]
