"""Names kept for one release after they were replaced: each use warns, naming the new one.

A deprecated method or keyword still works; the :class:`DeprecationWarning` names the line
that used it (not townplan's own), so the caller knows what to change.

>>> import warnings
>>> def add(items: list[str], *, on: str | None = None, valid_from: str | None = None) -> str:
...     return renamed("add", "valid_from", valid_from, "on", on) or "today"
>>> with warnings.catch_warnings(record=True) as caught:
...     warnings.simplefilter("always")
...     add([], valid_from="2013-01-01")
'2013-01-01'
>>> str(caught[0].message)
'add(valid_from=...) is deprecated and will be removed in the next release; use add(on=...)'
"""

from __future__ import annotations

import warnings
from typing import TypeVar

from townplan.errors import ValidationError

__all__ = ["deprecated", "renamed"]

T = TypeVar("T")


def deprecated(old: str, new: str, *, depth: int = 1) -> None:
    """Warn that ``old`` is kept for one release only and ``new`` replaces it; the
    warning names the line that called the deprecated name (``depth`` calls up from the
    function that warns)."""
    warnings.warn(
        f"{old} is deprecated and will be removed in the next release; use {new}",
        DeprecationWarning,
        stacklevel=2 + depth,
    )


def renamed(call: str, old: str, old_value: T | None, new: str, value: T | None) -> T | None:
    """The value of keyword ``new`` of ``call``, given as ``new`` or as its former name
    ``old`` (which warns); both at once is a ValidationError naming them."""
    if old_value is None:
        return value
    if value is not None:
        raise ValidationError.single(
            record=call, field=old, value=old_value,
            expected=f"only {new}=... ({old}= is its former name)",
        )  # fmt: skip
    deprecated(f"{call}({old}=...)", f"{call}({new}=...)", depth=2)
    return old_value
