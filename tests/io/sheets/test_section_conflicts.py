"""A row whose own cells contradict its section: a 建设性质 or 建设阶段 of 续建 under
"（二）新开工项目" is an error naming the row, the column and the section, as a 项目类型
of 产业 under "一、基础设施" is; a row that agrees with its section, or says nothing,
takes the section's stage."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

import townplan as tp
from townplan.ledger import LedgerStore

HEADER = ["序号", "项目名称", "项目类型", "建设性质", "总投资（万元）", "政府投资（万元）"]


def _sheet(path: Path, stage_header: str, under_new: str) -> Path:
    book = openpyxl.Workbook()
    ws = book.active
    ws.append(["2013年重点项目计划表"])
    ws.append([*HEADER[:3], stage_header, *HEADER[4:]])
    ws.append(["一、续建项目"])
    ws.merge_cells("A3:F3")
    ws.append([1, "中心大道", "基础设施", "续建", 5000, 5000])
    ws.append(["（二）新开工项目"])
    ws.merge_cells("A5:F5")
    ws.append([2, "湿地公园", "民生", under_new, 3000, 3000])
    ws.append([3, "文体中心", "民生", None, 2000, 2000])  # says nothing: the section's
    book.save(path)
    return path


@pytest.mark.parametrize(("header", "field"), [("建设性质", "nature"), ("建设阶段", "stage")])
def test_a_stage_that_contradicts_its_section_is_an_error(
    tmp_path: Path, header: str, field: str
) -> None:
    path = _sheet(tmp_path / "plan.xlsx", header, "续建")
    store = LedgerStore.open(":memory:")
    with pytest.raises(tp.ValidationError) as caught:
        tp.io.import_register(store, path)
    (problem,) = caught.value.errors
    assert (problem.row, problem.column, problem.field, problem.value) == (6, "D", field, "续建")
    assert "'新开工项目'" in problem.expected and "新开工" in problem.expected
    assert store.counts()["projects"] == 0


@pytest.mark.parametrize("header", ["建设性质", "建设阶段"])
def test_a_stage_that_agrees_or_is_blank_takes_the_section(tmp_path: Path, header: str) -> None:
    word = "新建" if header == "建设性质" else "新开工"
    path = _sheet(tmp_path / "plan.xlsx", header, word)
    store = LedgerStore.open(":memory:")
    tp.io.import_register(store, path)
    stages = {p.name: p.stage for p in store.projects()}
    assert stages == {"中心大道": tp.Stage.CONTINUING, "湿地公园": tp.Stage.NEW_START,
                      "文体中心": tp.Stage.NEW_START}  # fmt: skip
