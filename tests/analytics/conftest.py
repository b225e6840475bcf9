"""Towns for the province tests: the sample town and two generated towns, with register
changes and corrected reports recorded on both sides of the bulletin's cut."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import attrs
import pytest

import townplan as tp
from townplan.fixtures import generate_portfolio, load_sample_town

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")


def _changes(town: tp.Ledger) -> None:
    """A plan raised from May (known before the cut), a stage change recorded after it,
    a June report corrected before the cut and another corrected after it."""
    codes = [p.code for p in town.projects()][:4]
    first = town.project(codes[0])
    if first.annual_plan is not None:
        town.update_project(
            attrs.evolve(first, annual_plan=first.annual_plan * 2),
            on=date(2013, 5, 1), recorded_at=datetime(2013, 5, 2, 9, 30),
        )  # fmt: skip
    late = town.project(codes[1])
    town.update_project(
        attrs.evolve(late, name=late.name + "（调整）"),
        on=date(2013, 6, 1), recorded_at=datetime(2013, 7, 20),
    )  # fmt: skip
    for code, when in ((codes[2], datetime(2013, 7, 8)), (codes[3], datetime(2013, 7, 16))):
        reports = [r for r in town.progress(code) if str(r.period) == "2013-06"]
        if reports:
            fixed = attrs.evolve(reports[0], completed=tp.Money.parse("1234.5万"))
            town.correct_progress(fixed, recorded_at=when, reason="核减")


@pytest.fixture(scope="module")
def towns(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tp.Ledger]:
    folder = tmp_path_factory.mktemp("towns")
    out = {}
    sample = tp.Ledger.open(folder / "mayong.db")
    load_sample_town(sample)
    out["麻涌镇"] = sample
    for seed, name in ((2, "长安镇"), (3, "虎门镇")):
        town = tp.Ledger.open(folder / f"town{seed}.db")
        generate_portfolio(town, 60, seed=seed, months=7, town=name)
        out[name] = town
    for town in out.values():
        _changes(town)
    return out


@pytest.fixture(scope="module")
def dataset(towns: dict[str, tp.Ledger], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("dataset")
    tp.io.to_parquet(towns, root)
    return root
