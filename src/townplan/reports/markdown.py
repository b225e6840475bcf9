"""Render a :class:`~townplan.reports.table.Report` as Markdown.

>>> from datetime import date
>>> from townplan.reports.table import Column, Kind, Report, Table
>>> r = Report(kind="demo", title_cn="示例", title_en="Demo", as_of=date(2013, 6, 30),
...            headline=(("项目数", "Projects", 3, Kind.INT),),
...            tables=(Table("t", "表", "Table", (Column("a", "甲", "A"),), (("x",),)),))
>>> print(to_markdown(r))
# 示例
<BLANKLINE>
截至 2013-06-30
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

from townplan.reports.table import Kind, Lang, Report, Table, headline_value, text_rows

__all__ = ["to_markdown"]

_WORDS = {
    "cn": {"as_of": "截至", "indicator": "指标", "value": "数值", "none": "（无）"},
    "en": {"as_of": "As of", "indicator": "Indicator", "value": "Value", "none": "(none)"},
}
_NUMERIC = (Kind.INT, Kind.MONEY, Kind.RATE, Kind.NUMBER)


def _escape(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def _table(table: Table, lang: Lang) -> list[str]:
    lines = [f"## {table.title(lang)}", ""]
    note = table.note_cn if lang == "cn" else table.note_en
    if note:
        lines += [note, ""]
    if not table.rows:
        return [*lines, _WORDS[lang]["none"], ""]
    headers = [_escape(c.header(lang)) for c in table.columns]
    aligns = ["---:" if c.kind in _NUMERIC else "---" for c in table.columns]
    lines.append("| " + " | ".join(headers) + " |")
    lines.append("| " + " | ".join(aligns) + " |")
    for row in text_rows(table, lang):
        lines.append("| " + " | ".join(_escape(cell) for cell in row) + " |")
    return [*lines, ""]


def to_markdown(report: Report, lang: Lang = "cn") -> str:
    """The report as Markdown: title, as-of line, headline table, then each table."""
    words = _WORDS[lang]
    lines = [f"# {report.title(lang)}", ""]
    subtitle = report.subtitle_cn if lang == "cn" else report.subtitle_en
    if subtitle:
        lines += [subtitle, ""]
    lines += [f"{words['as_of']} {report.as_of.isoformat()}", ""]
    if report.headline:
        lines += [f"| {words['indicator']} | {words['value']} |", "| --- | --- |"]
        for label_cn, label_en, value, kind in report.headline:
            label = label_cn if lang == "cn" else label_en
            shown = headline_value(value, kind, lang)
            lines.append(f"| {_escape(label)} | {_escape(shown)} |")
        lines.append("")
    for table in report.tables:
        lines += _table(table, lang)
    return "\n".join(lines).rstrip() + "\n"
