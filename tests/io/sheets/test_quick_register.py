"""The register import reads rows of the usual kind a column at a time; every project it
makes that way is the one the general reader makes of the same row, with no problem."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from hypothesis import event, given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.errors import FieldError
from townplan.io.sheets.cells import MoneyColumns
from townplan.io.sheets.register import NATURE_STAGES, _Reader
from townplan.io.sheets.table import Column, Row, Table

COLUMNS = {
    "code": Column("A", "项目编号"),
    "name": Column("B", "项目名称"),
    "category": Column("C", "项目类别"),
    "stage": Column("D", "建设阶段"),
    "total_investment": Column("E", "总投资", "万元"),
    "government_investment": Column("F", "政府投资", "万元"),
    "social_investment": Column("G", "社会投资", "万元"),
    "years": Column("H", "起止年限"),
    "responsible_unit": Column("I", "责任单位"),
    "planned_start": Column("J", "计划开工时间"),
}
CELLS = {field: column.letter for field, column in COLUMNS.items()}
AMOUNTS = ["1200", "0.05", "3.25", "0", "1.5亿", None, "-5", "abc", "0.0000001", "9" * 20]
TEXTS = {
    "code": ["P1", "P2", "P3", None, "P 1"],
    "name": ["一号路", "二号路", None, "a\x07b"],
    "category": ["基础设施", "产业", "民生类", None, "农业"],
    "stage": ["续建", "新开工", None, "建设中"],
    "years": ["2012-2015", "2013", None, "明年", "2015-2012"],
    "responsible_unit": ["城建办", None, "长" * 4001],
    "planned_start": ["2013-03-01", None, "2013年3月1日", "三月"],
}
# mostly good texts: a row of the usual kind is common, each odd cell rarer
cells = {
    field: st.one_of(st.sampled_from(texts[:2]), st.sampled_from(texts))
    for field, texts in TEXTS.items()
}
adding_up = st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)).map(
    lambda p: {
        "government_investment": f"{p[0] / 100}",
        "social_investment": str(p[1]),
        "total_investment": str(Decimal(p[0]) / 100 + p[1]),
    }
)
any_amounts = st.fixed_dictionaries(
    {
        f: st.sampled_from(AMOUNTS)
        for f in ("total_investment", "government_investment", "social_investment")
    }
)
row_values = st.tuples(st.fixed_dictionaries(cells), st.one_of(adding_up, any_amounts)).map(
    lambda parts: {**parts[0], **parts[1]}
)


def _reader(rows: list[Row], category: tp.Category | None = None) -> _Reader:
    table = Table("r.xlsx", "项目库", COLUMNS, tuple(rows))
    amounts = MoneyColumns(table, ("government_investment", "social_investment",
                                   "total_investment", "annual_plan"))  # fmt: skip
    return _Reader(table, 2013, amounts, NATURE_STAGES, category)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.tuples(row_values, st.sampled_from([None, None, None, "基础设施"])), max_size=12),
    st.sampled_from([None, tp.Category.INDUSTRY]),
)
def test_a_row_read_a_column_at_a_time_is_what_the_general_reader_reads(
    given_rows: list[tuple[dict[str, str | None], str | None]], category: tp.Category | None
) -> None:
    rows = [
        Row(n, values, CELLS, "项目库", section)
        for n, (values, section) in enumerate(given_rows, 2)
    ]
    codes = [r.values.get("code") for r in rows]
    quick = _reader(rows, category).quick(codes)
    assert quick is not None and len(quick) == len(rows)
    general = _reader(rows, category)
    for at, (row, project) in enumerate(zip(rows, quick, strict=True)):
        event("read a column at a time" if project is not None else "read by the general reader")
        problems: list[FieldError] = []
        expected = general.project(row, None, codes[at], problems, at=at)
        if project is not None:
            assert problems == []
            assert project == expected


def test_the_usual_row_is_read_a_column_at_a_time_as_written() -> None:
    values = {"code": "P1", "name": "一号路", "category": "基础设施", "stage": "续建",
              "total_investment": "1200.5", "government_investment": "1000",
              "social_investment": "200.5", "years": "2012-2015",
              "responsible_unit": "城建办", "planned_start": "2013年3月1日"}  # fmt: skip
    blank_stage = {**values, "code": "P2", "stage": None, "social_investment": None,
                   "total_investment": "1000"}  # fmt: skip
    rows = [Row(2, values, CELLS, "项目库"), Row(3, blank_stage, CELLS, "项目库")]
    first, second = _reader(rows).quick(["P1", "P2"]) or []
    assert first == tp.Project(
        code="P1", name="一号路", category=tp.Category.INFRASTRUCTURE,
        stage=tp.Stage.CONTINUING, total_investment=tp.Money(Decimal("12005000")),
        government_investment=tp.Money(Decimal("10000000")),
        social_investment=tp.Money(Decimal("2005000")), start_year=2012, end_year=2015,
        responsible_unit="城建办", planned_start=date(2013, 3, 1), plan_year=2013,
    )  # fmt: skip
    assert second is not None
    assert second.stage == tp.Stage.PREPARATION  # a blank label keeps the default
    assert second.social_investment == tp.Money(Decimal("0"))
