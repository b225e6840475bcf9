"""The SQLAlchemy 2 ORM doing townplan's ingest: models mirroring ``projects`` and
``progress`` (mapped onto the tables townplan created), records converted to ORM objects,
``add_all`` and one commit. Needs the ``bench`` extra (``sqlalchemy>=2``).
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from sqlalchemy import ForeignKey, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from townplan import ProgressReport, Project


class Base(DeclarativeBase):
    """The ORM's registry of the mirrored tables."""


class ProjectRow(Base):
    """A row of ``projects``."""

    __tablename__ = "projects"
    code: Mapped[str] = mapped_column(primary_key=True)
    name: Mapped[str]
    category: Mapped[str]
    stage: Mapped[str]
    kind: Mapped[str]
    currency: Mapped[str]
    government_fen: Mapped[int]
    social_fen: Mapped[int]
    total_fen: Mapped[int]
    plan_fen: Mapped[int]
    plan_year: Mapped[int | None]
    zone: Mapped[str | None] = mapped_column(ForeignKey("zones.name"))
    village: Mapped[str | None]
    responsible_unit: Mapped[str | None] = mapped_column(ForeignKey("units.name"))
    leader: Mapped[str | None]
    content: Mapped[str]
    start_year: Mapped[int | None]
    end_year: Mapped[int | None]
    town: Mapped[str | None]
    valid_from: Mapped[str]
    recorded_at: Mapped[str]
    version: Mapped[int] = mapped_column(default=1)
    change_note: Mapped[str] = mapped_column(default="")


class ProgressRow(Base):
    """A row of ``progress``."""

    __tablename__ = "progress"
    id: Mapped[int] = mapped_column(primary_key=True)
    project: Mapped[str] = mapped_column(ForeignKey("projects.code"))
    period: Mapped[str]
    currency: Mapped[str]
    completed_fen: Mapped[int]
    cumulative_fen: Mapped[int | None]
    note: Mapped[str]
    reported_on: Mapped[str]
    recorded_at: Mapped[str]
    corrects: Mapped[int | None] = mapped_column(ForeignKey("progress.id"))


class Zone(Base):
    """A row of ``zones`` (only so the foreign keys resolve)."""

    __tablename__ = "zones"
    name: Mapped[str] = mapped_column(primary_key=True)


class Unit(Base):
    """A row of ``units`` (only so the foreign keys resolve)."""

    __tablename__ = "units"
    name: Mapped[str] = mapped_column(primary_key=True)


def _project(p: Project, valid_from: str, recorded_at: str) -> ProjectRow:
    return ProjectRow(
        code=p.code, name=p.name, category=p.category.value, stage=p.stage.value,
        kind=p.kind.value, currency=p.currency, government_fen=p.government_investment.fen(),
        social_fen=p.social_investment.fen(), total_fen=p.total_investment.fen(),
        plan_fen=p.annual_plan.fen(), plan_year=p.plan_year, zone=p.zone, village=p.village,
        responsible_unit=p.responsible_unit, leader=p.leader, content=p.content,
        start_year=p.start_year, end_year=p.end_year, town=p.town, valid_from=valid_from,
        recorded_at=recorded_at,
    )  # fmt: skip


def _progress(r: ProgressReport, recorded_at: str) -> ProgressRow:
    return ProgressRow(
        project=r.project, period=str(r.period), currency=r.completed.currency,
        completed_fen=r.completed.fen(),
        cumulative_fen=r.cumulative.fen() if r.cumulative is not None else None,
        note=r.note, reported_on=r.reported_on.isoformat() if r.reported_on else recorded_at[:10],
        recorded_at=recorded_at,
    )  # fmt: skip


def ingest(
    path: Path,
    projects: Sequence[Project],
    reports: Sequence[ProgressReport],
    valid_from: str,
    recorded_at: str,
) -> tuple[float, float]:
    """Write the records through the ORM in one transaction; returns the wall and CPU
    seconds taken (engine and session set up before the clock starts)."""
    engine = create_engine(f"sqlite:///{path}")

    @event.listens_for(engine, "connect")
    def _foreign_keys(dbapi_conn: Any, _record: Any) -> None:
        dbapi_conn.execute("PRAGMA foreign_keys = ON")

    with Session(engine) as session:
        session.connection()  # open the connection outside the timed region
        start, start_cpu = time.perf_counter(), time.process_time()
        session.add_all([_project(p, valid_from, recorded_at) for p in projects])
        session.flush()
        session.add_all([_progress(r, recorded_at) for r in reports])
        session.commit()
        seconds, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    engine.dispose()
    return seconds, cpu
