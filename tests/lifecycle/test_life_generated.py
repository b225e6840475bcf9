"""Generated portfolios carry a lifecycle too; the queries agree with SQL written by hand
over the raw tables."""

from __future__ import annotations

import sqlite3
from datetime import date, timedelta

import pytest

import townplan as tp
from townplan.fixtures import generate_portfolio
from townplan.model.lifecycle import Dimension
from townplan.model.period import Period
from townplan.query.dates import start_verdicts
from townplan.query.sql import Fragment

ON = date(2013, 6, 30)


@pytest.fixture(scope="module")
def generated() -> tp.Ledger:
    ledger = tp.Ledger.open(":memory:")
    generate_portfolio(ledger, 600, seed=11, months=6, lifecycle=True)
    return ledger


def _by_hand(conn: sqlite3.Connection, on: str, cutoff: str) -> set[tuple[str, str]]:
    """Overdue on ``on`` as known before ``cutoff``: required, due before the day, no done
    entry effective by the day and recorded before the cutoff, project not suspended."""
    return set(
        conn.execute(
            """
            SELECT p.project, p.kind FROM procedures p
            WHERE p.required = 1 AND p.due < :on
              AND NOT EXISTS (SELECT 1 FROM entries e WHERE e.kind = 'procedure_done'
                              AND e.subject = p.project || '/' || p.kind
                              AND e.effective_on <= :on AND e.recorded_at < :cutoff)
              AND NOT EXISTS (SELECT 1 FROM entries s WHERE s.kind = 'project_status'
                              AND s.subject = p.project AND s.effective_on <= :on
                              AND s.recorded_at < :cutoff)
            """,
            {"on": on, "cutoff": cutoff},
        ).fetchall()
    )


def test_overdue_agrees_with_hand_written_sql(generated: tp.Ledger) -> None:
    conn = generated.db.conn
    view = generated.as_of(date(2013, 7, 15))
    found = {(p.project, p.kind) for p in view.query().procedures().overdue(on=ON)}
    assert found == _by_hand(conn, ON.isoformat(), "2013-07-16")
    assert len(found) > 10  # the generator leaves some open


def test_counts_add_up(generated: tp.Ledger) -> None:
    q = generated.query().procedures().on(ON)
    by_kind, by_unit = q.counts("kind"), q.counts("unit")
    assert sum(c.required for c in by_kind.values()) == q.count()
    assert sum(c.overdue for c in by_unit.values()) == q.overdue().count()
    assert len(by_kind) == 7


def test_suspended_projects_get_no_light(generated: tp.Ledger) -> None:
    halted = {
        row[0]
        for row in generated.db.execute("SELECT subject FROM entries WHERE kind = 'project_status'")
    }
    assert halted
    lit = {v.project for v in generated.query().projects().on(ON).lights()}
    assert not halted & lit


def test_lifecycle_leaves_the_register_and_reports_as_they_were() -> None:
    plain, full = tp.Ledger.open(":memory:"), tp.Ledger.open(":memory:")
    generate_portfolio(plain, 200, seed=4, months=3)
    generate_portfolio(full, 200, seed=4, months=3, lifecycle=True)
    sql = "SELECT * FROM progress ORDER BY 1, 2"
    assert plain.db.execute(sql).fetchall() == full.db.execute(sql).fetchall()
    # the register is the same but for the planned days, which only the lifecycle sets
    columns = [r[1] for r in plain.db.execute("PRAGMA table_info(projects)")]
    kept = ", ".join(c for c in columns if not c.startswith("planned_"))
    sql = f"SELECT {kept} FROM projects ORDER BY code"
    assert plain.db.execute(sql).fetchall() == full.db.execute(sql).fetchall()
    assert plain.db.execute("SELECT count(planned_start) FROM projects").fetchone() == (0,)
    assert full.db.execute("SELECT count(planned_start) FROM projects").fetchone() == (200,)
    again = tp.Ledger.open(":memory:")
    generate_portfolio(again, 200, seed=4, months=3, lifecycle=True)
    assert again.checksum() == full.checksum()


# --- planned against actual, by hand over the raw tables ------------------------------

_NOT_HALTED = """NOT EXISTS (SELECT 1 FROM entries s WHERE s.kind = 'project_status'
                 AND s.subject = p.code AND s.effective_on <= :on AND s.recorded_at < :cutoff)"""


def _late_by_hand(conn: sqlite3.Connection, which: str, on: str, cutoff: str) -> set[str]:
    """Construction projects planned to start (finish) before ``on`` that had not by the
    planned day: no actual entry on or before it known before ``cutoff``, and not in a
    stage past it; not suspended on the day."""
    planned, entry, past = {
        "start": ("planned_start", "actual_start", "('continuing', 'completed', 'in_operation')"),
        "finish": ("planned_finish", "actual_finish", "('completed', 'in_operation')"),
    }[which]
    sql = f"""
        SELECT p.code FROM projects p
        WHERE p.kind = 'construction' AND p.{planned} < :on AND {_NOT_HALTED}
          AND NOT EXISTS (SELECT 1 FROM entries a WHERE a.kind = '{entry}'
                          AND a.subject = p.code AND a.effective_on <= p.{planned}
                          AND a.effective_on <= :on AND a.recorded_at < :cutoff)
          AND (p.stage NOT IN {past} OR EXISTS (
               SELECT 1 FROM entries a WHERE a.kind = '{entry}' AND a.subject = p.code
               AND a.effective_on <= :on AND a.recorded_at < :cutoff))
    """
    return {row[0] for row in conn.execute(sql, {"on": on, "cutoff": cutoff})}


def test_started_late_and_finished_late_agree_with_sql(generated: tp.Ledger) -> None:
    conn = generated.db.conn
    for on, cutoff in ((ON, "2013-07-16"), (date(2013, 12, 31), "2014-02-01")):
        view = generated.as_of(date.fromisoformat(cutoff) - timedelta(days=1)).query()
        started = {p.code for p in view.projects().started_late(on=on)}
        assert started == _late_by_hand(conn, "start", on.isoformat(), cutoff)
        finished = {p.code for p in view.projects().finished_late(on=on)}
        assert finished == _late_by_hand(conn, "finish", on.isoformat(), cutoff)
    assert len(started) > 20 and len(finished) > 5  # the generator makes both


def test_starts_and_completions_in_a_period_agree_with_sql(generated: tp.Ledger) -> None:
    view = generated.as_of(date(2013, 7, 15)).query().projects()
    for which, method in (("start", view.started_in), ("finish", view.finished_in),
                          ("operation", view.in_operation_in)):  # fmt: skip
        (expected,) = generated.db.execute(
            "SELECT count(DISTINCT subject) FROM entries WHERE kind = ? "
            "AND effective_on BETWEEN '2013-04-01' AND '2013-06-30' AND recorded_at < '2013-07-16'",
            [f"actual_{which}"],
        ).fetchone()
        assert method("2013-Q2").count() == expected
    assert view.started_in("2013-Q2").count() > 10


def _months(a: date, b: date) -> int:
    return (b.year - a.year) * 12 + b.month - a.month - (b.day < a.day)


def test_start_lights_agree_with_the_planned_and_actual_days(generated: tp.Ledger) -> None:
    view = generated.as_of(date(2013, 7, 15))
    lit = {
        (v.project, v.light)
        for v in start_verdicts(view, Fragment("SELECT code FROM projects"), ON)
    }
    rows = generated.db.execute(
        f"""SELECT p.code, p.planned_start FROM projects p
            WHERE p.kind = 'construction' AND p.planned_start < :on AND {_NOT_HALTED}
              AND p.stage IN ('preparation', 'new_start')
              AND NOT EXISTS (SELECT 1 FROM entries a WHERE a.kind = 'actual_start'
                              AND a.subject = p.code AND a.effective_on <= :on
                              AND a.recorded_at < :cutoff)""",
        {"on": ON.isoformat(), "cutoff": "2013-07-16"},
    ).fetchall()
    expected = {
        (code, tp.Light.RED if _months(date.fromisoformat(day), ON) >= 3 else tp.Light.AMBER)
        for code, day in rows
    }
    assert lit == expected
    assert {light for _, light in lit} == {tp.Light.AMBER, tp.Light.RED}


def test_a_procedure_done_late_and_recorded_later(generated: tp.Ledger) -> None:
    # a procedure due before 30 June, done late but before it, recorded after 15 July
    found = generated.db.execute(
        """SELECT p.project, p.kind, e.recorded_at FROM procedures p JOIN entries e
           ON e.kind = 'procedure_done' AND e.subject = p.project || '/' || p.kind
           WHERE e.effective_on > p.due AND e.effective_on <= '2013-06-30'
             AND e.recorded_at >= '2013-07-01' AND p.project NOT IN
             (SELECT subject FROM entries WHERE kind = 'project_status')
           ORDER BY p.project, p.kind LIMIT 1"""
    ).fetchone()
    assert found is not None  # the generator records some events weeks late
    project, kind, recorded = found
    recorded_on = date.fromisoformat(recorded[:10])
    before = generated.as_of(recorded_on - timedelta(days=1)).query().procedures().on(ON)
    after = generated.as_of(recorded_on).query().procedures().on(ON)
    assert (project, kind) in {(p.project, p.kind) for p in before.overdue()}
    assert (project, kind) not in {(p.project, p.kind) for p in after.overdue()}
    (item,) = after.where(project=project, kind=kind)
    assert item.done and item.done_late


def test_a_light_turns_red_and_back_to_amber(generated: tp.Ledger) -> None:
    # new starts that began two to four months after the planned day, as the raw rows say
    rows = generated.db.execute(
        """SELECT p.code, p.planned_start, a.effective_on FROM projects p JOIN entries a
           ON a.kind = 'actual_start' AND a.subject = p.code
           WHERE julianday(a.effective_on) - julianday(p.planned_start) >= 60
             AND a.effective_on <= '2013-06-30' AND p.code NOT IN
             (SELECT subject FROM entries WHERE kind = 'project_status')
           ORDER BY p.code"""
    ).fetchall()
    view = generated.as_of(date(2013, 7, 15))
    checked = 0
    for code, planned_text, started_text in rows:
        planned, started = date.fromisoformat(planned_text), date.fromisoformat(started_text)
        history = view.query().light_history(code)
        ends = [c.on for c in history]
        if any(
            v.dimension is not Dimension.START and v.light is not tp.Light.GREEN
            for c in history
            for v in c.verdicts
        ):
            continue  # lit on another dimension too: its months are not the start's alone
        # amber at the end of the month the start was missed in, red (two ambers in a
        # row) a month later, amber again at the end of the month it started in
        first_missed = Period.month(planned.year, planned.month).end
        second = Period.month(*_next(first_missed)).end
        after_start = Period.month(started.year, started.month).end
        assert (first_missed, tp.Light.AMBER) in [(c.on, c.light) for c in history]
        assert (second, tp.Light.RED) in [(c.on, c.light) for c in history], history
        (drop,) = [c for c in history if c.on == after_start]
        assert (drop.light, drop.dimension) == (tp.Light.AMBER, Dimension.ESCALATION)
        assert ends.index(after_start) == ends.index(second) + 1  # red until the start
        # as known the day before the start was recorded, the light is still red
        earlier = generated.as_of(started - timedelta(days=1)).query().light_history(code)
        assert earlier[-1].light is tp.Light.RED
        checked += 1
        if checked == 2:
            break
    assert checked == 2


def _next(end: date) -> tuple[int, int]:
    return (end.year + 1, 1) if end.month == 12 else (end.year, end.month + 1)
