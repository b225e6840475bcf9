"""A province's bulletin: export to Parquet, DuckDB over the dataset, SQLite over the
rollup, and a hand-written DuckDB query of the same tables, in one run.

Towns are generated once per seed (``seed=1…10``, ten months reported) and replicated
under different names, as generating 10⁶ projects one by one would take most of an hour:
at ``large`` 300 towns of 3,334 projects (10⁶ projects, about 10⁷ reports). The whole
province is then

* exported with ``tp.io.to_parquet`` (timed: every town file read and written);
* rolled up into one SQLite ledger the way :func:`townplan.io.rollup` names things
  (``<town>/<code>``), written here with SQL for speed, so ``tp.reports.bulletin`` runs
  on the SQLite path at the province's size;
* asked for the June bulletin as known on 15 July: ``townplan.analytics.bulletin`` over
  the dataset (every town), ``tp.reports.bulletin`` over the rollup, and a hand-written
  DuckDB query of the same figures (the floor; as-of rules written for ledgers without
  history, as the generated ones are). Every row of the zones, categories, units, lights
  and reports tables, and the count of what the cut leaves out (``unseen``), must agree,
  or the run fails.

Targets: DuckDB ≥ 5× faster than SQLite, within 1.3× of the hand-written floor (both on
CPU time, which counts every DuckDB thread); the peak resident memory of each is stated.
"""

from __future__ import annotations

import shutil
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any, Final

from bench.bulletin import light_row
from bench.common import Measured, Result, Size, data_file, measured
from townplan import Ledger
from townplan.analytics.duck import bulletin_duckdb
from townplan.analytics.engine import cut_for
from townplan.fixtures import generate_portfolio
from townplan.io import to_parquet
from townplan.model.money import Money
from townplan.reports import Report, bulletin

#: (towns, projects per town, distinct generated towns) per size.
SIZES: Final = {"small": (4, 60, 2), "medium": (30, 3_334, 10), "large": (300, 3_334, 10)}
MONTHS: Final = 10
RUNS: Final = 2
_AS_OF: Final = date(2013, 7, 15)


def _towns(size: str, workdir: Path) -> dict[str, Path]:
    count, projects, seeds = SIZES[size]
    base = []
    for seed in range(1, seeds + 1):
        path = data_file(f"province-{projects}-s{seed}.db", workdir)
        if not path.exists():
            partial = path.with_suffix(".tmp")
            partial.unlink(missing_ok=True)
            with Ledger.open(partial) as ledger:
                generate_portfolio(ledger, projects, seed=seed, months=MONTHS)
            partial.rename(path)
        Ledger.open(path).close()  # a kept file from an older townplan is migrated first
        base.append(path)
    folder = workdir / f"province-{size}"
    folder.mkdir(exist_ok=True)
    towns = {}
    for i in range(count):
        path = folder / f"town{i:03d}.db"
        if not path.exists():
            shutil.copyfile(base[i % seeds], path)
        towns[f"镇{i:03d}"] = path
    return towns


_PROJECT_COLUMNS: Final = (
    "code, name, category, stage, kind, currency, government_fen, social_fen, total_fen, "
    "plan_fen, plan_year, zone, village, responsible_unit, leader, content, start_year, "
    "end_year, town, valid_from, recorded_at, version, change_note"
)
_PROJECT_VALUES: Final = (
    ":p || code, name, category, stage, kind, currency, government_fen, social_fen, "
    "total_fen, plan_fen, plan_year, :p || zone, village, :p || responsible_unit, leader, "
    "content, start_year, end_year, :town, valid_from, recorded_at, version, change_note"
)


def _rollup(towns: dict[str, Path], path: Path) -> Path:
    """One SQLite ledger holding every town's register and progress as a rollup names them
    (reference data and progress only: the bulletin's tables read nothing else)."""
    if path.exists():
        return path
    partial = path.with_suffix(".tmp")
    partial.unlink(missing_ok=True)
    Ledger.open(partial).close()
    conn = sqlite3.connect(partial)
    offset = 0
    for town, file in towns.items():
        conn.execute("ATTACH ? AS t", (str(file),))
        p = {"p": f"{town}/", "town": town}
        with conn:
            conn.execute(
                "INSERT INTO zones (name, name_en, recorded_at) "
                "SELECT :p || name, name_en, recorded_at FROM t.zones",
                p,
            )
            conn.execute(
                "INSERT INTO units (name, name_en, recorded_at) "
                "SELECT :p || name, name_en, recorded_at FROM t.units",
                p,
            )
            conn.execute(
                f"INSERT INTO projects ({_PROJECT_COLUMNS}) "
                f"SELECT {_PROJECT_VALUES} FROM t.projects",
                p,
            )
            conn.execute(
                "INSERT INTO progress SELECT id + :o, :p || project, period, currency, "
                "completed_fen, cumulative_fen, note, reported_on, recorded_at, corrects + :o "
                "FROM t.progress ORDER BY id",
                {**p, "o": offset},
            )
        offset = conn.execute("SELECT max(id) FROM progress").fetchone()[0] or 0
        conn.execute("DETACH t")
    conn.execute("ANALYZE")
    conn.close()
    partial.rename(path)
    return path


# --- the floor: the same figures by hand ------------------------------------------------
# Reports in force at the cut: a report in no chain of corrections is in force alone;
# in a chain, the newest known at the cut is.
_FLOOR_PROGRESS: Final = """
c AS (SELECT DISTINCT town, project, period FROM read_parquet($progress, hive_partitioning = true)
      WHERE corrects IS NOT NULL),
g AS (SELECT v.town, v.project, v.period, v.completed_fen
      FROM read_parquet($progress, hive_partitioning = true) v
      WHERE v.reported_on <= DATE '2013-07-15' AND v.recorded_at < TIMESTAMP '2013-07-16'
        AND v.period BETWEEN '2013-01' AND '2013-06'
        AND NOT EXISTS (SELECT 1 FROM c WHERE c.town = v.town AND c.project = v.project
                        AND c.period = v.period)
      UNION ALL
      SELECT town, project, period, completed_fen FROM (
          SELECT v.*, row_number() OVER (PARTITION BY v.town, v.project, v.period
                                         ORDER BY v.id DESC) AS newest
          FROM read_parquet($progress, hive_partitioning = true) v
          SEMI JOIN c USING (town, project, period)
          WHERE v.reported_on <= DATE '2013-07-15' AND v.recorded_at < TIMESTAMP '2013-07-16'
            AND v.period BETWEEN '2013-01' AND '2013-06')
      WHERE newest = 1)
"""
_FLOOR: Final = f"""
CREATE TEMP TABLE m AS
WITH p AS (SELECT * FROM read_parquet($projects, hive_partitioning = true)
           WHERE valid_from <= DATE '2013-07-15' AND recorded_at < TIMESTAMP '2013-07-16'),
{_FLOOR_PROGRESS},
y AS (SELECT town, project, sum(completed_fen) AS done,
      sum(CASE WHEN period = '2013-01' THEN completed_fen ELSE 0 END) AS m1,
      sum(CASE WHEN period = '2013-02' THEN completed_fen ELSE 0 END) AS m2,
      sum(CASE WHEN period = '2013-03' THEN completed_fen ELSE 0 END) AS m3,
      sum(CASE WHEN period = '2013-04' THEN completed_fen ELSE 0 END) AS m4,
      sum(CASE WHEN period = '2013-05' THEN completed_fen ELSE 0 END) AS m5,
      sum(CASE WHEN period = '2013-06' THEN completed_fen ELSE 0 END) AS m6
      FROM g GROUP BY town, project)
SELECT p.town, p.code, p.name, p.currency, p.zone, p.category, p.responsible_unit, p.kind,
       coalesce(y.done, 0) AS done, y.m1, y.m2, y.m3, y.m4, y.m5, y.m6,
       CASE WHEN p.plan_year = 2013 THEN p.plan_fen ELSE 0 END AS plan
FROM p LEFT JOIN y ON y.town = p.town AND y.project = p.code
WHERE p.currency = 'CNY' AND (p.government_fen >= 1000000000 OR p.social_fen >= 20000000000)
"""
_BEHIND: Final = "(600 * m.plan - 1200 * m.done)"
_LIT: Final = "(m.kind = 'construction' AND m.plan > 0)"
_FLOOR_SUMMARY: Final = f"""
SELECT {{key}}, count(*), sum(plan), sum(done),
       sum(CASE WHEN {_LIT} AND {_BEHIND} > 360 * m.plan THEN 1 ELSE 0 END),
       sum(CASE WHEN {_LIT} AND {_BEHIND} >= 120 * m.plan AND {_BEHIND} <= 360 * m.plan
           THEN 1 ELSE 0 END)
FROM m GROUP BY ALL
"""
_FLOOR_LIGHTS: Final = f"""
SELECT m.town || '/' || m.code, m.name, {_BEHIND} > 360 * m.plan, m.done, m.plan FROM m
WHERE {_LIT} AND {_BEHIND} >= 120 * m.plan
ORDER BY {_BEHIND} > 360 * m.plan DESC, CAST({_BEHIND} AS DOUBLE) / m.plan DESC, 1
"""
_FLOOR_MONTHS: Final = """
SELECT sum(m1), sum(m2), sum(m3), sum(m4), sum(m5), sum(m6) FROM m
"""
_FLOOR_REPORTS: Final = """
WITH r AS (SELECT town, project, min(reported_on) AS first_on
           FROM read_parquet($progress, hive_partitioning = true)
           WHERE period = '2013-06' AND reported_on <= DATE '2013-07-15'
             AND recorded_at < TIMESTAMP '2013-07-16' GROUP BY town, project)
SELECT p.town || '/' || p.code, p.name, coalesce(p.town || '/' || p.responsible_unit, ''),
       CASE WHEN r.first_on IS NULL THEN '未报' ELSE '迟报' END, r.first_on
FROM read_parquet($projects, hive_partitioning = true) p
LEFT JOIN r ON r.town = p.town AND r.project = p.code
WHERE p.valid_from <= DATE '2013-06-30' AND p.recorded_at < TIMESTAMP '2013-07-16'
  AND p.currency = 'CNY' AND (p.government_fen >= 1000000000 OR p.social_fen >= 20000000000)
  AND (r.first_on IS NULL OR r.first_on > DATE '2013-07-05')
"""


# What the cut leaves out (the report's ``unseen``): the year to date's facts recorded
# after it. The generated ledgers record nothing but progress reports after the cut (a
# report of October is recorded in November); ``check_floor`` holds the two counts equal.
_FLOOR_UNSEEN: Final = """
SELECT count(*) FROM read_parquet($progress, hive_partitioning = true)
WHERE recorded_at >= TIMESTAMP '2013-07-16' AND period BETWEEN '2013-01' AND '2013-06'
"""


def floor(dataset: Path) -> dict[str, list[tuple[Any, ...]]]:
    """The bulletin's figures by a hand-written DuckDB query over the dataset."""
    import duckdb

    con = duckdb.connect(":memory:")
    files = {
        "projects": str(dataset / "projects" / "town=*" / "*.parquet"),
        "progress": str(dataset / "progress" / "town=*" / "year=*" / "*.parquet"),
    }
    con.execute(_FLOOR, files)
    found: dict[str, list[tuple[Any, ...]]] = {}
    for table, key in (
        ("zones", "m.town || '/' || m.zone"), ("categories", "m.category"),
        ("units", "m.town || '/' || m.responsible_unit"),
    ):  # fmt: skip
        found[table] = con.execute(_FLOOR_SUMMARY.format(key=key)).fetchall()
    found["lights"] = [light_row(*row) for row in con.execute(_FLOOR_LIGHTS).fetchall()]
    found["monthly"] = con.execute(_FLOOR_MONTHS).fetchall()
    found["reports"] = con.execute(_FLOOR_REPORTS, files).fetchall()
    found["unseen"] = con.execute(_FLOOR_UNSEEN, {"progress": files["progress"]}).fetchall()
    con.close()
    return found


def check_floor(report: Report, found: dict[str, list[tuple[Any, ...]]]) -> None:
    """Raise AssertionError unless the report shows what the hand-written query found."""
    for table in ("zones", "categories", "units"):
        shown = {}
        for label, count, planned, done, _, _, red, amber in report.table(table).rows:
            key = None if label == "（未填）" else getattr(label, "value", label)
            assert isinstance(planned, Money) and isinstance(done, Money)
            shown[key] = (count, planned.fen(), done.fen(), red, amber)
        hand = {row[0]: tuple(int(v) for v in row[1:]) for row in found[table]}
        if shown != hand:
            raise AssertionError(f"analytics and the hand-written query disagree on {table}")
    lights = [
        (r[0], r[1], getattr(r[2], "value", None), r[3], r[5], r[6])
        for r in report.table("lights").rows
    ]
    if lights != [(r[0], r[1], r[2], r[3], r[4], r[5]) for r in found["lights"]]:
        raise AssertionError("analytics and the hand-written query disagree on the lights")
    (series, *_) = report.figures[2].series
    running, expected = 0, []
    for fen in found["monthly"][0]:
        running += int(fen or 0)
        expected.append(running)
    if [int(v * 1_000_000) for v in series.values] != expected:
        raise AssertionError("analytics and the hand-written query disagree on the months")
    reports = sorted((r[0], r[1], r[2], r[3], r[5]) for r in report.table("reports").rows)
    if reports != sorted(found["reports"]):
        raise AssertionError("analytics and the hand-written query disagree on the reports")
    if report.unseen != found["unseen"][0][0]:
        raise AssertionError("analytics and the hand-written query disagree on what is unseen")


def _same_tables(a: Report, b: Report) -> None:
    for key in ("zones", "categories", "units", "lights", "reports"):
        if a.table(key).rows != b.table(key).rows or a.table(key).total != b.table(key).total:
            raise AssertionError(f"DuckDB and SQLite bulletins disagree on the {key} table")
    if a.figures != b.figures:
        raise AssertionError("DuckDB and SQLite bulletins disagree on the charts")


def _best(runs: int, action: Any) -> tuple[Measured, Any]:
    best: tuple[Measured, Any] | None = None
    for _ in range(runs):
        with measured() as m:
            value = action()
        if best is None or m.cpu < best[0].cpu:
            best = (m, value)
    assert best is not None
    return best


def run(size: Size, workdir: Path) -> list[Result]:
    """Export, DuckDB, SQLite and the floor at ``size``."""
    towns = _towns(size.name, workdir)
    dataset = workdir / f"province-{size.name}-dataset"
    shutil.rmtree(dataset, ignore_errors=True)
    with measured() as export:
        summary = to_parquet(towns, dataset)
    city_path = _rollup(towns, data_file(f"province-{size.name}-rollup.db", workdir))
    Ledger.open(city_path).close()  # migrated, if kept from an older townplan
    city = Ledger.open(city_path, read_only=True)
    projects, reports = summary.rows["projects"], summary.rows["progress"]
    cut = cut_for(dataset, "2013-06", _AS_OF, None)
    duck_m, duck = _best(RUNS, lambda: bulletin_duckdb(dataset, cut))
    floor_m, hand = _best(RUNS, lambda: floor(dataset))
    sqlite_m, sqlite = _best(1, lambda: bulletin(city, "2013-06", as_of=_AS_OF))
    city.close()
    check_floor(duck, hand)
    _same_tables(duck, sqlite)
    scale = f"{len(towns)} towns, {projects:,} projects, {reports:,} reports"
    size_mb = sum(f.stat().st_size for f in dataset.rglob("*.parquet")) / 2**20
    results = [
        Result(
            "province",
            f"export to Parquet, {scale}",
            "none (a cost paid once per export)",
            export.seconds,
            export.seconds,
            subject_cpu_s=export.cpu,
            baseline_cpu_s=export.cpu,
            subject_rss_mb=export.peak_mb - export.rss_before_mb,
            note=f"dataset {size_mb:.0f} MB; peak RSS {export.peak_mb:.0f} MB",
        ),
        Result(
            "province",
            f"June bulletin, {scale}",
            "tp.reports.bulletin over the SQLite rollup",
            duck_m.seconds,
            sqlite_m.seconds,
            subject="analytics (DuckDB)",
            subject_cpu_s=duck_m.cpu,
            baseline_cpu_s=sqlite_m.cpu,
            subject_rss_mb=duck_m.peak_mb - duck_m.rss_before_mb,
            baseline_rss_mb=sqlite_m.peak_mb - sqlite_m.rss_before_mb,
            note=f"peak RSS DuckDB {duck_m.peak_mb:.0f} MB, SQLite {sqlite_m.peak_mb:.0f} MB",
        ).judged("speedup", 5.0, at_least=True),
        Result(
            "province",
            f"June bulletin, {scale}",
            "hand-written DuckDB query (same tables)",
            duck_m.seconds,
            floor_m.seconds,
            subject="analytics (DuckDB)",
            subject_cpu_s=duck_m.cpu,
            baseline_cpu_s=floor_m.cpu,
            subject_rss_mb=duck_m.peak_mb - duck_m.rss_before_mb,
            baseline_rss_mb=floor_m.peak_mb - floor_m.rss_before_mb,
            note=f"peak RSS floor {floor_m.peak_mb:.0f} MB",
        ).judged("ratio", 1.3),
    ]
    return results
