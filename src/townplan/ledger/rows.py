"""Records ↔ table rows. The ledger's only place that knows both shapes."""

from __future__ import annotations

import json
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any, Final

from townplan.model.enums import Category, Direction, GroupKind, ProjectKind, Stage
from townplan.model.money import Money
from townplan.model.period import Deadline, Period
from townplan.model.records import (
    AnnualTarget,
    Attraction,
    LeadingGroup,
    Measure,
    Milestone,
    ProgressReport,
    Project,
)

__all__ = [
    "PROGRESS_COLUMNS",
    "PROJECT_COLUMNS",
    "attraction_from_row",
    "attraction_row",
    "group_from_row",
    "group_row",
    "milestone_from_row",
    "milestone_row",
    "progress_from_row",
    "progress_tuple",
    "project_from_row",
    "project_tuple",
    "target_from_row",
    "target_row",
]

#: Columns of ``projects`` that hold the record (the rest are version bookkeeping).
PROJECT_COLUMNS: Final = (
    "code", "name", "category", "stage", "kind", "currency", "government_fen", "social_fen",
    "total_fen", "plan_fen", "plan_year", "zone", "village", "responsible_unit", "leader",
    "content", "start_year", "end_year", "town",
)  # fmt: skip
PROGRESS_COLUMNS: Final = (
    "project", "period", "currency", "completed_fen", "cumulative_fen", "note",
    "reported_on", "recorded_at", "corrects",
)  # fmt: skip


def project_tuple(p: Project) -> tuple[Any, ...]:
    """The values of :data:`PROJECT_COLUMNS` for ``p``."""
    return (
        p.code, p.name, p.category.value, p.stage.value, p.kind.value, p.currency,
        p.government_investment.fen(), p.social_investment.fen(), p.total_investment.fen(),
        p.annual_plan.fen(), p.plan_year, p.zone, p.village, p.responsible_unit, p.leader,
        p.content, p.start_year, p.end_year, p.town,
    )  # fmt: skip


def project_from_row(row: Mapping[str, Any]) -> Project:
    """A :class:`Project` from a ``projects`` (or ``project_history``) row."""
    cur = row["currency"]
    return Project(
        code=row["code"],
        name=row["name"],
        category=Category(row["category"]),
        stage=Stage(row["stage"]),
        kind=ProjectKind(row["kind"]),
        government_investment=Money.from_fen(row["government_fen"], cur),
        social_investment=Money.from_fen(row["social_fen"], cur),
        total_investment=Money.from_fen(row["total_fen"], cur),
        annual_plan=Money.from_fen(row["plan_fen"], cur),
        plan_year=row["plan_year"],
        zone=row["zone"],
        village=row["village"],
        responsible_unit=row["responsible_unit"],
        leader=row["leader"],
        content=row["content"],
        start_year=row["start_year"],
        end_year=row["end_year"],
        town=row["town"],
    )


def progress_tuple(r: ProgressReport, recorded_at: str, corrects: int | None) -> tuple[Any, ...]:
    """The values of :data:`PROGRESS_COLUMNS`; ``reported_on`` defaults to the record day."""
    reported = r.reported_on.isoformat() if r.reported_on else recorded_at[:10]
    return (
        r.project,
        str(r.period),
        r.completed.currency,
        r.completed.fen(),
        r.cumulative.fen() if r.cumulative is not None else None,
        r.note,
        reported,
        recorded_at,
        corrects,
    )


def progress_from_row(row: Mapping[str, Any]) -> ProgressReport:
    """A :class:`ProgressReport` (with its ledger ``id``) from a ``progress`` row."""
    cur = row["currency"]
    cumulative = row["cumulative_fen"]
    return ProgressReport(
        project=row["project"],
        period=Period.parse(row["period"]),
        completed=Money.from_fen(row["completed_fen"], cur),
        cumulative=Money.from_fen(cumulative, cur) if cumulative is not None else None,
        note=row["note"],
        reported_on=date.fromisoformat(row["reported_on"]),
        corrects=row["corrects"],
        id=row["id"],
    )


def group_row(g: LeadingGroup) -> dict[str, Any]:
    """A ``leading_groups`` row (members go to ``group_members``)."""
    return {
        "code": g.code,
        "name": g.name,
        "kind": g.kind.value,
        "leader": g.leader,
        "deputies": json.dumps(list(g.deputies), ensure_ascii=False),
        "office_host": g.office_host,
        "mandate": g.mandate,
        "established": g.established.isoformat() if g.established else None,
    }


def group_from_row(row: Mapping[str, Any], members: tuple[str, ...]) -> LeadingGroup:
    """A :class:`LeadingGroup` from its row and its member units in order."""
    return LeadingGroup(
        code=row["code"],
        name=row["name"],
        kind=GroupKind(row["kind"]),
        leader=row["leader"],
        deputies=tuple(json.loads(row["deputies"])),
        member_units=members,
        office_host=row["office_host"],
        mandate=row["mandate"],
        established=date.fromisoformat(row["established"]) if row["established"] else None,
    )


def milestone_row(m: Milestone) -> dict[str, Any]:
    """A ``milestones`` row; targets are JSON ``[{"value", "unit", "direction"}]``."""
    targets = [
        {"value": str(t.value), "unit": t.unit, "direction": t.direction.value} for t in m.targets
    ]
    return {
        "code": m.code,
        "group_code": m.group,
        "text": m.text,
        "deadline_text": m.deadline.text,
        "due": m.deadline.due.isoformat(),
        "latest": m.deadline.latest.isoformat(),
        "aspirational": int(m.deadline.aspirational),
        "targets": json.dumps(targets, ensure_ascii=False),
    }


def milestone_from_row(row: Mapping[str, Any]) -> Milestone:
    """A :class:`Milestone` from a ``milestones`` row."""
    return Milestone(
        code=row["code"],
        group=row["group_code"],
        text=row["text"],
        deadline=Deadline(
            row["deadline_text"],
            date.fromisoformat(row["due"]),
            date.fromisoformat(row["latest"]),
            bool(row["aspirational"]),
        ),
        targets=tuple(
            Measure(Decimal(t["value"]), t["unit"], Direction(t["direction"]))
            for t in json.loads(row["targets"])
        ),
    )


def target_row(t: AnnualTarget) -> dict[str, Any]:
    """A ``targets`` row."""
    return {
        "code": t.code,
        "indicator": t.indicator,
        "indicator_en": t.indicator_en,
        "year": t.year,
        "base_year": t.base_year,
        "direction": t.direction.value,
        "value": str(t.value),
        "unit": t.unit,
    }


def target_from_row(row: Mapping[str, Any]) -> AnnualTarget:
    """An :class:`AnnualTarget` from a ``targets`` row."""
    return AnnualTarget(
        code=row["code"],
        indicator=row["indicator"],
        year=row["year"],
        direction=Direction(row["direction"]),
        value=Decimal(row["value"]),
        unit=row["unit"],
        indicator_en=row["indicator_en"],
        base_year=row["base_year"],
    )


def attraction_row(a: Attraction) -> dict[str, Any]:
    """An ``attraction`` row."""
    return {
        "code": a.code,
        "kind": a.kind,
        "origin": a.origin,
        "currency": a.amount.currency,
        "amount_fen": a.amount.fen(),
        "year": a.year,
    }


def attraction_from_row(row: Mapping[str, Any]) -> Attraction:
    """An :class:`Attraction` from an ``attraction`` row."""
    return Attraction(
        code=row["code"],
        kind=row["kind"],
        origin=row["origin"],
        amount=Money.from_fen(row["amount_fen"], row["currency"]),
        year=row["year"],
    )
