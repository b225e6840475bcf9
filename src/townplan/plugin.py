"""pytest fixtures for code built on townplan; active wherever townplan is installed.

The plugin is registered through the ``pytest11`` entry point, so a project that
installs townplan uses these fixtures with no conftest and no configuration. Each gives
a :class:`townplan.Ledger` (``.query()``, ``.assessment(year)`` and every ledger method):

``townplan_ledger``
    An empty ledger in memory, closed after the test::

        def test_add(townplan_ledger):
            townplan_ledger.add_units(["城建办"])
            assert [u.name for u in townplan_ledger.units()] == ["城建办"]

``sample_town``
    The sample town (示例镇) of the reference report — 40 projects (36 eligible), the
    command HQ and 13 leading groups with their tasks, targets, 招商引资 figures, a year
    of progress reports and the governance events. Built once per session; each test
    gets its own in-memory copy, so writes never leak into other tests::

        def test_eligible(sample_town):
            assert sample_town.query().projects().eligible().count() == 36

``portfolio_factory``
    A callable ``portfolio_factory(size, seed=None, **options)`` that returns a new
    in-memory ledger holding a generated portfolio (see
    :func:`townplan.fixtures.generate_portfolio` for the options). The seed defaults to
    ``--townplan-seed`` (default 1), shown in the test-run header so a failure can be
    replayed; ``portfolio_factory.summaries`` lists what each call generated::

        def test_scale(portfolio_factory):
            ledger = portfolio_factory(1_000)
            assert ledger.counts()["projects"] == 1_000
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from townplan.api import Ledger
from townplan.fixtures import GeneratedSummary, generate_portfolio, load_sample_town

__all__ = ["PortfolioFactory", "portfolio_factory", "sample_town", "townplan_ledger"]

_SEED_OPTION = "--townplan-seed"


def pytest_addoption(parser: pytest.Parser) -> None:
    """Add ``--townplan-seed``, the default seed of ``portfolio_factory``."""
    group = parser.getgroup("townplan", "townplan fixtures")
    group.addoption(
        _SEED_OPTION,
        type=int,
        default=1,
        dest="townplan_seed",
        metavar="SEED",
        help="seed of the portfolios portfolio_factory generates when a test gives none "
        "(default: 1)",
    )


def pytest_report_header(config: pytest.Config) -> str:
    """Show the seed in the header, so a failing generated portfolio can be replayed."""
    return f"townplan: {_SEED_OPTION}={config.getoption('townplan_seed')}"


@pytest.fixture
def townplan_ledger() -> Iterator[Ledger]:
    """An empty ledger in memory, closed after the test."""
    with Ledger.open(":memory:") as ledger:
        yield ledger


@pytest.fixture(scope="session")
def _townplan_sample_master() -> Iterator[Ledger]:
    """The sample town, built once per session; tests get copies of it."""
    with Ledger.open(":memory:") as ledger:
        load_sample_town(ledger)
        yield ledger


@pytest.fixture
def sample_town(_townplan_sample_master: Ledger) -> Iterator[Ledger]:
    """A fresh in-memory copy of the sample town for this test."""
    # SQLite's online backup copies the built town page by page: well under a millisecond.
    with _townplan_sample_master.copy() as ledger:
        yield ledger


class PortfolioFactory:
    """Makes generated portfolios for one test and closes them afterwards."""

    def __init__(self, default_seed: int) -> None:
        self.default_seed = default_seed
        #: What each call generated, in call order.
        self.summaries: list[GeneratedSummary] = []
        self._ledgers: list[Ledger] = []

    def __call__(
        self,
        size: int,
        seed: int | None = None,
        *,
        months: int = 12,
        year: int = 2013,
        progress: bool = True,
        town: str | None = None,
        path: str | Path = ":memory:",
    ) -> Ledger:
        """A new ledger (in memory unless ``path`` is given) holding ``size`` generated
        projects; the same size, seed and options always give the same ledger."""
        ledger = Ledger.open(path)
        self._ledgers.append(ledger)
        self.summaries.append(
            generate_portfolio(
                ledger,
                size,
                self.default_seed if seed is None else seed,
                months=months,
                year=year,
                progress=progress,
                town=town,
            )
        )
        return ledger

    def close(self) -> None:
        """Close every ledger made so far."""
        for ledger in self._ledgers:
            ledger.close()
        self._ledgers.clear()


@pytest.fixture
def portfolio_factory(request: pytest.FixtureRequest) -> Iterator[PortfolioFactory]:
    """``portfolio_factory(size, seed=None, **options)`` → a ledger with a generated
    portfolio; the seed defaults to ``--townplan-seed``."""
    factory = PortfolioFactory(int(request.config.getoption("townplan_seed")))
    yield factory
    factory.close()
