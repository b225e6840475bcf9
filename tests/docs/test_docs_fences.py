"""The griffe extension that shows docstring examples as code in the API reference."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

pytest.importorskip("griffe")  # the ``docs`` extra, which the extension builds on

EXTENSION = Path(__file__).resolve().parents[2] / "docs" / "_ext" / "doctest_fences.py"


def load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("doctest_fences", EXTENSION)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_doctest_lines_become_a_pycon_fence() -> None:
    text = "Read it.\n\n>>> Money.parse('2亿')\nMoney(...)\n\nThen more."
    assert load().fence_doctests(text).split("\n") == [
        "Read it.",
        "",
        "```pycon",
        ">>> Money.parse('2亿')",
        "Money(...)",
        "```",
        "",
        "Then more.",
    ]


def test_indented_doctests_keep_their_indent_and_fences_are_left_alone() -> None:
    text = "    >>> 1\n    1\n```python\n>>> not a doctest\n```"
    assert load().fence_doctests(text).split("\n") == [
        "    ```pycon",
        "    >>> 1",
        "    1",
        "    ```",
        "```python",
        ">>> not a doctest",
        "```",
    ]


def test_sphinx_roles_are_shown_as_code() -> None:
    text = "a :class:`~townplan.ledger.LedgerStore`, :meth:`Money.parse` and :func:`f`"
    assert load().plain_roles(text) == "a `LedgerStore`, `Money.parse` and `f`"
