"""A project's currency is its own for life once it has progress — unless every report
of the project is restated in the new currency in the same batch
(``update_project(..., corrections=[...])``).

The reports in force are in the project's currency, and every sum of the project (its
year to date, its share of a total) adds their fen under that currency. So a project with
progress changes currency only together with a correction of each report in force, in
the new currency, effective no later than the first day of its earliest reported month —
then no day of the register shows the new currency beside a report in the old one, or
the old beside the new. The corrected reports stay in the ledger, and ``as_of`` a day
before the change still shows the project and its reports as they were.

>>> from datetime import date
>>> import townplan as tp
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> project = tp.Project(code="P1", name="港口", category=tp.Category.INDUSTRY,
...     government_investment=tp.Money.parse("100万"))
>>> _ = ledger.add_project(project, on=date(2013, 1, 1), recorded_at=date(2013, 1, 5))
>>> _ = ledger.record_progress(tp.ProgressReport(project="P1", period="2013-06",
...     completed=tp.Money.parse("15万")), recorded_at=date(2013, 7, 3))
>>> in_usd = attrs.evolve(project, government_investment=tp.Money.of(140_000, "USD"),
...     total_investment=tp.Money.of(140_000, "USD"), social_investment=tp.Money.zero("USD"),
...     annual_plan=tp.Money.zero("USD"))
>>> ledger.update_project(in_usd, on=date(2013, 1, 1))
Traceback (most recent call last):
...
townplan.errors.ConflictError: Project P1 has 1 progress report(s) in CNY; its currency stays ...
  - Project P1.currency: got 'USD' — expected CNY, the currency of its progress reports
>>> june = tp.ProgressReport(project="P1", period="2013-06",
...     completed=tp.Money.of(20_000, "USD"))
>>> _ = ledger.update_project(in_usd, on=date(2013, 1, 1), corrections=[june],
...     note="外资项目，按美元统计", recorded_at=date(2013, 8, 1))
>>> [str(r.completed) for r in ledger.progress("P1")]
['20000.00 USD']
>>> july = ledger.as_of(date(2013, 7, 31))
>>> july.project("P1").currency, [str(r.completed) for r in july.progress("P1")]
('CNY', ['150000.00 CNY'])
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

import attrs

from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.ledger.bulk import insert_progress
from townplan.model.records import ProgressReport, Project

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["check_corrections", "write_corrections"]


def check_corrections(
    db: sqlite_utils.Database,
    project: Project,
    held: str,
    effective: date,
    corrections: Iterable[object],
) -> dict[str, tuple[int, ProgressReport]]:
    """The corrections of an update of ``project`` (whose ledger currency is ``held``),
    each with the id of the report in force it replaces; raises naming every problem."""
    record = f"Project {project.code}"
    fixes: dict[str, ProgressReport] = {}
    invalid: list[FieldError] = []
    for number, fix in enumerate(corrections, start=1):
        if not isinstance(fix, ProgressReport) or fix.project != project.code:
            expected = f"item {number}: a ProgressReport of {project.code}"
            invalid.append(FieldError(record, "corrections", repr(fix)[:80], expected))
        elif str(fix.period) in fixes:
            invalid.append(FieldError(f"ProgressReport {project.code} {fix.period}", "period",
                                      str(fix.period), "one correction per month"))  # fmt: skip
        else:
            fixes[str(fix.period)] = fix
    if invalid:
        raise ValidationError(invalid)
    in_force = {
        period: id_
        for id_, period in db.execute(
            "SELECT id, period FROM progress_current WHERE project = ?", [project.code]
        )
    }
    problems = [
        FieldError(f"ProgressReport {project.code} {period}", "period", period,
                   "a month the project has a report for (only reports are corrected)")
        for period in sorted(fixes.keys() - in_force.keys())
    ]  # fmt: skip
    if project.currency != held and in_force:
        problems.extend(_switch_problems(record, project, held, effective, in_force, fixes))
    if problems:
        raise ConflictError(
            f"{record} has {len(in_force)} progress report(s) in {held}; its currency stays "
            "unless each is corrected in the same batch (corrections=)"
            if project.currency != held and not fixes
            else f"{record}: the corrections do not fit the ledger",
            problems,
        )
    return {period: (in_force[period], fix) for period, fix in fixes.items()}


def _switch_problems(
    record: str,
    project: Project,
    held: str,
    effective: date,
    in_force: Mapping[str, int],
    fixes: Mapping[str, ProgressReport],
) -> list[FieldError]:
    if not fixes:
        return [FieldError(record, "currency", project.currency,
                           f"{held}, the currency of its progress reports")]  # fmt: skip
    problems = []
    missing = sorted(in_force.keys() - fixes.keys())
    if missing:
        problems.append(FieldError(record, "corrections", ", ".join(missing),
                                   f"a correction in {project.currency} of every reported month "
                                   f"to change the currency from {held}"))  # fmt: skip
    first = min(in_force)
    if effective.isoformat()[:7] > first or (
        effective.isoformat()[:7] == first and effective.day > 1
    ):
        expected = (f"no later than {first}-01, the first month it reported, so that no day "
                    "shows its reports in another currency")  # fmt: skip
        problems.append(FieldError(record, "effective", effective.isoformat(), expected))
    return problems


def write_corrections(
    db: sqlite_utils.Database,
    fixes: Mapping[str, tuple[int, ProgressReport]],
    stamp: str,
    reason: str,
) -> None:
    """Append each correction in place of the report in force it names."""
    for period in sorted(fixes):
        corrected, fix = fixes[period]
        if reason:
            fix = attrs.evolve(fix, note=f"{fix.note}（更正：{reason}）".lstrip())
        insert_progress(db, [fix], stamp, 1, corrects=corrected)
