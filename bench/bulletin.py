"""The monthly bulletin: ``tp.reports.bulletin`` beside hand-written SQL doing its work.

Generated portfolios of growing size (``seed=1``, ten months reported, so 10⁶ projects
carry about 10⁷ progress entries) are read twice, as an office reads them: the June
bulletin as known on 15 July. Once through townplan, once through plain sqlite3 queries
written by hand for the same figures under the same as-of rules — the eligible projects
measured once into a temporary table, plan vs completed by zone, category and responsible
unit with red/amber counts read from it, the red and amber projects in the bulletin's
order with their reasons worded, the monthly completed series, the month's missing
and late reports with names and units, and the lifecycle: 计划新开工 / 实际开工 and the same
for 竣工 and 投产, the procedures by holding unit, the overdue list, the start and procedure
lights with their reasons worded, one row per leader, the halted projects, and the annex
of every project with June's report in force and its light. Every row of those must
equal the bulletin's, or the run fails. The bulletin also builds typed records and its
tasks, problems, headline and the note of what its cut leaves out, which the baseline
does not.

Each side runs three times (twice at 10⁶ projects), alternating so neither pays alone
for a cold page cache or a busy neighbour, and its run with the least CPU time counts. A
PNG plots time against size (``bulletin-growth.png`` in the work directory). Ledgers are
generated once per size into :data:`bench.common.DATA` when that is set (``--data``),
so a large run can reuse them.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Final

from bench.common import Result, Size, best_of, data_file
from townplan import Ledger
from townplan.fixtures import generate_portfolio
from townplan.model.money import Money
from townplan.reports import Report, bulletin

SIZES: Final = {
    "small": (300, 1_000),
    "medium": (10_000, 100_000),
    "large": (10_000, 100_000, 1_000_000),
}
MONTHS: Final = 10
#: Runs of each side (two at 10⁶ projects); the one with the least CPU time counts.
RUNS: Final = 3

# The bulletin is as known on a day (by default the 15th of the next month): a report
# counts when it was reported by then and recorded before the next day, and the one in
# force for a project and month is the last of its correction chain known then. The
# register is each project's newest version effective and recorded by then. Written the
# fastest way we know: a report nothing corrects is in force without a look further.
_DAY: Final = "2013-07-15"
_CUTOFF: Final = "2013-07-16"  # recorded_at is ISO text: earlier means recorded by _DAY
_PROGRESS: Final = """
SELECT p.* FROM progress p
WHERE p.reported_on <= :day AND p.recorded_at < :cutoff
  AND (NOT EXISTS (SELECT 1 FROM progress n WHERE n.corrects = p.id)
       OR NOT EXISTS (SELECT 1 FROM progress c WHERE c.project = p.project
                      AND c.period = p.period AND c.id > p.id
                      AND c.reported_on <= :day AND c.recorded_at < :cutoff))
"""
_REGISTER: Final = """
SELECT p.* FROM projects p
WHERE p.valid_from <= :{on} AND p.recorded_at < :cutoff
  AND NOT EXISTS (SELECT 1 FROM project_history h WHERE h.code = p.code
                  AND h.valid_from <= :{on} AND h.recorded_at < :cutoff
                  AND (h.valid_from, h.version) > (p.valid_from, p.version))
"""  # the generated ledgers keep no history, so no version comes from project_history
# Eligible (government ≥ 1000万元 or social ≥ 2亿元, in fen) projects with year-to-date
# completed at June 2013 and, for construction projects with a 2013 plan, their light by
# the time-proportional rule (amber from 10 points behind, red above 30), in integers:
# 1200·plan·behind/100 = 600·plan − 1200·ytd.
_ELIGIBLE: Final = "(p.currency = 'CNY' AND (p.government_fen >= 1000000000 "
_ELIGIBLE_END: Final = "OR p.social_fen >= 20000000000))"
_MEASURED: Final = f"""
WITH ytd AS (
    SELECT project, sum(completed_fen) AS done FROM ({_PROGRESS})
    WHERE period BETWEEN '2013-01' AND '2013-06' GROUP BY +project
)
SELECT p.code, p.name, p.currency, p.zone, p.category, p.responsible_unit, p.leader,
       p.kind, p.stage, p.planned_start, p.planned_finish, coalesce(y.done, 0) AS done,
       CASE WHEN p.plan_year = 2013 THEN p.plan_fen ELSE 0 END AS plan,
       CASE WHEN p.kind = 'construction' AND p.plan_year = 2013 AND p.plan_fen > 0
            AND p.code NOT IN (SELECT project FROM temp.halted) THEN
            600 * p.plan_fen - 1200 * coalesce(y.done, 0) ELSE NULL END AS behind
FROM ({_REGISTER.format(on="day")}) p LEFT JOIN ytd y ON y.project = p.code
WHERE {_ELIGIBLE}{_ELIGIBLE_END}
"""
# One grouping by all three keys; the three tables are summed from it in Python.
_SUMMARY: Final = """
SELECT m.zone, m.category, m.responsible_unit, m.currency, count(*) AS n,
       sum(m.plan) AS planned, sum(m.done) AS done,
       coalesce(sum(m.behind > 360 * m.plan), 0) AS red,
       coalesce(sum(m.behind >= 120 * m.plan AND m.behind <= 360 * m.plan), 0) AS amber
FROM temp.measured m GROUP BY m.zone, m.category, m.responsible_unit, m.currency
"""
_LIGHTS: Final = """
SELECT m.code, m.name, m.behind > 360 * m.plan AS red, m.done, m.plan
FROM temp.measured m WHERE m.behind >= 120 * m.plan
ORDER BY m.behind > 360 * m.plan DESC, CAST(m.behind AS REAL) / m.plan DESC, m.code
"""
_MONTHLY: Final = f"""
SELECT g.period, sum(g.completed_fen) FROM temp.measured m
JOIN ({_PROGRESS}) g ON g.project = m.code
WHERE g.period BETWEEN '2013-01' AND '2013-06'
GROUP BY g.period ORDER BY g.period
"""
# Owed for June: eligible in the register at the month's end; the first report arrived
# after 5 July is late, none by the day is missing.
_REPORTS: Final = f"""
SELECT p.code, p.name, coalesce(p.responsible_unit, ''),
       CASE WHEN r.first_on IS NULL THEN '未报' ELSE '迟报' END AS status, r.first_on
FROM ({_REGISTER.format(on="month_end")}) p LEFT JOIN (
    SELECT project, min(reported_on) AS first_on FROM progress
    WHERE period = '2013-06' AND reported_on <= :day AND recorded_at < :cutoff
    GROUP BY project
) r ON r.project = p.code
WHERE {_ELIGIBLE}{_ELIGIBLE_END} AND (r.first_on IS NULL OR r.first_on > '2013-07-05')
"""
# Suspended or cancelled on 30 June (the latest status entry effective by then and
# recorded by the cut): left out of the lights and of the overdue procedures.
_HALTED: Final = """
SELECT subject AS project, status, effective_on, note FROM (
    SELECT subject, payload ->> 'status' AS status, effective_on, note, row_number() OVER
           (PARTITION BY subject ORDER BY effective_on DESC, id DESC) AS n
    FROM entries WHERE kind = 'project_status' AND effective_on <= :month_end
    AND recorded_at < :cutoff)
WHERE n = 1 AND status IN ('suspended', 'cancelled')
"""
# Each required procedure of an eligible project, judged on 30 June as known on 15 July:
# done when a done entry effective by then was recorded by the cut.
_PROCEDURES: Final = """
SELECT pr.project, pr.kind, pr.due, pr.unit, m.name, m.leader,
       (SELECT k.name FROM procedure_kinds k WHERE k.code = pr.kind
        ORDER BY k.effective_from DESC LIMIT 1) AS kind_name,
       (SELECT k.position FROM procedure_kinds k WHERE k.code = pr.kind
        ORDER BY k.effective_from DESC LIMIT 1) AS position,
       d.done_on, pr.project IN (SELECT project FROM temp.halted) AS halted
FROM procedures pr JOIN temp.measured m ON m.code = pr.project
LEFT JOIN (SELECT subject, min(effective_on) AS done_on FROM entries
           WHERE kind = 'procedure_done' AND effective_on <= :month_end
           AND recorded_at < :cutoff GROUP BY subject) d
       ON d.subject = pr.project || '/' || pr.kind
WHERE pr.required = 1 AND pr.recorded_at < :cutoff AND pr.valid_from <= :day
"""
_BY_UNIT: Final = """
SELECT unit, count(*), sum(done_on IS NOT NULL), sum(done_on > due),
       sum(due BETWEEN '2013-06-01' AND '2013-06-30'
           AND (done_on IS NULL OR done_on >= '2013-06-01')),
       sum(NOT halted AND due < '2013-06-30' AND done_on IS NULL)
FROM temp.procs GROUP BY unit ORDER BY unit
"""
_OVERDUE: Final = """
SELECT project, name, kind_name, due, julianday('2013-06-30') - julianday(due) AS days,
       coalesce(unit, ''), coalesce(leader, ''), position
FROM temp.procs WHERE NOT halted AND due < '2013-06-30' AND done_on IS NULL
ORDER BY days DESC, project, kind
"""
_LEADERS: Final = """
SELECT m.leader, m.currency, count(*), sum(m.plan), sum(m.done),
       coalesce(sum(m.behind > 360 * m.plan), 0),
       coalesce(sum(m.behind >= 120 * m.plan AND m.behind <= 360 * m.plan), 0),
       (SELECT count(*) FROM temp.procs o WHERE o.leader IS m.leader AND NOT o.halted
        AND o.due < '2013-06-30' AND o.done_on IS NULL)
FROM temp.measured m GROUP BY m.leader, m.currency
"""
# Actual start, finish and 投产 days set by entries effective by 30 June and recorded by
# the cut (the generated ledgers keep no history, so no day comes from a stage change).
_ACTUAL: Final = """
SELECT subject AS project,
       min(CASE kind WHEN 'actual_start' THEN effective_on END) AS started_on,
       min(CASE kind WHEN 'actual_finish' THEN effective_on END) AS finished_on,
       min(CASE kind WHEN 'actual_operation' THEN effective_on END) AS operating_on
FROM entries WHERE kind IN ('actual_start', 'actual_finish', 'actual_operation')
AND effective_on <= :month_end AND recorded_at < :cutoff GROUP BY subject
"""
# Construction projects of the plan planned to start before 30 June that had not started
# by then (a 续建 or later stage has evidently started), not suspended: the start light.
_START_LATE: Final = """
SELECT m.code, m.name, m.planned_start FROM temp.measured m
LEFT JOIN temp.actual a ON a.project = m.code
WHERE m.kind = 'construction' AND m.planned_start < :month_end
  AND (a.started_on > :month_end OR (a.started_on IS NULL
       AND m.stage NOT IN ('continuing', 'completed', 'in_operation')))
  AND m.code NOT IN (SELECT project FROM temp.halted)
"""
# 计划新开工 / 实际开工 and the same for 竣工 and 投产: planned in 2013, actual to 30 June.
_START_COUNTS: Final = """
SELECT
  (SELECT count(*) FROM temp.measured WHERE kind = 'construction'
   AND planned_start BETWEEN '2013-01-01' AND '2013-12-31'),
  (SELECT count(*) FROM temp.actual a JOIN temp.measured m ON m.code = a.project
   WHERE a.started_on BETWEEN '2013-01-01' AND '2013-06-30'),
  (SELECT count(*) FROM temp.measured WHERE kind = 'construction'
   AND planned_finish BETWEEN '2013-01-01' AND '2013-12-31' AND stage <> 'in_operation'),
  (SELECT count(*) FROM temp.actual a JOIN temp.measured m ON m.code = a.project
   WHERE a.finished_on BETWEEN '2013-01-01' AND '2013-06-30'),
  (SELECT count(*) FROM temp.measured WHERE kind = 'construction'
   AND planned_finish BETWEEN '2013-01-01' AND '2013-12-31' AND stage = 'in_operation'),
  (SELECT count(*) FROM temp.actual a JOIN temp.measured m ON m.code = a.project
   WHERE a.operating_on BETWEEN '2013-01-01' AND '2013-06-30')
"""
_TARGETS: Final = """
SELECT indicator, value FROM targets WHERE year = 2013 AND unit = '个' AND value IS NOT NULL
"""
# 附件: every project of the plan with June's report in force, the year to date, its light.
_ANNEX: Final = f"""
SELECT m.code, m.name, coalesce(m.responsible_unit, ''), m.plan, g.completed_fen, m.done,
       coalesce(g.note, ''),
       CASE WHEN m.behind IS NULL THEN NULL WHEN m.behind > 360 * m.plan THEN 'red'
            WHEN m.behind >= 120 * m.plan THEN 'amber' ELSE 'green' END
FROM temp.measured m LEFT JOIN (SELECT project, completed_fen, note FROM ({_PROGRESS})
                                WHERE period = '2013-06') g ON g.project = m.code
ORDER BY m.code
"""
_HALTED_LIST: Final = """
SELECT h.project, p.name, h.status, h.effective_on, h.note FROM temp.halted h
JOIN projects p ON p.code = h.project ORDER BY h.project
"""
_CUT: Final = {"day": _DAY, "cutoff": _CUTOFF, "month_end": "2013-06-30"}
_KEYS: Final = ("zone", "category", "responsible_unit")
_AS_OF: Final = date.fromisoformat(_DAY)

Rows = list[tuple[object, ...]]


def by_hand(conn: sqlite3.Connection) -> dict[str, Rows]:
    """The bulletin's figures with plain SQL (keys from a fixed list, never from input):
    the eligible projects measured once into a temporary table, the tables and the
    lights read from it, as a careful hand would write it."""
    conn.execute(f"CREATE TEMP TABLE halted AS {_HALTED}", _CUT)
    conn.execute(f"CREATE TEMP TABLE measured AS {_MEASURED}", _CUT)
    detail = conn.execute(_SUMMARY).fetchall()
    conn.execute(f"CREATE TEMP TABLE procs AS {_PROCEDURES}", _CUT)
    conn.execute(f"CREATE TEMP TABLE actual AS {_ACTUAL}", _CUT)
    found_new = _lifecycle(conn)
    found: dict[str, Rows] = {key: _regrouped(detail, i) for i, key in enumerate(_KEYS)}
    found["lights"] = [light_row(*row) for row in conn.execute(_LIGHTS)]
    found["monthly"] = conn.execute(_MONTHLY, _CUT).fetchall()
    found["progress"] = conn.execute(_ANNEX, _CUT).fetchall()
    for table in ("measured", "procs", "actual", "halted"):
        conn.execute(f"DROP TABLE temp.{table}")
    found.update(found_new)
    found["reports"] = [
        (code, name, unit, status, date.fromisoformat(first) if first else None)
        for code, name, unit, status, first in conn.execute(_REPORTS, _CUT)
    ]
    return found


def _lifecycle(conn: sqlite3.Connection) -> dict[str, Rows]:
    """The bulletin's lifecycle tables: the starts against the targets, procedures by
    holding unit, the overdue list, the start and procedure lights with their reasons
    worded, one row per leader, the halted list."""
    found: dict[str, Rows] = {"procedures": conn.execute(_BY_UNIT).fetchall()}
    targets = {name: Decimal(value) for name, value in conn.execute(_TARGETS)}
    counts = conn.execute(_START_COUNTS).fetchone()
    found["starts"] = [
        (what, counts[2 * i], counts[2 * i + 1],
         Decimal(counts[2 * i + 1]) / Decimal(counts[2 * i]) if counts[2 * i] else None,
         targets.get(indicator))
        for i, (what, indicator) in enumerate(
            (("新开工", "新开工项目"), ("竣工", "竣工项目"), ("投产", "投产项目")))
    ]  # fmt: skip
    overdue: Rows = []
    by_project: dict[str, list[tuple[str, str, int, str, int]]] = {}
    for code, name, kind, due, days, unit, leader, position in conn.execute(_OVERDUE):
        overdue.append((code, name, kind, date.fromisoformat(due), int(days), unit, leader))
        by_project.setdefault(code, []).append((name, kind, int(days), unit, position))
    found["overdue_procedures"] = overdue
    lit = [_start_light(*row) for row in conn.execute(_START_LATE, _CUT)]
    lit += [_procedure_light(code, items) for code, items in by_project.items()]
    # red first, then by dimension (procedures before start) and code, as the bulletin
    found["lifecycle_lights"] = sorted(lit, key=lambda r: (r[3] != "red", r[2], r[0]))
    found["leaders"] = conn.execute(_LEADERS).fetchall()
    found["halted"] = [
        (code, name, status, date.fromisoformat(since), note)
        for code, name, status, since, note in conn.execute(_HALTED_LIST)
    ]
    return found


_MONTH_END: Final = date(2013, 6, 30)


def _start_light(code: str, name: str, planned_text: str) -> tuple[object, ...]:
    """The start light of a project not started by 30 June, its reason worded by hand."""
    planned = date.fromisoformat(planned_text)
    end = _MONTH_END
    months = (end.year - planned.year) * 12 + end.month - planned.month - (end.day < planned.day)
    red = months >= 3
    reason = (
        f"计划{planned.year}年{planned.month}月{planned.day}日开工，截至2013年6月30日未开工"
        f"（逾期{months}个月）：{'红灯' if red else '黄灯'}（逾期未开工即黄灯，逾期3个月红灯）"
    )
    return code, name, "start", "red" if red else "amber", reason


def _procedure_light(code: str, items: list[tuple[str, str, int, str, int]]) -> tuple[object, ...]:
    """The procedures light of a project with overdue procedures (latest due first, then
    in the kinds' order)."""
    items = sorted(items, key=lambda item: (item[2], item[4], item[1]))
    worst = max(item[2] for item in items)
    red = worst > 90
    listed = "；".join(f"{kind}逾期{days}天（{unit or '未定办理单位'}）"
                      for _, kind, days, unit, _ in items)  # fmt: skip
    reason = (
        f"前期手续逾期：{listed}：{'红灯' if red else '黄灯'}（手续逾期即黄灯，逾期超过90天红灯）"
    )
    return code, items[0][0], "procedures", "red" if red else "amber", reason


def _regrouped(detail: Rows, key: int) -> Rows:
    """(key, currency, count, planned, done, red, amber) per key value and currency."""
    sums: dict[tuple[object, object], list[int]] = {}
    for row in detail:
        totals = sums.setdefault((row[key], row[3]), [0, 0, 0, 0, 0])
        for i, value in enumerate(row[4:]):
            totals[i] += int(value)  # type: ignore[call-overload]
    return [(k, currency, *totals) for (k, currency), totals in sums.items()]


_JUNE: Final = Decimal(6) / Decimal(12)
_TENTH: Final = Decimal("0.1")


def _pct(value: Decimal) -> str:
    return f"{value.quantize(_TENTH, rounding='ROUND_HALF_UP')}"


def _amount(fen: int) -> str:
    return Money.from_fen(fen).format_cn(places=2, trim=True)


def light_row(code: str, name: str, red: int, done: int, plan: int) -> tuple[object, ...]:
    """One row of the red/amber table as the June bulletin shows it, its reason worded by
    hand (amounts with ``Money.format_cn``, two decimals of the unit at most, the text the
    bulletin's ``prose_cn`` writes); the province's floor words its lights with it too."""
    rate = Decimal(done) / Decimal(plan)
    points = (_JUNE - rate) * 100
    label = "红灯" if red else "黄灯"
    reason = (
        f"截至2013年6月完成年度计划{_amount(plan)}中的"
        f"{_amount(done)}（{_pct(rate * 100)}%），序时进度"
        f"{_pct(_JUNE * 100)}%，落后{_pct(points)}个百分点：{label}"
        "（落后10个百分点起黄灯，超过30个百分点红灯）"
    )
    behind = points.quantize(_TENTH, "ROUND_HALF_UP")  # as the table shows it: half-up
    return code, name, "red" if red else "amber", rate, behind, reason


def _by_key(report: Report, key: str) -> dict[tuple[object, object], tuple[object, ...]]:
    """The bulletin's table for ``key``: (key value, currency) → (count, planned fen,
    completed fen, red, amber)."""
    found: dict[tuple[object, object], tuple[object, ...]] = {}
    for row in report.table(_TABLES[key]).rows:
        label, count, planned, done, _, _, red, amber = row
        value = None if label == "（未填）" else getattr(label, "value", label)
        assert isinstance(planned, Money) and isinstance(done, Money)
        found[(value, planned.currency)] = (count, planned.fen(), done.fen(), red, amber)
    return found


_TABLES: Final = {"zone": "zones", "category": "categories", "responsible_unit": "units"}


def check(report: Report, tables: dict[str, Rows]) -> None:
    """Raise AssertionError unless the bulletin shows what the hand-written SQL found."""
    for key in _KEYS:
        hand = {(r[0], r[1]): tuple(r[2:]) for r in tables[key]}
        if _by_key(report, key) != hand:
            raise AssertionError(f"bulletin and hand-written SQL disagree on the {key} table")
    lights = [
        (r[0], r[1], getattr(r[2], "value", None), r[3], r[5], r[6])
        for r in report.table("lights").rows
    ]
    if lights != tables["lights"]:
        raise AssertionError("bulletin and hand-written SQL disagree on the red/amber list")
    running, expected = 0, []
    for _, fen in tables["monthly"]:
        running += int(fen)  # type: ignore[call-overload]
        expected.append(running)
    (series, *_) = report.figures[2].series
    if [int(v * 1_000_000) for v in series.values] != expected:
        raise AssertionError("bulletin and hand-written SQL disagree on the monthly series")
    _check_lifecycle(report, tables)
    annex = [
        (r[0], r[1], r[2], _fen(r[3]), _fen(r[4]), _fen(r[5]), r[7], getattr(r[8], "value", None))
        for r in report.table("progress").rows
    ]
    if annex != tables["progress"]:
        raise AssertionError("bulletin and hand-written SQL disagree on the annex")
    reports = sorted((r[0], r[1], r[2], r[3], r[5]) for r in report.table("reports").rows)
    if reports != sorted(tables["reports"]):
        raise AssertionError("bulletin and hand-written SQL disagree on missing/late reports")


def _fen(value: object) -> int | None:
    return value.fen() if isinstance(value, Money) else None


def _check_lifecycle(report: Report, tables: dict[str, Rows]) -> None:
    """Raise AssertionError unless the lifecycle tables equal the hand-written SQL's."""
    units = [
        (None if r[0] == "（未定）" else r[0], *r[1:]) for r in report.table("procedures").rows
    ]
    if units != [
        tuple(int(v) if isinstance(v, int) else v for v in r) for r in tables["procedures"]
    ]:
        raise AssertionError("bulletin and hand-written SQL disagree on procedures by unit")
    if list(report.table("overdue_procedures").rows) != tables["overdue_procedures"]:
        raise AssertionError("bulletin and hand-written SQL disagree on the overdue list")
    lit = [
        (r[0], r[1], getattr(r[2], "value", None), getattr(r[3], "value", None), r[4])
        for r in report.table("lifecycle_lights").rows
    ]
    if lit != tables["lifecycle_lights"]:
        raise AssertionError("bulletin and hand-written SQL disagree on the lifecycle lights")
    if list(report.table("starts").rows) != tables["starts"]:
        raise AssertionError("bulletin and hand-written SQL disagree on the starts table")
    leaders = {}
    for r in report.table("leaders").rows:
        planned, done = r[2], r[3]
        assert isinstance(planned, Money) and isinstance(done, Money)
        key = (None if r[0] == "（未定）" else r[0], planned.currency)
        leaders[key] = (r[1], planned.fen(), done.fen(), r[5], r[6], r[7])
    hand = {(r[0], r[1]): tuple(r[2:]) for r in tables["leaders"]}
    if leaders != hand:
        raise AssertionError("bulletin and hand-written SQL disagree on the leader section")
    halted = [(r[0], r[1], getattr(r[2], "value", None), r[3], r[4])
              for r in report.table("halted").rows]  # fmt: skip
    if halted != tables["halted"]:
        raise AssertionError("bulletin and hand-written SQL disagree on the halted projects")


def _plot(points: list[tuple[int, float, float]], path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    figure, axes = plt.subplots(figsize=(7, 4.2), dpi=110)
    sizes = [p[0] for p in points]
    axes.loglog(sizes, [p[1] for p in points], marker="o", label="tp.reports.bulletin")
    axes.loglog(sizes, [p[2] for p in points], marker="s", label="hand-written SQL")
    axes.set_xlabel("projects")
    axes.set_ylabel("CPU seconds")
    axes.set_title("June bulletin: time against portfolio size")
    axes.grid(alpha=0.3, which="both")
    axes.legend()
    figure.tight_layout()
    figure.savefig(path)
    plt.close(figure)


def portfolio(projects: int, workdir: Path) -> Path:
    """The generated ledger of ``projects`` projects (reused from ``--data`` if there)."""
    path = data_file(f"bulletin-lifecycle-{projects}.db", workdir)
    if not path.exists():
        partial_path = path.with_suffix(".tmp")
        partial_path.unlink(missing_ok=True)
        with Ledger.open(partial_path) as ledger:
            generate_portfolio(ledger, projects, seed=1, months=MONTHS, lifecycle=True)
        partial_path.rename(path)
    Ledger.open(path).close()  # a kept file from an older townplan is migrated first
    return path


def run(size: Size, workdir: Path) -> list[Result]:
    """The bulletin at each portfolio size of ``size``, beside the hand-written SQL."""
    results: list[Result] = []
    points: list[tuple[int, float, float]] = []
    for projects in SIZES[size.name]:
        path = portfolio(projects, workdir)
        ledger = Ledger.open(path, read_only=True)
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        (wall, cpu, report), (base_wall, base_cpu, tables) = best_of(
            RUNS if projects < 1_000_000 else 2,
            partial(bulletin, ledger, "2013-06", as_of=_AS_OF),
            partial(by_hand, conn),
        )
        check(report, tables)
        ledger.close()
        conn.close()
        points.append((projects, cpu, base_cpu))
        results.append(
            Result(
                "bulletin", f"June bulletin, {projects:,} projects ({MONTHS} months reported)",
                "hand-written SQL (same tables, lights, series, reports)", wall, base_wall,
                subject_cpu_s=cpu, baseline_cpu_s=base_cpu,
                note="the bulletin also words the reasons and lists tasks and problems",
            ).judged("ratio", 1.3)
        )  # fmt: skip
    _plot(points, workdir / "bulletin-growth.png")
    first, last = points[0], points[-1]
    growth = (last[1] / first[1]) / (last[0] / first[0])
    results[-1].note += f"; CPU grows {growth:.2f}× as fast as size from the first size"
    return results
