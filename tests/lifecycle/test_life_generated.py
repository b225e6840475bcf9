"""Generated portfolios carry a lifecycle too; the queries agree with SQL written by hand
over the raw tables."""

from __future__ import annotations

import sqlite3
from datetime import date

import pytest

import townplan as tp
from townplan.fixtures import generate_portfolio

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
    for table in ("projects", "progress"):
        sql = f"SELECT * FROM {table} ORDER BY 1, 2"
        assert plain.db.execute(sql).fetchall() == full.db.execute(sql).fetchall()
    again = tp.Ledger.open(":memory:")
    generate_portfolio(again, 200, seed=4, months=3, lifecycle=True)
    assert again.checksum() == full.checksum()
