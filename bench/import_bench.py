"""Importing a register from a spreadsheet, beside the ledger's own bulk path.

The same seeded projects (``bench.data``) are exported with ``export_register`` to .csv
and .xlsx, then imported into an empty ledger with ``import_register``; the baseline is
``add_projects`` of the same records into an empty ledger (zones and units added first,
as the import adds them). Also timed: importing the same file again into the ledger it
came from (nothing changes), and the export. Wall and process-CPU seconds are both kept:
on a shared machine the CPU time is the steadier of the two.

For .xlsx the import is also compared with what a user would write by hand: python-calamine
reading the sheet's rows plus ``add_projects`` of the same records (target ≤ 1.3×), and the
export with xlsxwriter (constant memory) writing the same cells (target ≤ 1.2×) and with
openpyxl's write-only mode writing them; the import's peak RSS is measured in a child
process, less the child's RSS before the import (target ≤ 300 MB). The same run measures
the import's floor: calamine's read and ``add_projects`` plus only the two things no
import that keeps townplan's guarantees can skip — the bound scan that refuses a sheet
asking for gigabytes before calamine builds it, and making the records through their
validators (from the field values, nothing parsed) — so that the floor's ratio to the
baseline is a measurement of each run, not an argument.

``python -m bench.import_bench [--size 100000] [--formats csv,xlsx] [--json out.json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import partial
from pathlib import Path
from typing import Any, Final, TypeVar

import attrs

from bench.data import UNITS, ZONES, project_record, project_rows
from townplan import Category, Money, ProjectKind, Stage
from townplan.io import export_register, import_register
from townplan.io.sheets.grid import MAX_CELLS, MAX_COLUMNS
from townplan.io.sheets.xlsx_parts import Package
from townplan.io.sheets.xlsx_scan import SheetScan, scan_sheet
from townplan.ledger import LedgerStore
from townplan.model.records import Project

T = TypeVar("T")

#: The acceptance target: a 10⁵-row register imports in under this many seconds.
TARGET_S: Final = 30.0
_NAMED: Final = {"small": 1_000, "medium": 100_000, "large": 1_000_000}


def _timed(work: Callable[[], T]) -> tuple[float, float, T]:
    """Wall seconds, process CPU seconds and the value of ``work()``."""
    wall, cpu = time.perf_counter(), time.process_time()
    value = work()
    return time.perf_counter() - wall, time.process_time() - cpu, value


def _bulk(records: list[Project]) -> tuple[float, float]:
    """The ledger's own path: zones, units and ``add_projects`` into an empty ledger."""
    with LedgerStore.open(":memory:") as store:

        def load() -> int:
            with store.transaction():
                store.add_zones(ZONES)
                store.add_units(UNITS)
                return store.add_projects(records)

        wall, cpu, _ = _timed(load)
    return wall, cpu


def run(
    size: int | str = 100_000, formats: Iterable[str] = ("csv", "xlsx")
) -> list[dict[str, Any]]:
    """Time the import of a ``size``-row register (a count, or small/medium/large);
    returns one result per case, in the shape ``python -m bench`` prints."""
    count = _NAMED[size] if isinstance(size, str) else size
    records = [project_record(row) for row in project_rows(count)]
    bulk_wall, bulk_cpu = min(_bulk(records) for _ in range(2))
    results: list[dict[str, Any]] = []
    with (
        tempfile.TemporaryDirectory(prefix="townplan-import-") as folder,
        LedgerStore.open(":memory:") as source,
    ):
        source.add_zones(ZONES)
        source.add_units(UNITS)
        source.add_projects(records)
        for suffix in formats:
            path = Path(folder) / f"register.{suffix}"
            export = _timed(partial(export_register, source, path))
            with LedgerStore.open(":memory:") as target:
                first = _timed(partial(import_register, target, path))
                assert first[2].n_added == count
                assert list(target.projects()) == records, "the import must equal the records"
            again = _timed(partial(import_register, source, path))
            assert again[2].n_unchanged == count and not again[2].wrote
            note = f"{count} rows, {path.stat().st_size / 1e6:.1f} MB"
            if suffix == "xlsx":
                results += _xlsx_baselines(path, first, export, bulk_wall, bulk_cpu, note, records)
            for case, (wall, cpu, _) in (
                (f"import {suffix}", first),
                (f"re-import {suffix}", again),
                (f"export {suffix}", export),
            ):
                results.append({
                    "bench": "import", "case": case, "baseline": "add_projects",
                    "townplan_s": wall, "baseline_s": bulk_wall, "ratio": wall / bulk_wall,
                    "cpu_s": cpu, "baseline_cpu_s": bulk_cpu, "note": note,
                    "checks": [{"metric": "seconds", "value": wall, "limit": TARGET_S,
                                "op": "≤", "met": wall <= TARGET_S}]
                    if case.startswith("import") else [],
                })  # fmt: skip
    return results


def _check(metric: str, value: float, limit: float) -> dict[str, Any]:
    return {"metric": metric, "value": value, "limit": limit, "op": "≤", "met": value <= limit}


def _xlsx_baselines(
    path: Path,
    imported: tuple[float, float, Any],
    exported: tuple[float, float, Any],
    bulk_wall: float,
    bulk_cpu: float,
    note: str,
    records: list[Project],
) -> list[dict[str, Any]]:
    """The import against calamine + add_projects (and against the same with the records
    built from the rows by hand, which the import also does), the export against xlsxwriter and
    openpyxl writing the same cells, and the import's peak RSS."""
    import python_calamine

    def read() -> list[list[Any]]:
        with python_calamine.CalamineWorkbook.from_path(str(path)) as book:
            return book.get_sheet_by_index(0).to_python(skip_empty_area=False)

    read_wall, read_cpu, cells = min((_timed(read) for _ in range(2)), key=lambda r: r[0])
    hand_wall, hand_cpu = read_wall + bulk_wall, read_cpu + bulk_cpu
    built_wall, built_cpu, built = min(
        (_timed(partial(_by_hand, cells)) for _ in range(2)), key=lambda r: r[1]
    )
    assert built == records, "the records built by hand must be the bench's records"
    own_wall, own_cpu = hand_wall + built_wall, hand_cpu + built_cpu
    rows = [[None if v == "" else v for v in row] for row in cells]
    xw = min((_timed(partial(_xlsxwriter, path.with_name("xw.xlsx"), rows)) for _ in range(2)),
             key=lambda r: r[0])  # fmt: skip
    op = _timed(partial(_openpyxl, path.with_name("op.xlsx"), rows))
    rss = _peak_rss(path)
    scan_cpu = min(_timed(partial(_bound, path))[1] for _ in range(2))
    fields = [f.name for f in attrs.fields(Project) if f.init]
    given = [{name: getattr(r, name) for name in fields} for r in records]
    made_cpu = min(_timed(lambda: [Project(**kw) for kw in given])[1] for _ in range(2))
    floor_cpu = hand_cpu + scan_cpu + made_cpu
    return [
        {"bench": "import", "case": "import xlsx vs calamine",
         "baseline": "calamine read + add_projects", "townplan_s": imported[0],
         "baseline_s": hand_wall, "ratio": imported[0] / hand_wall, "cpu_s": imported[1],
         "baseline_cpu_s": hand_cpu, "note": f"{note}; calamine read {read_wall:.2f} s",
         "checks": [_check("ratio", imported[1] / hand_cpu, 1.3),
                    _check("peak RSS MB", rss, 300.0)]},
        {"bench": "import", "case": "import floor vs calamine",
         "baseline": "calamine read + add_projects",
         "townplan_s": floor_cpu, "baseline_s": hand_cpu, "ratio": floor_cpu / hand_cpu,
         "cpu_s": floor_cpu, "baseline_cpu_s": hand_cpu,
         "note": f"{note}; CPU only: the bound scan {scan_cpu:.2f} s + {len(records)} "
                 f"validated records {made_cpu:.2f} s; the import is "
                 f"{imported[1] / floor_cpu:.2f}× this floor", "checks": []},
        {"bench": "import", "case": "import xlsx vs calamine + records by hand",
         "baseline": "calamine read + Project records built from its rows + add_projects",
         "townplan_s": imported[0], "baseline_s": own_wall, "ratio": imported[0] / own_wall,
         "cpu_s": imported[1], "baseline_cpu_s": own_cpu,
         "note": f"{note}; records by hand {built_cpu:.2f} s CPU", "checks": []},
        {"bench": "import", "case": "export xlsx vs xlsxwriter",
         "baseline": "xlsxwriter (constant_memory), same cells", "townplan_s": exported[0],
         "baseline_s": xw[0], "ratio": exported[0] / xw[0], "cpu_s": exported[1],
         "baseline_cpu_s": xw[1], "note": f"{note}; openpyxl write-only {op[0]:.2f} s",
         "checks": [_check("ratio", exported[1] / xw[1], 1.2)]},
    ]  # fmt: skip


def _bound(path: Path) -> list[SheetScan]:
    """What the import does before calamine builds a sheet: every sheet's extent and
    merges found from its XML within the reader's limits."""
    with zipfile.ZipFile(path) as archive:
        package = Package(archive)
        return [
            scan_sheet(package, sheet.part, frozenset(), limits=(MAX_COLUMNS, MAX_CELLS))
            for sheet in package.workbook().sheets
        ]


def _by_hand(cells: list[list[Any]]) -> list[Project]:
    """The register's rows as a user would turn them into records with no import: the
    layout known (title, header, one row per project, 合计 last), labels looked up,
    amounts from 万元, 起止年限 split; every record validated by its constructor."""
    header = cells[1]
    at = {name: header.index(name) for name in header}
    plan = next(name for name in header if name.endswith("年度计划投资（万元）"))
    plan_year = int(plan[:4])
    categories = {m.label_cn: m for m in Category}
    stages = {m.label_cn: m for m in Stage}
    kinds = {m.label_cn: m for m in ProjectKind}

    def money(value: Any) -> Money:
        return Money(Decimal(repr(value)) * 10_000) if value != "" else Money.zero()

    def text(value: Any) -> str | None:
        return value or None

    records = []
    for row in cells[2:-1]:
        start, _, end = row[at["起止年限"]].partition("-")
        records.append(
            Project(
                code=row[at["项目编号"]], name=row[at["项目名称"]],
                category=categories[row[at["项目类别"]]],
                stage=stages[row[at["建设阶段"]]],
                kind=kinds[row[at["项目性质"]]],
                government_investment=money(row[at["政府投资（万元）"]]),
                social_investment=money(row[at["社会投资（万元）"]]),
                total_investment=money(row[at["总投资（万元）"]]),
                annual_plan=money(row[at[plan]]), plan_year=plan_year,
                zone=text(row[at["所属板块/片区"]]), village=text(row[at["所属村（社区）"]]),
                responsible_unit=text(row[at["责任单位"]]), leader=text(row[at["挂点领导"]]),
                content=row[at["建设内容"]], start_year=int(start) if start else None,
                end_year=int(end or start) if start or end else None,
                town=text(row[at["所属镇"]]),
            )
        )  # fmt: skip
    return records


def _xlsxwriter(path: Path, rows: list[list[Any]]) -> None:
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    sheet = book.add_worksheet("项目库")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value)
    book.close()


def _openpyxl(path: Path, rows: list[list[Any]]) -> None:
    import openpyxl

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("项目库")
    for row in rows:
        sheet.append(row)
    book.save(path)


# VmHWM, not ru_maxrss: Linux keeps ru_maxrss across exec, so a child started by a large
# parent would report the parent's peak.
_RSS_CHILD = """
import sys
from townplan.io import import_register
from townplan.ledger import LedgerStore
store = LedgerStore.open(":memory:")
if sys.argv[1] != "-":
    import_register(store, sys.argv[1])
status = open("/proc/self/status").read().split("VmHWM:")[1]
print(int(status.split()[0]) / 1024)
"""


def _peak_rss(path: Path) -> float:
    """MB the import adds to a process's peak RSS: a fresh process importing ``path``,
    less one that only opens a ledger (the interpreter, townplan and its libraries)."""
    import subprocess

    def peak(argument: str) -> float:
        done = subprocess.run(
            [sys.executable, "-c", _RSS_CHILD, argument], capture_output=True, text=True,
            check=True,
        )  # fmt: skip
        return float(done.stdout.strip())

    return peak(str(path)) - peak("-")


def main(argv: Iterable[str] | None = None) -> int:
    """Run the import benchmark and print (and optionally write) its results."""
    parser = argparse.ArgumentParser(prog="python -m bench.import_bench", description=__doc__)
    parser.add_argument("--size", default="100000", help="rows, or small/medium/large")
    parser.add_argument("--formats", default="csv,xlsx")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    args = parser.parse_args(list(argv) if argv is not None else None)
    size: int | str = int(args.size) if args.size.isdigit() else args.size
    results = run(size, args.formats.split(","))
    for r in results:
        met = "".join(" ok" if c["met"] else " MISSED" for c in r["checks"])
        print(
            f"{r['case']:<15} {r['townplan_s']:7.2f} s (cpu {r['cpu_s']:6.2f})   "
            f"add_projects {r['baseline_s']:5.2f} s (cpu {r['baseline_cpu_s']:5.2f})   "
            f"ratio {r['ratio']:5.2f}×   {r['note']}{met}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
