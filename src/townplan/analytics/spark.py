"""The bulletin on Apache Spark: the same SQL (:mod:`townplan.analytics.sql`) over the
same Parquet dataset, as a cluster runs it. ``spark-submit`` a script calling
``analytics.bulletin(..., engine="spark")`` and the session it gets is used; without one,
a local session starts (``local[2]``, no UI, bound to 127.0.0.1).
"""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from townplan.analytics import sql
from townplan.analytics.engine import Cut, assemble, dataset_files, issuer
from townplan.analytics.rules import ENTRY_KINDS, RULE_COLUMNS, halted, town_rules
from townplan.analytics.unseen import unseen_counts, unseen_values
from townplan.errors import SchemaError
from townplan.io.parquet.layout import PARTITION, read_manifest
from townplan.reports.table import Report

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, SparkSession

__all__ = ["bulletin_spark", "local_session"]

_SPARK_TYPES: Final = {
    "VARCHAR": "STRING", "BIGINT": "BIGINT", "DATE": "DATE", "BOOLEAN": "BOOLEAN",
    "int64": "BIGINT", "string": "STRING", "date32": "DATE", "timestamp": "TIMESTAMP_NTZ",
}  # fmt: skip


def local_session(master: str = "local[2]") -> SparkSession:
    """The active Spark session, or a new local one: ``master``, UI off, bound to
    127.0.0.1, partition values read as text (a town named "2013" stays a name)."""
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise SchemaError("the Spark path needs pyspark: pip install 'townplan[spark]'") from None
    active = SparkSession.getActiveSession()
    if active is not None:
        return active
    return (
        SparkSession.builder.master(master)
        .appName("townplan bulletin")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.sql.sources.partitionColumnTypeInference.enabled", "false")
        .config("spark.sql.parquet.inferTimestampNTZ.enabled", "true")
        .getOrCreate()
    )


def _table(spark: SparkSession, root: str | Path, table: str, files: list[str],
           columns: list[list[str]]) -> DataFrame:  # fmt: skip
    if files:
        return spark.read.option("basePath", str(Path(root) / table)).parquet(*files)
    fields = ", ".join(f"`{n}` {_SPARK_TYPES[t]}" for n, t in columns)
    return spark.createDataFrame([], f"{fields}, {PARTITION} STRING")


def _rows(spark: SparkSession, query: str) -> list[dict[str, Any]]:
    return [row.asDict() for row in spark.sql(query).collect()]


def _spark_sql(query: str) -> str:
    """The shared SQL with Spark's parameter markers (``:name``)."""
    return re.sub(r"\$(\w+)", r":\1", query)


def _used(query: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters ``query`` names; a record time as text, compared as written (no
    time zone applied), as the files hold it."""
    return {
        k: v.isoformat(sep=" ") if isinstance(v, datetime) else v
        for k, v in params.items()
        if re.search(rf":{k}\b", query)
    }


def bulletin_spark(root: str | Path, cut: Cut, *, spark: SparkSession | None = None) -> Report:
    """The bulletin for ``cut`` computed by Spark over the dataset at ``root``."""
    spark = spark or local_session()
    schemas = read_manifest(root).get("tables", {})
    for table, files in dataset_files(root, cut).items():
        _table(spark, root, table, files, schemas.get(table, [])).createOrReplaceTempView(table)
    entries = _rows(
        spark,
        "SELECT e.*, c.recorded_at AS corrected_at FROM entries e LEFT JOIN "
        "(SELECT town, corrects, recorded_at FROM entries WHERE corrects IS NOT NULL) c "
        f"ON c.town = e.town AND c.corrects = e.id WHERE e.kind = '{ENTRY_KINDS[0]}'",
    )
    rules, rows = town_rules(cut.towns, _rows(spark, "SELECT * FROM rules"), cut.period, cut.cutoff)
    schema = ", ".join(f"{n} {_SPARK_TYPES[t]}" for n, t in RULE_COLUMNS)
    spark.createDataFrame(rows, schema).createOrReplaceTempView("town_rules")
    stopped = halted(entries, cut.period.end, cut.day, cut.cutoff)
    halted_view = spark.createDataFrame(stopped, "town STRING, project STRING")
    halted_view.createOrReplaceTempView("halted")
    params = cut.params()
    cached = []
    for name, query in (
        ("measures", _spark_sql(sql.measures(cut.period.index))),
        ("portfolio", _spark_sql(sql.portfolio(cut.period.index))),
    ):
        frame = spark.sql(query, args=_used(query, params)).cache()
        frame.createOrReplaceTempView(name)
        cached.append(frame)
    try:
        detail = [tuple(r) for r in spark.sql(sql.DETAIL).collect()]
        lit = [tuple(r) for r in spark.sql(sql.LIGHTS).collect()]
        series = tuple(spark.sql(sql.months(cut.period.index)).collect()[0])
        owed_sql = _spark_sql(sql.REPORTS)
        owed = [tuple(r) for r in spark.sql(owed_sql, args=_used(owed_sql, params)).collect()]
    finally:
        for frame in cached:
            frame.unpersist()
    meta = [tuple(r) for r in spark.sql("SELECT key, value FROM townplan_meta").collect()]
    order = {}
    for table in ("zones", "units"):
        query = _spark_sql(sql.official_order(table))
        order[table] = [r[0] for r in spark.sql(query, args=_used(query, params)).collect()]
    unseen = _unseen(spark, root, cut, schemas)
    return assemble(cut, rules, detail, lit, series, owed, issuer(cut, meta), order, unseen)


def _unseen(
    spark: SparkSession, root: str | Path, cut: Cut, schemas: dict[str, list[list[str]]]
) -> int:
    """How many facts of the cut's year to date were recorded after it, read from the
    files the manifest shows may hold some (see :mod:`townplan.analytics.unseen`)."""
    counts = []
    for table, files, condition in unseen_counts(root, cut):
        _table(spark, root, table, files, schemas.get(table, [])).createOrReplaceTempView(
            f"later_{table}"
        )
        counts.append(f"(SELECT count(*) FROM later_{table} WHERE {condition})")
    if not counts:
        return 0
    query = _spark_sql("SELECT " + " + ".join(counts))
    return int(spark.sql(query, args=_used(query, unseen_values(cut))).collect()[0][0])
