"""Pausing Python's cycle collector while a sheet becomes records.

The collector runs a full pass over every live object now and then as objects are
made; reading a 10⁵-row register makes millions (cells, rows, amounts, records) and
keeps them all until the batch is written, so each pass walks the whole sheet again —
a sixth of the import's time, measured (bench/import_bench.py). None of those objects
refer to each other in a cycle, so nothing waits on the collector: it is paused for the
import and the state it was in is restored after, whatever happens.

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
