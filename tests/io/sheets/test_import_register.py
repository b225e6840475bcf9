"""Importing project registers (项目库) from messy .xlsx and .csv files."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.io import import_register
from townplan.io.sheets.cells import MoneyColumns
from townplan.io.sheets.table import Column, Row, Table
from townplan.ledger import LedgerStore

HEADER = [
    "序号",
    "项目编号",
    "项目名称",
    "建设内容",
    "总投资（万元）",
    "政府投资（万元）",
    "社会投资（万元）",
    "2013年度计划投资（万元）",
    "责任单位",
    "挂点领导",
    "所属板块/片区",
    "项目类别",
    "建设阶段",
    "起止年限",
]
ROWS = [
    [
        1,
        "P001",
        "中心大道二期",
        "道路6公里",
        12000,
        12000,
        None,
        4000,
        "城建办",
        "副镇长",
        "水乡新城区",
        "基础设施",
        "续建",
        "2012-2015",
    ],
    [
        2,
        "P002",
        "华阳湿地生态公园",
        "湿地公园",
        3000.5,
        1000.25,
        2000.25,
        800,
        "农业办",
        "镇长",
        "水乡特色示范区",
        "民生",
        "新开工",
        "2013—2014年",
    ],
    [
        3,
        "P003",
        "玖龙纸业文化纸",
        None,
        None,
        None,
        "2亿",
        None,
        "经济贸易办公室",
        None,
        "现代临港产业区",
        "产业",
        "前期",
        "2014",
    ],
]


def money(text: str) -> tp.Money:
    return tp.Money.parse(text)


def test_messy_xlsx_register(make_xlsx, ledger: LedgerStore) -> None:
    path = make_xlsx(
        "register.xlsx",
        [
            ["示例镇2013年“三重”建设项目库"],
            [
                "填报单位：示例镇“三重”办",
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                None,
                "单位：万元",
            ],
            [],
            HEADER,
            ROWS[0],
            [None] * 14,
            ROWS[1],
            [4],  # a pre-numbered template row left empty
            ROWS[2],
            [],
            ["合计", None, None, None, 15000.5, 13000.25, 22000.25, 4800],
            ["注：金额单位为万元"],
        ],
        merges=["A1:N1", "K2:N2"],
    )
    result = import_register(ledger, path)
    assert result.added == ("P001", "P002", "P003")
    assert (result.changed, result.unchanged) == ((), ())
    assert set(result.new_units) == {"城建办", "农业办", "经济贸易办公室"}
    assert set(result.new_zones) == {"水乡新城区", "水乡特色示范区", "现代临港产业区"}
    p1, p2, p3 = ledger.projects()
    assert p1 == tp.Project(
        code="P001",
        name="中心大道二期",
        content="道路6公里",
        category=tp.Category.INFRASTRUCTURE,
        stage=tp.Stage.CONTINUING,
        government_investment=money("1.2亿"),
        total_investment=money("1.2亿"),
        annual_plan=money("4000万"),
        plan_year=2013,
        responsible_unit="城建办",
        leader="副镇长",
        zone="水乡新城区",
        start_year=2012,
        end_year=2015,
    )
    assert p2.total_investment == money("30005000")
    assert p2.government_investment == money("10002500")
    assert (p2.start_year, p2.end_year) == (2013, 2014)
    # 总投资 blank: government + social; "2亿" in a 万元 column keeps its own unit
    assert p3.social_investment == money("2亿") == p3.total_investment
    assert (p3.start_year, p3.end_year, p3.leader, p3.content) == (2014, 2014, None, "")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
def test_csv_encodings(make_csv, ledger: LedgerStore, encoding: str) -> None:
    path = make_csv("register.csv", [["重大项目库"], HEADER, *ROWS, ["合计"]], encoding)
    assert import_register(ledger, path).added == ("P001", "P002", "P003")
    assert ledger.project("P002").name == "华阳湿地生态公园"


def test_dry_run_writes_nothing_and_says_what_it_would_do(make_csv, ledger: LedgerStore) -> None:
    path = make_csv("register.csv", [HEADER, *ROWS])
    before = ledger.checksum()
    result = import_register(ledger, path, dry_run=True)
    assert ledger.checksum() == before
    assert result.dry_run and not result.wrote
    assert result.added == ("P001", "P002", "P003")
    assert "城建办" in result.would_add_units
    assert "水乡新城区" in result.would_add_zones
    assert "将新增 3 个" in result.summary("zh")
    assert "Would add 3" in result.summary("en")


def test_same_file_twice_changes_nothing(make_xlsx, ledger: LedgerStore) -> None:
    path = make_xlsx("register.xlsx", [HEADER, *ROWS])
    import_register(ledger, path)
    after_first = ledger.checksum()
    again = import_register(ledger, path)
    assert ledger.checksum() == after_first
    assert (again.added, again.changed) == ((), ())
    assert again.unchanged == ("P001", "P002", "P003")
    assert not again.wrote


def test_changed_file_makes_new_versions(make_csv, ledger: LedgerStore) -> None:
    first = date(2013, 1, 1)
    import_register(ledger, make_csv("v1.csv", [HEADER, *ROWS]), on=first, recorded_at=first)
    rows = [list(r) for r in ROWS]
    rows[0][12] = "竣工"  # P001 finishes
    rows[1][7] = 900  # P002 gets a bigger plan
    result = import_register(
        ledger,
        make_csv("v2.csv", [HEADER, *rows]),
        on=date(2013, 7, 1),
        recorded_at=date(2013, 7, 2),
    )
    assert result.changed == ("P001", "P002")
    assert result.unchanged == ("P003",)
    assert result.changes == {"P001": ("stage",), "P002": ("annual_plan",)}
    assert ledger.project("P001").stage is tp.Stage.COMPLETED
    assert ledger.as_of(date(2013, 6, 30)).project("P001").stage is tp.Stage.CONTINUING
    versions = ledger.project_versions("P002")
    assert [v.valid_from for v in versions] == [date(2013, 1, 1), date(2013, 7, 1)]
    assert versions[-1].project.annual_plan == money("900万")
    assert "v2.csv" in versions[-1].note


def test_effective_defaults_to_the_day_recorded(make_csv, ledger: LedgerStore) -> None:
    import_register(ledger, make_csv("v1.csv", [HEADER, *ROWS]), on=date(2013, 1, 1))
    rows = [list(r) for r in ROWS]
    rows[2][2] = "玖龙纸业"
    import_register(ledger, make_csv("v2.csv", [HEADER, *rows]), recorded_at=date(2013, 8, 2))
    latest = ledger.project_versions("P003")[-1]
    assert (latest.valid_from, latest.project.name) == (date(2013, 8, 2), "玖龙纸业")
    # without recorded_at: the day it is recorded, China time
    rows[2][2] = "玖龙纸业文化纸"
    import_register(ledger, make_csv("v3.csv", [HEADER, *rows]))
    latest = ledger.project_versions("P003")[-1]
    assert latest.valid_from.isoformat() == latest.recorded_at[:10]
    assert abs(latest.valid_from - date.today()) <= timedelta(days=1)


def test_columns_the_file_lacks_keep_the_ledgers_values(make_csv, ledger: LedgerStore) -> None:
    import_register(ledger, make_csv("full.csv", [HEADER, *ROWS]))
    result = import_register(
        ledger,
        make_csv(
            "stage.csv", [["项目编号", "项目名称", "建设阶段"], ["P001", "中心大道二期", "竣工"]]
        ),
    )
    assert result.changes == {"P001": ("stage",)}
    p1 = ledger.project("P001")
    assert p1.stage is tp.Stage.COMPLETED
    assert p1.total_investment == money("1.2亿")
    assert (p1.plan_year, p1.zone, p1.start_year) == (2013, "水乡新城区", 2012)


def test_changing_a_part_recomputes_the_total(make_csv, ledger: LedgerStore) -> None:
    import_register(ledger, make_csv("full.csv", [HEADER, *ROWS]))
    import_register(
        ledger,
        make_csv(
            "gov.csv",
            [["项目编号", "项目名称", "政府投资（万元）"], ["P002", "华阳湿地生态公园", 2000]],
        ),
    )
    p2 = ledger.project("P002")
    assert p2.government_investment == money("2000万")
    assert p2.total_investment == money("2000万") + money("2000.25万")


def test_users_own_headers(make_xlsx, ledger: LedgerStore) -> None:
    path = make_xlsx(
        "own.xlsx",
        [["工程编码", "工程名称", "类别", "投资额(亿元)"], ["G-1", "东环路", "基础设施", 1.5]],
    )
    mapping = {
        "工程编码": "code",
        "工程名称": "name",
        "类别": "category",
        "投资额": "government_investment",
    }
    import_register(ledger, path, headers=mapping)
    assert ledger.project("G-1").government_investment == money("1.5亿")


def test_unit_from_argument_and_years_columns(make_csv, ledger: LedgerStore) -> None:
    path = make_csv(
        "plain.csv",
        [
            [
                "项目编号",
                "项目名称",
                "项目类别",
                "政府投资",
                "开工年份",
                "竣工年份",
                "项目性质",
                "计划年度",
            ],
            ["R1", "世界农场", "产业类", "1000", "2014年", "2016", "预备项目", "2014"],
            ["R2", "新医院", "民生", "", "2013", "", "建设", ""],
        ],
    )
    import_register(ledger, path, unit="万元")
    r1, r2 = ledger.projects()
    assert r1.government_investment == money("1000万")
    assert (r1.category, r1.kind, r1.start_year, r1.end_year) == (
        tp.Category.INDUSTRY,
        tp.ProjectKind.RESERVE,
        2014,
        2016,
    )
    assert (r1.plan_year, r2.plan_year, r2.end_year) == (2014, None, None)


def test_sheet_is_chosen_by_name(make_xlsx, ledger: LedgerStore) -> None:
    path = make_xlsx(
        "book.xlsx",
        [HEADER, ROWS[0]],
        sheet="2013年",
        extra_sheets={"说明": [["本表由“三重”办填报"]], "2012年": [HEADER, ROWS[1]]},
    )
    assert import_register(ledger, path, sheet="2013年").added == ("P001",)
    assert import_register(ledger, path, sheet="2012年").added == ("P002",)


def test_existing_zones_and_units_are_not_new(make_csv, ledger: LedgerStore) -> None:
    ledger.add_zones(["水乡新城区"])
    ledger.add_units(["城建办"])
    result = import_register(ledger, make_csv("r.csv", [HEADER, ROWS[0]]), create_missing=False)
    assert (result.new_zones, result.new_units) == ((), ())
    assert ledger.project("P001").zone == "水乡新城区"


def test_usd_project_keeps_its_currency(make_csv, ledger: LedgerStore) -> None:
    path = make_csv(
        "usd.csv",
        [
            ["项目编号", "项目名称", "项目类别", "政府投资（万元）", "社会投资（万元）"],
            ["F1", "中远海洋工程", "产业", "", "1.27亿美元"],
        ],
    )
    import_register(ledger, path)
    f1 = ledger.project("F1")
    assert f1.currency == "USD"
    assert f1.total_investment == tp.Money(Decimal("127000000"), "USD")
    assert f1.government_investment == tp.Money.zero("USD")


@settings(max_examples=200, deadline=None)
@given(
    number=st.decimals(min_value=-(10**12), max_value=10**12, places=6, allow_nan=False),
    unit=st.sampled_from([None, "元", "万元", "亿元", "万美元"]),
)
def test_plain_numbers_read_as_money_parse_reads_them(number: Decimal, unit: str | None) -> None:
    text = f"{number:f}"
    header = "总投资" + (f"（{unit}）" if unit else "")
    table = Table("t.csv", "t", {"total_investment": Column("A", header, unit)})
    row = Row(2, {"total_investment": text}, {"total_investment": "A"}, "t")
    problems: list[tp.FieldError] = []
    read = MoneyColumns(table, ["total_investment"], signed={"total_investment"}).read(
        row, problems
    )
    try:
        expected = tp.Money.parse(text, unit=unit)
    except tp.ValidationError:  # below a fen: Money.parse refuses it, and so does the sheet
        assert problems
        return
    if problems:  # too large for a register: the check says so
        assert abs(expected.amount) >= Decimal(10) ** 15
    else:
        assert read.given["total_investment"] == expected
        assert read.given["total_investment"].format_cn() == expected.format_cn()


def test_amount_cells_of_every_kind_land_as_written_and_the_total_is_checked(
    make_xlsx, ledger: LedgerStore
) -> None:
    # bare whole numbers and decimals (read once for the 合计 check and the projects),
    # text with its own unit, a blank, in one column; the 合计 row is their sum
    header = ["项目编号", "项目名称", "项目类别", "政府投资（万元）", "社会投资（万元）"]
    rows = [
        header,
        ["P1", "一号路", "基础设施", 1200, 0.05],
        ["P2", "二号路", "基础设施", "1.5亿", None],
        ["P3", "三号路", "基础设施", 3.25, "300"],
        ["合计", None, None, "16203.25", 300.05],
    ]
    import_register(ledger, make_xlsx("amounts.xlsx", rows))
    got = {p.code: (p.government_investment, p.social_investment) for p in ledger.projects()}
    assert got == {
        "P1": (tp.Money(Decimal("12000000")), tp.Money(Decimal("500"))),
        "P2": (tp.Money(Decimal("150000000")), tp.Money(Decimal("0"))),
        "P3": (tp.Money(Decimal("32500")), tp.Money(Decimal("3000000"))),
    }
    rows[4] = ["合计", None, None, 16203.26, 300.05]
    with pytest.raises(tp.ValidationError) as caught:
        import_register(LedgerStore.open(":memory:"), make_xlsx("wrong.xlsx", rows))
    assert [(e.row, e.column) for e in caught.value.errors] == [(5, "D")]
    assert "16203.25万元" in caught.value.errors[0].expected


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("-5", "zero or more"),
        ("0.0000001", "whole 分"),  # a thousandth of a 元
        ("99999999999999999999", "below 10¹⁵"),  # past a machine word of fen
        ("1200元x", None),
    ],
)
def test_a_bad_amount_is_named_at_its_cell(
    make_xlsx, ledger: LedgerStore, cell: str, expected: str | None
) -> None:
    rows = [
        ["项目编号", "项目名称", "项目类别", "政府投资（万元）"],
        ["P1", "一号路", "基础设施", 100],
        ["P2", "二号路", "基础设施", cell],
    ]
    with pytest.raises(tp.ValidationError) as caught:
        import_register(ledger, make_xlsx("bad.xlsx", rows))
    (error,) = caught.value.errors
    assert (error.row, error.column, error.value) == (3, "D", cell)
    if expected is not None:
        assert expected in error.expected
    assert list(ledger.projects()) == []


def test_a_total_known_before_its_split_may_have_zero_parts(make_xlsx, ledger: LedgerStore) -> None:
    # 总投资 known, 政府投资 and 社会投资 written as 0 (not left blank): the split is not
    # known yet, as with blanks — and the same in 美元, whose zeros carry the currency
    header = [
        "项目编号",
        "项目名称",
        "项目类别",
        "总投资（万元）",
        "政府投资（万元）",
        "社会投资（万元）",
    ]
    rows = [
        header,
        ["P1", "一号路", "基础设施", 5000, 0, 0],
        ["P2", "二号路", "基础设施", "1万美元", "0万美元", "0万美元"],
        ["P3", "三号路", "基础设施", 5000, 1000, 0],
    ]
    with pytest.raises(tp.ValidationError) as caught:
        import_register(ledger, make_xlsx("split.xlsx", rows))
    # a part given and the sum wrong is still refused, at its cell
    assert [(e.row, e.column) for e in caught.value.errors] == [(4, "D")]
    import_register(ledger, make_xlsx("split.xlsx", rows[:3]))
    p1, p2 = ledger.project("P1"), ledger.project("P2")
    assert (p1.total_investment, p1.government_investment) == (
        tp.Money(Decimal("50000000")), tp.Money(Decimal("0")),
    )  # fmt: skip
    assert (p2.total_investment, p2.social_investment) == (
        tp.Money(Decimal("10000"), "USD"), tp.Money(Decimal("0"), "USD"),
    )  # fmt: skip
