"""Facts about the ledger file itself (``townplan_meta``): the town and city it belongs to,
and the office that issues its documents.

OC4IDS ids and locations, the rollup's town prefix and the reports' headings read them;
``issuer`` is the 发文机关 a Word document names (default: the town's "三重" office).
Only the keys in :data:`META_KEYS` can be set; each value is plain text.

>>> from townplan.ledger import LedgerStore
>>> ledger = LedgerStore.open(":memory:")
>>> ledger.set_meta(town="示例镇", city="东莞市")
>>> ledger.meta()["town"], ledger.meta()["city"]
('示例镇', '东莞市')
>>> ledger.set_meta(mayor="x")
Traceback (most recent call last):
...
townplan.errors.ValidationError: townplan_meta.mayor: got 'x' — expected one of town, city, ...
"""

from __future__ import annotations

from typing import Final

from townplan.errors import ValidationError
from townplan.ledger.reads import LedgerReader
from townplan.model.checks import MAX_TEXT, is_clean_text

__all__ = ["META_KEYS", "MetaLedger"]

#: The keys a caller may set: the town (镇), its city (市) and province (省), and the issuing
#: office of its documents (发文机关).
META_KEYS: Final = ("town", "city", "province", "issuer")


class MetaLedger(LedgerReader):
    """Reading and setting the ledger's meta (a part of :class:`LedgerStore`)."""

    def meta(self) -> dict[str, str]:
        """Every meta key and its value (``application`` is always ``townplan``)."""
        return {r["key"]: r["value"] for r in self._rows("SELECT * FROM townplan_meta")}

    def set_meta(self, **values: str | None) -> None:
        """Set ``town``, ``city``, ``province`` or ``issuer``; None removes a key. All or
        nothing."""
        self._writable()
        for key, value in values.items():
            if key not in META_KEYS:
                raise ValidationError.single(record="townplan_meta", field=key, value=value,
                                             expected=f"one of {', '.join(META_KEYS)}")  # fmt: skip
            if value is not None and (
                not isinstance(value, str) or not value.strip() or not is_clean_text(value)
                or len(value) > MAX_TEXT or "/" in value
            ):  # fmt: skip
                raise ValidationError.single(
                    record="townplan_meta", field=key, value=value,
                    expected="a name: non-empty text without control characters or '/'",
                )  # fmt: skip
        with self.transaction():
            for key, value in values.items():
                if value is None:
                    self._db.execute("DELETE FROM townplan_meta WHERE key = ?", [key])
                else:
                    self._db.execute(
                        "INSERT INTO townplan_meta (key, value) VALUES (?, ?) "
                        "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                        [key, value.strip()],
                    )
