"""Commands that write reports: bulletin, summary, ranking, and the demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import click

from townplan.api import Ledger
from townplan.cli.common import (
    AS_OF,
    MONTH,
    friendly_errors,
    open_ledger,
    plain_warnings,
    progress,
    say,
    show_table,
)
from townplan.cli.words import LANGUAGES, language, set_language, word
from townplan.model.period import Period

if TYPE_CHECKING:  # the reports load when a command writes one (a fast --help)
    from townplan.progress import ProgressHook
    from townplan.reports.table import Lang, Report, Table

__all__ = ["bulletin", "demo", "ranking", "summary", "write_report"]

FORMATS = ("md", "html", "docx", "csv", "xlsx", "png")


def _steps(formats: tuple[str, ...]) -> tuple[str, ...]:
    chosen = FORMATS if "all" in formats else formats
    return tuple(f for f in FORMATS if f in chosen)


def write_report(
    report: Report, out: Path, formats: tuple[str, ...], lang: Lang,
    advance: Callable[[int], None] | None = None,
) -> list[Path]:  # fmt: skip
    """Write ``report`` into ``out`` in each format; returns the files written.
    ``advance(1)`` is called after each format."""
    out.mkdir(parents=True, exist_ok=True)
    stem = report.kind
    written: list[Path] = []
    for step in _steps(formats):
        if step == "md":
            path = out / f"{stem}.md"
            path.write_text(report.to_markdown(lang), encoding="utf-8")
            written.append(path)
        elif step == "html":
            path = out / f"{stem}.html"
            path.write_text(report.to_html(lang), encoding="utf-8")
            written.append(path)
        elif step == "docx":  # a 公文 is Chinese, whatever the run's language
            written.append(report.to_docx(out / f"{stem}.docx"))
        elif step == "csv":
            written += report.to_csv(out, lang)
        elif step == "xlsx":
            written.append(report.to_xlsx(out / f"{stem}.xlsx", lang))
        else:
            written += report.charts(out, lang)
        if advance is not None:
            advance(1)
    return written


def _headline(report: Report, lang: Lang) -> None:
    # The title goes above the table on a line of its own: a table title wraps to the
    # table's width and would break Chinese words.
    from townplan.reports.table import headline_value

    rows = [[label_cn if lang == "cn" else label_en, headline_value(value, kind, lang)]
            for label_cn, label_en, value, kind in report.headline]  # fmt: skip
    show_table([word("indicator"), word("value")], rows, title=report.title(lang), right=(1,))


def report_lang() -> Lang:
    """The language reports are written in this run ("cn" for Chinese)."""
    return "cn" if language() == "zh" else "en"


# The tables of the year summary the terminal shows too: the year's figures as a report
# states them, the town's standing, the targets with their baselines, attraction.
_SHOWN = frozenset({"review", "standings", "targets", "attraction"})


def _print_table(table: Table, lang: Lang) -> None:
    from townplan.reports.table import text_rows

    headers = [c.header(lang) for c in table.columns]
    show_table(headers, text_rows(table, lang), title=table.title(lang))


_format_option = click.option(
    "--format", "formats", multiple=True, default=("md",), show_default=True,
    type=click.Choice([*FORMATS, "all"]), help="Output format; repeatable, or 'all'.",
)  # fmt: skip
_out_option = click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="Directory to write into.",
)  # fmt: skip
_lang_option = click.option(
    "--lang", type=click.Choice(list(LANGUAGES)), default=None, expose_value=False,
    is_eager=True, callback=lambda ctx, param, value: set_language(value),
    help="Chinese (zh, also cn) or English (en): the reports and every message "
    "(default: the run's language, from the locale).",
)  # fmt: skip
_as_of_option = click.option(
    "--as-of", "as_of", type=AS_OF,
    help="As known on this day, or 'latest': everything recorded until now "
    "(default: 15 days after the period).",
)  # fmt: skip


def _day(opened: Ledger, as_of: date | str | None) -> date | None:
    """The day a report is as of: ``latest`` is today in the ledger's zone."""
    if isinstance(as_of, str):  # LATEST, the one word the option takes
        return opened.today()
    return as_of


def _run(build: Callable[[ProgressHook], Report], what: tuple[str, str], out: Path,
         formats: tuple[str, ...]) -> None:  # fmt: skip
    """Build a report and write it, with a progress bar over the steps: those the build
    tells of (``build`` is given the hook; one step when it tells nothing), then one for
    each format."""
    lang = report_lang()
    steps = _steps(formats)
    name = what[0] if lang == "cn" else what[1]
    with plain_warnings(), progress(word("building", what=name), 1 + len(steps)) as bar:
        report = build(lambda done, total: bar.hook(done, total + len(steps)))
        if bar.done == 0:
            bar(1)
        written = write_report(report, out, formats, lang, bar)
    if report.unseen:
        click.echo(word("note") + word("unseen", count=report.unseen,
                                       day=report.as_of.isoformat()), err=True)  # fmt: skip
    _headline(report, lang)
    if report.kind == "year-summary":
        for table in report.tables:
            if table.key in _SHOWN and table.rows:
                _print_table(table, lang)
    for path in written:
        say(word("wrote", path=path))


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.option("--month", type=MONTH, required=True, help="The month, e.g. 2013-06.")
@_as_of_option
@_format_option
@_out_option
@_lang_option
@friendly_errors
def bulletin(
    ledger: str, month: Period, as_of: date | str | None, formats: tuple[str, ...], out: Path
) -> None:
    """The monthly progress bulletin (月度调度通报) of LEDGER."""
    from townplan.reports import bulletin as build_bulletin

    with open_ledger(ledger) as opened:
        day = _day(opened, as_of)
        _run(lambda hook: build_bulletin(opened, month, as_of=day, on_progress=hook),
             ("通报", "bulletin"), out, formats)  # fmt: skip


def _year_report(name: str, builder: str, doc: str, what: tuple[str, str]) -> click.Command:
    """A command that writes one report of a year (the summary, the ranking notice):
    ``builder`` names its function in :mod:`townplan.reports`, loaded when it runs."""

    @click.command(name, help=doc)
    @click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
    @click.option("--year", type=click.IntRange(1900, 2200), required=True, help="e.g. 2013")
    @_as_of_option
    @_format_option
    @_out_option
    @_lang_option
    @friendly_errors
    def command(
        ledger: str, year: int, as_of: date | str | None, formats: tuple[str, ...], out: Path
    ) -> None:
        from townplan import reports

        build: Callable[..., Report] = getattr(reports, builder)
        with open_ledger(ledger) as opened:
            day = _day(opened, as_of)
            _run(lambda hook: build(opened, year, as_of=day, on_progress=hook), what, out, formats)

    return command


summary = _year_report(
    "summary", "year_summary",
    "The year summary of LEDGER: stages, completion, targets, investment attraction.",
    ("年度总结", "year summary"),
)  # fmt: skip
ranking = _year_report(
    "ranking",
    "ranking_notice",
    "The assessment ranking notice (考核通报) of LEDGER.",
    ("考核通报", "ranking notice"),
)


@click.command()
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path),
    default=Path("townplan-demo"), show_default=True, help="Directory to write into.",
)  # fmt: skip
@_lang_option
@friendly_errors
def demo(out: Path) -> None:
    """Build the sample town, print its June bulletin, and write every report into OUT
    (the Word documents too)."""
    from townplan.api import Ledger
    from townplan.fixtures import load_sample_town
    from townplan.reports import bulletin as build_bulletin
    from townplan.reports import ranking_notice, year_summary

    lang = report_lang()
    out.mkdir(parents=True, exist_ok=True)
    path = out / "sample-town.db"
    if path.exists():
        path.unlink()
    builders: tuple[Callable[[Ledger], Report], ...] = (
        lambda town: build_bulletin(town, "2013-06"),
        lambda town: year_summary(town, 2013),
        lambda town: ranking_notice(town, 2013),
    )
    written: list[Path] = []
    steps = 1 + len(builders) * (1 + len(FORMATS))
    with plain_warnings(), progress(word("building_sample"), steps) as advance:
        with Ledger.open(path) as town:
            load_sample_town(town)
        advance(1)
        with Ledger.open(path) as town:
            reports = []
            for build in builders:
                reports.append(build(town))
                advance(1)
                written += write_report(reports[-1], out, ("all",), lang, advance)
    _headline(reports[0], lang)
    say(word("demo_done", count=len(written), ledger=path, out=out))
