"""Interop: spreadsheets (项目库 registers and 月度调度 progress sheets, .xlsx and .csv),
the JSON document, OC4IDS, and the rollup of town ledgers into a city ledger.

>>> from townplan.io import REGISTER_HEADERS, import_register, export_register
>>> REGISTER_HEADERS.resolve("总投资（万元）")
('total_investment', '万元')
"""

from townplan.io.headers import PROGRESS_HEADERS, REGISTER_HEADERS, HeaderMap
from townplan.io.json_doc import from_json, load_json, to_json
from townplan.io.oc4ids import to_oc4ids, validate_oc4ids
from townplan.io.progress_sheet import export_progress, import_progress
from townplan.io.register import export_register, import_register
from townplan.io.result import ImportResult
from townplan.io.rollup import RollupSummary, rollup
from townplan.io.sheets import read_table

__all__ = [
    "PROGRESS_HEADERS",
    "REGISTER_HEADERS",
    "HeaderMap",
    "ImportResult",
    "RollupSummary",
    "export_progress",
    "export_register",
    "from_json",
    "import_progress",
    "import_register",
    "load_json",
    "read_table",
    "rollup",
    "to_json",
    "to_oc4ids",
    "validate_oc4ids",
]
