"""What a province bulletin's cut leaves out: the facts of the year to date recorded after
it, counted as each town's ledger counts them (:data:`townplan.ledger.asof.UNSEEN`, the
one list of what a reading of a period knows), over the dataset's files.

The manifest holds each town's newest record time per table (written by the export), so
only the tables and towns with something recorded after the cut are read; a dataset
without it (an older export) is counted in full.
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import Any

from townplan.analytics.engine import Cut, dataset_files
from townplan.io.parquet.layout import read_manifest
from townplan.ledger.asof import UNSEEN
from townplan.model.period import Period, PeriodKind

__all__ = ["later_files", "unseen_counts", "unseen_query", "unseen_values"]


def later_files(root: str | Path, cut: Cut) -> dict[str, list[str]]:
    """The files of each table of :data:`~townplan.ledger.asof.UNSEEN` that may hold a
    record made after ``cut``, for its towns; tables with none are left out."""
    recorded = read_manifest(root).get("recorded", {})
    found = dataset_files(
        root, cut, [table for table, _ in UNSEEN],
        lambda town, table: _later(recorded.get(town), table, cut.cutoff),
    )  # fmt: skip
    return {table: files for table, files in found.items() if files}


def _later(newest: dict[str, str] | None, table: str, cutoff: datetime) -> bool:
    """Whether a town's ``table`` may hold a record at or after ``cutoff``."""
    if newest is None or table not in newest:
        return True  # not known: count it
    return bool(newest[table]) and datetime.fromisoformat(newest[table]) >= cutoff


def unseen_counts(root: str | Path, cut: Cut) -> list[tuple[str, list[str], str]]:
    """For each table of :data:`~townplan.ledger.asof.UNSEEN` that may hold a record made
    after ``cut``: the table, its files, and the condition (``$``-parameters, see
    :func:`unseen_values`) a row recorded after the cut must meet to count."""
    files = later_files(root, cut)
    return [
        (table, files[table], "recorded_at >= $cutoff AND " + re.sub(r":(\w+)", r"$\1", where))
        for table, where in UNSEEN
        if table in files
    ]


def unseen_values(cut: Cut) -> dict[str, Any]:
    """The parameters of :func:`unseen_counts`' conditions."""
    first, last = Period(cut.period.year, PeriodKind.YEAR).start, cut.period.end
    return {
        "first": first, "last": last, "first_month": f"{first:%Y-%m}",
        "last_month": f"{last:%Y-%m}", "cutoff": cut.cutoff,
    }  # fmt: skip


def unseen_query(root: str | Path, cut: Cut) -> tuple[str, dict[str, Any]] | None:
    """One DuckDB count of the facts of the cut's year to date recorded after it, and its
    parameters; None when the manifest shows there are none."""
    found = unseen_counts(root, cut)
    if not found:
        return None
    values = unseen_values(cut)
    counts = []
    for table, files, condition in found:
        values[f"files_{table}"] = files
        counts.append(
            f"(SELECT count(*) FROM read_parquet($files_{table}, hive_partitioning = true)"
            f" WHERE {condition})"
        )
    query = "SELECT " + " + ".join(counts)
    return query, {k: v for k, v in values.items() if re.search(rf"\${k}\b", query)}
