"""OC4IDS values, times, reporting milestones and progress metrics of one project.

- **Milestones**: a project's tasks belong to its leading group, not to it, so the
  project's own milestones are its **monthly progress reports** (月度调度): one per month
  from January of its plan year (construction projects) or its first report, to the latest
  month reported in the ledger (not past its end year). ``dueDate`` is the due day of the
  next month, ``dateMet`` the day the original report arrived; status ``met`` (a late
  report is met too — compare the dates), ``notMet`` when the due day has passed at
  publication without a report, else ``scheduled``.
- **Metrics** (``metrics``, actuals): ``financialProgress`` — the investment completed each
  month (corrections applied; ``notes`` carry 累计完成) and, for the plan year, the total
  completed so far against the annual plan; ``physicalProgress`` — the latest physical
  progress note (形象进度). **Forecasts**: ``financialProgress`` — the annual plan.

>>> amount_number(Decimal("30000000.00")), amount_number(Decimal("12.34"))
(30000000, 12.34)
>>> stamp(date(2013, 7, 5), end_of_day=True)
'2013-07-05T23:59:59+08:00'
"""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

import attrs

from townplan.ledger import as_recorded_at
from townplan.model.enums import ProjectKind
from townplan.model.money import Money, sum_money
from townplan.model.period import Period
from townplan.model.records import ProgressReport, Project

__all__ = ["Facts", "amount_number", "metrics", "milestones", "stamp", "value"]


@attrs.define
class Facts:
    """What the export knows of one project: its current version, when that was recorded,
    its reports in force (by month) and the day each month's original report arrived."""

    project: Project
    recorded_at: str
    reports: list[ProgressReport] = attrs.Factory(list)
    first_reported: dict[str, date] = attrs.Factory(dict)


def amount_number(amount: Decimal) -> int | float:
    """A Decimal as the JSON number OC4IDS wants: ``int`` when whole (exact), else
    ``float`` (exact to the fen below 10¹³). Only for output: nothing is summed after it."""
    whole = amount.to_integral_value()
    return int(whole) if amount == whole else float(amount)


def value(money: Money) -> dict[str, Any]:
    """An OC4IDS Value: ``{"amount": number, "currency": code}``."""
    return {"amount": amount_number(money.amount), "currency": money.currency}


def stamp(moment: datetime | date | str, *, end_of_day: bool = False) -> str:
    """An RFC 3339 date-time in China Standard Time (a stored record time, a datetime —
    naive means local — or a day at its start or end)."""
    if isinstance(moment, str):
        return f"{moment[:19]}+08:00"
    if isinstance(moment, datetime):
        return f"{as_recorded_at(moment)[:19]}+08:00"
    return f"{moment.isoformat()}T{'23:59:59' if end_of_day else '00:00:00'}+08:00"


def _span(start: date, end: date) -> dict[str, str]:
    return {"startDate": stamp(start), "endDate": stamp(end, end_of_day=True)}


def milestones(f: Facts, last: Period | None, published: datetime, due_day: int) -> dict[str, Any]:
    """``{"milestones": [...]}`` — the monthly reports due (see the module docstring)."""
    p = f.project
    months = {str(r.period): r.period for r in f.reports}
    start = f.reports[0].period if f.reports else None
    if p.plan_year and p.kind is ProjectKind.CONSTRUCTION:
        start = Period.month(p.plan_year, 1)
    end = last
    if end is not None and p.end_year and end.year > p.end_year:
        end = Period.month(p.end_year, 12)
    period = start
    while period is not None and end is not None and period <= end:
        months.setdefault(str(period), period)
        period = period.next()
    now = as_recorded_at(published)
    found = []
    for month, period in sorted(months.items()):
        due = date(period.year + period.index // 12, period.index % 12 + 1, due_day)
        item: dict[str, Any] = {
            "id": f"report-{month}",
            "title": f"{month} 月度进度报送 (monthly progress report)",
            "type": "reporting",
            "dueDate": stamp(due, end_of_day=True),
        }
        met = f.first_reported.get(month)
        if met is not None:
            item |= {"dateMet": stamp(met), "status": "met"}
        elif as_recorded_at(datetime.combine(due, time(23, 59, 59))) < now:
            item["status"] = "notMet"
        else:
            item["status"] = "scheduled"
        found.append(item)
    return {"milestones": found} if found else {}


def metrics(f: Facts) -> dict[str, Any]:
    """``{"forecasts": [...], "metrics": [...]}`` — planned and actual progress."""
    p = f.project
    out: dict[str, Any] = {}
    if p.plan_year:
        span = date(p.plan_year, 1, 1), date(p.plan_year, 12, 31)
        out["forecasts"] = [
            {
                "id": "financialProgress",
                "title": "年度计划投资 (annual planned investment)",
                "observations": [
                    {
                        "id": f"plan-{p.plan_year}",
                        "period": _span(*span),
                        "value": value(p.annual_plan),
                    }
                ],
            }
        ]
    financial = [_month(r) for r in f.reports]
    year = p.plan_year
    in_year = [r for r in f.reports if r.period.year == year]
    if year is not None and in_year:
        done = sum_money((r.completed for r in in_year), p.currency)
        notes = f"本年完成{done.format_cn()}，年度计划{p.annual_plan.format_cn()}"
        if p.annual_plan:
            notes += f"，完成率{done.amount * 100 / p.annual_plan.amount:.1f}%"
        financial.append(
            {
                "id": f"{year}-to-date",
                "period": _span(date(year, 1, 1), in_year[-1].period.end),
                "value": value(done),
                "notes": notes,
            }
        )
    found = []
    if financial:
        found.append(
            {
                "id": "financialProgress",
                "title": "完成投资 (investment completed)",
                "observations": financial,
            }
        )
    latest = next((r for r in reversed(f.reports) if r.note.strip()), None)
    if latest is not None:
        found.append(
            {
                "id": "physicalProgress",
                "title": "形象进度 (physical progress)",
                "observations": [
                    {
                        "id": str(latest.period),
                        "period": _span(latest.period.start, latest.period.end),
                        "measure": latest.note,
                    }
                ],
            }
        )
    if found:
        out["metrics"] = found
    return out


def _month(r: ProgressReport) -> dict[str, Any]:
    item = {
        "id": str(r.period),
        "period": _span(r.period.start, r.period.end),
        "value": value(r.completed),
    }
    if r.cumulative is not None:
        item["notes"] = f"累计完成{r.cumulative.format_cn()}"
    return item
