"""Commands that write reports: bulletin, summary, ranking, and the demo."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Literal

import click
from rich.table import Table as RichTable

from townplan.cli.common import DATE, MONTH, console, friendly_errors, open_ledger
from townplan.model.period import Period
from townplan.reports import bulletin as build_bulletin
from townplan.reports import ranking_notice, year_summary
from townplan.reports.table import Report, headline_value

__all__ = ["bulletin", "demo", "ranking", "summary", "write_report"]

FORMATS = ("md", "html", "docx", "csv", "xlsx", "png")
Lang = Literal["cn", "en"]


def write_report(report: Report, out: Path, formats: tuple[str, ...], lang: Lang) -> list[Path]:
    """Write ``report`` into ``out`` in each format; returns the files written."""
    out.mkdir(parents=True, exist_ok=True)
    stem = report.kind
    written: list[Path] = []
    chosen = FORMATS if "all" in formats else formats
    if "md" in chosen:
        path = out / f"{stem}.md"
        path.write_text(report.to_markdown(lang), encoding="utf-8")
        written.append(path)
    if "html" in chosen:
        path = out / f"{stem}.html"
        path.write_text(report.to_html(lang), encoding="utf-8")
        written.append(path)
    if "docx" in chosen:  # a 公文 is Chinese, whatever the run's language
        written.append(report.to_docx(out / f"{stem}.docx"))
    if "csv" in chosen:
        written += report.to_csv(out, lang)
    if "xlsx" in chosen:
        written.append(report.to_xlsx(out / f"{stem}.xlsx", lang))
    if "png" in chosen:
        written += report.charts(out, lang)
    return written


def _headline(report: Report, lang: Lang) -> None:
    # The title goes above the table on a line of its own: a table title wraps to the
    # table's width and would break Chinese words.
    console.print(report.title(lang), style="bold", highlight=False)
    table = RichTable("指标" if lang == "cn" else "Indicator", "数值" if lang == "cn" else "Value")
    for label_cn, label_en, value, kind in report.headline:
        table.add_row(label_cn if lang == "cn" else label_en, headline_value(value, kind, lang))
    console.print(table)


_format_option = click.option(
    "--format", "formats", multiple=True, default=("md",), show_default=True,
    type=click.Choice([*FORMATS, "all"]), help="Output format; repeatable, or 'all'.",
)  # fmt: skip
_out_option = click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path), default=Path("."),
    show_default=True, help="Directory to write into.",
)  # fmt: skip
_lang_option = click.option(
    "--lang", type=click.Choice(["cn", "en"]), default="cn", show_default=True,
    help="Headings in Chinese (cn) or English (en).",
)  # fmt: skip
_as_of_option = click.option("--as-of", "as_of", type=DATE, help="As known on this day.")


def _run(report: Report, out: Path, formats: tuple[str, ...], lang: Lang) -> None:
    _headline(report, lang)
    for path in write_report(report, out, formats, lang):
        console.print(f"wrote {path}")


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.option("--month", type=MONTH, required=True, help="The month, e.g. 2013-06.")
@_as_of_option
@_format_option
@_out_option
@_lang_option
@friendly_errors
def bulletin(
    ledger: str, month: Period, as_of: date | None, formats: tuple[str, ...], out: Path,
    lang: Lang,
) -> None:  # fmt: skip
    """The monthly progress bulletin (月度调度通报) of LEDGER."""
    with open_ledger(ledger) as opened:
        _run(build_bulletin(opened, month, as_of=as_of), out, formats, lang)


def _year_report(name: str, build: Callable[..., Report], doc: str) -> click.Command:
    """A command that writes one report of a year (the summary, the ranking notice)."""

    @click.command(name, help=doc)
    @click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
    @click.option("--year", type=click.IntRange(1900, 2200), required=True, help="e.g. 2013")
    @_as_of_option
    @_format_option
    @_out_option
    @_lang_option
    @friendly_errors
    def command(
        ledger: str, year: int, as_of: date | None, formats: tuple[str, ...], out: Path,
        lang: Lang,
    ) -> None:  # fmt: skip
        with open_ledger(ledger) as opened:
            _run(build(opened, year, as_of=as_of), out, formats, lang)

    return command


summary = _year_report(
    "summary", year_summary,
    "The year summary of LEDGER: stages, completion, targets, investment attraction.",
)  # fmt: skip
ranking = _year_report(
    "ranking", ranking_notice, "The assessment ranking notice (考核通报) of LEDGER."
)


@click.command()
@click.option(
    "--out", type=click.Path(file_okay=False, path_type=Path),
    default=Path("townplan-demo"), show_default=True, help="Directory to write into.",
)  # fmt: skip
@_lang_option
@friendly_errors
def demo(out: Path, lang: Lang) -> None:
    """Build the sample town, print its June bulletin, and write every report into OUT."""
    from townplan.api import Ledger
    from townplan.fixtures import load_sample_town

    out.mkdir(parents=True, exist_ok=True)
    path = out / "sample-town.db"
    if path.exists():
        path.unlink()
    with console.status("building the sample town (示例镇) …"), Ledger.open(path) as town:
        load_sample_town(town)
    with Ledger.open(path) as town:
        june = build_bulletin(town, "2013-06")
        _headline(june, lang)
        written = write_report(june, out, ("all",), lang)
        with console.status("writing the year summary and the ranking notice …"):
            written += write_report(year_summary(town, 2013), out, ("all",), lang)
            written += write_report(ranking_notice(town, 2013), out, ("all",), lang)
    console.print(f"wrote {len(written)} files and the ledger {path} into {out}/")
