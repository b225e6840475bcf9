"""Project totals per zone, category, stage, group, unit or month (汇总), summed in SQL.

Money is summed as integer fen per currency (the currency is always part of the key), so
totals are exact; rows are typed :class:`Summary` values. For a key without ``"month"``,
``completed`` and ``year_to_date`` are both the year-to-date completed investment on the
query's day. With ``"month"`` there is one row per month ``Y-01`` … ``Y-m``: ``completed``
is that month's, ``year_to_date`` runs up to it, ``count`` is the number of projects
reporting in the month, and lights are not counted (None).

``"group"`` places a project under every leading group whose member units include its
responsible unit, so one project may count under several groups.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

import attrs

from townplan.errors import ValidationError
from townplan.model.enums import Category, ProjectKind, Stage
from townplan.model.money import Money
from townplan.model.period import Period
from townplan.query.base import BaseQuery, execute
from townplan.query.fields import GROUP_KEYS, PROJECT_FIELDS
from townplan.query.schedule import light_counts, light_rule, light_sums, month_column
from townplan.query.sql import Fragment, Select, exact_sum, summed

if TYPE_CHECKING:
    from townplan.query.projects import ProjectQuery

__all__ = ["PROJECT_KEYS", "ProjectSummary", "Summary", "ordered", "rate", "subtotals"]


def _same(value: Any) -> Any:
    return value


#: Group keys of projects: name → (SQL expression, conversion of the value read back).
PROJECT_KEYS: Final[dict[str, tuple[str, Callable[[Any], Any]]]] = {
    **{
        k.name: (f"x.{k.column}", k.type if k.type not in (str, int) else _same) for k in GROUP_KEYS
    },
    "group": ("gm.group_code", _same),
    "month": ("g.period", Period.parse),
}
_GROUP_JOIN: Final = " JOIN group_members AS gm ON gm.unit = x.responsible_unit"


def rate(numerator_fen: int, denominator_fen: int) -> Decimal | None:
    """``numerator ÷ denominator`` as a Decimal, None when there is nothing planned.

    >>> rate(700, 2000)
    Decimal('0.35')
    """
    return Decimal(numerator_fen) / Decimal(denominator_fen) if denominator_fen else None


@attrs.frozen
class Summary:
    """Totals of one group of projects in one currency, on the day ``on``."""

    by: tuple[str, ...]
    key: tuple[Any, ...]
    currency: str
    on: date
    count: int
    planned: Money
    completed: Money
    year_to_date: Money
    cumulative: Money
    remaining: Money
    rate: Decimal | None
    red: int | None
    amber: int | None
    green: int | None

    def __getitem__(self, name: str) -> Any:
        """The value of one key, e.g. ``row["zone"]``."""
        if name not in self.by:
            raise KeyError(name)
        return self.key[self.by.index(name)]

    @property
    def percent_of_plan(self) -> Decimal | None:
        """``rate`` in percent (% of plan)."""
        return None if self.rate is None else self.rate * 100

    @property
    def average_planned(self) -> Money:
        """Planned investment per project."""
        return Money(self.planned.amount / self.count, self.currency)

    @property
    def average_completed(self) -> Money:
        """Year-to-date completed investment per project."""
        return Money(self.year_to_date.amount / self.count, self.currency)


def _summary(
    by: tuple[str, ...], key: tuple[Any, ...], currency: str, on: date, count: int,
    planned: int, completed: int, ytd: int, cumulative: int, lights: tuple[Any, Any, Any],
) -> Summary:  # fmt: skip
    def money(fen: int) -> Money:
        return Money.from_fen(fen, currency)

    return Summary(
        by=by, key=key, currency=currency, on=on, count=count, planned=money(planned),
        completed=money(completed), year_to_date=money(ytd), cumulative=money(cumulative),
        remaining=money(planned - ytd), rate=rate(ytd, planned),
        red=lights[0], amber=lights[1], green=lights[2],
    )  # fmt: skip


@attrs.frozen
class ProjectSummary:
    """A lazily executed grouping of a project query."""

    query: ProjectQuery = attrs.field(eq=False)
    keys: tuple[str, ...]
    #: The query filters on measured fields (lights, completion), not only register ones.
    measured_filters: bool = False

    @classmethod
    def of(cls, query: ProjectQuery, keys: tuple[str, ...]) -> ProjectSummary:
        """The grouping of ``query`` by ``keys``; unknown keys raise ValidationError."""
        for key in keys:
            if not isinstance(key, str) or key not in PROJECT_KEYS:
                raise ValidationError.single(
                    record="projects", field="group_by", value=key,
                    expected=f"one of {', '.join(PROJECT_KEYS)}",
                )  # fmt: skip
        return cls(attrs.evolve(query, measured=True), tuple(keys), query.measured)

    def sql(self) -> tuple[str, dict[str, Any]]:
        """The SQL of the totals (for ``"month"``, of the monthly sums) and its parameters."""
        q = self.query.resolved()
        if "month" in self.keys and q.table is not None:
            return _stored_months(q, tuple(k for k in self.keys if k != "month")).render()
        if "month" in self.keys:
            return _monthly(q, self.keys, self.measured_filters).render()
        return _totals(q, self.keys).render()

    def __iter__(self) -> Iterator[Summary]:
        q = self.query.resolved()
        if "month" in self.keys:
            yield from _months(q, self.keys, self.measured_filters)
            return
        assert q.day is not None
        for row in execute(q.reader, _totals(q, self.keys).fragment()):
            key = tuple(_convert(k, row[f"k{i}"]) for i, k in enumerate(self.keys))
            yield _summary(
                self.keys, key, row["currency"], q.day, row["n"], summed(row, "planned"),
                summed(row, "ytd"), summed(row, "ytd"), summed(row, "cum"), light_counts(row),
            )  # fmt: skip

    def rows(self) -> Iterator[dict[str, Any]]:
        """Plain dicts: the keys by name, then the figures."""
        for s in self:
            plain = dict(zip(s.by, s.key, strict=True))
            plain.update({f.name: getattr(s, f.name) for f in attrs.fields(Summary)[2:]})
            yield plain


def subtotals(summaries: Iterable[Summary], *keys: str) -> list[Summary]:
    """The totals of ``summaries`` regrouped by some of their keys (none: one row per
    currency), summed exactly and ordered as :meth:`ProjectQuery.group_by` orders them.

    Group once by several keys, then take each view of it without reading the ledger
    again. Month summaries cannot be regrouped (their year-to-date figures run), nor can
    ``"group"`` be dropped (a project may count under several groups).

    >>> import townplan as tp
    >>> from townplan.fixtures import load_sample_town
    >>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
    >>> q = town.query().projects().eligible().on(date(2013, 6, 30))
    >>> detail = list(q.group_by("zone", "category"))
    >>> subtotals(detail, "zone") == list(q.group_by("zone"))
    True
    >>> [s.count for s in subtotals(detail)] == [s.count for s in q.summary()]
    True
    """
    groups: dict[tuple[Any, ...], list[Summary]] = {}
    first: Summary | None = None
    for s in summaries:
        first = first or s
        if (s.by, s.on) != (first.by, first.on):
            raise ValidationError.single(
                record="subtotals", field="summaries", value=f"{s.by} on {s.on}",
                expected=f"rows of one grouping: by {first.by} on {first.on}",
            )  # fmt: skip
        _check_regroup(s.by, keys)
        groups.setdefault((*(s[k] for k in keys), s.currency), []).append(s)
    return ordered(_merged(keys, parts) for parts in groups.values())


def ordered(summaries: Iterable[Summary]) -> list[Summary]:
    """Summaries of one grouping in the order :meth:`ProjectQuery.group_by` gives: by key
    (NULL first, enums in their declared order), then currency."""
    return sorted(summaries, key=lambda s: (*(_sort_key(v) for v in s.key), s.currency))


def _check_regroup(by: tuple[str, ...], keys: tuple[str, ...]) -> None:
    problem = None
    if "month" in by:
        problem = "summaries not grouped by month"
    elif "group" in by and "group" not in keys:
        problem = "'group' kept among the keys (a project counts under each of its groups)"
    elif not set(keys) <= set(by):
        problem = f"keys among those the summaries are grouped by: {', '.join(by) or 'none'}"
    if problem is not None:
        raise ValidationError.single(record="subtotals", field="keys", value=keys, expected=problem)


def _merged(keys: tuple[str, ...], parts: list[Summary]) -> Summary:
    first = parts[0]

    def total(name: str) -> int:
        return sum(getattr(p, name).fen() for p in parts)

    def lights(name: str) -> int | None:
        values = [getattr(p, name) for p in parts]
        return None if None in values else sum(values)

    return _summary(
        keys, tuple(first[k] for k in keys), first.currency, first.on,
        sum(p.count for p in parts), total("planned"), total("completed"),
        total("year_to_date"), total("cumulative"),
        (lights("red"), lights("amber"), lights("green")),
    )  # fmt: skip


def _sort_key(value: Any) -> tuple[bool, Any]:
    """SQL's order: NULL first, enums in their declared order, other values as they are."""
    if isinstance(value, Category | Stage | ProjectKind):
        return True, list(type(value)).index(value)
    return value is not None, value


def _inner(q: ProjectQuery) -> Fragment:
    select = BaseQuery._select(q)
    if select.limit is None and not select.offset:
        select = attrs.evolve(select, order_by=())
    return select.fragment()


def _totals(q: ProjectQuery, keys: tuple[str, ...]) -> Select:
    assert q.day is not None
    rule = q.rule or light_rule(q.reader, q.day)
    names = [f"k{i}" for i in range(len(keys))]
    cols = "".join(f"{PROJECT_KEYS[k][0]} AS {n}, " for k, n in zip(keys, names, strict=True))
    columns = Fragment(
        cols
        + "x.currency AS currency, COUNT(*) AS n, "
        + ", ".join(
            exact_sum(f"x.{column}", name)
            for column, name in (
                ("year_plan_fen", "planned"),
                ("ytd_fen", "ytd"),
                ("cum_fen", "cum"),
            )
        )
    )
    return Select(
        columns=columns + light_sums(rule),
        source=_inner(q),
        joins=Fragment(_GROUP_JOIN if "group" in keys else ""),
        group_by=(*names, "x.currency"),
        order_by=(*(_order(k) for k in keys), "x.currency"),
    )


def _monthly(q: ProjectQuery, keys: tuple[str, ...], measured_filters: bool) -> Select:
    assert q.day is not None
    # The monthly sums need the year-to-date figures only to filter on them.
    source = _inner(q if measured_filters else attrs.evolve(q, measured=False))
    others = [k for k in keys if k != "month"]
    cols = "".join(f"{PROJECT_KEYS[k][0]} AS k{i}, " for i, k in enumerate(others))
    progress = Fragment.relation(*q.reader.relation("progress"))
    joins = " JOIN (" + progress + ") AS g ON g.project = x.code"
    return Select(
        columns=Fragment(
            cols + "x.currency AS currency, g.period AS period, "
            # one report in force per project and month: COUNT(*) counts projects
            "COUNT(*) AS n, " + exact_sum("g.completed_fen", "done")
        ),
        source=source,
        joins=joins + (_GROUP_JOIN if "group" in others else ""),
        where=(Fragment("g.period BETWEEN ? AND ?", (f"{q.day.year:04d}-01", f"{q.day:%Y-%m}")),),
        group_by=(*(f"k{i}" for i in range(len(others))), "x.currency", "g.period"),
    )


def _stored_months(q: ProjectQuery, keys: tuple[str, ...]) -> Select:
    """The totals by the keys other than ``"month"`` of a snapshot, with each month's
    count of projects reporting (``n_M``) and completed sum (``done_M``) read from the
    months it stores (:func:`~townplan.query.schedule.measured_projects`): one pass over
    the snapshot, no progress read."""
    assert q.day is not None
    select = _totals(q, keys)
    columns = [
        f"COUNT(x.{month_column(m)}) AS n_{m}, " + exact_sum(f"x.{month_column(m)}", f"done_{m}")
        for m in range(1, q.day.month + 1)
    ]
    return attrs.evolve(select, columns=select.columns + ", " + ", ".join(columns))


def _months(q: ProjectQuery, keys: tuple[str, ...], measured_filters: bool) -> Iterator[Summary]:
    day = q.day
    assert day is not None
    others = tuple(k for k in keys if k != "month")
    monthly: dict[tuple[Any, ...], tuple[int, int]] = {}
    months = [f"{day.year:04d}-{m:02d}" for m in range(1, day.month + 1)]
    if q.table is not None:
        rows = list(execute(q.reader, _stored_months(q, others).fragment()))
        for row in rows:
            group = (*(row[f"k{i}"] for i in range(len(others))), row["currency"])
            for m, month in enumerate(months, 1):
                monthly[(*group, month)] = (row[f"n_{m}"], summed(row, f"done_{m}"))
    else:
        for row in execute(q.reader, _monthly(q, keys, measured_filters).fragment()):
            group = (*(row[f"k{i}"] for i in range(len(others))), row["currency"], row["period"])
            monthly[group] = (row["n"], summed(row, "done"))
        rows = list(execute(q.reader, _totals(q, others).fragment()))
    for row in rows:
        raw = tuple(row[f"k{i}"] for i in range(len(others)))
        later = summed(row, "ytd")  # completed after the month, counted down
        running = 0
        for month in months:
            count, done = monthly.get((*raw, row["currency"], month), (0, 0))
            running += done
            later -= done
            values = dict(zip(others, raw, strict=True)) | {"month": month}
            key = tuple(_convert(k, values[k]) for k in keys)
            yield _summary(
                keys, key, row["currency"], day, count, summed(row, "planned"), done, running,
                summed(row, "cum") - later, (None, None, None),
            )  # fmt: skip


def _convert(key: str, value: Any) -> Any:
    return None if value is None else PROJECT_KEYS[key][1](value)


def _order(key: str) -> str:
    if key in ("group", "month"):
        return PROJECT_KEYS[key][0]
    return PROJECT_FIELDS.get(key).order_expr
