"""Assessment on small towns, against scores worked out by hand: every point explained,
breakdowns that add up exactly, ties, the notice, and schemes that change over time."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import townplan as tp
import townplan.governance as gov
from townplan.ledger import LedgerStore

D = date
JUDGED = D(2014, 1, 31)  # after the December reports fell due


def _report(store: LedgerStore, project: str, month: int, amount: str, day: date) -> None:
    store.record_progress(
        tp.ProgressReport(project=project, period=f"2013-{month:02d}",
                          completed=tp.Money.parse(amount), reported_on=day),
        recorded_at=day,
    )  # fmt: skip


@pytest.fixture
def scored(town: LedgerStore) -> LedgerStore:
    """R1: 300万 a month, January reported late → 3600万 of 4000万, one late report.
    R2: 100万 a month for Jan–Nov, December missing → 1100万 of 1000万, one missing.
    R3 (reserve): zero every month but March (missing).
    Q1 on R1, assigned to 国土分局, answered late; F1 on R2, assigned to 城建办, still
    open after its deadline."""
    for month in range(1, 13):
        due = D(2013 + month // 12, month % 12 + 1, 5)
        _report(town, "R1", month, "300万", D(2013, 2, 8) if month == 1 else due)
        if month < 12:
            _report(town, "R2", month, "100万", due)
        if month != 3:
            _report(town, "R3", month, "0", due)
    gov.raise_problem(
        town, gov.Problem(code="Q1", project="R1", text="征地", raised_by="城建办",
                          raised_on=D(2013, 3, 12), severity="urgent", assigned_to="国土分局"),
        recorded_at=D(2013, 3, 12),
    )  # fmt: skip
    gov.answer(town, "Q1", on=D(2013, 3, 19), recorded_at=D(2013, 3, 19))
    gov.add_inspection(
        town, gov.Inspection(code="I1", title="督查", held_on=D(2013, 7, 10)),
        [gov.Finding(code="F1", inspection="I1", project="R2", text="进度滞后",
                     rectify_by=D(2013, 9, 30), assigned_to="城建办")],
        recorded_at=D(2013, 7, 10),
    )  # fmt: skip
    return town


def _points(**values: str) -> dict[str, Decimal]:
    base = dict.fromkeys(gov.COMPONENTS, Decimal("0.00"))
    base.update({k: Decimal(v) for k, v in values.items()})
    return base


def test_project_scores_by_hand(scored):
    a = gov.assess(scored, 2013, on=JUDGED)
    r1, r2 = a.project("R1"), a.project("R2")
    # R1: 60 × 3600/4000 = 54; 1.2亿 ≥ 1亿 → +3; infrastructure +3; 1 late report −1;
    # the late answer to Q1 about R1 −2.
    assert dict(r1.breakdown) == _points(
        progress="54.00", scale="3.00", type="3.00", late_reports="-1.00",
        overdue_responses="-2.00",
    )  # fmt: skip
    assert r1.score == Decimal("57.00")
    # R2: 1100/1000 capped at 1 → 60; livelihood +3; December missing −2; F1 late −1.
    assert dict(r2.breakdown) == _points(
        progress="60.00", type="3.00", missing_reports="-2.00", overdue_findings="-1.00"
    )
    assert r2.score == Decimal("60.00")
    assert [(p.rank, p.project) for p in a.projects] == [(1, "R2"), (2, "R1")]
    assert "R3" not in [p.project for p in a.projects]  # reserve projects earn no points
    assert r1.explain["progress"] == "60 × min(3600万元 ÷ 4000万元, 1) = 54.00"


def test_unit_scores_by_hand(scored):
    a = gov.assess(scored, 2013, on=JUDGED)
    city = a.unit("城建办")
    # 60 × (3600万 + 1100万) / (4000万 + 1000万) = 56.40; scale mean (3 + 0)/2 = 1.50;
    # type mean (3 + 3)/2 = 3; R1's late report −1, R2's missing one −2; F1 −1.
    assert dict(city.breakdown) == _points(
        progress="56.40", scale="1.50", type="3.00", late_reports="-1.00",
        missing_reports="-2.00", overdue_findings="-1.00",
    )  # fmt: skip
    assert city.score == Decimal("56.90") and city.projects == ("R1", "R2")
    farm = a.unit("农业办")  # only a reserve project, one missing report
    assert dict(farm.breakdown) == _points(missing_reports="-2.00")
    assert [(r.rank, r.unit) for r in a.ranking] == [(1, "城建办"), (2, "农业办")]
    with pytest.raises(tp.NotFoundError):
        a.unit("国土分局")  # responsible for no project: penalised per project, not ranked
    summed = gov.ScoringScheme(unit_bonuses="sum")
    assert gov.assess(scored, 2013, on=JUDGED, scheme=summed).unit("城建办").breakdown[
        "scale"
    ] == Decimal("3.00")


def test_every_breakdown_adds_up_exactly(scored):
    a = gov.assess(scored, 2013, on=JUDGED)
    for row in (*a.ranking, *a.projects):
        assert sum(row.breakdown.values(), Decimal(0)) == row.score
        assert list(row.breakdown) == list(gov.COMPONENTS) == list(row.explain)


def test_judged_on_31_december_december_is_not_yet_missing(scored):
    a = gov.assess(scored, 2013)
    assert a.on == D(2013, 12, 31)
    assert a.project("R2").breakdown["missing_reports"] == 0
    assert a.project("R2").score == Decimal("62.00")


def test_a_later_scheme_changes_later_rankings_only(scored):
    earlier = gov.assess(scored.as_of(D(2013, 6, 30)), 2013)
    gov.add_rule(
        scored, gov.ScoringScheme(name="下半年办法", progress_points=Decimal(80),
                                  effective_from=D(2013, 7, 1)),
        recorded_at=D(2013, 7, 1),
    )  # fmt: skip
    assert gov.assess(scored.as_of(D(2013, 6, 30)), 2013) == earlier
    assert gov.assess(scored, 2013, on=D(2013, 6, 30)).scheme.progress_points == 60
    later = gov.assess(scored, 2013, on=JUDGED)
    assert later.scheme.name == "下半年办法"
    assert later.project("R1").breakdown["progress"] == Decimal("72.00")  # 80 × 0.9


def test_a_scheme_recorded_late_is_unknown_to_earlier_views(scored):
    gov.add_rule(
        scored, gov.ScoringScheme(name="追溯办法", progress_points=Decimal(100),
                                  effective_from=D(2013, 1, 1)),
        recorded_at=D(2013, 8, 1),
    )  # fmt: skip
    assert gov.assess(scored.as_of(D(2013, 7, 31)), 2013).scheme.progress_points == 60
    assert gov.assess(scored.as_of(D(2013, 8, 1)), 2013).scheme.progress_points == 100


def test_as_of_reproduces_a_past_assessment(scored):
    for day in (D(2013, 3, 31), D(2013, 6, 30), D(2013, 10, 1)):
        assert gov.assess(scored.as_of(day), 2013) == gov.assess(scored, 2013, on=day)


@pytest.fixture
def tied() -> LedgerStore:
    """Four units, one project each with a 1000万 plan; completed 1000万, 500万, 500万,
    400万 → 100, 50, 50, 40 points under a progress-only scheme."""
    store = LedgerStore.open(":memory:")
    units = {"甲办": "1000万", "乙办": "500万", "丙办": "500万", "丁办": "400万"}
    store.add_units(units)
    for i, (unit, done) in enumerate(units.items(), start=1):
        store.add_project(
            tp.Project(code=f"P{i}", name=f"项目{i}", category=tp.Category.INDUSTRY,
                       responsible_unit=unit, government_investment=tp.Money.parse("3000万"),
                       annual_plan=tp.Money.parse("1000万"), plan_year=2013),
            on=D(2013, 1, 1), recorded_at=D(2013, 1, 1),
        )  # fmt: skip
        _report(store, f"P{i}", 1, done, D(2013, 2, 1))
    return store


PROGRESS_ONLY = gov.ScoringScheme(
    progress_points=Decimal(100),
    scale_tiers=(),
    category_bonus=(),
    missing_report_penalty=0,
    commended=1,
    named=1,
)


def test_ties_share_a_rank_and_are_listed_by_name(tied):
    a = gov.assess(tied, 2013, scheme=PROGRESS_ONLY)
    assert [(r.rank, r.unit, r.score) for r in a.ranking] == [
        (1, "甲办", Decimal("100.00")), (2, "丙办", Decimal("50.00")),
        (2, "乙办", Decimal("50.00")), (4, "丁办", Decimal("40.00")),
    ]  # fmt: skip
    assert [r.unit for r in a.commended] == ["甲办"]
    assert [r.unit for r in a.named] == ["丁办"]
    wider = gov.ScoringScheme(progress_points=Decimal(100), scale_tiers=(), category_bonus=(),
                              missing_report_penalty=0, commended=2, named=2)  # fmt: skip
    b = gov.assess(tied, 2013, scheme=wider)
    assert [r.unit for r in b.commended] == ["甲办", "丙办", "乙办"]  # the tie comes along
    assert [r.unit for r in b.named] == ["丁办"]  # the tied pair is commended, not named


def test_progress_counts_the_report_in_force(scored):
    def march(amount: str, day: date) -> None:
        scored.correct_progress(
            tp.ProgressReport(project="R1", period="2013-03", completed=tp.Money.parse(amount),
                              reported_on=day),
            recorded_at=day, reason="监理复核",
        )  # fmt: skip

    march("200万", D(2013, 7, 10))  # 3500万 of 4000万
    march("250万", D(2013, 8, 10))  # a correction of the correction: 3550万
    progress = {
        day: gov.assess(scored.as_of(day), 2013).project("R1").breakdown["progress"]
        for day in (D(2013, 7, 9), D(2013, 7, 31), D(2013, 12, 31))
    }
    # Reports in force on 9 July: Jan–Jun at 300万 = 1800万 → 60 × 0.45 = 27. On 31 July
    # (July's report not yet in): March at 200万 → 1700万 → 25.50. On 31 December
    # (December's not yet in): Jan–Nov with March at 250万 = 3250万 → 48.75.
    assert progress == {
        D(2013, 7, 9): Decimal("27.00"), D(2013, 7, 31): Decimal("25.50"),
        D(2013, 12, 31): Decimal("48.75"),
    }  # fmt: skip
    late = gov.late_reports(scored, "2013-03", on=D(2013, 12, 31))
    assert late == []  # restating March later does not make it late
