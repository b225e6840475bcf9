"""Information reporting on the tiny town: owed, late, missing and pending monthly
reports — against answers worked out by hand.

R1 and R2 (城建办) are eligible construction projects, R3 (农业办) an eligible reserve
project, R4 (城建办) is below the thresholds and owes nothing. Reports for 2013-Q2:

    R1: Apr on 3 May, May on 5 Jun (the due day), Jun on 6 Jul (1 day late)
    R2: Apr on 10 May (5 days late), May missing, Jun on 1 Jul
    R3: Apr on 2 May, May on 2 Jun, Jun missing
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import attrs
import pytest

import townplan as tp
import townplan.governance as gov
from townplan.governance.queries import PortfolioQuery
from townplan.ledger import LedgerStore

D = date


def _report(store: LedgerStore, project: str, period: str, day: date, amount: str = "100万"):
    store.record_progress(
        tp.ProgressReport(project=project, period=period, completed=tp.Money.parse(amount),
                          reported_on=day),
        recorded_at=day,
    )  # fmt: skip


@pytest.fixture
def reports(town: LedgerStore) -> LedgerStore:
    town.add_project(
        tp.Project(code="R4", name="路灯节能改造", category=tp.Category.INFRASTRUCTURE,
                   responsible_unit="城建办", government_investment=tp.Money.parse("500万")),
        on=D(2013, 1, 1), recorded_at=D(2013, 1, 1),
    )  # fmt: skip
    for project, period, day in [
        ("R1", "2013-04", D(2013, 5, 3)), ("R1", "2013-05", D(2013, 6, 5)),
        ("R1", "2013-06", D(2013, 7, 6)), ("R2", "2013-04", D(2013, 5, 10)),
        ("R2", "2013-06", D(2013, 7, 1)), ("R3", "2013-04", D(2013, 5, 2)),
        ("R3", "2013-05", D(2013, 6, 2)),
    ]:  # fmt: skip
        _report(town, project, period, day, "0" if project == "R3" else "100万")
    return town


def _pairs(items):
    return [(r.project.code, str(r.period)) for r in items]


def test_missing_and_late_in_the_quarter(reports):
    on = D(2013, 7, 31)
    assert _pairs(gov.missing_reports(reports, "2013-Q2", on=on)) == [
        ("R2", "2013-05"), ("R3", "2013-06"),
    ]  # fmt: skip
    late = gov.late_reports(reports, "2013-Q2", on=on)
    assert [(r.project.code, str(r.period), r.days_late) for r in late] == [
        ("R2", "2013-04", 5), ("R1", "2013-06", 1),
    ]  # fmt: skip
    assert gov.missing_reports(reports, "2013-06", on=on, unit="农业办")[0].project.code == "R3"
    assert gov.late_reports(reports, "2013-Q2", on=on, project="R1")[0].received_on == D(2013, 7, 6)


def test_nothing_is_missing_before_its_due_day(reports):
    on_due_day = gov.expected_reports(reports, "2013-06", on=D(2013, 7, 5))
    assert {(r.project.code, r.status) for r in on_due_day} == {
        ("R1", "pending"), ("R2", "on_time"), ("R3", "pending"),
    }  # fmt: skip
    assert _pairs(gov.missing_reports(reports, "2013-06", on=D(2013, 7, 6))) == [("R3", "2013-06")]
    assert gov.expected_reports(reports, "2013-08", on=D(2013, 7, 31)) == []  # not begun


def test_summary_per_unit_project_and_month(reports):
    by_unit = {c.key: c for c in gov.reporting_summary(reports, "2013-Q2", on=D(2013, 7, 31))}
    city, farm = by_unit["城建办"], by_unit["农业办"]
    assert (city.expected, city.on_time, city.late, city.missing, city.pending) == (6, 3, 2, 1, 0)
    assert (farm.expected, farm.on_time, farm.late, farm.missing, farm.pending) == (3, 2, 0, 1, 0)
    by_month = gov.reporting_summary(reports, "2013-Q2", on=D(2013, 7, 31), by="period")
    assert [(c.key, c.expected, c.late, c.missing) for c in by_month] == [
        ("2013-04", 3, 1, 0), ("2013-05", 3, 0, 1), ("2013-06", 3, 1, 1),
    ]  # fmt: skip
    with pytest.raises(tp.ValidationError):
        gov.reporting_summary(reports, "2013-Q2", by="zone")


def test_a_correction_does_not_make_a_report_late(reports):
    reports.correct_progress(
        tp.ProgressReport(project="R1", period="2013-04", completed=tp.Money.parse("120万"),
                          reported_on=D(2013, 7, 10)),
        recorded_at=D(2013, 7, 10), reason="监理复核",
    )  # fmt: skip
    late = gov.late_reports(reports, "2013-04", on=D(2013, 7, 31))
    assert _pairs(late) == [("R2", "2013-04")]


def test_the_calendar_in_force_decides(reports):
    gov.add_rule(
        reports, gov.ReportingCalendar(name="只报建设项目", due_day=8, include_reserve=False,
                                       effective_from=D(2013, 6, 1)),
    )  # fmt: skip
    on = D(2013, 7, 31)
    assert _pairs(gov.missing_reports(reports, "2013-Q2", on=on)) == [("R2", "2013-05")]
    assert _pairs(gov.late_reports(reports, "2013-Q2", on=on)) == [("R2", "2013-04")]
    everyone = gov.ReportingCalendar(name="全部项目", eligible_only=False,
                                     effective_from=D(2013, 7, 1))  # fmt: skip
    gov.add_rule(reports, everyone)
    july = gov.expected_reports(reports, "2013-07", on=D(2013, 8, 31))
    assert sorted(r.project.code for r in july) == ["R1", "R2", "R3", "R4"]


def test_the_register_at_the_month_end_decides(reports):
    reports.add_project(
        tp.Project(code="R5", name="新沙港二期", category=tp.Category.INFRASTRUCTURE,
                   responsible_unit="城建办", social_investment=tp.Money.parse("4.2亿")),
        on=D(2013, 5, 15), recorded_at=D(2013, 5, 15),
    )  # fmt: skip
    owed = {
        str(r.period) for r in gov.expected_reports(reports, "2013-Q2") if r.project.code == "R5"
    }
    assert owed == {"2013-05", "2013-06"}
    shrunk = tp.Project(
        code="R2",
        name="新医院",
        category=tp.Category.LIVELIHOOD,
        responsible_unit="城建办",
        government_investment=tp.Money.parse("800万"),
    )
    reports.update_project(shrunk, on=D(2013, 6, 1), recorded_at=D(2013, 6, 1))
    june = {r.project.code for r in gov.expected_reports(reports, "2013-06", on=D(2013, 7, 31))}
    assert june == {"R1", "R3", "R5"}  # R2 fell below the threshold before June ended


def test_a_view_knows_only_what_was_reported_by_its_day(reports):
    view = reports.as_of(D(2013, 7, 5))
    assert {(r.project.code, r.status) for r in gov.expected_reports(view, "2013-06")} == {
        ("R1", "pending"), ("R2", "on_time"), ("R3", "pending"),
    }  # fmt: skip


@pytest.mark.parametrize("status", ["on_time", "late", "missing", "pending", ("missing", "late")])
def test_asking_for_some_statuses_gives_those_of_the_full_list(reports, status):
    on = D(2013, 7, 5)
    wanted = {status} if isinstance(status, str) else set(status)
    full = [r for r in gov.expected_reports(reports, "2013-Q2", on=on) if r.status in wanted]
    assert full  # every status occurs in the quarter on 5 July
    assert gov.expected_reports(reports, "2013-Q2", on=on, status=status) == full


def test_an_unknown_status_is_refused(reports):
    with pytest.raises(tp.ValidationError, match="on_time") as caught:
        gov.expected_reports(reports, "2013-Q2", status="overdue")
    assert (caught.value.errors[0].field, caught.value.errors[0].value) == ("status", "overdue")


def _add_dollar_project(store: LedgerStore) -> None:
    """R6: 5000万美元 of social investment (3.1亿元 at 6.2), no report sent."""
    store.add_project(
        tp.Project(code="R6", name="外资码头", category=tp.Category.INDUSTRY,
                   responsible_unit="城建办", government_investment=tp.Money.zero("USD"),
                   social_investment=tp.Money.parse("5000万美元")),
        on=D(2013, 1, 1), recorded_at=D(2013, 1, 1),
    )  # fmt: skip


def test_a_project_in_another_currency_owes_nothing_under_a_yuan_policy(reports):
    _add_dollar_project(reports)
    owed = gov.expected_reports(reports, "2013-06", on=D(2013, 7, 31))
    assert "R6" not in {r.project.code for r in owed}
    assert {r.project.code for r in owed} == {"R1", "R2", "R3"}


def test_the_register_on_a_day_follows_a_back_dated_change(reports):
    # A change effective before the current version lives in history only, with a higher
    # version number than the current row: the register between the two days shows it.
    cut = tp.Project(
        code="R1", name="中心大道（缩减）", category=tp.Category.INFRASTRUCTURE,
        responsible_unit="城建办", government_investment=tp.Money.parse("900万"),
    )  # fmt: skip
    base = reports.project("R1")
    reports.update_project(base, on=D(2013, 6, 1), recorded_at=D(2013, 6, 1))
    reports.update_project(cut, on=D(2013, 3, 1), recorded_at=D(2013, 6, 2))
    names = lambda day: {p.code: p.name for p in gov.register_on(reports, day)}  # noqa: E731
    assert names(D(2013, 2, 1))["R1"] == base.name
    assert names(D(2013, 4, 1))["R1"] == "中心大道（缩减）"
    assert names(D(2013, 6, 15))["R1"] == base.name
    april = {r.project.code for r in gov.expected_reports(reports, "2013-04", on=D(2013, 7, 31))}
    assert "R1" not in april  # below the threshold in April by the back-dated change
    view = reports.as_of(D(2013, 5, 1))  # the change was recorded on 2 June: unknown then
    known = {p.code: p.name for p in gov.register_on(view, D(2013, 4, 1))}
    assert known["R1"] == base.name


def test_with_a_rate_a_project_in_another_currency_owes_reports(reports):
    _add_dollar_project(reports)
    rate = tp.ExchangeRate(base="USD", quote="CNY", rate=Decimal("6.2"), on=D(2013, 6, 28))
    missing = gov.missing_reports(reports, "2013-06", on=D(2013, 7, 31), rates=[rate])
    assert "R6" in {r.project.code for r in missing}  # 3.1亿元 social ≥ 2亿元, nothing sent
    by_unit = {c.key: c for c in gov.reporting_summary(reports, "2013-06", rates=[rate])}
    assert by_unit["城建办"].expected == 3  # R1, R2 and R6


def test_asking_for_no_status_gives_nothing(reports):
    assert gov.expected_reports(reports, "2013-Q2", on=D(2013, 7, 31), status=[]) == []


def test_a_report_owed_names_the_project_as_the_register_held_it_that_month(
    reports: LedgerStore,
) -> None:
    r3 = reports.project("R3")
    reports.update_project(attrs.evolve(r3, name="农田水利改造（二期）", responsible_unit="城建办"),
                           on=D(2013, 8, 1), recorded_at=D(2013, 8, 1))  # fmt: skip
    year = PortfolioQuery(reports).expected_reports("2013").on(D(2013, 8, 15))
    june = year.where(code="R3", period="2013-06").one()
    assert (june.name, june.unit, june.status) == (r3.name, "农业办", "missing")
    assert june.project == r3  # read when asked for: the June version, not August's
    july = PortfolioQuery(reports.as_of(D(2013, 7, 31)))
    assert july.missing_reports("2013-06").where(code="R3").one().project == r3
    # iterated month by month in the query's order, the same as asking for that order
    assert year.list() == year.order_by("period", "code").list()
    assert [(r.code, str(r.period)) for r in year][:3] == [("R1", "2013-01"), ("R2", "2013-01"),
                                                         ("R3", "2013-01")]  # fmt: skip
