"""Reports: the monthly bulletin, the year summary and the ranking notice, and renderers.

Every report is a :class:`~townplan.reports.table.Report` (plain typed data) computed
through the public query API, as of any day; render it with ``to_markdown()``,
``to_html()``, ``to_docx(path)`` (a 公文 per GB/T 9704-2012), ``to_csv(directory)``,
``to_xlsx(path)`` and ``charts(directory)``.

A report is made of parts, and a part is data:

- a :class:`Section` — a titled list of paragraphs (总体情况, 存在问题, 下一步工作, or any
  a builder adds): Markdown and HTML show it after the headline, Word as the body's next
  heading (一、二、三、…);
- a :class:`Table` — titled, typed columns and rows, an optional 合计 row and note: every
  format shows it (Word as the next 附件 on a landscape page, CSV as one more file, Excel
  as one more sheet);
- a :class:`Chart` — the data of one figure (PNG, and the HTML page).

So a new section of a report — the bulletin's procedures or funding, the year summary's
starts — is one more part given to the builder's ``Report`` (or added to a built one with
:meth:`Report.extended`), and no renderer changes:

>>> from datetime import date
>>> r = Report("demo", "示例", "Demo", date(2013, 7, 15), (), ())
>>> r = r.extended(
...     Section("funds", "资金到位情况", "Funds", ("到位资金3亿元。",), ("3亿元 arrived.",)),
...     Table("sources", "分资金来源", "By source", (Column("s", "资金来源", "Source"),),
...           (("地方政府专项债券",),)),
... )
>>> "## 资金到位情况" in r.to_markdown() and "## 分资金来源" in r.to_markdown()
True
"""

from townplan.reports.bulletin import bulletin
from townplan.reports.ranking import ranking_notice
from townplan.reports.summary import year_summary
from townplan.reports.table import Chart, Column, Kind, Report, Section, Series, Table

__all__ = [
    "Chart",
    "Column",
    "Kind",
    "Report",
    "Section",
    "Series",
    "Table",
    "bulletin",
    "ranking_notice",
    "year_summary",
]
