"""Each town's rules as its own ledger records them, read from the dataset: the
eligibility policy, the light rule and the reporting calendar in force for a month, as
known at the cut. The rules are chosen by the same functions the ledger path uses; the
bulletin's SQL joins them per town as the ``town_rules`` table.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from fractions import Fraction
from typing import Any, Final

from townplan.convert import structure
from townplan.errors import NotFoundError
from townplan.governance.rules import ReportingCalendar
from townplan.ledger.lifecycle import STATUS
from townplan.model.dated import choose
from townplan.model.lifecycle import ProjectStatus
from townplan.model.period import Period
from townplan.model.policy import ThresholdPolicy, policy_in_force
from townplan.query.lights import LightRule

__all__ = ["ENTRY_KINDS", "RULE_COLUMNS", "TownRules", "halted", "town_rules"]

#: The kinds of entries the bulletin reads: project statuses.
ENTRY_KINDS: Final = (STATUS,)

#: The columns of the ``town_rules`` table, in order, with their SQL types.
RULE_COLUMNS: Final = (
    ("town", "VARCHAR"), ("currency", "VARCHAR"), ("government_min", "BIGINT"),
    ("social_min", "BIGINT"), ("red_num", "BIGINT"), ("red_den", "BIGINT"),
    ("amber_num", "BIGINT"), ("amber_den", "BIGINT"), ("due", "DATE"),
    ("include_reserve", "BOOLEAN"), ("eligible_only", "BOOLEAN"),
)  # fmt: skip

TownRules = tuple[Any, ...]


def town_rules(
    towns: Iterable[str],
    rules: Iterable[Mapping[str, Any]],
    period: Period,
    cutoff: datetime,
) -> tuple[dict[str, LightRule], list[TownRules]]:
    """Each town's light rule, and its ``town_rules`` row, from the rows of the dataset's
    ``rules`` table (the dated rules each ledger keeps, those recorded before the cut),
    chosen for the month's end as the ledger chooses them."""
    kinds = {k.kind: k for k in (ThresholdPolicy, LightRule, ReportingCalendar)}
    known: dict[str, dict[str, list[Any]]] = {t: {k: [] for k in kinds} for t in towns}
    ordered = sorted(rules, key=lambda r: (r["effective_from"], r["recorded_at"], r["name"]))
    for row in ordered:
        if row["kind"] in kinds and row["recorded_at"] < cutoff and row["town"] in known:
            rule = structure(json.loads(row["body"]), kinds[row["kind"]])
            known[row["town"]][row["kind"]].append(rule)
    lights, rows = {}, []
    for town, found in known.items():
        policies = found[ThresholdPolicy.kind] or [ThresholdPolicy.default()]
        policy = _in_force(policies, period.end)
        rule = choose(found[LightRule.kind], period.end, LightRule.default())
        calendar = choose(found[ReportingCalendar.kind], period.end, ReportingCalendar.default())
        red, amber = Fraction(rule.red_above), Fraction(rule.amber_from)
        lights[town] = rule
        rows.append(
            (town, policy.government_min.currency, policy.government_min.fen(),
             policy.social_min.fen(), red.numerator, red.denominator, amber.numerator,
             amber.denominator, calendar.due(period), calendar.include_reserve,
             calendar.eligible_only)
        )  # fmt: skip
    return lights, rows


def halted(
    entries: Iterable[Mapping[str, Any]], on: date, day: date, cutoff: datetime
) -> list[tuple[str, str]]:
    """(town, project) of every project suspended or cancelled on ``on``: its latest status
    entry effective by then (by effective day, then the order appended) among the entries
    in force at the cut, as :func:`townplan.query.status.halted_relation` reads them."""
    latest: dict[tuple[str, str], tuple[date, int, str]] = {}
    for row in entries:
        if row["kind"] != STATUS or row["effective_on"] > on:
            continue
        if not _in_force_at_cut(row, day, cutoff):
            continue
        key = (row["town"], row["subject"])
        mark = (row["effective_on"], row["id"], str(json.loads(row["payload"]).get("status")))
        if key not in latest or mark[:2] > latest[key][:2]:
            latest[key] = mark
    stopped = {ProjectStatus.SUSPENDED.value, ProjectStatus.CANCELLED.value}
    return sorted(key for key, (_, _, status) in latest.items() if status in stopped)


def _in_force(policies: list[ThresholdPolicy], on: date) -> ThresholdPolicy:
    try:
        return policy_in_force(policies, on)
    except NotFoundError:
        return ThresholdPolicy.default()


def _in_force_at_cut(row: Mapping[str, Any], day: date, cutoff: datetime) -> bool:
    """An entry effective and recorded by the cut, and not corrected by then."""
    return bool(
        row["effective_on"] <= day
        and row["recorded_at"] < cutoff
        and not (row["corrected_at"] is not None and row["corrected_at"] < cutoff)
    )
