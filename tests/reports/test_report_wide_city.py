"""A bulletin and a year summary of a city rolled up from many towns: 1 010 zones, units
and leaders, one project each, every one of them amber and late with a procedure — wider
than the 1 000 terms SQLite allows one expression. The reports list them all, and none of
their statements grows with the number of zones, units, leaders or lit projects."""

from __future__ import annotations

from datetime import date

import townplan as tp
from townplan.model.lifecycle import Procedure

JULY_15 = date(2013, 7, 15)


def _city(towns: int) -> tp.Ledger:
    """``towns`` towns of one project each, as a rollup names them (``镇NNN/…``): its own
    zone, unit and leader, 2400万 planned for 2013, 100万 a month reported (amber in June),
    and one procedure past its deadline."""
    ledger = tp.Ledger.open(":memory:")
    names = [f"镇{i:04d}" for i in range(towns)]
    on = date(2013, 1, 5)
    ledger.add_zones([f"{n}/新城区" for n in names], recorded_at=on)
    ledger.add_units([f"{n}/城建办" for n in names], recorded_at=on)
    projects = [
        tp.Project(
            code=f"{n}/P1", name=f"{n}道路", category=tp.Category.INFRASTRUCTURE,
            stage=tp.Stage.CONTINUING, zone=f"{n}/新城区", responsible_unit=f"{n}/城建办",
            leader=f"{n}副镇长", government_investment=tp.Money.parse("1.2亿"),
            annual_plan=tp.Money.parse("2400万"), plan_year=2013,
        )
        for n in names
    ]  # fmt: skip
    ledger.add_projects(projects, on=date(2013, 1, 1), recorded_at=on)
    ledger.add_procedures(
        [Procedure(f"{n}/P1", "eia", date(2013, 4, 30), f"{n}/城建办") for n in names],
        recorded_at=on,
    )
    for month in range(1, 7):
        reported = date(2013, month + 1, 3)
        reports = [
            tp.ProgressReport(project=f"{n}/P1", period=f"2013-{month:02d}",
                              completed=tp.Money.parse("100万"), reported_on=reported)
            for n in names
        ]  # fmt: skip
        ledger.record_progress_many(reports, recorded_at=reported)
    return ledger


def _read(ledger: tp.Ledger) -> tuple[tp.reports.Report, int]:
    """The June bulletin (and the year summary), and the longest statement they ran."""
    statements: list[str] = []
    ledger.db.conn.set_trace_callback(statements.append)
    try:
        report = tp.reports.bulletin(ledger, "2013-06", as_of=JULY_15)
        tp.reports.year_summary(ledger, 2013, as_of=JULY_15)
    finally:
        ledger.db.conn.set_trace_callback(None)
    return report, max(len(s) for s in statements)


def test_bulletin_of_a_city_wider_than_an_expression() -> None:
    report, longest = _read(_city(1010))
    assert len(report.table("zones").rows) == len(report.table("units").rows) == 1010
    assert len(report.table("leaders").rows) == 1010
    # 600万 of 2400万 is 25 %, 25 points behind the schedule: amber, every one
    assert [r[2] for r in report.table("lights").rows] == [tp.Light.AMBER] * 1010
    assert len(report.table("overdue_procedures").rows) == 1010
    assert len(report.table("progress").rows) == 1010
    # the same statements as for a city of three towns
    assert longest == _read(_city(3))[1]
