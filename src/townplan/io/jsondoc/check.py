"""Reading a townplan JSON document: its form, before anything is written.

:func:`check_document` reads every section with the townplan converter and checks what
only the document can say: its format and version, record times in the stored form, the
ids running 1, 2, … n, each project's versions numbered 1 … n, a progress correction
pointing at the report then in force, and the other tables' names and columns. Each
problem is named by its JSON path (record ``projects[3]``, field
``government_investment``). What the ledger itself refuses — an unknown zone or unit, a
task of no group, a duplicate code, a report in another currency than its project — is
left to the ledger's own checks as the document is written (see
:mod:`townplan.io.jsondoc.document`), so there is one copy of each.

>>> check_document({"format": "townplan", "version": 2}, {})
Traceback (most recent call last):
...
townplan.errors.ValidationError: document.version: got 2 — expected 1 ...
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any, Final, TypeVar

import attrs

from townplan.convert import structure
from townplan.errors import FieldError, ValidationError
from townplan.ledger import Entry
from townplan.ledger.history import ProgressRecord, VersionRecord, canonical_recorded_at
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

__all__ = ["FORMAT", "SECTIONS", "VERSION", "LedgerContent", "check_document"]

FORMAT: Final = "townplan"
VERSION: Final = 1
#: The sections of a document, in the order they are written back.
SECTIONS: Final = (
    "zones",
    "units",
    "policies",
    "projects",
    "progress",
    "groups",
    "tasks",
    "targets",
    "attraction",
    "entries",
    "tables",
)
_HEAD: Final = frozenset({"format", "version", "schema_version"})
_BOOKKEEPING: Final = ("version", "valid_from", "recorded_at", "change_note")
_SCALARS: Final = (str, int, float, type(None))

T = TypeVar("T")


@attrs.frozen
class _Found:
    """What each section held, each record with its position in the section."""

    zones: list[tuple[int, Zone]]
    units: list[tuple[int, Unit]]
    policies: list[tuple[int, ThresholdPolicy]]
    versions: list[tuple[int, VersionRecord]]
    progress: list[tuple[int, ProgressRecord]]
    groups: list[tuple[int, LeadingGroup]]
    tasks: list[tuple[int, Task]]
    targets: list[tuple[int, AnnualTarget]]
    attraction: list[tuple[int, Attraction]]
    entries: list[tuple[int, Entry]]


@attrs.frozen
class LedgerContent:
    """A checked document: the records, ready to be written in order."""

    zones: list[Zone]
    units: list[Unit]
    policies: list[ThresholdPolicy]
    versions: list[VersionRecord]
    progress: list[ProgressRecord]
    groups: list[LeadingGroup]
    tasks: list[Task]
    targets: list[AnnualTarget]
    attraction: list[Attraction]
    entries: list[Entry]
    tables: dict[str, list[dict[str, Any]]]
    #: Per reference section, each record's time (None where the document gives none).
    recorded: dict[str, list[str | None]] = attrs.field(factory=dict)
    #: Where each record stood in the document (``"projects[3]"``), by ``id()`` of the record.
    paths: dict[int, str] = attrs.field(factory=dict)
    #: What is wrong with the document's form (the records above are the good ones).
    problems: tuple[FieldError, ...] = ()
    #: The schema version of the ledger the document was written from (None: not said).
    schema_version: int | None = None


class _Reader:
    """Structures items section by section, collecting problems instead of stopping."""

    def __init__(self, doc: Mapping[str, Any]) -> None:
        self.doc = doc
        self.problems: list[FieldError] = []
        self.recorded: dict[str, dict[int, str | None]] = {}

    def problem(self, record: str, field: str | None, value: object, expected: str) -> None:
        self.problems.append(FieldError(record, field, value, expected))

    def items(self, section: str) -> list[tuple[int, dict[str, Any]]]:
        value = self.doc.get(section, [])
        if not isinstance(value, list):
            self.problem("document", section, type(value).__name__, "a list of records")
            return []
        found = []
        for i, item in enumerate(value):
            if isinstance(item, dict):
                found.append((i, item))
            else:
                self.problem(f"{section}[{i}]", None, item, "a record (a JSON object)")
        return found

    def build(self, path: str, data: object, cls: type[T]) -> T | None:
        try:
            return structure(data, cls, record=path)
        except ValidationError as exc:
            self.problems.extend(exc.errors)
            return None

    def section(self, section: str, cls: type[T]) -> list[tuple[int, T]]:
        """The records of a reference section; each may carry its ``recorded_at``."""
        times = self.recorded.setdefault(section, {})
        found = []
        for i, item in self.items(section):
            path = f"{section}[{i}]"
            times[i] = self.stamp(path, item) if item.get("recorded_at") is not None else None
            data = {k: v for k, v in item.items() if k != "recorded_at"}
            record = self.build(path, data, cls)
            if record is not None:
                found.append((i, record))
        return found

    def stamp(self, path: str, item: Mapping[str, Any], field: str = "recorded_at") -> str:
        text = item.get(field)
        if not isinstance(text, str) or canonical_recorded_at(text) is None:
            self.problem(path, field, text, "a record time like '2013-07-03T09:30:00.000000'")
            return ""
        return text

    def integer(self, path: str, item: Mapping[str, Any], field: str, *, optional: bool) -> Any:
        value = item.get(field)
        if (value is None and optional) or (type(value) is int and value >= 1):
            return value
        self.problem(path, field, value, "a whole number from 1" + (" or null" if optional else ""))
        return None


def check_document(doc: object, schema: Mapping[str, list[str]]) -> LedgerContent:
    """The document's good records and what is wrong with its form (``problems``); a
    ValidationError at once when it is not a townplan document of this version.

    ``schema`` maps each table copied row by row (``tables``) to its columns in the
    ledger that will receive the document.
    """
    if not isinstance(doc, Mapping):
        raise ValidationError.single(
            record="document", field=None, value=type(doc).__name__, expected="a JSON object"
        )
    r = _Reader(doc)
    if doc.get("format") != FORMAT:
        r.problem("document", "format", doc.get("format"), f"{FORMAT!r}")
    if doc.get("version") != VERSION:
        r.problem("document", "version", doc.get("version"), f"{VERSION} (this townplan reads 1)")
    for key in sorted(set(doc) - _HEAD - set(SECTIONS)):
        r.problem("document", key, doc[key], f"only the sections {', '.join(SECTIONS)}")
    schema_version = doc.get("schema_version")
    if schema_version is not None and (type(schema_version) is not int or schema_version < 1):
        r.problem("document", "schema_version", schema_version, "a whole number from 1")
    if r.problems:
        raise ValidationError(r.problems)
    found = _Found(
        zones=r.section("zones", Zone),
        units=r.section("units", Unit),
        policies=r.section("policies", ThresholdPolicy),
        versions=_versions(r),
        progress=_progress(r),
        groups=r.section("groups", LeadingGroup),
        tasks=r.section("tasks", Task),
        targets=r.section("targets", AnnualTarget),
        attraction=r.section("attraction", Attraction),
        entries=_entries(r),
    )
    tables = _tables(r, schema)
    _check_numbers(r, found)
    records = {f.name: [x for _, x in getattr(found, f.name)] for f in attrs.fields(_Found)}
    recorded = {
        section: [r.recorded[section].get(i) for i, _ in getattr(found, section)]
        for section in r.recorded
    }
    paths = {
        id(x): f"{_SECTION.get(f.name, f.name)}[{i}]"
        for f in attrs.fields(_Found)
        for i, x in getattr(found, f.name)
    }
    return LedgerContent(
        **records, tables=tables, recorded=recorded, paths=paths, problems=tuple(r.problems),
        schema_version=schema_version,
    )  # fmt: skip


#: The document section of each kind of record, where it is not the same word.
_SECTION: Final = {"versions": "projects"}


def _versions(r: _Reader) -> list[tuple[int, VersionRecord]]:
    found = []
    for i, item in r.items("projects"):
        path = f"projects[{i}]"
        project = r.build(path, {k: v for k, v in item.items() if k not in _BOOKKEEPING}, Project)
        version = r.integer(path, item, "version", optional=False)
        stamp = r.stamp(path, item)
        valid_from = _day(r, path, item.get("valid_from"), "valid_from")
        note = item.get("change_note", "")
        if not isinstance(note, str):
            r.problem(path, "change_note", note, "text")
        elif version == 1 and note:
            r.problem(path, "change_note", note, "no note on version 1 (a note explains a change)")
        if project and version and stamp and valid_from and isinstance(note, str):
            found.append((i, VersionRecord(project, version, valid_from, stamp, note)))
    return found


def _day(r: _Reader, path: str, value: object, field: str) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    r.problem(path, field, value, "an ISO date like '2013-01-01'")
    return None


def _progress(r: _Reader) -> list[tuple[int, ProgressRecord]]:
    found = []
    for i, item in r.items("progress"):
        path = f"progress[{i}]"
        stamp = r.stamp(path, item)
        ident = r.integer(path, item, "id", optional=False)
        r.integer(path, item, "corrects", optional=True)
        report = r.build(
            path, {k: v for k, v in item.items() if k != "recorded_at"}, ProgressReport
        )
        if report is not None and report.reported_on is None:
            r.problem(path, "reported_on", None, "the day the report was submitted")
        elif report is not None and stamp and ident:
            found.append((i, ProgressRecord(report, stamp)))
    return found


def _entries(r: _Reader) -> list[tuple[int, Entry]]:
    found = []
    for i, item in r.items("entries"):
        path = f"entries[{i}]"
        stamp = r.stamp(path, item)
        ident = r.integer(path, item, "id", optional=False)
        r.integer(path, item, "corrects", optional=True)
        entry = r.build(path, item, Entry)
        if entry is not None and stamp and ident:
            found.append((i, entry))
    return found


def _tables(r: _Reader, schema: Mapping[str, list[str]]) -> dict[str, list[dict[str, Any]]]:
    value = r.doc.get("tables", {})
    if not isinstance(value, dict):
        r.problem("document", "tables", type(value).__name__, "an object of table: rows")
        return {}
    found: dict[str, list[dict[str, Any]]] = {}
    for name, rows in value.items():
        if name not in schema:
            r.problem("tables", name, name, f"a table of the ledger's schema: {sorted(schema)}")
            continue
        if not isinstance(rows, list):
            r.problem(f"tables.{name}", None, type(rows).__name__, "a list of rows")
            continue
        columns = set(schema[name])
        good = []
        for i, row in enumerate(rows):
            path = f"tables.{name}[{i}]"
            if not isinstance(row, dict) or not row:
                r.problem(path, None, row, "a row (an object of column: value)")
                continue
            bad = [(k, v) for k, v in row.items() if k not in columns]
            bad += [(k, v) for k, v in row.items() if not isinstance(v, _SCALARS)]
            for key, val in bad:
                expected = f"a column of {name}: {sorted(columns)}, holding text, a number or null"
                r.problem(path, key, val, expected)
            if not bad:
                good.append(row)
        found[name] = good
    return found


def _check_numbers(r: _Reader, f: _Found) -> None:
    """What only the document can get wrong: each project's versions numbered 1 … n, the
    ids of progress and entries running 1, 2, … in order, and a progress correction
    pointing at the report of its project and month then in force (the ledger numbers
    versions and ids itself and corrects the report in force, so it cannot tell)."""
    numbers: dict[str, list[int]] = {}
    for _, v in f.versions:
        numbers.setdefault(v.project.code, []).append(v.version)
    for code, found in numbers.items():
        if sorted(found) != list(range(1, len(found) + 1)):
            r.problem(f"projects {code}", "version", sorted(found), "versions 1, 2, … n")
    month = [
        (i, x.report.id, x.report.corrects, (x.report.project, str(x.report.period)))
        for i, x in f.progress
    ]
    _check_ids(r, "progress", month)
    _check_ids(r, "entries", [(i, e.id, None, None) for i, e in f.entries])


def _check_ids(r: _Reader, section: str, rows: list[tuple[int, Any, Any, Any]]) -> None:
    """Ids run 1, 2, … n in order; a progress correction points at the report then in
    force for its project and month."""
    head: dict[Any, int] = {}
    for i, ident, corrects, key in rows:
        path = f"{section}[{i}]"
        if ident != i + 1:
            r.problem(path, "id", ident, f"id {i + 1} (ids run 1, 2, … in order)")
        if corrects is not None and head.get(key) != corrects:
            r.problem(path, "corrects", corrects, "the report in force for that project and month")
        head[key] = ident
