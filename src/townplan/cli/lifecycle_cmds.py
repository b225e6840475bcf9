"""Commands of the project lifecycle: procedures (前期手续), a project's light history and
the leader view (挂点领导)."""

from __future__ import annotations

import json
from datetime import date
from typing import TYPE_CHECKING

import click

from townplan.cli.common import DATE, MONTH, friendly_errors, label_text, open_ledger, show_table
from townplan.cli.words import language
from townplan.errors import NotFoundError, ValidationError
from townplan.model.enums import Light
from townplan.model.lifecycle import COUNT_KEYS
from townplan.model.period import Period

if TYPE_CHECKING:  # the queries and reports load when a command runs (a fast --help)
    from townplan.query.dimensions import DimensionVerdict
    from townplan.query.procedures import ProcedureQuery, ProcedureStatus
    from townplan.reports.table import Lang

__all__ = ["leaders", "light_history", "procedures"]


def _zh() -> bool:
    return language() == "zh"


def _day(value: date | None) -> str:
    return value.isoformat() if value else ""


def _state(p: ProcedureStatus) -> str:
    """What became of a procedure on the day judged, in the run's language."""
    zh = _zh()
    if not p.required:
        return "不需办理" if zh else "not required"
    if p.done_late:
        return "超时办结" if zh else "done late"
    if p.done:
        return "已办结" if zh else "done"
    if p.overdue:
        return f"逾期{p.days_overdue}天" if zh else f"{p.days_overdue} days overdue"
    if p.halted:
        return "停缓建" if zh else "halted"
    return "未办结" if zh else "pending"


def _kind_codes(opened: object, kinds: tuple[str, ...]) -> tuple[str, ...]:
    """Kind codes from codes or Chinese names, refused (naming every kind) if unknown."""
    known = opened.procedure_kinds()  # type: ignore[attr-defined]
    by_name = {k.name: k.code for k in known} | {k.code: k.code for k in known}
    unknown = [k for k in kinds if k not in by_name]
    if unknown:
        listed = "、".join(f"{k.code}（{k.name}）" for k in known)
        raise ValidationError.single(
            record="procedures", field="--kind", value=unknown[0],
            expected=f"one of {listed}",
        )  # fmt: skip
    return tuple(by_name[k] for k in kinds)


_COUNT_WORDS = {
    "kind": ("手续", "procedure"), "unit": ("办理单位", "holding unit"),
    "project": ("项目编号", "project"), "leader": ("挂点领导", "leader in charge"),
    "project_unit": ("责任单位", "responsible unit"), "zone": ("板块", "zone"),
}  # fmt: skip


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.option("--overdue", is_flag=True, help="Only procedures past their deadline, not done.")
@click.option("--pending", is_flag=True, help="Only required procedures not done yet.")
@click.option("--project", multiple=True, help="Only this project's procedures; repeatable.")
@click.option("--unit", multiple=True, help="Only those held by this unit (办理单位); repeatable.")
@click.option(
    "--kind",
    multiple=True,
    help="Only this kind: its code (eia) or its name (环境影响评价批复); repeatable.",
)
@click.option("--leader", multiple=True, help="Only projects of this leader in charge.")
@click.option("--eligible", is_flag=True, help="Only projects in the plan (eligible).")
@click.option(
    "--on", "on", type=DATE, help="Day to judge on (default: the --as-of day, else today)."
)
@click.option("--as-of", "as_of", type=DATE, help="Read the ledger as known on this day.")
@click.option(
    "--by",
    type=click.Choice(COUNT_KEYS),
    help="Count the required procedures per kind, unit, project, leader … instead.",
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON rows instead of a table.")
@friendly_errors
def procedures(
    ledger: str, overdue: bool, pending: bool, project: tuple[str, ...], unit: tuple[str, ...],
    kind: tuple[str, ...], leader: tuple[str, ...], eligible: bool, on: date | None,
    as_of: date | None, by: str | None, as_json: bool,
) -> None:  # fmt: skip
    """The pre-construction procedures (前期手续) of LEDGER: deadline (办结时限), when done,
    document number (批文号), the unit holding each; --overdue lists those past their
    deadline with who holds them (超时倒查)."""
    with open_ledger(ledger) as opened:
        view = opened.as_of(as_of) if as_of else opened
        query: ProcedureQuery = view.query().procedures()
        if on:
            query = query.on(on)
        if project:
            query = query.where(project__in=project)
        if unit:
            query = query.where(unit__in=unit)
        if kind:
            query = query.where(kind__in=_kind_codes(view, kind))
        if leader:
            query = query.where(leader__in=leader)
        if eligible:
            query = query.eligible()
        if overdue:
            query = query.overdue()
        if pending:
            query = query.pending()
        zh = _zh()
        if by:
            counts = query.counts(by)
            if as_json:
                click.echo(json.dumps([{by: key, "required": c.required, "done": c.done,
                                        "done_late": c.done_late, "due": c.due,
                                        "overdue": c.overdue} for key, c in counts.items()],
                                      ensure_ascii=False, indent=2))  # fmt: skip
                return
            head = _COUNT_WORDS[by][0 if zh else 1]
            headers = ([head, "应办手续", "已办结", "超时办结", "本月到期", "逾期未办"] if zh
                       else [head, "required", "done", "done late", "due this month",
                             "overdue"])  # fmt: skip
            rows = ([str(key or ("（未定）" if zh else "(none)")), str(c.required), str(c.done),
                     str(c.done_late), str(c.due), str(c.overdue)]
                    for key, c in counts.items())  # fmt: skip
            show_table(headers, rows, right=(1, 2, 3, 4, 5))
            return
        items = list(query)
        if as_json:
            from townplan.reports.files import json_value

            click.echo(json.dumps(
                [{"project": p.project, "project_name": p.project_name, "kind": p.kind,
                  "kind_name": p.kind_name, "required": p.required, "due": json_value(p.due),
                  "done_on": json_value(p.done_on), "document": p.document, "unit": p.unit,
                  "leader": p.leader, "overdue": p.overdue, "days_overdue": p.days_overdue}
                 for p in items], ensure_ascii=False, indent=2))  # fmt: skip
            return
        headers = (["项目编号", "项目名称", "手续", "办结时限", "办结日期", "批文号", "办理单位",
                    "状态"] if zh else
                   ["code", "project", "procedure", "due", "done on", "document",
                    "holding unit", "state"])  # fmt: skip
        rows = ([p.project, p.project_name, p.kind_name if zh else p.kind, _day(p.due),
                 _day(p.done_on), p.document, p.unit or "", _state(p)] for p in items)  # fmt: skip
        show_table(headers, rows, no_wrap=(0, 3, 4))


@click.command("light-history")
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.argument("code")
@click.option(
    "--year",
    type=click.IntRange(1900, 2200),
    help="The year (default: that of the latest month reported).",
)
@click.option("--as-of", "as_of", type=DATE, help="Read the ledger as known on this day.")
@friendly_errors
def light_history(ledger: str, code: str, year: int | None, as_of: date | None) -> None:
    """When project CODE's light changed, month end by month end: the light, the
    dimension that set it (序时进度, 开工, 前期手续, 连续预警) and why."""
    with open_ledger(ledger) as opened:
        view = opened.as_of(as_of) if as_of else opened
        zh = _zh()
        try:
            changes = view.query().light_history(code, year=year)
        except NotFoundError:
            raise NotFoundError(f"台账 {ledger} 中没有项目 {code!r}" if zh
                                else f"no project {code!r} in {ledger}") from None  # fmt: skip
        name = view.project(code).name
        headers = ["月末", "灯号", "维度", "原因"] if zh else ["month end", "light", "dimension",
                                                           "reason"]  # fmt: skip
        rows = ([c.on.isoformat(), label_text(c.light), label_text(c.dimension),
                 c.reason_cn if zh else c.reason] for c in changes)  # fmt: skip
        show_table(headers, rows, title=f"{code} {name}", no_wrap=(0,))


def _project_lights(view: object, leader: str, on: date) -> list[list[str]]:
    """One row per project of ``leader``: its worst light this month, the dimensions lit,
    the overdue procedures and why."""
    from townplan.query.dates import start_verdicts
    from townplan.query.dimensions import worst
    from townplan.query.judgement import investment_verdict, procedure_verdicts

    q = view.query()  # type: ignore[attr-defined]
    mine = q.projects().where(leader=leader).eligible().on(on)  # the plan's, as the table
    verdicts: dict[str, list[DimensionVerdict]] = {}
    for v in mine.lights():
        verdicts.setdefault(v.project, []).append(investment_verdict(v))
    for d in start_verdicts(view, mine.codes_sql(), on):  # type: ignore[arg-type]
        verdicts.setdefault(d.project, []).append(d)
    procedures = q.procedures().where(leader=leader).eligible().on(on)
    for d in procedure_verdicts(procedures, on):
        verdicts.setdefault(d.project, []).append(d)
    overdue: dict[str, int] = {}
    for p in procedures.overdue():
        overdue[p.project] = overdue.get(p.project, 0) + 1
    zh = _zh()
    rows = []
    for p in mine.order_by("code"):
        found = verdicts.get(p.code, [])
        lit = [v for v in found if v.light is not Light.GREEN]
        light = worst(v.light for v in found) if found else None
        rows.append([
            p.code, p.name, label_text(p.stage), label_text(light) if light else "",
            "、".join(label_text(v.dimension) for v in lit) if zh
            else ", ".join(label_text(v.dimension) for v in lit),
            str(overdue.get(p.code, 0)),
            ("；" if zh else "; ").join(v.reason_cn if zh else v.reason for v in lit),
        ])  # fmt: skip
    return rows


@click.command()
@click.argument("ledger", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--month", type=MONTH, help="Judge at this month's end (default: the latest reported)."
)
@click.option("--leader", help="List this leader's projects with their lights and procedures.")
@click.option("--as-of", "as_of", type=DATE, help="Read the ledger as known on this day.")
@friendly_errors
def leaders(ledger: str, month: Period | None, leader: str | None, as_of: date | None) -> None:
    """The leader view (挂点领导): per leader in charge, the plan's projects, plan and
    completion, red and amber, overdue procedures; --leader lists one leader's projects in
    the plan (those the selection rule selects, as the table counts them)."""
    from townplan.query.schedule import default_day
    from townplan.reports.lifecycle_sections import leaders_table
    from townplan.reports.table import text_rows

    with open_ledger(ledger) as opened:
        view = opened.as_of(as_of) if as_of else opened
        on = month.end if month else default_day(view)
        zh = _zh()
        if leader:
            rows = _project_lights(view, leader, on)
            if not rows:
                if view.query().projects().where(leader=leader).on(on).count():
                    missing = (f"台账 {ledger} 中挂点领导为 {leader!r} 的项目都未达到入库标准"
                               if zh else f"no project of leader {leader!r} in {ledger} is "
                               "in the plan (eligible)")  # fmt: skip
                else:
                    missing = (f"台账 {ledger} 中没有挂点领导为 {leader!r} 的项目" if zh
                               else f"no project of leader {leader!r} in {ledger}")  # fmt: skip
                raise NotFoundError(missing)
            headers = (["项目编号", "项目名称", "建设阶段", "灯号", "预警维度", "逾期手续", "原因"]
                       if zh else ["code", "project", "stage", "light", "lit on",
                                   "overdue procedures", "reason"])  # fmt: skip
            show_table(headers, rows, title=f"{leader}（{on.isoformat()}）", right=(5,))
            return
        q = view.query()
        summaries = q.projects().eligible().on(on).group_by("leader")
        overdue = q.procedures().eligible().on(on).overdue()
        table = leaders_table(summaries, overdue)
        lang: Lang = "cn" if zh else "en"
        show_table([c.header(lang) for c in table.columns], text_rows(table, lang),
                   title=f"{table.title(lang)}（{on.isoformat()}）",
                   right=tuple(range(1, len(table.columns))))  # fmt: skip
