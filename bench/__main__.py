"""``python -m bench --size small|medium|large [--json out.json] [--only NAME,...]``

Runs every registered benchmark in this process, prints one table of times, ratios,
RSS growth and targets, and writes the same as JSON. Run it from the repository root.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import importlib.util
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from bench.common import DATA, SIZES, Result, Size, machine, table, write_json

Runner = Callable[[Size, Path], list[Result]]


def _module(name: str) -> Runner:
    def run(size: Size, workdir: Path) -> list[Result]:
        return list(importlib.import_module(f"bench.{name}").run(size, workdir))

    return run


def _foreign(module: str) -> Runner:
    """A benchmark module of its own shape: ``run(size_name)`` returning results or
    mappings of their fields."""

    def run(size: Size, workdir: Path) -> list[Result]:
        return [_as_result(item) for item in importlib.import_module(module).run(size.name)]

    return run


_RENAMED = {"townplan_s": "subject_s", "cpu_s": "subject_cpu_s"}
_FIELDS = {f.name for f in dataclasses.fields(Result)}


def _as_result(item: Result | Mapping[str, Any]) -> Result:
    """A Result, or one made from a mapping of its fields (``townplan_s`` and ``cpu_s``
    read as ``subject_s`` and ``subject_cpu_s``; fields it lacks go to ``extra``)."""
    if isinstance(item, Result):
        return item
    fields = {_RENAMED.get(k, k): v for k, v in item.items() if k not in ("ratio", "cpu_ratio")}
    extra = {k: v for k, v in fields.items() if k not in _FIELDS}
    known = {k: v for k, v in fields.items() if k in _FIELDS}
    known["extra"] = {**known.get("extra", {}), **extra}
    known["checks"] = list(known.get("checks", []))
    return Result(**known)


def _present(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is not None
    except ModuleNotFoundError:
        return False


def _optional(module: str) -> tuple[Runner | None, str]:
    if _present(module):
        return _foreign(module), ""
    return None, f"{module.replace('.', '/')}.py is not there"


def registry() -> dict[str, tuple[Runner | None, str]]:
    """Every benchmark slot in run order: (runner, or None with why it is skipped)."""
    return {
        "stream": (_module("stream"), ""),
        "asof": (_module("asof"), ""),
        "hydrate": (_module("hydrate"), ""),
        "ingest": (_module("ingest"), ""),
        "query": _optional("bench.query_bench"),
        "import": _optional("bench.import_bench"),
        "bulletin": (_module("bulletin"), ""),
        "reports": (_module("reports"), ""),
        "province": (_module("province"), ""),
    }


def main(argv: Iterable[str] | None = None) -> int:
    """Run the benchmarks; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--size", choices=sorted(SIZES), default="small")
    parser.add_argument("--json", type=Path, help="write the results here as JSON")
    parser.add_argument("--only", help="comma-separated benchmark names (default: all)")
    parser.add_argument("--keep", type=Path, help="an empty directory to write and keep the files")
    parser.add_argument(
        "--data", type=Path, help="keep generated portfolio ledgers here and reuse them"
    )
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.data:
        args.data.mkdir(parents=True, exist_ok=True)
        DATA[:] = [args.data]
    size = SIZES[args.size]
    slots = registry()
    chosen = args.only.split(",") if args.only else list(slots)
    unknown = sorted(set(chosen) - set(slots))
    if unknown:
        parser.error(f"unknown benchmark(s) {unknown}; choose from {list(slots)}")
    if args.keep and args.keep.exists() and any(args.keep.iterdir()):
        parser.error(f"--keep {args.keep} is not empty; the benchmarks write new files there")
    info = machine()
    results: list[Result] = []
    skipped: list[dict[str, str]] = []
    with tempfile.TemporaryDirectory(prefix="townplan-bench-") as scratch:
        workdir = args.keep or Path(scratch)
        workdir.mkdir(parents=True, exist_ok=True)
        for name in chosen:
            runner, reason = slots[name]
            if runner is None:
                skipped.append({"bench": name, "reason": reason})
                continue
            start = time.perf_counter()
            print(f"running {name} at {size.name} …", file=sys.stderr, flush=True)
            results.extend(runner(size, workdir))
            print(f"  {name} took {time.perf_counter() - start:.1f} s", file=sys.stderr, flush=True)
    print(
        f"{info['cpu']} × {info['nproc']}, {info['ram_gb']} GB RAM; "
        f"Python {info['python']}, SQLite {info['sqlite']}"
    )
    print(table(results, skipped))
    if args.json:
        write_json(args.json, size, results, skipped, info)
    return 0


if __name__ == "__main__":
    sys.exit(main())
