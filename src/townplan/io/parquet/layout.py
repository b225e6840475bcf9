"""The layout of a province's Parquet dataset: which tables, their typed columns, where
each town's files go, and the manifest that names the schema version.

The tables and columns are the ledger's own, read from the town file's schema, so a
field added to the ledger reaches the dataset without a change here. Each column keeps
its ledger name and gets a Parquet type from its SQLite declaration: ``INTEGER`` (ids,
years, every ``*_fen`` amount) is int64, ``TEXT`` is a UTF-8 string, except the day
columns (:data:`DAY_COLUMNS`, every ``*_on`` and every column the ledger checks as a day:
date32) and the record times
``recorded_at`` (a timestamp in microseconds, local time as the ledger writes it), so
"as of" questions stay answerable.
A column named ``town`` (a project's own town) is written as ``project_town``: ``town``
is the partition key.

::

    dataset/
      _townplan.json                     format, dataset version, ledger schema version,
                                         per town each table's rows and newest record
      projects/town=麻涌镇/part-0.parquet
      progress/town=麻涌镇/year=2013/part-0.parquet
      entries/town=麻涌镇/part-0.parquet
      …                                  every table of the ledger, partitioned by town
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Final

from townplan.errors import SchemaError, ValidationError

__all__ = [
    "DATASET_VERSION",
    "DAY_COLUMNS",
    "MANIFEST",
    "PARTITION",
    "RENAMED",
    "YEAR_PARTITIONED",
    "check_town",
    "ledger_tables",
    "read_manifest",
    "table_glob",
]

#: The file at the dataset's root naming its format and versions.
MANIFEST: Final = "_townplan.json"
#: The dataset layout's own version (bumped when the layout, not the ledger, changes).
DATASET_VERSION: Final = 1
#: The Hive partition key every table is split by.
PARTITION: Final = "town"
#: Tables also split by the year of their ``period`` (the bulk of a ledger).
YEAR_PARTITIONED: Final = frozenset({"progress"})
#: Columns renamed in the files because their ledger name is a partition key.
RENAMED: Final = {"town": "project_town"}
#: TEXT columns holding a day (ISO ``YYYY-MM-DD``), written as date32.
DAY_COLUMNS: Final = frozenset(
    {"valid_from", "reported_on", "effective_on", "effective_from", "effective_to",
     "established", "due", "latest"}
)  # fmt: skip
#: Tables that are bookkeeping of the file itself or an index, not the town's records.
_SKIPPED: Final = ("townplan_migrations", "sqlite_")
_DAY_CHECK: Final = re.compile(r"(\w+) GLOB '\[12\]\[0-9\]\[0-9\]\[0-9\]-\[01\]\[0-9\]-\[0-3\]")
_TOWN: Final = re.compile(r"^[^/\\=\x00-\x1f.][^/\\=\x00-\x1f]*$")


def check_town(name: object) -> str:
    """A town's name as it can name a partition directory (no ``/``, ``\\``, ``=``, control
    characters or leading dot)."""
    if not isinstance(name, str) or not _TOWN.match(name) or name != name.strip():
        raise ValidationError.single(
            record="to_parquet", field="town", value=name,
            expected="a town's name without / \\ = or control characters, not starting with .",
        )  # fmt: skip
    return name


def ledger_tables(conn: Any) -> dict[str, list[tuple[str, str]]]:
    """Every record table of a ledger file with its columns as (name, Parquet type):
    ``int64``, ``string``, ``date32`` or ``timestamp``."""
    tables: dict[str, list[tuple[str, str]]] = {}
    names = [
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    ]
    fts = {
        row[0]
        for row in conn.execute("SELECT name FROM sqlite_master WHERE sql LIKE '%VIRTUAL TABLE%'")
    }
    # A column the ledger checks as a day (``GLOB 'YYYY-MM-DD'``) in any table is a day.
    days = set(DAY_COLUMNS)
    for (definition,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'table'"):
        days.update(_DAY_CHECK.findall(definition or ""))
    for name in names:
        if name.startswith(_SKIPPED) or name in fts or _is_shadow(name, fts):
            continue
        columns = []
        for _, column, declared, *_ in conn.execute(f"PRAGMA table_info([{name}])"):
            columns.append((RENAMED.get(column, column), _type(column, declared, days)))
        tables[name] = columns
    return tables


def _is_shadow(name: str, fts: set[str]) -> bool:
    return any(name.startswith(v + "_") for v in fts)


def _type(column: str, declared: str, days: set[str]) -> str:
    if column == "recorded_at":
        return "timestamp"
    if column in days or column.endswith("_on"):
        return "date32"
    return "int64" if "INT" in declared.upper() else "string"


def table_glob(root: str | Path, table: str) -> str:
    """The glob of every file of ``table`` in the dataset at ``root`` (partition directories
    being written, whose names start with a dot, do not match)."""
    files = "year=*/*.parquet" if table in YEAR_PARTITIONED else "*.parquet"
    return str(Path(root) / table / f"{PARTITION}=*" / files)


def read_manifest(root: str | Path) -> dict[str, Any]:
    """The dataset's manifest; SchemaError when ``root`` is not a townplan dataset or one
    of a layout this townplan does not read."""
    path = Path(root) / MANIFEST
    try:
        manifest: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        raise SchemaError(
            f"{root}: not a townplan Parquet dataset (no readable {MANIFEST})"
        ) from None
    if (
        manifest.get("format") != "townplan-parquet"
        or manifest.get("dataset_version") != DATASET_VERSION
    ):
        raise SchemaError(
            f"{root}: a dataset of format {manifest.get('format')!r} version "
            f"{manifest.get('dataset_version')!r}; this townplan reads townplan-parquet "
            f"version {DATASET_VERSION}"
        )
    return manifest
