"""The bulletin on one machine: DuckDB reads the dataset's Parquet files where they lie
(on a disk or object storage it can reach) and runs :mod:`townplan.analytics.sql`.

Each scan of a table opens every town's file of it, so the bulk (projects and reports) is
read as few times as the questions allow, and the small tables once each: the register's
history into a temporary table, the rules and status entries into Python, the issuer and
the official order only for one town's bulletin.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from townplan.analytics import sql
from townplan.analytics.engine import (
    TABLES,
    Cut,
    assemble,
    dataset_files,
    issuer,
)
from townplan.analytics.rules import ENTRY_KINDS, RULE_COLUMNS, halted, town_rules
from townplan.analytics.unseen import unseen_query
from townplan.cycles import paused_collector
from townplan.io.parquet.layout import read_manifest
from townplan.query.lights import LightRule
from townplan.reports.table import Report

if TYPE_CHECKING:
    import duckdb

__all__ = ["bulletin_duckdb", "connect"]

#: Small tables read once into temporary tables (the SQL reads them more than once).
_MATERIALISED = frozenset({"project_history"})
#: Tables only one town's bulletin reads.
_ONE_TOWN = frozenset({"townplan_meta", "zones", "units"})


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
    # One town's bulletin names its issuer and lists in its official order; several do not.
    tables = [t for t in TABLES if not (cut.prefixed and t in _ONE_TOWN)]
    for table, files in dataset_files(root, cut, tables).items():
        if files:
            rel = con.read_parquet(files, hive_partitioning=True, union_by_name=mixed)
        else:
            rel = con.sql(_empty(schemas.get(table, [])))
        if table in _MATERIALISED:
            rel.create(table)  # a temporary table: this connection is in memory
        else:
            rel.create_view(table)
    return con, _load_rules(con, cut)


def _empty(columns: list[list[str]]) -> str:
    types = {"int64": "BIGINT", "string": "VARCHAR", "date32": "DATE", "timestamp": "TIMESTAMP"}
    cells = ", ".join(f'CAST(NULL AS {types[t]}) AS "{n}"' for n, t in columns)
    return f"SELECT CAST(NULL AS VARCHAR) AS town, {cells} WHERE false"


# The status entries with the record time of the entry correcting each (one scan).
_ENTRIES = """
WITH e AS MATERIALIZED (SELECT * FROM entries)
SELECT e.*, c.recorded_at AS corrected_at FROM e LEFT JOIN
    (SELECT town, corrects, recorded_at FROM e WHERE corrects IS NOT NULL) c
    ON c.town = e.town AND c.corrects = e.id
WHERE e.kind = ?
"""


def _load_rules(con: duckdb.DuckDBPyConnection, cut: Cut) -> dict[str, LightRule]:
    entries = _dicts(con, _ENTRIES, ENTRY_KINDS)
    rules, rows = town_rules(cut.towns, _dicts(con, "SELECT * FROM rules"), cut.period, cut.cutoff)
    _table(con, "town_rules", RULE_COLUMNS, rows)
    stopped = halted(entries, cut.period.end, cut.day, cut.cutoff)
    _table(con, "halted", (("town", "VARCHAR"), ("project", "VARCHAR")), stopped)
    return rules


def _table(
    con: duckdb.DuckDBPyConnection,
    name: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
) -> None:
    """A temporary table of ``rows``, each column handed over as one list parameter
    (a parameter per value, or a statement per row, costs more than the bulletin's scans
    with hundreds of towns)."""
    cells = list(zip(*rows, strict=True)) if rows else [() for _ in columns]
    select = ", ".join(f"unnest(${i}::{kind}[]) AS {n}" for i, (n, kind) in enumerate(columns, 1))
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT {select}", [list(c) for c in cells])


def _dicts(
    con: duckdb.DuckDBPyConnection, query: str, params: Sequence[Any] = ()
) -> list[dict[str, Any]]:
    cursor = con.execute(query, list(params))
    names = [d[0] for d in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def _by_column(con: duckdb.DuckDBPyConnection, query: str) -> Iterable[tuple[Any, ...]]:
    """The rows of ``query`` (text, integer and boolean columns), fetched a column at a
    time: for 10⁵ rows a third of the cost of making each row as it is fetched. Without
    numpy, row by row."""
    try:
        import numpy  # noqa: F401  (DuckDB's columns come as its arrays)
    except ImportError:
        return con.execute(query).fetchall()
    columns = con.execute(query).fetchnumpy()
    for name, column in columns.items():
        if column.dtype.kind not in "iubO":  # a float, a date: not exact or not as stored
            raise TypeError(f"column {name} of {column.dtype} is not fetched by column")
    return zip(*(column.tolist() for column in columns.values()), strict=True)


def bulletin_duckdb(root: str | Path, cut: Cut, *, threads: int | None = None) -> Report:
    """The bulletin for ``cut`` computed by DuckDB over the dataset at ``root``."""
    with paused_collector():  # the rows fetched and the report built hold no cycles
        return _bulletin(root, cut, threads)


def _bulletin(root: str | Path, cut: Cut, threads: int | None) -> Report:
    con, rules = connect(root, cut, threads=threads)
    try:
        # Every question whose rows have an order says so (ORDER BY, or Python sorts
        # them): DuckDB need not keep the scans' order in the temporary tables, which
        # saves about a tenth of the bulletin's CPU over a national dataset.
        con.execute("SET preserve_insertion_order = false")
        params = cut.params()
        # The reports are summed once per project and the portfolio measured once, into
        # temporary tables; the questions read those.
        for name, query in (
            ("measures", sql.measures(cut.period.index)),
            ("portfolio", sql.portfolio(cut.period.index)),
        ):
            con.execute(f"CREATE TEMP TABLE {name} AS {query}", _used(query, params))
        detail = con.execute(sql.DETAIL).fetchall()
        lit = _by_column(con, sql.LIGHTS)
        series = con.execute(sql.months(cut.period.index)).fetchall()[0]
        owed = con.execute(sql.REPORTS, _used(sql.REPORTS, params)).fetchall()
        found = unseen_query(root, cut)
        unseen = int(con.execute(*found).fetchall()[0][0]) if found else 0
        meta: list[Any] = []
        order: dict[str, list[str]] = {}
        if not cut.prefixed:  # one town's bulletin: its issuer and its official order
            meta = con.execute("SELECT key, value FROM townplan_meta").fetchall()
            for table in ("zones", "units"):
                q = sql.official_order(table)
                order[table] = [r[0] for r in con.execute(q, _used(q, params)).fetchall()]
        return assemble(cut, rules, detail, lit, series, owed, issuer(cut, meta), order, unseen)
    finally:
        con.close()


def _used(query: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``query`` names (DuckDB refuses unused ones)."""
    return {k: v for k, v in params.items() if re.search(rf"\${k}\b", query)}
