"""The ledger as an OC4IDS project package (Open Contracting for Infrastructure Data
Standard 0.9, project level).

Each project becomes one OC4IDS project; the mappings from townplan's vocabularies to the
OC4IDS codelists are data — the module-level dicts below, tabled in ``docs/oc4ids.md`` —
and each can be replaced per call. Amounts stay ``Decimal`` (summed as
:class:`~townplan.Money`) until the very last step, where OC4IDS wants a JSON number: a
whole amount becomes an ``int`` (exact), an amount with 分 a ``float`` (exact to the fen
below 10¹³). Times are China Standard Time (``+08:00``).

>>> import townplan as tp
>>> from datetime import date, datetime
>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> _ = ledger.add_units(["城建办"])
>>> _ = ledger.add_project(tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE,
...     stage=tp.Stage.CONTINUING, government_investment=tp.Money.parse("3000万元"),
...     responsible_unit="城建办", town="示例镇"), on=date(2013, 1, 1))
>>> package = to_oc4ids(ledger, published=datetime(2013, 7, 1, 9, 0))
>>> project = package["projects"][0]
>>> project["id"], project["status"], project["sector"]
('oc4ids-townplan-示例镇-P1', 'implementation', ['transport', 'transport.road'])
>>> project["budget"]["amount"]
{'amount': 30000000, 'currency': 'CNY'}
>>> validate_oc4ids(package)
[]
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Final
from urllib.parse import quote

from townplan.io.oc4ids.lifecycle import lifecycle_parts, merged
from townplan.io.oc4ids.progress import Facts, amount_number, metrics, milestones, stamp, value
from townplan.io.oc4ids.validate import OC4IDS_VERSION, validate_oc4ids
from townplan.ledger import LOCAL_TIME, LedgerStore
from townplan.ledger.rows import progress_from_row, project_from_row
from townplan.model.enums import Category, Stage
from townplan.model.fields import described
from townplan.model.funding import FundingSource
from townplan.model.money import Money, sum_money
from townplan.model.records import Project
from townplan.progress import ProgressHook, Tally, counted

__all__ = [
    "ROLES",
    "SECTOR_BY_CATEGORY",
    "SECTOR_KEYWORDS",
    "STATUS_BY_STAGE",
    "TYPE_BY_CATEGORY",
    "amount_number",
    "to_oc4ids",
    "validate_oc4ids",
]

#: 建设阶段 → OC4IDS projectStatus. 投产 (in operation) is OC4IDS "maintenance", which the
#: standard also calls operation.
STATUS_BY_STAGE: Final[dict[Stage, str]] = {
    Stage.PREPARATION: "preparation",
    Stage.NEW_START: "implementation",
    Stage.CONTINUING: "implementation",
    Stage.COMPLETED: "completion",
    Stage.IN_OPERATION: "maintenance",
}
#: 项目类别 → OC4IDS projectType: urban renewal (城市更新) rehabilitates existing assets.
TYPE_BY_CATEGORY: Final[dict[Category, str]] = {
    Category.INFRASTRUCTURE: "construction",
    Category.INDUSTRY: "construction",
    Category.LIVELIHOOD: "construction",
    Category.URBAN_RENEWAL: "rehabilitation",
}
#: 项目类别 → OC4IDS projectSector, when no keyword below names the sector more precisely.
SECTOR_BY_CATEGORY: Final[dict[Category, tuple[str, ...]]] = {
    Category.INFRASTRUCTURE: ("transport",),
    Category.INDUSTRY: ("economy",),
    Category.LIVELIHOOD: ("governance",),
    Category.URBAN_RENEWAL: ("socialHousing",),
}
#: (keywords in the project name, sectors), first match wins. Industrial projects stay
#: "economy" whatever their name says (玖龙纸业文化纸 makes paper, not culture).
SECTOR_KEYWORDS: Final[tuple[tuple[tuple[str, ...], tuple[str, ...]], ...]] = (
    (("医院", "卫生", "敬老院", "养老"), ("health",)),
    (("学校", "中学", "小学", "幼儿园", "教育"), ("education",)),
    (("住房", "安居", "保障房"), ("socialHousing",)),
    (("热电", "LNG", "天然气", "电厂", "光伏", "供电"), ("energy",)),
    (("污水", "供水", "水厂", "垃圾", "环保"), ("waterAndWaste",)),
    (("公园", "绿道", "湿地", "体育", "文化", "影剧院", "广场"), ("cultureSportsAndRecreation",)),
    (("码头", "港", "泊位", "航道"), ("transport", "transport.water")),
    (("路", "桥", "隧道"), ("transport", "transport.road")),
    (("通信", "信息", "智慧"), ("communications",)),
)
#: Who a project's people are, as OC4IDS partyRole codes: the responsible unit (责任单位)
#: develops and delivers the asset; the leader in charge (挂点领导) oversees it and
#: settles its problems — "reviewBody" is the codelist's nearest oversight role.
ROLES: Final[dict[str, tuple[str, ...]]] = {
    "responsible_unit": ("publicAuthority",),
    "leader": ("reviewBody",),
    "funding_source": ("funder",),
}


def to_oc4ids(
    store: LedgerStore,
    *,
    publisher: str | Mapping[str, Any] | None = None,
    uri: str | None = None,
    published: datetime | None = None,
    prefix: str = "oc4ids-townplan",
    report_due_day: int = 5,
    status_by_stage: Mapping[Stage, str] = STATUS_BY_STAGE,
    sector_by_category: Mapping[Category, Sequence[str]] = SECTOR_BY_CATEGORY,
    on_progress: ProgressHook | None = None,
) -> dict[str, Any]:
    """An OC4IDS project package of every project in ``store`` (live or ``as_of``).

    ``publisher`` is a name or an OC4IDS publisher object (default: the town's name, or
    "townplan"); ``uri`` names the package (default ``urn:townplan:<town>:<day>``);
    ``published`` is when it is published (default now). A project's id is
    ``<prefix>-<town>-<code>``; a monthly report is due by ``report_due_day`` of the
    next month. See ``docs/oc4ids.md`` for every field. ``on_progress(done, total)`` (see
    :mod:`townplan.progress`) is told as each project is written.
    """
    meta = dict(store.db.execute("SELECT key, value FROM townplan_meta").fetchall())
    town, city = meta.get("town"), meta.get("city")
    when = published or datetime.now(LOCAL_TIME).replace(microsecond=0)
    facts = _facts(store)
    plans = _plans(store)
    last = max((f.reports[-1].period for f in facts if f.reports), default=None)
    parts = lifecycle_parts(store, store.cut or when.date())
    tally = Tally(on_progress, len(facts))
    projects = [
        merged(
            _funded(
                _project(f, f.project.town or town, city, prefix, status_by_stage,
                         sector_by_category),
                plans.get(f.project.code, {}),
            )
            | milestones(f, last, when, report_due_day)
            | metrics(f),
            parts.get(f.project.code),
            _completed(f),
        )
        for f in counted(facts, tally)
    ]  # fmt: skip
    tally.finish()
    name = town or "townplan"
    if publisher is None or isinstance(publisher, str):
        publisher = {"name": publisher or name}
    return {
        "uri": uri or f"urn:townplan:{quote(name)}:{stamp(when)[:10]}",
        "publishedDate": stamp(when),
        "publisher": dict(publisher),
        "version": OC4IDS_VERSION,
        "projects": projects,
    }


def _completed(f: Facts) -> dict[str, Any] | None:
    """The investment completed as reported (the sum of the reports in force)."""
    if not f.reports:
        return None
    return value(sum_money((r.completed for r in f.reports), f.project.currency))


def _facts(store: LedgerStore) -> list[Facts]:
    sql, params = store.relation("projects")
    rows = store.db.execute(f"SELECT * FROM ({sql}) ORDER BY code", params)
    columns = [d[0] for d in rows.description]
    found = {}
    for values in rows:
        row = dict(zip(columns, values, strict=True))
        found[row["code"]] = Facts(project_from_row(row), row["recorded_at"])
    sql, params = store.relation("progress")
    rows = store.db.execute(f"SELECT * FROM ({sql}) ORDER BY project, period", params)
    columns = [d[0] for d in rows.description]
    for values in rows:
        report = progress_from_row(dict(zip(columns, values, strict=True)))
        if report.project in found:  # a view may know a report before its project
            found[report.project].reports.append(report)
    sql, params = store.relation("progress_entries")  # the same cut as every as-of read
    first = f"SELECT project, period, reported_on FROM ({sql}) WHERE corrects IS NULL"
    for code, period, reported_on in store.db.execute(first, params):
        if code in found:
            found[code].first_reported[period] = date.fromisoformat(reported_on)
    return list(found.values())


def _plans(store: LedgerStore) -> dict[str, dict[int, list[tuple[FundingSource, Money]]]]:
    """Per project and year, the funding plan by source (as known at the view's cut)."""
    sources = {s.code: s for s in store.funding_sources()}
    found: dict[str, dict[int, list[tuple[FundingSource, Money]]]] = {}
    for plan in store.funding_plans():
        years = found.setdefault(plan.project, {})
        years.setdefault(plan.year, []).append((sources[plan.source], plan.amount))
    return found


def _funded(
    doc: dict[str, Any], years: Mapping[int, list[tuple[FundingSource, Money]]]
) -> dict[str, Any]:
    """``doc`` with one budget breakdown per plan year by funding source (资金来源), each
    line naming its source as ``sourceParty``, and the sources among the parties."""
    if not years:
        return doc
    groups = []
    used: dict[str, FundingSource] = {}
    for year, lines in sorted(years.items()):
        items = []
        for source, amount in lines:
            used[source.code] = source
            items.append({
                "id": f"{year}-{source.code}",
                "description": source.name,
                "amount": value(amount),
                "period": _year_span(year),
                "sourceParty": {"id": f"funder:{source.code}", "name": source.name},
            })  # fmt: skip
        groups.append({
            "id": f"funding-{year}",
            "description": f"{year}年资金来源 (funding plan by source, {year})",
            "budgetBreakdown": items,
        })  # fmt: skip
    budget = dict(doc["budget"])
    budget["budgetBreakdowns"] = [*budget["budgetBreakdowns"], *groups]
    funders = [
        {"id": f"funder:{s.code}", "name": s.name, "roles": list(ROLES["funding_source"])}
        for s in used.values()
    ]
    return doc | {"budget": budget, "parties": [*doc.get("parties", []), *funders]}


def _year_span(year: int) -> dict[str, str]:
    return {
        "startDate": stamp(date(year, 1, 1)),
        "endDate": stamp(date(year, 12, 31), end_of_day=True),
    }


def _sectors(p: Project, by_category: Mapping[Category, Sequence[str]]) -> list[str]:
    if p.category is not Category.INDUSTRY:
        for keywords, sectors in SECTOR_KEYWORDS:
            if any(k in p.name for k in keywords):
                return list(sectors)
    return list(by_category[p.category])


def _project(
    f: Facts,
    town: str | None,
    city: str | None,
    prefix: str,
    status_by_stage: Mapping[Stage, str],
    sector_by_category: Mapping[Category, Sequence[str]],
) -> dict[str, Any]:
    p = f.project
    local = p.code.removeprefix(f"{town}/") if town else p.code
    doc: dict[str, Any] = {
        "id": f"{prefix}-{town}-{local}" if town else f"{prefix}-{local}",
        "updated": stamp(f.recorded_at),
        "language": "zh",
        "identifiers": [{"id": p.code, "scheme": "townplan-project-code"}],
        "title": p.name,
        "status": status_by_stage[p.stage],
        "type": TYPE_BY_CATEGORY[p.category],
        "sector": _sectors(p, sector_by_category),
        "budget": _budget(p),
    }
    if p.content.strip():
        doc["description"] = p.content
    doc |= _declared(p)
    place = "，".join(x for x in (p.zone, p.village) if x)
    address = {k: v for k, v in (("locality", town), ("region", city)) if v}
    if place or address:
        where: dict[str, Any] = {"id": "1", "description": place or town or city}
        doc["locations"] = [where | ({"address": address} if address else {})]
    parties = []
    if p.responsible_unit:
        unit = {"id": f"unit:{p.responsible_unit}", "name": p.responsible_unit}
        doc["publicAuthority"] = unit
        parties.append(unit | {"roles": list(ROLES["responsible_unit"])})
    if p.leader:
        parties.append(
            {"id": f"leader:{p.leader}", "name": p.leader, "roles": list(ROLES["leader"])}
        )
    if parties:
        doc["parties"] = parties
    return doc


def _declared(p: Project) -> dict[str, Any]:
    """The fields declared with an OC4IDS path (``meta(oc4ids="period.startDate")``), a
    later field over an earlier one of the same path (a planned day over a year); a year
    stands for its first day as a start and its last as an end."""
    found: dict[str, dict[str, Any]] = {}
    for info in described(Project).infos():
        value = getattr(p, info.name)
        if info.oc4ids is None or value is None:
            continue
        section, key = info.oc4ids.split(".")
        end = key.startswith("end")
        if isinstance(value, int):
            value = date(value, 12, 31) if end else date(value, 1, 1)
        found.setdefault(section, {})[key] = stamp(value, end_of_day=end)
    return found


def _budget(p: Project) -> dict[str, Any]:
    parts = [
        ("government", "政府投资", p.government_investment),
        ("social", "社会投资", p.social_investment),
    ]
    return {
        "description": f"总投资{p.total_investment.format_cn()}（"
        + "，".join(f"{label}{m.format_cn()}" for _, label, m in parts)
        + "）",
        "amount": value(p.total_investment),
        "budgetBreakdowns": [
            {
                "id": "source",
                "description": "按资金来源 (by source of funds)",
                "budgetBreakdown": [
                    {"id": key, "description": label, "amount": value(m)} for key, label, m in parts
                ],
            }
        ],
    }
