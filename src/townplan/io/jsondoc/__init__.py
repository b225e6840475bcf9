"""The JSON document: a whole ledger — every version, correction and record time — as one
versioned document (``document``), checked in full before anything is written (``check``)."""

from townplan.io.jsondoc.document import from_json, load_json, to_json

__all__ = ["from_json", "load_json", "to_json"]
