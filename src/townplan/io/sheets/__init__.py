"""Spreadsheets: registers (项目库) and monthly progress sheets (月度调度表), .xlsx and .csv.

Reading goes file → grid (every cell as text, merged cells filled in) → header row →
table (clean rows of text with units) → typed cells → records, one module per step
(``grid``, ``header_row``, ``table``, ``cells``); ``headers`` maps Chinese headers to
fields; ``register`` and ``progress`` import, ``register_export``, ``progress_export``
and ``writer`` write the same layouts back; ``result`` says what an import did.
"""

from townplan.io.sheets.headers import PROGRESS_HEADERS, REGISTER_HEADERS, HeaderMap
from townplan.io.sheets.progress import export_progress, import_progress
from townplan.io.sheets.register import export_register, import_register
from townplan.io.sheets.result import ImportResult
from townplan.io.sheets.table import read_table

__all__ = [
    "PROGRESS_HEADERS",
    "REGISTER_HEADERS",
    "HeaderMap",
    "ImportResult",
    "export_progress",
    "export_register",
    "import_progress",
    "import_register",
    "read_table",
]
