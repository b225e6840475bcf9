"""Layout B, the wide progress sheet (重点项目建设进度表), as an office lays it out,
written cell by cell. The tests check what lands in the ledger against these literal
cells, never against the importer's helpers.

A title merged across the sheet; "报送部门：…" and "单位：万元" on the line below; one
header row (or, merged, "1月" over 形象进度 | 实际完成投资); 建设起止年限 as
"2013-03/2015-12"; a pair of columns for each month of the year, filled to June (the sheet
went out in July); 自开始累积完成投资, 存在问题, 开工/计划开工时间, 资金来源, 责任单位;
"合计：2 个" at the bottom with the sums of the money columns.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Sequence
from pathlib import Path
from types import ModuleType

TITLE = "2013年重点项目建设进度表"
REPORTER = "报送部门：镇发展和改革局（盖章）"
LEFT = ("序号", "项目名称", "建设内容及规模", "建设起止年限", "总投资", "2013年计划投资",
        "自开始累积完成投资")  # fmt: skip
RIGHT = ("存在问题", "开工/计划开工时间", "资金来源", "责任单位")
MONTHS = range(1, 13)
#: (name, 内容, 年限, 总投资, 计划, 自开始累积, {month: (形象进度, 实际完成投资)}, 存在问题,
#:  开工时间, 资金来源, 责任单位)
ROWS = (
    ("中心大道二期", "道路全长3.2公里，双向六车道", "2012-03/2014-12", 12000, 5000, 6312.5,
     {1: ("路基施工", 300), 2: ("春节停工", 0), 3: ("管网铺设30%", 512.5),
      4: ("管网铺设70%", 800), 5: ("路面基层", 450), 6: ("路面基层完成50%", 250)},
     "雨季影响工期", "2012-03", "镇财政、银行贷款", "城建办"),
    ("华阳湿地生态公园", "湿地公园1200亩", "2013-03/2015-12", 23000, 6000, 2100,
     {3: ("动工", 100), 4: ("水系开挖20%", 500), 5: ("水系开挖40%", 700.25),
      6: ("水系开挖60%", 799.75)},
     "征地未完成", "2013-03-18", "社会资本", "城建办"),
)  # fmt: skip


def header(merged: bool) -> tuple[list[list[object]], list[str]]:
    """The header row(s) and their merges: flat ("1月形象进度" …) or "1月" merged over
    its pair."""
    width = len(LEFT) + 2 * len(MONTHS) + len(RIGHT)
    if not merged:
        months = [f"{m}月{w}" for m in MONTHS for w in ("形象进度", "实际完成投资")]
        return [[*LEFT, *months, *RIGHT]], []
    top: list[object] = [*LEFT, *[x for m in MONTHS for x in (f"{m}月", None)], *RIGHT]
    below: list[object] = [None] * len(LEFT) + ["形象进度", "实际完成投资"] * len(MONTHS)
    merges = [f"{_letter(c)}3:{_letter(c)}4" for c in range(len(LEFT))]
    merges += [f"{_letter(c)}3:{_letter(c)}4" for c in range(width - len(RIGHT), width)]
    merges += [f"{_letter(len(LEFT) + 2 * i)}3:{_letter(len(LEFT) + 2 * i + 1)}3"
               for i in range(len(MONTHS))]  # fmt: skip
    return [top, below], merges


def grid(merged: bool = False, count: int | None = None) -> tuple[list[list[object]], list[str]]:
    """Layout B as rows of cells (row 1 first) and its merged ranges; ``count`` is the
    number the 合计 row states (the true one unless told)."""
    head, merges = header(merged)
    width = len(head[0])
    rows: list[list[object]] = [[TITLE], [REPORTER, *[None] * (width - 2), "单位：万元"], *head]
    merges += [f"A1:{_letter(width - 1)}1", "A2:F2"]
    sums = [0.0] * (3 + len(MONTHS))  # 总投资, 计划, 累积, then each month
    for number, (name, content, years, total, plan, done, months, *right) in enumerate(ROWS, 1):
        pairs: list[object] = []
        for m in MONTHS:
            note, amount = months.get(m, (None, None))
            pairs += [note, amount]
        rows.append([number, name, content, years, total, plan, done, *pairs, *right])
        for k, value in enumerate([total, plan, done, *pairs[1::2]]):
            sums[k] += float(value or 0)
    total_row: list[object] = [f"合计：{count if count is not None else len(ROWS)} 个", None,
                               None, None, *sums[:3]]  # fmt: skip
    for m in MONTHS:
        total_row += [None, sums[2 + m] if any(m in r[6] for r in ROWS) else None]
    rows.append(total_row)
    merges.append(f"A{len(rows)}:B{len(rows)}")
    return rows, merges


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merges: Sequence[str]) -> Path:
    """The rows cell by cell with openpyxl, then the merges, as Excel keeps them."""
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "进度表"
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                sheet.cell(r, c, value)
    for cells in merges:
        sheet.merge_cells(cells)
    book.save(path)
    return path


def _offices() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "townplan_test_offices_for_b", Path(__file__).with_name("offices.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


#: What Excel's "save as CSV" writes, as layouts A and D use it.
write_csv = _offices().write_csv


def _letter(index: int) -> str:
    text, number = "", index + 1
    while number:
        number, rest = divmod(number - 1, 26)
        text = chr(65 + rest) + text
    return text
