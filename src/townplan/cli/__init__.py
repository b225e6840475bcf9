"""The ``townplan`` command line: a thin shell over the library (click + rich).

Every command is something the library does; errors are one clear line and a non-zero
exit code, never a traceback for a user's mistake.
"""

from __future__ import annotations

import click

from townplan import __version__
from townplan.cli.io_cmds import datasette, export, generate, import_, rollup, sample
from townplan.cli.ledger_cmds import history, info, init, meta, new, projects, search
from townplan.cli.lifecycle_cmds import leaders, light_history, procedures
from townplan.cli.report_cmds import bulletin, demo, ranking, summary
from townplan.cli.usage import Group
from townplan.cli.words import LANGUAGES, set_language

__all__ = ["cli", "main"]


@click.group(cls=Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="townplan")
@click.option(
    "--lang", type=click.Choice(list(LANGUAGES)), expose_value=False, is_eager=True,
    callback=lambda ctx, param, value: set_language(value),
    help="The run's language: Chinese (zh, also cn) or English (en); default from "
    "TOWNPLAN_LANG or the locale (Chinese unless it names another language).",
)  # fmt: skip
def cli() -> None:
    """townplan — the ledger of a major-project ("三重") portfolio.

    Start with `townplan demo`, which builds the sample town and writes its reports.
    Messages, tables and reports are in one language a run: Chinese, or English with
    `--lang en`. Piped or redirected, tables print as tab-separated lines.
    """


for command in (demo, new, init, meta, info, projects, history, search, procedures,
                light_history, leaders, bulletin, summary, ranking, import_, export, generate,
                sample, rollup, datasette):  # fmt: skip
    cli.add_command(command)
# The name the year summary goes by in the office: 年度总结.
cli.add_command(summary, name="year-summary")


def main() -> None:
    """The console entry point."""
    cli(prog_name="townplan")
