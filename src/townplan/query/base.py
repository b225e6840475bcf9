"""What every query shares: immutable building, lazy streaming execution, typed results.

A query is a frozen value. ``where``, ``order_by``, ``limit`` and ``offset`` return a new
query; nothing reaches the database until the query is iterated or materialised
(``rows``, ``count``, ``first``, ``one``). Iteration reads the cursor in batches, so memory
stays flat however many rows match.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from typing import Any, ClassVar, Final, Generic, Self, TypeVar

import attrs

from townplan.errors import NotFoundError, TownplanError, ValidationError
from townplan.ledger.reads import LedgerReader
from townplan.query.fields import FieldSet
from townplan.query.sql import Fragment, Select
from townplan.query.where import condition

__all__ = ["BATCH", "BaseQuery", "MoreThanOneError", "execute", "execute_tuples"]

R = TypeVar("R")

#: Rows fetched from the cursor at a time while streaming.
BATCH: Final = 1000


class MoreThanOneError(TownplanError, LookupError):
    """``one()`` found more than one record."""


def execute(reader: LedgerReader, fragment: Fragment) -> Iterator[dict[str, Any]]:
    """Run ``fragment`` and stream its rows as dicts, a batch at a time."""
    cursor = _cursor(reader, fragment)
    names = [d[0] for d in cursor.description]
    for values in _batches(cursor):
        yield dict(zip(names, values, strict=True))


def execute_tuples(reader: LedgerReader, fragment: Fragment) -> Iterator[tuple[Any, ...]]:
    """Run ``fragment`` and stream its rows as tuples (for hot paths that unpack them)."""
    return _batches(_cursor(reader, fragment))


def _cursor(reader: LedgerReader, fragment: Fragment) -> sqlite3.Cursor:
    sql, params = fragment.render()
    return reader.db.execute(sql, params)


def _batches(cursor: sqlite3.Cursor) -> Iterator[tuple[Any, ...]]:
    while batch := cursor.fetchmany(BATCH):
        yield from batch


@attrs.frozen(kw_only=True)
class BaseQuery(Generic[R]):
    """A lazily executed question over one kind of record."""

    reader: LedgerReader = attrs.field(eq=False, repr=False)
    conditions: tuple[Fragment, ...] = ()
    ordering: tuple[str, ...] = ()
    limit_n: int | None = None
    offset_n: int = 0

    FIELDS: ClassVar[FieldSet]
    #: Fields that make the order total (ties broken by them, last).
    KEY: ClassVar[tuple[str, ...]] = ("code",)

    # --- building --------------------------------------------------------------------
    def where(self, **lookups: object) -> Self:
        """Keep records matching every lookup: ``field=value`` or ``field__op=value``
        (ops: eq, ne, lt, lte, gt, gte, in, range, contains, isnull). Field names are the
        model's; an unknown one raises ValidationError listing the valid names."""
        added = tuple(condition(self.FIELDS, name, value) for name, value in lookups.items())
        return attrs.evolve(self, conditions=self.conditions + added)

    def order_by(self, *names: str) -> Self:
        """Sort by fields, ``"-name"`` for descending; replaces any earlier order."""
        for name in names:
            try:
                self.FIELDS.get(name.removeprefix("-") if isinstance(name, str) else name)
            except ValidationError as exc:
                raise ValidationError.single(
                    record=exc.record, field="order_by", value=name,
                    expected=f"a field name, '-' before it to descend: {exc.expected}",
                ) from None  # fmt: skip
        return attrs.evolve(self, ordering=tuple(names))

    def limit(self, n: int) -> Self:
        """At most ``n`` records."""
        return attrs.evolve(self, limit_n=_count_arg("limit", n))

    def offset(self, n: int) -> Self:
        """Skip the first ``n`` records."""
        return attrs.evolve(self, offset_n=_count_arg("offset", n))

    # --- what subclasses provide --------------------------------------------------------
    def _source(self) -> Fragment:
        """The rows to filter, as SQL over the ledger's relations."""
        raise NotImplementedError

    def _record(self, row: Mapping[str, Any]) -> R:
        """A typed record from one row."""
        raise NotImplementedError

    def _extra_conditions(self) -> tuple[Fragment, ...]:
        """Conditions decided at execution (e.g. those that depend on the day)."""
        return ()

    def _plain(self, row: Mapping[str, Any]) -> dict[str, Any]:
        record: Any = self._record(row)
        return {f.name: getattr(record, f.name) for f in attrs.fields(type(record))}

    # --- SQL -----------------------------------------------------------------------------
    def _order_terms(self) -> tuple[str, ...]:
        terms = []
        for name in (*self.ordering, *self.KEY):
            field = self.FIELDS.get(name.removeprefix("-"))
            terms.append(f"{field.order_expr}{' DESC' if name.startswith('-') else ''}")
        return tuple(terms)

    def _select(self) -> Select:
        return Select(
            columns=Fragment("x.*"),
            source=self._source(),
            where=self.conditions + self._extra_conditions(),
            order_by=self._order_terms(),
            limit=self.limit_n,
            offset=self.offset_n,
        )

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The SQL this query runs and its parameters (for debugging)."""
        return self._select().render()

    def explain(self) -> str:
        """The SQL, its parameters and SQLite's query plan, as text."""
        sql, params = self.sql()
        plan = self.reader.db.execute(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
        lines = [sql, f"-- parameters: {params!r}", "-- plan:"]
        lines.extend(f"--   {row[-1]}" for row in plan)
        return "\n".join(lines)

    # --- results ---------------------------------------------------------------------------
    def __iter__(self) -> Iterator[R]:
        for row in execute(self.reader, self._select().fragment()):
            yield self._record(row)

    def rows(self) -> Iterator[dict[str, Any]]:
        """Plain dicts keyed by the model's field names (streamed)."""
        for row in execute(self.reader, self._select().fragment()):
            yield self._plain(row)

    def count(self) -> int:
        """How many records match (after limit and offset)."""
        inner = attrs.evolve(self._select(), columns=Fragment("1"), order_by=())
        sql, params = ("SELECT COUNT(*) FROM (" + inner.fragment() + ")").render()
        return int(self.reader.db.execute(sql, params).fetchone()[0])

    def exists(self) -> bool:
        """True when at least one record matches."""
        return self.first() is not None

    def first(self) -> R | None:
        """The first record in order, or None."""
        return next(iter(attrs.evolve(self, limit_n=1)), None)

    def one(self) -> R:
        """The only matching record: NotFoundError if none, MoreThanOneError if several."""
        found = list(attrs.evolve(self, limit_n=2))
        if not found:
            raise NotFoundError(f"no {self.FIELDS.record} match this query")
        if len(found) > 1:
            raise MoreThanOneError(f"more than one of {self.FIELDS.record} match this query")
        return found[0]


def _count_arg(name: str, n: object) -> int:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValidationError.single(
            record="query", field=name, value=n, expected="a whole number ≥ 0"
        )
    return n
