"""What both engines share: the dataset's files per table, the cut, the parameters, and
turning the rows the SQL returns into the bulletin (through
:func:`townplan.reports.bulletin.compose`, the function the ledger path uses).

With one town the report names its zones, units and projects as that town does; with
several, every name is ``<town>/<name>`` as in a rollup of them (:func:`townplan.io.rollup`),
so the same rows come out of either.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from townplan.cycles import paused_collector
from townplan.errors import NotFoundError, ValidationError
from townplan.io.parquet.layout import PARTITION, YEAR_PARTITIONED, check_town, read_manifest
from townplan.model.enums import Category, Light, Stage
from townplan.model.period import Period
from townplan.query.aggregate import Summary, ordered, rate
from townplan.query.lights import LightRule, LightVerdict, judging
from townplan.reports.common import GRACE_DAYS, month_of
from townplan.reports.table import Report

if TYPE_CHECKING:
    from townplan.reports.bulletin import ReportRow

__all__ = ["Cut", "assemble", "cut_for", "dataset_files", "summaries"]

#: The tables the bulletin reads.
TABLES = (
    "projects", "project_history", "progress", "rules", "entries", "townplan_meta", "zones",
    "units",
)  # fmt: skip


@attrs.frozen
class Cut:
    """The bulletin's month, the day it is as of, and the query parameters."""

    period: Period
    day: date
    towns: tuple[str, ...]
    prefixed: bool

    @property
    def cutoff(self) -> datetime:
        """The first record time the cut does not know (midnight after ``day``)."""
        return datetime.combine(self.day + timedelta(days=1), time())

    def params(self) -> dict[str, Any]:
        """The named parameters of :mod:`townplan.analytics.sql`."""
        p = self.period
        return {
            "day": self.day, "cutoff": self.cutoff, "first": f"{p.year:04d}-01",
            "last": str(p), "year": p.year, "year_text": f"{p.year:04d}",
            "month_index": p.index, "month_end": p.end,
        }  # fmt: skip


def cut_for(
    root: str | Path, month: Period | str, as_of: date | None, town: str | Iterable[str] | None
) -> Cut:
    """The cut a bulletin of ``month`` as of ``as_of`` (default: 15 days after the month)
    reads, for ``town`` (one, several, or None: every town in the dataset)."""
    read_manifest(root)
    period = month_of(month)
    if as_of is not None and not isinstance(as_of, date):
        raise ValidationError.single(
            record="bulletin", field="as_of", value=as_of, expected="a date"
        )
    held = sorted(p.name.split("=", 1)[1] for p in (Path(root) / "projects").glob(f"{PARTITION}=*"))
    if town is None:
        wanted = tuple(held)
    else:
        names = (town,) if isinstance(town, str) else tuple(town)
        wanted = tuple(check_town(t) for t in names)
        missing = sorted(set(wanted) - set(held))
        if missing:
            raise NotFoundError(
                f"no town {', '.join(missing)} in the dataset at {root}; it holds "
                f"{', '.join(held) or 'none'}"
            )
    if not wanted:
        raise NotFoundError(f"the dataset at {root} holds no town")
    day = as_of or period.end + timedelta(days=GRACE_DAYS)
    return Cut(period, day, wanted, prefixed=town is None or not isinstance(town, str))


def dataset_files(
    root: str | Path,
    cut: Cut,
    tables: Iterable[str] = TABLES,
    keep: Callable[[str, str], bool] | None = None,
) -> dict[str, list[str]]:
    """The Parquet files of each of ``tables`` for the cut's towns (those ``keep(town,
    table)`` is true of, if given), leaving out the files the manifest counts no rows in
    (a scan opens every file it is given: with hundreds of towns that is the cost)."""
    counts = read_manifest(root).get("rows", {})
    wanted = set(cut.towns)
    files = {}
    for table in tables:
        found = []
        for folder in _folders(Path(root) / table):
            town = folder.name.split("=", 1)[1]
            if town not in wanted or counts.get(town, {}).get(table) == 0:
                continue
            if keep is not None and not keep(town, table):
                continue
            found += _parquet(folder, years=table in YEAR_PARTITIONED)
        files[table] = sorted(found)
    return files


def _folders(table: Path, prefix: str = f"{PARTITION}=") -> list[Path]:
    """The partition folders of a table (those being written start with a dot)."""
    try:
        with os.scandir(table) as entries:
            return [Path(e.path) for e in entries if e.name.startswith(prefix) and e.is_dir()]
    except FileNotFoundError:
        return []


def _parquet(folder: Path, *, years: bool) -> list[str]:
    """The files of one town's partition, as :func:`~townplan.io.parquet.layout.table_glob`
    matches them (``year=*/`` below it for a year-partitioned table)."""
    if years:
        return [f for year in _folders(folder, "year=") for f in _parquet(year, years=False)]
    with os.scandir(folder) as entries:
        return [
            e.path for e in entries
            if e.name.endswith(".parquet") and not e.name.startswith(".") and e.is_file()
        ]  # fmt: skip


def issuer(cut: Cut, meta: Iterable[Sequence[Any]]) -> str:
    """The issuing office of one town's bulletin, from its ``townplan_meta`` rows (key,
    value); none for several towns (the province's own office signs those)."""
    from townplan.reports.common import issuer_from

    if cut.prefixed:
        return ""
    return issuer_from({str(k): v for k, v in meta})


def _name(cut: Cut, town: str, name: str | None) -> str | None:
    if name is None or not cut.prefixed:
        return name
    return f"{town}/{name}"


def summaries(
    cut: Cut, rows: Iterable[Sequence[Any]]
) -> tuple[dict[tuple[str, ...], list[Summary]], dict[Stage, int]]:
    """The bulletin's groupings (:data:`~townplan.reports.bulletin.GROUPINGS`), each in the
    bulletin's order, and projects per stage, from the rows of
    :data:`townplan.analytics.sql.DETAIL`."""
    from townplan.model.money import Money
    from townplan.reports.bulletin import GROUPINGS

    found: dict[tuple[str, ...], list[Summary]] = {key: [] for key in GROUPINGS}
    stages: dict[Stage, int] = {}
    on = cut.period.end
    for grouping, town, zone, category, unit, stage, currency, n, *figures in rows:
        if grouping == 4:
            stages[Stage(stage)] = int(n)
            continue
        planned, ytd, cum, lit, amber_up, red = (int(v) for v in figures)
        key: tuple[Any, ...] = ()
        if grouping == 1:
            key = (_name(cut, town, zone),)
        elif grouping == 2:
            key = (Category(category),)
        elif grouping == 3:
            key = (_name(cut, town, unit),)
        by = GROUPINGS[grouping]
        found[by].append(
            Summary(
                by=by, key=key, currency=currency, on=on, count=int(n),
                planned=Money.from_fen(planned, currency),
                completed=Money.from_fen(ytd, currency),
                year_to_date=Money.from_fen(ytd, currency),
                cumulative=Money.from_fen(cum, currency),
                remaining=Money.from_fen(planned - ytd, currency), rate=rate(ytd, planned),
                red=red, amber=amber_up - red, green=lit - amber_up,
            )
        )  # fmt: skip
    # Each grouping in the order the ledger path gives (SQL gave one row per key).
    return {by: ordered(parts) for by, parts in found.items()}, stages


def lights(
    cut: Cut, rules: Mapping[str, LightRule], rows: Iterable[Sequence[Any]]
) -> list[LightVerdict]:
    """The red and amber projects in the bulletin's order, judged by each town's rule
    (one judge per rule: towns keeping the same rule share its plan amounts)."""
    by_rule: dict[LightRule, Callable[[str, str, int, int, str], LightVerdict]] = {}
    for rule in rules.values():
        if rule not in by_rule:
            by_rule[rule] = judging(rule, cut.period.end)
    judges = {town: by_rule[rule] for town, rule in rules.items()}
    prefixed = cut.prefixed
    verdicts = [
        judges[town](f"{town}/{code}" if prefixed else code, name, int(ytd), int(plan), currency)
        for town, code, name, ytd, plan, currency in rows
    ]
    red = Light.RED
    verdicts.sort(key=lambda v: (v.light is not red, -v.points_behind, v.project))
    return verdicts


def months(cut: Cut, sums: Sequence[Any]) -> list[Summary]:
    """The CNY monthly series (year to date at each month) from the one row of
    :func:`townplan.analytics.sql.months`."""
    from townplan.model.money import Money

    out, running = [], 0
    zero = Money.zero()
    for index, fen in enumerate(sums, start=1):
        month = Period.parse(f"{cut.period.year:04d}-{index:02d}")
        running += int(fen or 0)
        out.append(
            Summary(
                by=("month",), key=(month,), currency="CNY", on=cut.period.end, count=0,
                planned=zero, completed=Money.from_fen(int(fen or 0), "CNY"),
                year_to_date=Money.from_fen(running, "CNY"), cumulative=zero, remaining=zero,
                rate=None, red=None, amber=None, green=None,
            )
        )  # fmt: skip
    return out


def reports(cut: Cut, rows: Iterable[Sequence[Any]]) -> list[ReportRow]:
    """The month's missing and late reports, by status then code."""
    items: list[ReportRow]
    if cut.prefixed:  # as _name writes them, a row at a time (10⁵ rows at a province)
        items = [
            (f"{town}/{code}", name, None if unit is None else f"{town}/{unit}", status, due,
             first_on)
            for town, code, name, unit, due, first_on, status in rows
        ]  # fmt: skip
    else:
        items = [
            (code, name, unit, status, due, first_on)
            for _, code, name, unit, due, first_on, status in rows
        ]
    return sorted(items, key=lambda r: (r[3], r[0]))


def assemble(
    cut: Cut,
    rules: Mapping[str, LightRule],
    detail: Iterable[Sequence[Any]],
    lit: Iterable[Sequence[Any]],
    series: Sequence[Any],
    owed: Iterable[Sequence[Any]],
    issuer: str = "",
    order: Mapping[str, Sequence[str]] | None = None,
    unseen: int = 0,
) -> Report:
    """The bulletin from the rows of the four queries (and, for one town, its issuing
    office from the town's ``townplan_meta`` and the official order of its zones and units,
    ``order["zones"]`` and ``order["units"]``, as :func:`townplan.analytics.sql.official_order`
    reads them), saying how many facts of the year to date the cut leaves out
    (``unseen``, see :mod:`townplan.analytics.unseen`)."""
    from townplan.reports.bulletin import compose
    from townplan.reports.common import in_order

    with paused_collector():  # none of the report's objects is in a cycle
        groups, stages = summaries(cut, detail)
        if order and not cut.prefixed:  # several towns list theirs by name, as a rollup does
            groups[("zone",)] = in_order(order.get("zones", ()), groups[("zone",)])
            groups[("responsible_unit",)] = in_order(
                order.get("units", ()), groups[("responsible_unit",)]
            )
        return compose(
            cut.period, cut.day, groups, lights(cut, rules, lit), months(cut, series), stages,
            reports(cut, owed), issuer=issuer, unseen=unseen,
        )  # fmt: skip
