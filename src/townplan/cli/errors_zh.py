"""Every error the command line shows, worded in Chinese — in this one place.

townplan's errors carry their structure (:class:`~townplan.errors.FieldError`: record,
field, value, sheet, row, column; a ``reason`` and ``details`` on the others), so the
Chinese is written from that, not translated from the English message. Each error class
has its wording here: :data:`_WORDING` maps the class to the function that words it, and
the phrases a check expects (``FieldError.expected``) are in :data:`_EXPECTED`.

>>> from townplan.errors import FieldError, NotFoundError, ValidationError
>>> describe(NotFoundError("no project with code 'P9'", reason="not_found",
...                        record="project", key="P9"))
"没有项目 'P9'"
>>> print(describe(ValidationError([FieldError("row 7", "period", "2013-13",
...     "a month such as 2013-06", "进度表", 7, "C")])).replace("：", "：\\n"))
1 处问题，未写入任何内容：
工作表 '进度表'，第 7 行，C 列（月份）：
'2013-13' 不符合要求，应为形如 2013-06 的月份
"""

from __future__ import annotations

import errno
import re
import sqlite3
from collections.abc import Callable
from datetime import date
from functools import cache
from typing import Final

from townplan.errors import (
    ClosedError,
    ConflictError,
    FieldError,
    MoreThanOneError,
    NotFoundError,
    ReadOnlyError,
    SchemaError,
    StorageError,
    TownplanError,
    ValidationError,
)

__all__ = ["describe", "field_error"]

#: What a record kind is called.
_RECORDS: Final = {
    "project": "项目", "leading group": "领导小组", "task": "任务", "milestone": "任务",
    "problem": "问题", "finding": "督查发现", "indicator": "指标", "deal": "签约项目",
    "official order": "排列顺序", "export": "导出", "--headers": "--headers 文件",
    "assessment": "考核", "report": "报表", "portfolio": "生成的项目组合",
    "town ledger": "镇台账", "document": "文档", "import_register": "导入", "import": "导入",
    "import_progress": "导入",
}  # fmt: skip

#: The phrases the checks expect, in Chinese (the first pattern that matches whole).
_EXPECTED: Final[tuple[tuple[str, str], ...]] = (
    (r"a month such as '?2013-06'?(?: or '?2013年6月'?)?", "形如 2013-06 的月份"),
    (r"a (?:day|date) such as .*", "形如 2013-07-05 的日期"),
    (r"a year from (\d+) to (\d+).*", r"\1–\2 年之间的年份"),
    (r"an operator: one of (.+)", r"以下运算之一：\1"),
    (r"one of (.+)", r"以下之一：\1"),
    (r"an amount of zero or more", "不小于零的金额"),
    (r"an amount below 10¹⁵ 元", "小于 10¹⁵ 元的金额"),
    (r"an amount in whole 分.*", "精确到分的金额（元最多两位小数）"),
    (r"a project in the ledger", "台账中已有的项目（请先导入项目库）"),
    (r"a project code", "项目编号"),
    (r"a code used once in the file \(row (\d+)\)", r"文件中只出现一次的编号（第 \1 行已有）"),
    (r"a name used once in the file \(row (\d+)\)", r"文件中只出现一次的名称（第 \1 行已有）"),
    (r"an amount such as .*", "金额，例如 1000万元、2亿、1.27亿美元，或带单位的 3.5"),
    (r"a unit such as [^(]*\((--\w+)\)", r"金额单位，例如 元、万元、亿元、万美元（\1）"),
    (r"a unit such as .*", "金额单位，例如 元、万元、亿元、万美元"),
    (r"at most two decimal places \(分\).*", "最多两位小数（精确到分）"),
    (r"a deadline such as .*", "时限，例如 6月底前、上半年、年底前、用2-3年时间"),
    (r"a code \(text\), e\.g\. 'P001'", "编号（文字），例如 P001"),
    (r"a day not before planned_start (.+)", r"不早于计划开工日 \1 的日期"),
    (r"a year not before start_year (.+)", r"不早于开工年份 \1 的年份"),
    (
        r"政府投资 \+ 社会投资 = (.+) \(the total investment\)",
        r"政府投资 + 社会投资 = \1（总投资）",
    ),
    (r"a zone in the ledger \(or import with create_missing=True\)", "台账中已有的板块"),
    (r"a unit in the ledger \(or import with create_missing=True\)", "台账中已有的责任单位"),
    (
        r"one report per project and month \(row (\d+) has it\)",
        r"每个项目每月一份月报（第 \1 行已有）",
    ),
    # what a register or a progress sheet's layout, sections and totals can get wrong
    (
        r"a header townplan knows — '([^'\"\\]*)' looks like (.+) \((\w+)\); "
        r"map it with headers=\{'\1': '\3'\}, or to '' to leave it out",
        r"townplan 能识别的表头（'\1' 像是 \2，即字段 \3）：若正是此列，请在 --headers 文件的 "
        r'[headers] 中写 "\1" = "\3"；若不读此列，写 "\1" = ""',
    ),
    (
        r"a header townplan knows — (.+) looks like (.+) \((\w+)\); map it with headers=.*",
        r"townplan 能识别的表头（\1 像是 \2，即字段 \3）：请在 --headers 文件的 [headers] 中"
        r'把此表头映射为 "\3"，或映射为 "" 不读此列',
    ),
    # the field is named where the problem is: the column's field in Chinese
    (r"one column for \S+; column (\w+) already has it", r"只用一列（\1 列已是此字段）"),
    (
        r"a money unit such as 元, 万元, 亿元 or 万美元 for \S+",
        "金额单位，例如 元、万元、亿元、万美元",
    ),
    (
        r"a section of (\d+) projects, as its heading says \(rows none hold 0\)",
        r"分节标题所写的 \1 个项目（其下没有项目行）",
    ),
    (
        r"a section of (\d+) projects, as its heading says \(rows (\S+) hold (\d+)\)",
        r"分节标题所写的 \1 个项目（第 \2 行共 \3 个）",
    ),
    (r"0 projects \(rows none\)", "0 个项目（上方没有项目行）"),
    (r"(\d+) projects \(rows (\S+)\)", r"\1 个项目（第 \2 行）"),
    (r"the sum of rows none, (.+)", r"\1（上方没有项目行）"),
    (r"the sum of rows (\S+), (.+)", r"第 \1 行之和 \2"),
    (r"the sum of (.+), (\S+)", r"\1之和 \2"),
    (
        r"the category of its section (.+) \((\S+)\)",
        r"与所在分节 \1 一致的项目类别（\2）",
    ),
    (r"the stage of its section (.+) \((\S+)\)", r"与所在分节 \1 一致的建设阶段（\2）"),
    (
        r"起止年限 such as 2012-2015, 2013-03/2015-12, 2013 or -2015",
        "起止年限，例如 2012-2015、2013-03/2015-12、2013 或 -2015",
    ),
    (
        r"a 建设性质 such as (.+) \(or map it: stages=\)",
        r"建设性质，例如 \1（其他写法请在 --headers 文件的 [stages] 中写明对应的建设阶段，"
        r'如 "储备" = "前期"）',
    ),
    (r"a project name", "项目名称"),
    (
        r"a plan year for the funding plan: a year in the title or the plan's header",
        "资金计划的计划年度：标题或年度计划列表头中的年份",
    ),
    (
        r"the plan year the sheet names \((\d+), in (.+)\), or no (\S+)",
        r"表中写明的计划年度 \1（见 \2），或不给 \3",
    ),
    (
        r"no (\S+) \(column (\w+), (.+), names each row's\)",
        r"不给 \1（\2 列“\3”已写明每行的计划年度）",
    ),
    (r"the month the title names \((\S+)\), or no (\S+)", r"标题所写的月份 \1，或不给 \2"),
    (r"the month the title names \((\S+)\)", r"标题所写的月份 \1"),
    (r"the year the title names \((\d+)\), or no (\S+)", r"标题所写的年份 \1，或不给 \2"),
    (r"the name of project (\S+) \((.+)\), or no name", r"项目 \1 的名称（\2），或不填名称"),
    (
        r"(\S+), the currency of its progress reports \(a project's currency is its own once "
        r"it has progress\)",
        r"\1，即其月报的币种（项目有月报后币种不能再改）",
    ),
    (
        r"(\S+), the currency of its amounts this sheet does not give \((.+)\)",
        r"\1，即本表未给出的 \2 的币种",
    ),
    (
        r"an amount in (\S+), the currency of this row's other amounts",
        r"以 \1 计的金额（与本行其他金额同一币种）",
    ),
    (r"an amount in the project's (\S+)", r"以项目币种 \1 计的金额"),
    (r"the project's currency (\S+)", r"项目的币种 \1"),
    (
        r"a funding source of the ledger \((.+)\); map the column with "
        r"sources=\{'([^'\"\\]*)': '<source>'\}, or to '' to leave it out",
        r"台账中的资金来源（\1）：请在 --headers 文件的 [sources] 中写 "
        r'"\2" = "资金来源代码"；若不读此列，写 "\2" = ""',
    ),
    (
        r"a funding source of the ledger \((.+)\); map the column with sources=.*",
        r"台账中的资金来源（\1）：请在 --headers 文件的 [sources] 中映射此列，"
        r'或映射为 "" 不读此列',
    ),
    (
        r"a name that names one project \(it names (.+)\)",
        r"只对应一个项目的名称（此名称对应 \1）",
    ),
    (r"the month (\S+) the import was given", r"导入时给出的月份 \1"),
    (
        r"a sheet with a pair of columns per month \((\S+) is for those\)",
        r"每月一对列的工作表（\1 只用于这种表）",
    ),
    (
        r"either a (\S+) column or a pair of columns per month, not both",
        r"\1 列或每月一对列，二者只能有其一",
    ),
    (r"the year of (\S+) \((.+)\)", r"\1 所在的年份（\2）"),
    (r"a month the sheet has columns for \((.+)\)", r"表中有列的月份（\1）"),
    (
        r"a year in the title \(2013年…\) or (\S+) for the import",
        r"标题中的年份（2013年…）或导入时的 \1",
    ),
    (
        r"a sheet within townplan's limits \(sheet (.+) reaches column ([\d,]+); "
        r"at most ([\d,]+)\)",
        r"townplan 能读取的工作表（工作表 \1 用到第 \2 列，最多 \3 列）",
    ),
    (
        r"a sheet within townplan's limits \(sheet (.+) spans more than ([\d,]+) cells\)",
        r"townplan 能读取的工作表（工作表 \1 超过 \2 个单元格）",
    ),
    (
        r"a sheet within townplan's limits \(it declares a DOCTYPE\)",
        "townplan 能读取的工作簿（此文件声明了 DOCTYPE，townplan 不读这样的文件）",
    ),
    (
        r"a sheet within townplan's limits \(it unpacks to more than ([\d,]+) bytes\)",
        r"townplan 能读取的工作簿（此文件解压后超过 \1 字节）",
    ),
    (
        r"a sheet within townplan's limits \(it lacks its part (.+)\)",
        r"townplan 能读取的工作簿（此文件缺少部件 \1）",
    ),
    (r"a sheet within townplan's limits \((.+)\)", r"townplan 能读取的工作表（\1）"),
    (
        r"a line of at most ([\d,]+) columns \(this one has ([\d,]+); read as (.+)\)",
        r"每行最多 \1 列（此行有 \2 列；按 \3 编码读取）",
    ),
    (
        r"a file of at most ([\d,]+) cells \(read as (.+)\)",
        r"最多 \1 个单元格的文件（按 \2 编码读取）",
    ),
    (
        r"well-formed CSV \(field larger than field limit \((\d+)\); read as (.+)\)",
        r"格式正确的 CSV（有一格超过 \1 个字符的上限；按 \2 编码读取）",
    ),
    (r"well-formed CSV \((.+); read as (.+)\)", r"格式正确的 CSV（\1；按 \2 编码读取）"),
    (r"a file that can be read \(Permission denied\)", "能读取的文件（没有权限）"),
    (r"a file that can be read \(Is a directory\)", "能读取的文件（这是一个目录）"),
    (r"a file that can be read \(No such file or directory\)", "能读取的文件（文件不存在）"),
    (r"a file that can be read \((.+)\)", r"能读取的文件（\1）"),
    (
        r"a header row in the first 20 rows naming at least two known columns, including (.+)",
        r"前 20 行中的表头行，至少有两个可识别的列名，并含 \1",
    ),
    (
        r"a header row in the first 20 rows naming at least two known columns",
        "前 20 行中的表头行，至少有两个可识别的列名",
    ),
    (r"a column headed 项目编号 \(or 项目名称\)", "表头为 项目编号（或 项目名称）的列"),
    (r"a column headed (.+)", r"表头为 \1 的列"),
    (
        r"a 月份 column, a month in the title \(2013年6月…\) or (\S+) for the import",
        r"月份列、标题中的月份（2013年6月…）或导入时的 \1",
    ),
    (r"a workbook that opens.*", "能打开的工作簿（此文件已损坏或不是电子表格）"),
    (r"a sheet named (.+); the workbook has (.+)", r"名为 \1 的工作表（工作簿中有 \2）"),
    (r"a workbook with at least one worksheet", "至少有一张工作表的工作簿"),
    (r"a visible worksheet.*", "可见的工作表（所有工作表都已隐藏，请用 --sheet 指定）"),
    (r"a text file in UTF-8.*", "UTF-8（可带 BOM）、GB18030/GBK 或 UTF-16 编码的文本文件"),
    (r"a path ending \.xlsx or \.csv", "以 .xlsx 或 .csv 结尾的路径"),
    (r"a name of the ledger's units", "台账中已有的责任单位"),
    (r"a name of the ledger's zones", "台账中已有的板块"),
    (r"each name once", "每个名称只出现一次"),
    (r"a list of names", "名称列表"),
    (r"'zones' or 'units'", "zones 或 units"),
    (r"a 项目类别 for a new project: (.+)", r"新项目的项目类别：\1"),
    (r"a zone in the ledger", "台账中已有的板块"),
    (r"a unit in the ledger", "台账中已有的责任单位"),
    (r"codes not already in the ledger", "台账中还没有的编号（换一个 --seed 或 --town）"),
    (r"(.+), the name it was rolled up under", r"\1（此前汇总时用的镇名）"),
    # what a sheet's cells, an option or a mapping file can get wrong
    (
        r"a month like 2013-06|a month, e\.g\. '2013-06'|text such as '2013-06'",
        "形如 2013-06 的月份",
    ),
    (
        r"a period such as .*",
        "月份、季度、半年或年份，例如 2013-06、2013-Q2、2013-H1、2013、2013年6月",
    ),
    (r"a year(?: such as 2013)?", "年份，例如 2013"),
    (r"an ISO date such as '(.+)'|a date or 'YYYY-MM-DD'", "形如 2013-06-30 的日期"),
    (
        r"a funding source of the ledger \(its code, name or an alias\)",
        "台账中的资金来源（代码、名称或别名）",
    ),
    (
        r"a funding source of the ledger for '(.+)' \(given '(.+)'; the ledger has (.+)\)",
        r"台账中的资金来源（'\1' 映射为 '\2'，台账中没有此来源；台账中有：\3）",
    ),
    (r"a table of header = field, e\.g\. (.+)", r"“表头 = 字段”的对照表，例如 \1"),
    (
        r"a table of source column = funding source, e\.g\. (.+)",
        r"“来源列 = 资金来源”的对照表，例如 \1",
    ),
    (r"a table of 建设性质 = stage, e\.g\. (.+)", r"“建设性质 = 阶段”的对照表，例如 \1"),
    (r"a row as the file's header says", "与表头一致的一行"),
    (r"a decimal number(?: \(text, int or Decimal\))?", "数值"),
    (r"a decimal number \(text, int or Decimal\) toward the task's target", "朝向任务目标的数值"),
    (r"a whole number of 1 or more", "不小于 1 的整数"),
    (r"a whole number from 0 to 2⁶³ − 1|an integer \(64-bit\)", "0 至 2⁶³ − 1 之间的整数"),
    (r"a whole number 0–(\d+).*", r"0–\1 之间的整数"),
    (r"a day of the month from 1 to 31", "1 至 31 之间的日"),
    (r"a number of months from 0 to 12|0 or more months", "0 至 12 之间的月数"),
    (r"an amount below 10¹⁵", "小于 10¹⁵ 元的金额"),
    (r"text such as '1000万元'|Money or text such as '1000万元'", "金额，例如 1000万元"),
    (
        r"an ISO 4217 code of three capital letters.*",
        "三个大写字母的 ISO 4217 币种代码，例如 CNY、USD",
    ),
    (r"an IANA zone such as 'Asia/Shanghai'", "时区名称，例如 Asia/Shanghai"),
    (r"amounts in one currency.*|plans in one currency.*|tiers in one currency", "同一币种的金额"),
    (r"a non-empty name", "非空的名称"),
    (
        r"a name: non-empty text without control characters or '/'",
        "名称：不含控制字符或“/”的非空文字",
    ),
    (r"(?:valid Unicode text|text that is valid Unicode)", "有效的 Unicode 文字"),
    (
        r"text without control characters \(at most (\d+) characters\)",
        r"不含控制字符的文字（最多 \1 个字符）",
    ),
    (
        r"(?:non-empty )?text without control characters(?: \(at most (\d+) characters\))?",
        "不含控制字符的文字",
    ),
    (r"text without control characters or lone surrogates", "不含控制字符或孤立代理项的文字"),
    (r"at most (\d+) characters", r"最多 \1 个字符"),
    (r"the deadline as written: .*|deadline text", "时限原文（不含控制字符的非空文字）"),
    (r"non-empty text to search for", "要搜索的非空文字"),
    (r"a town(?:'s)? name.*", "镇名：不含 / \\ = 或控制字符的文字"),
    (r"the currency of government_min", "与政府投资门槛相同的币种"),
    (r"a whole number of zero or more", "不小于 0 的整数"),
    (r"a whole number of days from 0 to 366", "0 至 366 之间的天数"),
    (r"'亿', '万' or ''", "亿、万或空（元）"),
    (r"a JSON object", "JSON 对象"),
    # what a file given to an import is not
    (
        r"a file with a header row and data \(this file is empty\)",
        "有表头行和数据的文件（此文件是空的）",
    ),
    (
        r"a workbook \(\.xlsx, \.xlsm, \.xls, \.xlsb, \.ods\) or a \.csv file",
        "工作簿（.xlsx、.xlsm、.xls、.xlsb、.ods）或 .csv 文件",
    ),
    (
        r"a workbook, to name a sheet in \(a \.csv file is one sheet\)",
        "工作簿（.csv 文件只有一张表，无需 --sheet）",
    ),
    (
        r"a JSON document, as townplan export json writes it "
        r"\(not JSON at line (\d+), column (\d+)\)",
        r"townplan export json 写出的 JSON 文档（第 \1 行第 \2 列起不是 JSON）",
    ),
    (
        r"a JSON document, as townplan export json writes it \(not UTF-8 text\)",
        "townplan export json 写出的 JSON 文档（此文件不是 UTF-8 文本）",
    ),
    (r"(\d+) \(this townplan reads (\d+)\)", r"\1（此版本 townplan 读取第 \2 版文档）"),
    (r"only the sections (.+)", r"只含以下部分：\1"),
    (r"a table of the ledger's schema: (.+)", r"台账结构中的表：\1"),
    (
        r"a column of (\S+): (.+), holding text, a number or null",
        r"表 \1 的列：\2，值为文字、数字或 null",
    ),
    (r"a whole number from 1 or null", "不小于 1 的整数或 null"),
    (r"a whole number from 1", "不小于 1 的整数"),
    (r"non-empty text", "非空文字"),
    (r"text", "文字"),
    # what a record must not repeat
    (r"a code not already in the ledger", "台账中还没有的编号"),
    (r"a name not already in the ledger", "台账中还没有的名称"),
    (r"a code not already (?:used|raised)", "尚未使用的编号"),
    (r"a name not already used", "尚未使用的名称"),
    (r"a code used once in the batch", "本批中只出现一次的编号"),
    (r"one procedure of a kind per project", "每个项目每种手续只有一条"),
    (r"1 to ([\d,]+) projects", r"1 至 \1 个项目"),
    (r"True or False|a bool", "True 或 False"),
    # what an export cannot write
    (
        r"at most ([\d,]+) rows in an \.xlsx sheet \(write a \.csv instead\)",
        r".xlsx 工作表最多 \1 行（请改为导出 .csv）",
    ),
    (
        r"text of at most ([\d,]+) characters, which an \.xlsx cell holds "
        r"\(write a \.csv instead\)",
        r".xlsx 单元格最多容纳 \1 个字符的文本（请改为导出 .csv）",
    ),
    (r"a value an \.xlsx cell holds", ".xlsx 单元格能容纳的值"),
    (
        r"the projects as they were when the export began .*",
        "导出开始时的项目（导出期间另一程序写入了台账，未写出文件，请重新导出）",
    ),
)

_SCHEMA: Final = {
    "not_sqlite": "{path} 不是可读的 SQLite 数据库，townplan 不会改动它",
    "not_a_ledger": "{path} 不是 townplan 台账文件，townplan 不会改动它",
    "no_file": "没有台账文件 {path}",
    "newer_schema": "{path} 由更新版本的 townplan 写入（结构版本 {version}），请升级 townplan",
    "read_only_migration": "{path} 的结构版本 {version} 需要升级，只读打开时无法升级",
}

_REASONS: Final = {
    errno.ENOENT: "文件或目录不存在",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EISDIR: "这是一个目录",
    errno.ENOSPC: "磁盘空间不足",
    errno.ENOTDIR: "路径中有一段不是目录",
}

_CJK: Final = re.compile(r"[\u4e00-\u9fff]")


def expected_zh(expected: str) -> str:
    """What a check expects, in Chinese (as written when no phrase above matches).

    >>> expected_zh("the sum of rows 11–12, 18000万元")
    '第 11–12 行之和 18000万元'
    >>> expected_zh("the sum of 中央 in column J, 市级/财政 in column K, 1200万元")
    '中央（J 列）、市级/财政（K 列）之和 1200万元'
    >>> expected_zh("a 项目类别 for a new project: 基础设施、产业、民生 or 城市更新")
    '新项目的项目类别：基础设施、产业、民生或城市更新'
    """
    for pattern, template in _EXPECTED:
        found = re.fullmatch(pattern, expected)
        if found:
            # a list of Chinese words the check joined in English ("民生 or 城市更新"), and
            # the columns a check names by letter ("市级 in column K, 区级 in column L")
            return _IN_COLUMN.sub(_in_column, _OR.sub("或", found.expand(template)))
    return expected


_OR: Final = re.compile(r"(?<=[\u4e00-\u9fff]) or (?=[\u4e00-\u9fff])")
_IN_COLUMN: Final = re.compile(r" in column ([A-Z]{1,3})(, (?=[^,]+ in column [A-Z]))?")


def _in_column(found: re.Match[str]) -> str:
    return f"（{found[1]} 列）" + ("、" if found[2] else "")


@cache
def _labels() -> dict[str, str]:
    from townplan.model.fields import described
    from townplan.model.records import ProgressReport, Project

    labels: dict[str, str] = {**_GENERAL_LABELS, **_SHEET_LABELS}
    for record in (ProgressReport, Project):
        labels.update({name: info.label_cn for name, info in described(record).items()})
    return labels


#: The columns of a register or progress sheet that are no record's field, and its
#: section headings ("一、基础设施（4项）").
_SHEET_LABELS: Final = {"years": "起止年限", "nature": "建设性质", "section": "分节标题",
                        "seq": "序号", "year_to_date": "本年累计完成", "year": "年份"}  # fmt: skip


#: Records whose fields are a project's or a monthly report's (a sheet's row, a project,
#: a report, their sections of a JSON document, what an import is given); other records'
#: fields (a unit's name, a funding source's) are not called by a project's labels.
_PROJECT_LIKE: Final = re.compile(
    r"row \d+|(?:projects?|progress|progressreport|project_version)\b.*|(?:projects|progress)\[.*"
    r"|import_(?:register|progress)",
    re.IGNORECASE,
)


def _label(record: str | None, field: str | None) -> str | None:
    """What ``field`` of ``record`` is called in Chinese (the field as written if unknown)."""
    if not field:
        return None
    if field.startswith("funding:"):  # a register's source column: "funding:市级/财政"
        return f"资金来源 {field.removeprefix('funding:')}"
    labels = _labels()
    if record in _ARGUMENT_LABELS:
        labels = _ARGUMENT_LABELS[record]
    elif record is not None and not _PROJECT_LIKE.fullmatch(record):
        labels = _GENERAL_LABELS
    return labels.get(field, field)


_GENERAL_LABELS: Final = {"units": "责任单位", "zones": "板块", "kind": "类别", "seed": "种子",
                          "town": "镇", "name": "名称", "code": "编号"}  # fmt: skip
#: The fields of what an import is given (``unit=``), by record.
_ARGUMENT_LABELS: Final = {"import": {"unit": "金额单位"}}


def _record(record: str | None) -> str | None:
    if record is None or re.fullmatch(r"row \d+", record):
        return None  # a row of a sheet: the row says where
    kind, _, rest = record.partition(" ")
    if record.startswith("town ledger "):
        kind, rest = "town ledger", record.removeprefix("town ledger ")
    name = _RECORDS.get(record) or _RECORDS.get(kind.lower())
    if name is None:
        return record
    return f"{name} {rest}" if record not in _RECORDS and rest else name


def field_error(error: FieldError) -> str:
    """One problem, in Chinese: where, the value, what was expected."""
    parts = []
    if error.sheet is not None:
        parts.append(f"工作表 {error.sheet!r}")
    if error.row is not None:
        parts.append(f"第 {error.row} 行")
    if error.column is not None:
        parts.append(f"{error.column} 列")
    where = "，".join(parts)
    record = _record(error.record)
    field = _label(error.record, error.field)
    what = "·".join(p for p in (record, field) if p)
    if error.index is not None:  # the position in a list, counted from 1
        what = f"{what} 第 {error.index + 1} 项" if what else f"第 {error.index + 1} 项"
    if what:
        where = f"{where}（{what}）" if where else what
    shown = "空" if error.value in (None, "") else repr(error.value)
    return f"{where or '输入'}：{shown} 不符合要求，应为{expected_zh(error.expected)}"


def _problems(errors: tuple[FieldError, ...], lead: str) -> str:
    shown = [field_error(e) for e in errors[:5]]
    more = f"（另有 {len(errors) - 5} 处）" if len(errors) > 5 else ""
    return f"{len(errors)} 处{lead}，未写入任何内容：" + "；".join(shown) + more


def _validation(exc: TownplanError) -> str:
    assert isinstance(exc, ValidationError)
    return _problems(exc.errors, "问题")


def _conflict(exc: TownplanError) -> str:
    assert isinstance(exc, ConflictError)
    if exc.errors:
        return _problems(exc.errors, "与台账不符")
    return _as_given(exc, "与台账不符")


def _not_found(exc: TownplanError) -> str:
    if exc.reason == "nothing_to_report":  # a report of a period the ledger holds nothing of
        d = exc.details
        day = d["day"]
        from townplan.reports.cn import date_cn  # reports load when used

        when = date_cn(day) if isinstance(day, date) else str(day)
        return (f"没有可生成{d['report_cn']}的数据：截至{when}，台账中没有{d['missing_cn']}"
                f"（{d['hint_cn']}）")  # fmt: skip
    if exc.reason == "not_found":
        record = _RECORDS.get(str(exc.details.get("record")), str(exc.details.get("record")))
        return f"没有{record} {exc.details.get('key')!r}"
    return _as_given(exc, "未找到")


_KINDS: Final = {"table": "表", "trigger": "触发器", "view": "视图", "index": "索引"}


def _foreign_schema(exc: TownplanError) -> str:
    d = exc.details
    found: tuple[tuple[str, str, str, bool], ...] = d["found"]  # type: ignore[assignment]
    named = []
    for kind, name, table, changed in found[:8]:
        notes = [f"在表 {table} 上"] if kind in ("trigger", "index") and table != name else []
        notes += ["与 townplan 创建的不同"] if changed else []
        named.append(
            f"{_KINDS.get(kind, kind)} {name}" + (f"（{'，'.join(notes)}）" if notes else "")
        )
    more = f"等 {len(found)} 个" if len(found) > 8 else ""
    if {kind for kind, *_ in found} & {"trigger", "view"}:
        why = "触发器和视图是文件会在 townplan 读写时自行运行的代码，因此 townplan 不打开这样的文件"
    else:
        why = "townplan 只打开结构由它创建的文件"
    drops: tuple[str, ...] = d["drops"]  # type: ignore[assignment]
    fix = ""
    if drops:
        shown = " ".join(drops[:4]) + (" …" if len(drops) > 4 else "")
        fix = f"；请在副本中删除它们（sqlite3 命令行：{shown}）后打开副本"
    if any(changed for *_, changed in found):
        fix += "；townplan 自己的对象被改动后无法手工复原，请打开 townplan 写出的最近一份副本"
    return (f"{d['path']} 含有 townplan 在结构版本 {d['version']} 中没有创建的内容："
            f"{'；'.join(named)}{more}。{why}，也没有在其中运行任何内容{fix}")  # fmt: skip


def _schema(exc: TownplanError) -> str:
    if exc.reason == "foreign_schema" and "found" in exc.details:
        return _foreign_schema(exc)
    template = _SCHEMA.get(exc.reason or "")
    if template is not None:
        return template.format(**exc.details)
    return _as_given(exc, "台账文件有误")


def _as_given(exc: BaseException, lead: str) -> str:
    """A message already in Chinese as it is; otherwise its kind in Chinese, the detail
    (a path, a code) as given."""
    text = " ".join(str(exc).split())
    if not text:
        return lead
    return text if _CJK.search(text) else f"{lead}：{text}"


#: Each error class and how it is worded (the most specific class first).
_WORDING: Final[tuple[tuple[type[TownplanError], Callable[[TownplanError], str]], ...]] = (
    (ValidationError, _validation),
    (ClosedError, lambda exc: "台账已关闭，请重新打开"),
    (ConflictError, _conflict),
    (NotFoundError, _not_found),
    (MoreThanOneError, lambda exc: _as_given(exc, "找到不止一条记录")),
    (SchemaError, _schema),
    (ReadOnlyError, lambda exc: "这是台账某日的只读视图（as of），不能写入"),
    (StorageError, lambda exc: _as_given(exc, "台账文件读写失败")),
    (TownplanError, lambda exc: _as_given(exc, "错误")),
)


def describe(exc: BaseException) -> str:
    """``exc`` as one line of Chinese."""
    if isinstance(exc, OSError):
        reason = _REASONS.get(exc.errno or 0)
        where = exc.filename if exc.filename is not None else ""
        if reason is not None:
            return f"无法读写 {where}：{reason}" if where else reason
        return f"无法读写 {where}：{exc.strerror or exc}"
    if isinstance(exc, sqlite3.Error):
        return f"数据库出错：{' '.join(str(exc).split())}"
    for cls, word in _WORDING:
        if isinstance(exc, cls):
            return word(exc)
    return " ".join(str(exc).split()) or type(exc).__name__
