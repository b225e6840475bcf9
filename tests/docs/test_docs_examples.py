"""Every Python example in the documentation runs, so the docs cannot drift from the code.

Each page's ```python blocks (found with mktestdocs) run in order in one namespace, as a
reader following the page would run them, in a fresh working directory. A failure names
the page and the block. A block followed by "which prints" and a ```text block must print
exactly that text.
"""

from __future__ import annotations

import contextlib
import io
import re
import warnings
from pathlib import Path

import pytest

# A dev dependency (the ``dev`` extra); without it the examples cannot be collected.
grab_code_blocks = pytest.importorskip("mktestdocs").grab_code_blocks

DOCS = Path(__file__).resolve().parents[2] / "docs"
# The README's example is the first code a new user runs: it is held to the same rule.
PAGES = [DOCS.parent / "README.md", *sorted(p for p in DOCS.rglob("*.md") if "_ext" not in p.parts)]


def python_blocks(page: Path) -> list[str]:
    """The page's ```python blocks, in order."""
    return grab_code_blocks(page.read_text(encoding="utf-8"), lang="python")


PAGES_WITH_CODE = [p for p in PAGES if python_blocks(p)]
#: How townplan words a deprecation (townplan.query.base.deprecated).
DEPRECATED = r".* is deprecated and will be removed in the next release"
FENCED = r"(?:(?!```).)*"  # the inside of one fence: anything but another fence
PRINTS = re.compile(
    rf"```python\n(?P<code>{FENCED})```\n\nwhich prints\n\n```text\n(?P<out>{FENCED})```", re.S
)


def shown_output(page: Path) -> dict[str, str]:
    """What the page says a block prints, by the block's code."""
    text = page.read_text(encoding="utf-8")
    return {m["code"].strip(): m["out"] for m in PRINTS.finditer(text)}


def test_the_docs_have_examples() -> None:
    names = {p.relative_to(DOCS.parent).as_posix() for p in PAGES_WITH_CODE}
    assert {"README.md", "docs/getting-started.md", "docs/concepts/money.md"} <= names


@pytest.mark.parametrize(
    "page", PAGES_WITH_CODE, ids=[p.relative_to(DOCS.parent).as_posix() for p in PAGES_WITH_CODE]
)
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__main__"}
    shown = shown_output(page)
    for number, block in enumerate(python_blocks(page), start=1):
        name = f"{page.relative_to(DOCS.parent)} (python block {number})"
        printed = io.StringIO()
        with contextlib.redirect_stdout(printed), warnings.catch_warnings():
            # The docs show the current names only, never a deprecated one.
            warnings.filterwarnings("error", DEPRECATED, DeprecationWarning)
            exec(compile(block, name, "exec"), namespace)
        if block.strip() in shown:
            expected = shown.pop(block.strip()).rstrip("\n")
            assert printed.getvalue().rstrip("\n") == expected, f"{name} prints otherwise"
    assert not shown, f"'which prints' after a block that did not run: {list(shown)}"


def test_the_tutorial_shows_the_bulletin_it_prints() -> None:
    assert any("bulletin.to_markdown()" in code for code in shown_output(DOCS / "tutorial.md"))
