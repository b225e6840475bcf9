"""Interop, one subpackage per idea:

- ``townplan.io.sheets`` — spreadsheets: 项目库 registers and 月度调度 progress sheets,
  in and out;
- ``townplan.io.jsondoc`` — the whole ledger as one JSON document, and back;
- ``townplan.io.oc4ids`` — the ledger as an OC4IDS project package;
- ``townplan.io.datasette`` — metadata for reading a ledger file in Datasette.

The rollup of town ledgers into a city ledger is a ledger operation
(``townplan.ledger.rollup``); it is offered here too, as :func:`townplan.io.rollup`.
The importers and exports tell a caller of their progress through ``on_progress``
(:data:`ProgressHook`, :mod:`townplan.progress`).

>>> from townplan.io import REGISTER_HEADERS, import_register, export_register
>>> REGISTER_HEADERS.resolve("总投资（万元）")
('total_investment', '万元')
"""

from townplan.io.jsondoc import from_json, load_json, to_json
from townplan.io.oc4ids import to_oc4ids, validate_oc4ids
from townplan.io.parquet import ExportSummary, to_parquet
from townplan.io.sheets import (
    PROGRESS_HEADERS,
    REGISTER_HEADERS,
    HeaderMap,
    ImportResult,
    export_progress,
    export_register,
    import_progress,
    import_register,
    read_table,
)
from townplan.ledger.rollup import RollupSummary, rollup
from townplan.progress import ProgressHook

__all__ = [
    "PROGRESS_HEADERS",
    "REGISTER_HEADERS",
    "ExportSummary",
    "HeaderMap",
    "ImportResult",
    "ProgressHook",
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
    "to_parquet",
    "validate_oc4ids",
]
