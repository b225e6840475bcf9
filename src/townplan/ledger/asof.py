"""The as-of rule, in one place: what is in force on a day and known by a cut.

Every fact in the ledger carries the time it was recorded (``recorded_at``, naive local
time in the ledger's zone, see :mod:`townplan.ledger.clock`), and facts that happen over
time carry the day they take effect. A view cut at day *d* (``ledger.as_of(d)``) knows
what was recorded before the end of *d* in the ledger's zone and, of that, what was in
effect on *d*:

- a project is its latest version effective by the day;
- a progress report counts unless a later report of the same project and month (a
  correction) is effective and known;
- an entry counts unless a correction of it is effective and known (a correction dated
  after the day leaves the corrected entry in force until then);
- reference data (zones, units, groups and their members, tasks, targets, attraction
  figures, governance records, deals) and dated rules count once recorded;
- funds, capital used, standings and statistics counts count once they arrived (were
  announced, reported) by the day and were recorded by the cut.

Other layers never restate this: they read :func:`relation` — a SQL subquery with its
named parameters — and add their own conditions around it.

>>> from datetime import date
>>> sql, params = relation("units", Cut(date(2013, 6, 30)))
>>> params
{'known_20130630': '2013-07-01T00:00:00.000000'}
>>> relation("units", Cut(None))
('SELECT * FROM units', {})
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from typing import Final

import attrs

from townplan.errors import NotFoundError
from townplan.ledger.rows import PROJECT_COLUMNS

__all__ = ["RELATIONS", "UNSEEN", "VERSION_COLUMNS", "Cut", "relation", "unseen"]

#: The columns of a project version, alike in ``projects`` and ``project_history``.
VERSION_COLUMNS: Final = ", ".join(
    (*PROJECT_COLUMNS, "version", "valid_from", "recorded_at", "change_note")
)


@attrs.frozen
class Cut:
    """What a reading knows: facts effective by ``day`` (None: any day) and recorded
    before the end of ``known`` (None: whatever is recorded). ``known`` defaults to
    ``day``; a reading of an earlier day from a view keeps the view's knowledge."""

    day: date | None
    known: date | None = attrs.field()

    @known.default
    def _known_default(self) -> date | None:
        return self.day

    def cutoff(self) -> str | None:
        """The first record time the reading does not know (None: it knows everything)."""
        if self.known is None:
            return None
        if self.known >= date.max:
            return None
        return (self.known + timedelta(days=1)).isoformat() + "T00:00:00.000000"

    @property
    def day_name(self) -> str:
        """The parameter naming the day: named after its value, so that relations cut at
        different days combine in one statement."""
        return f"day_{self.day:%Y%m%d}" if self.day is not None else "day"

    @property
    def known_name(self) -> str:
        """The parameter naming the first record time not known (named after its value)."""
        return f"known_{self.known:%Y%m%d}" if self.known is not None else "known"

    def params(self) -> dict[str, str]:
        """The named parameters of the relations."""
        params = {}
        if self.day is not None:
            params[self.day_name] = self.day.isoformat()
        cutoff = self.cutoff()
        if cutoff is not None:
            params[self.known_name] = cutoff
        return params


def _known(alias: str, cut: Cut) -> str:
    return f" AND {alias}.recorded_at < :{cut.known_name}" if cut.cutoff() is not None else ""


def _effective(column: str, cut: Cut) -> str:
    return f" AND {column} <= :{cut.day_name}" if cut.day is not None else ""


_LATER: Final = (
    "({t}.valid_from > {o}.valid_from"
    " OR ({t}.valid_from = {o}.valid_from AND {t}.version > {o}.version))"
)


def _projects(cut: Cut) -> str:
    # Per code, the version with the latest (valid_from, version) among those effective
    # and known — written as "no later visible version" lookups through the primary key
    # and project_history(code, valid_from, version), so a register without history
    # costs about what reading the projects table does (ranking the union with a window
    # function sorted the whole register, about 10× slower).
    if cut.day is None and cut.cutoff() is None:
        return "SELECT * FROM projects"

    def visible(t: str) -> str:
        return f"1 = 1{_effective(f'{t}.valid_from', cut)}{_known(t, cut)}"

    cols = VERSION_COLUMNS
    return f"""
SELECT {cols} FROM projects p
WHERE {visible("p")}
  AND NOT EXISTS (SELECT 1 FROM project_history h WHERE h.code = p.code
                  AND {visible("h")} AND {_LATER.format(t="h", o="p")})
UNION ALL
SELECT {cols} FROM project_history h
WHERE {visible("h")}
  AND NOT EXISTS (SELECT 1 FROM projects p WHERE p.code = h.code
                  AND {visible("p")} AND {_LATER.format(t="p", o="h")})
  AND NOT EXISTS (SELECT 1 FROM project_history g WHERE g.code = h.code
                  AND {visible("g")} AND {_LATER.format(t="g", o="h")})
"""


def _project(cut: Cut) -> str:
    # One project (``:code``): the newest version effective and known, looked up through
    # the indexes of each table rather than ranking the whole register.
    cols = VERSION_COLUMNS
    if cut.day is None and cut.cutoff() is None:
        return "SELECT * FROM projects WHERE code = :code"
    visible = f"code = :code{_effective('valid_from', cut)}{_known('t', cut)}"
    return f"""
SELECT * FROM (
    SELECT {cols} FROM projects t WHERE {visible}
    UNION ALL SELECT * FROM (
        SELECT {cols} FROM project_history t WHERE {visible}
        ORDER BY valid_from DESC, version DESC LIMIT 1))
ORDER BY valid_from DESC, version DESC LIMIT 1
"""


def _progress(cut: Cut) -> str:
    # The report in force for a project and month is the last one appended (the end of
    # its correction chain) among those effective and known. A report nothing corrects
    # is the end of its chain whatever the cut, which the small partial index on
    # ``corrects`` answers; only corrected reports need the look at later ones.
    if cut.day is None and cut.cutoff() is None:
        return "SELECT * FROM progress_current"
    return f"""
SELECT p.* FROM progress p
WHERE 1 = 1{_effective("p.reported_on", cut)}{_known("p", cut)}
  AND (NOT EXISTS (SELECT 1 FROM progress n WHERE n.corrects = p.id)
       OR NOT EXISTS (SELECT 1 FROM progress c
                      WHERE c.project = p.project AND c.period = p.period AND c.id > p.id
                      {_effective("c.reported_on", cut)}{_known("c", cut)}))
"""


def _progress_entries(cut: Cut) -> str:
    # Every report known and effective, corrected or not (when did a report first come?).
    return f"SELECT p.* FROM progress p WHERE 1 = 1{_effective('p.reported_on', cut)}" + _known(
        "p", cut
    )


def _entries(cut: Cut) -> str:
    # A correction replaces the entry from its own effective day, once it is known.
    return f"""
SELECT e.* FROM entries e
WHERE 1 = 1{_effective("e.effective_on", cut)}{_known("e", cut)}
  AND NOT EXISTS (SELECT 1 FROM entries c WHERE c.corrects = e.id
                  {_effective("c.effective_on", cut)}{_known("c", cut)})
"""


def _recorded(table: str) -> Callable[[Cut], str]:
    def sql(cut: Cut) -> str:
        if cut.cutoff() is None:
            return f"SELECT * FROM {table}"
        return f"SELECT * FROM {table} t WHERE 1 = 1{_known('t', cut)}"

    return sql


def _funding_plans(cut: Cut) -> str:
    # The plan in force per (project, year, source): the latest recorded by the cut.
    return f"""
SELECT f.* FROM funding_plans f
WHERE 1 = 1{_known("f", cut)}
  AND NOT EXISTS (SELECT 1 FROM funding_plans g
                  WHERE g.project = f.project AND g.year = f.year AND g.source = f.source
                  {_known("g", cut)}
                  AND (g.recorded_at > f.recorded_at
                       OR (g.recorded_at = f.recorded_at AND g.id > f.id)))
"""


def _funds_receipts(cut: Cut) -> str:
    # Funds count once they arrived by the day and were recorded by the cut.
    return f"SELECT r.* FROM funds_receipts r WHERE 1 = 1{_effective('r.received_on', cut)}" + (
        _known("r", cut)
    )


def _standings(cut: Cut) -> str:
    # A standing counts once announced by the day and recorded by the cut.
    return f"SELECT s.* FROM standings s WHERE 1 = 1{_effective('s.announced_on', cut)}" + (
        _known("s", cut)
    )


def _stats_counts(cut: Cut) -> str:
    # A month's counted investment is the latest figure reported by the day and known.
    return f"""
SELECT c.* FROM stats_counts c
WHERE 1 = 1{_effective("c.reported_on", cut)}{_known("c", cut)}
  AND NOT EXISTS (SELECT 1 FROM stats_counts d
                  WHERE d.project = c.project AND d.period = c.period AND d.id > c.id
                  {_effective("d.reported_on", cut)}{_known("d", cut)})
"""


def _deal_utilisations(cut: Cut) -> str:
    # Capital used counts once it arrived by the day and was recorded by the cut.
    return (
        f"SELECT u.* FROM deal_utilisations u WHERE 1 = 1{_effective('u.received_on', cut)}"
        + _known("u", cut)
    )


def _project_versions(cut: Cut) -> str:
    # Every version of every project effective by the day and known (current or not).
    return " UNION ALL ".join(
        f"SELECT {VERSION_COLUMNS} FROM {t} t WHERE 1 = 1"
        f"{_effective('t.valid_from', cut)}{_known('t', cut)}"
        for t in ("projects", "project_history")
    )


def _procedures(cut: Cut) -> str:
    return f"SELECT * FROM procedures t WHERE 1 = 1{_effective('t.valid_from', cut)}" + (
        _known("t", cut)
    )


def _procedure_kinds_in_force(cut: Cut) -> str:
    # Per code, the period with the latest start by the day, among those known.
    return f"""
SELECT a.* FROM procedure_kinds a WHERE 1 = 1{_known("a", cut)}
  AND NOT EXISTS (SELECT 1 FROM procedure_kinds b WHERE b.code = a.code{_known("b", cut)}
                  AND b.effective_from > a.effective_from{_effective("b.effective_from", cut)})
"""


#: The relations a reading can ask for, each a function of the cut.
RELATIONS: Final[dict[str, Callable[[Cut], str]]] = {
    "projects": _projects,
    "project": _project,
    "progress": _progress,
    "progress_entries": _progress_entries,
    "entries": _entries,
    "project_versions": _project_versions,
    "procedures": _procedures,
    "procedure_kinds_in_force": _procedure_kinds_in_force,
    "funding_plans": _funding_plans,
    "funds_receipts": _funds_receipts,
    "standings": _standings,
    "stats_counts": _stats_counts,
    "deal_utilisations": _deal_utilisations,
    "project_rows": _recorded("projects"),
    "project_history": _recorded("project_history"),
    **{
        t: _recorded(t)
        for t in (
            "zones",
            "units",
            "leading_groups",
            "group_members",
            "milestones",
            "targets",
            "attraction",
            "rules",
            "procedure_kinds",
            "deals",
            "problems",
            "inspections",
            "findings",
        )
    },
}


def relation(name: str, cut: Cut) -> tuple[str, dict[str, str]]:
    """SQL (a subquery) and its named parameters for the rows of ``name`` in force and
    known at ``cut`` (``project`` also takes ``:code`` from the caller)."""
    if name not in RELATIONS:
        raise NotFoundError(f"no relation {name!r}; choose from {', '.join(sorted(RELATIONS))}")
    sql = RELATIONS[name](cut).strip()
    return sql, {k: v for k, v in cut.params().items() if f":{k}" in sql}


#: What a reading of a period does not know: each table's facts that fall in the period
#: (``:first``/``:last`` days, ``:first_month``/``:last_month`` months; a project version
#: in force by the period's end), recorded at or after the cut.
UNSEEN: Final = (
    ("progress", "period BETWEEN :first_month AND :last_month"),
    ("stats_counts", "period BETWEEN :first_month AND :last_month"),
    ("projects", "valid_from <= :last"),
    ("project_history", "valid_from <= :last"),
    ("procedures", "valid_from BETWEEN :first AND :last"),
    ("entries", "effective_on BETWEEN :first AND :last"),
    ("funds_receipts", "received_on BETWEEN :first AND :last"),
    ("deal_utilisations", "received_on BETWEEN :first AND :last"),
    ("standings", "announced_on BETWEEN :first AND :last"),
)


#: How a ledger file finds some of :data:`UNSEEN` faster, the same facts: the period's
#: progress reports are many and those recorded after the cut few, so they are counted
#: month by month (``:months``) in the index ``progress_recorded``, which
#: ``recorded_at > ''`` (always true) lets this question use and no other.
_BY_INDEX: Final = {
    "progress": (
        "progress INDEXED BY progress_recorded",
        "recorded_at > '' AND period IN (SELECT value FROM json_each(:months))",
    ),
}


def unseen(first: date, last: date, cut: Cut) -> tuple[str, dict[str, str]] | None:
    """One SQL count of the facts that fall between ``first`` and ``last`` (a project
    version: in force by ``last``) and were recorded after ``cut`` — what a reading cut
    there leaves out of a report of that period. None when the cut knows everything.

    >>> sql, params = unseen(date(2013, 1, 1), date(2013, 6, 30), Cut(date(2013, 7, 15)))
    >>> params["first_month"], params["last_month"], params["cutoff"]
    ('2013-01', '2013-06', '2013-07-16T00:00:00.000000')
    >>> json.loads(params["months"])[::5]
    ['2013-01', '2013-06']
    >>> json.loads(unseen(date(2012, 11, 5), date(2013, 2, 1), Cut(date(2013, 3, 1)))[1]["months"])
    ['2012-11', '2012-12', '2013-01', '2013-02']
    >>> unseen(date(2013, 1, 1), date(2013, 6, 30), Cut(None)) is None
    True
    """
    cutoff = cut.cutoff()
    if cutoff is None:
        return None
    counts = " + ".join(
        f"(SELECT count(*) FROM {table} WHERE recorded_at >= :cutoff AND {where})"
        for table, where in (_BY_INDEX.get(t, (t, w)) for t, w in UNSEEN)
    )
    months = [
        f"{m // 12:04d}-{m % 12 + 1:02d}"
        for m in range(first.year * 12 + first.month - 1, last.year * 12 + last.month)
    ]
    params = {
        "months": json.dumps(months),
        "first": first.isoformat(), "last": last.isoformat(),
        "first_month": f"{first:%Y-%m}", "last_month": f"{last:%Y-%m}", "cutoff": cutoff,
    }  # fmt: skip
    return f"SELECT {counts}", params
