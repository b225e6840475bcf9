"""Shared pieces of the command line: argument types, output, one-line errors, progress.

Output follows three rules. Stored text is text: every value printed goes out as plain
text, never read as Rich markup (a project named ``[red]x[/red]`` prints those
characters). Nothing is cut: in a terminal, tables fit its width and wrap inside cells;
piped or redirected, a table is tab-separated text (a header line, then one line per
row) and every line is printed whole. One language per run (:mod:`townplan.cli.words`).
"""

from __future__ import annotations

import enum
import errno
import functools
import os
import re
import sqlite3
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, ParamSpec, TypeVar

import click
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Column
from rich.table import Table as RichTable
from rich.text import Text

from townplan.cli.words import language, word
from townplan.errors import NotFoundError, TownplanError, ValidationError
from townplan.model.money import Money
from townplan.model.period import Period, PeriodKind

if TYPE_CHECKING:
    from townplan.reports.table import Lang

__all__ = [
    "AS_OF",
    "DATE",
    "LATEST",
    "MONTH",
    "PLAIN_FROM",
    "Bar",
    "check_writable",
    "friendly_errors",
    "label_text",
    "money_text",
    "open_ledger",
    "plain_warnings",
    "progress",
    "say",
    "show_table",
    "tsv_cell",
]

P = ParamSpec("P")
R = TypeVar("R")


def _console(*, stderr: bool = False) -> Console:
    # Made per use: the stream, its width and whether it is a terminal are read then.
    return Console(stderr=stderr, highlight=False, markup=False, emoji=False)


def say(text: str, *, bold: bool = False) -> None:
    """Print one message (plain text, never markup), whole when piped."""
    console = _console()
    if console.is_terminal:
        console.print(Text(text, style="bold" if bold else ""))
    else:
        click.echo(text)


def money_text(value: Money, *, exact: bool = False) -> str:
    """An amount as the run's language writes it: "48.00亿元" (``exact``: "48亿元") or
    "4,800,000,000.00 CNY"."""
    if language() == "zh":
        text = value.format_cn() if exact else value.format_cn(places=2)
        digits = re.match(r"-?\d+", text)
        if digits:  # thousands separators: 3,745.57亿元
            text = f"{int(digits.group()):,}" + text[digits.end() :]
        return text
    from townplan.reports.table import Kind, headline_value  # reports load when used

    return headline_value(value, Kind.MONEY, "en")


@functools.cache
def _neutralise() -> Callable[[str], str]:
    """:func:`townplan.reports.formulas.neutralise`, imported at the first cell (the
    reports load when used, not at --help) and once: piped output calls it per cell."""
    from townplan.reports.formulas import neutralise

    return neutralise


@functools.cache
def _label() -> Callable[[enum.Enum, Lang], str]:
    """:func:`townplan.reports.table.label`, imported once, at the first label shown."""
    from townplan.reports.table import label

    return label


def label_text(value: enum.Enum) -> str:
    """An enum member (category, stage, light …) as the run's language shows it: its
    Chinese label, or its value in English.

    >>> import click
    >>> from townplan.cli.words import set_language
    >>> from townplan.model.enums import Stage
    >>> with click.Context(click.Command("townplan")):
    ...     set_language("zh"); label_text(Stage.CONTINUING)
    ...     set_language("en"); label_text(Stage.CONTINUING)
    '续建'
    'continuing'
    """
    return _label()(value, "cn" if language() == "zh" else "en")


def tsv_cell(text: str) -> str:
    """A cell of tab-separated output: text a spreadsheet would run as a formula gets a
    leading apostrophe (the rule every export follows, :mod:`townplan.reports.formulas`),
    then tabs and line breaks become spaces — piped output is often opened in Excel. A
    number printed as text ("-12.5", "-3.2%") stays as it is, as the exports write
    numbers as numbers: a spreadsheet reads it as a number, never a formula.

    >>> tsv_cell('=HYPERLINK("http://evil.example/","点击")'), tsv_cell("中心\\t大道\\n二期")
    ('\\'=HYPERLINK("http://evil.example/","点击")', '中心 大道 二期')
    >>> tsv_cell("\\t=1+1"), tsv_cell("-1+1"), tsv_cell("-12.5"), tsv_cell("-1,234.5%")
    ("' =1+1", "'-1+1", '-12.5', '-1,234.5%')
    """
    if not _NUMBER.fullmatch(text):
        text = _neutralise()(text)
    return " ".join(text.replace("\t", " ").splitlines())


_NUMBER = re.compile(r"[+-]?\d[\d,]*(?:\.\d+)?%?")


def show_table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    title: str | None = None,
    right: Sequence[int] = (),
    no_wrap: Sequence[int] = (),
) -> None:
    """Print a table: in a terminal as a Rich table (``right``: columns aligned right,
    ``no_wrap``: columns never wrapped); otherwise as tab-separated lines."""
    console = _console()
    if title:
        say(title, bold=True)
    if not console.is_terminal:
        click.echo("\t".join(tsv_cell(h) for h in headers))
        for row in rows:
            click.echo("\t".join(tsv_cell(c) for c in row))
        return
    columns = [
        Column(
            Text(h),
            justify="right" if i in right else "left",
            no_wrap=i in no_wrap,
            overflow="fold",
        )
        for i, h in enumerate(headers)
    ]
    table = RichTable(*columns)
    for row in rows:
        table.add_row(*(Text(c) for c in row))
    console.print(table)


#: Piped, a job of at least this many steps says how far it is at each tenth of the way;
#: a shorter one (done in moments) says nothing, so its output is only its result.
PLAIN_FROM: Final = 10_000


class Bar:
    """The progress of one job: ``bar(n)`` advances it ``n`` steps; ``bar.hook`` is a
    :data:`~townplan.progress.ProgressHook` for the library's ``on_progress``."""

    def __init__(self, description: str, total: int | None, rich: Progress | None) -> None:
        self.description = description
        self.total = total
        self.done = 0
        self._tenths = 0
        self._rich = rich
        self._task = rich.add_task(description, total=total) if rich is not None else None

    def __call__(self, n: int) -> None:
        self.hook(self.done + n, self.total)

    def hook(self, done: int, total: int | None) -> None:
        """Steps ``done`` of ``total``."""
        self.done, self.total = done, total
        if self._rich is not None and self._task is not None:
            self._rich.update(self._task, total=total, completed=done)
        elif total and total >= PLAIN_FROM:
            tenth = min(10, done * 10 // total)
            if tenth > self._tenths:
                self._tenths = tenth
                click.echo(f"{self.description} {done:,}/{total:,} ({tenth * 10}%)", err=True)


@contextmanager
def progress(description: str, total: int | None) -> Iterator[Bar]:
    """A progress bar on stderr with counts and time left (``total`` steps, or None until
    a hook tells it). In a terminal it is drawn by Rich and goes when the job ends; piped
    or redirected nothing is drawn: a job of :data:`PLAIN_FROM` steps or more prints a
    plain line at each tenth of the way."""
    console = _console(stderr=True)
    if not console.is_terminal:
        yield Bar(description, total, None)
        return
    columns = [TextColumn(description), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn(), TimeRemainingColumn()]  # fmt: skip
    with Progress(*columns, console=console, transient=True) as rich:
        yield Bar(description, total, rich)


@contextmanager
def plain_warnings() -> Iterator[None]:
    """Warnings townplan gives (no Chinese font for the charts) said once each, as one
    plain line on stderr in the run's language, without Python's source line."""
    from townplan.reports.charts import CJKFontWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", CJKFontWarning)
        yield
    said: set[str] = set()
    for item in caught:
        if issubclass(item.category, CJKFontWarning):
            text = word("no_cjk_font")
        else:
            text = str(item.message)
        if text not in said:
            said.add(text)
            click.echo(word("note") + text, err=True)


class _Date(click.ParamType):  # type: ignore[type-arg,unused-ignore]
    name = "YYYY-MM-DD"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> date:
        if isinstance(value, date):
            return value
        try:
            return date.fromisoformat(str(value))
        except ValueError:
            if language() == "zh":
                self.fail(f"{value!r} 不是形如 2013-06-30 的日期", param, ctx)
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
            if language() == "zh":
                self.fail(f"{value!r} 不是形如 2013-06 的月份", param, ctx)
            self.fail(f"{value!r} is not a month like 2013-06", param, ctx)
        return period


class _AsOf(_Date):
    """A day, or ``latest`` (everything recorded until now)."""

    name = "YYYY-MM-DD|latest"

    def get_metavar(self, param: click.Parameter, ctx: click.Context) -> str:
        return self.name

    def convert(  # type: ignore[override]
        self, value: Any, param: click.Parameter | None, ctx: click.Context | None
    ) -> date | str:
        if isinstance(value, str) and value.strip().lower() == LATEST:
            return LATEST
        return super().convert(value, param, ctx)


#: What ``--as-of`` takes for "everything recorded until now".
LATEST = "latest"
DATE = _Date()
MONTH = _Month()
AS_OF = _AsOf()

_REASONS = {
    errno.ENOENT: "no_directory",
    errno.EACCES: "no_permission",
    errno.EPERM: "no_permission",
    errno.EISDIR: "is_directory",
    errno.ENOSPC: "no_space",
    errno.ENOTDIR: "not_a_directory",
}


def check_writable(path: Path) -> None:
    """Refuse, before any work, a file that cannot be written: its folder missing or not
    writable, or the path a folder (one clear line instead of a writer's traceback)."""
    folder = path.parent if str(path.parent) else Path(".")
    reason = None
    if path.is_dir():
        reason = "is_directory"
    elif not folder.exists():
        reason = "no_directory"
    elif not folder.is_dir():
        reason = "not_a_directory"
    elif not os.access(folder, os.W_OK) or (path.exists() and not os.access(path, os.W_OK)):
        reason = "no_permission"
    if reason is not None:
        raise TownplanError(word("cannot_write", path=path, reason=word(reason)))


def describe(exc: BaseException) -> str:
    """An error as one line in the run's language (the Chinese wording of every error
    class is in :mod:`townplan.cli.errors_zh`)."""
    if isinstance(exc, OSError) and exc.errno in _REASONS and exc.filename:
        return word("cannot_read", path=exc.filename, reason=word(_REASONS[exc.errno]))
    if language() == "zh":
        from townplan.cli.errors_zh import describe as in_chinese

        return in_chinese(exc)
    return " ".join(str(exc).split()) or type(exc).__name__


def friendly_errors(func: Callable[P, R]) -> Callable[P, R]:
    """Show townplan and file errors as one clear line and exit 1, never a traceback."""

    @functools.wraps(func)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return func(*args, **kwargs)
        except BrokenPipeError:  # the reader went away (| head): stop quietly
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            raise SystemExit(0) from None
        except (TownplanError, OSError, sqlite3.Error) as exc:
            click.echo(word("error") + describe(exc), err=True)
        raise SystemExit(1)

    return wrapper


def open_ledger(path: str, *, must_exist: bool = True) -> Any:
    """Open the ledger at ``path`` for a command (refusing to create one by accident)."""
    from townplan.api import Ledger

    if must_exist and path != ":memory:" and not Path(path).exists():
        raise NotFoundError(word("no_ledger", path=path))
    return Ledger.open(path)


def is_terminal() -> bool:
    """Whether standard output is a terminal (as Rich judges it)."""
    return bool(_console().is_terminal) and sys.stdout is not None
