"""Pieces the built-in reports share: the view a report reads, and summary tables.

Reports read the ledger only through the public query API (``ledger.query()``) and the
governance functions, so a report builder can compute anything shown here the same way.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Final

from townplan.api import Ledger
from townplan.errors import ValidationError
from townplan.model.arguments import optional_day
from townplan.model.enums import LabelledEnum
from townplan.model.money import sum_money
from townplan.model.period import Period, PeriodKind
from townplan.query.aggregate import Summary
from townplan.reports.table import Cell, Column, Kind, Table

__all__ = [
    "GRACE_DAYS",
    "in_official_order",
    "issuer_from",
    "issuer_of",
    "month_of",
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
    order = {name: n for n, name in enumerate(ledger.official_order(kind))}
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
