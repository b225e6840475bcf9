"""Import a monthly progress sheet (月度调度表) from .xlsx or .csv into the ledger.

Each row is one project's report for a month: 本月完成 (completed in the month), 累计完成
(cumulative, optional), 形象进度 (physical progress note), 报送日期 (the day it arrived).
The month comes from a 月份 column, else from ``period=``, else from the title ("2013年6月
重大项目进度表"). A month the ledger has not seen is recorded; a month it has, with other
figures, becomes a correction (:meth:`LedgerStore.correct_progress`); the same figures
change nothing. Rows name projects by 项目编号, or by 项目名称 when the sheet has no codes.
年度计划投资, 本年完成 and the like are there for the reader: checked against a 合计 row,
not imported, and listed in ``result.ignored``.

A wide sheet (重点项目建设进度表) — one pair of columns per month, "1月形象进度" |
"1月实际完成投资" … — gives one report per project and month (:mod:`townplan.io.sheets.wide`).

>>> import tempfile, pathlib
>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_project(
...     tp.Project(code="P001", name="中心大道", category=tp.Category.INFRASTRUCTURE))
>>> path = pathlib.Path(tempfile.mkdtemp()) / "progress.csv"
>>> _ = path.write_text("2013年6月重大项目进度表\\n"
...     "项目编号,本月完成（万元）,累计完成（万元）,形象进度\\n"
...     "P001,500,1500,路基完成80%\\n", encoding="gb18030")
>>> import_progress(ledger, path).added
('P001 2013-06',)
>>> [(str(r.period), r.completed.format_cn()) for r in ledger.progress("P001")]
[('2013-06', '500万元')]
>>> import_progress(ledger, path).n_unchanged
1
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from os import PathLike
from typing import Final

import attrs

from townplan.cycles import paused_collector
from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.io.sheets.cells import (
    MoneyColumns,
    RowMoney,
    as_header_map,
    bad_columns,
    cell,
    in_sheet_order,
    parse_day,
)
from townplan.io.sheets.headers import PROGRESS_HEADERS, HeaderMap
from townplan.io.sheets.progress_export import export_progress
from townplan.io.sheets.result import ImportResult, mapping_of, unitless_of
from townplan.io.sheets.table import Row, Table, read_table, title_texts
from townplan.io.sheets.wide import (
    MONTH_HEADERS,
    MONTH_MONEY,
    MONTH_REQUIRED,
    month_field,
    months,
    unread_month,
    wide_plan,
)
from townplan.ledger import LOCAL_TIME, LedgerStore
from townplan.ledger.base import Recorded
from townplan.ledger.rows import progress_from_row
from townplan.model.money import Money
from townplan.model.period import Period, PeriodKind
from townplan.model.records import ProgressReport
from townplan.progress import ProgressHook, Tally, counted

__all__ = ["export_progress", "import_progress"]

_REQUIRED: Final = frozenset({"completed"})
_DEFAULT: Final = PROGRESS_HEADERS.merge(MONTH_HEADERS, money_fields=MONTH_MONEY)
#: Columns for the reader (the year's plan, the year to date): checked against a 合计
#: row, not imported, so listed as not used.
_READER: Final = frozenset({"annual_plan", "year_to_date"})
_COMPARED: Final = ("completed", "cumulative", "note")
# "2013年6月", "2013-06", and a span of months to date whose last month is the sheet's
# ("2013年1-6月", "2013年1—6月份")
_TITLE_MONTH: Final = re.compile(
    r"(\d{4})\s*年\s*(?:(\d{1,2})\s*(?:月\s*)?[-—–~至到]\s*)?(\d{1,2})\s*月|(\d{4})-(\d{1,2})(?!\d)"
)

Key = tuple[str, str]


@attrs.frozen
class _Project:
    code: str
    currency: str
    name: str


@attrs.frozen
class _Sheet:
    """What every row of one sheet is read against."""

    table: Table
    by: str  # "project" (codes) or "name"
    known: Mapping[str, list[_Project]]
    month: Period | None
    reported_on: date | None
    amounts: MoneyColumns
    months: tuple[int, ...] = ()  # a wide sheet's months (one pair of columns each)
    year: int | None = None  # … and their year
    titled: tuple[Period, Period] | None = None  # the title's months a 月份 column keeps to


@paused_collector()  # as for the register: millions of objects, no cycles among them
def import_progress(
    store: LedgerStore,
    path: str | PathLike[str],
    *,
    period: Period | str | None = None,
    headers: HeaderMap | Mapping[str, str] | None = None,
    dry_run: bool = False,
    reported_on: date | None = None,
    sheet: str | None = None,
    unit: str | None = None,
    recorded_at: Recorded = None,
    on_progress: ProgressHook | None = None,
    year: int | None = None,
) -> ImportResult:
    """Import the progress sheet in ``path`` (.xlsx or .csv) into ``store``.

    ``period`` is the month of rows without a 月份 cell; ``reported_on`` the day of rows
    without a 报送日期 cell (default: the day recorded; a report the ledger has keeps the
    day it arrived). A month the title names ("2013年6月…", "2013年1-6月…") that a 月份
    cell or ``period`` contradicts is an error, as is a 项目名称 that is not the name of
    the project its 项目编号 names (written short or long is fine). ``headers``, ``sheet`` and
    ``unit`` are as for :func:`~townplan.io.import_register`; ``recorded_at`` dates the
    entries (default: now). Every problem of the file is raised at once; ``dry_run``
    checks everything and reports what would be done. ``on_progress`` is told ``(done,
    total)`` as for :func:`~townplan.io.import_register`: each row checked and written.

    A wide sheet — one pair of columns per month, "1月形象进度" | "1月实际完成投资" …
    (:mod:`~townplan.io.sheets.wide`) — is told by its header and gives one report per
    project and month with a figure or a note; the months' year is ``year``, else the
    title's ("2013年重点项目建设进度表"), else the sheet's name. ``period`` then imports
    that month alone (the other months' columns are listed as not used). Its
    自开始累计完成投资 is the cumulative of the row's last month with a figure; the other
    months keep the cumulative the ledger has.
    """
    month = _month_argument(period)
    header_map = as_header_map(_DEFAULT, headers)
    table = read_table(
        path, headers=header_map, required=(_REQUIRED, *MONTH_REQUIRED), sheet=sheet, unit=unit
    )  # fmt: skip
    wide = months(table.columns)
    if table.header_row is None or not (table.columns.keys() >= _REQUIRED or wide):
        raise ValidationError(in_sheet_order(table.problems))
    problems = list(table.problems)
    by = "project" if "project" in table.columns else "name"
    if by not in table.columns:
        expected = "a column headed 项目编号 (or 项目名称)"
        problems.append(FieldError(None, "project", None, expected, table.sheet, table.header_row))
    months_read: tuple[int, ...] = ()
    title_month: tuple[Period, Period] | None = None
    if year is not None and not wide:
        expected = "a sheet with a pair of columns per month (year= is for those)"
        problems.append(FieldError(None, "year", year, expected, table.sheet, table.header_row))
    if wide:
        months_read, month, year = wide_plan(table, wide, month, year, problems)
    else:
        span = _title_month(table)
        if month is not None and span is not None and not span[0] <= month <= span[1]:
            expected = f"the month the title names ({_months(span)}), or no period="
            problems.append(FieldError(None, "period", str(month), expected, table.sheet))
        elif month is None and "period" not in table.columns:
            month = span[1] if span else None  # the title's (last) month
            if month is None:
                expected = (
                    "a 月份 column, a month in the title (2013年6月…) or period= for the import"
                )
                problems.append(FieldError(None, "period", None, expected, table.sheet))
        elif month is None:
            title_month = span  # a 月份 column's cells must agree with the title
    if problems:
        raise ValidationError(in_sheet_order(problems))
    known = _projects(store, by, [c for r in table.rows if (c := cell(r, by))])
    fields = [month_field("completed", m) for m in months_read] if wide else ["completed"]
    amounts = MoneyColumns(
        table, (*fields, "cumulative"), signed=fields, skip=bad_columns(table)
    )  # fmt: skip
    context = _Sheet(table, by, known, month, reported_on, amounts, wide, year, title_month)
    # each row checked, then each report written: at most one per month a row may hold
    tally = Tally(on_progress, len(table.rows) * (1 + max(1, len(months_read))))
    conflicts: list[FieldError] = []
    reports: list[ProgressReport] = []
    skipped: list[int] = []
    seen: dict[Key, int] = {}
    dated: set[Key] = set()  # the reports whose row has a 报送日期 cell of its own
    year_to_date: dict[Key, Money] = {}  # a row's 本年累计, to compare with the ledger's
    for row in counted(table.rows, tally):
        found = _reports(context, row, problems, conflicts)
        if found is None:
            skipped.append(row.number)
        for report in found or ():
            key = (report.project, str(report.period))
            if key in seen:
                expected = f"one report per project and month (row {seen[key]} has it)"
                problems.append(row.error(by, expected))
                continue
            seen[key] = row.number
            reports.append(report)
            if cell(row, "reported_on") is not None:
                dated.add(key)
            if not wide and (stated := _stated_year_to_date(table, row)) is not None:
                year_to_date[key] = stated
    if problems:
        raise ValidationError(in_sheet_order([*problems, *conflicts]))
    if conflicts:
        raise ConflictError(
            f"{len(conflicts)} cell(s) conflict with the ledger", in_sheet_order(conflicts)
        )
    existing = _reported(store, reports)
    if wide:  # a month the sheet gives no cumulative for keeps the ledger's
        reports = [_keep_cumulative(r, existing.get(_key(r))) for r in reports]
    # a report the ledger has keeps the day it arrived unless its row gives another: the
    # sheet sent again (reported_on= its new day) changes only the figures it changes
    reports = [
        attrs.evolve(r, reported_on=old.reported_on)
        if (old := existing.get(_key(r))) is not None and _key(r) not in dated
        else r
        for r in reports
    ]
    new = [r for r in reports if _key(r) not in existing]
    differs = _year_to_date_differs(store, reports, year_to_date) if year_to_date else ()
    changed = [r for r in reports if _key(r) in existing and _differs(existing[_key(r)], r)]
    unused = {f for f in table.columns if f in _READER or unread_month(f, months_read)}
    mapping = tuple(m for m in mapping_of(table) if m[2] not in unused)
    result = ImportResult(
        "progress", table.source, table.sheet, dry_run,
        added=tuple(_name(r) for r in new),
        changed=tuple(_name(r) for r in changed),
        unchanged=tuple(
            _name(r) for r in reports if _key(r) in existing and not _differs(existing[_key(r)], r)
        ),
        skipped_rows=tuple(skipped),
        changes={_name(r): _differs(existing[_key(r)], r) for r in changed},
        ignored_columns=table.ignored_with(unused), hidden_sheets=table.hidden_sheets,
        other_sheets=table.other_sheets,
        encoding=table.encoding,
        mapping=mapping, unitless=unitless_of(mapping, header_map),
        year_to_date_differs=differs,
    )  # fmt: skip
    if not dry_run and result.wrote:
        when = recorded_at or datetime.now(LOCAL_TIME)  # one record time for the whole file
        with store.transaction():
            if new:
                store.record_progress_many(counted(new, tally), recorded_at=when)
            for report in counted(changed, tally):
                store.correct_progress(report, recorded_at=when)
    tally.finish()
    return result


def _month_argument(period: Period | str | None) -> Period | None:
    if period is None:
        return None
    try:
        month = Period.parse(period)
    except ValidationError as err:
        raise ValidationError.single(
            record="import_progress", field="period", value=period, expected=err.expected
        ) from None
    if month.kind is not PeriodKind.MONTH:
        raise ValidationError.single(
            record="import_progress", field="period", value=period,
            expected="a month such as '2013-06' or '2013年6月'",
        )  # fmt: skip
    return month


def _title_month(table: Table) -> tuple[Period, Period] | None:
    """The months named above the header or by the sheet: ("2013年6月重大项目进度表") one
    month, first and last the same; ("2013年1-6月…") the months to date, January to June."""
    for text in [*title_texts(table), unicodedata.normalize("NFKC", table.sheet)]:
        found = _TITLE_MONTH.search(text)
        if found:
            year, month = (found[1], found[3]) if found[1] else (found[4], found[5])
            first = int(found[2]) if found[1] and found[2] else int(month)
            if 1 <= first <= int(month) <= 12:
                return Period.month(int(year), first), Period.month(int(year), int(month))
    return None


def _projects(store: LedgerStore, by: str, values: Iterable[str]) -> dict[str, list[_Project]]:
    """Ledger projects by code (or by name), as of the store's cut."""
    sql, params = store.relation("projects")
    column = "code" if by == "project" else "name"
    cursor = store.db.execute(
        f"SELECT {column}, code, currency, name FROM ({sql}) "
        f"WHERE {column} IN (SELECT value FROM json_each(:values))",
        {**params, "values": json.dumps(sorted(set(values)), ensure_ascii=False)},
    )
    found: dict[str, list[_Project]] = {}
    for key, code, currency, name in cursor:
        found.setdefault(key, []).append(_Project(code, currency, name))
    return found


def _stated_year_to_date(table: Table, row: Row) -> Money | None:
    """The 本年累计 a row states (``None`` for a blank or unreadable cell: that column is
    for the reader, checked against a 合计 row, not imported)."""
    if cell(row, "year_to_date") is None:
        return None
    try:
        return table.money(row, "year_to_date")
    except ValidationError:
        return None


def _year_to_date_differs(
    store: LedgerStore, reports: Iterable[ProgressReport], stated: Mapping[Key, Money]
) -> tuple[str, ...]:
    """The reports (``"<code> <month>"``) whose row's 本年累计 is not the ledger's months
    of that year summed to the report's month, this sheet's reports in place of the
    ledger's: most often the ledger lacks the months before (a town that starts its ledger
    in June), or a month was reported twice over."""
    mine = [r for r in reports if _key(r) in stated]
    if not mine:
        return ()
    sql, params = store.relation("progress")
    years = sorted({r.period.start.year for r in mine})
    cursor = store.db.execute(
        f"SELECT * FROM ({sql}) WHERE project IN (SELECT value FROM json_each(:projects)) "
        "AND substr(period, 1, 4) IN (SELECT value FROM json_each(:years))",
        {**params, "projects": json.dumps(sorted({r.project for r in mine}), ensure_ascii=False),
         "years": json.dumps([str(y) for y in years])},
    )  # fmt: skip
    names = [d[0] for d in cursor.description]
    months = {
        _key(r): r for r in (progress_from_row(dict(zip(names, v, strict=True))) for v in cursor)
    }
    months.update({_key(r): r for r in reports})  # the sheet's in place of the ledger's
    found = []
    for report in mine:
        year, month = report.period.start.year, report.period.start.month
        total = Money.zero(report.completed.currency)
        for m in range(1, month + 1):
            other = months.get((report.project, str(Period.month(year, m))))
            if other is not None:
                total += other.completed
        if total != stated[_key(report)]:
            found.append(_name(report))
    return tuple(found)


def _same_name(written: str, name: str) -> bool:
    """Whether a row's 项目名称 can be the name of the project its code names: the same
    (full-width, spaces aside), or one written short for the other.

    >>> _same_name("古镇大道 改造", "古镇大道改造"), _same_name("古镇大道改造工程", "古镇大道改造")
    (True, True)
    >>> _same_name("滨河公园", "古镇大道改造")
    False
    """
    a, b = ("".join(unicodedata.normalize("NFKC", t).split()) for t in (written, name))
    return a in b or b in a


def _reports(
    sheet: _Sheet, row: Row, problems: list[FieldError], conflicts: list[FieldError]
) -> list[ProgressReport] | None:
    """The reports ``row`` gives (none when it has problems); ``None`` when it reports
    nothing at all."""
    if sheet.months:
        fields = [month_field(k, m) for m in sheet.months for k in ("completed", "note")]
    else:
        fields = ["completed", "note"]
    if all(cell(row, f) is None for f in (*fields, "cumulative")):
        return None
    before = len(problems)
    project = _project(sheet, row, problems, conflicts)
    money = sheet.amounts.read(row, problems, project.currency if project else None)
    for field, amount in money.given.items():
        if project is not None and amount.currency != project.currency:
            problems.append(row.error(field, f"an amount in the project's {project.currency}"))
    day = sheet.reported_on
    text = cell(row, "reported_on")
    if text is not None:
        day = parse_day(text)
        if day is None:
            problems.append(row.error("reported_on", "a date such as 2013-07-05"))
    if sheet.months:
        return _month_reports(sheet, row, project, money, day, problems, before)
    period = _row_month(row, sheet.month, problems, sheet.titled)
    completed = money.get("completed")
    if len(problems) > before or project is None or period is None or completed is None:
        return []
    return _built(row, problems, project=project.code, period=period, completed=completed,
                  cumulative=money.given.get("cumulative"), note=cell(row, "note") or "",
                  reported_on=day)  # fmt: skip


def _month_reports(
    sheet: _Sheet,
    row: Row,
    project: _Project | None,
    money: RowMoney,
    day: date | None,
    problems: list[FieldError],
    before: int,
) -> list[ProgressReport] | None:
    """A wide row's reports: one per month with a figure or a note; the cumulative on
    the row's last such month."""
    given = [
        m for m in sheet.months
        if cell(row, month_field("completed", m)) or cell(row, month_field("note", m))
    ]  # fmt: skip
    last = max(given, default=None)
    read = [m for m in given if sheet.month is None or m == sheet.month.start.month]
    if not read:
        return None if len(problems) == before else []
    if len(problems) > before or project is None or sheet.year is None:
        return []
    reports: list[ProgressReport] = []
    for month in read:
        field = month_field("completed", month)
        # a month with a 形象进度 column and no amount column reports no investment
        completed = money.get(field) if field in sheet.table.columns else Money.zero(money.currency)
        if completed is None:
            continue
        reports += _built(
            row, problems, project=project.code, period=Period.month(sheet.year, month),
            completed=completed, note=cell(row, month_field("note", month)) or "",
            cumulative=money.given.get("cumulative") if month == last else None,
            reported_on=day,
        )  # fmt: skip
    return reports


def _project(
    sheet: _Sheet, row: Row, problems: list[FieldError], conflicts: list[FieldError]
) -> _Project | None:
    """The ledger's project that ``row`` names, by code or by name."""
    by = sheet.by
    key = cell(row, by)
    matches = sheet.known.get(key or "", [])
    if key is None:
        problems.append(row.error(by, "a project code"))
    elif not matches:
        conflicts.append(row.error(by, "a project in the ledger"))
    elif len(matches) > 1:
        codes = "、".join(p.code for p in matches)
        problems.append(row.error(by, f"a name that names one project (it names {codes})"))
    elif by == "project" and (written := cell(row, "name")) is not None:
        project = matches[0]
        if not _same_name(written, project.name):  # the code and the name disagree
            expected = f"the name of project {project.code} ({project.name}), or no name"
            problems.append(row.error("name", expected))
            return None
    return matches[0] if len(matches) == 1 else None


def _built(row: Row, problems: list[FieldError], **values: object) -> list[ProgressReport]:
    try:
        return [ProgressReport(**values)]  # type: ignore[arg-type]
    except ValidationError as err:
        problems.extend(row.error(e.field or "project", e.expected, e.value) for e in err.errors)
        return []


def _keep_cumulative(report: ProgressReport, old: ProgressReport | None) -> ProgressReport:
    if report.cumulative is not None or old is None or old.cumulative is None:
        return report
    return attrs.evolve(report, cumulative=old.cumulative)


def _row_month(
    row: Row,
    month: Period | None,
    problems: list[FieldError],
    titled: tuple[Period, Period] | None = None,
) -> Period | None:
    text = cell(row, "period")
    if text is None:
        if month is None:
            problems.append(row.error("period", "a month such as 2013-06"))
        return month
    found: Period | None
    try:
        found = Period.parse(text)
    except ValidationError:
        # A month column Excel or WPS formats as 年月 holds the first day of the month.
        found = _first_of_month(text)
    if found is None or found.kind is not PeriodKind.MONTH:
        problems.append(row.error("period", "a month such as 2013-06 or 2013年6月"))
        return None
    if month is not None and found != month:
        problems.append(row.error("period", f"the month {month} the import was given"))
        return None
    if titled is not None and not titled[0] <= found <= titled[1]:
        problems.append(row.error("period", f"the month the title names ({_months(titled)})"))
        return None
    return found


def _months(span: tuple[Period, Period]) -> str:
    """A title's months as errors name them: "2013-06", or "2013-01–2013-06"."""
    return str(span[1]) if span[0] == span[1] else f"{span[0]}–{span[1]}"


def _first_of_month(text: str) -> Period | None:
    """The month of a 月份 cell Excel or WPS formats as 年月: it holds the month's first day."""
    day = parse_day(text)
    if day is None or day.day != 1:
        return None
    try:
        return Period.of(day)
    except ValidationError:  # a year the ledger does not take, e.g. 3013
        return None


def _reported(store: LedgerStore, reports: Iterable[ProgressReport]) -> dict[Key, ProgressReport]:
    """The ledger's reports in force (corrections applied) for the projects and months of
    ``reports``, by project and month."""
    keys = {_key(r) for r in reports}
    sql, params = store.relation("progress")
    cursor = store.db.execute(
        f"SELECT * FROM ({sql}) WHERE project IN (SELECT value FROM json_each(:projects)) "
        "AND period IN (SELECT value FROM json_each(:periods))",
        {
            **params,
            "projects": json.dumps(sorted({k[0] for k in keys}), ensure_ascii=False),
            "periods": json.dumps(sorted({k[1] for k in keys})),
        },
    )
    names = [d[0] for d in cursor.description]
    reports = (progress_from_row(dict(zip(names, values, strict=True))) for values in cursor)
    return {_key(r): r for r in reports}


def _key(report: ProgressReport) -> Key:
    return report.project, str(report.period)


def _name(report: ProgressReport) -> str:
    return f"{report.project} {report.period}"


def _differs(old: ProgressReport, new: ProgressReport) -> tuple[str, ...]:
    """The fields the file changes; a report day counts only when the file gives one."""
    fields: list[str] = [f for f in _COMPARED if getattr(old, f) != getattr(new, f)]
    if new.reported_on is not None and new.reported_on != old.reported_on:
        fields.append("reported_on")
    return tuple(fields)
