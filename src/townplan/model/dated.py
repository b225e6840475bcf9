"""Dated rules: one kind of thing with an effective period, chosen by one function.

An eligibility policy, a traffic-light rule, a response rule, a reporting calendar and a
scoring scheme are all *dated rules*: a frozen attrs class with a ``name``, an
``effective_from`` day and an optional last day ``effective_to``. The ledger keeps every
kind in one table (``rules``) with the time each was recorded, so an ``as_of`` view sees
only the rules known by its cut, and :func:`choose` picks the one in force on a day: the
latest start wins, and among rules of one start day the one recorded last.

Adding a new kind of rule is one small registration — give the class a ``kind`` (the
word stored in the ledger), its period fields (:func:`since`, :func:`until`), derive it
from :class:`Dated` and decorate it with :func:`rule_kind`; the rule that holds where the
ledger keeps none (``default()``) is the class's own defaults unless it says otherwise::

    @rule_kind
    @attrs.frozen
    class StageRule(Dated):
        kind: ClassVar[str] = "stage"
        name: str = "阶段规则"
        effective_from: date = since()
        effective_to: date | None = until()

Then ``ledger.add_rule(StageRule(...))`` keeps one, ``ledger.rules(StageRule)`` lists
those known at the cut and ``ledger.rule(StageRule, on=day)`` gives the one in force (or
the default). The body is written by the one cattrs converter, so its fields need no
mapping code.

>>> import attrs
>>> from typing import ClassVar
>>> @attrs.frozen
... class Rate(Dated):
...     kind: ClassVar[str] = "example_rate"
...     name: str = "税率"
...     effective_from: date = since()
...     effective_to: date | None = until()
>>> old, new = Rate("旧"), Rate("新", effective_from=date(2014, 1, 1))
>>> choose([old, new], date(2013, 6, 30)).name, choose([old, new], date(2014, 6, 30)).name
('旧', '新')
>>> choose([new], date(2013, 6, 30), default=Rate.default()).name
'税率'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Any, ClassVar, Final, Protocol, Self, TypeVar

import attrs

from townplan.errors import NotFoundError, ValidationError
from townplan.model.checks import check_date

__all__ = [
    "ALWAYS",
    "RULE_KINDS",
    "Dated",
    "DatedRule",
    "check_kind_class",
    "check_period",
    "choose",
    "in_force",
    "rule_kind",
    "since",
    "until",
]

#: The first day of a rule that has always held (the default ``effective_from``).
ALWAYS: Final = date(1900, 1, 1)


def since(day: date = ALWAYS) -> Any:
    """The ``effective_from`` field of a dated rule or record: a day, by default
    :data:`ALWAYS`."""
    return attrs.field(default=day, validator=check_date)


def until() -> Any:
    """The ``effective_to`` field of a dated rule or record: its last day, or None while
    it holds."""
    return attrs.field(default=None, validator=check_date)


class DatedRule(Protocol):
    """What the ledger needs of a rule: its kind, name and effective period."""

    kind: ClassVar[str]

    @property
    def name(self) -> str: ...

    @property
    def effective_from(self) -> date: ...

    @property
    def effective_to(self) -> date | None: ...

    @classmethod
    def default(cls) -> Self:
        """The rule that holds where the ledger keeps none in force."""
        ...


R = TypeVar("R", bound=DatedRule)
T = TypeVar("T")

#: Every registered kind of rule, by the word the ledger stores.
RULE_KINDS: dict[str, type[Any]] = {}


def rule_kind(cls: type[T]) -> type[T]:
    """Register ``cls`` as a kind of dated rule (its ``kind`` must be new)."""
    kind = getattr(cls, "kind", None)
    if not isinstance(kind, str) or not kind:
        raise ValidationError.single(
            record=cls.__name__, field="kind", value=kind, expected="a word naming the rule kind"
        )
    if RULE_KINDS.get(kind, cls) is not cls:
        raise ValidationError.single(
            record=cls.__name__, field="kind", value=kind,
            expected=f"a kind not already taken by {RULE_KINDS[kind].__name__}",
        )  # fmt: skip
    RULE_KINDS[kind] = cls
    return cls


def check_kind_class(kind: object) -> None:
    """Refuse anything but a class of dated rules (see :func:`rule_kind`)."""
    if not isinstance(kind, type) or not isinstance(getattr(kind, "kind", None), str):
        known = ", ".join(c.__name__ for c in RULE_KINDS.values())
        raise ValidationError.single(
            record="rules", field="kind", value=kind,
            expected=f"a class of dated rules ({known})",
        )  # fmt: skip


def in_force(rule: DatedRule, on: date) -> bool:
    """True when ``rule`` applies on ``on`` (both ends of its period inclusive)."""
    return rule.effective_from <= on and (rule.effective_to is None or on <= rule.effective_to)


def check_period(rule: DatedRule) -> None:
    """Refuse a period that ends before it starts, naming the rule."""
    if rule.effective_to is not None and rule.effective_to < rule.effective_from:
        raise ValidationError.single(
            record=f"{type(rule).__name__} {rule.name}",
            field="effective_to",
            value=rule.effective_to,
            expected=f"a day on or after effective_from ({rule.effective_from})",
        )


def choose(rules: Iterable[R], on: date, default: R | None = None) -> R:
    """The rule in force on ``on``: the latest ``effective_from``, and of several with that
    start the last in ``rules`` (the ledger lists them in the order recorded); ``default``
    when none is in force, and :class:`~townplan.NotFoundError` if there is no default."""
    best: R | None = None
    for rule in rules:
        if in_force(rule, on) and (best is None or rule.effective_from >= best.effective_from):
            best = rule
    if best is not None:
        return best
    if default is None:
        raise NotFoundError(f"no rule in force on {on}")
    return default


class Dated:
    """Mixin for dated rules: :meth:`in_force`, the period check and :meth:`default`,
    written once."""

    __slots__ = ()

    @classmethod
    def default(cls) -> Self:
        """The rule that holds where the ledger keeps none: the class's own defaults."""
        return cls()

    def in_force(self: Any, on: date) -> bool:
        """True when the rule applies on ``on``."""
        return in_force(self, on)

    def __attrs_post_init__(self: Any) -> None:
        check_period(self)
