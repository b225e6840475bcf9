"""Metadata that makes a ledger file readable in Datasette: titles, descriptions of every
table and column in Chinese and English with their units, full-text search and facets.

Amounts are stored as whole 分 (fen, hundredths of the currency unit) in the ``*_fen``
columns, which every description says; the ``projects_cn`` view shows them in 万元.
Search uses the ledger's trigram full-text indexes in raw mode, so ``?_search=湿地公园``
finds Chinese substrings (three characters or more) and FTS5 operators work
(``东环路 OR 码头``).

>>> import attrs

from townplan.ledger import LedgerStore
from townplan.model.enums import LabelledEnum
from townplan.model.fields import FieldInfo, described
from townplan.model.records import (
    AnnualTarget,
    Attraction,
    LeadingGroup,
    Task,
    ProgressReport,
    Project,
)
>>> meta = datasette_metadata(LedgerStore.open(":memory:"), database="town")
>>> projects = meta["databases"]["town"]["tables"]["projects"]
>>> projects["fts_table"], projects["fts_pk"], projects["searchmode"]
('projects_fts', 'rowid', 'raw')
>>> print(projects["columns"]["total_fen"])
总投资 total investment — 金额单位：分 (fen, 1/100 元; 1万元 = 1,000,000 分); 万元 in ...
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Final

import attrs

from townplan.ledger import LedgerStore
from townplan.model.enums import LabelledEnum
from townplan.model.fields import FieldInfo, described
from townplan.model.records import (
    AnnualTarget,
    Attraction,
    LeadingGroup,
    ProgressReport,
    Project,
    Task,
)

__all__ = ["COLUMNS", "TABLES", "datasette_metadata", "write_datasette_metadata"]


def _fen(label: str) -> str:
    unit = "金额单位：分 (fen, 1/100 元; 1万元 = 1,000,000 分)"
    return f"{label} — {unit}; 万元 in the projects_cn view"


_RECORDED = "登记时间 recorded at (China Standard Time, naive ISO)"


def _describe(info: FieldInfo) -> str:
    """A column's description from its field's declaration: Chinese label, English, the
    stored values of an enum with their labels, the unit of money."""
    text = info.describe
    if isinstance(info.type, type) and issubclass(info.type, LabelledEnum):
        text += ": " + ", ".join(f"{m.value} {m.label_cn}" for m in info.type)
    return _fen(text) if info.is_money else text


def _declared(record: type, **more: str) -> dict[str, str]:
    """Column → description for the table of ``record``, from its declared fields (a
    record inside, such as a task's deadline, by its own fields), plus ``more``."""
    found: dict[str, str] = {}
    for info in described(record).infos():
        inner = described(info.type).infos() if attrs.has(info.type) else ()
        for part in inner or (info,):
            if part.stored:
                found[part.column] = _describe(part)
        if info.is_money:
            found.setdefault("currency", "币种 currency (ISO 4217)")
    return {**found, **more}


_PROJECT = _declared(
    Project,
    currency="币种 currency (ISO 4217) of every amount of the project",
    valid_from="生效日期 this version is in force from",
    recorded_at=_RECORDED,
    version="版本号 version number (1 = as first registered)",
    change_note="变更说明 why this version was recorded",
)
_PROGRESS = _declared(
    ProgressReport,
    id="报告序号 entry id",
    reported_on="报送日期 day the report arrived",
    recorded_at=_RECORDED,
)
#: Per table or view: column → description (Chinese label, English, unit).
COLUMNS: Final[dict[str, dict[str, str]]] = {
    "projects": _PROJECT,
    "project_history": _PROJECT,
    "progress": _PROGRESS,
    "progress_current": _PROGRESS,
    "zones": {
        "name": "板块名称 zone name",
        "name_en": "English name",
        "position": "排列顺序 place in the official order (empty: by name)",
    },
    "units": {
        "name": "单位名称 unit name",
        "name_en": "English name",
        "position": "排列顺序 place in the official order (empty: by name)",
    },
    "leading_groups": _declared(LeadingGroup),
    "group_members": {
        "group_code": "领导小组编号 group",
        "unit": "成员单位 member unit",
        "position": "排序 order in the list",
    },
    "milestones": _declared(Task),
    "targets": _declared(AnnualTarget),
    "attraction": _declared(Attraction),
    "standings": {
        "code": "编号 code",
        "body": "评比机关 ranking body",
        "assessment": "考核项目 assessment",
        "year": "年度 year",
        "rank": "名次 rank",
        "out_of": "参评数 ranked among",
        "announced_on": "公布日期 day announced",
        "recorded_at": _RECORDED,
    },
    "stats_counts": {
        "id": "序号 id",
        "project": "项目编号 project",
        "period": "月份 month (YYYY-MM)",
        "currency": "币种 currency (ISO 4217)",
        "amount_fen": _fen("计入统计投资 investment counted in the statistics"),
        "reported_on": "报送日期 day reported",
        "recorded_at": _RECORDED,
    },
    "deals": {
        "code": "编号 code",
        "name": "招商项目 deal",
        "origin": "外资/内资 foreign or domestic",
        "investor": "投资方 investor",
        "currency": "币种 currency (ISO 4217)",
        "contract_fen": _fen("合同金额 contracted value"),
        "recorded_at": _RECORDED,
    },
    "deal_utilisations": {
        "id": "序号 id",
        "deal": "招商项目编号 deal",
        "received_on": "到资日期 day the capital arrived",
        "currency": "币种 currency (ISO 4217)",
        "amount_fen": _fen("实际利用 capital used"),
        "recorded_at": _RECORDED,
    },
    "entries": {
        "id": "序号 entry id",
        "kind": "类型 kind of entry (task_progress, problem_event …)",
        "subject": "对象 code of what the entry is about",
        "effective_on": "生效日期 effective on",
        "recorded_at": _RECORDED,
        "payload": "内容 data (JSON)",
        "note": "备注 note",
        "corrects": "更正 the id of the entry this one corrects",
    },
    "problems": {
        "code": "编号 code",
        "project": "项目编号 project",
        "text": "问题 problem",
        "raised_by": "提出人 raised by (unit or leader)",
        "raised_on": "提出日期 raised on",
        "severity": "紧急程度 severity: normal 一般, urgent 紧急",
        "recorded_at": _RECORDED,
    },
    "inspections": {
        "code": "编号 code",
        "title": "督查名称 title",
        "held_on": "督查日期 held on",
        "inspector": "督查人 inspector",
        "recorded_at": _RECORDED,
    },
    "findings": {
        "code": "编号 code",
        "inspection": "督查编号 inspection",
        "project": "项目编号 project",
        "task": "任务编号 task",
        "text": "问题 finding",
        "rectify_by": "整改时限 rectify by",
        "recorded_at": _RECORDED,
    },
    "rules": {
        "kind": "类型 kind: policy 入库标准, light 红黄绿灯, response 快速反应, "
        "reporting 信息报送, scoring 考核",
        "name": "名称 name",
        "effective_from": "生效日期 in force from",
        "effective_to": "失效日期 in force until",
        "body": "规则 the rule (JSON)",
        "recorded_at": _RECORDED,
    },
    "procedure_kinds": {
        "code": "编号 code",
        "name": "手续名称 procedure",
        "name_en": "英文名称 name in English",
        "position": "顺序 order in lists",
        "effective_from": "生效日期 in force from",
        "effective_to": "失效日期 in force until",
        "recorded_at": _RECORDED,
    },
    "procedures": {
        "project": "项目编号 project",
        "kind": "手续 procedure kind",
        "required": "是否需要 required (1) or not (0)",
        "due": "办结时限 deadline",
        "unit": "办理单位 holding unit",
        "valid_from": "生效日期 in force from",
        "recorded_at": _RECORDED,
    },
    "labels": {
        "vocabulary": "词表 vocabulary",
        "value": "取值 stored value",
        "label_cn": "中文 Chinese label",
    },
    "townplan_meta": {"key": "键 key", "value": "值 value"},
    "funding_sources": {
        "code": "编号 code",
        "name": "资金来源 source of funds",
        "name_en": "source in English",
        "aliases": "别名 other headings that name it (JSON list)",
        "public": "财政性资金 government money (1) or not (0)",
        "position": "排序 order in the codelist",
    },
    "funding_plans": {
        "id": "序号 plan id",
        "project": "项目编号 project",
        "year": "年度 year",
        "source": "资金来源 source code",
        "currency": "币种 currency (ISO 4217)",
        "amount_fen": _fen("计划金额 planned amount"),
        "recorded_at": _RECORDED,
    },
    "funds_receipts": {
        "id": "序号 receipt id",
        "project": "项目编号 project",
        "source": "资金来源 source code",
        "received_on": "到位日期 day the funds arrived",
        "currency": "币种 currency (ISO 4217)",
        "amount_fen": _fen("到位金额 amount arrived"),
        "note": "备注 note",
        "recorded_at": _RECORDED,
    },
}
for _table in ("zones", "units", "leading_groups", "group_members", "milestones", "targets",
               "attraction"):  # fmt: skip
    COLUMNS[_table]["recorded_at"] = _RECORDED

#: Per table or view: what it holds.
TABLES: Final[dict[str, str]] = {
    "projects": "项目库 the project register: the current version of each project",
    "project_history": "项目变更历史 superseded versions of projects",
    "progress": "月度调度 every monthly progress report, corrections included",
    "progress_current": "月度调度（现行） the progress reports in force (corrections applied)",
    "projects_cn": "项目库（中文） the register with Chinese labels and amounts in 万元",
    "zones": "板块 planning zones",
    "units": "责任单位 responsible units",
    "leading_groups": "领导小组 leading groups and the command HQ (指挥部)",
    "group_members": "成员单位 member units of each leading group",
    "milestones": "任务 dated tasks of the leading groups",
    "targets": "指标 indicators: annual and multi-year targets, and statistics",
    "attraction": "招商引资 investment attraction figures",
    "entries": "台账记录 dated entries: task progress, target actuals, governance events",
    "problems": "快速反应 problems raised for rapid response",
    "inspections": "督查落实 inspections",
    "findings": "督查发现 findings of inspections, to be rectified",
    "procedure_kinds": "前期手续类型 kinds of pre-construction procedure, with effective periods",
    "procedures": "前期手续 each project's procedures (done events are entries)",
    "rules": "规则 dated rules (eligibility policies, light rules, working-system rules)",
    "labels": "中文标签 Chinese labels of the stored values",
    "townplan_meta": "台账信息 facts about this ledger file",
    "funding_sources": "资金来源 the codelist of funding sources (a town may add its own)",
    "standings": "考核排名 the town's ranks in other bodies' assessments",
    "stats_counts": "计入统计 fixed-asset investment counted in the statistics, per month",
    "deals": "招商项目 attraction deals (stages and projects are entries)",
    "deal_utilisations": "实际利用 capital the deals actually used, dated",
    "funding_plans": "资金计划 planned funding per project, year and source (latest in force)",
    "funds_receipts": "到位资金 funds arrived per project and source, dated",
}
_SEARCH: Final = {
    "projects": ("projects_fts", "rowid"),
    "milestones": ("milestones_fts", "rowid"),
    "progress": ("progress_fts", "rowid"),
    "progress_current": ("progress_fts", "id"),
}
_EXTRA: Final[dict[str, dict[str, Any]]] = {
    "projects": {
        "sort": "code",
        "label_column": "name",
        "facets": ["category", "stage", "zone", "responsible_unit"],
    },
    "progress_current": {"sort_desc": "period", "facets": ["period"]},
    "leading_groups": {"label_column": "name"},
    "milestones": {"sort": "due", "label_column": "text"},
    "townplan_migrations": {"hidden": True},
}
_MONTHLY = """SELECT period AS 月份, currency AS 币种, count(*) AS 报告数,
       sum(completed_fen) / 1000000.0 AS "本月完成（万元）"
FROM progress_current GROUP BY period, currency ORDER BY period, currency"""


def datasette_metadata(store: LedgerStore, *, database: str | None = None) -> dict[str, Any]:
    """Datasette metadata for ``store``'s file; ``database`` is Datasette's name for it
    (default: the file name without its suffix, as Datasette names it).

    Only the tables, views and columns the file has are described.
    """
    name = database or (Path(store.path).stem if store.path != ":memory:" else "townplan")
    meta = dict(store.db.execute("SELECT key, value FROM townplan_meta").fetchall())
    place = meta.get("town") or meta.get("city") or ""
    existing = set(store.db.table_names()) | set(store.db.view_names())
    tables: dict[str, dict[str, Any]] = {}
    for table in sorted(existing):
        if "_fts" in table or table.startswith("sqlite_"):
            continue
        entry: dict[str, Any] = {}
        if table in TABLES:
            entry["description"] = TABLES[table]
        columns = [c.name for c in store.db[table].columns]
        described = COLUMNS.get(table, {})
        if described:
            entry["columns"] = {c: described[c] for c in columns if c in described}
        if table in _SEARCH and _SEARCH[table][0] in existing:
            fts_table, fts_pk = _SEARCH[table]
            entry |= {"fts_table": fts_table, "fts_pk": fts_pk, "searchmode": "raw"}
        entry |= _EXTRA.get(table, {})
        if entry:
            tables[table] = entry
    queries = {}
    if "progress_current" in existing:
        queries["monthly_completed"] = {"title": "月度完成投资（万元）", "sql": _MONTHLY}
    return {
        "title": f"{place}“三重”项目台账".strip(),
        "description": (
            "“三重”建设项目台账 (townplan ledger): the project register, monthly progress "
            "reports with their corrections, leading groups and tasks, targets and the "
            "working systems' records. 金额单位：分 — every *_fen column holds whole fen "
            "(1/100 元); the projects_cn view shows amounts in 万元. Full-text search "
            "needs three characters or more."
        ),
        "source": "townplan",
        "databases": {name: {"tables": tables, "queries": queries}},
    }


def write_datasette_metadata(
    store: LedgerStore, path: str | Path, *, database: str | None = None
) -> Path:
    """Write :func:`datasette_metadata` as JSON to ``path`` (for ``datasette -m``)."""
    target = Path(path)
    doc = datasette_metadata(store, database=database)
    target.write_text(json.dumps(doc, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return target
