"""A tiny immutable SQL builder: text with ``?`` placeholders plus the values bound to them.

Only townplan writes the text of a :class:`Fragment` (column names come from allow-lists,
relations from the ledger); every value a caller passes travels as a parameter. When a
statement is rendered each ``?`` becomes a numbered named parameter (``:_p0`` …), so
fragments combine freely with the ledger's named relation parameters (``:day_20130630`` …).

>>> cond = Fragment("x.zone = ?", ("水乡新城区",))
>>> sel = Select(columns=Fragment("x.code"), source=Fragment("SELECT * FROM projects"),
...              where=(cond,), order_by=("x.code",), limit=5)
>>> sql, params = sel.render()
>>> print(sql)
SELECT x.code FROM (SELECT * FROM projects) AS x WHERE (x.zone = :_p0) ORDER BY x.code LIMIT :_p1
>>> params
{'_p0': '水乡新城区', '_p1': 5}
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

__all__ = ["Fragment", "Select", "exact_sum", "join", "summed"]

#: Where :func:`exact_sum` splits a value: both parts of a sum of 10⁹ amounts up to
#: 10¹⁷ fen stay far inside SQLite's 64-bit integers.
_SPLIT = 10**9


@attrs.frozen
class Fragment:
    """SQL text with ``?`` placeholders, the values for them, and named parameters."""

    text: str
    params: tuple[Any, ...] = ()
    named: tuple[tuple[str, Any], ...] = ()

    def __attrs_post_init__(self) -> None:
        if self.text.count("?") != len(self.params):
            raise ValueError(f"{self.text.count('?')} placeholders but {len(self.params)} values")

    @classmethod
    def relation(cls, sql: str, params: Mapping[str, Any], *, prefix: str = "") -> Fragment:
        """A ledger relation (SQL with named parameters only) as a fragment; ``prefix``
        renames its parameters, so one statement can hold the relation at several days.

        >>> Fragment.relation("SELECT * FROM projects", {}).text
        'SELECT * FROM projects'
        >>> Fragment.relation("SELECT * FROM p WHERE d <= :day", {"day": "2013-06-30"},
        ...                   prefix="m6_").named
        (('m6_day', '2013-06-30'),)
        """
        if "?" in sql:
            raise ValueError("a relation takes named parameters only")
        if prefix:
            for name in params:
                sql = re.sub(rf":{re.escape(name)}\b", f":{prefix}{name}", sql)
            params = {prefix + name: value for name, value in params.items()}
        return cls(sql, (), tuple(sorted(params.items())))

    def __add__(self, other: Fragment | str) -> Fragment:
        if isinstance(other, str):
            other = Fragment(other)
        return Fragment(
            self.text + other.text, self.params + other.params, _merge(self.named, other.named)
        )

    def __radd__(self, other: str) -> Fragment:
        return Fragment(other) + self

    def render(self) -> tuple[str, dict[str, Any]]:
        """The SQL with numbered named parameters, and the parameters."""
        pieces = self.text.split("?")
        out = [pieces[0]]
        params = dict(self.named)
        for i, (value, piece) in enumerate(zip(self.params, pieces[1:], strict=True)):
            out.append(f":_p{i}{piece}")
            params[f"_p{i}"] = value
        return "".join(out), params


def _merge(
    a: tuple[tuple[str, Any], ...], b: tuple[tuple[str, Any], ...]
) -> tuple[tuple[str, Any], ...]:
    if not b:
        return a
    merged = dict(a)
    for name, value in b:
        if merged.setdefault(name, value) != value:
            raise ValueError(f"parameter {name!r} bound to two values")
    return tuple(sorted(merged.items()))


def join(separator: str, parts: Iterable[Fragment]) -> Fragment:
    """The fragments joined with ``separator``.

    >>> join(" AND ", [Fragment("a = ?", (1,)), Fragment("b = ?", (2,))]).params
    (1, 2)
    """
    parts = list(parts)
    named: tuple[tuple[str, Any], ...] = ()
    for part in parts:
        named = _merge(named, part.named)
    return Fragment(
        separator.join(p.text for p in parts), tuple(v for p in parts for v in p.params), named
    )


def exact_sum(expr: str, name: str) -> str:
    """SQL for the sum of an integer expression as two columns, ``name_hi`` and
    ``name_lo``, that never overflow SQLite's 64-bit integers (a sum of a hundred
    amounts of 10¹⁵元 in fen does); :func:`summed` reads it back exactly.

    >>> exact_sum("x.plan_fen", "planned")
    'SUM((x.plan_fen) / 1000000000) AS planned_hi, SUM((x.plan_fen) % 1000000000) AS planned_lo'
    """
    return f"SUM(({expr}) / {_SPLIT}) AS {name}_hi, SUM(({expr}) % {_SPLIT}) AS {name}_lo"


def summed(row: Mapping[str, Any], name: str) -> int:
    """The exact sum :func:`exact_sum` wrote as ``name`` (0 over no values).

    >>> summed({"s_hi": 10**10, "s_lo": 5}, "s")
    10000000000000000005
    """
    high, low = row[f"{name}_hi"], row[f"{name}_lo"]
    return 0 if high is None else int(high) * _SPLIT + int(low)


@attrs.frozen
class Select:
    """``SELECT columns FROM (source) AS x [joins] WHERE … GROUP BY … ORDER BY … LIMIT``."""

    columns: Fragment
    source: Fragment
    joins: Fragment = Fragment("")
    where: tuple[Fragment, ...] = ()
    group_by: tuple[str, ...] = ()
    order_by: tuple[str, ...] = ()
    limit: int | None = None
    offset: int = 0

    def fragment(self) -> Fragment:
        """The statement as one fragment (to nest it in another)."""
        sql = "SELECT " + self.columns + " FROM (" + self.source + ") AS x" + self.joins
        if self.where:
            sql = sql + " WHERE " + join(" AND ", ("(" + w + ")" for w in self.where))
        if self.group_by:
            sql = sql + f" GROUP BY {', '.join(self.group_by)}"
        if self.order_by:
            sql = sql + f" ORDER BY {', '.join(self.order_by)}"
        if self.limit is not None or self.offset:
            limit = -1 if self.limit is None else self.limit
            sql = sql + Fragment(" LIMIT ?", (limit,))
            if self.offset:
                sql = sql + Fragment(" OFFSET ?", (self.offset,))
        return sql

    def render(self) -> tuple[str, dict[str, Any]]:
        """The SQL text and its parameters."""
        return self.fragment().render()
