"""Standings, statistics counts (入统) and attraction deals in the ledger: typed tables,
appended, read as of a day like everything else.

As of a day, a standing counts once announced and recorded by then; a month's counted
investment is the latest figure reported and recorded by then; a deal is known once
recorded, and capital used once it arrived and was recorded. Statuses, deal stages and a
deal's project are dated entries (see :mod:`townplan.governance.outcomes`).

>>> import townplan as tp
>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> ledger.add_standings([tp.Standing(code="S1", body="东莞市", assessment="“三重”建设",
...     year=2012, rank=1, announced_on=date(2013, 1, 18))], recorded_at=date(2013, 1, 20))
1
>>> [s.text_cn() for s in ledger.standings()], ledger.as_of(date(2013, 1, 19)).standings()
(['东莞市“三重”建设第1名'], [])
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Any, Protocol, TypeVar

from townplan.errors import ConflictError, FieldError
from townplan.ledger.base import Recorded, as_recorded_at
from townplan.ledger.reads import LedgerReader
from townplan.ledger.reference import owner_problems, typed_items
from townplan.ledger.rows import target_from_row
from townplan.model.money import Money
from townplan.model.outcomes import Deal, Standing, StatsCount, Utilisation
from townplan.model.period import Period
from townplan.model.records import Indicator

__all__ = ["OutcomesLedger"]


class _Coded(Protocol):
    @property
    def code(self) -> str: ...


C = TypeVar("C", bound=_Coded)


class OutcomesLedger(LedgerReader):
    """Reads and writes of standings, statistics counts and deals (a part of LedgerStore)."""

    # --- indicators --------------------------------------------------------------------------
    def indicators(self, *, measures: bool = True) -> list[Indicator]:
        """Every indicator: the targets and the statistics, by code, then (unless
        ``measures`` is False) each measure of a task as an indicator of its own — code
        ``<task>.<n>``, the task's ``n``-th target (11项 is ``T04.1``, 32公里 ``T04.2``), due
        with the task."""
        found = [target_from_row(r) for r in self.known("targets", order_by="code")]
        if not measures:
            return found
        for m in self.tasks():
            for n, measure in enumerate(m.targets, start=1):
                found.append(Indicator(
                    code=f"{m.code}.{n}", indicator=m.text, year=m.deadline.due.year,
                    direction=measure.direction, value=measure.value, unit=measure.unit,
                    task=m.code, aspirational=m.deadline.aspirational,
                ))  # fmt: skip
        return found

    # --- standings --------------------------------------------------------------------------
    def add_standings(self, standings: Iterable[Standing], *, recorded_at: Recorded = None) -> int:
        """Add the town's standings in assessments of other bodies; a code already known is
        a conflict. Returns how many."""
        columns = ("code", "body", "assessment", "year", "rank", "out_of", "announced_on")
        return self._add_coded(
            "standings", Standing, standings, columns, recorded_at,
            lambda s: (s.code, s.body, s.assessment, s.year, s.rank, s.out_of,
                       s.announced_on.isoformat()),
        )  # fmt: skip

    def standings(self, year: int | None = None) -> list[Standing]:
        """Standings announced and recorded by the cut (for ``year``), by year and code."""
        rows = self.known("standings", order_by="year, code", year=year)
        return [
            Standing(
                code=r["code"], body=r["body"], assessment=r["assessment"], year=r["year"],
                rank=r["rank"], out_of=r["out_of"],
                announced_on=date.fromisoformat(r["announced_on"]),
            )
            for r in rows
        ]  # fmt: skip

    # --- statistics counts --------------------------------------------------------------------
    def record_stats_counts(
        self, counts: Iterable[StatsCount], *, recorded_at: Recorded = None
    ) -> int:
        """Record the investment the statistics counted per project and month; a later
        figure for the same month replaces the earlier from when it is reported."""
        self._writable()
        items = typed_items(counts, StatsCount)
        stamp = as_recorded_at(recorded_at)
        with self.transaction():
            currencies = {
                r[0]: r[1] for r in self._db.execute("SELECT code, currency FROM projects")
            }
            problems = []
            for c in items:
                record = f"StatsCount {c.project} {c.period}"
                problems += owner_problems(
                    record, "project", c.project, c.amount, currencies, "project"
                )
            if problems:
                raise ConflictError(f"{len(problems)} statistics count(s) conflict", problems)
            self._db.conn.executemany(
                "INSERT INTO stats_counts (project, period, currency, amount_fen, reported_on, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(c.project, str(c.period), c.amount.currency, c.amount.fen(),
                  c.reported_on.isoformat(), stamp) for c in items],
            )  # fmt: skip
        return len(items)

    def stats_counts(self, project: str | None = None) -> list[StatsCount]:
        """The counted investment in force at the cut (of ``project``), by project and month."""
        rows = self.known("stats_counts", order_by="project, period", project=project)
        return [
            StatsCount(project=r["project"], period=Period.parse(r["period"]),
                       amount=Money.from_fen(r["amount_fen"], r["currency"]),
                       reported_on=date.fromisoformat(r["reported_on"]))
            for r in rows
        ]  # fmt: skip

    # --- deals -----------------------------------------------------------------------------------
    def add_deals(self, deals: Iterable[Deal], *, recorded_at: Recorded = None) -> int:
        """Add attraction deals (招商项目); a code already known is a conflict. Returns how
        many."""
        columns = ("code", "name", "origin", "investor", "currency", "contract_fen")
        return self._add_coded(
            "deals", Deal, deals, columns, recorded_at,
            lambda d: (d.code, d.name, d.origin, d.investor, d.currency,
                       None if d.contract is None else d.contract.fen()),
        )  # fmt: skip

    def deals(self) -> list[Deal]:
        """The deals recorded by the cut, by code."""
        rows = self.known("deals", order_by="code")
        return [deal_from_row(r) for r in rows]

    def record_utilisations(
        self, used: Iterable[Utilisation], *, recorded_at: Recorded = None
    ) -> int:
        """Record capital deals actually used (实际利用), each in its deal's currency."""
        self._writable()
        items = typed_items(used, Utilisation)
        stamp = as_recorded_at(recorded_at)
        with self.transaction():
            currencies = {r[0]: r[1] for r in self._db.execute("SELECT code, currency FROM deals")}
            problems = []
            for u in items:
                record = f"Utilisation {u.deal} {u.received_on}"
                problems += owner_problems(record, "deal", u.deal, u.amount, currencies, "deal")
            if problems:
                raise ConflictError(f"{len(problems)} utilisation(s) conflict", problems)
            self._db.conn.executemany(
                "INSERT INTO deal_utilisations (deal, received_on, currency, amount_fen, "
                "recorded_at) VALUES (?, ?, ?, ?, ?)",
                [(u.deal, u.received_on.isoformat(), u.amount.currency, u.amount.fen(), stamp)
                 for u in items],
            )  # fmt: skip
        return len(items)

    def utilisations(self, deal: str | None = None) -> list[Utilisation]:
        """Capital used that arrived and was recorded by the cut (of ``deal``), oldest first."""
        rows = self.known("deal_utilisations", order_by="received_on, id", deal=deal)
        return [
            Utilisation(deal=r["deal"], received_on=date.fromisoformat(r["received_on"]),
                        amount=Money.from_fen(r["amount_fen"], r["currency"]))
            for r in rows
        ]  # fmt: skip

    # --- helpers ---------------------------------------------------------------------------------
    def _add_coded(
        self, table: str, cls: type[C], records: Iterable[C], columns: tuple[str, ...],
        recorded_at: Recorded, values: Callable[[C], tuple[Any, ...]],
    ) -> int:  # fmt: skip
        """Insert records of ``cls`` known by a code new to ``table`` (and to the batch),
        one row each of ``columns`` (``values`` of a record) and its record time; a code
        already used is a conflict and nothing is written. Returns how many."""
        self._writable()
        items: list[C] = typed_items(records, cls)
        stamp = as_recorded_at(recorded_at)
        marks = ", ".join("?" for _ in (*columns, "recorded_at"))
        with self.transaction():
            known = {r[0] for r in self._db.execute(f"SELECT code FROM {table}")}
            _unique(cls.__name__, [item.code for item in items], known)
            rows = [(*values(item), stamp) for item in items]
            self._db.conn.executemany(
                f"INSERT INTO {table} ({', '.join(columns)}, recorded_at) VALUES ({marks})", rows
            )
        return len(items)


def deal_from_row(r: Mapping[str, Any]) -> Deal:
    """A :class:`Deal` from a ``deals`` row."""
    contract = (
        None if r["contract_fen"] is None else Money.from_fen(r["contract_fen"], r["currency"])
    )
    return Deal(code=r["code"], name=r["name"], origin=r["origin"], investor=r["investor"],
                contract=contract, currency=r["currency"])  # fmt: skip


def _unique(kind: str, codes: list[str], known: set[str]) -> None:
    seen = set(known)
    problems = []
    for code in codes:
        if code in seen:
            problems.append(
                FieldError(f"{kind} {code}", "code", code, "a code not already in the ledger")
            )
        seen.add(code)
    if problems:
        raise ConflictError(f"{len(problems)} {kind.lower()}(s) conflict with the ledger", problems)
