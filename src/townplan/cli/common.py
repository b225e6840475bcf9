"""Shared pieces of the command line: argument types, one-line errors, output helpers."""

from __future__ import annotations

import functools
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import click
from rich.console import Console
from rich.markup import escape

from townplan.errors import TownplanError, ValidationError
from townplan.model.period import Period, PeriodKind

__all__ = ["DATE", "MONTH", "console", "err_console", "friendly_errors", "open_ledger"]

P = ParamSpec("P")
R = TypeVar("R")

console = Console()
err_console = Console(stderr=True)


class _Date(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            self.fail(f"{value!r} is not a date like 2013-06-30", param, ctx)


class _Month(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    name = "YYYY-MM"

    def convert(
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> Period:
        if isinstance(value, Period):
            return value
        try:
            period = Period.parse(str(value))
        except ValidationError:
            period = None
        if period is None or period.kind is not PeriodKind.MONTH:
            self.fail(f"{value!r} is not a month like 2013-06", param, ctx)
        return period


DATE = _Date()
MONTH = _Month()


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Show townplan and file errors as one clear line and exit 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except TownplanError as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        except (OSError, sqlite3.Error) as exc:
            err_console.print(f"[bold red]error:[/] {escape(str(exc))}", highlight=False)
        raise SystemExit(1)

    return wrapper


def open_ledger(path: str, *, must_exist: bool = True) -> Any:
    """Open the ledger at ``path`` for a command (refusing to create one by accident)."""
    from townplan.api import Ledger

    if must_exist and path != ":memory:" and not Path(path).exists():
        raise click.ClickException(f"no ledger at {path} (create one with: townplan new {path})")
    return Ledger.open(path)
