"""Shared pieces of the command-line tests: the sample town as a ledger file, and a runner
that checks what a user would see (exit code, one clear error line, never a traceback)."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

import townplan as tp
from townplan.cli import cli
from townplan.fixtures import load_sample_town


class Run:
    """Invoke ``townplan`` in-process, in ``lang`` (the run's language; Chinese unless
    told); ``ok`` and ``fails`` check the outcome. Output is not a terminal, as when piped,
    unless ``terminal`` says so."""

    def __init__(self, lang: str = "zh") -> None:
        self.lang = lang

    def __call__(self, *args: object, columns: int = 400, terminal: bool = False) -> Result:
        env = {"COLUMNS": str(columns), "NO_COLOR": "1", "TOWNPLAN_LANG": self.lang,
               "TTY_COMPATIBLE": "1" if terminal else "0"}  # fmt: skip
        return CliRunner(env=env).invoke(cli, [str(a) for a in args])

    def ok(self, *args: object, columns: int = 400, terminal: bool = False) -> Result:
        """Run a command that must succeed."""
        result = self(*args, columns=columns, terminal=terminal)
        assert result.exit_code == 0, (result.output, result.exception)
        return result

    def fails(self, *args: object, code: int | None = None) -> str:
        """Run a command that must fail cleanly; returns its message on one line."""
        result = self(*args)
        assert result.exit_code != 0, result.output
        if code is not None:
            assert result.exit_code == code, result.output
        # a deliberate exit, not an exception that escaped (CliRunner hides tracebacks)
        assert isinstance(result.exception, SystemExit), repr(result.exception)
        assert "Traceback" not in result.output
        message = " ".join(result.stderr.split())
        assert message.lower().startswith(("error", "usage", "错误", "用法")), message
        return message


@pytest.fixture
def run() -> Run:
    return Run()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample town in a ledger file, built once; tests must not write to it."""
    path = tmp_path_factory.mktemp("sample") / "town.db"
    with tp.Ledger.open(":memory:") as memory:
        load_sample_town(memory)
        target = sqlite3.connect(path)
        try:
            memory.db.conn.backup(target)
        finally:
            target.close()
    return path


@pytest.fixture
def town_db(sample_db: Path, tmp_path: Path) -> Path:
    """A copy of the sample town's ledger file that the test may change."""
    return Path(shutil.copy(sample_db, tmp_path / "town.db"))
