"""Rules kept in the ledger: a response rule, a reporting calendar or a scoring scheme is a
dated rule (:mod:`townplan.model.dated`), kept in the ledger's one store of rules, so a
later rule governs later days while a day before it (and any ``as_of`` view cut before
it was recorded) still sees the old one.

>>> from decimal import Decimal
>>> from townplan.ledger import LedgerStore
>>> store = LedgerStore.open(":memory:")
>>> rule_in_force(store, ScoringScheme, date(2013, 6, 30)).progress_points   # the default
Decimal('60')
>>> add_rule(store, ScoringScheme(name="2013年办法", progress_points=Decimal(70),
...                               effective_from=date(2013, 7, 1)), recorded_at=date(2013, 7, 1))
>>> rule_in_force(store, ScoringScheme, date(2013, 12, 31)).progress_points
Decimal('70')
>>> rule_in_force(store, ScoringScheme, date(2013, 6, 30)).name
'“三重”建设考核评分办法'
"""

from __future__ import annotations

from datetime import date
from typing import TypeVar

from townplan.governance.rules import ReportingCalendar, ResponseRule
from townplan.governance.scheme import ScoringScheme
from townplan.ledger import LedgerStore
from townplan.ledger.base import Recorded
from townplan.model.dated import choose as _choose

__all__ = ["Rule", "add_rule", "choose", "rule_in_force", "rules"]

Rule = ResponseRule | ReportingCalendar | ScoringScheme
R = TypeVar("R", ResponseRule, ReportingCalendar, ScoringScheme)


def add_rule(store: LedgerStore, rule: Rule, *, recorded_at: Recorded = None) -> None:
    """Keep ``rule`` in the ledger (``store.add_rule``). Two rules of a kind with the same
    name and start day conflict; to change one, add a new rule from a later day."""
    store.add_rule(rule, recorded_at=recorded_at)


def rules(store: LedgerStore, kind: type[R]) -> list[R]:
    """Rules of ``kind`` the store knows (recorded by its cut), oldest start first."""
    return store.rules(kind)


def rule_in_force(store: LedgerStore, kind: type[R], on: date) -> R:
    """The rule of ``kind`` in force on ``on`` (the latest start wins); the default rule
    where the ledger holds none in force."""
    return store.rule(kind, on)


def choose(known: list[R], kind: type[R], on: date) -> R:
    """Of ``known`` rules, the one in force on ``on``; the default of ``kind`` if none."""
    return _choose(known, on, kind.default())
