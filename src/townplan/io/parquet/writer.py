"""Writing town ledgers into a Parquet dataset, one town's partitions replaced at a time.

Each table of a town is streamed out of its SQLite file in batches into a new directory
beside the partition (its name starts with a dot, so readers skip it), then swapped in
for the old one with one atomic ``rename`` exchange (Linux ``renameat2``); elsewhere the
old directory is moved aside and the new one moved in, a moment apart.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import json
import os
import shutil
import sqlite3
import uuid
from collections.abc import Iterator, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

import attrs

from townplan.errors import SchemaError, ValidationError
from townplan.io.parquet.layout import (
    DATASET_VERSION,
    MANIFEST,
    PARTITION,
    RENAMED,
    YEAR_PARTITIONED,
    check_town,
    ledger_tables,
)
from townplan.ledger import LedgerStore
from townplan.ledger.schema import MIGRATIONS
from townplan.progress import ProgressHook, Tally

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["ExportSummary", "to_parquet"]

#: Rows read from SQLite and written as one Parquet row group at a time.
BATCH: Final = 200_000


@attrs.frozen
class ExportSummary:
    """What an export wrote: rows per table, over every town written."""

    directory: Path
    towns: tuple[str, ...]
    rows: Mapping[str, int]


def to_parquet(
    towns: Mapping[str, LedgerStore | str | Path],
    directory: str | Path,
    *,
    on_progress: ProgressHook | None = None,
) -> ExportSummary:
    """Write each town's ledger (an open ledger or the path of its file) into the Parquet
    dataset at ``directory``, replacing that town's partitions and leaving other towns'.

    ``on_progress(done, total)`` (see :mod:`townplan.progress`) is told of each table
    written: a step is one table of one town.

    >>> import tempfile, townplan as tp
    >>> from townplan.fixtures import load_sample_town
    >>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
    >>> out = tempfile.mkdtemp()
    >>> summary = to_parquet({"麻涌镇": town}, out)
    >>> summary.rows["projects"]
    40
    >>> sorted(p.name for p in (Path(out) / "projects").iterdir())
    ['town=麻涌镇']
    """
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        raise SchemaError(
            "writing Parquet needs pyarrow: pip install 'townplan[analytics]'"
        ) from None
    if not isinstance(towns, Mapping) or not towns:
        raise ValidationError.single(
            record="to_parquet", field="towns", value=towns,
            expected="a mapping of town names to ledgers or ledger files",
        )  # fmt: skip
    names = [check_town(name) for name in towns]
    root = Path(directory)
    root.mkdir(parents=True, exist_ok=True)
    rows: dict[str, int] = {}
    tally = None
    if on_progress is not None:  # the steps: every table of every town
        steps = 0
        for name in names:
            with _opened(towns[name]) as conn:
                steps += len(ledger_tables(conn))
        tally = Tally(on_progress, steps, every=1)
    for name in names:
        with _opened(towns[name]) as conn:
            tables = ledger_tables(conn)
            _check_manifest(root)
            written = _export_town(conn, name, root, tally)
            for table, (count, _) in written.items():
                rows[table] = rows.get(table, 0) + count
            _write_manifest(root, tables, name, written)
    if tally is not None:
        tally.finish()
    return ExportSummary(root, tuple(names), rows)


class _opened:
    """The SQLite connection of an open ledger, or of a ledger file opened read-only."""

    def __init__(self, town: LedgerStore | str | Path) -> None:
        self.town: LedgerStore | str | Path = town
        self.own: LedgerStore | None = None

    def __enter__(self) -> sqlite3.Connection:
        if isinstance(self.town, LedgerStore):
            conn: sqlite3.Connection = self.town.db.conn
            return conn
        self.own = LedgerStore.open(self.town, read_only=True) if _is_file(self.town) else None
        if self.own is None:
            raise ValidationError.single(
                record="to_parquet", field="towns", value=self.town,
                expected="an open ledger or the path of a ledger file",
            )  # fmt: skip
        conn = self.own.db.conn
        return conn

    def __exit__(self, *exc: object) -> None:
        if self.own is not None:
            self.own.close()


def _is_file(value: object) -> bool:
    return isinstance(value, str | Path) and Path(value).is_file()


def _check_manifest(root: Path) -> dict[str, Any]:
    """The manifest held at ``root`` (empty if none); SchemaError when this townplan must
    not write there."""
    path = root / MANIFEST
    if not path.exists():
        return {}
    held: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    if held.get("format") != "townplan-parquet":
        raise SchemaError(f"{root} holds {MANIFEST} of another format; not writing there")
    if held.get("schema_version", 0) > MIGRATIONS[-1].version:
        raise SchemaError(
            f"{root} was written with ledger schema version {held['schema_version']}, "
            f"newer than this townplan's {MIGRATIONS[-1].version}"
        )
    return held


def _write_manifest(
    root: Path,
    tables: dict[str, list[tuple[str, str]]],
    town: str,
    written: dict[str, tuple[int, str | None]],
) -> None:
    """Record the layout, the schema and, per town, the ledger schema version its files
    were written with (readers line up columns by name only when the versions differ),
    the rows of each of its tables (``rows``: a reader skips the files of none) and the
    newest record time of each (``recorded``: a reader as of an earlier day counts what
    it leaves out only where something was recorded later)."""
    path = root / MANIFEST
    held = _check_manifest(root)
    manifest = {
        "format": "townplan-parquet",
        "dataset_version": DATASET_VERSION,
        "schema_version": MIGRATIONS[-1].version,
        "partitioning": "hive",
        "partition_key": PARTITION,
        "renamed_columns": RENAMED,
        "tables": {name: [list(c) for c in columns] for name, columns in tables.items()},
        "towns": {**held.get("towns", {}), town: MIGRATIONS[-1].version},
        "rows": {**held.get("rows", {}), town: {t: n for t, (n, _) in written.items()}},
        "recorded": {
            **held.get("recorded", {}),
            town: {t: newest for t, (_, newest) in written.items() if newest is not None},
        },
    }
    temporary = root / f".{MANIFEST}.{uuid.uuid4().hex}"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(temporary, path)


def _export_town(
    conn: sqlite3.Connection, town: str, root: Path, tally: Tally | None = None
) -> dict[str, tuple[int, str | None]]:
    """Each table's rows written and its newest record time (None: no record times)."""
    rows = {}
    for table, columns in ledger_tables(conn).items():
        final = root / table / f"{PARTITION}={town}"
        staging = root / table / f".{PARTITION}={town}.{uuid.uuid4().hex}"
        staging.mkdir(parents=True)
        try:
            rows[table] = _write_table(conn, table, columns, staging, town)
            _swap_in(staging, final)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        if tally is not None:
            tally.add()
    return rows


def _schema(columns: list[tuple[str, str]], town: str) -> pa.Schema:
    import pyarrow as pa

    kinds = {
        "int64": pa.int64(), "string": pa.string(), "date32": pa.date32(),
        "timestamp": pa.timestamp("us"),
    }  # fmt: skip
    meta = {
        "townplan.schema_version": str(MIGRATIONS[-1].version),
        "townplan.dataset_version": str(DATASET_VERSION),
        "townplan.written_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    return pa.schema([pa.field(n, kinds[t]) for n, t in columns], metadata=meta)


def _write_table(
    conn: sqlite3.Connection, table: str, columns: list[tuple[str, str]], into: Path, town: str
) -> tuple[int, str | None]:
    import pyarrow.parquet as pq

    schema = _schema(columns, town)
    names = ", ".join(f"[{_ledger_name(n)}]" for n, _ in columns)
    if table not in YEAR_PARTITIONED:
        cursor = conn.execute(f"SELECT {names} FROM [{table}]")
        return _write_file(cursor, schema, into / "part-0.parquet", pq)
    total, newest = 0, _Newest(schema)
    years = [r[0] for r in conn.execute(f"SELECT DISTINCT substr(period, 1, 4) FROM [{table}]")]
    for year in sorted(years):
        cursor = conn.execute(
            f"SELECT {names} FROM [{table}] WHERE period >= ? AND period < ? ORDER BY id",
            (f"{year}-", f"{int(year) + 1:04d}-"),
        )
        folder = into / f"year={int(year)}"
        folder.mkdir()
        count, latest = _write_file(cursor, schema, folder / "part-0.parquet", pq)
        total += count
        newest.add_time(latest)
    return total, newest.value


def _ledger_name(column: str) -> str:
    return next((k for k, v in RENAMED.items() if v == column), column)


def _write_file(
    cursor: sqlite3.Cursor, schema: pa.Schema, path: Path, pq: Any
) -> tuple[int, str | None]:
    """Rows written, and the newest record time among them (see :class:`_Newest`)."""
    count, newest = 0, _Newest(schema)
    with pq.ParquetWriter(path, schema, compression="zstd") as writer:
        for batch in _batches(cursor, schema):
            writer.write_batch(batch)
            count += batch.num_rows
            newest.add(batch)
        if count == 0:
            import pyarrow as pa

            writer.write_table(pa.Table.from_pylist([], schema=schema))
    return count, newest.value


class _Newest:
    """The newest ``recorded_at`` of the rows written, taken from the rows themselves:
    ISO text, "" when there were none, None for a table without record times."""

    def __init__(self, schema: pa.Schema) -> None:
        self.value: str | None = "" if "recorded_at" in schema.names else None

    def add(self, batch: pa.RecordBatch) -> None:
        import pyarrow.compute as pc

        if self.value is not None:
            found = pc.max(batch.column("recorded_at")).as_py()
            self.add_time(None if found is None else found.isoformat())

    def add_time(self, found: str | None) -> None:
        if self.value is not None and found and found > self.value:
            self.value = found


def _batches(cursor: sqlite3.Cursor, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    import pyarrow as pa
    import pyarrow.compute as pc

    while rows := cursor.fetchmany(BATCH):
        arrays = []
        for field, values in zip(schema, zip(*rows, strict=True), strict=True):
            if pa.types.is_date32(field.type) or pa.types.is_timestamp(field.type):
                text = pa.array(values, pa.string())
                arrays.append(pc.cast(text, field.type))
            else:
                arrays.append(pa.array(values, field.type))
        yield pa.RecordBatch.from_arrays(arrays, schema=schema)


def _swap_in(staging: Path, final: Path) -> None:
    """Put ``staging`` where ``final`` is, atomically where the system allows."""
    if not final.exists():
        os.rename(staging, final)
        return
    if _exchange(staging, final):
        return  # staging now holds the old partition; the caller removes it
    aside = final.with_name(f".{final.name}.old.{uuid.uuid4().hex}")
    os.rename(final, aside)
    os.rename(staging, final)
    shutil.rmtree(aside, ignore_errors=True)


_RENAME_EXCHANGE: Final = 2
_AT_FDCWD: Final = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap two directories in one step (Linux ``renameat2(RENAME_EXCHANGE)``)."""
    name = ctypes.util.find_library("c")
    if name is None:
        return False
    try:
        renameat2 = ctypes.CDLL(name, use_errno=True).renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return bool(result == 0)
