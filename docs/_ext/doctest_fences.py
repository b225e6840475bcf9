"""A griffe extension: show the doctest examples of townplan's docstrings as code.

townplan's docstrings carry plain ``>>>`` examples (pytest runs them with
``--doctest-modules``). Markdown would read ``>>>`` as nested block quotes, so this
extension wraps every run of doctest lines, with its expected output, in a ``pycon``
fence before mkdocstrings renders the docstring.
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_PROMPT = re.compile(r"^(\s*)>>> ")
# Sphinx roles (:class:`~townplan.ledger.LedgerStore`) are shown as code: the last part
# of the name when it starts with "~", the name as written otherwise.
_ROLE = re.compile(r":(?:class|meth|func|mod|attr|data|exc|obj):`(~?)([^`]+)`")


def plain_roles(text: str) -> str:
    """Show Sphinx cross-reference roles as inline code.

    >>> plain_roles("see :class:`~townplan.io.sheets.headers.HeaderMap` and :meth:`Money.parse`")
    'see `HeaderMap` and `Money.parse`'
    """
    return _ROLE.sub(
        lambda m: f"`{m.group(2).rsplit('.', 1)[-1] if m.group(1) else m.group(2)}`", text
    )


def fence_doctests(text: str) -> str:
    r"""Wrap each doctest block (prompt lines and their output, up to a blank line or a fence).

    >>> fence_doctests("Intro.\n>>> 1 + 1\n2\n\nMore.").split("\n")
    ['Intro.', '```pycon', '>>> 1 + 1', '2', '```', '', 'More.']
    """
    out: list[str] = []
    lines = text.split("\n")
    i = 0
    in_fence = False
    while i < len(lines):
        line = lines[i]
        if line.lstrip().startswith("```"):
            in_fence = not in_fence
        match = None if in_fence else _PROMPT.match(line)
        if match is None:
            out.append(line)
            i += 1
            continue
        indent = match.group(1)
        out.append(f"{indent}```pycon")
        while i < len(lines) and lines[i].strip() and not lines[i].lstrip().startswith("```"):
            out.append(lines[i])
            i += 1
        out.append(f"{indent}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctest examples and plain the Sphinx roles of every docstring."""

    def on_object(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        if obj.docstring is not None:
            obj.docstring.value = plain_roles(fence_doctests(obj.docstring.value))
