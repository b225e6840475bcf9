"""A province's bulletin computed where its data is: over the Parquet dataset of every
town's ledger (:func:`townplan.io.to_parquet`), by DuckDB on one machine or by Apache
Spark on a cluster, as the same :class:`~townplan.reports.Report` the ledger path
(:func:`townplan.reports.bulletin`) builds, so every renderer works on it.

The report holds the bulletin's measured tables — zones, categories, units, the red and
amber projects with their reasons, the monthly series and the month's missing and late
reports — and its headline and charts. The overdue tasks and open problems are each
town's own workflow and stay with the town's ledger.

>>> import tempfile, townplan as tp
>>> from datetime import date
>>> from townplan.fixtures import load_sample_town
>>> from townplan import analytics
>>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
>>> dataset = tempfile.mkdtemp()
>>> _ = tp.io.to_parquet({"麻涌镇": town}, dataset)
>>> report = analytics.bulletin(dataset, month="2013-06", as_of=date(2013, 7, 15), town="麻涌镇")
>>> report.table("zones").rows == tp.reports.bulletin(town, "2013-06").table("zones").rows
True
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Literal

from townplan.analytics.engine import cut_for
from townplan.errors import ValidationError
from townplan.model.period import Period
from townplan.reports.table import Report

__all__ = ["bulletin"]


def bulletin(
    dataset: str | Path,
    month: Period | str,
    *,
    as_of: date | None = None,
    town: str | Iterable[str] | None = None,
    engine: Literal["duckdb", "spark"] = "duckdb",
) -> Report:
    """The bulletin for ``month`` as known on ``as_of`` (default: the 15th of the next
    month) over the dataset at ``dataset``: for one ``town``, several, or (None) every
    town in it, computed by ``engine`` ("duckdb", or "spark" for a Spark session)."""
    cut = cut_for(dataset, month, as_of, town)
    if engine == "duckdb":
        from townplan.analytics.duck import bulletin_duckdb

        return bulletin_duckdb(dataset, cut)
    if engine == "spark":
        from townplan.analytics.spark import bulletin_spark

        return bulletin_spark(dataset, cut)
    raise ValidationError.single(
        record="bulletin", field="engine", value=engine, expected="'duckdb' or 'spark'"
    )
