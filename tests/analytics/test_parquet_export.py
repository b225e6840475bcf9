"""The Parquet dataset: typed columns read back from the files, the schema version in the
dataset, every record kept, and a town's partitions replaced whole on re-export."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

import townplan as tp
from townplan.cli import cli
from townplan.fixtures import generate_portfolio
from townplan.ledger import SCHEMA_VERSION


def _files(root: Path, table: str, town: str) -> list[Path]:
    return sorted((root / table / f"town={town}").rglob("*.parquet"))


def test_columns_are_typed(dataset: Path) -> None:
    progress = pq.read_table(_files(dataset, "progress", "长安镇")[0])
    types = {f.name: str(f.type) for f in progress.schema}
    assert types["completed_fen"] == "int64"
    assert types["reported_on"] == "date32[day]"
    assert types["recorded_at"] == "timestamp[us]"
    projects = pq.read_table(_files(dataset, "projects", "麻涌镇")[0]).schema
    assert str(projects.field("valid_from").type) == "date32[day]"
    assert str(projects.field("plan_fen").type) == "int64"
    assert str(projects.field("planned_start").type) == "date32[day]"  # checked as a day
    meta = projects.metadata or {}
    assert meta[b"townplan.schema_version"] == str(SCHEMA_VERSION).encode()


def test_manifest_names_the_schema(dataset: Path) -> None:
    manifest = json.loads((dataset / "_townplan.json").read_text(encoding="utf-8"))
    assert manifest["schema_version"] == SCHEMA_VERSION
    assert manifest["partition_key"] == "town"
    assert ["completed_fen", "int64"] in manifest["tables"]["progress"]


def test_every_row_is_kept(towns: dict[str, tp.Ledger], dataset: Path) -> None:
    ledger = towns["长安镇"]
    conn: sqlite3.Connection = ledger.db.conn
    for table in ("projects", "project_history", "progress", "entries", "zones", "units"):
        held = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
        written = sum(pq.read_metadata(f).num_rows for f in _files(dataset, table, "长安镇"))
        assert written == held, table
    # values as the ledger holds them, read straight from the files
    rows = pq.read_table(_files(dataset, "progress", "长安镇")[0]).to_pylist()
    first = conn.execute(
        "SELECT id, completed_fen, reported_on, recorded_at, corrects FROM progress "
        "WHERE period LIKE '2013-%' ORDER BY id LIMIT 1"
    ).fetchone()
    got = next(r for r in rows if r["id"] == first[0])
    assert got["completed_fen"] == first[1]
    assert got["reported_on"] == date.fromisoformat(first[2])
    assert got["recorded_at"] == datetime.fromisoformat(first[3])
    assert any(r["corrects"] is not None for r in rows)  # corrections kept, with their chain


def test_manifest_counts_each_towns_rows_and_its_newest_record(
    towns: dict[str, tp.Ledger], dataset: Path
) -> None:
    manifest = json.loads((dataset / "_townplan.json").read_text(encoding="utf-8"))
    conn: sqlite3.Connection = towns["虎门镇"].db.conn
    for table in ("projects", "progress", "rules", "standings"):
        rows, newest = conn.execute(f"SELECT count(*), max(recorded_at) FROM {table}").fetchone()
        assert manifest["rows"]["虎门镇"][table] == rows, table
        written = manifest["recorded"]["虎门镇"][table]
        assert (datetime.fromisoformat(written) if written else None) == (
            datetime.fromisoformat(newest) if newest else None
        ), table
    assert manifest["rows"]["虎门镇"]["standings"] == 0  # a table of none is said so


def test_reexport_replaces_one_town_only(tmp_path: Path) -> None:
    a, b = tp.Ledger.open(tmp_path / "a.db"), tp.Ledger.open(tmp_path / "b.db")
    generate_portfolio(a, 20, seed=1, months=2, town="甲镇")
    generate_portfolio(b, 20, seed=2, months=2, town="乙镇")
    root = tmp_path / "dataset"
    tp.io.to_parquet({"甲镇": a, "乙镇": b}, root)
    other = {p: p.read_bytes() for p in _files(root, "progress", "乙镇")}
    a.add_project(
        tp.Project(code="甲镇-新1", name="新建道路", category=tp.Category.INFRASTRUCTURE),
        on=date(2013, 3, 1),
    )
    summary = tp.io.to_parquet({"甲镇": a}, root)
    assert summary.rows["projects"] == 21
    assert sum(pq.read_metadata(f).num_rows for f in _files(root, "projects", "甲镇")) == 21
    assert {p: p.read_bytes() for p in _files(root, "progress", "乙镇")} == other
    assert not list(root.rglob(".*"))  # nothing half-written left behind


@pytest.mark.parametrize("name", ["", "a/b", "x=y", ".hidden", " 麻涌镇"])
def test_a_town_name_that_cannot_name_a_folder_is_refused(tmp_path: Path, name: str) -> None:
    town = tp.Ledger.open(":memory:")
    with pytest.raises(tp.ValidationError, match="town"):
        tp.io.to_parquet({name: town}, tmp_path)
    assert not any(tmp_path.iterdir())


def test_export_parquet_command(tmp_path: Path) -> None:
    ledger = tp.Ledger.open(tmp_path / "麻涌镇.db")
    generate_portfolio(ledger, 10, seed=4, months=1)
    ledger.close()
    result = CliRunner().invoke(
        cli, ["export", "parquet", str(tmp_path / "麻涌镇.db"), str(tmp_path / "ds")]
    )
    assert result.exit_code == 0, result.output
    assert _files(tmp_path / "ds", "projects", "麻涌镇")


def test_the_export_tells_a_hook_of_each_table_of_each_town(
    towns: dict[str, tp.Ledger], tmp_path: Path
) -> None:
    seen: list[tuple[int, int]] = []
    summary = tp.io.to_parquet(towns, tmp_path / "ds", on_progress=lambda d, t: seen.append((d, t)))
    # one step per table directory written for each town, counted on the files themselves
    written = sum(
        1 for table in (tmp_path / "ds").iterdir() if table.is_dir()
        for town in towns if (table / f"town={town}").is_dir()
    )  # fmt: skip
    assert len(summary.towns) == len(towns) and written > len(towns)
    assert seen == [(n, written) for n in range(written + 1)]
