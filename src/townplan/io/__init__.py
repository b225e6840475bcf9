"""Interop: spreadsheets (项目库 registers and 月度调度 progress sheets, .xlsx and .csv).

>>> from townplan.io import REGISTER_HEADERS, import_register, export_register
>>> REGISTER_HEADERS.resolve("总投资（万元）")
('total_investment', '万元')
"""

from townplan.io.headers import PROGRESS_HEADERS, REGISTER_HEADERS, HeaderMap
from townplan.io.progress_sheet import export_progress, import_progress
from townplan.io.register import export_register, import_register
from townplan.io.result import ImportResult
from townplan.io.sheets import read_table

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
