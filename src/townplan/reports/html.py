"""Render a report as one standalone HTML page (inline style, no external files).

Every piece of text is escaped; traffic lights get a coloured badge.

>>> from datetime import date
>>> from townplan.reports.table import Column, Kind, Report, Table
>>> r = Report(kind="demo", title_cn="示例<通报>", title_en="Demo", as_of=date(2013, 6, 30),
...            headline=(), tables=(Table("t", "表", "Table", (Column("a", "甲", "A"),),
...                                         (("<b>",),)),))
>>> page = to_html(r)
>>> "示例&lt;通报&gt;" in page and "&lt;b&gt;" in page and "<b>" not in page
True
"""

from __future__ import annotations

import base64
from html import escape

from townplan.model.enums import Light
from townplan.reports.markdown import as_of_line
from townplan.reports.table import Column, Kind, Lang, Report, Section, Table, headline_value

__all__ = ["to_html"]

_STYLE = """
body { font-family: "Noto Sans CJK SC", "WenQuanYi Zen Hei", "Microsoft YaHei",
       "PingFang SC", sans-serif; margin: 2rem auto; max-width: 72rem; color: #1f2328;
       padding: 0 1rem; }
h1 { font-size: 1.6rem; border-bottom: 3px solid #c00; padding-bottom: .4rem; }
h2 { font-size: 1.15rem; margin-top: 2rem; border-left: 4px solid #c00; padding-left: .5rem; }
.asof { color: #57606a; }
p.note { border-left: 4px solid #bf8700; background: #fff8c5; padding: .4rem .7rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; font-size: .92rem; }
th, td { border: 1px solid #d0d7de; padding: .35rem .55rem; }
th { background: #f6f8fa; text-align: center; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total td { font-weight: bold; background: #fff8e1; }
.headline { display: flex; flex-wrap: wrap; gap: .75rem; margin: 1rem 0; }
.figure { border: 1px solid #d0d7de; border-radius: 6px; padding: .6rem .9rem; min-width: 9rem; }
.figure .label { color: #57606a; font-size: .85rem; }
.figure .value { font-size: 1.25rem; font-weight: bold; }
.light { display: inline-block; padding: 0 .5rem; border-radius: 9px; color: #fff;
         white-space: nowrap; }
td.code { white-space: nowrap; }
.light-red { background: #cf222e; } .light-amber { background: #bf8700; }
.light-green { background: #1a7f37; }
.none { color: #57606a; }
p.fill { background: #fff8c5; font-style: italic; }
section.text p { text-indent: 2em; line-height: 1.8; }
figure.chart { margin: 1rem 0; text-align: center; }
figure.chart img { max-width: 100%; height: auto; }
table.chart-key { margin: .4rem auto; font-size: .85rem; }
@page { size: A4; margin: 20mm 15mm; }
@media print {
  body { max-width: none; margin: 0; padding: 0; font-size: 10.5pt; color: #000; }
  h1 { font-size: 16pt; } h2 { font-size: 12pt; break-after: avoid; }
  table { font-size: 9pt; page-break-inside: auto; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  figure.chart { break-inside: avoid; }
  .light { color: #000; border: 1px solid #000; background: none !important; }
}
"""
_NUMERIC = (Kind.INT, Kind.MONEY, Kind.RATE, Kind.NUMBER)
_WORDS = {"cn": ("截至", "（无）"), "en": ("As of", "(none)")}


def _section(section: Section, lang: Lang) -> list[str]:
    css = ' class="fill"' if section.placeholder else ""
    out = [f'<section class="text"><h2>{escape(section.title(lang))}</h2>']
    out += [f"<p{css}>{escape(text)}</p>" for text in section.paragraphs(lang)]
    return [*out, "</section>"]


def _cell(value: object, column: Column, text: str) -> str:
    if isinstance(value, Light):
        return f'<td><span class="light light-{value.value}">{escape(text)}</span></td>'
    css = ""
    if column.kind in _NUMERIC:
        css = ' class="num"'
    elif column.key == "code":
        css = ' class="code"'

    return f"<td{css}>{escape(text)}</td>"


def _table(table: Table, lang: Lang) -> list[str]:
    out = [f"<h2>{escape(table.title(lang))}</h2>"]
    note = table.note_cn if lang == "cn" else table.note_en
    if note:
        out.append(f"<p>{escape(note)}</p>")
    if not table.rows:
        return [*out, f'<p class="none">{_WORDS[lang][1]}</p>']
    out.append("<table><thead><tr>")
    out += [f"<th>{escape(c.header(lang))}</th>" for c in table.columns]
    out.append("</tr></thead><tbody>")
    rows = [(row, "") for row in table.rows]
    if table.total:
        rows.append((table.total, ' class="total"'))
    for row, css in rows:
        cells = [
            _cell(value, column, column.show(value, lang))
            for value, column in zip(row, table.columns, strict=True)
        ]
        out.append(f"<tr{css}>" + "".join(cells) + "</tr>")
    out.append("</tbody></table>")
    return out


def _figures(report: Report, lang: Lang) -> list[str]:
    """Each chart as an embedded PNG (nothing when matplotlib is not installed)."""
    try:
        from townplan.reports.charts import chart_key, chart_png
    except ImportError:  # pragma: no cover - depends on the environment
        return []
    out = []
    for chart in report.figures:
        try:
            data = base64.b64encode(chart_png(chart, lang)).decode("ascii")
        except ImportError:  # pragma: no cover - depends on the environment
            return []
        title = escape(chart.title_cn if lang == "cn" else chart.title_en)
        key = chart_key(chart, lang)
        caption = ""
        if key:  # the chart numbers what it could not name: the key beside it
            head = "<tr><th>图中标注</th><th>名称</th></tr>" if lang == "cn" else (
                "<tr><th>Label</th><th>Name</th></tr>")  # fmt: skip
            body = "".join(f"<tr><td>{escape(label)}</td><td>{escape(name)}</td></tr>"
                           for label, name in key)  # fmt: skip
            caption = f'<figcaption><table class="chart-key">{head}{body}</table></figcaption>'
        out.append(f'<figure class="chart"><img alt="{title}" '
                   f'src="data:image/png;base64,{data}">{caption}</figure>')  # fmt: skip
    return out


def to_html(report: Report, lang: Lang = "cn", *, charts: bool = True) -> str:
    """The report as a standalone HTML page in ``lang`` ("cn" or "en"); ``charts`` embeds
    each chart as a picture in the page (it stays one file)."""
    title = escape(report.title(lang))
    subtitle = report.subtitle_cn if lang == "cn" else report.subtitle_en
    html_lang = "zh-CN" if lang == "cn" else "en"
    body = [f"<h1>{title}</h1>"]
    if subtitle:
        body.append(f"<p>{escape(subtitle)}</p>")
    body.append(f'<p class="asof">{escape(as_of_line(report, lang))}</p>')
    body += [f'<p class="note">{escape(note)}</p>' for note in report.notes(lang)]
    if report.headline:
        body.append('<div class="headline">')
        for label_cn, label_en, value, kind in report.headline:
            label = escape(label_cn if lang == "cn" else label_en)
            shown = escape(headline_value(value, kind, lang))
            body.append(
                f'<div class="figure"><div class="label">{label}</div>'
                f'<div class="value">{shown}</div></div>'
            )
        body.append("</div>")
    for section in report.sections:
        body += _section(section, lang)
    if charts:
        body += _figures(report, lang)
    for table in report.tables:
        body += _table(table, lang)
    return (
        f'<!DOCTYPE html>\n<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{title}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        + "\n".join(body)
        + "\n</body>\n</html>\n"
    )
