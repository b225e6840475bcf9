"""Writing records and reading them back: every kind survives a close and reopen, and
writes that contradict the ledger are refused naming the record, field and value."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.model.checks import CODE_PATTERN

DAY = date(2013, 7, 3)
RECORDED = datetime(2013, 7, 3, 9, 30)

ZONES = [tp.Zone("东区", "East"), tp.Zone("西区")]
UNITS = [tp.Unit("城建办", "Construction Office"), tp.Unit("交通局"), tp.Unit("招商局")]
PROJECTS = [
    tp.Project(
        code="P001", name="中心大道二期", category=tp.Category.INFRASTRUCTURE,
        stage=tp.Stage.CONTINUING, government_investment=tp.Money.parse("1.2亿"),
        social_investment=tp.Money.parse("3000万"), annual_plan=tp.Money.parse("4000.5万"),
        plan_year=2013, zone="东区", village="下村", responsible_unit="城建办", leader="张三",
        content="道路拓宽；" * 800, start_year=2012, end_year=2014, town="新塘镇",
    ),
    tp.Project(
        code="P-USD/2", name="外资电子厂", category=tp.Category.INDUSTRY,
        kind=tp.ProjectKind.RESERVE, social_investment=tp.Money.parse("1.27亿美元"),
        government_investment=tp.Money.zero("USD"),
    ),
    tp.Project(code="城改3", name="旧村改造", category=tp.Category.URBAN_RENEWAL),
]  # fmt: skip
REPORTS = [
    tp.ProgressReport(project="P001", period="2013-05", completed=tp.Money.parse("500万"),
                      cumulative=tp.Money.parse("6500万"), note="路基完成", reported_on=DAY),
    tp.ProgressReport(project="P001", period="2013-06", completed=tp.Money.parse("0.01元"),
                      reported_on=DAY),
    tp.ProgressReport(project="P-USD/2", period="2013-06", completed=tp.Money.parse("10万美元"),
                      reported_on=DAY),
]  # fmt: skip
GROUPS = [
    tp.LeadingGroup(code="G01", name="城市道路建设工作领导小组", leader="李四",
                    deputies=("王五", "赵六"), member_units=("交通局", "城建办"),
                    office_host="城建办", mandate="统筹道路建设", established=date(2013, 1, 5)),
    tp.LeadingGroup(code="HQ", name="三重项目建设指挥部", kind=tp.GroupKind.HQ),
]  # fmt: skip
MILESTONES = [
    tp.Task(code="T01", group="G01", text="完成中心大道二期路基",
                 deadline=tp.Deadline.parse("6月底前", year=2013),
                 targets=(tp.Measure(Decimal("3.2"), "公里"),
                          tp.Measure(Decimal(60), "%", tp.Direction.AT_MOST))),
    tp.Task(code="T02", group="HQ", text="用2-3年时间完成旧村改造",
                 deadline=tp.Deadline.parse("用2-3年时间", year=2013)),
]  # fmt: skip
TARGETS = [
    tp.AnnualTarget(code="GDP", indicator="地区生产总值增长", year=2013,
                    direction=tp.Direction.AT_LEAST, value=Decimal("15.5"), unit="%",
                    indicator_en="GDP growth", base_year=2012),
]  # fmt: skip
ATTRACTIONS = [
    tp.Attraction(code="FDI-C", kind="contracted", origin="foreign",
                  amount=tp.Money.parse("1.27亿美元"), year=2013),
]  # fmt: skip
POLICY = tp.ThresholdPolicy(
    name="市级标准", government_min=tp.Money.parse("5000万"), social_min=tp.Money.parse("5亿"),
    level=tp.Level.CITY, effective_from=date(2013, 1, 1), effective_to=date(2015, 12, 31),
)  # fmt: skip
PAYLOAD = {"actual": "12.5", "unit": "公里", "steps": ["立项", "开工"], "nested": {"ok": True}}


def write_everything(ledger: LedgerStore) -> int:
    ledger.add_zones(ZONES)
    ledger.add_units(UNITS)
    ledger.add_projects(PROJECTS, on=date(2013, 1, 1), recorded_at=RECORDED)
    ledger.record_progress_many(REPORTS, recorded_at=RECORDED)
    ledger.add_groups(GROUPS)
    ledger.add_tasks(MILESTONES)
    ledger.add_targets(TARGETS)
    ledger.add_attractions(ATTRACTIONS)
    ledger.add_policy(POLICY)
    entry = ledger.append_entry(
        "target_actual", "GDP", DAY, PAYLOAD, note="上半年", recorded_at=DAY
    )
    return entry.id


def test_everything_written_reads_back_equal_after_reopening(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    with LedgerStore.open(path) as ledger:
        entry_id = write_everything(ledger)
    with LedgerStore.open(path) as ledger:
        assert ledger.zones() == ZONES
        assert ledger.units() == sorted(UNITS, key=lambda u: u.name)
        assert list(ledger.projects()) == sorted(PROJECTS, key=lambda p: p.code)
        assert ledger.project("P001") == PROJECTS[0]
        read = [attrs.evolve(r, id=None) for r in ledger.progress()]
        assert read == sorted(REPORTS, key=lambda r: (r.project, str(r.period)))
        assert ledger.groups() == GROUPS
        assert ledger.tasks() == MILESTONES
        assert ledger.targets() == TARGETS
        assert ledger.attractions() == ATTRACTIONS
        assert ledger.policies() == [POLICY]
        (entry,) = ledger.entries()
        assert (entry.id, entry.kind, entry.subject, entry.effective_on) == (
            entry_id, "target_actual", "GDP", DAY,
        )  # fmt: skip
        assert (entry.payload, entry.note, entry.corrects) == (PAYLOAD, "上半年", None)
        assert entry.recorded_at.startswith("2013-07-03T00:00:00")


def test_record_progress_returns_the_report_with_its_id() -> None:
    with LedgerStore.open() as ledger:
        ledger.add_units(UNITS)
        ledger.add_zones(ZONES)
        ledger.add_projects(PROJECTS)
        first = ledger.record_progress(REPORTS[0])
        second = ledger.record_progress(REPORTS[1])
        assert first == attrs.evolve(REPORTS[0], id=first.id)
        assert first.id is not None and second.id is not None and first.id != second.id
        assert ledger.progress_entries("P001") == [first, second]


def test_reported_on_defaults_to_the_record_day() -> None:
    with LedgerStore.open() as ledger:
        ledger.add_project(PROJECTS[2])
        report = tp.ProgressReport(project="城改3", period="2013-06", completed=tp.Money.of(1))
        ledger.record_progress(report, recorded_at=datetime(2013, 7, 9, 23, 59))
        (stored,) = ledger.progress("城改3")
        assert stored.reported_on == date(2013, 7, 9)


def test_record_progress_returns_what_the_ledger_holds() -> None:
    with LedgerStore.open() as ledger:
        ledger.add_project(PROJECTS[2])
        report = tp.ProgressReport(project="城改3", period="2013-06", completed=tp.Money.of(1))
        returned = ledger.record_progress(report, recorded_at=datetime(2013, 7, 9, 23, 59))
        assert [returned] == list(ledger.progress("城改3"))


# --- refusals naming the record ------------------------------------------------------------
@pytest.fixture
def town() -> LedgerStore:
    ledger = LedgerStore.open()
    write_everything(ledger)
    return ledger


def named(
    err: tp.ConflictError | tp.ValidationError, record: str, field: str, value: object
) -> bool:
    hit = any((e.record, e.field, e.value) == (record, field, value) for e in err.errors)
    return hit and record in str(err)


def test_duplicate_project_code_is_a_conflict_naming_it(town: LedgerStore) -> None:
    with pytest.raises(tp.ConflictError) as info:
        town.add_project(attrs.evolve(PROJECTS[2], name="重复的旧村改造"))
    assert named(info.value, "Project 城改3", "code", "城改3")


def test_duplicate_code_within_a_batch_is_invalid_naming_it() -> None:
    with LedgerStore.open() as ledger, pytest.raises(tp.ValidationError) as info:
        ledger.add_projects([PROJECTS[2], attrs.evolve(PROJECTS[2], name="又一个")])
    assert named(info.value, "Project 城改3", "code", "城改3")


@pytest.mark.parametrize(
    ("change", "field", "value"),
    [
        ({"zone": "北区"}, "zone", "北区"),
        ({"responsible_unit": "不存在局"}, "responsible_unit", "不存在局"),
    ],
)
def test_project_reference_to_a_missing_zone_or_unit_is_a_conflict(
    town: LedgerStore, change: dict[str, str], field: str, value: str
) -> None:
    project = attrs.evolve(PROJECTS[2], code="P099", **change)
    with pytest.raises(tp.ConflictError) as info:
        town.add_project(project)
    assert named(info.value, "Project P099", field, value)
    with pytest.raises(tp.ConflictError) as info:
        town.update_project(attrs.evolve(PROJECTS[2], **change), on=DAY)
    assert any(e.field == field and e.value == value for e in info.value.errors)


def test_progress_for_a_missing_project_is_a_conflict(town: LedgerStore) -> None:
    report = tp.ProgressReport(project="P404", period="2013-06", completed=tp.Money.of(1))
    with pytest.raises(tp.ConflictError) as info:
        town.record_progress(report)
    assert named(info.value, "ProgressReport P404 2013-06", "project", "P404")


def test_a_month_reported_twice_is_a_conflict(town: LedgerStore) -> None:
    with pytest.raises(tp.ConflictError) as info:
        town.record_progress(attrs.evolve(REPORTS[1], completed=tp.Money.parse("9万")))
    assert named(info.value, "ProgressReport P001 2013-06", "period", "2013-06")


def test_progress_in_another_currency_than_its_project_is_invalid(town: LedgerStore) -> None:
    report = tp.ProgressReport(project="P-USD/2", period="2013-07", completed=tp.Money.parse("5万"))
    with pytest.raises(tp.ValidationError) as info:
        town.record_progress(report)
    assert info.value.field == "completed" and "USD" in str(info.value)


def test_correcting_or_updating_what_is_not_there_is_not_found(town: LedgerStore) -> None:
    with pytest.raises(tp.NotFoundError, match="2013-01"):
        town.correct_progress(attrs.evolve(REPORTS[0], period=tp.Period.parse("2013-01")))
    with pytest.raises(tp.NotFoundError, match="P404"):
        town.update_project(attrs.evolve(PROJECTS[2], code="P404"), on=DAY)


def test_duplicate_group_and_target_codes_are_conflicts(town: LedgerStore) -> None:
    with pytest.raises(tp.ConflictError) as info:
        town.add_groups([attrs.evolve(GROUPS[1], name="另一个指挥部")])
    assert named(info.value, "LeadingGroup HQ", "code", "HQ")
    with pytest.raises(tp.ConflictError) as info:
        town.add_targets(TARGETS)
    assert named(info.value, "Indicator GDP", "code", "GDP")  # an AnnualTarget is an Indicator


def test_entry_correcting_a_missing_entry_is_a_conflict(town: LedgerStore) -> None:
    with pytest.raises(tp.ConflictError) as info:
        town.append_entry("target_actual", "GDP", DAY, corrects=9999)
    assert any(e.field == "corrects" and e.value == 9999 for e in info.value.errors)


def test_task_of_a_missing_group_names_the_group(town: LedgerStore) -> None:
    task = attrs.evolve(MILESTONES[0], code="T09", group="G404")
    with pytest.raises(tp.ConflictError) as info:
        town.add_tasks([task])
    assert named(info.value, "Task T09", "group", "G404")


def test_duplicate_task_code_names_the_code(town: LedgerStore) -> None:
    with pytest.raises(tp.ConflictError) as info:
        town.add_tasks([MILESTONES[1]])
    assert named(info.value, "Task T02", "code", "T02")


def test_group_with_a_missing_member_unit_names_the_unit(town: LedgerStore) -> None:
    group = tp.LeadingGroup(code="G09", name="新组", member_units=("城建办", "不存在局"))
    with pytest.raises(tp.ConflictError) as info:
        town.add_groups([group])
    assert named(info.value, "LeadingGroup G09", "member_units", "不存在局")


# --- round trips of generated records ---------------------------------------------------------
_text = st.text(st.characters(exclude_categories=("Cc", "Cs")), min_size=1, max_size=30).filter(
    str.strip
)
_fen = st.integers(min_value=0, max_value=5 * 10**16 - 1)  # a sum stays below 10¹⁵ yuan
_money = _fen.map(tp.Money.from_fen)
_projects = st.builds(
    tp.Project,
    code=st.from_regex(CODE_PATTERN, fullmatch=True).filter(lambda c: "\n" not in c),
    name=_text,
    category=st.sampled_from(tp.Category),
    stage=st.sampled_from(tp.Stage),
    kind=st.sampled_from(tp.ProjectKind),
    government_investment=_money,
    social_investment=_money,
    annual_plan=_money,
    plan_year=st.none() | st.integers(1900, 2200),
    village=st.none() | _text,
    leader=st.none() | _text,
    content=st.just("") | _text,
)


@settings(max_examples=60, deadline=None)
@given(st.lists(_projects, max_size=8, unique_by=lambda p: p.code))
def test_generated_projects_read_back_equal(projects: list[tp.Project]) -> None:
    with LedgerStore.open() as ledger:
        assert ledger.add_projects(projects, chunk_size=3) == len(projects)
        assert list(ledger.projects()) == sorted(projects, key=lambda p: p.code)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(2000, 2030), st.integers(1, 12), _fen, st.none() | _fen, _text),
        max_size=12,
        unique_by=lambda t: t[:2],
    )
)
def test_generated_reports_read_back_equal(
    rows: list[tuple[int, int, int, int | None, str]],
) -> None:
    reports = [
        tp.ProgressReport(
            project="P1", period=tp.Period.month(y, m), completed=tp.Money.from_fen(done),
            cumulative=None if total is None else tp.Money.from_fen(total), note=note,
            reported_on=date(y, m, 28),
        )
        for y, m, done, total, note in rows
    ]  # fmt: skip
    with LedgerStore.open() as ledger:
        ledger.add_project(tp.Project(code="P1", name="道路", category=tp.Category.INFRASTRUCTURE))
        ledger.record_progress_many(reports, chunk_size=5)
        read = [attrs.evolve(r, id=None) for r in ledger.progress("P1")]
        assert read == sorted(reports, key=lambda r: r.period.start)


def test_a_project_keeps_its_currency_once_it_has_progress() -> None:
    ledger = tp.Ledger.open()
    cny = tp.Project(code="F1", name="外资园区", category=tp.Category.INDUSTRY,
                     government_investment=tp.Money.parse("1500万"))  # fmt: skip
    ledger.add_project(cny, on=date(2013, 1, 1))
    usd = tp.Project(code="F1", name="外资园区", category=tp.Category.INDUSTRY,
                     government_investment=tp.Money.parse("100万美元"))  # fmt: skip
    ledger.update_project(usd, on=date(2013, 2, 1))  # no progress yet: allowed
    ledger.update_project(cny, on=date(2013, 3, 1))
    ledger.record_progress(tp.ProgressReport(project="F1", period="2013-06",
                                             completed=tp.Money.parse("500万"),
                                             reported_on=date(2013, 7, 3)))  # fmt: skip
    before = ledger.checksum()
    with pytest.raises(tp.ConflictError) as caught:
        ledger.update_project(usd, on=date(2013, 8, 1))
    (error,) = caught.value.errors
    assert (error.field, error.value) == ("currency", "USD")
    assert "CNY" in error.expected
    assert ledger.checksum() == before
    assert ledger.project("F1").currency == "CNY"
