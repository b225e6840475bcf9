"""Status beyond stage (停缓建 / 复工 / 取消) and actual days, as of a day."""

from __future__ import annotations

from datetime import date

import pytest

import townplan as tp
from townplan.model.lifecycle import ProjectStatus
from townplan.query.status import ActualDays, actual_days, statuses


def test_status_is_the_latest_entry_effective_and_known(life: tp.Ledger) -> None:
    assert statuses(life, date(2013, 4, 30)) == {}
    assert statuses(life, date(2013, 6, 30)) == {"P3": ProjectStatus.SUSPENDED}
    assert statuses(life, date(2013, 8, 15)) == {"P3": ProjectStatus.RESUMED}
    # recorded on 2 May: a view cut on 1 May does not know of it yet
    assert statuses(life.as_of(date(2013, 5, 1)), date(2013, 5, 1)) == {}


def test_a_suspended_project_gets_no_investment_light(life: tp.Ledger) -> None:
    # nothing reported: every project with a plan is 50 points behind in June (red),
    # except the suspended one, which is left out while suspended.
    june = life.query().projects().on(date(2013, 6, 30))
    assert sorted(v.project for v in june.lights()) == ["P1", "P2"]
    august = life.query().projects().on(date(2013, 8, 31))
    assert sorted(v.project for v in august.lights()) == ["P1", "P2", "P3"]
    (summary,) = june.group_by()
    assert summary.red == 2


def test_actual_start_and_finish_come_from_stage_changes(life: tp.Ledger) -> None:
    assert actual_days(life, date(2013, 12, 31))["P2"] == ActualDays(
        date(2013, 4, 8), date(2013, 11, 30), None
    )
    assert actual_days(life, date(2013, 6, 30))["P2"] == ActualDays(date(2013, 4, 8), None, None)
    # the finish was recorded on 1 December: not known in a view cut at the end of November
    view = life.as_of(date(2013, 11, 30))
    assert actual_days(view, date(2013, 12, 31))["P2"].finish is None


def test_a_day_set_by_hand_wins(life: tp.Ledger) -> None:
    life.set_actual("P2", "start", date(2013, 4, 1), note="开工报告", recorded_at=date(2013, 4, 2))
    life.set_actual("P1", "start", date(2013, 9, 1), recorded_at=date(2013, 9, 2))
    days = actual_days(life, date(2013, 12, 31))
    assert days["P2"].start == date(2013, 4, 1) and days["P1"].start == date(2013, 9, 1)
    with pytest.raises(tp.ValidationError, match="milestone"):
        life.set_actual("P1", "begin", date(2013, 9, 1))


def test_bad_status_is_refused(life: tp.Ledger) -> None:
    before = life.checksum()
    with pytest.raises(tp.ValidationError, match="status"):
        life.set_status("P1", "paused", date(2013, 5, 1))
    with pytest.raises(tp.ConflictError, match="P9"):
        life.set_status("P9", "suspended", date(2013, 5, 1))
    assert life.checksum() == before
