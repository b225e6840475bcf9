"""Commands that create and read a ledger: new, init, meta, info, projects, history, search."""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING

import click

from townplan.cli.common import (
    DATE,
    friendly_errors,
    label_text,
    money_text,
    open_ledger,
    say,
    show_table,
)
from townplan.cli.words import language, word
from townplan.errors import NotFoundError

if TYPE_CHECKING:  # the queries load when a command runs (a fast --help)
    from townplan.query.projects import ProjectQuery

__all__ = ["history", "info", "init", "meta", "new", "projects", "search"]


@click.command()
@click.argument("ledger", type=click.Path(dir_okay=False))
@friendly_errors
def new(ledger: str) -> None:
    """Create an empty ledger file LEDGER (an existing one is left as it is)."""
    existed = click.format_filename(ledger)
    with open_ledger(ledger, must_exist=False) as opened:
        say(word("schema", path=existed, version=opened.schema_version))


_TOWN = click.option("--town", help="The town (镇) the ledger belongs to, e.g. 示例镇.")
_CITY = click.option("--city", help="The city (市) of the town, e.g. 东莞市.")
_PROVINCE = click.option("--province", help="The province (省), e.g. 广东省.")
_ORDERS = {"units": "unit_order", "zones": "zone_order"}
_UNIT_ORDER = click.option(
    "--unit-order", metavar="NAMES",
    help="The official order of the responsible units (排列顺序), names separated by 、 or "
    "commas, e.g. 党政办、“三重”办; reports list them so, the rest after by name; '' clears it.",
)  # fmt: skip
_ZONE_ORDER = click.option(
    "--zone-order", metavar="NAMES",
    help="The official order of the planning zones (排列顺序), as --unit-order.",
)  # fmt: skip


def _names(text: str) -> list[str]:
    """Names listed with 、, ， or commas."""
    return [n.strip() for n in re.split("[、，,]", text) if n.strip()]


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
@_UNIT_ORDER
@_ZONE_ORDER
@friendly_errors
def meta(
    ledger: str, town: str | None, city: str | None, province: str | None,
    unit_order: str | None, zone_order: str | None,
) -> None:  # fmt: skip
    """Show LEDGER's town, city, province and the official order of its units and zones;
    the options set them."""
    with open_ledger(ledger) as opened:
        given = {"town": town, "city": city, "province": province}
        changes = {k: v for k, v in given.items() if v is not None}
        with opened.transaction():
            if changes:
                opened.set_meta(**changes)
            for kind, names in (("units", unit_order), ("zones", zone_order)):
                if names is not None:
                    opened.set_official_order(kind, _names(names))
        values = opened.meta()
        for kind, key in _ORDERS.items():
            order = opened.official_order(kind)
            if order:
                values[key] = "、".join(order)
        _print_meta(ledger, values)


_META_WORDS = {
    "town": "镇", "city": "市", "province": "省", "issuer": "发文机关",
    "unit_order": "单位排列顺序", "zone_order": "板块排列顺序",
}  # fmt: skip


def _print_meta(ledger: str, values: dict[str, str]) -> None:
    zh = language() == "zh"
    rows = [[_META_WORDS[key] if zh else key, values[key]]
            for key in _META_WORDS if key in values]  # fmt: skip
    show_table(["项目", "值"] if zh else ["key", "value"], rows,
               title=click.format_filename(ledger))  # fmt: skip


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@friendly_errors
def info(ledger: str) -> None:
    """What LEDGER holds: rows per table and the schema version."""
    with open_ledger(ledger) as opened:
        rows = [[name, f"{count:,}"] for name, count in opened.counts().items()]
        show_table([word("table"), word("rows")], rows, right=(1,),
                   title=word("schema", path=ledger, version=opened.schema_version))  # fmt: skip


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
            from townplan.reports.files import json_value  # reports load when used

            rows = [{k: json_value(v) for k, v in row.items()} for row in query.rows()]
            click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
            return
        lang = language()
        headers = (["编号", "项目名称", "类别", "阶段", "板块", "责任单位", "总投资"]
                   if lang == "zh" else ["Code", "Project", "Category", "Stage", "Zone", "Unit",
                                         "Total investment"])  # fmt: skip
        listed = (
            [p.code, p.name, label_text(p.category), label_text(p.stage), p.zone or "",
             p.responsible_unit or "", money_text(p.total_investment)]
            for p in query
        )  # fmt: skip
        show_table(headers, listed, right=(6,), no_wrap=(0, 6))


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
            missing = (f"台账 {ledger} 中没有项目 {code!r}" if language() == "zh"
                       else f"no project {code!r} in {ledger}")  # fmt: skip
            raise NotFoundError(missing) from None
        zh = language() == "zh"
        rows = [
            [str(v.version), str(v.valid_from), v.recorded_at[:10], label_text(v.project.stage),
             money_text(v.project.annual_plan, exact=True), v.note]
            for v in versions
        ]  # fmt: skip
        show_table(["版本", "生效日期", "记录时间", "建设阶段", "年度计划投资", "说明"] if zh
                   else ["version", "valid from", "recorded", "stage", "annual plan", "note"],
                   rows, title=f"{code} {versions[-1].project.name}", right=(0, 4))  # fmt: skip
        reports = [
            [str(r.id), str(r.period), money_text(r.completed, exact=True), str(r.reported_on),
             str(r.corrects or ""), r.note]
            for r in opened.progress_entries(code)
        ]  # fmt: skip
        show_table(["编号", "月份", "本月完成", "报送日期", "更正", "形象进度"] if zh
                   else ["id", "month", "completed", "reported on", "corrects", "note"],
                   reports, right=(0, 2))  # fmt: skip


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.argument("text")
@click.option("--limit", default=20, show_default=True, type=click.IntRange(min=1))
@friendly_errors
def search(ledger: str, text: str, limit: int) -> None:
    """Full-text search of project names, contents, task texts and progress notes."""
    with open_ledger(ledger) as opened:
        rows = ([word(f"hit_{hit.kind}"), str(hit.key), hit.title, hit.snippet]
                for hit in opened.query().search(text).limit(limit))  # fmt: skip
        headers = (["类型", "编号", "名称", "摘录"] if language() == "zh"
                   else ["kind", "key", "title", "snippet"])  # fmt: skip
        show_table(headers, rows)
