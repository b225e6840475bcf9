"""Commands that create and read a ledger: new, init, meta, info, projects, history, search."""

from __future__ import annotations

import json
from datetime import date

import click
from rich.table import Column
from rich.table import Table as RichTable

from townplan.cli.common import DATE, console, friendly_errors, open_ledger
from townplan.errors import NotFoundError
from townplan.query.projects import ProjectQuery

__all__ = ["history", "info", "init", "meta", "new", "projects", "search"]


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@friendly_errors
def new(ledger: str) -> None:
    """Create an empty ledger file LEDGER (an existing one is left as it is)."""
    existed = click.format_filename(ledger)
    with open_ledger(ledger, must_exist=False) as opened:
        console.print(f"ledger {existed}: schema version {opened.schema_version}")


_TOWN = click.option("--town", help="The town (镇) the ledger belongs to, e.g. 示例镇.")
_CITY = click.option("--city", help="The city (市) of the town, e.g. 东莞市.")
_PROVINCE = click.option("--province", help="The province (省), e.g. 广东省.")


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@_TOWN
@_CITY
@_PROVINCE
@friendly_errors
def init(ledger: str, town: str | None, city: str | None, province: str | None) -> None:
    """Create the ledger file LEDGER (or open an existing one) and set its town and city."""
    with open_ledger(ledger, must_exist=False) as opened:
        given = {"town": town, "city": city, "province": province}
        opened.set_meta(**{k: v for k, v in given.items() if v is not None})
        _print_meta(ledger, opened.meta())


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@_TOWN
@_CITY
@_PROVINCE
@friendly_errors
def meta(ledger: str, town: str | None, city: str | None, province: str | None) -> None:
    """Show LEDGER's town, city and province; the options set them."""
    with open_ledger(ledger) as opened:
        given = {"town": town, "city": city, "province": province}
        changes = {k: v for k, v in given.items() if v is not None}
        if changes:
            opened.set_meta(**changes)
        _print_meta(ledger, opened.meta())


def _print_meta(ledger: str, values: dict[str, str]) -> None:
    table = RichTable("key", "value", title=f"{click.format_filename(ledger)}")
    for key in ("town", "city", "province"):
        if key in values:
            table.add_row(key, values[key])
    console.print(table)


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@friendly_errors
def info(ledger: str) -> None:
    """What LEDGER holds: rows per table and the schema version."""
    with open_ledger(ledger) as opened:
        table = RichTable("table", "rows", title=f"{ledger} (schema {opened.schema_version})")
        for name, count in opened.counts().items():
            table.add_row(name, str(count))
        console.print(table)


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.option("--zone", multiple=True, help="Only projects in this zone (板块); repeatable.")
@click.option("--category", multiple=True, help="基础设施/产业/民生/城市更新 or English.")
@click.option("--stage", multiple=True, help="前期/新开工/续建/竣工/投产 or English.")
@click.option("--unit", multiple=True, help="Only projects of this responsible unit.")
@click.option("--eligible", is_flag=True, help="Only projects eligible under the policy.")
@click.option("--behind", is_flag=True, help="Only projects behind the schedule (amber/red).")
@click.option("--on", "on", type=DATE, help="Day to judge progress on (default: latest).")
@click.option("--as-of", "as_of", type=DATE, help="Read the ledger as known on this day.")
@click.option("--order", default="code", show_default=True, help="Field to sort by; -field.")
@click.option("--limit", type=click.IntRange(min=1), help="At most this many projects.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON rows instead of a table.")
@friendly_errors
def projects(
    ledger: str,
    zone: tuple[str, ...],
    category: tuple[str, ...],
    stage: tuple[str, ...],
    unit: tuple[str, ...],
    eligible: bool,
    behind: bool,
    on: date | None,
    as_of: date | None,
    order: str,
    limit: int | None,
    as_json: bool,
) -> None:
    """List the projects of LEDGER, filtered."""
    with open_ledger(ledger) as opened:
        view = opened.as_of(as_of) if as_of else opened
        query: ProjectQuery = view.query().projects()
        if zone:
            query = query.where(zone__in=zone)
        if category:
            query = query.category(*category)
        if stage:
            query = query.stage(*stage)
        if unit:
            query = query.where(unit__in=unit)
        if eligible:
            query = query.eligible()
        if on:
            query = query.on(on)
        if behind:
            query = query.behind_plan(on=on)
        query = query.order_by(order)
        if limit:
            query = query.limit(limit)
        if as_json:
            rows = [{k: _plain(v) for k, v in row.items()} for row in query.rows()]
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        table = RichTable(
            Column("编号", no_wrap=True, min_width=10), "项目名称", "类别", "阶段", "板块",
            "责任单位", "总投资",
        )  # fmt: skip
        for p in query:
            table.add_row(
                p.code, p.name, p.category.label_cn, p.stage.label_cn, p.zone or "",
                p.responsible_unit or "", p.total_investment.format_cn(places=2),
            )  # fmt: skip
        console.print(table)


def _plain(value: object) -> object:
    return value if isinstance(value, str | int | float | bool | None) else str(value)


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.argument("code")
@friendly_errors
def history(ledger: str, code: str) -> None:
    """Every version and progress entry of project CODE, oldest first."""
    with open_ledger(ledger) as opened:
        try:
            versions = opened.project_versions(code)
        except NotFoundError:
            raise NotFoundError(f"no project {code!r} in {ledger}") from None
        table = RichTable("version", "valid from", "recorded", "stage", "annual plan", "note",
                          title=f"{code} {versions[-1].project.name}")  # fmt: skip
        for v in versions:
            p = v.project
            table.add_row(str(v.version), str(v.valid_from), v.recorded_at[:10],
                          p.stage.label_cn, p.annual_plan.format_cn(), v.note)  # fmt: skip
        console.print(table)
        reports = RichTable("id", "month", "completed", "reported on", "corrects", "note")
        for r in opened.progress_entries(code):
            reports.add_row(str(r.id), str(r.period), r.completed.format_cn(),
                            str(r.reported_on), str(r.corrects or ""), r.note)  # fmt: skip
        console.print(reports)


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@friendly_errors
def search(ledger: str, text: str, limit: int) -> None:
    """Full-text search of project names, contents, task texts and progress notes."""
    with open_ledger(ledger) as opened:
        table = RichTable("kind", "key", "title", "snippet")
        for hit in opened.query().search(text).limit(limit):
            table.add_row(hit.kind, str(hit.key), hit.title, hit.snippet)
        console.print(table)
