"""The statistics registration (入统) of projects and the attraction pipeline (招商引资),
from the ledger's dated records.

A project's status in the statistics and a deal's stages and project are entries (kinds
:data:`STATS_STATUS`, :data:`DEAL_STAGE`, :data:`DEAL_PROJECT`); the latest effective by
the day asked decides. The year's attraction totals come from the deals: a contract
counts in the year it is signed (签约), capital used on the day it arrives.

>>> import townplan as tp
>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_deals([tp.Deal(code="D1", name="中远海洋工程", origin="foreign",
...                           contract=tp.Money.parse("1.27亿美元"))])
>>> record_deal_stage(ledger, "D1", "签约", on=date(2012, 5, 8))
>>> ledger.record_utilisations([tp.Utilisation(deal="D1", received_on=date(2012, 9, 1),
...                                            amount=tp.Money.parse("7900万美元"))])
1
>>> totals = deal_totals(ledger, 2012)
>>> [totals[(kind, "foreign")]["USD"].format_cn() for kind in ("contracted", "utilised")]
['1.27亿美元', '7900万美元']
>>> deal_totals(ledger, 2013)
{}
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from townplan.errors import ConflictError, FieldError, NotFoundError
from townplan.governance.base import evaluation_day
from townplan.ledger import LedgerStore
from townplan.ledger.base import Recorded
from townplan.model.money import Money
from townplan.model.outcomes import Deal, DealStage, StatsStatus

__all__ = [
    "DEAL_PROJECT",
    "DEAL_STAGE",
    "STATS_STATUS",
    "DealStatus",
    "StatsLine",
    "deal_statuses",
    "deal_totals",
    "link_deal",
    "not_in_statistics",
    "record_deal_stage",
    "set_stats_status",
    "statistics",
]

#: Entry kinds: a project's status in the statistics, a deal's stage, a deal's project.
STATS_STATUS = "stats_status"
DEAL_STAGE = "deal_stage"
DEAL_PROJECT = "deal_project"


def set_stats_status(
    store: LedgerStore,
    project: str,
    status: StatsStatus | str,
    *,
    on: date,
    note: str = "",
    recorded_at: Recorded = None,
) -> None:
    """Record that ``project`` has ``status`` (拟入统 / 已入统 / 在统 / 出统) from ``on``."""
    chosen = StatsStatus.parse(status, record=f"Project {project}", field="status")
    with store.transaction():
        store.project(project)  # NotFoundError names an unknown project
        store.append_entry(STATS_STATUS, project, on, {"status": chosen.value}, note=note,
                           recorded_at=recorded_at)  # fmt: skip


def record_deal_stage(
    store: LedgerStore,
    deal: str,
    stage: DealStage | str,
    *,
    on: date,
    note: str = "",
    recorded_at: Recorded = None,
) -> None:
    """Record that ``deal`` reached ``stage`` on ``on``; signing needs a contract value."""
    chosen = DealStage.parse(stage, record=f"Deal {deal}", field="stage")
    with store.transaction():
        found = _deal(store, deal)
        if chosen is not DealStage.NEGOTIATING and found.contract is None:
            raise ConflictError(
                f"Deal {deal}: {chosen.label_cn} without a contract value",
                [FieldError(f"Deal {deal}", "contract", None, "the contracted value (合同金额)")],
            )
        store.append_entry(DEAL_STAGE, deal, on, {"stage": chosen.value}, note=note,
                           recorded_at=recorded_at)  # fmt: skip


def link_deal(
    store: LedgerStore, deal: str, project: str, *, on: date, recorded_at: Recorded = None
) -> None:
    """Record that ``deal`` became project ``project`` (in the register) on ``on``."""
    with store.transaction():
        _deal(store, deal)
        store.project(project)
        store.append_entry(DEAL_PROJECT, deal, on, {"project": project}, recorded_at=recorded_at)


def _deal(store: LedgerStore, code: str) -> Deal:
    for d in store.deals():
        if d.code == code:
            return d
    raise NotFoundError(f"no deal with code {code!r}", reason="not_found", record="deal", key=code)


@attrs.frozen
class DealStatus:
    """A deal as it stands on a day: its stage (and since when), the day it was signed,
    its project, and the capital it used in all."""

    deal: Deal
    stage: DealStage | None
    stage_on: date | None
    signed_on: date | None
    project: str | None
    utilised: Money


def deal_statuses(store: LedgerStore, *, on: date | None = None) -> list[DealStatus]:
    """Every deal as it stands on ``on``, by code."""
    day = evaluation_day(store, on)
    stages: dict[str, list[tuple[date, DealStage]]] = {}
    for e in store.entries(kind=DEAL_STAGE):
        if e.effective_on <= day:
            stages.setdefault(e.subject, []).append((e.effective_on, DealStage(e.payload["stage"])))
    projects = {e.subject: e.payload["project"] for e in store.entries(kind=DEAL_PROJECT)
                if e.effective_on <= day}  # fmt: skip
    used: dict[str, Money] = {}
    for u in store.utilisations():
        if u.received_on <= day:
            used[u.deal] = used.get(u.deal, Money.zero(u.amount.currency)) + u.amount
    result = []
    for d in store.deals():
        seen = stages.get(d.code, [])
        latest = seen[-1] if seen else (None, None)
        signed = [when for when, s in seen if s is DealStage.SIGNED]
        spent = used.get(d.code, Money.zero(d.currency))
        first_signed = signed[0] if signed else None
        result.append(
            DealStatus(d, latest[1], latest[0], first_signed, projects.get(d.code), spent)
        )
    return result


def deal_totals(
    store: LedgerStore, year: int, *, on: date | None = None
) -> dict[tuple[str, str], dict[str, Money]]:
    """The year's attraction from the deals, per (kind, origin) and currency: contracts of
    deals signed in ``year``, capital used in ``year`` (up to ``on``)."""
    day = min(evaluation_day(store, on), date(year, 12, 31))
    totals: dict[tuple[str, str], dict[str, Money]] = {}

    def add(kind: str, origin: str, money: Money) -> None:
        per = totals.setdefault((kind, origin), {})
        per[money.currency] = per.get(money.currency, Money.zero(money.currency)) + money

    for status in deal_statuses(store, on=day):
        d = status.deal
        if status.signed_on is not None and status.signed_on.year == year and d.contract:
            add("contracted", d.origin, d.contract)
    origins = {d.code: d.origin for d in store.deals()}
    for u in store.utilisations():
        if u.received_on.year == year and u.received_on <= day and u.deal in origins:
            add("utilised", origins[u.deal], u.amount)
    return totals


@attrs.frozen
class StatsLine:
    """One project in the fixed-asset investment statistics for a year, on a day: its
    status (and since when), the investment completed (from its progress reports) and the
    investment the statistics counted; ``gap`` is completed − counted, at least zero."""

    project: str
    name: str
    status: StatsStatus | None
    status_on: date | None
    completed: Money
    counted: Money

    @property
    def gap(self) -> Money:
        """Completed investment the statistics do not (yet) count."""
        if self.completed.currency != self.counted.currency or self.counted >= self.completed:
            return Money.zero(self.completed.currency)
        return self.completed - self.counted


def statistics(store: LedgerStore, year: int, *, on: date | None = None) -> list[StatsLine]:
    """Per project of the register: its statistics status on ``on`` and, for ``year``, the
    investment completed (progress reports) and counted (statistics) as reported by
    ``on``, by code."""
    day = evaluation_day(store, on)
    status: dict[str, tuple[date, StatsStatus]] = {}
    for e in store.entries(kind=STATS_STATUS):
        if e.effective_on <= day:
            status[e.subject] = (e.effective_on, StatsStatus(e.payload["status"]))
    completed = _by_project(
        (r.project, r.completed) for r in store.progress()
        if r.period.year == year and r.reported_on is not None and r.reported_on <= day
    )  # fmt: skip
    counted = _by_project(
        (c.project, c.amount) for c in store.stats_counts()
        if c.period.year == year and c.reported_on <= day
    )  # fmt: skip
    lines = []
    for p in store.projects():
        when, state = status.get(p.code, (None, None))
        zero = Money.zero(p.currency)
        lines.append(StatsLine(p.code, p.name, state, when, completed.get(p.code, zero),
                               counted.get(p.code, zero)))  # fmt: skip
    return lines


def not_in_statistics(store: LedgerStore, year: int, *, on: date | None = None) -> list[StatsLine]:
    """Projects whose completed investment of ``year`` the statistics do not count in full
    (已完成未入统): not registered, removed, or counted for less than was completed."""
    return [line for line in statistics(store, year, on=on) if line.gap]


def _by_project(pairs: Iterable[tuple[str, Money]]) -> dict[str, Money]:
    sums: dict[str, Money] = {}
    for project, money in pairs:
        sums[project] = sums.get(project, Money.zero(money.currency)) + money
    return sums
