"""Checks of the plain arguments the ledger's write methods take (days, record times,
entry kinds and payloads, chunk sizes): each bad one is a ValidationError naming it."""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any

from townplan.errors import ValidationError
from townplan.model.checks import MAX_TEXT, is_clean_text

__all__ = ["check_chunk", "check_day", "check_kind", "check_record", "payload_json"]


def check_day(value: object, *, record: str, field: str) -> date:
    """A calendar day (``datetime.date``, not a datetime and not text)."""
    if not isinstance(value, date) or isinstance(value, datetime):
        raise ValidationError.single(
            record=record, field=field, value=value, expected="a datetime.date (a day)"
        )
    return value


def check_record(value: object, cls: type, *, record: str, field: str) -> None:
    """``value`` is a ``cls`` record."""
    if not isinstance(value, cls):
        raise ValidationError.single(
            record=record, field=field, value=value, expected=f"a {cls.__name__}"
        )


def check_kind(value: object, *, record: str, field: str) -> str:
    """A short word naming an entry's kind or subject."""
    if not isinstance(value, str) or not value.strip() or not is_clean_text(value):
        raise ValidationError.single(
            record=record,
            field=field,
            value=value,
            expected="non-empty text without control characters",
        )
    if len(value) > 200:
        raise ValidationError.single(
            record=record, field=field, value=value[:40] + "…", expected="at most 200 characters"
        )
    return value


def check_chunk(value: object) -> int:
    """A chunk size of one or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValidationError.single(
            record="batch", field="chunk_size", value=value, expected="a whole number of 1 or more"
        )
    return value


def _plain_json(value: Any, depth: int = 0) -> bool:
    if depth > 32:
        return False
    if value is None or isinstance(value, bool | int | str):
        return not isinstance(value, str) or is_clean_text(value)
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, list):
        return all(_plain_json(v, depth + 1) for v in value)
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain_json(v, depth + 1) for k, v in value.items())
    return False


def _depth(value: Any, limit: int = 40) -> int:
    """How deep lists and mappings nest (counting stops past ``limit``)."""
    if limit <= 0 or not isinstance(value, list | dict):
        return 0
    children = value.values() if isinstance(value, dict) else value
    return 1 + max((_depth(child, limit - 1) for child in children), default=0)


def payload_json(payload: object, *, record: str) -> str:
    """An entry's payload as JSON text: a mapping of text keys to plain JSON values
    (text, finite numbers, true/false, null, lists, mappings; at most 32 deep)."""
    if payload is None:
        payload = {}
    if not isinstance(payload, dict) or not _plain_json(payload):
        raise ValidationError.single(
            record=record,
            field="payload",
            value=payload if _depth(payload) <= 32 else "<nested more than 32 deep>",
            expected="a mapping of plain JSON values (write Decimals and dates as text)",
        )
    text = json.dumps(payload, ensure_ascii=False, sort_keys=True, allow_nan=False)
    if len(text) > 100 * MAX_TEXT:
        raise ValidationError.single(
            record=record, field="payload", value=text[:40] + "…", expected="a smaller payload"
        )
    return text
