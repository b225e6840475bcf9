"""Export → import is a round trip, for registers and progress, in .xlsx and .csv."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.io import export_progress, export_register, import_progress, import_register
from townplan.io.sheets.headers import REGISTER_HEADERS
from townplan.io.sheets.table import read_table
from townplan.io.sheets.writer import Column, write_table
from townplan.ledger import LedgerStore

SUFFIXES = [".xlsx", ".csv"]
FEN_LIMIT = 10**17 - 1  # the model keeps amounts below 10¹⁵ 元


def fen(max_value: int = FEN_LIMIT) -> st.SearchStrategy[int]:
    """Amounts in fen, biased to the shapes offices use (round 万, cents, huge)."""
    return st.one_of(
        st.integers(0, 10**6).map(lambda n: n * 1_000_000),  # whole 万元
        st.integers(0, 10**9),
        st.integers(0, max_value),
    )


names = (
    st.text(st.sampled_from("中心大道湿地公园新城东环路医院ABC12 -·（）"), min_size=1, max_size=12)
    .map(str.strip)
    .filter(bool)
)
optional_names = st.none() | st.sampled_from(["水乡新城区", "现代临港产业区", "城建办", "示例"])
years = st.none() | st.integers(1990, 2030)


@st.composite
def projects(draw: st.DrawFn, code: str) -> tp.Project:
    currency = draw(st.sampled_from(["CNY", "CNY", "CNY", "USD"]))
    gov, social = draw(fen(FEN_LIMIT // 2)), draw(fen(FEN_LIMIT // 2))
    money = {
        "government_investment": tp.Money.from_fen(gov, currency),
        "social_investment": tp.Money.from_fen(social, currency),
        "annual_plan": tp.Money.from_fen(draw(fen()), currency),
    }
    if gov == 0 and social == 0:  # a total known before its split
        money["total_investment"] = tp.Money.from_fen(draw(fen()), currency)
    start, end = draw(years), draw(years)
    if start and end and end < start:
        start, end = end, start
    return tp.Project(
        code=code,
        name=draw(names),
        category=draw(st.sampled_from(tp.Category)),
        stage=draw(st.sampled_from(tp.Stage)),
        kind=draw(st.sampled_from(tp.ProjectKind)),
        plan_year=draw(st.none() | st.sampled_from([2013, 2014])),
        zone=draw(st.none() | st.sampled_from(["水乡新城区", "现代临港产业区"])),
        village=draw(st.none() | st.sampled_from(["新基村", "华阳"])),
        responsible_unit=draw(st.none() | st.sampled_from(["城建办", "经济贸易办公室"])),
        leader=draw(st.none() | st.just("副镇长")),
        content=draw(st.just("") | names),
        start_year=start,
        end_year=end,
        town=draw(st.none() | st.just("示例镇")),
        **money,
    )


@st.composite
def registers(draw: st.DrawFn) -> list[tp.Project]:
    count = draw(st.integers(1, 6))
    return [draw(projects(f"P{n:03d}")) for n in range(count)]


def load(store: LedgerStore, register: list[tp.Project]) -> None:
    store.add_zones(["水乡新城区", "现代临港产业区"])
    store.add_units(["城建办", "经济贸易办公室"])
    store.add_projects(register, on=date(2013, 1, 1), recorded_at=date(2013, 1, 1))


@pytest.mark.parametrize("suffix", SUFFIXES)
@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(register=registers())
def test_register_round_trip(tmp_path: Path, suffix: str, register: list[tp.Project]) -> None:
    with LedgerStore.open(":memory:") as source, LedgerStore.open(":memory:") as target:
        load(source, register)
        path = export_register(source, tmp_path / f"register{suffix}")
        import_register(target, path)
        assert list(target.projects()) == register
        assert {z.name for z in target.zones()} <= {z.name for z in source.zones()}
        before = source.checksum()
        again = import_register(source, path)
        assert again.unchanged == tuple(p.code for p in register)
        assert source.checksum() == before


@settings(max_examples=60, deadline=None)
@given(amounts=st.lists(fen(), min_size=1, max_size=5))
def test_money_cells_read_back_to_the_fen(amounts: list[int]) -> None:
    folder = Path(__import__("tempfile").mkdtemp())
    rows = [[f"P{n}", tp.Money.from_fen(a).amount / 10_000] for n, a in enumerate(amounts)]
    path = write_table(
        folder / "m.xlsx",
        "s",
        "t",
        [Column("项目编号"), Column("总投资（万元）", money=True)],
        rows,
    )
    table = read_table(path, headers=REGISTER_HEADERS, required={"code"})
    assert [table.money(r, "total_investment").fen() for r in table.rows] == amounts


def sample_ledger() -> LedgerStore:
    store = LedgerStore.open(":memory:")
    load(
        store,
        [
            tp.Project(
                code="P001",
                name="中心大道二期",
                category=tp.Category.INFRASTRUCTURE,
                annual_plan=tp.Money.parse("4000万"),
                plan_year=2013,
                responsible_unit="城建办",
            ),
            tp.Project(code="P002", name="湿地公园", category=tp.Category.LIVELIHOOD),
            tp.Project(
                code="F1",
                name="中远海洋工程",
                category=tp.Category.INDUSTRY,
                government_investment=tp.Money.zero("USD"),
                social_investment=tp.Money.parse("1.27亿美元"),
            ),
        ],
    )
    reports = [
        tp.ProgressReport(
            project="P001",
            period="2013-05",
            completed=tp.Money.parse("300.12万"),
            cumulative=tp.Money.parse("1300.12万"),
            note="路基",
            reported_on=date(2013, 6, 4),
        ),
        tp.ProgressReport(
            project="P001",
            period="2013-06",
            completed=tp.Money.parse("0.01"),
            note="",
            reported_on=date(2013, 7, 4),
        ),
        tp.ProgressReport(
            project="P002",
            period="2013-06",
            completed=tp.Money.zero(),
            cumulative=tp.Money.zero(),
            note="前期工作",
            reported_on=date(2013, 7, 9),
        ),
        tp.ProgressReport(
            project="F1",
            period="2013-06",
            completed=tp.Money.parse("12万美元"),
            reported_on=date(2013, 7, 1),
        ),
    ]
    store.record_progress_many(reports, recorded_at=date(2013, 7, 10))
    return store


def strip(reports: Iterable[tp.ProgressReport]) -> list[tuple[object, ...]]:
    """What a report says, without its ledger id."""
    fields = ("project", "period", "completed", "cumulative", "note", "reported_on")
    return [tuple(getattr(r, f) for f in fields) for r in reports]


def empty_with_projects(source: LedgerStore) -> LedgerStore:
    target = LedgerStore.open(":memory:")
    load(target, list(source.projects()))
    return target


@pytest.mark.parametrize("suffix", SUFFIXES)
@pytest.mark.parametrize("period", [None, "2013-06"])
def test_progress_round_trip(tmp_path: Path, suffix: str, period: str | None) -> None:
    with sample_ledger() as source, empty_with_projects(source) as target:
        path = export_progress(source, tmp_path / f"progress{suffix}", period)
        result = import_progress(target, path)
        wanted = [r for r in source.progress() if period is None or str(r.period) == period]
        assert len(result.added) == len(wanted)
        assert strip(target.progress()) == strip(wanted)
        before = source.checksum()
        assert import_progress(source, path).n_unchanged == len(wanted)
        assert source.checksum() == before


def test_xlsx_layout(tmp_path: Path) -> None:
    with sample_ledger() as store:
        path = export_register(store, tmp_path / "register.xlsx", title="示例镇 重大项目库")
    ws = openpyxl.load_workbook(path).active
    assert ws.title == "项目库"
    assert ws["A1"].value == "示例镇 重大项目库"
    assert "A1:" in str(ws.merged_cells.ranges)
    assert ws.freeze_panes == "A3"
    headers = [c.value for c in ws[2]]
    assert headers[:8] == [
        "序号",
        "项目编号",
        "项目名称",
        "建设内容",
        "总投资（万元）",
        "政府投资（万元）",
        "社会投资（万元）",
        "年度计划投资（万元）",
    ]
    assert all(c.font.bold for c in ws[2])
    assert ws["E3"].number_format == "0.00"
    assert 24 <= ws.column_dimensions["C"].width < 25  # as wide as 24 characters
    # F1 is a USD project in a 万元 table: its amounts carry their own unit
    assert (ws["E3"].value, ws["F3"].value) == ("12700万美元", "0万美元")
    assert ws["I2"].value == "计划年度"  # plan years differ: one column for them
    last = [c.value for c in ws[ws.max_row]]
    assert last[0] == "合计"
    assert last[7] == 4000
    assert Decimal(str(last[4])) == 0


def test_csv_is_utf8_with_bom(tmp_path: Path) -> None:
    with sample_ledger() as store:
        path = export_progress(store, tmp_path / "june.csv", "2013-06")
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    lines = data.decode("utf-8-sig").splitlines()
    assert lines[0] == "2013年6月 重大项目进度表"
    assert lines[-1].startswith("合计,,3个项目,,")
