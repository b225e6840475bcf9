"""The year summary and the ranking notice tell a progress hook of each of their steps, as
the bulletin does: ``(0, total)`` first, then each step done, up to ``(total, total)``;
the report is the same whether it is told or not."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest

import townplan as tp
from townplan.reports import ranking, summary
from townplan.reports.table import Report


@pytest.mark.parametrize(
    ("build", "steps"),
    [(tp.reports.year_summary, summary.STEPS), (tp.reports.ranking_notice, ranking.STEPS)],
    ids=["summary", "ranking"],
)
def test_a_year_report_tells_a_hook_of_each_step(
    sample_town: tp.Ledger, build: Callable[..., Report], steps: int
) -> None:
    seen: list[tuple[int, int]] = []
    told = build(sample_town, 2013, on_progress=lambda d, t: seen.append((d, t)))
    assert steps >= 3  # steps of the build, not one step for the whole of it
    assert seen == [(n, steps) for n in range(steps + 1)]
    assert told == build(sample_town, 2013)


def test_the_assessment_tells_a_hook_of_each_step(sample_town: tp.Ledger) -> None:
    seen: list[tuple[int, int]] = []
    told = sample_town.assessment(
        2013, on=date(2013, 12, 31), on_progress=lambda d, t: seen.append((d, t))
    )
    assert [d for d, _ in seen] == list(range(len(seen))) and len(seen) > 2
    assert {t for _, t in seen} == {len(seen) - 1}
    assert told == sample_town.assessment(2013, on=date(2013, 12, 31))
