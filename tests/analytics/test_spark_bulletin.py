"""The Spark bulletin over the Parquet dataset equals the SQLite bulletin for two towns:
every row of the zones, categories and units tables (and the rest of the report).

A local Spark session (``local[2]``, no UI, bound to 127.0.0.1) starts once for the
module; run with ``--spark`` where Java 17 and pyspark are installed."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan import analytics

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    pytest.importorskip("pyspark")
    from townplan.analytics.spark import local_session

    session = local_session()
    yield session
    session.stop()


@pytest.mark.parametrize("name", ["麻涌镇", "长安镇"])
def test_spark_equals_the_ledger_for_two_towns(
    spark: Any, towns: dict[str, tp.Ledger], dataset: Path, name: str
) -> None:
    as_of = date(2013, 7, 15)
    on_spark = analytics.bulletin(dataset, "2013-06", as_of=as_of, town=name, engine="spark")
    in_town = tp.reports.bulletin(towns[name], "2013-06", as_of=as_of)
    for key in ("zones", "categories", "units"):
        assert in_town.table(key).rows
        assert list(on_spark.table(key).rows) == list(in_town.table(key).rows), key
        assert on_spark.table(key).total == in_town.table(key).total, key
    for key in ("lights", "reports"):
        assert list(on_spark.table(key).rows) == list(in_town.table(key).rows), key
    assert on_spark.figures == in_town.figures
    assert on_spark.unseen == in_town.unseen


def test_spark_equals_duckdb_for_both_towns_together(spark: Any, dataset: Path) -> None:
    both = ["麻涌镇", "长安镇"]
    on_spark = analytics.bulletin(dataset, "2013-06", town=both, engine="spark")
    on_duckdb = analytics.bulletin(dataset, "2013-06", town=both)
    for key in ("zones", "categories", "units", "lights", "reports"):
        assert list(on_spark.table(key).rows) == list(on_duckdb.table(key).rows), key
    assert on_spark.unseen == on_duckdb.unseen > 0  # what the cut leaves out, both counted
