"""The front door: :class:`Ledger`, one SQLite file with every question and report on it.

``Ledger`` is the ledger layer's :class:`~townplan.ledger.LedgerStore` (open, write,
``as_of``) with the layers above attached: ``query()`` (the query API plus the four
working systems) and ``assessment(year)``. It lives at the top so that the layers below
import only downward.

>>> import townplan as tp
>>> with tp.Ledger.open(":memory:") as ledger:
...     ledger.query().projects().count()
0
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from townplan.ledger.store import LedgerStore

if TYPE_CHECKING:  # the working systems load with the first question (a fast start)
    from townplan.governance.assessment import Assessment
    from townplan.governance.queries import PortfolioQuery
    from townplan.governance.scheme import ScoringScheme
    from townplan.progress import ProgressHook

__all__ = ["Ledger"]


class Ledger(LedgerStore):
    """A town's (or a city's) major-project ledger in one SQLite file.

    Open it with :meth:`Ledger.open` (a path, or ``":memory:"``); use it as a context
    manager; write inside :meth:`transaction`; read what was known on a day with
    :meth:`as_of`.
    """

    def query(self) -> PortfolioQuery:
        """A composable, immutable query over this ledger (or this as-of view).

        >>> import townplan as tp
        >>> tp.Ledger.open(":memory:").query().projects().eligible().count()
        0
        """
        from townplan.governance.queries import PortfolioQuery

        return PortfolioQuery(self)

    def assessment(
        self, year: int, *, scheme: ScoringScheme | None = None, on: date | None = None,
        on_progress: ProgressHook | None = None,
    ) -> Assessment:  # fmt: skip
        """Scores and the ranking of units for ``year`` under the scheme in force (考核通报).

        ``on`` defaults to the view's cut, else 31 December of ``year``; ``on_progress``
        is told ``(done, total)`` as the assessment goes (see
        :func:`~townplan.governance.assessment.assess`).
        """
        from townplan.governance.assessment import assess

        return assess(self, year, scheme=scheme, on=on, on_progress=on_progress)
