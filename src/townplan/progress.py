"""How a long job tells of its work: a progress hook.

The importers, the exports and the rollup take ``on_progress``, a callable told
``(done, total)`` as they go — steps done so far and the steps of the whole job — so a
caller can draw a bar with counts and the time left (the command line does, with Rich);
the library itself draws nothing. A job calls it with ``done == 0`` once the total is
known and with ``done == total`` when it has finished; in between, at most once every
:data:`EVERY` steps.

>>> seen = []
>>> tally = Tally(lambda done, total: seen.append((done, total)), 2500)
>>> for _ in counted(range(2500), tally):
...     pass
>>> tally.finish()
>>> seen
[(0, 2500), (1000, 2500), (2000, 2500), (2500, 2500)]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Final, TypeVar

__all__ = ["EVERY", "ProgressHook", "Tally", "counted"]

#: ``hook(done, total)``: steps done so far of the ``total`` steps of the job.
ProgressHook = Callable[[int, int], None]

#: A hook is told at most once every this many steps (and at the start and the end).
EVERY: Final = 1000

T = TypeVar("T")


class Tally:
    """Counts the steps of one job and tells ``hook`` (which may be None: count only),
    every ``every`` steps (default :data:`EVERY`; a job of a few long steps tells each)."""

    def __init__(self, hook: ProgressHook | None, total: int, every: int | None = None) -> None:
        self.hook = hook
        self.total = total
        self.done = 0
        self.every = every  # None: EVERY
        self._told = 0
        if hook is not None:
            hook(0, total)

    def add(self, n: int = 1) -> None:
        """``n`` more steps done."""
        self.done = min(self.total, self.done + n)
        every = EVERY if self.every is None else self.every
        if self.hook is not None and self.done - self._told >= every:
            self._told = self.done - self.done % every
            self.hook(self._told, self.total)

    def finish(self) -> None:
        """The job is done (steps it skipped, such as writing nothing, count as done)."""
        self.done = self.total
        if self.hook is not None and self._told < self.total:
            self._told = self.total
            self.hook(self.total, self.total)


def counted(items: Iterable[T], tally: Tally) -> Iterator[T]:
    """``items``, each counted as a step of ``tally`` as it is taken (without a hook,
    when nobody is told, they are counted once at the end)."""
    if tally.hook is None:
        taken = 0
        for item in items:
            yield item
            taken += 1
        tally.add(taken)
        return
    for item in items:
        yield item
        tally.add()
