"""Totals of progress reports and of tasks, summed in SQL and read back as typed rows.

Progress keys reach the project a report belongs to (zone, category …) through the
project as the view holds it; money is summed per currency in integer fen.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from townplan.errors import ValidationError
from townplan.model.enums import LabelledEnum
from townplan.model.money import Money
from townplan.model.period import Period
from townplan.query.base import BaseQuery, execute
from townplan.query.fields import GROUP_KEYS
from townplan.query.sql import Fragment, Select, exact_sum, summed

if TYPE_CHECKING:
    from townplan.query.progress import ProgressQuery
    from townplan.query.tasks import TaskQuery

__all__ = ["ProgressTotal", "ProgressTotals", "TaskTotal", "TaskTotals"]

Key = tuple[str, Callable[[Any], Any], bool]  # SQL, conversion, needs the project joined


def _same(value: Any) -> Any:
    return value


_PROGRESS_KEYS: Final[dict[str, Key]] = {
    "month": ("x.period", Period.parse, False),
    "year": ("CAST(substr(x.period, 1, 4) AS INTEGER)", _same, False),
    "project": ("x.project", _same, False),
    **{
        k.name: (f"p.{k.column}", k.type if k.type not in (str, int) else _same, True)
        for k in GROUP_KEYS
    },
    "group": ("gm.group_code", _same, True),
}
_TASK_KEYS: Final[dict[str, Key]] = {
    "group": ("x.group_code", _same, False),
    "month": ("substr(x.due, 1, 7)", Period.parse, False),
}


def _check(record: str, keys: tuple[str, ...], allowed: dict[str, Key]) -> tuple[str, ...]:
    for key in keys:
        if not isinstance(key, str) or key not in allowed:
            raise ValidationError.single(
                record=record, field="group_by", value=key,
                expected=f"one of {', '.join(allowed)}",
            )  # fmt: skip
    return tuple(keys)


def _key(keys: tuple[str, ...], allowed: dict[str, Key], row: dict[str, Any]) -> tuple[Any, ...]:
    return tuple(
        None if row[f"k{i}"] is None else allowed[k][1](row[f"k{i}"]) for i, k in enumerate(keys)
    )


def _key_columns(keys: tuple[str, ...], allowed: dict[str, Key]) -> str:
    return "".join(f"{allowed[k][0]} AS k{i}, " for i, k in enumerate(keys))


def _order(keys: tuple[str, ...], allowed: dict[str, Key]) -> tuple[str, ...]:
    """Key columns in order; enums in their declared order, as everywhere else."""
    terms = []
    for i, key in enumerate(keys):
        convert = allowed[key][1]
        if isinstance(convert, type) and issubclass(convert, LabelledEnum):
            whens = " ".join(f"WHEN '{m.value}' THEN {n}" for n, m in enumerate(convert))
            terms.append(f"CASE k{i} {whens} END")
        else:
            terms.append(f"k{i}")
    return tuple(terms)


@attrs.frozen
class ProgressTotal:
    """Progress reports of one group in one currency: how many, and how much completed."""

    by: tuple[str, ...]
    key: tuple[Any, ...]
    currency: str
    reports: int
    completed: Money

    def __getitem__(self, name: str) -> Any:
        """The value of one key, e.g. ``row["month"]``."""
        if name not in self.by:
            raise KeyError(name)
        return self.key[self.by.index(name)]


@attrs.frozen
class ProgressTotals:
    """A lazily executed grouping of a progress query."""

    query: ProgressQuery = attrs.field(eq=False)
    keys: tuple[str, ...]

    @classmethod
    def of(cls, query: ProgressQuery, keys: tuple[str, ...]) -> ProgressTotals:
        """The grouping of ``query`` by ``keys``; unknown keys raise ValidationError."""
        return cls(query, _check("progress", keys, _PROGRESS_KEYS))

    def _select(self) -> Select:
        inner = attrs.evolve(BaseQuery._select(self.query), order_by=())
        joins = Fragment("")
        if any(_PROGRESS_KEYS[k][2] for k in self.keys):
            projects = Fragment.relation(*self.query.reader.relation("projects"))
            joins = " JOIN (" + projects + ") AS p ON p.code = x.project"
        if "group" in self.keys:
            joins = joins + " JOIN group_members AS gm ON gm.unit = p.responsible_unit"
        names = tuple(f"k{i}" for i in range(len(self.keys)))
        return Select(
            columns=Fragment(
                _key_columns(self.keys, _PROGRESS_KEYS)
                + "x.currency AS currency, COUNT(*) AS n, "
                + exact_sum("x.completed_fen", "done")
            ),
            source=inner.fragment(),
            joins=joins,
            group_by=(*names, "x.currency"),
            order_by=(*_order(self.keys, _PROGRESS_KEYS), "x.currency"),
        )

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The SQL and its parameters."""
        return self._select().render()

    def __iter__(self) -> Iterator[ProgressTotal]:
        for row in execute(self.query.reader, self._select().fragment()):
            yield ProgressTotal(
                by=self.keys, key=_key(self.keys, _PROGRESS_KEYS, row), currency=row["currency"],
                reports=row["n"],
                completed=Money.from_fen(summed(row, "done"), row["currency"]),
            )  # fmt: skip


@attrs.frozen
class TaskTotal:
    """Tasks of one group (or due month) on a day: how many, done, open and overdue."""

    by: tuple[str, ...]
    key: tuple[Any, ...]
    on: date
    count: int
    done: int
    overdue: int
    rate: Decimal

    @property
    def open(self) -> int:
        """Tasks not done."""
        return self.count - self.done

    def __getitem__(self, name: str) -> Any:
        """The value of one key, e.g. ``row["group"]``."""
        if name not in self.by:
            raise KeyError(name)
        return self.key[self.by.index(name)]


@attrs.frozen
class TaskTotals:
    """A lazily executed grouping of a task query; ``rate`` is done ÷ tasks."""

    query: TaskQuery = attrs.field(eq=False)
    keys: tuple[str, ...]
    on: date

    @classmethod
    def of(cls, query: TaskQuery, keys: tuple[str, ...], on: date) -> TaskTotals:
        """The grouping of ``query`` by ``keys`` on ``on``."""
        return cls(query, _check("milestones", keys, _TASK_KEYS), on)

    def _select(self) -> Select:
        from townplan.query.tasks import done_by

        inner = attrs.evolve(BaseQuery._select(self.query), order_by=())
        done = done_by(self.query.reader, self.on)
        names = tuple(f"k{i}" for i in range(len(self.keys)))
        columns = (
            Fragment(_key_columns(self.keys, _TASK_KEYS) + "COUNT(*) AS n, SUM(")
            + done
            + Fragment(") AS done, SUM(x.due < ? AND NOT (", (self.on.isoformat(),))
            + done
            + ")) AS overdue"
        )
        return Select(
            columns=columns,
            source=inner.fragment(),
            group_by=names,
            order_by=names,
        )

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The SQL and its parameters."""
        return self._select().render()

    def __iter__(self) -> Iterator[TaskTotal]:
        for row in execute(self.query.reader, self._select().fragment()):
            yield TaskTotal(
                by=self.keys, key=_key(self.keys, _TASK_KEYS, row), on=self.on, count=row["n"],
                done=row["done"], overdue=row["overdue"], rate=Decimal(row["done"]) / row["n"],
            )  # fmt: skip
