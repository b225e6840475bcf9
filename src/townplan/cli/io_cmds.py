"""Commands that move data in and out: import, export, generate, sample, rollup, datasette."""

from __future__ import annotations

import json
import re
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Final

import attrs
import click

from townplan.cli.common import (
    DATE,
    MONTH,
    check_writable,
    friendly_errors,
    money_text,
    open_ledger,
    progress,
    say,
    show_table,
)
from townplan.cli.words import language, word
from townplan.errors import ConflictError, FieldError, ValidationError
from townplan.model.period import Period

if TYPE_CHECKING:  # the sheets load when a command reads one (a fast --help)
    from townplan.io.sheets.result import ImportResult

__all__ = ["datasette", "export", "generate", "import_", "rollup", "sample"]


@click.group("import")
def import_() -> None:
    """Import a register or a monthly progress sheet (.xlsx or .csv)."""


@import_.command("register")
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check everything and say what would change.")
@click.option("--on", "on", type=DATE, help="Day changed projects take effect.")
@click.option("--effective", type=DATE, hidden=True, help="The former name of --on.")
@click.option("--sheet", help="Worksheet to read (default: the first that fits).")
@click.option("--unit", help="Money unit when the file gives none, e.g. 万元.")
@click.option(
    "--headers",
    "headers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML or JSON file mapping the sheet's headers to fields (建设性质 to stages, "
    "source columns to funding sources).",
)
@click.option("--recorded-at", "recorded_at", type=DATE, help="Record time of what is written.")
@click.option("--category", help="Category of new projects the sheet gives none, e.g. 基础设施.")
@click.option(
    "--year",
    type=click.IntRange(1900, 2200),
    help="Year of the annual plan when the sheet names none (default: the year of --on).",
)
@friendly_errors
def import_register(
    ledger: str, file: Path, dry_run: bool, on: date | None, effective: date | None,
    sheet: str | None, unit: str | None, headers_file: Path | None, recorded_at: date | None,
    category: str | None, year: int | None,
) -> None:  # fmt: skip
    """Import the project register FILE into LEDGER (created if missing).

    With --dry-run the mapping used is printed: column → header → field → unit for
    every column, and the columns left out."""
    from townplan.io import import_register as run

    headers, stages = read_mapping(headers_file) if headers_file else (None, None)
    sources = read_sources(headers_file) if headers_file else None

    created = ledger != ":memory:" and not Path(ledger).exists()
    try:
        with (
            open_ledger(ledger, must_exist=False) as opened,
            progress(word("importing", path=file), None) as bar,
        ):
            result = run(opened, file, dry_run=dry_run, on=on or effective, sheet=sheet,
                         unit=unit, headers=headers, stages=stages, sources=sources,
                         category=category, recorded_at=recorded_at, plan_year=year,
                         on_progress=bar.hook)  # fmt: skip
    except BaseException as exc:
        if created:
            _remove_ledger(Path(ledger))
        if isinstance(exc, ValidationError):
            raise _with_option_names(exc) from None
        raise
    if created and dry_run:
        _remove_ledger(Path(ledger))
    if dry_run:
        _show_mapping(result)
    say(result.summary(language()))


def read_mapping(path: Path) -> tuple[dict[str, str], dict[str, str] | None]:
    """The header mapping of a ``--headers`` file (TOML, or JSON by its suffix): either a
    table of header → field, or ``[headers]``, ``[stages]`` (建设性质 word → stage) and
    ``[sources]`` tables (:func:`read_sources`). A field of ``""`` leaves the column out.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "map.toml"
    >>> text = '[headers]\\n"包联领导" = "leader"\\n"备注" = ""\\n[stages]\\n"储备" = "前期"\\n'
    >>> _ = f.write_text(text, encoding="utf-8")
    >>> read_mapping(f)
    ({'包联领导': 'leader', '备注': ''}, {'储备': '前期'})
    >>> _ = f.write_text('[stages]\\n"筹建" = "前期"\\n', encoding="utf-8")
    >>> read_mapping(f)  # a file of 建设性质 words alone
    ({}, {'筹建': '前期'})
    """
    data = _mapping_file(path)
    tables = isinstance(data, dict) and bool({"headers", "stages", "sources"} & data.keys())
    table = (data.get("headers", {}) if tables else data) if isinstance(data, dict) else None
    stages = data.get("stages") if isinstance(data, dict) and tables else None
    if not isinstance(table, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in table.items()
    ):
        raise ValidationError.single(
            record="--headers", field="file", value=path.name,
            expected='a table of header = field, e.g. "包联领导" = "leader"',
        )  # fmt: skip
    if stages is not None and not (
        isinstance(stages, dict) and all(isinstance(v, str) for v in stages.values())
    ):
        raise ValidationError.single(
            record="--headers", field="stages", value=path.name,
            expected='a table of 建设性质 = stage, e.g. "储备" = "前期"',
        )  # fmt: skip
    return dict(table), dict(stages) if stages is not None else None


def read_sources(path: Path) -> dict[str, str] | None:
    """The ``[sources]`` table of a ``--headers`` file: a source column (its header path,
    its part below the group, or its last part) → a funding source of the ledger.

    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "map.toml"
    >>> _ = f.write_text('[sources]\\n"市级/其他" = "city_other"\\n', encoding="utf-8")
    >>> read_sources(f)
    {'市级/其他': 'city_other'}
    """
    data = _mapping_file(path)
    sources = data.get("sources") if isinstance(data, dict) else None
    if sources is None:
        return None
    if not (isinstance(sources, dict) and all(isinstance(v, str) for v in sources.values())):
        raise ValidationError.single(
            record="--headers", field="sources", value=path.name,
            expected='a table of source column = funding source, e.g. "交投" = "platform"',
        )  # fmt: skip
    return dict(sources)


def _mapping_file(path: Path) -> object:
    import tomllib

    text = path.read_text(encoding="utf-8-sig")
    try:
        return json.loads(text) if path.suffix.lower() == ".json" else tomllib.loads(text)
    except (ValueError, tomllib.TOMLDecodeError) as err:
        raise ValidationError.single(
            record="--headers", field="file", value=path.name,
            expected=f"a TOML or JSON mapping of header to field ({err})",
        ) from None  # fmt: skip


def _show_mapping(result: ImportResult) -> None:
    """Column → header → field → unit for every column the import used or left out."""
    rows = [[c, h, f, u or ""] for c, h, f, u in result.mapping]
    rows += [[c, h, "—", ""] for c, h in result.ignored_columns]
    show_table(["列 column", "表头 header", "字段 field", "单位 unit"], rows)


def _remove_ledger(path: Path) -> None:
    """Take away a ledger file this command created (and SQLite's side files)."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


@import_.command("progress")
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--month", type=MONTH, help="Month of rows without a 月份 cell, e.g. 2013-06.")
@click.option(
    "--year",
    type=click.IntRange(1900, 2200),
    help="Year of a sheet with a pair of columns per month, when its title names none.",
)
@click.option("--dry-run", is_flag=True, help="Check everything and say what would change.")
@click.option(
    "--reported-on",
    type=DATE,
    help="Day new reports of rows without a 报送日期 cell arrived (a report the ledger has "
    "keeps its day).",
)
@click.option("--sheet", help="Worksheet to read (default: the first that fits).")
@click.option("--unit", help="Money unit when the file gives none, e.g. 万元.")
@click.option(
    "--headers",
    "headers_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="TOML or JSON file mapping the sheet's headers to fields.",
)
@click.option("--recorded-at", "recorded_at", type=DATE, help="Record time of what is written.")
@friendly_errors
def import_progress(
    ledger: str, file: Path, month: Period | None, year: int | None, dry_run: bool,
    reported_on: date | None, sheet: str | None, unit: str | None, headers_file: Path | None,
    recorded_at: date | None,
) -> None:  # fmt: skip
    """Import the monthly progress sheet FILE into LEDGER.

    A sheet with a pair of columns per month ("1月形象进度", "1月实际完成投资" …) gives one
    report per project and month; --month then imports that month alone."""
    from townplan.io import import_progress as run

    with open_ledger(ledger) as opened, progress(word("importing", path=file), None) as bar:
        if not opened.counts().get("projects"):
            raise ConflictError(word("register_first", path=ledger))
        try:
            headers = read_mapping(headers_file)[0] if headers_file else None
            result = run(opened, file, period=month, dry_run=dry_run, reported_on=reported_on,
                         sheet=sheet, unit=unit, recorded_at=recorded_at, headers=headers,
                         on_progress=bar.hook, year=year)  # fmt: skip
        except ValidationError as exc:
            raise _with_option_names(exc) from None
    if dry_run:
        _show_mapping(result)
    say(result.summary(language()))


@import_.command("json")
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--recorded-at", "recorded_at", type=DATE,
    help="Record time of the records the document gives none (default: now).",
)  # fmt: skip
@friendly_errors
def import_json(ledger: str, file: Path, recorded_at: date | None) -> None:
    """Load the JSON document FILE (as `townplan export json` writes it) into the new
    ledger LEDGER; every record keeps the record time the document gives it."""
    from townplan.io import from_json

    if ledger != ":memory:" and Path(ledger).exists():
        raise ConflictError(word("json_exists", path=ledger))
    try:
        doc = json.loads(file.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        why = (
            f"not JSON at line {err.lineno}, column {err.colno}"
            if isinstance(err, json.JSONDecodeError)
            else "not UTF-8 text"
        )
        raise ValidationError.single(
            record=str(file), field=None, value=file.name,
            expected=f"a JSON document, as townplan export json writes it ({why})",
        ) from None  # fmt: skip
    with progress(word("importing", path=file), None):
        from_json(doc, ledger, recorded_at=recorded_at).close()
    say(word("wrote", path=ledger))


#: The library's keyword → the option that gives it on the command line.
_OPTIONS = {"period=": "--month", "reported_on=": "--reported-on", "sheet=": "--sheet",
            "plan_year=": "--year", "year=": "--year", "unit=": "--unit"}  # fmt: skip


#: The library's advice to map something with a keyword → the same advice for the
#: --headers file, in an English run (a Chinese run words it in errors_zh).
_MAPPING_ADVICE: Final = (
    (re.compile(r"map it with headers=\{'([^']*)': '([^']*)'\}, or to '' to leave it out"),
     r'put "\1" = "\2" under [headers] in the --headers file, or "\1" = "" to leave it out'),
    (re.compile(r"map the column with sources=\{'([^']*)': '<source>'\}, or to '' to leave "
                r"it out"),
     r'put "\1" = "<source>" under [sources] in the --headers file, or "\1" = "" to leave '
     r"it out"),
    (re.compile(r"\(or map it: stages=\)"),
     "(or give its stage under [stages] in the --headers file)"),
)  # fmt: skip


def _with_option_names(exc: ValidationError, *, english: bool | None = None) -> ValidationError:
    """The same error, its hints naming the command's options instead of Python keywords
    (and, in an English run, the --headers file instead of ``headers=`` and the like).

    >>> from townplan.errors import FieldError
    >>> error = ValidationError([FieldError(None, "leader", "联络领导",
    ...     "a header townplan knows; map it with headers={'联络领导': 'leader'}, or to '' "
    ...     "to leave it out")])
    >>> print(_with_option_names(error, english=True).errors[0].expected)
    a header townplan knows; put "联络领导" = "leader" under [headers] in the --headers file, \
or "联络领导" = "" to leave it out
    """

    if english is None:
        english = language() == "en"

    def renamed(error: FieldError) -> FieldError:
        expected = error.expected
        for keyword, option in _OPTIONS.items():
            expected = expected.replace(keyword, option)
        for pattern, advice in _MAPPING_ADVICE if english else ():
            expected = pattern.sub(advice, expected)
        return attrs.evolve(error, expected=expected)

    return ValidationError([renamed(e) for e in exc.errors])


@click.command()
@click.argument("what", type=click.Choice(["register", "progress", "json", "oc4ids", "parquet"]))
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.argument("out", type=click.Path(path_type=Path))
@click.option("--month", type=MONTH, help="For progress: the month to export.")
@click.option("--as-of", "as_of", type=DATE, help="Export the ledger as known on this day.")
@click.option("--town", help="For parquet: the town's name in the dataset (default: file stem).")
@friendly_errors
def export(
    what: str, ledger: str, out: Path, month: Period | None, as_of: date | None,
    town: str | None,
) -> None:  # fmt: skip
    """Export WHAT (register, progress, json, oc4ids, parquet) of LEDGER to OUT. For parquet
    OUT is the province's dataset folder; the town's partitions there are replaced."""
    from townplan import io

    if what == "parquet":  # OUT is the dataset's folder
        with progress(word("exporting", path=out), None) as bar:
            io.to_parquet({town or Path(ledger).stem: Path(ledger)}, out, on_progress=bar.hook)
        say(word("wrote", path=out))
        return
    check_writable(out)
    with open_ledger(ledger) as opened, progress(word("exporting", path=out), None) as bar:
        view = opened.as_of(as_of) if as_of else opened
        if what == "register":
            io.export_register(view, out, on_progress=bar.hook)
        elif what == "progress":
            io.export_progress(view, out, period=month, on_progress=bar.hook)
        else:
            write = io.to_json if what == "json" else io.to_oc4ids
            doc = write(view, on_progress=bar.hook)
            out.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", "utf-8")
    say(word("wrote", path=out))


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@click.option("--size", type=click.IntRange(1, 10_000_000), default=1000, show_default=True)
@click.option("--seed", type=int, default=1, show_default=True)
@click.option("--months", type=click.IntRange(0, 12), default=12, show_default=True)
@click.option("--year", type=click.IntRange(1900, 2200), default=2013, show_default=True)
@click.option("--town", help="Town name: sets Project.town and prefixes the codes.")
@click.option(
    "--lifecycle",
    is_flag=True,
    help="Also planned days, procedures, actual starts and finishes, suspensions.",
)
@friendly_errors
def generate(
    ledger: str, size: int, seed: int, months: int, year: int, town: str | None, lifecycle: bool
) -> None:
    """Write a generated, reproducible portfolio of SIZE projects into LEDGER."""
    from townplan.fixtures import generate_portfolio

    with (
        open_ledger(ledger, must_exist=False) as opened,
        progress(word("generating"), size * (1 + months)) as advance,
    ):
        result = generate_portfolio(opened, size, seed, months=months, year=year, town=town,
                                    tick=advance, lifecycle=lifecycle)  # fmt: skip
    if language() == "zh":
        say(f"已生成 {result.projects:,} 个项目（储备 {result.reserve:,} 个、进度滞后 "
            f"{result.behind:,} 个，总投资 {money_text(result.total_investment)}），"
            f"{result.zones} 个片区、{result.groups} 个领导小组、{result.tasks:,} 项任务；"
            f"月报 {result.reports:,} 份（迟报 {result.late:,} 份，未报 {result.missing:,} 份）"
            f"，写入 {ledger}")  # fmt: skip
    else:
        say(f"generated {result.projects:,} projects ({result.reserve:,} reserve, "
            f"{result.behind:,} behind, total investment {money_text(result.total_investment)}),"
            f" {result.zones} zones, {result.groups} leading groups, {result.tasks:,} tasks; "
            f"{result.reports:,} monthly reports ({result.late:,} late, {result.missing:,} "
            f"missing) into {ledger}")  # fmt: skip


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@friendly_errors
def sample(ledger: str) -> None:
    """Write the sample town (示例镇, from the reference work report) into a new LEDGER."""
    from townplan.fixtures import load_sample_town

    if Path(ledger).exists():
        raise ConflictError(word("sample_exists", path=ledger))
    with open_ledger(ledger, must_exist=False) as opened:
        load_sample_town(opened)
        counts = opened.counts()
    rows = [[name, f"{count:,}"] for name, count in counts.items()]
    show_table([word("table"), word("rows")], rows, right=(1,), title=str(ledger))


@click.command()
@click.argument("city", type=click.Path(dir_okay=False))
@click.argument("towns", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
@friendly_errors
def rollup(city: str, towns: tuple[str, ...]) -> None:
    """Merge the town ledgers TOWNS into the city ledger CITY (named by file stem)."""
    from townplan.io import rollup as run

    opened = {Path(t).stem: open_ledger(t) for t in towns}
    added: dict[str, int] = {}
    skipped: set[str] = set()
    try:
        with (
            open_ledger(city, must_exist=False) as target,
            progress(word("rolling_up"), len(opened)) as advance,
        ):
            for name, town in opened.items():  # each town all or nothing, as rollup does
                summary = run(target, {name: town})
                for table, count in summary.added.items():
                    added[table] = added.get(table, 0) + count
                skipped.update(summary.skipped)
                advance(1)
    finally:
        for town in opened.values():
            town.close()
    zh = language() == "zh"
    title = (f"已将 {len(opened)} 个镇汇总到 {city}：{'、'.join(opened)}" if zh
             else f"rolled {len(opened)} towns into {city}: {', '.join(opened)}")  # fmt: skip
    show_table([word("table"), "新增行数" if zh else "rows added"],
               [[t, f"{n:,}"] for t, n in added.items()], title=title, right=(1,))  # fmt: skip
    if skipped:
        say(("未汇总的表：" if zh else "tables left out: ") + ", ".join(sorted(skipped)))


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def datasette(ledger: str, out: Path) -> None:
    """Write Datasette metadata for LEDGER to OUT (then: datasette LEDGER -m OUT)."""
    from townplan.io.datasette.metadata import write_datasette_metadata

    check_writable(out)
    with open_ledger(ledger) as opened:
        write_datasette_metadata(opened, out)
    say(word("datasette_done", out=out, ledger=ledger))
