"""The DuckDB bulletin over the Parquet dataset equals the SQLite bulletin, row for row:
per town, and for several towns against a rollup of them."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

import townplan as tp
from townplan import analytics
from townplan.errors import NotFoundError, ValidationError

_TABLES = ("zones", "categories", "units", "lights", "reports")
_CUTS = [("2013-06", None), ("2013-06", date(2013, 7, 10)), ("2013-03", date(2013, 6, 30))]


def _assert_same(province: tp.reports.Report, town: tp.reports.Report) -> None:
    assert type(province) is type(town)
    assert province.as_of == town.as_of
    for key in _TABLES:
        ours, theirs = province.table(key), town.table(key)
        assert ours.columns == theirs.columns, key
        assert list(ours.rows) == list(theirs.rows), key
        assert ours.total == theirs.total, key
    assert province.headline == town.headline
    assert province.figures == town.figures  # the zone bars, the light counts, the months
    assert province.unseen == town.unseen  # what the cut leaves out, as the ledger counts it


@pytest.mark.parametrize(("month", "as_of"), _CUTS)
@pytest.mark.parametrize("name", ["麻涌镇", "长安镇", "虎门镇"])
def test_each_town_equals_its_ledger(
    towns: dict[str, tp.Ledger], dataset: Path, name: str, month: str, as_of: date | None
) -> None:
    province = analytics.bulletin(dataset, month=month, as_of=as_of, town=name)
    town = tp.reports.bulletin(towns[name], month, as_of=as_of)
    assert town.table("zones").rows  # the comparison is about something
    _assert_same(province, town)


def test_the_cut_hides_what_was_recorded_after_it(dataset: Path) -> None:
    before = analytics.bulletin(dataset, "2013-06", as_of=date(2013, 7, 15), town="长安镇")
    after = analytics.bulletin(dataset, "2013-06", as_of=date(2013, 7, 25), town="长安镇")
    assert before.table("units").rows != after.table("units").rows  # a correction on 16 July
    assert before.unseen > after.unseen  # the correction and the renaming are seen by then


def test_a_dataset_without_row_counts_or_record_times_reads_every_file(
    towns: dict[str, tp.Ledger], dataset: Path, tmp_path: Path
) -> None:
    import json
    import shutil

    older = tmp_path / "older"
    shutil.copytree(dataset, older)
    manifest = json.loads((older / "_townplan.json").read_text(encoding="utf-8"))
    assert manifest.pop("rows") and manifest.pop("recorded")  # as an earlier export wrote it
    (older / "_townplan.json").write_text(json.dumps(manifest), encoding="utf-8")
    cut = ("2013-06", date(2013, 7, 10))
    province = analytics.bulletin(older, cut[0], as_of=cut[1], town="长安镇")
    town = tp.reports.bulletin(towns["长安镇"], cut[0], as_of=cut[1])
    assert town.unseen > 0
    _assert_same(province, town)


@pytest.mark.parametrize(("month", "as_of"), _CUTS[:2])
def test_several_towns_equal_their_rollup(
    towns: dict[str, tp.Ledger], dataset: Path, tmp_path: Path, month: str, as_of: date | None
) -> None:
    chosen = {name: towns[name] for name in ("长安镇", "虎门镇")}
    city = tp.Ledger.open(tmp_path / "city.db")
    tp.io.rollup(city, chosen)
    province = analytics.bulletin(dataset, month, as_of=as_of, town=list(chosen))
    _assert_same(province, tp.reports.bulletin(city, month, as_of=as_of))
    assert any(str(row[0]).startswith("长安镇/") for row in province.table("zones").rows)


def test_every_town_is_the_default(dataset: Path) -> None:
    every = analytics.bulletin(dataset, "2013-06")
    counts = {row[0]: row[1] for row in every.table("categories").rows}
    per_town = [
        analytics.bulletin(dataset, "2013-06", town=n) for n in ("麻涌镇", "长安镇", "虎门镇")
    ]
    summed: dict[object, int] = {}
    for report in per_town:
        for row in report.table("categories").rows:
            summed[row[0]] = summed.get(row[0], 0) + int(row[1])  # type: ignore[call-overload]
    assert counts == summed


def test_reports_render(dataset: Path, tmp_path: Path) -> None:
    report = analytics.bulletin(dataset, "2013-06", town="麻涌镇")
    assert "分板块完成情况" in report.to_markdown()
    assert report.to_csv(tmp_path / "csv")


def test_unknown_town_and_engine_are_refused(dataset: Path) -> None:
    with pytest.raises(NotFoundError, match="东莞"):
        analytics.bulletin(dataset, "2013-06", town="东莞")
    with pytest.raises(ValidationError, match="engine"):
        analytics.bulletin(dataset, "2013-06", engine="pandas")  # type: ignore[arg-type]


def test_a_folder_that_is_no_dataset_is_refused(tmp_path: Path) -> None:
    with pytest.raises(tp.SchemaError, match="not a townplan Parquet dataset"):
        analytics.bulletin(tmp_path, "2013-06")


def test_one_town_lists_its_zones_and_units_in_its_official_order(tmp_path: Path) -> None:
    from townplan.fixtures import load_sample_town

    town = tp.Ledger.open(tmp_path / "mayong.db")
    load_sample_town(town)
    zones = [z.name for z in town.zones()][::-1]  # the office's order: not by name
    units = [u.name for u in town.units()][::-1][:5]  # five named, the rest after by name
    town.set_official_order("zones", zones)
    town.set_official_order("units", units)
    tp.io.to_parquet({"麻涌镇": town}, tmp_path / "ds")
    province = analytics.bulletin(tmp_path / "ds", "2013-06", town="麻涌镇")
    _assert_same(province, tp.reports.bulletin(town, "2013-06"))
    shown = [str(row[0]) for row in province.table("zones").rows]
    assert shown == [z for z in zones if z in shown] and shown != sorted(shown)
    listed = [str(row[0]) for row in province.table("units").rows]
    named = [u for u in units if u in listed]
    assert named and listed[: len(named)] == named  # the named first, in the office's order


def test_the_cycle_collector_is_left_as_it_was(dataset: Path) -> None:
    import gc

    assert gc.isenabled()
    analytics.bulletin(dataset, "2013-06", town="长安镇")
    assert gc.isenabled()  # resumed after the report is built
    gc.disable()
    try:
        analytics.bulletin(dataset, "2013-06", town="长安镇")
        assert not gc.isenabled()  # a caller's own pause is not lifted
    finally:
        gc.enable()
