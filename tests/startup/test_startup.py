"""A fast start: importing townplan, or starting its command line, loads no heavy or
optional library until a feature that needs it is used.

Each check runs in a fresh interpreter, so what an earlier test imported cannot hide what
``import townplan`` pulls in.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

# Heavy libraries (pandas brings numpy and pyarrow) and every optional extra.
_NOT_AT_START = (
    "pandas", "numpy", "pyarrow", "duckdb", "pyspark", "openpyxl", "matplotlib", "jinja2",
    "jsonschema", "datasette", "sqlalchemy",
)  # fmt: skip


def _modules_after(code: str) -> list[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    probe = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    out = subprocess.run(
        [sys.executable, "-c", probe], check=True, capture_output=True, text=True
    ).stdout
    names: list[str] = json.loads(out.splitlines()[-1])
    return names


#: ``townplan --help`` in the interpreter the probe runs in.
_HELP = (
    "import sys\nfrom townplan.cli import main\nsys.argv = ['townplan', '--help']\n"
    "try:\n    main()\nexcept SystemExit:\n    pass"
)


def _loaded_after(code: str) -> set[str]:
    return {name.split(".")[0] for name in _modules_after(code)}


@pytest.mark.parametrize(
    "code",
    ["import townplan", "import townplan.cli", "import townplan as tp; tp.Money.parse('1亿')"],
)
def test_start_loads_no_heavy_or_optional_library(code: str) -> None:
    assert _loaded_after(code) & set(_NOT_AT_START) == set()


def test_sqlite_utils_loads_when_a_ledger_is_opened() -> None:
    assert "sqlite_utils" not in _loaded_after("import townplan")
    assert "sqlite_utils" in _loaded_after("import townplan as tp; tp.Ledger.open(':memory:')")


def test_help_starts_without_heavy_libraries() -> None:
    assert _loaded_after(_HELP) & set(_NOT_AT_START) == set()


def _townplan_layers_after(code: str) -> set[str]:
    return {n.split(".")[1] for n in _modules_after(code) if n.startswith("townplan.")}


# The layers a plain `import townplan` or `townplan --help` has no use for: they load with
# the first question, report or file read (each costs tens of milliseconds to import).
_LATER = {"governance", "reports", "io", "analytics", "fixtures"}


def test_import_townplan_leaves_the_upper_layers_for_later() -> None:
    assert _townplan_layers_after("import townplan") & _LATER == set()


def test_help_leaves_the_queries_and_upper_layers_for_later() -> None:
    assert _townplan_layers_after(_HELP) & (_LATER | {"query"}) == set()


def test_a_question_loads_what_it_needs() -> None:
    code = "import townplan as tp\ntp.Ledger.open(':memory:').query().projects().count()"
    assert {"governance", "query"} <= _townplan_layers_after(code)
