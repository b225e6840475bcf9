"""Export the project register (项目库) in the layout :func:`import_register` reads back.

A title row ("示例镇 重大项目库"), the header row with units ("总投资（万元）"), one row per
project in code order, and a 合计 row. Zero government, social and planned investment
are left blank, as offices write them.

>>> import tempfile, pathlib
>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> from townplan.io.sheets.table import read_table
>>> from townplan.io.sheets.headers import REGISTER_HEADERS
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(tp.Project(code="P001", name="中心大道",
...     category=tp.Category.INFRASTRUCTURE,
...     government_investment=tp.Money.parse("1200万"), start_year=2012, end_year=2015))
>>> path = export_register(ledger, pathlib.Path(tempfile.mkdtemp()) / "register.csv")
>>> header, first = path.read_text(encoding="utf-8-sig").splitlines()[1:3]
>>> print(",".join(first.split(",")[:11]))
1,P001,中心大道,,1200,1200,,,,基础设施,前期
>>> dict(zip(header.split(","), first.split(",")))["起止年限"]
'2012-2015'
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import date
from os import PathLike
from pathlib import Path
from typing import Any, Final

from townplan.convert import refused
from townplan.errors import ConflictError, FieldError
from townplan.io.sheets.stored_writer import Row, Stored, write_stored
from townplan.io.sheets.writer import Cell, Column, amount, money_unit, sheet_currency
from townplan.ledger import LedgerReader
from townplan.ledger.sqlite_errors import storage_errors
from townplan.model.enums import LabelledEnum
from townplan.model.fields import FieldInfo, described
from townplan.model.money import Money
from townplan.model.records import Project
from townplan.progress import ProgressHook

__all__ = ["export_register", "years_text"]

#: The columns a register opens with, as offices lay it out; the other fields follow.
_LEAD: Final = (
    "code", "name", "content", "total_investment", "government_investment",
    "social_investment", "annual_plan", "plan_year",
)  # fmt: skip
_WIDTHS: Final = {"code": 14, "name": 24, "content": 36, "zone": 16, "responsible_unit": 18,
                  "leader": 14, "category": 10, "stage": 10, "kind": 10, "town": 10,
                  "plan_year": 10}  # fmt: skip
#: What decides the layout (the money unit, a 计划年度 column, a 所属镇 column, the title).
_LAYOUT: Final = ("currency", "plan_year", "town")
#: Where a row's project code is, to name the project a bad stored value belongs to.
_CODE_AT: Final = len(_LAYOUT)
#: A stored day, as the ledger writes it (``date.fromisoformat`` takes other forms too).
_ISO_DAY: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
#: Rows fetched from SQLite at a time.
_BATCH: Final = 1000
_UNCHANGED: Final = (
    "the projects as they were when the export began (another program wrote to the "
    "ledger meanwhile; no file was written — export again)"
)


def years_text(start: int | None, end: int | None) -> str | None:
    """起止年限 as written: "2012-2015", "2013" (one year), "2013-" or "-2015".

    >>> years_text(2012, 2015), years_text(2013, 2013), years_text(2013, None)
    ('2012-2015', '2013', '2013-')
    >>> years_text(None, 2015), years_text(None, None)
    ('-2015', None)
    """
    if start is None and end is None:
        return None
    if start == end:
        return str(start)
    return f"{start or ''}-{end or ''}"


def export_register(
    store: LedgerReader,
    path: str | PathLike[str],
    *,
    title: str | None = None,
    sheet: str = "项目库",
    on_progress: ProgressHook | None = None,
) -> Path:
    """Write every project of ``store`` (as of its cut) to ``path`` (.xlsx or .csv by
    suffix); returns the path.

    The title defaults to "<town> 重大项目库" when every project names one town. One plan
    year for all projects goes into the header ("2013年度计划投资（万元）"), several (or
    none at all) into a 计划年度 column; a 所属镇 column appears when projects name a
    town. ``on_progress`` is told ``(done, total)`` as rows are written
    (:mod:`townplan.progress`).

    The rows go from SQL to the file without becoming records: what decides the layout
    is read first (one small query), then the projects in code order, both in one read
    transaction of the ledger file (:meth:`~townplan.ledger.LedgerStore.reading`), so the
    sheet shows the projects as they were when the export began, whatever another
    program writes meanwhile. An in-memory ledger changed in between (by a write in
    ``on_progress``) stops the export with a ConflictError, leaving no file.
    """
    with store.reading():
        return _export(store, Path(path), title, sheet, on_progress)


def _export(
    store: LedgerReader,
    path: Path,
    title: str | None,
    sheet: str,
    on_progress: ProgressHook | None,
) -> Path:
    relation, params = store.relation("projects")
    counts = _layout(store, relation, params)
    count = sum(counts.values())
    currency = sheet_currency(sorted({c for c, _, _ in counts}))
    unit = money_unit(currency)
    plan_years = {year for _, year, _ in counts}
    towns = {town for _, _, town in counts}
    # one year for all goes into the header; none at all is said by a blank 计划年度
    # column, so that an import does not take the plan for the year it runs in
    one_year = not plan_years or (len(plan_years) == 1 and None not in plan_years)
    shared_year = next(iter(plan_years)) if one_year and plan_years else None
    plan_header = f"{shared_year or ''}年度计划投资（{unit}）"
    groups = _groups(towns != {None} and bool(towns), one_year)
    selected: list[str] = [*_LAYOUT, "code"]
    columns = [Stored.ordinal(Column("序号", 6))]
    columns += [_stored(g, _column(g, unit, plan_header), selected) for g in groups]

    def total(sums: list[int]) -> list[Cell]:
        found = iter(sums)
        row: list[Cell] = ["合计"]
        row += [amount(Money.from_fen(next(found), currency), currency) if g[0].is_money
                else None for g in groups]  # fmt: skip
        row[2] = f"{count}个项目"
        return row

    if title is None:
        town = next(iter(towns)) if len(towns) == 1 else None
        title = f"{town} 重大项目库" if town else "重大项目库"
    sql = f"SELECT {', '.join(selected)} FROM ({relation}) ORDER BY code"
    batches = _batches(store, sql, params, counts)
    return write_stored(
        path, sheet, title, columns, batches, count=count, currency_at=0, currency=currency,
        total=total, on_progress=on_progress,
    )  # fmt: skip


def _layout(
    store: LedgerReader, relation: str, params: dict[str, str]
) -> dict[tuple[Any, ...], int]:
    """How many projects there are of each (currency, plan year, town)."""
    names = ", ".join(_LAYOUT)
    sql = f"SELECT {names}, COUNT(*) FROM ({relation}) GROUP BY {names}"
    return {tuple(row[:-1]): row[-1] for row in _fetch(store, sql, params)}


def _batches(
    store: LedgerReader, sql: str, params: dict[str, str], counts: dict[tuple[Any, ...], int]
) -> Iterator[list[Row]]:
    """The rows of ``sql`` a batch at a time, checked to be the projects the layout was
    chosen for: each of a (currency, plan year, town) it counted, as many as it counted
    (a file is read in one transaction; an in-memory ledger can change in between)."""
    width, known, seen = len(_LAYOUT), set(counts), 0
    for batch in _fetch(store, sql, params, batched=True):
        seen += len(batch)
        if not {row[:width] for row in batch} <= known:
            break
        yield batch
    else:
        if seen == sum(counts.values()):
            return
    raise ConflictError(
        f"{store.path}: the projects changed while the register was being exported",
        [FieldError("export", None, store.path, _UNCHANGED)],
    )


def _fetch(
    store: LedgerReader, sql: str, params: dict[str, str], *, batched: bool = False
) -> Iterator[Any]:
    """The rows of ``sql`` (or lists of them, ``batched``), storage failures as townplan
    errors."""
    with storage_errors(store.path):
        cursor = store.db.execute(sql, params)
        if not batched:
            yield from cursor
            return
        while batch := cursor.fetchmany(_BATCH):
            yield batch


def _groups(towns: bool, one_year: bool) -> list[tuple[FieldInfo, ...]]:
    """The register's columns: the customary lead (:data:`_LEAD`), then every other
    declared field in the model's order; fields that share a header (开工年份 and 竣工年份
    as 起止年限) in one column; 所属镇 only when projects name a town, 计划年度 only when
    they differ."""
    found: dict[str, list[FieldInfo]] = {}
    fields = described(Project)
    lead = [fields[name] for name in _LEAD]
    for info in [*lead, *(i for i in fields.infos() if i.name not in _LEAD)]:
        if (info.name == "town" and not towns) or (info.name == "plan_year" and one_year):
            continue
        found.setdefault(info.header, []).append(info)
    return [tuple(g) for g in found.values()]


def _column(group: tuple[FieldInfo, ...], unit: str, plan_header: str) -> Column:
    info = group[0]
    if info.is_money:
        header = plan_header if info.name == "annual_plan" else f"{info.header}（{unit}）"
        return Column(header, 16 if info.name == "annual_plan" else 14, money=True)
    return Column(info.header, _WIDTHS.get(info.name, 12))


def _stored(group: tuple[FieldInfo, ...], column: Column, selected: list[str]) -> Stored:
    """Where a column's cells come from in a row of ``selected`` columns (to which the
    stored columns the cells need are added)."""

    def at(info: FieldInfo) -> int:
        if info.column not in selected:
            selected.append(info.column)
        return selected.index(info.column)

    first = group[0]
    if len(group) == 2:  # a span of years
        start, end = at(first), at(group[1])
        return Stored.derived(column, lambda row: years_text(row[start], row[end]))
    where = at(first)
    if first.is_money:
        return Stored.amount(column, where, blank_zero=first.name != "total_investment")
    kind = first.type
    if isinstance(kind, type) and issubclass(kind, LabelledEnum):
        return Stored.derived(column, _label_reader(kind, where, first.name))
    if kind is date:
        return Stored.derived(column, _day_reader(where, first.name))
    if kind in (str, int):
        return Stored.value(column, where)
    raise TypeError(f"no register cell for {first.name} ({kind!r})")  # pragma: no cover


def _label_reader(kind: type[LabelledEnum], at: int, field: str) -> Callable[[Row], Cell]:
    """The label of the member a stored value of ``field`` names; any other value is
    refused, naming the project, the field and the value."""
    labels = {member.value: member.label_cn for member in kind}

    def label(row: Row) -> Cell:
        value = row[at]
        found = labels.get(value) if isinstance(value, str) else None
        if found is None:
            raise refused(str(row[_CODE_AT]), field, value, kind)
        return found

    return label


def _day_reader(at: int, field: str) -> Callable[[Row], Cell]:
    """A stored day of ``field`` as the export writes it (ISO); a malformed one is refused,
    naming the project, the field and the value."""

    def day(row: Row) -> Cell:
        value = row[at]
        if value is None:
            return None
        try:
            if isinstance(value, str) and _ISO_DAY.fullmatch(value):
                return date.fromisoformat(value).isoformat()
        except ValueError:  # no such day: 2013-13-01, 2013-02-30
            pass
        raise refused(str(row[_CODE_AT]), field, value, date)

    return day
