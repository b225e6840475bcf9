"""The bulletin on one machine: DuckDB reads the dataset's Parquet files where they lie
(on a disk or object storage it can reach) and runs :mod:`townplan.analytics.sql`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from townplan.analytics import sql
from townplan.analytics.engine import Cut, assemble, dataset_files, issuer
from townplan.analytics.rules import ENTRY_KINDS, RULE_COLUMNS, halted, town_rules
from townplan.io.parquet.layout import read_manifest
from townplan.query.lights import LightRule
from townplan.reports.table import Report

if TYPE_CHECKING:
    import duckdb

__all__ = ["bulletin_duckdb", "connect"]


def connect(
    root: str | Path, cut: Cut, *, threads: int | None = None
) -> tuple[duckdb.DuckDBPyConnection, dict[str, LightRule]]:
    """An in-memory DuckDB connection with the dataset's tables (for the cut's towns) as
    views and the towns' rules as ``town_rules``, and each town's light rule."""
    try:
        import duckdb
    except ImportError:
        from townplan.errors import SchemaError

        raise SchemaError(
            "the DuckDB path needs duckdb: pip install 'townplan[analytics]'"
        ) from None
    con = duckdb.connect(":memory:")
    if threads is not None:
        con.execute(f"SET threads = {int(threads)}")
    manifest = read_manifest(root)
    schemas = manifest.get("tables", {})
    # Towns exported by different versions may differ in columns: line them up by name
    # then (reading every file's schema), else take the first file's.
    versions = {manifest.get("towns", {}).get(town) for town in cut.towns}
    mixed = len(versions) > 1
    for table, files in dataset_files(root, cut).items():
        if files:
            rel = con.read_parquet(files, hive_partitioning=True, union_by_name=mixed)
        else:
            rel = con.sql(_empty(schemas.get(table, [])))
        rel.create_view(table)
    return con, _load_rules(con, cut)


def _empty(columns: list[list[str]]) -> str:
    types = {"int64": "BIGINT", "string": "VARCHAR", "date32": "DATE", "timestamp": "TIMESTAMP"}
    cells = ", ".join(f'CAST(NULL AS {types[t]}) AS "{n}"' for n, t in columns)
    return f"SELECT CAST(NULL AS VARCHAR) AS town, {cells} WHERE false"


def _load_rules(con: duckdb.DuckDBPyConnection, cut: Cut) -> dict[str, LightRule]:
    entries = _dicts(
        con,
        "SELECT e.*, c.recorded_at AS corrected_at FROM entries e LEFT JOIN "
        "(SELECT town, corrects, recorded_at FROM entries WHERE corrects IS NOT NULL) c "
        "ON c.town = e.town AND c.corrects = e.id WHERE e.kind = ?",
        ENTRY_KINDS,
    )
    rules, rows = town_rules(cut.towns, _dicts(con, "SELECT * FROM rules"), cut.period, cut.cutoff)
    con.execute(
        "CREATE TEMP TABLE town_rules (" + ", ".join(f"{n} {t}" for n, t in RULE_COLUMNS) + ")"
    )
    con.executemany(f"INSERT INTO town_rules VALUES ({', '.join('?' for _ in RULE_COLUMNS)})", rows)
    con.execute("CREATE TEMP TABLE halted (town VARCHAR, project VARCHAR)")
    stopped = halted(entries, cut.period.end, cut.day, cut.cutoff)
    if stopped:
        con.executemany("INSERT INTO halted VALUES (?, ?)", stopped)
    return rules


def _dicts(
    con: duckdb.DuckDBPyConnection, query: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    cursor = con.execute(query, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def bulletin_duckdb(root: str | Path, cut: Cut, *, threads: int | None = None) -> Report:
    """The bulletin for ``cut`` computed by DuckDB over the dataset at ``root``."""
    con, rules = connect(root, cut, threads=threads)
    try:
        params = cut.params()
        # The portfolio is measured once into a temporary table; the questions read it.
        measure = sql.portfolio(cut.period.index)
        con.execute("CREATE TEMP TABLE portfolio AS " + measure, _used(measure, params))
        detail = con.execute(sql.DETAIL).fetchall()
        lit = con.execute(sql.LIGHTS).fetchall()
        series = con.execute(sql.months(cut.period.index)).fetchall()[0]
        owed = con.execute(sql.REPORTS, _used(sql.REPORTS, params)).fetchall()
        meta = con.execute("SELECT key, value FROM townplan_meta").fetchall()
        order = {
            table: [r[0] for r in con.execute(q, _used(q, params)).fetchall()]
            for table in ("zones", "units")
            for q in [sql.official_order(table)]
        }
        return assemble(cut, rules, detail, lit, series, owed, issuer(cut, meta), order)
    finally:
        con.close()


def _used(query: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``query`` names (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", query)}
