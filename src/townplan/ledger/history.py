"""A ledger's full history as records, and writing it back into another ledger.

The JSON document and the city rollup both copy history from one ledger to another: every
version of every project, every progress entry (corrections included, in the order
recorded) and every appended entry, each with the time it was recorded. Reading goes
straight to the tables (the live ledger, never an ``as_of`` view); writing goes through
:class:`~townplan.ledger.LedgerStore` so the ledger's own checks apply:

- version 1 of a project is added with :meth:`~LedgerStore.add_projects` (batched by
  ``valid_from`` and record time), each later version with
  :meth:`~LedgerStore.update_project`, in version order — which gives every version the
  same number and the same place (current or superseded) it had;
- an original progress report goes in with :meth:`~LedgerStore.record_progress_many`
  (consecutive reports recorded at the same time in one call), a correction with
  :meth:`~LedgerStore.correct_progress` — which corrects the entry in force, so the chain
  of ``corrects`` comes out the same.

Each write runs through a :data:`Guard` — by default it just writes, and the ledger's
error stops the copy; the JSON document passes one that collects every problem, named
by where the record stood in the document, so the ledger's own checks are the only ones.

>>> import attrs
>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> town = LedgerStore.open(":memory:")
>>> p = tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE)
>>> _ = town.add_project(p, on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))
>>> _ = town.update_project(attrs.evolve(p, stage=tp.Stage.NEW_START),
...     on=date(2013, 3, 1), note="开工", recorded_at=date(2013, 3, 2))
>>> copy = LedgerStore.open(":memory:")
>>> write_versions(copy, read_versions(town))
2
>>> copy.checksum() == town.checksum()
True
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date, datetime
from itertools import groupby
from typing import Any, Final

import attrs

from townplan.errors import ConflictError
from townplan.ledger import Entry, LedgerStore, as_recorded_at
from townplan.ledger.rows import PROJECT_COLUMNS, progress_from_row, project_from_row
from townplan.model.records import ProgressReport, Project

__all__ = [
    "MODELLED_TABLES",
    "Guard",
    "ProgressRecord",
    "VersionRecord",
    "canonical_recorded_at",
    "dependency_order",
    "direct",
    "generic_tables",
    "read_entries",
    "read_progress",
    "read_table",
    "read_versions",
    "require_live",
    "write_entry",
    "write_progress",
    "write_versions",
]

#: Tables whose rows the records above carry (written through the ledger's API).
MODELLED_TABLES: Final = frozenset(
    {
        "zones",
        "units",
        "projects",
        "project_history",
        "progress",
        "leading_groups",
        "group_members",
        "milestones",
        "targets",
        "attraction",
        "entries",
    }
)
# Bookkeeping and vocabulary that every ledger of a schema version has by itself.
_OWN_TABLES: Final = frozenset({"townplan_migrations", "labels"})

#: How a writer below runs one write: ``guard(records, write)`` calls ``write(records)``,
#: the ledger call that writes those records (a batch, or one record).
Guard = Callable[[Sequence[Any], Callable[[Sequence[Any]], object]], None]


def direct(records: Sequence[Any], write: Callable[[Sequence[Any]], object]) -> None:
    """The plain :data:`Guard`: write, and let the ledger's error stop the copy."""
    write(records)


_VERSION_COLUMNS: Final = ", ".join(
    (*PROJECT_COLUMNS, "version", "valid_from", "recorded_at", "change_note")
)


@attrs.frozen
class VersionRecord:
    """One version of a project, with when it took effect and when it was recorded."""

    project: Project
    version: int
    valid_from: date
    recorded_at: str
    change_note: str = ""


@attrs.frozen
class ProgressRecord:
    """One progress entry (an original report or a correction) and its record time;
    ``report.id`` and ``report.corrects`` are the ids in the ledger it was read from."""

    report: ProgressReport
    recorded_at: str


def require_live(store: LedgerStore, what: str) -> None:
    """Refuse an ``as_of`` view: history is copied from the whole ledger."""
    if store.cut is not None:
        raise ConflictError(
            f"{what} needs the whole ledger, not a view as of {store.cut}; pass the ledger itself"
        )


def canonical_recorded_at(text: str) -> datetime | None:
    """The datetime of a stored record time, or None when ``text`` is not in the stored
    form (naive ISO with microseconds, e.g. ``2013-07-03T00:00:00.000000``)."""
    try:
        moment = datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return None
    if moment.tzinfo is not None or as_recorded_at(moment) != text:
        return None
    return moment


def generic_tables(store: LedgerStore) -> dict[str, list[str]]:
    """The ledger's other tables (governance, ``townplan_meta`` …) with their columns:
    what is copied row by row, as plain values. Full-text indexes are left out (they are
    rebuilt by triggers), so are migration bookkeeping and the label vocabulary."""
    found: dict[str, list[str]] = {}
    for name in sorted(store.db.table_names()):
        if name in MODELLED_TABLES or name in _OWN_TABLES or "_fts" in name:
            continue
        if name.startswith(("sqlite_", "_")) or "]" in name:
            continue
        found[name] = list(store.db.table(name).columns_dict)
    return found


def read_table(store: LedgerStore, name: str) -> Iterator[dict[str, Any]]:
    """The rows of one of :func:`generic_tables`, in key order."""
    if name not in generic_tables(store):
        raise ConflictError(f"{name!r} is not a table townplan copies row by row")
    order = ", ".join(f"[{c}]" for c in store.db.table(name).pks)
    return _rows(store, f"SELECT * FROM [{name}] ORDER BY {order}")


def dependency_order(store: LedgerStore, tables: Iterable[str]) -> list[str]:
    """``tables`` ordered so each comes after the tables (of ``tables``) it refers to."""
    names = set(tables)
    pending = {
        name: {
            fk.other_table
            for fk in store.db.table(name).foreign_keys
            if fk.other_table != name and fk.other_table in names
        }
        for name in names
    }
    order: list[str] = []
    while pending:
        ready = sorted(n for n, needs in pending.items() if not needs - set(order))
        if not ready:  # tables that refer to each other: by name
            ready = sorted(pending)
        order.extend(ready)
        for name in ready:
            del pending[name]
    return order


# --- reading ---------------------------------------------------------------------------
def _rows(store: LedgerStore, sql: str, params: Iterable[Any] = ()) -> Iterator[dict[str, Any]]:
    cursor = store.db.execute(sql, list(params))
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        yield dict(zip(columns, values, strict=True))


def read_versions(store: LedgerStore, *, code_prefix: str = "") -> Iterator[VersionRecord]:
    """Every version of every project (current and superseded), by code then version."""
    where = "WHERE substr(code, 1, :n) = :prefix" if code_prefix else ""
    sql = (
        f"SELECT * FROM (SELECT {_VERSION_COLUMNS} FROM projects UNION ALL "
        f"SELECT {_VERSION_COLUMNS} FROM project_history) {where} ORDER BY code, version"
    )
    cursor = store.db.execute(sql, {"n": len(code_prefix), "prefix": code_prefix})
    columns = [d[0] for d in cursor.description]
    for values in cursor:
        row = dict(zip(columns, values, strict=True))
        yield VersionRecord(
            project_from_row(row),
            row["version"],
            date.fromisoformat(row["valid_from"]),
            row["recorded_at"],
            row["change_note"],
        )


def read_progress(store: LedgerStore) -> Iterator[ProgressRecord]:
    """Every progress entry, corrections included, in the order recorded (by id)."""
    for row in _rows(store, "SELECT * FROM progress ORDER BY id"):
        yield ProgressRecord(progress_from_row(row), row["recorded_at"])


def read_entries(store: LedgerStore) -> Iterator[Entry]:
    """Every appended entry, corrected ones included, by id."""
    for row in _rows(store, "SELECT * FROM entries ORDER BY id"):
        yield Entry.from_row(row)


# --- writing ---------------------------------------------------------------------------
def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text)


def write_versions(
    store: LedgerStore, versions: Iterable[VersionRecord], *, guard: Guard = direct
) -> int:
    """Write project versions (each code's in version order, version 1 first unless the
    ledger holds the earlier ones already); returns how many were written."""
    firsts: list[VersionRecord] = []
    later: list[VersionRecord] = []
    for v in versions:
        (firsts if v.version == 1 else later).append(v)

    def add(batch: Sequence[VersionRecord]) -> None:
        store.add_projects((v.project for v in batch), on=batch[0].valid_from,
                           recorded_at=_moment(batch[0].recorded_at))  # fmt: skip

    def update(one: Sequence[VersionRecord]) -> None:
        v = one[0]
        store.update_project(v.project, on=v.valid_from, note=v.change_note,
                             recorded_at=_moment(v.recorded_at))  # fmt: skip

    with store.transaction():
        for _, batch in groupby(firsts, key=lambda v: (v.valid_from, v.recorded_at)):
            guard(list(batch), add)
        for v in sorted(later, key=lambda v: (v.project.code, v.version)):
            guard([v], update)
    return len(firsts) + len(later)


def write_progress(
    store: LedgerStore, records: Iterable[ProgressRecord], *, guard: Guard = direct
) -> int:
    """Write progress entries in the order given (originals before their corrections);
    returns how many were written. A report's ``id`` and ``corrects`` are the source's;
    the ledger gives its own."""

    def originals(batch: Sequence[ProgressRecord]) -> None:
        store.record_progress_many((r.report for r in batch),
                                   recorded_at=_moment(batch[0].recorded_at))  # fmt: skip

    def correction(one: Sequence[ProgressRecord]) -> None:
        store.correct_progress(one[0].report, recorded_at=_moment(one[0].recorded_at))

    count = 0
    with store.transaction():
        pending: list[ProgressRecord] = []
        for record in records:
            if record.report.corrects is None and (
                not pending or record.recorded_at == pending[0].recorded_at
            ):
                pending.append(record)
                continue
            if pending:
                guard(pending, originals)
            count += len(pending)
            pending = []
            if record.report.corrects is None:
                pending.append(record)
            else:
                guard([record], correction)
                count += 1
        if pending:
            guard(pending, originals)
    return count + len(pending)


def write_entry(store: LedgerStore, entry: Entry, *, corrects: int | None) -> int:
    """Append ``entry`` (pointing at ``corrects`` in ``store``); returns its new id."""
    return store.append_entry(
        entry.kind,
        entry.subject,
        entry.effective_on,
        entry.payload,
        note=entry.note,
        corrects=corrects,
        recorded_at=_moment(entry.recorded_at),
    ).id
