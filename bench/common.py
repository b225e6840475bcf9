"""What every benchmark shares: sizes, timing, memory, result rows, the table and the JSON.

Memory is read from ``/proc/self/status``: ``VmRSS`` (resident now) and ``VmHWM`` (the
high-water mark). Writing ``5`` to ``/proc/self/clear_refs`` resets the high-water mark
to the current RSS, so each timed region reports its own peak in one process.
"""

from __future__ import annotations

import gc
import json
import os
import platform
import sqlite3
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any, TypeVar

T = TypeVar("T")
U = TypeVar("U")


#: A directory to keep generated ledgers in and reuse them from (``--data``), or None.
DATA: list[Path] = []


def data_file(name: str, workdir: Path) -> Path:
    """Where a generated ledger named ``name`` lives: the ``--data`` directory if one is
    set (so a later run reuses it), else the run's work directory."""
    return (DATA[0] if DATA else workdir) / name


@dataclass(frozen=True)
class Size:
    """How much each benchmark handles at one size."""

    name: str
    projects: int  # ingest and the streamed write
    entries: int  # progress entries for ingest and streaming (a multiple of projects)
    hydrate: int  # projects read back as records
    asof_projects: int  # projects of the as-of ledgers, whose history grows 1×, 10×, 100×
    asof_reads: int  # point reads timed per as-of case
    orm_slice: int  # the ORM ingests projects/orm_slice and entries/orm_slice, extrapolated


SIZES: dict[str, Size] = {
    "small": Size("small", 1_000, 10_000, 1_000, 10, 50, 1),
    "medium": Size("medium", 100_000, 1_000_000, 100_000, 500, 100, 10),
    "large": Size("large", 1_000_000, 10_000_000, 1_000_000, 5_000, 200, 100),
}


@dataclass
class Result:
    """One benchmark case: a subject (townplan, unless named) beside its baseline doing the
    same work, and the check against a target.

    ``ratio`` is the subject's time over the baseline's. ``*_rss_mb`` is how far the peak
    RSS rose above the RSS at the start of the timed region. Each of ``checks`` names what a
    target is about (``ratio``, ``speedup``, ``growth``, ``rss_growth_mb``, ``peak_rss_mb``),
    its value, its limit and whether it is met.
    """

    bench: str
    case: str
    baseline: str
    subject_s: float
    baseline_s: float
    subject: str = "townplan"
    subject_cpu_s: float | None = None
    baseline_cpu_s: float | None = None
    subject_rss_mb: float | None = None
    baseline_rss_mb: float | None = None
    checks: list[dict[str, Any]] = field(default_factory=list)
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        """Subject time / baseline time."""
        return self.subject_s / self.baseline_s if self.baseline_s else float("inf")

    @property
    def cpu_ratio(self) -> float | None:
        """Subject CPU time / baseline CPU time (steadier than wall time on a busy machine)."""
        if self.subject_cpu_s is None or not self.baseline_cpu_s:
            return None
        return self.subject_cpu_s / self.baseline_cpu_s

    def target(
        self, metric: str, value: float, limit: float, *, at_least: bool = False, basis: str = ""
    ) -> Result:
        """Attach a target: ``value`` must be ≤ ``limit`` (≥ when ``at_least``). ``basis``
        says which clock a time-based value comes from (``cpu`` or ``wall``)."""
        met = value >= limit if at_least else value <= limit
        sign = "≥" if at_least else "≤"
        check = {"metric": metric, "value": value, "limit": limit, "op": sign, "met": met}
        self.checks.append({**check, "basis": basis})
        return self

    def judged(self, metric: str, limit: float, *, at_least: bool = False) -> Result:
        """Attach a target on the ratio — or, with ``at_least``, on the speedup (baseline
        over subject) — judged on CPU time when both CPU times were measured, else wall."""
        cpu = self.cpu_ratio
        ratio, basis = (cpu, "cpu") if cpu is not None else (self.ratio, "wall")
        value = 1 / ratio if at_least else ratio
        return self.target(metric, value, limit, at_least=at_least, basis=basis)

    def as_dict(self) -> dict[str, Any]:
        """The JSON form (the ratio included)."""
        return {**asdict(self), "ratio": self.ratio, "cpu_ratio": self.cpu_ratio}


# --- memory --------------------------------------------------------------------------------
def _status_kb(key: str) -> int:
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1])
    return 0


def rss_mb() -> float:
    """Resident memory of this process now, in MB."""
    return _status_kb("VmRSS") / 1024


def reset_peak() -> float:
    """Collect garbage, reset the RSS high-water mark to now, and return RSS in MB."""
    gc.collect()
    try:
        with open("/proc/self/clear_refs", "w", encoding="ascii") as refs:
            refs.write("5")
    except OSError:  # not Linux, or not permitted: the peak then covers the whole run
        pass
    return rss_mb()


def peak_mb() -> float:
    """The RSS high-water mark since the last :func:`reset_peak`, in MB."""
    return _status_kb("VmHWM") / 1024


@dataclass
class Measured:
    """Wall and CPU seconds of a timed region, RSS before it and the peak within it."""

    seconds: float = 0.0
    cpu: float = 0.0
    rss_before_mb: float = 0.0
    peak_mb: float = 0.0

    @property
    def growth_mb(self) -> float:
        """How far the peak rose above the RSS at the start."""
        return max(0.0, self.peak_mb - self.rss_before_mb)


@contextmanager
def measured() -> Iterator[Measured]:
    """Time the block (wall and process CPU) and track its peak RSS."""
    m = Measured(rss_before_mb=reset_peak())
    wall, cpu = time.perf_counter(), time.process_time()
    yield m
    m.seconds = time.perf_counter() - wall
    m.cpu = time.process_time() - cpu
    m.peak_mb = peak_mb()


def timed(action: Callable[[], T]) -> tuple[float, float, T]:
    """Wall and CPU seconds of one run of ``action`` (after a garbage collection), and its
    result."""
    gc.collect()
    start, start_cpu = time.perf_counter(), time.process_time()
    value = action()
    return time.perf_counter() - start, time.process_time() - start_cpu, value


def best_of(
    runs: int, subject: Callable[[], T], baseline: Callable[[], U]
) -> tuple[tuple[float, float, T], tuple[float, float, U]]:
    """``runs`` alternating runs of ``subject`` and ``baseline``; for each, the run with
    the least CPU time (wall and CPU seconds, and its result). Alternating keeps a
    neighbour's load on this shared machine from falling on one side only."""
    subjects, baselines = [], []
    for _ in range(runs):
        subjects.append(timed(subject))
        baselines.append(timed(baseline))
    return min(subjects, key=lambda r: r[1]), min(baselines, key=lambda r: r[1])


# --- the machine ---------------------------------------------------------------------------
def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    cpu = "unknown"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            cpu = next(
                (ln.split(":", 1)[1].strip() for ln in info if ln.startswith("model name")), cpu
            )
    except OSError:
        pass
    ram_kb = 0
    try:
        with open("/proc/meminfo", encoding="ascii") as meminfo:
            ram_kb = int(next(ln for ln in meminfo if ln.startswith("MemTotal")).split()[1])
    except (OSError, StopIteration):
        pass

    def version(dist: str) -> str:
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            return "not installed"

    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(ram_kb / 1024 / 1024, 1),
        "python": platform.python_version(),
        "sqlite": sqlite3.sqlite_version,
        "sqlite_utils": version("sqlite-utils"),
        "sqlalchemy": version("sqlalchemy"),
        "attrs": version("attrs"),
        "load_avg_at_start": [round(x, 2) for x in os.getloadavg()],
    }


# --- output --------------------------------------------------------------------------------
def _seconds(value: float) -> str:
    return f"{value:.3f}" if value >= 0.01 else f"{value * 1e6:.1f}µs"


def _targets(checks: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{c['metric']}{' (CPU)' if c.get('basis') == 'cpu' else ''} {c['value']:.2f} "
        f"{c['op']} {c['limit']:g} {'met' if c['met'] else 'MISSED'}"
        for c in checks
    )


def table(results: list[Result], skipped: list[dict[str, str]]) -> str:
    """A plain-text table of the results (and a line per skipped benchmark)."""
    head = ("bench", "case", "subject", "baseline", "subject s", "baseline s", "ratio",
            "CPU ratio", "RSS +MB", "target")  # fmt: skip
    rows = [
        (
            r.bench,
            r.case,
            r.subject,
            r.baseline,
            _seconds(r.subject_s),
            _seconds(r.baseline_s),
            f"{r.ratio:.2f}×",
            "" if r.cpu_ratio is None else f"{r.cpu_ratio:.2f}×",
            ""
            if r.subject_rss_mb is None
            else f"+{r.subject_rss_mb:.0f}"
            + ("" if r.baseline_rss_mb is None else f" / +{r.baseline_rss_mb:.0f}"),
            _targets(r.checks),
        )
        for r in results
    ]
    widths = [max(len(str(x)) for x in column) for column in zip(head, *rows, strict=True)]
    lines = [
        "  ".join(str(x).ljust(w) for x, w in zip(row, widths, strict=True))
        for row in [head, *rows]
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"  [{r.bench} / {r.case}] {r.note}" for r in results if r.note]
    if notes:
        lines += ["", "notes:", *notes]
    lines += [f"skipped {s['bench']}: {s['reason']}" for s in skipped]
    return "\n".join(lines)


def write_json(
    path: Path,
    size: Size,
    results: list[Result],
    skipped: list[dict[str, str]],
    info: dict[str, Any],
) -> None:
    """Everything the run measured, for tools and for the record."""
    document = {
        "size": asdict(size),
        "machine": info,
        "results": [r.as_dict() for r in results],
        "skipped": skipped,
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
