"""Usage mistakes (a missing option, a value click refuses) told in the run's language.

click words its own messages in English; :class:`Group` shows them in Chinese when the
run is Chinese, naming the option as the user typed it, on one ``错误：`` line under the
usage line.

>>> zh_message("'pdf' is not one of 'md', 'html'.")
"'pdf' 不是可选的值（md、html）"
>>> zh_message("1800 is not in the range 1900<=x<=2200.")
'1800 不在 1900 至 2200 之间'
>>> zh_message("Path 'nowhere.db' does not exist.")
"'nowhere.db' 不存在"
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Sequence
from typing import Any, Final

import click

from townplan.cli.words import Language, language

__all__ = ["Group", "zh_message"]


def _choices(text: str) -> str:
    return "、".join(re.findall(r"'([^']*)'", text))


_PATTERNS: Final[tuple[tuple[re.Pattern[str], Callable[[re.Match[str]], str]], ...]] = (
    (re.compile(r"^'(?P<v>.*)' is not one of (?P<c>.*)\.$", re.S),
     lambda m: f"'{m['v']}' 不是可选的值（{_choices(m['c'])}）"),
    (re.compile(r"^(?P<v>.*) is not in the range (?P<a>[-\d.]+)<=x<=(?P<b>[-\d.]+)\.$"),
     lambda m: f"{m['v']} 不在 {m['a']} 至 {m['b']} 之间"),
    (re.compile(r"^(?P<v>.*) is not in the range x>=(?P<a>[-\d.]+)\.$"),
     lambda m: f"{m['v']} 小于 {m['a']}"),
    (re.compile(r"^'?(?P<v>.*?)'? is not a valid integer( range)?\.$"),
     lambda m: f"'{m['v']}' 不是整数"),
    (re.compile(r"^(File|Path|Directory) '(?P<v>.*)' does not exist\.$"),
     lambda m: f"'{m['v']}' 不存在"),
    (re.compile(r"^(File|Path) '(?P<v>.*)' is a directory\.$"),
     lambda m: f"'{m['v']}' 是目录，不是文件"),
    (re.compile(r"^(Directory|Path) '(?P<v>.*)' is a file\.$"),
     lambda m: f"'{m['v']}' 是文件，不是目录"),
    (re.compile(r"^(File|Path|Directory) '(?P<v>.*)' is not readable\.$"),
     lambda m: f"'{m['v']}' 无法读取（没有权限）"),
    (re.compile(r"^No such command '(?P<v>.*)'\.$"), lambda m: f"没有命令 '{m['v']}'"),
)  # fmt: skip


def zh_message(message: str) -> str:
    """click's English message in Chinese (unchanged when it is not one click words)."""
    for pattern, words in _PATTERNS:
        match = pattern.match(message.strip())
        if match:
            return words(match)
    return message


def _lang_of(exc: click.ClickException) -> Language:
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        with ctx:
            return language()
    return language()


#: click's "no command given" (click ≥ 8.2): the help is shown, not an error.
_NO_ARGS: Final[tuple[type[click.ClickException], ...]] = tuple(
    getattr(click.exceptions, name) for name in ("NoArgsIsHelpError",)
    if hasattr(click.exceptions, name)
)  # fmt: skip


def _show_zh(exc: click.ClickException) -> None:
    ctx: click.Context | None = getattr(exc, "ctx", None)
    if isinstance(exc, _NO_ARGS):
        exc.show()  # the command's help, as ``-h`` prints it; no error line under it
        return
    if isinstance(exc, click.UsageError) and ctx is not None:
        usage = ctx.get_usage().replace("Usage: ", "用法：").replace("[OPTIONS]", "[选项]")
        click.echo(usage, err=True)
        click.echo(f"查看帮助：{ctx.command_path} -h", err=True)
    if isinstance(exc, click.MissingParameter) and exc.param is not None:
        hint = exc.param.get_error_hint(ctx) if ctx is not None else exc.param.name
        kind = "选项" if isinstance(exc.param, click.Option) else "参数"
        message = f"缺少{kind} {hint}"
    elif isinstance(exc, click.NoSuchOption):
        message = f"没有选项 {exc.option_name}"
        if exc.possibilities:
            message += f"（是否要用 {'、'.join(sorted(exc.possibilities))}？）"
    elif isinstance(exc, click.BadParameter):
        given = exc.param_hint
        if isinstance(given, Sequence) and not isinstance(given, str):
            given = " / ".join(given)
        hint = given or (exc.param.get_error_hint(ctx) if exc.param and ctx else "")
        message = f"{hint} 的值无效：{zh_message(exc.message)}" if hint else zh_message(exc.message)
    else:
        message = zh_message(exc.format_message())
    click.echo(f"错误：{message}", err=True)


class Group(click.Group):
    """A click group whose usage errors speak the run's language."""

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True,
             **extra: Any) -> Any:  # fmt: skip
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, standalone_mode, **extra)
        try:
            return super().main(args, prog_name, complete_var, False, **extra)
        except click.ClickException as exc:
            if _lang_of(exc) == "zh":
                _show_zh(exc)
            else:
                exc.show()
            sys.exit(exc.exit_code)
        except click.exceptions.Abort:
            click.echo("已中止" if language() == "zh" else "Aborted!", err=True)
            sys.exit(1)
        except click.exceptions.Exit as exc:
            sys.exit(exc.exit_code)
