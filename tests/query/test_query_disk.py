"""Queries on a real file, and streaming many rows in flat memory."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import Query


def test_a_ledger_file_on_disk(
    tmp_path: Path, build_portfolio: Callable[[LedgerStore], LedgerStore]
) -> None:
    path = tmp_path / "town.db"
    with LedgerStore.open(path) as ledger:
        build_portfolio(ledger)
        checksum = ledger.checksum()
    with LedgerStore.open(path, read_only=True) as ledger:
        q = Query(ledger)
        assert [p.code for p in q.projects().behind_plan()] == ["P02", "P03", "P05", "P06", "P09"]
        assert [h.key for h in q.search("湿地生态")] == ["P03"]
        assert [h.kind for h in q.search("湿地")] == ["progress", "task", "project"]
        assert [t.code for t in q.tasks().overdue(on=date(2013, 7, 1))] == ["T05", "T01"]
        zones = [(r.key, r.currency, r.red) for r in q.projects().group_by("zone")]
        assert zones == [(("水乡新城区",), "CNY", 2), (("现代临港产业区",), "CNY", 0),
                         (("现代临港产业区",), "USD", 0)]  # fmt: skip
        before = Query(ledger.as_of(date(2013, 7, 5)))
        assert "P02" not in [p.code for p in before.projects().behind_plan()]
        assert ledger.checksum() == checksum


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _reports(projects: int, months: int) -> Iterator[tp.ProgressReport]:
    for month in range(1, months + 1):
        for i in range(projects):
            yield tp.ProgressReport(
                project=f"P{i:06d}", period=f"2013-{month:02d}", completed=tp.Money.of(1000 + i),
                reported_on=date(2013, month + 1, 3), note=f"第{month}月形象进度",
            )  # fmt: skip


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/statm").exists(), reason="reads /proc/self/statm")
def test_streaming_keeps_memory_flat(tmp_path: Path) -> None:
    projects, months = 10_000, 10
    with LedgerStore.open(tmp_path / "big.db") as ledger:
        ledger.add_zones(["A"])
        ledger.add_projects(
            (tp.Project(code=f"P{i:06d}", name=f"项目{i}", category=tp.Category.INDUSTRY,
                        zone="A", annual_plan=tp.Money.of(120_000), plan_year=2013)
             for i in range(projects)),
            on=date(2013, 1, 1),
        )  # fmt: skip
        ledger.record_progress_many(_reports(projects, months))
        q = Query(ledger)
        start = _rss_bytes()
        seen = total = 0
        for report in q.progress():
            seen += 1
            total += report.completed.fen()
        growth = _rss_bytes() - start
        assert seen == projects * months
        assert total == months * sum(1000 + i for i in range(projects)) * 100
        assert growth < 50 * 2**20, f"RSS grew {growth / 2**20:.1f} MB"
        assert sum(1 for _ in q.projects().rows()) == projects
