"""A money unit townplan cannot read — given as ``unit=`` (``--unit``) or on the sheet's
"单位：" line — is one problem, said once, not one more for every amount under it."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

import townplan as tp
from townplan.cli import cli
from townplan.ledger import LedgerStore

ROWS = "项目编号,项目名称,项目类别,总投资,政府投资,年度计划投资\n" + "".join(
    f"P{n},项目{n},基础设施,{n}000,{n}000,{n}00\n" for n in range(1, 6)
)


def test_a_unit_argument_that_is_no_money_unit_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(ROWS, encoding="utf-8")
    store = LedgerStore.open(":memory:")
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(store, path, unit="万块")
    (problem,) = caught.value.errors
    assert (problem.field, problem.value) == ("unit", "万块")
    assert store.counts()["projects"] == 0
    env = {"TOWNPLAN_LANG": "en", "NO_COLOR": "1", "COLUMNS": "400"}
    done = CliRunner(env=env).invoke(
        cli, ["import", "register", str(tmp_path / "t.db"), str(path), "--unit", "万块"]
    )
    message = " ".join(done.stderr.split())
    assert done.exit_code != 0 and message.count("got ") == 1, message
    assert "(--unit)" in message
    env["TOWNPLAN_LANG"] = "zh"
    done = CliRunner(env=env).invoke(
        cli, ["import", "register", str(tmp_path / "t.db"), str(path), "--unit", "万块"]
    )
    assert (
        "导入·金额单位：'万块' 不符合要求，应为金额单位，例如 元、万元、亿元、万美元（--unit）"
        in (" ".join(done.stderr.split()))
    )


def test_a_unit_line_that_is_no_money_unit_is_one_problem(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("2013年重点项目表\n单位：万块\n" + ROWS, encoding="utf-8")
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(LedgerStore.open(":memory:"), path)
    (problem,) = caught.value.errors  # not one more for each of the 15 amounts
    assert (problem.value, problem.row) == ("万块", 2)


def test_amounts_with_no_unit_anywhere_are_read_in_yuan_and_said(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(ROWS, encoding="utf-8")  # 总投资, 政府投资, 年度计划投资: no unit at all
    store = LedgerStore.open(":memory:")
    result = tp.io.import_register(store, path)
    assert store.project("P1").total_investment == tp.Money.parse("1000元")
    assert result.unitless == ("总投资", "政府投资", "年度计划投资")
    assert "金额列未注明单位，按元读（总投资、政府投资、年度计划投资；可用 --unit 指定）" in (
        result.summary("zh")
    )
    # a unit anywhere — the argument, a 单位 line, the header — and nothing to say
    again = tp.io.import_register(LedgerStore.open(":memory:"), path, unit="万元")
    assert not again.unitless and "未注明单位" not in again.summary("zh")


def test_a_wide_sheet_s_month_amounts_with_no_unit_are_said(tmp_path: Path) -> None:
    store = LedgerStore.open(":memory:")
    store.add_project(tp.Project(code="P1", name="滨河公园", category=tp.Category.LIVELIHOOD))
    path = tmp_path / "wide.csv"
    path.write_text("2013年重点项目建设进度表\n项目名称,1月形象进度,1月实际完成投资\n滨河公园,清表,100\n",
                    encoding="utf-8")  # fmt: skip
    result = tp.io.import_progress(store, path)
    assert [r.completed for r in store.progress("P1")] == [tp.Money.parse("100元")]
    assert result.unitless == ("1月实际完成投资",)
    assert "金额列未注明单位，按元读（1月实际完成投资；可用 --unit 指定）" in result.summary("zh")
