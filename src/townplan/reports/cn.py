"""How Chinese official documents write dates, lists, numbers and month ranges.

One place for the conventions every Chinese output follows (Markdown, HTML, Word, the
command line): dates in Arabic numerals with 年月日, list items joined by 、, rates and
amounts with one or two decimals and thousands separators, "1月" rather than "1-1月".

>>> from datetime import date
>>> from decimal import Decimal
>>> date_cn(date(2013, 7, 15))
'2013年7月15日'
>>> join_cn(["“三重”办", "党政办", "城建办"])
'“三重”办、党政办、城建办'
>>> months_cn(1), months_cn(6)
('1月', '1-6月')
>>> number(Decimal("875800"), 2), number(Decimal("0.38059846"), 1, percent=True)
('875,800.00', '38.1%')
>>> month_cn(2013, 6)
'2013年6月'
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from townplan.model.period import Period

__all__ = ["date_cn", "join_cn", "month_cn", "month_runs", "months_cn", "number"]


def date_cn(day: date) -> str:
    """A date as a 公文 writes its 成文日期: "2013年7月15日" (no leading zeros)."""
    return f"{day.year}年{day.month}月{day.day}日"


def month_cn(year: int, month: int) -> str:
    """A month: "2013年6月"."""
    return f"{year}年{month}月"


def months_cn(index: int) -> str:
    """The months from January to ``index``: "1-6月", and "1月" for January alone."""
    return "1月" if index == 1 else f"1-{index}月"


def month_runs(months: Iterable[Period], lang: str = "cn") -> str:
    """Months of one or more years as runs: "2013年1-5月、8月" or "2013-01 to 2013-05,
    2013-08".

    >>> runs = [Period.parse(m) for m in ("2013-01", "2013-02", "2013-03", "2013-08")]
    >>> month_runs(runs), month_runs(runs, "en")
    ('2013年1-3月、8月', '2013-01 to 2013-03, 2013-08')
    """
    ordered = sorted(set(months), key=lambda m: (m.year, m.index))
    runs: list[list[Period]] = []
    for month in ordered:
        last = runs[-1][-1] if runs else None
        if last is not None and last.year == month.year and last.index + 1 == month.index:
            runs[-1].append(month)
        else:
            runs.append([month])
    if lang != "cn":
        return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]} to {r[-1]}" for r in runs)
    parts, year = [], None
    for run in runs:
        first, last = run[0], run[-1]
        span = f"{first.index}月" if first is last else f"{first.index}-{last.index}月"
        parts.append(span if first.year == year else f"{first.year}年{span}")
        year = first.year
    return join_cn(parts)


def join_cn(items: Iterable[str]) -> str:
    """List items joined with the enumeration comma 、 (顿号)."""
    return "、".join(items)


def number(value: Decimal | int, places: int, *, percent: bool = False) -> str:
    """A number with ``places`` decimals (half-up) and thousands separators; ``percent``
    shows a fraction as a percentage."""
    amount = Decimal(value) * (100 if percent else 1)
    rounded = amount.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return f"{rounded:,f}" + ("%" if percent else "")
