"""The ledger: one SQLite file, append-only history, "as of" any day, fast bulk writes.

Knows the model below it and nothing of queries or reports above it.
"""

from townplan.ledger.base import LOCAL_TIME, as_recorded_at
from townplan.ledger.opening import SCHEMA_VERSION
from townplan.ledger.reads import Entry, LedgerReader, ProjectVersion
from townplan.ledger.store import LedgerStore

__all__ = [
    "LOCAL_TIME",
    "SCHEMA_VERSION",
    "Entry",
    "LedgerReader",
    "LedgerStore",
    "ProjectVersion",
    "as_recorded_at",
]
