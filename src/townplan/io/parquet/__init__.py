"""A province's Parquet dataset of town ledgers (see :mod:`townplan.io.parquet.layout`).

pyarrow (the ``analytics`` extra) is imported only when a dataset is written.
"""

from townplan.io.parquet.writer import ExportSummary, to_parquet

__all__ = ["ExportSummary", "to_parquet"]
