"""Registers laid out as offices lay them out (layouts A–D of the sheet-layouts note),
written cell by cell, merged cells and all. The tests check what lands in the ledger
against these literal cells, never against the importer's helpers.

- A 省市级重点建设项目计划表: title, "单位：万元", a two-row merged header with
  "2013年计划" over 投资 | 主要建设内容, section rows merged across the row, a 小计 after
  each section and 合计（6项） at the bottom, no code column.
- D a system export: one header row, national project codes, mixed units per column
  (总投资 in 亿元, the rest in 万元), a completion rate shown as a percentage.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path

TITLE_A = "2013年省市级重点建设项目计划表"
HEADER_A = (
    "序号", "项目名称", "项目法人", "建设性质", "项目类型", "建设地点", "主要建设内容及规模",
    "建设起止年限", "总投资", "2012年底累计完成投资", "2013年计划", None, "形象进度",
    "责任单位", "包联领导", "备注",
)  # fmt: skip
SUBHEADER_A = (None,) * 10 + ("投资", "主要建设内容") + (None,) * 4
#: (section, [(name, 法人, 性质, 类型, 地点, 内容, 年限, 总投资, 累计, 计划投资, 计划内容,
#:   形象进度, 责任单位, 包联领导, 备注)])
SECTIONS_A = (
    ("一、基础设施（3项）", (
        ("中心大道二期", "镇城建办", "续建", "基础设施", "麻涌镇", "道路全长3.2公里，双向六车道",
         "2012-2014", 12000, 4000, 5000, "完成路基及管网", "路基完成60%", "城建办", "张三", None),
        ("东环路改造", "镇交通分局", "新建", "基础设施", "新基村", "改造道路2.1公里",
         "2013—2015年", 8000, 0, 3000, "完成一期", "前期", "交通分局", "李四", None),
        ("新沙港二期", "港务公司", "续建", "基础设施", "新沙", "建设4个泊位",
         "2011-2014", 65000, 30000, 20000, "码头主体完成", "码头主体", "经济贸易办公室", "王五",
         "省重点"),
    )),
    ("二、产业（2项）", (
        ("玉柴产业园", "玉柴集团", "新建", "产业", "大盛", "厂房20万平方米",
         "2013年", 30000, 0, 10000.5, "一期厂房", "动工", "经济贸易办公室", "赵六", None),
        ("中粮产业园扩建", "中粮集团", "扩建", "产业", "现代临港产业区", "扩建生产线",
         "2013.03-2015.12", 45000, 5000, 15000, "二期投产", "设备安装", "经济贸易办公室", "赵六",
         None),
    )),
    ("三、民生（1项）", (
        ("新医院", "镇卫生院", "竣工", "民生", "麻一村", "床位300张",
         "2011-2013", 18000, 16000, 2000, "竣工验收", "竣工", "卫生办", "钱七", None),
    )),
)  # fmt: skip
#: Where each money column of A is (0-based), in the order 总投资, 累计, 计划投资.
MONEY_COLUMNS_A = (8, 9, 10)

TITLE_D = "重点项目库导出"
HEADER_D = (
    "项目名称", "项目代码", "项目工期", "责任单位", "建设单位", "项目类型", "总投资（亿元）",
    "年度计划投资（万元）", "年度累计完成投资（万元）", "年度投资完成率", "建设性质",
)  # fmt: skip
ROWS_D = (
    ("华阳湿地生态公园", "2013-441900-48-01-000123", "2013-03/2015-12", "城建办", "麻涌镇人民政府",
     "民生", 2.5, 8000, 3200, 0.4, "新建"),
    ("智慧城市科技园", "2012-441900-65-03-000456", "2012-2016", "经济贸易办公室", "东莞某科技公司",
     "产业", 12.8, 30000, 12000, 0.4, "续建"),
    ("文化体育公园", "2013-441900-89-01-000789", "2013年", "文广中心", "麻涌镇人民政府",
     "民生", 0.95, 9500, 9500, 1, "新建"),
)  # fmt: skip


def grid_a() -> tuple[list[list[object]], list[str]]:
    """Layout A as rows of cells (1-based rows as in the sheet) and its merged ranges."""
    rows: list[list[object]] = [[TITLE_A], [None] * 14 + ["单位：万元"], list(HEADER_A),
                                list(SUBHEADER_A)]  # fmt: skip
    merges = ["A1:P1", "K3:L3"]
    merges += [f"{c}3:{c}4" for c in "ABCDEFGHIJMNOP"]
    number = 0
    totals = [0.0, 0.0, 0.0]
    for section, projects in SECTIONS_A:
        rows.append([section])
        merges.append(f"A{len(rows)}:P{len(rows)}")
        sub = [0.0, 0.0, 0.0]
        for project in projects:
            number += 1
            rows.append([number, *project])
            for k, i in enumerate(MONEY_COLUMNS_A):
                sub[k] += float(project[i - 1])  # type: ignore[arg-type]
        rows.append(["小计", None, None, None, None, None, None, None, *sub])
        totals = [a + b for a, b in zip(totals, sub, strict=True)]
    rows.append([f"合计（{number}项）", None, None, None, None, None, None, None, *totals])
    return rows, merges


def grid_d() -> list[list[object]]:
    return [[TITLE_D], list(HEADER_D), *[list(r) for r in ROWS_D]]


def write_xlsx(path: Path, rows: Sequence[Sequence[object]], merges: Sequence[str] = (),
               percent_column: int | None = None) -> Path:  # fmt: skip
    """The rows cell by cell with openpyxl, then the merges, as Excel keeps them (a merged
    range holds its value in its top-left cell only)."""
    import openpyxl

    book = openpyxl.Workbook()
    ws = book.active
    ws.title = "项目库"
    for r, row in enumerate(rows, 1):
        for c, value in enumerate(row, 1):
            if value is not None:
                ws.cell(r, c, value)
                if percent_column is not None and c == percent_column + 1 and r > 2:
                    ws.cell(r, c).number_format = "0%"
    for cells in merges:
        ws.merge_cells(cells)
    hidden = book.create_sheet("填表说明")  # an instructions sheet, hidden as offices do
    hidden.append(["项目编号", "项目名称", "说明"])
    hidden.append(["X1", "示例", "请勿导入"])
    hidden.sheet_state = "hidden"
    book.save(path)
    return path


def write_csv(path: Path, rows: Sequence[Sequence[object]], encoding: str = "gbk") -> Path:
    """What Excel's "save as CSV" writes: merged cells keep only their first cell, numbers
    as shown, in the office's code page."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if v is None else _shown(v) for v in row])
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def _shown(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)
