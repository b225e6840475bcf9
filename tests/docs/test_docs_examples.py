"""Every Python example in the documentation runs, so the docs cannot drift from the code.

Each page's ```python blocks (found with mktestdocs) run in order in one namespace, as a
reader following the page would run them, in a fresh working directory. A failure names
the page and the block.
"""

from __future__ import annotations

import contextlib
import io
from pathlib import Path

import pytest

# A dev dependency (the ``dev`` extra); without it the examples cannot be collected.
grab_code_blocks = pytest.importorskip("mktestdocs").grab_code_blocks

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_ext" not in p.parts)


def python_blocks(page: Path) -> list[str]:
    """The page's ```python blocks, in order."""
    return grab_code_blocks(page.read_text(encoding="utf-8"), lang="python")


PAGES_WITH_CODE = [p for p in PAGES if python_blocks(p)]


def test_the_docs_have_examples() -> None:
    names = {p.relative_to(DOCS).as_posix() for p in PAGES_WITH_CODE}
    assert {"getting-started.md", "getting-started.zh.md", "concepts/money.md"} <= names


@pytest.mark.parametrize(
    "page", PAGES_WITH_CODE, ids=[p.relative_to(DOCS).as_posix() for p in PAGES_WITH_CODE]
)
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__main__"}
    for number, block in enumerate(python_blocks(page), start=1):
        code = compile(block, f"{page.relative_to(DOCS)} (python block {number})", "exec")
        with contextlib.redirect_stdout(io.StringIO()):
            exec(code, namespace)
