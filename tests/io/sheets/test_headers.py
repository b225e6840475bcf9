"""Header mapping: Chinese headers with units in any bracket style resolve to one field."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from townplan.io.sheets.headers import (
    DEFAULT_PROGRESS_HEADERS,
    DEFAULT_REGISTER_HEADERS,
    MONEY_FIELDS,
    PROGRESS_HEADERS,
    REGISTER_HEADERS,
    HeaderMap,
    is_money_unit,
    normalise_header,
)


@pytest.mark.parametrize(
    ("text", "field", "unit"),
    [
        ("总投资（万元）", "total_investment", "万元"),
        ("总投资(亿元)", "total_investment", "亿元"),
        ("总投资 [万元]", "total_investment", "万元"),
        ("总投资【万元】", "total_investment", "万元"),
        ("总投资［万元］", "total_investment", "万元"),
        ("总投资（单位：万元）", "total_investment", "万元"),
        ("政府投资\n(万元)", "government_investment", "万元"),
        ("  项目编号  ", "code", None),
        ("项 目 名 称", "name", None),
        ("*项目名称", "name", None),
        ("所属村（社区）", "village", None),
        ("所属板块／片区", "zone", None),
        ("2013年度计划投资（万元）", "annual_plan", "万元"),
        ("2013年计划投资", "annual_plan", None),
        ("序号", "seq", None),
        ("计划年度", "plan_year", None),
        ("计划年份", "plan_year", None),
        ("所属镇", "town", None),
        ("所属镇街", "town", None),
        ("计划开工时间", "planned_start", None),
        ("计划竣工日期", "planned_finish", None),
        ("联系电话", None, None),
        ("其他(千亿元)", None, "千亿元"),
        ("", None, None),
    ],
)
def test_resolve_register_headers(text: str, field: str | None, unit: str | None) -> None:
    assert REGISTER_HEADERS.resolve(text) == (field, unit)


@pytest.mark.parametrize(
    ("text", "field", "unit"),
    [
        ("项目编号", "project", None),
        ("本月完成\n(万元)", "completed", "万元"),
        ("累计完成（亿元）", "cumulative", "亿元"),
        ("形象进度", "note", None),
        ("报送日期", "reported_on", None),
        ("月份", "period", None),
    ],
)
def test_resolve_progress_headers(text: str, field: str | None, unit: str | None) -> None:
    assert PROGRESS_HEADERS.resolve(text) == (field, unit)


def test_defaults_are_read_only_data() -> None:
    with pytest.raises(TypeError):
        DEFAULT_REGISTER_HEADERS["x"] = "y"  # type: ignore[index]
    assert DEFAULT_PROGRESS_HEADERS["本月完成"] == "completed"
    assert {"total_investment", "completed", "cumulative"} <= MONEY_FIELDS


def test_merge_adds_and_overrides_without_changing_the_original() -> None:
    merged = REGISTER_HEADERS.merge(
        {"工程名称": "name", "项目名称": "title", "投资额（万元）": "amount"},
        money_fields=frozenset({"amount"}),
    )
    assert merged.resolve("工程名称") == ("name", None)
    assert merged.resolve("项目名称") == ("title", None)
    assert merged.resolve("投资额（万元）") == ("amount", "万元")  # its own key keeps its unit
    assert merged.is_money("amount")
    assert not REGISTER_HEADERS.is_money("amount")
    assert REGISTER_HEADERS.resolve("项目名称") == ("name", None)
    assert "title" not in REGISTER_HEADERS.fields


def test_user_keys_are_normalised_like_cells() -> None:
    hm = HeaderMap({" 所属村（社区） ": "village"})
    assert hm.resolve("所属村(社区)") == ("village", None)
    assert hm.names_for("village") == ["所属村(社区)"]


def test_header_maps_compare_by_value() -> None:
    assert HeaderMap(DEFAULT_REGISTER_HEADERS) == REGISTER_HEADERS
    assert REGISTER_HEADERS.merge({}) == REGISTER_HEADERS


@pytest.mark.parametrize(
    ("unit", "ok"),
    [
        ("万元", True),
        ("亿元", True),
        ("元", True),
        ("万美元", True),
        ("亿", True),
        ("千亿元", False),
        ("%", False),
        ("个", False),
    ],
)
def test_money_units(unit: str, ok: bool) -> None:
    assert is_money_unit(unit) is ok


BRACKETS = [("（", "）"), ("(", ")"), ("[", "]"), ("【", "】"), ("［", "］"), ("(", "）")]
SPACE = st.text(alphabet=" \n\t\u3000\r", max_size=3)


@st.composite
def spaced(draw: st.DrawFn, text: str) -> str:
    """``text`` with random whitespace between its characters."""
    return "".join(ch + draw(SPACE) for ch in text)


@given(
    key=st.sampled_from(sorted(DEFAULT_REGISTER_HEADERS)),
    unit=st.sampled_from(["万元", "亿元", "元", "万美元", "%", "个", "年"]),
    brackets=st.sampled_from(BRACKETS),
    prefix=st.sampled_from(["", "单位：", "单位:"]),
    data=st.data(),
)
def test_any_bracket_and_whitespace_resolve_alike(
    key: str,
    unit: str,
    brackets: tuple[str, str],
    prefix: str,
    data: st.DataObject,
) -> None:
    opening, closing = brackets
    body = data.draw(spaced(key))
    text = data.draw(SPACE) + body + data.draw(SPACE) + opening + prefix + unit + closing
    text += data.draw(SPACE)
    assert REGISTER_HEADERS.resolve(text) == (DEFAULT_REGISTER_HEADERS[key], unit)
    assert REGISTER_HEADERS.resolve(data.draw(SPACE) + body) == (
        DEFAULT_REGISTER_HEADERS[key],
        None,
    )


@given(st.text(max_size=30))
def test_resolve_never_fails(text: str) -> None:
    field, unit = REGISTER_HEADERS.resolve(text)
    assert field is None or field in REGISTER_HEADERS.fields
    assert unit is None or isinstance(unit, str)
    assert normalise_header(normalise_header(text)) == normalise_header(text)
