"""Town ledgers roll up into a city ledger: nothing lost, nothing counted twice."""

from __future__ import annotations

import shutil
import sqlite3
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest

import townplan as tp
from townplan.io.oc4ids.package import to_oc4ids
from townplan.ledger import LedgerStore
from townplan.ledger.rollup import RollupSummary, rollup
from townplan.query import LightRule

TOWNS = ("长安镇", "虎门镇", "麻涌镇")

# Plain SQL, run on each file with sqlite3 alone.
AGGREGATES = {
    "count": "SELECT count(*) FROM projects {where}",
    "investment": "SELECT currency, sum(government_fen), sum(social_fen), sum(total_fen), "
    "sum(plan_fen) FROM projects {where} GROUP BY currency",
    "completed": "SELECT period, currency, sum(completed_fen) FROM progress p "
    "WHERE NOT EXISTS (SELECT 1 FROM progress c WHERE c.corrects = p.id) {and_town} "
    "GROUP BY period, currency",
    "versions": "SELECT count(*) FROM project_history {where}",
    "corrections": "SELECT count(*) FROM progress WHERE corrects IS NOT NULL {and_town}",
}


# How many leading columns of each aggregate are its key (the rest are sums).
KEY_COLUMNS = {"count": 0, "investment": 1, "completed": 2, "versions": 0, "corrections": 0}


def aggregates(path: Path, town: str | None = None) -> dict[str, Counter[tuple[object, ...]]]:
    """Each aggregate as a multiset of rows; for a town of the city, only its records."""
    where = "WHERE town = :town" if town else ""
    and_town = "AND project IN (SELECT code FROM projects WHERE town = :town)" if town else ""
    with sqlite3.connect(path) as db:
        return {
            name: Counter(
                map(tuple, db.execute(sql.format(where=where, and_town=and_town), {"town": town}))
            )
            for name, sql in AGGREGATES.items()
        }


def summed(
    parts: list[dict[str, Counter[tuple[object, ...]]]],
) -> dict[str, Counter[tuple[object, ...]]]:
    """The towns' aggregates added up by hand: counts add, sums add per currency / month."""
    total = {}
    for name, width in KEY_COLUMNS.items():
        sums: dict[tuple[object, ...], list[int]] = {}
        for part in parts:
            for row in part[name]:
                key, values = row[:width], [int(v) for v in row[width:]]  # type: ignore[call-overload]
                acc = sums.setdefault(key, [0] * len(values))
                sums[key] = [a + v for a, v in zip(acc, values, strict=True)]
        total[name] = Counter((*key, *values) for key, values in sums.items())
    return total


def content(ledger: LedgerStore) -> dict[str, list[tuple[object, ...]]]:
    """Every table's rows with progress ids replaced by what they point at."""
    db = ledger.db
    progress = db.execute(
        "SELECT p.project, p.period, p.completed_fen, p.cumulative_fen, p.note, p.reported_on, "
        "p.recorded_at, c.recorded_at FROM progress p LEFT JOIN progress c ON c.id = p.corrects "
        "ORDER BY 1, 2, 7"
    )
    tables = ("projects", "project_history", "zones", "units", "leading_groups", "milestones")
    found = {t: db.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    return found | {"progress": progress.fetchall()}


@pytest.fixture(scope="module")
def generated_towns(
    tmp_path_factory: pytest.TempPathFactory, portfolio: Callable[..., None]
) -> dict[str, Path]:
    """Three generated towns, written once for the module."""
    tmp_path = tmp_path_factory.mktemp("towns")
    paths = {}
    for seed, town in enumerate(TOWNS, start=1):
        path = paths[town] = tmp_path / f"{town}.db"
        with LedgerStore.open(path) as ledger:
            portfolio(ledger, 150, seed=seed, town=town, months=6)
            if town == "虎门镇":  # some history: a stage change and corrections
                first = next(ledger.projects())
                ledger.update_project(
                    attrs.evolve(first, stage=tp.Stage.COMPLETED),
                    on=date(2013, 5, 1),
                    note="竣工",
                    recorded_at=datetime(2013, 5, 2),
                )
                for report in list(ledger.progress())[:2]:
                    ledger.correct_progress(
                        attrs.evolve(report, completed=report.completed * 2),
                        recorded_at=datetime(2013, 7, 20),
                    )
    return paths


@pytest.fixture
def town_files(generated_towns: dict[str, Path], tmp_path: Path) -> dict[str, Path]:
    """A fresh copy of the three towns for one test."""
    return {name: Path(shutil.copy(path, tmp_path)) for name, path in generated_towns.items()}


def merged(city: LedgerStore, files: dict[str, Path]) -> RollupSummary:
    towns = {name: LedgerStore.open(path) for name, path in files.items()}
    try:
        return rollup(city, towns)
    finally:
        for t in towns.values():
            t.close()


def test_the_city_adds_up_to_its_towns(town_files: dict[str, Path], tmp_path: Path) -> None:
    with LedgerStore.open(tmp_path / "city.db") as city:
        merged(city, town_files)
    city_file = tmp_path / "city.db"
    towns = [aggregates(path) for path in town_files.values()]
    assert aggregates(city_file) == summed(towns)
    assert aggregates(city_file)["versions"] == Counter({(1,): 1})
    for name, path in town_files.items():  # and every town within the city is itself
        assert aggregates(city_file, town=name) == aggregates(path)


def test_merging_again_changes_nothing(town_files: dict[str, Path]) -> None:
    city = LedgerStore.open(":memory:")
    merged(city, town_files)
    before = city.checksum()
    again = merged(city, town_files)
    assert set(again.added.values()) == {0}
    assert city.checksum() == before


def test_a_new_month_adds_exactly_that_month(town_files: dict[str, Path]) -> None:
    city = LedgerStore.open(":memory:")
    merged(city, town_files)
    with LedgerStore.open(town_files["长安镇"]) as town:
        codes = [p.code for p in town.projects()]
        july = [
            tp.ProgressReport(
                project=code,
                period="2013-07",
                completed=tp.Money.of(100 * n),
                reported_on=date(2013, 8, 5),
            )
            for n, code in enumerate(codes, start=1)
        ]
        town.record_progress_many(july, recorded_at=datetime(2013, 8, 5, 9))
        fix = attrs.evolve(july[0], completed=tp.Money.of(7))
        town.correct_progress(fix, recorded_at=datetime(2013, 8, 9))
    result = merged(city, town_files)
    assert {k: v for k, v in result.added.items() if v} == {"progress": len(codes) + 1}
    fresh = LedgerStore.open(":memory:")
    merged(fresh, town_files)
    assert content(city) == content(fresh)  # the same as a rollup from scratch, ids aside
    in_july = city.db.execute(
        "SELECT count(*), sum(completed_fen) FROM progress_current WHERE period = '2013-07'"
    ).fetchone()
    assert in_july == (len(codes), (sum(range(1, len(codes) + 1)) * 100 - 100 + 7) * 100)


def test_a_town_keeps_its_history_and_its_governance(
    make_town: Callable[..., LedgerStore],
) -> None:
    town = make_town()
    town.db.execute(
        "INSERT INTO inspections (code, title, held_on, recorded_at) "
        "VALUES ('I01', '一季度督查', '2013-04-10', '2013-04-10T00:00:00')"
    )
    town.db.execute(
        "INSERT INTO findings (code, inspection, project, task, text, rectify_by, "
        "recorded_at) VALUES ('F01', 'I01', 'SZ-001', 'T01', '进度滞后', "
        "'2013-05-31', '2013-04-10T00:00:00')"
    )
    city = LedgerStore.open(":memory:")
    summary = rollup(city, [town])  # the town's name comes from its meta
    assert summary.towns == ("示例镇",)
    assert "townplan_meta" in summary.skipped and "rules" in summary.skipped
    assert [p.code for p in city.projects()] == [f"示例镇/SZ-00{n}" for n in range(1, 5)]
    assert [z.name for z in city.zones()] == ["示例镇/水乡新城区", "示例镇/现代临港产业区"]
    versions = city.project_versions("示例镇/SZ-002")
    assert [(v.version, v.note) for v in versions] == [
        (v.version, v.note) for v in town.project_versions("SZ-002")
    ]
    assert [r.completed for r in city.progress("示例镇/SZ-001")] == [
        r.completed for r in town.progress("SZ-001")
    ]
    assert city.group("示例镇/G01").member_units == ("示例镇/城建办", "示例镇/“三重”办")
    assert city.task("示例镇/T01").group == "示例镇/G01"
    (task,) = city.entries(subject="示例镇/T01")
    assert task.payload == {"value": "1.4"}  # the correction, pointing at the city's entry
    finding = next(city.db.query("SELECT * FROM findings"))
    assert (finding["code"], finding["inspection"], finding["project"], finding["task"]) == (
        "示例镇/F01",
        "示例镇/I01",
        "示例镇/SZ-001",
        "示例镇/T01",
    )
    assert to_oc4ids(city, published=datetime(2013, 7, 1))["projects"][0]["id"] == (
        "oc4ids-townplan-示例镇-SZ-001"
    )


def test_towns_with_the_same_zone_names_stay_apart(portfolio: Callable[..., None]) -> None:
    city = LedgerStore.open(":memory:")
    towns = {}
    for town in ("甲镇", "乙镇"):
        ledger = towns[town] = LedgerStore.open(":memory:")
        ledger.add_zones(["水乡新城区"])
        ledger.add_project(
            tp.Project(code="P1", name="东环路", category=tp.Category.INDUSTRY, zone="水乡新城区"),
            on=date(2013, 1, 1),
            recorded_at=date(2013, 1, 5),
        )
    rollup(city, towns)
    by_zone = dict(city.db.execute("SELECT zone, count(*) FROM projects GROUP BY zone").fetchall())
    assert by_zone == {"甲镇/水乡新城区": 1, "乙镇/水乡新城区": 1}


def test_a_disagreeing_history_is_refused_and_nothing_is_written(
    make_town: Callable[..., LedgerStore],
) -> None:
    city = LedgerStore.open(":memory:")
    rollup(city, [make_town()])
    before = city.checksum()
    impostor = LedgerStore.open(":memory:")
    impostor.add_project(
        tp.Project(code="SZ-001", name="东环路", category=tp.Category.INDUSTRY),
        on=date(2013, 1, 1),
        recorded_at=date(2014, 1, 1),
    )
    impostor.add_zones(["新区"])
    with pytest.raises(tp.ConflictError, match="disagrees") as caught:
        rollup(city, {"示例镇": impostor})
    assert caught.value.errors[0].record == "示例镇 project SZ-001"
    assert city.checksum() == before
    # Each town is merged whole or not at all: the town before the bad one stays merged.
    other = LedgerStore.open(":memory:")
    other.add_units(["城建办"])
    with pytest.raises(tp.ConflictError):
        rollup(city, {"乙镇": other, "示例镇": impostor})
    assert [u.name for u in city.units() if u.name.startswith("乙镇/")] == ["乙镇/城建办"]
    assert [p.code for p in city.projects()] == [f"示例镇/SZ-00{n}" for n in range(1, 5)]


def test_a_town_must_be_named() -> None:
    city = LedgerStore.open(":memory:")
    with pytest.raises(tp.ValidationError, match="town"):
        rollup(city, [LedgerStore.open(":memory:")])
    with pytest.raises(tp.ValidationError, match="town"):
        rollup(city, {"东莞/麻涌镇": LedgerStore.open(":memory:")})


def test_the_sample_town_rolls_up_with_its_governance(sample_town: LedgerStore) -> None:
    sample_town.add_rule(
        LightRule("更严的灯", Decimal(5), Decimal(20), effective_from=date(2013, 1, 1))
    )
    city = LedgerStore.open(":memory:")
    summary = rollup(city, {"示例镇": sample_town})
    assert summary.added["projects"] == 40
    assert summary.added["problems"] == 12 and summary.added["findings"] == 13
    assert "rules" in summary.skipped  # the town's rules, not the city's
    assert city.rules(LightRule) == []
    events = city.entries(kind="problem_event", subject="示例镇/Q01")
    units = {e.payload["unit"] for e in events if "unit" in e.payload}
    assert units and all(u.startswith("示例镇/") for u in units)
    assert units <= {u.name for u in city.units()}
    again = rollup(city, {"示例镇": sample_town})
    assert set(again.added.values()) == {0}


def test_the_same_ledger_under_another_name_is_refused(
    portfolio: Callable[..., None], tmp_path: Path
) -> None:
    town = LedgerStore.open(tmp_path / "changan.db")
    portfolio(town, 5, seed=3, town="长安镇", months=1)
    city = LedgerStore.open(":memory:")
    rollup(city, {"长安镇": town})
    before = city.checksum()
    # the file is known by its identity: another name is refused, and so is a copy of it
    with pytest.raises(tp.ConflictError, match="already in the city as '长安镇'"):
        rollup(city, {"长安": town})
    copy = town.copy(tmp_path / "copy.db")
    copy.db.execute("DELETE FROM townplan_meta WHERE key = 'town'")
    with pytest.raises(tp.ConflictError, match="already in the city as '长安镇'"):
        rollup(city, {"长安": copy})
    assert city.checksum() == before
    # rolled up again under its own name, it adds nothing
    assert sum(rollup(city, {"长安镇": town}).added.values()) == 0
    with pytest.raises(tp.ValidationError):
        rollup(city, {5: town})  # type: ignore[dict-item]
