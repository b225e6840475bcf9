"""Reports: the monthly bulletin, the year summary and the ranking notice, and renderers.

Every report is a :class:`~townplan.reports.table.Report` (plain typed data) computed
through the public query API, as of any day; render it with ``to_markdown()``,
``to_html()``, ``to_csv(directory)``, ``to_xlsx(path)`` and ``charts(directory)``.
"""

from townplan.reports.bulletin import bulletin
from townplan.reports.ranking import ranking_notice
from townplan.reports.summary import year_summary
from townplan.reports.table import Chart, Column, Kind, Report, Series, Table

__all__ = [
    "Chart",
    "Column",
    "Kind",
    "Report",
    "Series",
    "Table",
    "bulletin",
    "ranking_notice",
    "year_summary",
]
