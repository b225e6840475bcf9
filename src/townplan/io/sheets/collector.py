"""Pausing Python's cycle collector while a sheet becomes records: the import makes
millions of objects (cells, rows, amounts, records) that hold no cycles, so the
collector is paused for it (:func:`townplan.cycles.paused_collector`, the one place of
it) and restored after, whatever happens.

>>> import gc
>>> with paused_collector():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

from townplan.cycles import paused_collector

__all__ = ["paused_collector"]
