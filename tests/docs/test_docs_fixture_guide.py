"""The tests shown in the fixtures guide pass when pytest runs them in a project of their own."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "how-to" / "test-with-fixtures.md"
grab_code_blocks = pytest.importorskip("mktestdocs").grab_code_blocks


@pytest.mark.long
def test_the_guide_tests_pass_with_only_the_installed_plugin(tmp_path: Path) -> None:
    blocks = [
        b for b in grab_code_blocks(GUIDE.read_text("utf-8"), lang="python") if "def test_" in b
    ]
    assert len(blocks) >= 3
    (tmp_path / "test_town.py").write_text("\n\n".join(blocks), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_town.py"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "6 passed" in run.stdout, run.stdout
