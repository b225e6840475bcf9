"""A whole ledger as one versioned JSON document, and back.

The document (``"format": "townplan"``, ``"version": 1``) holds every table's records, in
the townplan converter's shapes (money as ``{"amount": "decimal text", "currency"}``,
dates as ISO text, enums as their values):

- ``zones``, ``units``, ``policies``, ``groups``, ``tasks``, ``targets``, ``attraction``;
- ``projects`` — **every version** of every project, by code then version: the project's
  fields plus ``version``, ``valid_from``, ``recorded_at`` and ``change_note``;
- ``progress`` — every progress entry, corrections included, in the order recorded, with
  its ledger ``id``, ``corrects`` and ``recorded_at``;
- ``entries`` — every appended entry (corrected ones too) with ``id`` and ``corrects``;
- ``tables`` — each other table of the ledger (``townplan_meta``, governance tables …) as
  ``{table: [row, …]}``, rows as plain column → value objects; on import the table and
  column names are checked against the receiving ledger's schema. The codelists among them
  (funding sources, procedure kinds) replace the ones the new ledger was seeded with; a
  document of an earlier ``schema_version`` then gets the changes later versions made to
  them (a default source's new aliases), as its ledger file would on opening.

Importing names every problem by its JSON path and writes nothing unless the whole
document is good. The document's own form is checked first (:mod:`.check`); its records
then go through the ledger's own writes and their checks — an unknown zone, a task of
no group, a duplicate code — in one transaction that is rolled back on any problem, each
of the ledger's problems named by the path of the record it is about. The new ledger has the same
:meth:`~townplan.ledger.LedgerStore.checksum` (ids and record times are kept).

>>> import townplan as tp
>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE,
...     government_investment=tp.Money.parse("3000万元")), on=date(2013, 1, 1),
...     recorded_at=date(2013, 1, 5))
>>> doc = to_json(ledger)
>>> doc["format"], doc["version"], doc["projects"][0]["government_investment"]
('townplan', 1, {'amount': '30000000', 'currency': 'CNY'})
>>> from_json(doc).checksum() == ledger.checksum()
True
>>> doc["projects"][0]["government_investment"] = 30000000.5
>>> from_json(doc)
Traceback (most recent call last):
...
townplan.errors.ValidationError: projects[0].government_investment: got 30000000.5 — ...
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from functools import partial
from pathlib import Path
from typing import Any

import attrs

from townplan.convert import unstructure
from townplan.errors import ClosedError, ConflictError, FieldError, NotFoundError, ValidationError
from townplan.io.jsondoc.check import FORMAT, VERSION, LedgerContent, check_document
from townplan.ledger import SCHEMA_VERSION, Entry, LedgerStore
from townplan.ledger.clock import Recorded
from townplan.ledger.history import (
    MODELLED_TABLES,
    ProgressRecord,
    VersionRecord,
    dependency_order,
    generic_tables,
    read_entries,
    read_progress,
    read_table,
    read_versions,
    require_live,
    write_entry,
    write_progress,
    write_versions,
)
from townplan.ledger.schema import update_codelists
from townplan.progress import ProgressHook, Tally, counted

__all__ = ["from_json", "load_json", "to_json"]


def to_json(store: LedgerStore, *, on_progress: ProgressHook | None = None) -> dict[str, Any]:
    """The whole ledger as a JSON-ready document (see the module docstring).

    ``on_progress(done, total)`` (see :mod:`townplan.progress`) is told of each section
    read (zones, units, projects, progress, …).
    """
    require_live(store, "to_json")
    # Dated rules, policies included, travel in ``tables.rules`` with their record times;
    # the ``policies`` section is read for documents of earlier versions.
    sections: dict[str, Callable[[], Any]] = {
        "zones": lambda: _stamped(store, "zones", "name", store.zones()),
        "units": lambda: _stamped(store, "units", "name", store.units()),
        "policies": list,
        "projects": lambda: [_version(v) for v in read_versions(store)],
        "progress": lambda: [
            {**unstructure(r.report), "recorded_at": r.recorded_at} for r in read_progress(store)
        ],
        "groups": lambda: _stamped(store, "leading_groups", "code", store.groups()),
        "tasks": lambda: _stamped(
            store, "milestones", "code", sorted(store.tasks(), key=lambda t: t.code)
        ),
        "targets": lambda: _stamped(store, "targets", "code", store.indicators(measures=False)),
        "attraction": lambda: _stamped(store, "attraction", "code", store.attractions()),
        "entries": lambda: [unstructure(e) for e in read_entries(store)],
        "tables": lambda: {name: list(read_table(store, name)) for name in generic_tables(store)},
    }
    tally = Tally(on_progress, len(sections), every=1)
    document: dict[str, Any] = {
        "format": FORMAT, "version": VERSION, "schema_version": store.schema_version,
    }  # fmt: skip
    for name, read in counted(sections.items(), tally):
        document[name] = read()
    tally.finish()
    return document


def _stamped(
    store: LedgerStore, table: str, key: str, records: Iterable[Any]
) -> list[dict[str, Any]]:
    """Each record with the time it was recorded (``table`` and ``key`` are townplan's)."""
    times = {r[key]: r["recorded_at"] for r in store.known(table)}
    out = []
    for record in records:
        item = unstructure(record)
        out.append({**item, "recorded_at": times[getattr(record, key)]})
    return out


def _version(v: VersionRecord) -> dict[str, Any]:
    return {
        **unstructure(v.project),
        "version": v.version,
        "valid_from": v.valid_from.isoformat(),
        "recorded_at": v.recorded_at,
        "change_note": v.change_note,
    }


def from_json(
    doc: Mapping[str, Any],
    path: str | Path = ":memory:",
    *,
    ledger_type: type[LedgerStore] | None = None,
    recorded_at: Recorded = None,
) -> LedgerStore:
    """A new ledger at ``path`` (in memory by default) holding the document: a
    :class:`townplan.Ledger` (the ledger with queries), or ``ledger_type``.

    Every record keeps the record time the document gives it; the reference records it
    gives none (zones, units, policies, groups, tasks, targets, attraction written by
    hand) are stamped ``recorded_at`` — the day the office wrote them down when loading
    a past year — or now.

    >>> from datetime import date
    >>> doc = {"format": "townplan", "version": 1, "units": [{"name": "城建办"}]}
    >>> town = from_json(doc, recorded_at=date(2013, 1, 5))
    >>> [u.name for u in town.as_of(date(2013, 1, 5)).units()]
    ['城建办']

    The document's form is checked before the file is created; if a record is refused
    or writing fails, a file this call created is removed again.
    """
    with LedgerStore.open(":memory:") as probe:
        content = check_document(doc, generic_tables(probe))
    target = Path(path) if str(path) != ":memory:" else None
    existed = target is not None and target.exists()
    store = (ledger_type or _front_door()).open(path)
    try:
        _load(store, content, store.stamp(recorded_at, record="from_json"))
    except BaseException:
        store.close()
        if target is not None and not existed:
            for leftover in (target, Path(f"{target}-wal"), Path(f"{target}-shm")):
                leftover.unlink(missing_ok=True)
        raise
    return store


def _front_door() -> type[LedgerStore]:
    import townplan  # the front door sits above io; imported when used, not at import time

    cls: type[LedgerStore] = getattr(townplan, "Ledger", LedgerStore)
    return cls


def load_json(store: LedgerStore, doc: Mapping[str, Any], *, recorded_at: Recorded = None) -> None:
    """Load the document into ``store``, which must hold no records yet; all or nothing.

    >>> from townplan.ledger import LedgerStore
    >>> source = LedgerStore.open(":memory:")
    >>> _ = source.add_units(["城建办"])
    >>> target = LedgerStore.open(":memory:")
    >>> load_json(target, to_json(source))
    >>> [u.name for u in target.units()]
    ['城建办']
    """
    require_live(store, "load_json")
    content = check_document(doc, generic_tables(store))
    _load(store, content, store.stamp(recorded_at, record="load_json"))


class _Named:
    """The :data:`~townplan.ledger.history.Guard` of a document: each write in its own
    savepoint; a problem the ledger finds is kept, named by the JSON path of its record,
    and the load goes on so that one error names them all. A batch the ledger refuses is
    written again record by record, so that each problem names its own record; a record
    refused only because what it refers to was refused before (the progress of a project
    with an unknown zone) is not named again."""

    def __init__(self, store: LedgerStore, paths: Mapping[int, str]) -> None:
        self.store = store
        self.paths = paths
        self.problems: list[FieldError] = []
        self.refused: set[str] = set()  # codes of the records refused so far

    def __call__(self, records: Sequence[Any], write: Callable[[Sequence[Any]], object]) -> None:
        if self._refused(records, write) and len(records) > 1:
            for record in records:
                self._refused([record], write)

    def _refused(self, records: Sequence[Any], write: Callable[[Sequence[Any]], object]) -> bool:
        try:
            with self.store.transaction():
                write(records)
        except ClosedError:
            raise
        except (ValidationError, ConflictError, NotFoundError) as exc:
            if len(records) == 1:
                self._name(records[0], exc)
            return True
        return False

    def _name(self, record: Any, exc: ValidationError | ConflictError | NotFoundError) -> None:
        path = self.paths.get(id(record), "document")
        found: tuple[FieldError, ...] = getattr(exc, "errors", ())
        echo = (
            all(isinstance(e.value, str) and e.value in self.refused for e in found)
            if found
            else bool(_refers_to(record) & self.refused)
        )
        code = _code(record)
        if code is not None:
            self.refused.add(code)
        if echo:
            return
        self.problems.extend(attrs.evolve(e, record=path) for e in found)
        if not found:
            self.problems.append(FieldError(path, None, None, str(exc)))


def _code(record: Any) -> str | None:
    """The code a record is known by (a project's for each of its versions)."""
    if isinstance(record, VersionRecord):
        return record.project.code
    code = getattr(record, "code", None)
    return code if isinstance(code, str) else None


def _refers_to(record: Any) -> set[str]:
    """The codes of the records ``record`` needs in the ledger before it."""
    if isinstance(record, VersionRecord):
        return {record.project.code}
    if isinstance(record, ProgressRecord):
        return {record.report.project}
    if isinstance(record, Entry):
        return {record.subject}
    group = getattr(record, "group", None)
    return {group} if isinstance(group, str) else set()


def _load(store: LedgerStore, c: LedgerContent, default: str) -> None:
    """Write ``c`` into ``store``; a reference record the document gives no record time
    is stamped ``default``."""
    counts = {name: store.db.table(name).count for name in sorted(MODELLED_TABLES)}
    held = {name: n for name, n in counts.items() if n}
    if held:
        raise ConflictError(f"load_json needs an empty ledger; this one holds {held}")
    guard = _Named(store, c.paths)

    def each(section: str, records: list[Any], add: Callable[..., object]) -> None:
        times = c.recorded.get(section, [None] * len(records))
        for record, at in zip(records, times, strict=True):
            guard([record], partial(_write_one, add, _when(at or default)))

    with store.transaction():
        each("zones", c.zones, store.add_zones)
        each("units", c.units, store.add_units)
        each("policies", c.policies, lambda one, **at: store.add_policy(one[0], **at))
        write_versions(store, c.versions, guard=guard)
        write_progress(store, c.progress, guard=guard)
        each("groups", c.groups, store.add_groups)
        each("tasks", c.tasks, store.add_tasks)
        each("targets", c.targets, store.add_targets)
        each("attraction", c.attraction, store.add_attractions)
        for entry in c.entries:
            guard([entry], lambda one: write_entry(store, one[0], corrects=one[0].corrects))
        problems = [*c.problems, *guard.problems]
        if problems:
            raise ValidationError(problems)
        _same_ids(store, "progress", len(c.progress))
        _same_ids(store, "entries", len(c.entries))
        _write_tables(store, c.tables)
        if c.schema_version is None or c.schema_version < SCHEMA_VERSION:
            update_codelists(store.db, since=c.schema_version or 0)


def _write_one(add: Callable[..., object], at: datetime | None, one: Sequence[Any]) -> object:
    return add(one, recorded_at=at)


def _when(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text is not None else None


def _same_ids(store: LedgerStore, table: str, count: int) -> None:
    top = store.db.execute(f"SELECT count(*), max(id) FROM [{table}]").fetchone()
    if top[0] != count or (count and top[1] != count):
        raise ConflictError(f"{table}: the ledger did not keep the document's ids 1…{count}")


def _write_tables(store: LedgerStore, tables: Mapping[str, list[dict[str, Any]]]) -> None:
    """Write the document's other tables. The new ledger already holds the rows its
    migrations seed (the funding sources, the procedure kinds) and those the file is made
    with (``townplan_meta``): a document row of the same key is the ledger's own row and
    replaces it — a town's codelist may differ from the one seeded (a source renamed, an
    alias of its own), and the ledger's identity is the document's. A document of an
    earlier schema version then gets the codelist changes of the later ones
    (:func:`~townplan.ledger.schema.update_codelists`), as its file would on opening: the
    aliases a newer townplan gave a default source survive an older document."""
    for name in dependency_order(store, tables):
        keys = [k for k in store.db.table(name).pks if k != "rowid"]
        held = {tuple(row[k] for k in keys) for row in read_table(store, name)} if keys else set()
        for i, row in enumerate(tables[name]):
            columns = list(row)
            key = tuple(row.get(k) for k in keys)
            if keys and key in held:
                sql = (
                    f"UPDATE [{name}] SET {', '.join(f'[{c}] = ?' for c in columns)} "
                    f"WHERE {' AND '.join(f'[{k}] = ?' for k in keys)}"
                )
                values = [*(row[c] for c in columns), *key]
            else:
                sql = (
                    f"INSERT INTO [{name}] ({', '.join(f'[{c}]' for c in columns)}) "
                    f"VALUES ({', '.join('?' for _ in columns)})"
                )
                values = [row[c] for c in columns]
            try:
                store.db.execute(sql, values)
            except sqlite3.IntegrityError as exc:
                raise ConflictError(
                    f"tables.{name}[{i}] conflicts with the ledger ({exc})",
                    [FieldError(f"tables.{name}[{i}]", None, row, "a row the schema accepts")],
                ) from None
