"""OC4IDS: the ledger as an Open Contracting for Infrastructure Data Standard project
package (``package``, with values, milestones and metrics in ``progress``), validated
offline against the schema copies in ``schema/`` (``validate``)."""

from townplan.io.oc4ids.package import (
    ROLES,
    SECTOR_BY_CATEGORY,
    SECTOR_KEYWORDS,
    STATUS_BY_STAGE,
    TYPE_BY_CATEGORY,
    amount_number,
    to_oc4ids,
    validate_oc4ids,
)

__all__ = [
    "ROLES",
    "SECTOR_BY_CATEGORY",
    "SECTOR_KEYWORDS",
    "STATUS_BY_STAGE",
    "TYPE_BY_CATEGORY",
    "amount_number",
    "to_oc4ids",
    "validate_oc4ids",
]
