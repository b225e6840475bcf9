"""Pausing Python's cycle collector while many objects that hold no cycles are made.

The collector runs a full pass over every live object now and then as objects are
made; reading a 10⁵-row register (cells, rows, amounts, records) or building a large
portfolio's or a province's bulletin (hundreds of thousands of verdicts, amounts and
rows) makes millions
and keeps them until the work is done, so each pass walks all of them again — a sixth of
the register import's time and a third of the province bulletin's Python side,
measured (bench/). None of those objects refer to each other in a cycle, so nothing
waits on the collector: it is paused for the block and the state it was in is restored
after, whatever happens; reference counting frees memory as before.

>>> import gc
>>> with paused_collector():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["paused_collector"]


@contextmanager
def paused_collector() -> Iterator[None]:
    """Pause the cycle collector for the block (unless it was off already)."""
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()
