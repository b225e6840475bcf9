"""Pieces the built-in reports share: the view a report reads, and summary tables.

Reports read the ledger only through the public query API (``ledger.query()``) and the
governance functions, so a report builder can compute anything shown here the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import date, timedelta
from typing import Final

from townplan.api import Ledger
from townplan.errors import NotFoundError, ValidationError
from townplan.model.arguments import optional_day
from townplan.model.enums import LabelledEnum
from townplan.model.money import sum_money
from townplan.model.period import Period, PeriodKind
from townplan.query.aggregate import Summary
from townplan.reports.cn import month_runs
from townplan.reports.table import Cell, Column, Kind, Table

__all__ = [
    "GRACE_DAYS",
    "LOAD_HINT",
    "in_official_order",
    "issuer_from",
    "issuer_of",
    "month_of",
    "months_note",
    "nothing_to_report",
    "summary_table",
    "view_for",
]

#: A month's bulletin is issued this many days after the month ends by default (after the
#: 5th-day reporting deadline and a grace period), so late reports are in it as late.
GRACE_DAYS: Final = 15


def month_of(month: Period | str) -> Period:
    """The month a report is for, from ``Period`` or text like "2013-06"."""
    period = Period.parse(month)
    if period.kind is not PeriodKind.MONTH:
        raise ValidationError.single(
            record="report", field="month", value=str(month), expected="a month like 2013-06"
        )
    return period


def in_official_order(ledger: Ledger, kind: str, rows: Iterable[Summary]) -> list[Summary]:
    """Summaries by zone or unit in the order the office lists them (the ledger's
    ``official_order``); those it does not name follow in their own order (by name)."""
    return in_order(ledger.official_order(kind), rows)


def in_order(names: Sequence[str], rows: Iterable[Summary]) -> list[Summary]:
    """Summaries keyed by one name in the order of ``names``; the others follow in their
    own order."""
    order = {name: n for n, name in enumerate(names)}
    listed = list(rows)
    return sorted(listed, key=lambda s: order.get(str(s.key[0]) if s.key else "", len(order)))


def issuer_of(ledger: Ledger) -> str:
    """The office a report is issued by (发文机关): the ledger's ``issuer`` setting, else the
    town's "三重" office when the ledger names its town, else "" (the renderer's default)."""
    return issuer_from(ledger.meta())


def issuer_from(meta: Mapping[str, str | None]) -> str:
    """:func:`issuer_of` from a ledger's ``issuer`` and ``town`` settings."""
    issuer = meta.get("issuer")
    if issuer:
        return issuer
    town = meta.get("town")
    return f"{town}“三重”建设工作领导小组办公室" if town else ""


def view_for(ledger: Ledger, end: date, as_of: date | None) -> tuple[Ledger, date]:
    """The as-of view a report reads and the day it is as of (default: ``end`` + grace)."""
    asked = optional_day(as_of, record="report", field="as_of")
    day = asked or ledger.cut or end + timedelta(days=GRACE_DAYS)
    if ledger.cut is not None and day > ledger.cut:
        day = ledger.cut  # a view cannot see past its own cut
    return ledger.as_of(day), day


def nothing_to_report(
    what: tuple[str, str], day: date, missing: tuple[str, str], hint: tuple[str, str]
) -> NotFoundError:
    """The error for a report of nothing: ``what`` report (Chinese, English), the day it
    is as of, what the ledger does not hold then and what to do, in both languages (the
    Chinese in the error's details, reason ``"nothing_to_report"``).

    >>> import textwrap
    >>> err = nothing_to_report(("通报", "bulletin"), date(2020, 2, 15),
    ...                         ("2020年1月的进度月报", "progress reports for 2020-01"),
    ...                         ("请先导入进度表", "import the progress sheets first"))
    >>> print(textwrap.fill(str(err), 80))
    nothing to report in the bulletin: as known on 2020-02-15 the ledger holds no
    progress reports for 2020-01 (import the progress sheets first)
    >>> err.reason, err.details["missing_cn"]
    ('nothing_to_report', '2020年1月的进度月报')
    """
    return NotFoundError(
        f"nothing to report in the {what[1]}: as known on {day.isoformat()} the ledger "
        f"holds no {missing[1]} ({hint[1]})",
        reason="nothing_to_report", report_cn=what[0], day=day, missing_cn=missing[0],
        hint_cn=hint[0],
    )  # fmt: skip


#: What to do when a period has no data: load it, with its record times for a past year.
LOAD_HINT: Final = {
    "register": (
        "请先导入项目库；补录往年数据时用 --recorded-at 注明录入日期",
        "import the register first; loading a past year, give its record time with "
        "--recorded-at or recorded_at=",
    ),
    "progress": (
        "请先导入进度表；补录往年数据时用 --recorded-at 注明录入日期",
        "import the progress sheets first; loading a past year, give their record time "
        "with --recorded-at or recorded_at=",
    ),
}


def months_note(lacking: Iterable[Period], then_cn: str, then_en: str) -> tuple[str, str]:
    """The note (Chinese, English) that the ledger holds no reports of ``lacking`` months.

    >>> cn, en = months_note([Period.parse("2013-01"), Period.parse("2013-02")], "不计未报",
    ...                      "not scored")
    >>> cn
    '注：台账中没有2013年1-2月的进度月报，不计未报。'
    >>> en
    'Note: the ledger holds no progress reports for 2013-01 to 2013-02; not scored.'
    """
    months = list(lacking)
    return (f"注：台账中没有{month_runs(months)}的进度月报，{then_cn}。",
            f"Note: the ledger holds no progress reports for {month_runs(months, 'en')}; "
            f"{then_en}.")  # fmt: skip


def _label(value: object) -> Cell:
    if value is None:
        return "（未填）"
    if isinstance(value, LabelledEnum | str | int):
        return value
    return str(value)


def summary_table(
    key: str,
    title_cn: str,
    title_en: str,
    header: tuple[str, str],
    rows: Iterable[Summary],
    *,
    lights: bool = True,
) -> Table:
    """A plan-vs-completed table, one row per summary group and currency, with a total row
    per currency when there is more than one group."""
    columns = [
        Column("key", header[0], header[1], Kind.LABEL),
        Column("count", "项目数", "Projects", Kind.INT),
        Column("planned", "年度计划投资", "Annual plan", Kind.MONEY),
        Column("year_to_date", "本年完成投资", "Completed this year", Kind.MONEY),
        Column("rate", "完成率", "Completion", Kind.RATE),
        Column("remaining", "尚需完成", "Remaining", Kind.MONEY),
    ]
    if lights:
        columns += [
            Column("red", "红灯", "Red", Kind.INT),
            Column("amber", "黄灯", "Amber", Kind.INT),
        ]
    summaries = list(rows)
    body = [_summary_cells(s, lights) for s in summaries]
    total = None
    currencies = {s.currency for s in summaries}
    if len(summaries) > 1 and len(currencies) == 1:
        (currency,) = currencies
        planned = sum_money((s.planned for s in summaries), currency)
        done = sum_money((s.year_to_date for s in summaries), currency)
        total_cells: list[Cell] = [
            "合计", sum(s.count for s in summaries), planned, done,
            done.amount / planned.amount if planned.amount else None,
            sum_money((s.remaining for s in summaries), currency),
        ]  # fmt: skip
        if lights:
            total_cells += [
                sum(s.red or 0 for s in summaries),
                sum(s.amber or 0 for s in summaries),
            ]
        total = tuple(total_cells)
    return Table(key, title_cn, title_en, tuple(columns), tuple(body), total)


def _summary_cells(s: Summary, lights: bool) -> tuple[Cell, ...]:
    cells: list[Cell] = [
        _label(s.key[0] if s.key else None), s.count, s.planned, s.year_to_date, s.rate,
        s.remaining,
    ]  # fmt: skip
    if lights:
        cells += [s.red or 0, s.amber or 0]
    return tuple(cells)
