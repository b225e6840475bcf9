"""Questions about pre-construction procedures (前期手续): ``q.procedures()``.

Each procedure is judged on a day (:meth:`ProcedureQuery.on`; default the view's cut,
else today): it is *done* when a done event effective by then is known in the view, and
*overdue* when it is required, its deadline (办结时限) has passed, it is not done and its
project is neither suspended nor cancelled on the day. So ``as_of`` a day knows only the
events recorded by then: a procedure done in June but recorded in late July is overdue
in the June bulletin and done late in July's.

>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> from townplan.model.lifecycle import Procedure, ProcedureDone
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_units(["环保分局", "国土分局"])
>>> _ = ledger.add_project(tp.Project(code="P1", name="东环路",
...     category=tp.Category.INFRASTRUCTURE),
...                    on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))
>>> _ = ledger.add_procedures([Procedure("P1", "eia", date(2013, 4, 30), "环保分局"),
...     Procedure("P1", "land_pre", date(2013, 8, 31), "国土分局")], recorded_at=date(2013, 1, 5))
>>> _ = ledger.record_procedures_done([ProcedureDone("P1", "eia", date(2013, 6, 20), "环审12号")],
...     recorded_at=date(2013, 7, 20))
>>> q = ProcedureQuery(reader=ledger)
>>> q.overdue(on=date(2013, 6, 1)).count(), q.overdue(on=date(2013, 7, 1)).count()
(1, 0)
>>> late = ProcedureQuery(reader=ledger.as_of(date(2013, 7, 15))).overdue(on=date(2013, 6, 30))
>>> [(p.kind, p.unit, p.days_overdue) for p in late]
[('eia', '环保分局', 61)]
>>> q.counts("unit")["环保分局"]
ProcedureCounts(required=1, done=1, done_late=1, overdue=0, due=0)
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, ClassVar, Final, Self

import attrs

from townplan.errors import ValidationError
from townplan.ledger.lifecycle import PROCEDURE_DONE
from townplan.model.lifecycle import COUNT_KEYS
from townplan.model.period import Period
from townplan.query import snapshots
from townplan.query.base import DatedQuery, execute_tuples
from townplan.query.fields import Field, FieldSet, Kind
from townplan.query.projects import eligibility_condition
from townplan.query.sql import Fragment
from townplan.query.status import halted_relation

if TYPE_CHECKING:
    from townplan.query.projects import ProjectQuery

__all__ = ["PROCEDURE_FIELDS", "ProcedureCounts", "ProcedureQuery", "ProcedureStatus"]


def _text(name: str, column: str | None = None) -> Field:
    return Field(name, f"x.{column or name}", Kind.TEXT)


#: What a procedure query filters, orders and counts by.
PROCEDURE_FIELDS: Final = FieldSet(
    "procedures",
    (
        _text("project"), _text("kind"), _text("unit"), Field("due", "x.due", Kind.DATE),
        Field("done_on", "x.done_on", Kind.DATE), Field("required", "x.required", Kind.BOOL),
        _text("project_name"), _text("leader"), _text("project_unit"), _text("zone"),
        _text("document"), _text("kind_name"), Field("position", "x.position", Kind.INT),
    ),
)  # fmt: skip
#: What :meth:`ProcedureQuery._judged` reads of each procedure, as (expression, column);
#: a snapshot (:meth:`ProcedureQuery.snapshot`) stores these columns and ``halted``.
_JUDGED: Final = (
    ("pr.project", "project"), ("pr.kind", "kind"), ("pr.required", "required"),
    ("pr.due", "due"), ("pr.unit", "unit"), ("pj.name", "project_name"),
    ("pj.leader", "leader"), ("pj.responsible_unit", "project_unit"), ("pj.zone", "zone"),
    ("pj.currency", "currency"), ("pj.government_fen", "government_fen"),
    ("pj.social_fen", "social_fen"), ("coalesce(k.name, pr.kind)", "kind_name"),
    ("coalesce(k.position, 100)", "position"), ("d.done_on", "done_on"),
    ("d.entry", "done_entry"),
)  # fmt: skip
_STORED: Final = ", ".join(f"x.{column}" for _, column in (*_JUDGED, ("", "halted")))


@attrs.frozen
class ProcedureStatus:
    """One project's procedure as it stands on ``on``."""

    project: str
    project_name: str
    kind: str
    kind_name: str
    required: bool
    due: date | None
    unit: str | None
    done_on: date | None
    document: str
    leader: str | None
    on: date
    halted: bool = False

    @property
    def done(self) -> bool:
        """Done (办结) by the day judged."""
        return self.done_on is not None

    @property
    def overdue(self) -> bool:
        """Required, past its deadline, not done, and its project not halted."""
        return (
            self.required
            and not self.halted
            and self.due is not None
            and self.done_on is None
            and self.due < self.on
        )

    @property
    def done_late(self) -> bool:
        """Done after its deadline."""
        return self.done_on is not None and self.due is not None and self.done_on > self.due

    @property
    def days_overdue(self) -> int:
        """Days past the deadline (0 unless overdue)."""
        return (self.on - self.due).days if self.overdue and self.due else 0


@attrs.frozen
class ProcedureCounts:
    """Required procedures of one group: done, done late, overdue, and due in the period
    asked for (not done before it began)."""

    required: int
    done: int
    done_late: int
    overdue: int
    due: int


@attrs.frozen(kw_only=True)
class ProcedureQuery(DatedQuery[ProcedureStatus]):
    """Projects' pre-construction procedures as the view holds them, judged on a day."""

    FIELDS: ClassVar[FieldSet] = PROCEDURE_FIELDS
    KEY: ClassVar[tuple[str, ...]] = ("project", "position", "kind")

    wanted: frozenset[str] = frozenset()
    eligible_only: bool = False
    #: A temporary table holding the judged procedures of :meth:`snapshot`.
    table: str | None = attrs.field(default=None, repr=False, validator=snapshots.check_name)
    #: SQL selecting the rows of the projects the procedures belong to (:meth:`among`).
    project_rows: Fragment | None = attrs.field(default=None, repr=False)
    #: ``holder`` is another name for ``unit``, the unit holding the procedure.
    ALIASES: ClassVar[Mapping[str, str]] = {"holder": "unit"}

    # --- named filters --------------------------------------------------------------
    def overdue(self, on: date | None = None) -> Self:
        """Required procedures past their deadline and not done on ``on`` (default: the
        day the query is judged on), projects suspended or cancelled left out."""
        query = self.on(on) if on is not None else self
        return attrs.evolve(query, wanted=query.wanted | {"overdue"})

    def done(self) -> Self:
        """Procedures done by the day judged."""
        return attrs.evolve(self, wanted=self.wanted | {"done"})

    def pending(self) -> Self:
        """Required procedures not done by the day judged."""
        return attrs.evolve(self, wanted=self.wanted | {"pending"})

    def required(self) -> Self:
        """Required procedures only."""
        return self.where(required=True)

    def eligible(self) -> Self:
        """Procedures of projects that meet the eligibility policy in force on the day
        judged (the 三重 plan)."""
        return attrs.evolve(self, eligible_only=True)

    def among(self, projects: ProjectQuery) -> Self:
        """Procedures of the projects ``projects`` matches. Their names, leaders and units
        are read from it: from a snapshot of measured projects
        (:meth:`ProjectQuery.snapshot`) that is one temporary table, read once, as the
        bulletin does.

        >>> from townplan.fixtures import sample_town_ledger
        >>> q = sample_town_ledger().query()
        >>> day = date(2013, 6, 30)
        >>> with q.projects().eligible().on(day).snapshot() as plan:
        ...     q.procedures().among(plan).on(day).count() == q.procedures().eligible().on(
        ...         day).count()
        True
        """
        return attrs.evolve(self, project_rows=projects.rows_sql())

    def for_project(self, *codes: str) -> Self:
        """Procedures of any of the projects named."""
        return self.where(project__in=codes)

    # --- SQL ---------------------------------------------------------------------------
    def judged_on(self) -> date:
        """The day procedures are judged on."""
        return self._on()

    @contextmanager
    def snapshot(self) -> Iterator[Self]:
        """The matching procedures judged once, for asking many questions of them: inside
        the ``with`` block the query yielded reads a temporary table (dropped after).

        >>> from townplan.fixtures import sample_town_ledger
        >>> q = sample_town_ledger().query().procedures().on(date(2013, 6, 30))
        >>> with q.snapshot() as s:
        ...     s.overdue().count() == q.overdue().count(), s.counts("unit") == q.counts("unit")
        (True, True)
        """
        if self.table is not None:
            yield self
            return
        query = attrs.evolve(self, day=self.judged_on())
        # Stored: the judged columns (the document and the day are added when read).
        select = attrs.evolve(query._select(), order_by=(), columns=Fragment(_STORED))
        name = snapshots.create(self.reader, select.fragment())
        try:
            yield attrs.evolve(query, conditions=(), wanted=frozenset(), eligible_only=False,
                               limit_n=None, offset_n=0, table=name)  # fmt: skip
        finally:
            snapshots.drop(self.reader, name)

    def _source(self) -> Fragment:
        # The document number (批文号) is read from the done entry only where a question
        # asks for it: a column the statement does not use is never computed.
        judged = Fragment(f"SELECT * FROM temp.{self.table}") if self.table else self._judged()
        return (
            "SELECT j.*, coalesce((SELECT e.payload ->> 'document' FROM entries AS e "
            "WHERE e.id = j.done_entry), '') AS document, "
            + Fragment("? AS judged_on FROM (", (self.judged_on().isoformat(),))
            + judged
            + ") AS j"
        )

    def _judged(self) -> Fragment:
        """The procedures with their projects, kinds and done days, judged on the day."""
        day = self.judged_on()
        projects = self.project_rows or Fragment.relation(*self.reader.relation("projects"))
        entries = Fragment.relation(*self.reader.relation("entries"))
        held = Fragment.relation(*self.reader.relation("procedures"))
        kinds = Fragment.relation(*self.reader.relation("procedure_kinds_in_force", on=day))
        return (
            Fragment(
                "SELECT "
                + ", ".join(f"{expression} AS {column}" for expression, column in _JUDGED)
                + ", (pr.project IN ("
            )
            + halted_relation(self.reader, day)
            + ")) AS halted FROM ("
            + held
            + ") AS pr JOIN ("
            + projects
            + ") AS pj ON pj.code = pr.project LEFT JOIN (SELECT subject, min(effective_on) "
            "AS done_on, id AS entry FROM ("
            + entries
            + Fragment(
                ") WHERE kind = ? AND effective_on <= ? GROUP BY subject) AS d "
                "ON d.subject = pr.project || '/' || pr.kind "
                "LEFT JOIN (SELECT code, name, position FROM (",
                (PROCEDURE_DONE, day.isoformat()),
            )
            + kinds
            # The kinds in force are a handful, read once: the LIMIT keeps SQLite from
            # folding their as-of test into a lookup per procedure (10% of the statement).
            + ") LIMIT -1) AS k ON k.code = pr.kind"
        )

    def _extra_conditions(self) -> tuple[Fragment, ...]:
        day = self.judged_on().isoformat()
        tests = {
            "overdue": Fragment(
                "x.required AND NOT x.halted AND x.due IS NOT NULL AND x.due < ? "
                "AND x.done_on IS NULL",
                (day,),
            ),
            "done": Fragment("x.done_on IS NOT NULL"),
            "pending": Fragment("x.required AND x.done_on IS NULL"),
        }
        extra = tuple(tests[name] for name in sorted(self.wanted))
        if self.eligible_only:
            policy = self.reader.policy(on=self.judged_on())
            extra += (eligibility_condition(policy, ()),)
        return extra

    def _record(self, row: Mapping[str, Any]) -> ProcedureStatus:
        return ProcedureStatus(
            project=row["project"], project_name=row["project_name"], kind=row["kind"],
            kind_name=row["kind_name"], required=bool(row["required"]),
            due=date.fromisoformat(row["due"]) if row["due"] else None, unit=row["unit"],
            done_on=date.fromisoformat(row["done_on"]) if row["done_on"] else None,
            document=row["document"], leader=row["leader"],
            on=date.fromisoformat(row["judged_on"]), halted=bool(row["halted"]),
        )  # fmt: skip

    # --- results -------------------------------------------------------------------------
    def counts(self, by: str, *, period: Period | str | None = None) -> dict[Any, ProcedureCounts]:
        """Required procedures counted per ``by`` (kind, unit, project, leader,
        project_unit, zone): done, done late and overdue on the day judged, and due in
        ``period`` (default: the month of that day) without having been done before it."""
        if by not in COUNT_KEYS:
            raise ValidationError.single(
                record="procedures",
                field="by",
                value=by,
                expected=f"one of {', '.join(COUNT_KEYS)}",
            )
        day = self.judged_on()
        span = Period.parse(period) if period is not None else Period.month(day.year, day.month)
        column = self.FIELDS.get(by).column
        first, last = span.start.isoformat(), span.end.isoformat()
        columns = Fragment(
            f"{column}, count(*), sum(x.done_on IS NOT NULL), sum(x.done_on > x.due), "
            "sum(NOT x.halted AND x.due < ? AND x.done_on IS NULL), "
            "sum(x.due BETWEEN ? AND ? AND (x.done_on IS NULL OR x.done_on >= ?))",
            (day.isoformat(), first, last, first),
        )
        select = attrs.evolve(
            self._select(), columns=columns, where=(*self._select().where, Fragment("x.required")),
            group_by=(column,), order_by=(column,), limit=None, offset=0,
        )  # fmt: skip
        return {
            key: ProcedureCounts(*(int(v or 0) for v in values))
            for key, *values in execute_tuples(self.reader, select.fragment())
        }
