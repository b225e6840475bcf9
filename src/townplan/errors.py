"""The errors townplan raises on purpose, under one base class.

``TownplanError`` is the base. A :class:`ValidationError` carries one or more
:class:`FieldError` records, each naming the record, the field, the bad value and
what was expected (and, for a file, the sheet, row and column), so a batch
reports every problem at once.

>>> err = ValidationError.single(record="P001", field="name", value="", expected="a non-empty name")
>>> str(err)
"P001.name: got '' — expected a non-empty name"
>>> err.errors[0].field
'name'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

import attrs

__all__ = [
    "ClosedError",
    "ConflictError",
    "FieldError",
    "ForeignSchemaError",
    "MoreThanOneError",
    "NotFoundError",
    "ReadOnlyError",
    "SchemaError",
    "StorageError",
    "TownplanError",
    "ValidationError",
]


class TownplanError(Exception):
    """Base of every error townplan raises on purpose.

    Besides its English message an error may carry its ``reason`` (a stable word such as
    ``"not_found"`` or ``"newer_schema"``) and the ``details`` it is about (``record``,
    ``key``, ``path`` …), so that a caller can word it in another language without
    reading the message: the command line words every error class in Chinese in one
    place, :mod:`townplan.cli.errors_zh`.

    >>> err = NotFoundError("no project with code 'P9'", reason="not_found",
    ...                     record="project", key="P9")
    >>> err.reason, dict(err.details), str(err)
    ('not_found', {'record': 'project', 'key': 'P9'}, "no project with code 'P9'")
    """

    def __init__(self, *args: object, reason: str | None = None, **details: object) -> None:
        super().__init__(*args)
        self.reason = reason
        self.details: Mapping[str, object] = MappingProxyType(details)


@attrs.frozen
class FieldError:
    """One thing wrong with one value: where it is, what it was, what was expected."""

    record: str | None
    field: str | None
    value: object
    expected: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    #: The value's position in the list it was given in (0 first), e.g. in ``code__in``.
    index: int | None = None

    def location(self) -> str:
        """Where the problem is, as ``sheet!row:column record.field[index]``."""
        parts: list[str] = []
        if self.sheet is not None:
            parts.append(f"sheet {self.sheet!r}")
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column!r}")
        name = ".".join(p for p in (self.record, self.field) if p)
        if self.index is not None:
            name = f"{name or 'input'}[{self.index}]"
        if name:
            parts.append(name)
        return ", ".join(parts) or "input"

    def __str__(self) -> str:
        return f"{self.location()}: got {self.value!r} — expected {self.expected}"


class ValidationError(TownplanError, ValueError):
    """Input that townplan will not accept; nothing has been written.

    ``errors`` lists every problem found in the batch or file.
    """

    def __init__(self, problems: Iterable[FieldError]) -> None:
        self.errors: tuple[FieldError, ...] = tuple(problems)
        if not self.errors:
            raise ValueError("ValidationError needs at least one FieldError")
        super().__init__(self._message())

    @classmethod
    def single(
        cls,
        *,
        record: str | None,
        field: str | None,
        value: object,
        expected: str,
        sheet: str | None = None,
        row: int | None = None,
        column: str | None = None,
        index: int | None = None,
    ) -> ValidationError:
        """One problem as an error."""
        return cls([FieldError(record, field, value, expected, sheet, row, column, index)])

    def _message(self) -> str:
        if len(self.errors) == 1:
            return str(self.errors[0])
        lines = [f"{len(self.errors)} problems:"]
        lines.extend(f"  - {p}" for p in self.errors[:50])
        if len(self.errors) > 50:
            lines.append(f"  … and {len(self.errors) - 50} more")
        return "\n".join(lines)

    @property
    def record(self) -> str | None:
        """The record of the first problem."""
        return self.errors[0].record

    @property
    def field(self) -> str | None:
        """The field of the first problem."""
        return self.errors[0].field

    @property
    def value(self) -> object:
        """The bad value of the first problem."""
        return self.errors[0].value

    @property
    def expected(self) -> str:
        """What the first problem expected."""
        return self.errors[0].expected


class NotFoundError(TownplanError, LookupError):
    """A record that was asked for by its code is not in the ledger."""


class MoreThanOneError(TownplanError, LookupError):
    """A query asked for exactly one record (``one()``) found more than one."""


class ConflictError(TownplanError):
    """The write contradicts what the ledger holds (a duplicate code, a missing
    reference, a transition the workflow does not allow); nothing has been written.

    ``errors`` names each record, field and value in conflict.
    """

    def __init__(self, message: str, errors: Iterable[FieldError] = ()) -> None:
        self.errors: tuple[FieldError, ...] = tuple(errors)
        if self.errors:
            shown = "\n".join(f"  - {e}" for e in self.errors[:50])
            more = len(self.errors) - 50
            message = f"{message}\n{shown}" + (f"\n  … and {more} more" if more > 0 else "")
        super().__init__(message)


class ClosedError(ConflictError):
    """The ledger was closed (``ledger.close()`` or the end of its ``with`` block) and is
    read or written afterwards, directly or through one of its ``as_of`` views."""


class SchemaError(TownplanError):
    """The file is not a townplan ledger, or was written by a newer townplan."""


class ForeignSchemaError(SchemaError):
    """A ledger file whose schema holds triggers, views, tables or indexes townplan did not
    create (or its own made differently): refused before anything runs in it.

    ``objects`` names each one ("trigger spy on progress", "view leaked" …); ``details``
    has ``found``, each as ``(kind, name, table, changed)``, and the ``drops`` that remove
    the ones townplan did not create.

    >>> err = ForeignSchemaError("town.db", ["table audit"], 11, found=[("table", "audit",
    ...     "audit", False)])
    >>> err.details["drops"]
    ('DROP TABLE "audit";',)
    >>> "townplan opens only a file whose schema it made" in str(err)
    True
    """

    def __init__(
        self, path: object, objects: Iterable[str], version: int,
        found: Iterable[tuple[str, str, str, bool]] = (),
    ) -> None:  # fmt: skip
        self.path = str(path)
        self.objects: tuple[str, ...] = tuple(objects)
        found = tuple(found)
        shown = "; ".join(self.objects[:8])
        if len(self.objects) > 8:
            shown += f"; and {len(self.objects) - 8} more"
        kinds = {kind for kind, *_ in found} or {o.split()[0] for o in self.objects}
        if kinds & {"trigger", "view"}:
            why = (
                "A trigger or view is code the file would run on townplan's reads and writes, "
                "so townplan opens no such file and has run nothing in it"
            )
        else:
            why = "townplan opens only a file whose schema it made, and has run nothing in it"
        drops = tuple(
            f'DROP {kind.upper()} "{name}";' for kind, name, _, changed in found if not changed
        )
        if drops:
            more = " …" if len(drops) > 4 else ""
            fix = (f"; remove them in a copy (with the sqlite3 shell: {' '.join(drops[:4])}"
                   f"{more}) and open that")  # fmt: skip
        elif not found:  # told only their names
            fix = "; remove them in a copy (with the sqlite3 shell: DROP TRIGGER name; …)"
            fix += " and open that"
        else:
            fix = ""
        if any(changed for *_, changed in found):
            fix += (
                "; one of townplan's own made differently cannot be put right by hand: "
                "open the last copy of the file as townplan wrote it"
            )
        super().__init__(
            f"{path}: the file's schema holds what townplan did not create at schema version "
            f"{version}: {shown}. {why}{fix}",
            reason="foreign_schema", path=str(path), version=version, objects=self.objects,
            found=found, drops=drops,
        )  # fmt: skip


class ReadOnlyError(TownplanError):
    """A write was attempted through a read-only view (``ledger.as_of(...)``), or on a
    ledger file this process may not write."""


class StorageError(TownplanError):
    """The ledger file could not be written or read (a full disk, an I/O error, a damaged
    file); the transaction was rolled back and the file is as it was."""
