"""`python -m bench --size small` runs every benchmark and reports each one completely.

Timings are not checked: only that the script works and that its JSON is complete.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.long

ROOT = Path(__file__).resolve().parents[2]
SLOTS = {
    "stream",
    "asof",
    "hydrate",
    "ingest",
    "query",
    "import",
    "bulletin",
    "reports",
    "province",
}
ALWAYS_RUN = {"stream", "asof", "hydrate", "ingest"}


def _bench(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bench", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> tuple[dict, str]:
    out = tmp_path_factory.mktemp("bench") / "small.json"
    done = _bench("--size", "small", "--json", str(out))
    assert done.returncode == 0, done.stderr
    return json.loads(out.read_text(encoding="utf-8")), done.stdout


def test_every_slot_is_run_or_skipped_with_a_reason(report: tuple[dict, str]) -> None:
    document, _ = report
    ran = {r["bench"] for r in document["results"]}
    skipped = {s["bench"]: s["reason"] for s in document["skipped"]}
    assert ran >= ALWAYS_RUN
    assert ran | set(skipped) == SLOTS
    assert all(reason for reason in skipped.values())
    for name in ("query", "import"):
        if (ROOT / "bench" / f"{name}_bench.py").exists():
            assert name in ran


def test_every_result_has_positive_times_and_ratio(report: tuple[dict, str]) -> None:
    document, _ = report
    assert document["results"]
    for result in document["results"]:
        where = f"{result['bench']} / {result['case']}"
        assert result["subject_s"] > 0, where
        assert result["baseline_s"] > 0, where
        assert result["ratio"] > 0, where
        assert result["ratio"] == pytest.approx(result["subject_s"] / result["baseline_s"])


def test_targets_are_named_and_judged(report: tuple[dict, str]) -> None:
    document, _ = report
    checked = {(r["bench"], c["metric"]) for r in document["results"] for c in r["checks"]}
    expected = {
        ("ingest", "ratio"), ("ingest", "speedup"), ("hydrate", "ratio"), ("asof", "growth"),
        ("stream", "rss_growth_mb"), ("stream", "peak_rss_mb"),
    }  # fmt: skip
    assert checked >= expected
    for result in document["results"]:
        for check in result["checks"]:
            assert isinstance(check["met"], bool)
            assert check["op"] in ("≤", "≥")


def test_ingest_compares_fts_sqlite_utils_and_the_orm(report: tuple[dict, str]) -> None:
    document, _ = report
    ingest = [r for r in document["results"] if r["bench"] == "ingest"]
    subjects = {r["subject"] for r in ingest}
    baselines = {r["baseline"] for r in ingest}
    assert "sqlite-utils insert_all" in subjects
    assert any(b.startswith("SQLAlchemy ORM") for b in baselines)
    assert any("no FTS trigger" in r["case"] for r in ingest)


def test_machine_and_size_are_recorded(report: tuple[dict, str]) -> None:
    document, stdout = report
    assert {"nproc", "cpu", "ram_gb", "python", "sqlite"} <= document["machine"].keys()
    assert document["size"]["name"] == "small"
    assert "ratio" in stdout.splitlines()[1]


def test_an_unknown_benchmark_is_refused() -> None:
    done = _bench("--only", "nonesuch")
    assert done.returncode == 2
    assert "nonesuch" in done.stderr
