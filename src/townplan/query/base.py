"""What every query shares: immutable building, lazy streaming execution, typed results.

A query is a frozen value. ``where``, ``order_by``, ``limit`` and ``offset`` return a new
query; nothing reaches the database until the query is iterated or materialised
(``rows``, ``list``, ``count``, ``first``, ``one``). Iteration reads the cursor in batches,
so memory stays flat however many rows match. Every kind of question — projects,
progress, tasks, problems, findings, expected reports — speaks this one dialect; a query
judged on a day (:class:`DatedQuery`) takes it from ``.on(day)``, and everything that
depends on the day follows it.

Adding a kind of question is one small subclass: name its fields (a
:class:`~townplan.query.fields.FieldSet`: the model's names and the SQL over the row
alias ``x`` that holds each), give the rows as SQL over the ledger's relations, and say
how a row becomes a record::

    @attrs.frozen(kw_only=True)
    class ZoneQuery(BaseQuery[Zone]):
        FIELDS: ClassVar[FieldSet] = FieldSet("zones", (Field("name", "x.name", Kind.TEXT),))
        KEY: ClassVar[tuple[str, ...]] = ("name",)   # what makes the order total

        def _source(self) -> Fragment:
            return Fragment("SELECT * FROM zones")

        def _record(self, row: Mapping[str, Any]) -> Zone:
            return Zone(row["name"], row["name_en"])

``where``, ``order_by``, ``limit``, ``first``, ``one``, ``count``, iteration, ``rows()``
and ``sql()`` then work unchanged. A filter that is not a plain column (a member of a
group, a project's zone seen from a report) is a lookup name the subclass answers in
:meth:`BaseQuery._lookup`; ``ALIASES`` gives a field a second, shorter name.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping
from datetime import date
from typing import Any, ClassVar, Final, Generic, Self, TypeVar

import attrs

from townplan.deprecation import deprecated
from townplan.errors import MoreThanOneError, NotFoundError, ValidationError
from townplan.ledger.reads import LedgerReader
from townplan.model.arguments import count_argument, day_argument
from townplan.query.fields import FieldSet
from townplan.query.sql import Fragment, Select
from townplan.query.where import OPERATORS, condition

__all__ = [
    "BATCH",
    "BaseQuery",
    "DatedQuery",
    "MoreThanOneError",
    "deprecated",
    "execute",
    "execute_tuples",
]

R = TypeVar("R")

#: Rows fetched from the cursor at a time while streaming.
BATCH: Final = 1000


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
    #: Second names of fields, e.g. ``unit`` for ``responsible_unit``.
    ALIASES: ClassVar[Mapping[str, str]] = {}

    # --- building --------------------------------------------------------------------
    def where(self, **lookups: object) -> Self:
        """Keep records matching every lookup: ``field=value`` or ``field__op=value``
        (ops: eq, ne, lt, lte, gt, gte, in, range, contains, isnull). Field names are the
        model's; an unknown one raises ValidationError listing the valid names."""
        added = tuple(self._lookup(name, value) for name, value in lookups.items())
        return attrs.evolve(self, conditions=self.conditions + added)

    def _lookup(self, lookup: str, value: object) -> Fragment:
        """The condition for one ``where`` lookup; subclasses answer names that are not
        plain fields and pass the rest on."""
        return condition(self.FIELDS, self._field_name(lookup), value)

    def _field_name(self, lookup: str) -> str:
        """``lookup`` with an alias replaced by the field it names (operator kept)."""
        name, _, op = lookup.rpartition("__")
        if not name or op not in OPERATORS:
            name, op = lookup, ""
        name = self.ALIASES.get(name, name)
        return f"{name}__{op}" if op else name

    def order_by(self, *names: str) -> Self:
        """Sort by fields, ``"-name"`` for descending; replaces any earlier order."""
        for name in names:
            try:
                self.FIELDS.get(self._order_name(name))
            except ValidationError as exc:
                raise ValidationError.single(
                    record=exc.record, field="order_by", value=name,
                    expected=f"a field name, '-' before it to descend: {exc.expected}",
                ) from None  # fmt: skip
        return attrs.evolve(self, ordering=tuple(names))

    def _order_name(self, name: object) -> object:
        if not isinstance(name, str):
            return name
        bare = name.removeprefix("-")
        return self.ALIASES.get(bare, bare)

    def limit(self, n: int) -> Self:
        """At most ``n`` records."""
        return attrs.evolve(self, limit_n=count_argument(n, record="query", field="limit"))

    def offset(self, n: int) -> Self:
        """Skip the first ``n`` records."""
        return attrs.evolve(self, offset_n=count_argument(n, record="query", field="offset"))

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
            field = self.FIELDS.get(self._order_name(name))
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

    def list(self) -> list[R]:
        """Every matching record, in order (``list(query)``)."""
        return list(self)

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


@attrs.frozen(kw_only=True)
class DatedQuery(BaseQuery[R]):
    """A question judged on a day: ``.on(day)`` sets it, and every filter that depends on
    the day (open, done, overdue …) follows it. Without ``.on`` the day is the view's cut,
    else today."""

    day: date | None = None

    def on(self, day: date) -> Self:
        """Judge the records as they stand on ``day``."""
        return attrs.evolve(self, day=day_argument(day, record=self.FIELDS.record, field="on"))

    def _on(self, on: date | None = None) -> date:
        """``on`` when given (checked), else the query's day, the view's cut or today."""
        if on is not None:
            return day_argument(on, record=self.FIELDS.record, field="on")
        return self.day or self.reader.cut or self.reader.today()
