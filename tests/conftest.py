"""Options shared by the whole suite.

``--runslow`` runs tests marked ``@pytest.mark.slow`` (skipped by default so the everyday
run stays fast). ``--reliability-full`` runs the reliability suite at full strength (100
crash runs instead of 10, more stateful examples) and implies ``--runslow``.

Under CI (``CI`` set) hypothesis runs derandomized and without deadlines, so a CI run is
reproducible and a slow machine does not fail a test by time; locally every run explores
new examples.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import settings

settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("townplan")
    group.addoption(
        "--runslow",
        action="store_true",
        default=False,
        help="also run tests marked slow",
    )
    group.addoption(
        "--reliability-full",
        action="store_true",
        default=False,
        help="run the reliability suite at full strength (implies --runslow)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--runslow") or config.getoption("--reliability-full"):
        return
    skip = pytest.mark.skip(reason="slow: run with --runslow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)
