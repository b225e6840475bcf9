"""Assessment and notification (考核通报): units and projects scored under the scheme in
force, ranked, with the data for the ranking notice.

Scope: the projects that owe monthly reports in the year (see :mod:`.reporting`), as the
register held them at the year's end (or on the assessment day, if earlier).
Construction projects earn points: progress against their annual plan for the year,
scale, type and start of operation; every project in scope, reserve ones too, can lose
points for late or missing reports, late answers to rapid-response problems and findings
not rectified in time.

A **project's** score counts its own points. A **unit's** score counts its portfolio: the
progress points of its total completed ÷ total planned, the mean (or, as the scheme says,
the sum) of its construction projects' bonuses, and its penalties (reports of its
projects; problems and findings assigned to it). Units responsible for at least one
project in scope are ranked.

Every component is rounded to the hundredth (half up) and the score is the sum of the
rounded components, so a breakdown adds up to its score exactly. Each component says how
it was found twice, with the same numbers: ``explain`` in English and ``explain_cn`` as
the notice prints it (计分说明), e.g. "月度进度未报1次，每次扣2分". Equal scores share a
rank (1, 2, 2, 4), listed by name. ``assess(store.as_of(day), year)`` reproduces the
assessment as it stood on ``day``, under the scheme then in force.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Mapping
from datetime import date
from decimal import Decimal
from types import MappingProxyType
from typing import Final, TypeVar

import attrs

from townplan.errors import NotFoundError, ValidationError
from townplan.governance.base import quantize
from townplan.governance.evidence import Evidence, gather
from townplan.governance.rulebook import rule_in_force
from townplan.governance.scheme import ScoringScheme
from townplan.ledger import LedgerStore
from townplan.model.arguments import optional_day, year_argument
from townplan.model.enums import ProjectKind, Stage
from townplan.model.money import Money
from townplan.model.period import Period
from townplan.model.records import Project
from townplan.progress import ProgressHook, Tally

__all__ = ["COMPONENTS", "Assessment", "ProjectScore", "UnitScore", "assess"]

#: The components of a score, in the order a notice lists them.
COMPONENTS: Final = (
    "progress", "scale", "type", "operation",
    "late_reports", "missing_reports", "overdue_responses", "overdue_findings",
)  # fmt: skip
_PENALTY: Final = {
    "late_reports": "late_report_penalty",
    "missing_reports": "missing_report_penalty",
    "overdue_responses": "overdue_response_penalty",
    "overdue_findings": "overdue_finding_penalty",
}
# How a notice words each bonus and each penalty (计分说明).
_BONUS_CN: Final = {"scale": "规模加分", "type": "类型加分", "operation": "投产加分"}
_PENALTY_CN: Final = {
    "late_reports": "月度进度迟报{n}次，每次扣{each}分",
    "missing_reports": "月度进度未报{n}次，每次扣{each}分",
    "overdue_responses": "快速反应问题超时答复{n}件，每件扣{each}分",
    "overdue_findings": "督查问题逾期未整改{n}项，每项扣{each}分",
}
_ZERO: Final = Decimal("0.00")


def _no_text() -> Mapping[str, str]:
    return MappingProxyType({})


@attrs.frozen
class UnitScore:
    """One unit's place in the ranking, its points per component and how each was found:
    ``explain`` in English, ``explain_cn`` in Chinese (计分说明), keyed like ``breakdown``."""

    rank: int
    unit: str
    score: Decimal
    breakdown: Mapping[str, Decimal]
    explain: Mapping[str, str]
    projects: tuple[str, ...]
    explain_cn: Mapping[str, str] = attrs.field(factory=_no_text)


@attrs.frozen
class ProjectScore:
    """One construction project's place among the projects, with its breakdown and how
    each component was found (``explain`` in English, ``explain_cn`` in Chinese)."""

    rank: int
    project: str
    name: str
    unit: str | None
    score: Decimal
    breakdown: Mapping[str, Decimal]
    explain: Mapping[str, str]
    explain_cn: Mapping[str, str] = attrs.field(factory=_no_text)


@attrs.frozen
class Assessment:
    """The assessment of ``year`` judged on ``on`` under ``scheme``.

    What it stands on: the months of which reports had arrived (``reported``), the months
    past their due day of which no project's report had (``uncovered`` — the ledger holds
    no data of them, so they are not scored as missing), and the units none of whose
    reports had arrived (``silent_units``)."""

    year: int
    on: date
    scheme: ScoringScheme
    ranking: tuple[UnitScore, ...]
    projects: tuple[ProjectScore, ...]
    reported: tuple[Period, ...] = ()
    uncovered: tuple[Period, ...] = ()
    silent_units: tuple[str, ...] = ()

    @property
    def commended(self) -> tuple[UnitScore, ...]:
        """Units ranked within the top ``scheme.commended`` (ties included)."""
        return tuple(r for r in self.ranking if r.rank <= self.scheme.commended)

    @property
    def named(self) -> tuple[UnitScore, ...]:
        """Units within the bottom ``scheme.named`` (ties included), not commended."""
        lower = Counter(r.score for r in self.ranking)
        named = []
        for r in self.ranking:
            below = sum(n for s, n in lower.items() if s < r.score)
            if below < self.scheme.named and r.rank > self.scheme.commended:
                named.append(r)
        return tuple(named)

    def unit(self, name: str) -> UnitScore:
        """The row of unit ``name``."""
        for r in self.ranking:
            if r.unit == name:
                return r
        raise NotFoundError(f"unit {name!r} is not ranked in the {self.year} assessment")

    def project(self, code: str) -> ProjectScore:
        """The row of project ``code``."""
        for p in self.projects:
            if p.project == code:
                return p
        raise NotFoundError(f"project {code!r} is not scored in the {self.year} assessment")


#: The steps of an assessment a progress hook is told of: the evidence gathered, the
#: projects scored, the units scored and ranked.
STEPS: Final = 3


def assess(
    store: LedgerStore, year: int, *, scheme: ScoringScheme | None = None,
    on: date | None = None, on_progress: ProgressHook | None = None,
) -> Assessment:  # fmt: skip
    """Score and rank ``year``, judged on ``on`` (default: the store's cut, else 31
    December of ``year``), under ``scheme`` (default: the scheme in force on that day).
    ``on_progress`` is told ``(done, total)`` after each of its :data:`STEPS` steps.

    >>> import townplan as tp
    >>> store = LedgerStore.open(":memory:")
    >>> _ = store.add_units(["城建办"])
    >>> _ = store.add_project(tp.Project(code="P1", name="中心大道",
    ...     category=tp.Category.INFRASTRUCTURE, responsible_unit="城建办",
    ...     government_investment=tp.Money.parse("1.2亿"),
    ...     annual_plan=tp.Money.parse("4000万"), plan_year=2013), on=date(2013, 1, 1))
    >>> _ = store.record_progress(tp.ProgressReport(project="P1", period="2013-01",
    ...     completed=tp.Money.parse("3000万"), reported_on=date(2013, 2, 8)))
    >>> a = assess(store, 2013, on=date(2013, 2, 28))
    >>> row = a.ranking[0]
    >>> row.rank, row.unit, row.score
    (1, '城建办', Decimal('50.00'))
    >>> row.explain["progress"], row.breakdown["late_reports"]
    ('60 × min(3000万元 ÷ 4000万元, 1) = 45.00', Decimal('-1.00'))
    >>> row.explain_cn["progress"]
    '本年完成投资3000万元，年度计划投资4000万元，60分×完成率（最高按1计）=45.00分'
    >>> row.explain["late_reports"], row.explain_cn["late_reports"]
    ('1 × −1', '月度进度迟报1次，每次扣1分')
    """
    year = year_argument(year, record="assessment", field="year")
    day = optional_day(on, record="assessment", field="on") or store.cut or date(year, 12, 31)
    chosen = scheme or rule_in_force(store, ScoringScheme, day)
    tally = Tally(on_progress, STEPS, every=1)
    evidence = gather(store, year, day)
    tally.add()
    built = [p for p in evidence.projects.values() if p.kind is ProjectKind.CONSTRUCTION]
    project_rows = [_score_project(p, evidence, chosen, year) for p in built]
    tally.add()
    units = sorted({p.responsible_unit for p in evidence.projects.values() if p.responsible_unit})
    unit_rows = [_score_unit(u, evidence, chosen, year) for u in units]
    # Units of equal score share a rank and are listed in the official order (排列顺序),
    # the rest after by name.
    place = {name: n for n, name in enumerate(store.official_order("units"))}
    tally.finish()
    return Assessment(
        year=year,
        on=day,
        scheme=chosen,
        ranking=_ranked(unit_rows, lambda r: (place.get(r.unit, len(place)), r.unit)),
        projects=_ranked(project_rows, lambda r: (0, r.project)),
        reported=evidence.reported,
        uncovered=evidence.uncovered,
        silent_units=evidence.silent_units,
    )


# A component's points, how they were found in English and in Chinese.
Parts = dict[str, tuple[Decimal, str, str]]
T = TypeVar("T", UnitScore, ProjectScore)


def _score_project(p: Project, ev: Evidence, scheme: ScoringScheme, year: int) -> ProjectScore:
    parts: Parts = {"progress": _progress([p], ev, scheme, year, p.code)}
    parts.update(_bonuses([p], scheme))
    parts.update(_penalties(ev.by_project[p.code], scheme))
    breakdown, explain, explain_cn, score = _settle(parts)
    return ProjectScore(
        0, p.code, p.name, p.responsible_unit, score, breakdown, explain, explain_cn
    )


def _score_unit(unit: str, ev: Evidence, scheme: ScoringScheme, year: int) -> UnitScore:
    mine = sorted(
        (p for p in ev.projects.values() if p.responsible_unit == unit), key=lambda p: p.code
    )
    built = [p for p in mine if p.kind is ProjectKind.CONSTRUCTION]
    parts: Parts = {"progress": _progress(built, ev, scheme, year, unit)}
    parts.update(_bonuses(built, scheme, mean=scheme.unit_bonuses == "mean"))
    parts.update(_penalties(ev.by_unit[unit], scheme))
    breakdown, explain, explain_cn, score = _settle(parts)
    codes = tuple(p.code for p in mine)
    return UnitScore(0, unit, score, breakdown, explain, codes, explain_cn)


def _progress(
    projects: list[Project], ev: Evidence, scheme: ScoringScheme, year: int, who: str
) -> tuple[Decimal, str, str]:
    planned = [
        p for p in projects
        if p.annual_plan.amount > 0 and p.plan_year in (None, year)
    ]  # fmt: skip
    if not planned:
        return _ZERO, f"no annual plan for {year}", f"{year}年无年度计划投资，不计进度分"
    currencies = {p.currency for p in planned}
    if len(currencies) > 1:
        raise ValidationError.single(
            record=f"assessment of {who}", field="currency", value=sorted(currencies),
            expected="plans in one currency (progress is total completed ÷ total plan)",
        )  # fmt: skip
    currency = currencies.pop()
    plan = sum((p.annual_plan for p in planned), Money.zero(currency))
    done = sum((ev.completed.get(p.code, Money.zero(currency)) for p in planned),
               Money.zero(currency))  # fmt: skip
    ratio = done.amount / plan.amount
    capped = min(ratio, scheme.progress_cap)
    points = quantize(scheme.progress_points * capped)
    text = (
        f"{scheme.progress_points} × min({done.format_cn()} ÷ {plan.format_cn()}, "
        f"{scheme.progress_cap}) = {points}"
    )
    text_cn = (
        f"本年完成投资{done.format_cn()}，年度计划投资{plan.format_cn()}，"
        f"{scheme.progress_points}分×完成率（最高按{scheme.progress_cap}计）={points}分"
    )
    return points, text, text_cn


def _bonuses(projects: list[Project], scheme: ScoringScheme, *, mean: bool = False) -> Parts:
    rules: dict[str, Callable[[Project], Decimal]] = {
        "scale": lambda p: scheme.scale_points(p.total_investment),
        "type": lambda p: scheme.category_points(p.category),
        "operation": lambda p: scheme.operation_points if p.stage is Stage.IN_OPERATION else _ZERO,
    }
    parts: Parts = {}
    for component, rule in rules.items():
        earned = [(p.code, rule(p)) for p in projects]
        total = sum((pts for _, pts in earned), Decimal(0))
        shown = ", ".join(f"{code} +{pts}" for code, pts in earned if pts) or "none"
        shown_cn = "、".join(f"{code}加{pts}分" for code, pts in earned if pts)
        name_cn = _BONUS_CN[component]
        if mean and len(earned) > 1:
            total /= len(earned)
            shown = f"mean of {len(earned)} projects ({shown})"
            shown_cn = (
                f"按{len(earned)}个项目平均计分：{shown_cn}" if shown_cn
                else f"{len(earned)}个项目均未获{name_cn}"
            )  # fmt: skip
        parts[component] = (quantize(total), shown, shown_cn or f"无项目获{name_cn}")
    return parts


def _penalties(counts: Counter[str], scheme: ScoringScheme) -> Parts:
    parts: Parts = {}
    for component, field in _PENALTY.items():
        each: Decimal = getattr(scheme, field)
        n = counts[component]
        text_cn = _PENALTY_CN[component].format(n=n, each=each)
        parts[component] = (quantize(Decimal(0) - n * each), f"{n} × −{each}", text_cn)
    return parts


def _settle(
    parts: Parts,
) -> tuple[Mapping[str, Decimal], Mapping[str, str], Mapping[str, str], Decimal]:
    breakdown = {c: parts[c][0] for c in COMPONENTS}
    explain = {c: parts[c][1] for c in COMPONENTS}
    explain_cn = {c: parts[c][2] for c in COMPONENTS}
    score = sum(breakdown.values(), _ZERO)
    return (
        MappingProxyType(breakdown), MappingProxyType(explain), MappingProxyType(explain_cn),
        score,
    )  # fmt: skip


def _ranked(items: list[T], tie: Callable[[T], tuple[int, str]]) -> tuple[T, ...]:
    ordered = sorted(items, key=lambda r: (-r.score, tie(r)))
    ranked: list[T] = []
    for position, row in enumerate(ordered, start=1):
        same = ranked and ranked[-1].score == row.score
        ranked.append(attrs.evolve(row, rank=ranked[-1].rank if same else position))
    return tuple(ranked)
