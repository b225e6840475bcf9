"""Every public name of ``townplan`` is in the API reference, with a docstring."""

from __future__ import annotations

import importlib
import inspect
import re
from pathlib import Path

import pytest

import townplan

REFERENCE = Path(__file__).resolve().parents[2] / "docs" / "reference"
# Module-level values (not classes or functions) carry no docstring of their own.
NOT_CALLABLE_OK = {"__version__"}


def reference_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(REFERENCE.glob("*.md")))


def test_all_is_not_empty() -> None:
    assert "Money" in townplan.__all__


@pytest.mark.parametrize("name", sorted(townplan.__all__))
def test_public_name_is_in_the_reference(name: str) -> None:
    if inspect.ismodule(getattr(townplan, name)):
        # A public module (tp.io, tp.reports) is documented by the '::: ' blocks of its names.
        pattern = rf"^::: townplan\.{re.escape(name)}(\.\w+)+$"
        assert re.search(pattern, reference_text(), flags=re.M), (
            f"townplan.{name} is a public module but no docs/reference/*.md page has a "
            f"'::: townplan.{name}.<name>' block"
        )
        return
    pattern = rf"(?<![\w.])townplan\.{re.escape(name)}(?![\w])"
    assert re.search(pattern, reference_text()), (
        f"townplan.{name} is public (in townplan.__all__) but docs/reference/*.md does not "
        f"document it: add '::: townplan.{name}' to the right page"
    )


@pytest.mark.parametrize("name", sorted(set(townplan.__all__) - NOT_CALLABLE_OK))
def test_public_name_has_a_docstring(name: str) -> None:
    obj = getattr(townplan, name)
    assert inspect.isclass(obj) or callable(obj) or inspect.ismodule(obj), name
    doc = obj.__doc__ if not inspect.isclass(obj) else obj.__dict__.get("__doc__")
    assert doc and doc.strip(), f"townplan.{name} has no docstring of its own"


def resolve(target: str) -> object:
    """The object a ``::: dotted.path`` directive names, or None."""
    parts = target.split(".")
    for cut in range(len(parts), 0, -1):
        try:
            obj: object = importlib.import_module(".".join(parts[:cut]))
        except ImportError:
            continue
        for attr in parts[cut:]:
            obj = getattr(obj, attr, None)
        return obj
    return None


def test_every_directive_names_something_importable() -> None:
    for target in re.findall(r"^::: (\S+)", reference_text(), flags=re.M):
        assert resolve(target) is not None, f"docs/reference names {target}, which does not exist"
