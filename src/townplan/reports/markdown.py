"""Render a :class:`~townplan.reports.table.Report` as Markdown.

>>> from datetime import date
>>> from townplan.reports.table import Column, Kind, Report, Table
>>> r = Report(kind="demo", title_cn="示例", title_en="Demo", as_of=date(2013, 6, 30),
...            headline=(("项目数", "Projects", 3, Kind.INT),),
...            tables=(Table("t", "表", "Table", (Column("a", "甲", "A"),), (("x",),)),))
>>> print(to_markdown(r))
# 示例
<BLANKLINE>
截至2013年6月30日
<BLANKLINE>
| 指标 | 数值 |
| --- | --- |
| 项目数 | 3 |
<BLANKLINE>
## 表
<BLANKLINE>
| 甲 |
| --- |
| x |
"""

from __future__ import annotations

import re

from townplan.reports.cn import date_cn
from townplan.reports.table import (
    Kind,
    Lang,
    Report,
    Section,
    Table,
    headline_value,
    text_rows,
)

__all__ = ["to_markdown"]

_WORDS = {
    "cn": {"indicator": "指标", "value": "数值", "none": "（无）"},
    "en": {"indicator": "Indicator", "value": "Value", "none": "(none)"},
}
_NUMERIC = (Kind.INT, Kind.MONEY, Kind.RATE, Kind.NUMBER)


_SPECIAL = re.compile(r"([\\`*_\[\]<>|#])")


def _escape(text: str) -> str:
    """Stored text is never markup: Markdown's special characters are escaped."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _table(table: Table, lang: Lang) -> list[str]:
    lines = [f"## {_escape(table.title(lang))}", ""]
    note = table.note_cn if lang == "cn" else table.note_en
    if note:
        lines += [_escape(note), ""]
    if not table.rows:
        return [*lines, _WORDS[lang]["none"], ""]
    headers = [_escape(c.header(lang)) for c in table.columns]
    aligns = ["---:" if c.kind in _NUMERIC else "---" for c in table.columns]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("| " + " | ".join(aligns) + " |")
    for row in text_rows(table, lang):
        lines.append("| " + " | ".join(_escape(cell) for cell in row) + " |")
    return [*lines, ""]


def _section(section: Section, lang: Lang) -> list[str]:
    lines = [f"## {_escape(section.title(lang))}", ""]
    for text in section.paragraphs(lang):
        lines += [f"*{_escape(text)}*" if section.placeholder else _escape(text), ""]
    return lines


def as_of_line(report: Report, lang: Lang) -> str:
    """ "截至2013年7月15日" or "As of 2013-07-15"."""
    if lang == "cn":
        return f"截至{date_cn(report.as_of)}"
    return f"As of {report.as_of.isoformat()}"


def to_markdown(report: Report, lang: Lang = "cn") -> str:
    """The report as Markdown: title, as-of line, headline table, the text sections, then
    each table."""
    words = _WORDS[lang]
    lines = [f"# {_escape(report.title(lang))}", ""]
    subtitle = report.subtitle_cn if lang == "cn" else report.subtitle_en
    if subtitle:
        lines += [_escape(subtitle), ""]
    lines += [as_of_line(report, lang), ""]
    for note in report.notes(lang):  # what the reader must know before the figures
        lines += [f"> {_escape(note)}", ""]
    if report.headline:
        lines += [f"| {words['indicator']} | {words['value']} |", "| --- | --- |"]
        for label_cn, label_en, value, kind in report.headline:
            label = label_cn if lang == "cn" else label_en
            shown = headline_value(value, kind, lang)
            lines.append(f"| {_escape(label)} | {_escape(shown)} |")
        lines.append("")
    for section in report.sections:
        lines += _section(section, lang)
    for table in report.tables:
        lines += _table(table, lang)
    return "\n".join(lines).rstrip() + "\n"
