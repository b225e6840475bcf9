"""The bulletin pauses Python's cycle collector while it builds (a large portfolio's
verdicts and cells hold no cycles, and each collection would walk them all again) and
leaves it as the caller had it, whatever happens."""

from __future__ import annotations

import gc

import pytest

import townplan as tp


def test_the_bulletin_builds_with_the_collector_paused_and_resumes_it(
    sample_town: tp.Ledger,
) -> None:
    states: list[bool] = []
    assert gc.isenabled()
    tp.reports.bulletin(
        sample_town, "2013-06", on_progress=lambda *_: states.append(gc.isenabled())
    )
    assert states and not any(states)  # paused at every step of the build
    assert gc.isenabled()  # and resumed after


def test_a_callers_own_pause_is_not_lifted(sample_town: tp.Ledger) -> None:
    gc.disable()
    try:
        tp.reports.bulletin(sample_town, "2013-06")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_the_collector_resumes_after_a_bulletin_that_fails(sample_town: tp.Ledger) -> None:
    with pytest.raises(tp.TownplanError):
        tp.reports.bulletin(sample_town, "2020-01")  # nothing to report that month
    assert gc.isenabled()
