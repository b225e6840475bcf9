"""How an .xlsx cell style shows a number: as itself, a date, an elapsed time or a percentage.

A style names a number format by id. Ids from 164 up are defined in ``xl/styles.xml``;
lower ones are built into Excel, and a workbook may use them without defining them. Besides
the dates every locale knows (ids 14–22 and 45–47), the Chinese (zh-CN) Excel and WPS write
ids 27–36 and 50–58 for their 年月日 date and 时分秒 time formats (ECMA-376 Part 1
§18.8.30) — dates here too. A format of the workbook's own is a date when its first section
holds a date or time code outside quoted or bracketed text.

>>> [style_kind(builtin(i)) == DATE for i in (14, 22, 27, 31, 34, 57, 58)]
[True, True, True, True, True, True, True]
>>> builtin(31), builtin(4)
('yyyy"年"m"月"d"日"', 'General')
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["DATE", "ELAPSED", "NUMBER", "PERCENT", "builtin", "style_kind"]

# How a cell style shows a number: as itself, as a date, as an elapsed time, as a percentage.
NUMBER: Final = 0
DATE: Final = 1
ELAPSED: Final = 2
PERCENT: Final = 3

_YEAR_MONTH: Final = 'yyyy"年"m"月"'
_MONTH_DAY: Final = 'm"月"d"日"'
_HOUR_MINUTE: Final = '上午/下午h"时"mm"分"'
_HOUR_SECOND: Final = '上午/下午h"时"mm"分"ss"秒"'
# The built-in formats that show a date or time or a percentage; every other built-in id
# shows a plain number (its code does not matter here, so "General" stands for it).
_BUILTIN: Final = {
    9: "0%", 10: "0.00%", 14: "mm-dd-yy", 15: "d-mmm-yy", 16: "d-mmm", 17: "mmm-yy",
    18: "h:mm AM/PM", 19: "h:mm:ss AM/PM", 20: "h:mm", 21: "h:mm:ss", 22: "m/d/yy h:mm",
    45: "mm:ss", 46: "[h]:mm:ss", 47: "mmss.0",
    # zh-CN
    27: _YEAR_MONTH, 28: _MONTH_DAY, 29: _MONTH_DAY, 30: "m-d-yy", 31: 'yyyy"年"m"月"d"日"',
    32: 'h"时"mm"分"', 33: 'h"时"mm"分"ss"秒"', 34: _HOUR_MINUTE, 35: _HOUR_SECOND,
    36: _YEAR_MONTH, 50: _YEAR_MONTH, 51: _MONTH_DAY, 52: _YEAR_MONTH, 53: _MONTH_DAY,
    54: _MONTH_DAY, 55: _HOUR_MINUTE, 56: _HOUR_SECOND, 57: _YEAR_MONTH, 58: _MONTH_DAY,
}  # fmt: skip
# Quoted text and bracketed text other than elapsed-time codes ([h], [mm], [ss]) — a
# locale such as [$-804], a currency such as [$¥-804], a colour — show no date part,
# whatever letters they hold; nor does a character after "_" (a space as wide as it) or
# "\" (itself).
_LITERAL: Final = re.compile(r'".*?"|\[(?!hh?\]|mm?\]|ss?\])[^\]]*\]')
_DATE_CODE: Final = re.compile(r"(?<![_\\])[dmhysDMHYS]")
_ELAPSED: Final = re.compile(
    r"\[hh?\](:mm(:ss(\.0*)?)?)?|\[mm?\](:ss(\.0*)?)?|\[ss?\](\.0*)?", re.IGNORECASE
)


def builtin(number_format_id: int) -> str:
    """The code of a built-in number format, as far as it matters for dates and
    percentages ("General" for the ones that show a plain number).

    >>> builtin(14), builtin(9), builtin(33)
    ('mm-dd-yy', '0%', 'h"时"mm"分"ss"秒"')
    """
    return _BUILTIN.get(number_format_id, "General")


def style_kind(code: str) -> int:
    """How a number format code shows a number (:data:`NUMBER`, :data:`DATE`,
    :data:`ELAPSED` or :data:`PERCENT`); only its first section counts for dates, as in
    Excel.

    >>> [style_kind(c) for c in ("0.00", 'yyyy"年"m"月"d"日"', "[h]:mm", "0.0%", '"d"0')]
    [0, 1, 2, 3, 0]
    >>> [style_kind(c) for c in ("[$-804]yyyy年m月d日", '"开工日期"@', "[$¥-804]#,##0.00")]
    [1, 0, 0]
    """
    first = code.split(";")[0]
    if _DATE_CODE.search(_LITERAL.sub("", first)):
        return ELAPSED if _ELAPSED.search(first) else DATE
    return PERCENT if "%" in code else NUMBER
