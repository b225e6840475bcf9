"""Random sequences of writes (projects, project updates, progress, corrections) and as-of
reads, checked against a small in-memory model of the ledger's documented rules:

- a project as of a day is its version with the latest ``valid_from`` on or before the day
  (the higher version on a tie) among versions recorded by the end of that day; the live
  project is the same rule with every version known;
- a month's progress as of a day is the latest report in its correction chain that was
  reported and recorded by then; live, the latest of all;
- a duplicate project, an unknown project, a month reported twice, a correction or update
  of nothing are refused and change nothing.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

import townplan as tp
from townplan.ledger import LedgerStore

pytestmark = pytest.mark.reliability

CODES = ("P1", "P2", "P3")
MONTHS = tuple(tp.Period.month(2013, m) for m in range(1, 5))
# Days are drawn relative to the ledger's clock, so effective days, record days and as-of
# days fall close together and interleave (before, between, after one another).
offset = st.integers(-90, 60)
fen = st.integers(0, 10**12)
hours = st.integers(0, 60)
lag = st.integers(0, 40)  # days between a report being submitted and recorded


@attrs.frozen
class Version:
    number: int
    valid_from: date
    recorded: date
    project: tp.Project


@attrs.frozen
class Link:
    reported_on: date
    recorded: date
    completed_fen: int


class LedgerMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        self.ledger = LedgerStore.open(":memory:")
        self.now = datetime(2013, 1, 1, 9, 0)
        self.versions: dict[str, list[Version]] = {}
        self.chains: dict[tuple[str, str], list[Link]] = {}

    def tick(self, hours: int) -> datetime:
        self.now += timedelta(hours=hours, minutes=1)
        return self.now

    def snapshot(self) -> list[list[Any]]:
        """Every row the machine's writes touch (cheaper than checksum() on every refusal)."""
        return [
            self.ledger.db.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()
            for table in ("projects", "project_history", "progress", "entries")
        ]

    def refused(self, error: type[Exception], write: Any) -> None:
        before = self.snapshot()
        with pytest.raises(error):
            write()
        assert self.snapshot() == before

    # --- writes -------------------------------------------------------------------------
    @initialize(first=offset, second=offset, done=fen, lag=lag)
    def start_with_two_projects_and_a_report(
        self, first: int, second: int, done: int, lag: int
    ) -> None:
        """Every run starts from a small register, so later rules meet existing records."""
        self.add_project("P1", tp.Stage.NEW_START, 0, first, 0)
        self.add_project("P2", tp.Stage.CONTINUING, 0, second, 1)
        self.record_progress("P1", MONTHS[0], done, lag, 1)

    @rule(code=st.sampled_from(CODES), stage=st.sampled_from(tp.Stage), plan=fen,
          offset=offset, hours=hours)  # fmt: skip
    def add_project(self, code: str, stage: tp.Stage, plan: int, offset: int, hours: int) -> None:
        at = self.tick(hours)
        valid_from = at.date() + timedelta(days=offset)
        project = tp.Project(code=code, name=f"项目{code}", category=tp.Category.INFRASTRUCTURE,
                             stage=stage, annual_plan=tp.Money.from_fen(plan))  # fmt: skip
        write = lambda: self.ledger.add_project(project, on=valid_from, recorded_at=at)  # noqa: E731
        if code in self.versions:
            self.refused(tp.ConflictError, write)
            return
        write()
        self.versions[code] = [Version(1, valid_from, at.date(), project)]

    @rule(code=st.sampled_from(CODES), stage=st.sampled_from(tp.Stage), plan=fen,
          offset=offset, hours=hours)  # fmt: skip
    def update_project(
        self, code: str, stage: tp.Stage, plan: int, offset: int, hours: int
    ) -> None:
        at = self.tick(hours)
        effective = at.date() + timedelta(days=offset)
        project = tp.Project(code=code, name=f"项目{code}改", category=tp.Category.INFRASTRUCTURE,
                             stage=stage, annual_plan=tp.Money.from_fen(plan))  # fmt: skip
        write = lambda: self.ledger.update_project(project, on=effective, recorded_at=at)  # noqa: E731
        if code not in self.versions:
            self.refused(tp.NotFoundError, write)
            return
        made = write()
        number = len(self.versions[code]) + 1
        assert (made.version, made.valid_from) == (number, effective)
        self.versions[code].append(Version(number, effective, at.date(), project))

    @rule(code=st.sampled_from((*CODES, "P404")), month=st.sampled_from(MONTHS), done=fen,
          lag=lag, hours=hours)  # fmt: skip
    def record_progress(self, code: str, month: tp.Period, done: int, lag: int, hours: int) -> None:
        at = self.tick(hours)
        reported_on = at.date() - timedelta(days=lag)
        report = tp.ProgressReport(project=code, period=month, completed=tp.Money.from_fen(done),
                                   reported_on=reported_on)  # fmt: skip
        write = lambda: self.ledger.record_progress(report, recorded_at=at)  # noqa: E731
        if code not in self.versions or (code, str(month)) in self.chains:
            self.refused(tp.ConflictError, write)
            return
        write()
        self.chains[(code, str(month))] = [Link(reported_on, at.date(), done)]

    @rule(code=st.sampled_from(CODES), month=st.sampled_from(MONTHS), done=fen, lag=lag,
          hours=hours, reported=st.integers(0, 10**6) | st.none())  # fmt: skip
    def correct_progress(
        self, code: str, month: tp.Period, done: int, lag: int, hours: int, reported: int | None
    ) -> None:
        """Mostly a month already reported (``reported`` picks one), sometimes any month."""
        if reported is not None and self.chains:
            code, text = sorted(self.chains)[reported % len(self.chains)]
            month = tp.Period.parse(text)
        at = self.tick(hours)
        reported_on = at.date() - timedelta(days=lag)
        report = tp.ProgressReport(project=code, period=month, completed=tp.Money.from_fen(done),
                                   reported_on=reported_on)  # fmt: skip
        write = lambda: self.ledger.correct_progress(report, recorded_at=at)  # noqa: E731
        chain = self.chains.get((code, str(month)))
        if chain is None:
            self.refused(tp.NotFoundError, write)
            return
        made = write()
        assert made.corrects is not None
        chain.append(Link(reported_on, at.date(), done))

    # --- what the model says the ledger holds --------------------------------------------
    def expected_projects(self, day: date | None) -> list[tuple[str, tp.Project]]:
        found = []
        for code in sorted(self.versions):
            known = [
                v for v in self.versions[code]
                if day is None or (v.valid_from <= day and v.recorded <= day)
            ]  # fmt: skip
            if known:
                found.append((code, max(known, key=lambda v: (v.valid_from, v.number)).project))
        return found

    def expected_progress(self, day: date | None) -> list[tuple[str, str, int]]:
        found = []
        for (code, month), chain in sorted(self.chains.items()):
            known = [
                link for link in chain
                if day is None or (link.reported_on <= day and link.recorded <= day)
            ]  # fmt: skip
            if known:
                found.append((code, month, known[-1].completed_fen))
        return found

    def check(self, view: LedgerStore, day: date | None) -> None:
        assert [(p.code, p) for p in view.projects()] == self.expected_projects(day)
        progress = [(r.project, str(r.period), r.completed.fen()) for r in view.progress()]
        assert progress == self.expected_progress(day)

    @rule(back=st.integers(-30, 150))
    def read_as_of(self, back: int) -> None:
        day = self.now.date() - timedelta(days=back)
        self.check(self.ledger.as_of(day), day)

    @rule(pick=st.integers(0, 10**6), delta=st.integers(-1, 1))
    def read_as_of_near_an_event(self, pick: int, delta: int) -> None:
        """As of a day next to one the model knows (a record, effective or report day):
        where a wrong cut would show."""
        events = sorted(
            {d for vs in self.versions.values() for v in vs for d in (v.valid_from, v.recorded)}
            | {d for c in self.chains.values() for k in c for d in (k.reported_on, k.recorded)}
        )
        if events:
            day = events[pick % len(events)] + timedelta(days=delta)
            self.check(self.ledger.as_of(day), day)

    @rule(code=st.sampled_from(CODES))
    def read_versions(self, code: str) -> None:
        if code not in self.versions:
            with pytest.raises(tp.NotFoundError):
                self.ledger.project_versions(code)
            return
        versions = self.ledger.project_versions(code)
        expected = sorted(self.versions[code], key=lambda v: (v.valid_from, v.number))
        assert [(v.version, v.valid_from, v.project) for v in versions] == [
            (v.number, v.valid_from, v.project) for v in expected
        ]

    @invariant()
    def live_state_matches(self) -> None:
        self.check(self.ledger, None)

    def teardown(self) -> None:
        self.ledger.close()


def test_ledger_follows_its_rules_under_random_writes(request: pytest.FixtureRequest) -> None:
    full = request.config.getoption("--reliability-full")
    run_state_machine_as_test(
        LedgerMachine,
        settings=settings(
            max_examples=600 if full else 60,
            stateful_step_count=60 if full else 30,
            deadline=None,
        ),
    )
