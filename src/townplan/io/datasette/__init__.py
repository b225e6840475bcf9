"""Datasette: metadata that makes a ledger file readable in Datasette (``metadata``)."""

from townplan.io.datasette.metadata import (
    COLUMNS,
    TABLES,
    datasette_metadata,
    write_datasette_metadata,
)

__all__ = ["COLUMNS", "TABLES", "datasette_metadata", "write_datasette_metadata"]
