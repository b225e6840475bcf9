"""Importing a register from a spreadsheet, beside the ledger's own bulk path.

The same seeded projects (``bench.data``) are exported with ``export_register`` to .csv
and .xlsx, then imported into an empty ledger with ``import_register``; the baseline is
``add_projects`` of the same records into an empty ledger (zones and units added first,
as the import adds them). Also timed: importing the same file again into the ledger it
came from (nothing changes), and the export. Wall and process-CPU seconds are both kept:
on a shared machine the CPU time is the steadier of the two.

``python -m bench.import_bench [--size 100000] [--formats csv,xlsx] [--json out.json]``
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Callable, Iterable
from functools import partial
from pathlib import Path
from typing import Any, Final, TypeVar

from bench.data import UNITS, ZONES, project_record, project_rows
from townplan.io import export_register, import_register
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
            f"ratio {r['ratio']:5.1f}×   {r['note']}{met}"
        )
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
