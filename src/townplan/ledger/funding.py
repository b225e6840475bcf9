"""Funding in the ledger: the sources codelist, funding plans by source, funds arrived.

Every batch is checked whole before anything is written (unknown project or source, an
amount in another currency than the project's, a duplicate in the batch); one error
names every problem. As of a day, a plan is the latest recorded by then and a receipt
counts when it arrived by then *and* was recorded by then — funds that arrived in June
but were entered in August are not in the June view.

>>> import townplan as tp
>>> from datetime import date
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> ledger.add_project(tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE,
...     government_investment=tp.Money.parse("3000万元")), on=date(2013, 1, 1)).version
1
>>> ledger.plan_funding([tp.FundingPlan("P1", 2013, "city", tp.Money.parse("1200万")),
...                      tp.FundingPlan("P1", 2013, "town", tp.Money.parse("800万"))],
...                     recorded_at=date(2013, 1, 10))
2
>>> ledger.record_funds([tp.FundsReceipt("P1", "city", date(2013, 6, 20),
...     tp.Money.parse("500万"))], recorded_at=date(2013, 8, 2))
1
>>> [r.amount.format_cn() for r in ledger.funds_receipts("P1")]
['500万元']
>>> ledger.as_of(date(2013, 6, 30)).funds_receipts("P1")
[]
>>> ledger.plan_funding([tp.FundingPlan("P1", 2013, "外资", tp.Money.parse("1万"))])
Traceback (most recent call last):
...
townplan.errors.ConflictError: 1 funding plan(s) conflict with the ledger
  - FundingPlan P1 2013 外资.source: got '外资' — expected a funding source of the ledger: ...
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.ledger.base import Recorded
from townplan.ledger.reads import LedgerReader
from townplan.ledger.reference import owner_problems, typed_items
from townplan.model.funding import FundingPlan, FundingSource, FundsReceipt
from townplan.model.money import Money

__all__ = ["FundingLedger"]


class FundingLedger(LedgerReader):
    """Reads and writes of the funding tables (a part of :class:`LedgerStore`)."""

    # --- relations -------------------------------------------------------------------------
    def funding_relation(self, name: str) -> tuple[str, dict[str, str]]:
        """SQL (a subquery) and parameters for ``funding_plans`` or ``funds_receipts`` as
        known at the cut (see :mod:`townplan.ledger.asof`); the query layer builds on these."""
        if name not in ("funding_plans", "funds_receipts"):
            raise ValidationError.single(
                record="relation", field="name", value=name,
                expected="one of ['funding_plans', 'funds_receipts']",
            )  # fmt: skip
        return self.relation(name)

    # --- the codelist ------------------------------------------------------------------------
    def funding_sources(self) -> list[FundingSource]:
        """The ledger's funding sources (资金来源), defaults first, then the town's own."""
        rows = self._rows("SELECT * FROM funding_sources ORDER BY position, code")
        return [
            FundingSource(
                code=r["code"], name=r["name"], name_en=r["name_en"],
                aliases=tuple(json.loads(r["aliases"])), public=bool(r["public"]),
            )
            for r in rows
        ]  # fmt: skip

    def add_funding_sources(self, sources: Iterable[FundingSource]) -> int:
        """Add a town's own funding sources; a code or name already known is a conflict.
        Returns how many."""
        self._writable()
        items = typed_items(sources, FundingSource)
        with self.transaction():
            known = {(r["code"], r["name"]) for r in self._rows("SELECT * FROM funding_sources")}
            codes, names = {c for c, _ in known}, {n for _, n in known}
            problems = []
            for s in items:
                if s.code in codes:
                    problems.append(FieldError(f"FundingSource {s.code}", "code", s.code,
                                               "a code not already in the ledger"))  # fmt: skip
                if s.name in names:
                    problems.append(FieldError(f"FundingSource {s.code}", "name", s.name,
                                               "a name not already in the ledger"))  # fmt: skip
                codes.add(s.code)
                names.add(s.name)
            if problems:
                raise ConflictError(
                    f"{len(problems)} funding source(s) conflict with the ledger", problems
                )
            start = self._db.execute("SELECT COALESCE(MAX(position), 0) FROM funding_sources")
            first = int(start.fetchone()[0]) + 1
            self._db.table("funding_sources").insert_all(
                {
                    "code": s.code, "name": s.name, "name_en": s.name_en,
                    "aliases": json.dumps(list(s.aliases), ensure_ascii=False),
                    "public": int(s.public), "position": first + n,
                }
                for n, s in enumerate(items)
            )  # fmt: skip
        return len(items)

    # --- plans ---------------------------------------------------------------------------------
    def plan_funding(self, plans: Iterable[FundingPlan], *, recorded_at: Recorded = None) -> int:
        """Record funding plans (by source, per project and year); returns how many.

        A plan replaces the one known for the same project, year and source from the time
        it is recorded; the batch may hold each (project, year, source) once."""
        self._writable()
        stamp = self.stamp(recorded_at)
        items = typed_items(plans, FundingPlan)
        with self.transaction():
            currencies, sources = self._project_currencies(), self._source_codes()
            problems: list[FieldError] = []
            seen: set[tuple[str, int, str]] = set()
            for p in items:
                record = f"FundingPlan {p.project} {p.year} {p.source}"
                problems += _references(record, p.project, p.source, p.amount, currencies, sources)
                key = (p.project, p.year, p.source)
                if key in seen:
                    once = "one plan per project, year and source in a batch"
                    problems.append(FieldError(record, "source", p.source, once))
                seen.add(key)
            if problems:
                raise ConflictError(
                    f"{len(problems)} funding plan(s) conflict with the ledger", problems
                )
            self._db.conn.executemany(
                "INSERT INTO funding_plans (project, year, source, currency, amount_fen, "
                "recorded_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(p.project, p.year, p.source, p.amount.currency, p.amount.fen(), stamp)
                 for p in items],
            )  # fmt: skip
        return len(items)

    def funding_plans(
        self, project: str | None = None, year: int | None = None
    ) -> list[FundingPlan]:
        """The plans in force at the cut (of ``project``, for ``year``), by project, year
        and the sources' order."""
        sql, params = self.funding_relation("funding_plans")
        rows = self._rows(
            f"SELECT x.* FROM ({sql}) x JOIN funding_sources s ON s.code = x.source "
            "WHERE (:project IS NULL OR x.project = :project) "
            "AND (:year IS NULL OR x.year = :year) ORDER BY x.project, x.year, s.position",
            {**params, "project": project, "year": year},
        )
        return [plan_from_row(r) for r in rows]

    # --- receipts -------------------------------------------------------------------------------
    def record_funds(
        self, receipts: Iterable[FundsReceipt], *, recorded_at: Recorded = None
    ) -> int:
        """Record funds arrived (到位); returns how many (their ids are on
        :meth:`funds_receipts`). ``recorded_at`` may be long after ``received_on`` (a late
        entry): views cut before it do not see the money."""
        self._writable()
        stamp = self.stamp(recorded_at)
        items = typed_items(receipts, FundsReceipt)
        with self.transaction():
            currencies, sources = self._project_currencies(), self._source_codes()
            problems: list[FieldError] = []
            for r in items:
                record = f"FundsReceipt {r.project} {r.source} {r.received_on}"
                problems += _references(record, r.project, r.source, r.amount, currencies, sources)
            if problems:
                raise ConflictError(
                    f"{len(problems)} funds receipt(s) conflict with the ledger", problems
                )
            self._db.conn.executemany(
                "INSERT INTO funds_receipts (project, source, received_on, currency, "
                "amount_fen, note, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [(r.project, r.source, r.received_on.isoformat(), r.amount.currency,
                  r.amount.fen(), r.note, stamp) for r in items],
            )  # fmt: skip
        return len(items)

    def funds_receipts(self, project: str | None = None) -> list[FundsReceipt]:
        """Funds arrived and recorded by the cut (of ``project``), oldest first."""
        rows = self.known("funds_receipts", order_by="received_on, id", project=project)
        return [receipt_from_row(r) for r in rows]

    # --- helpers ---------------------------------------------------------------------------------
    def _project_currencies(self) -> dict[str, str]:
        return {r[0]: r[1] for r in self._db.execute("SELECT code, currency FROM projects")}

    def _source_codes(self) -> list[str]:
        return [
            r[0] for r in self._db.execute("SELECT code FROM funding_sources ORDER BY position")
        ]


def plan_from_row(row: Mapping[str, Any]) -> FundingPlan:
    """A :class:`FundingPlan` from a ``funding_plans`` row."""
    return FundingPlan(
        project=row["project"], year=row["year"], source=row["source"],
        amount=Money.from_fen(row["amount_fen"], row["currency"]),
    )  # fmt: skip


def receipt_from_row(row: Mapping[str, Any]) -> FundsReceipt:
    """A :class:`FundsReceipt` from a ``funds_receipts`` row."""
    return FundsReceipt(
        project=row["project"], source=row["source"],
        received_on=date.fromisoformat(row["received_on"]),
        amount=Money.from_fen(row["amount_fen"], row["currency"]), note=row["note"], id=row["id"],
    )  # fmt: skip


def _references(
    record: str,
    project: str,
    source: str,
    amount: Money,
    currencies: dict[str, str],
    sources: list[str],
) -> list[FieldError]:
    problems = owner_problems(record, "project", project, amount, currencies, "project")
    if source not in sources:
        expected = f"a funding source of the ledger: {', '.join(sources)}"
        problems.append(FieldError(record, "source", source, expected))
    return problems
