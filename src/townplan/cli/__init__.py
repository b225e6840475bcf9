"""The ``townplan`` command line: a thin shell over the library (click + rich).

Every command is something the library does; errors are one clear line and a non-zero
exit code, never a traceback for a user's mistake.
"""

from __future__ import annotations

import click

from townplan import __version__
from townplan.cli.io_cmds import datasette, export, generate, import_, rollup, sample
from townplan.cli.ledger_cmds import history, info, init, meta, new, projects, search
from townplan.cli.report_cmds import bulletin, demo, ranking, summary

__all__ = ["cli", "main"]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="townplan")
def cli() -> None:
    """townplan — the ledger of a major-project ("三重") portfolio.

    Start with `townplan demo`, which builds the sample town and writes its reports.
    """


for command in (demo, new, init, meta, info, projects, history, search, bulletin, summary,
                ranking, import_, export, generate, sample, rollup, datasette):  # fmt: skip
    cli.add_command(command)
# The name the year summary goes by in the office: 年度总结.
cli.add_command(summary, name="year-summary")


def main() -> None:
    """The console entry point."""
    cli(prog_name="townplan")
