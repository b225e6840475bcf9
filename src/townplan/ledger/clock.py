"""One clock: record times in the ledger's zone.

A ledger keeps its zone in ``townplan_meta`` (key ``zone``, an IANA name; default
``Asia/Shanghai``, where offices record). Record times are stored as naive local time in
that zone, so ``as_of(day)`` means the end of ``day`` there — whatever zone the machine
running townplan is set to — and "today" is today there.

>>> from datetime import datetime, timezone
>>> zone = ZoneInfo("Asia/Shanghai")
>>> stamp(datetime(2013, 7, 2, 20, 0, tzinfo=timezone.utc), zone)   # 04:00 next day there
'2013-07-03T04:00:00.000000'
>>> stamp(date(2013, 7, 3), zone)
'2013-07-03T00:00:00.000000'
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from townplan.errors import ValidationError

__all__ = ["DEFAULT_ZONE", "Recorded", "stamp", "today", "zone_named"]

#: The zone of a ledger that names none.
DEFAULT_ZONE: Final = "Asia/Shanghai"

#: When an entry was recorded: a datetime (naive = the ledger's local time; aware is
#: converted), a date (its midnight there) or None (now).
Recorded = datetime | date | None


def zone_named(name: object) -> ZoneInfo:
    """The zone of IANA ``name``; a ValidationError for anything else."""
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    raise ValidationError.single(
        record="ledger", field="zone", value=name, expected="an IANA zone such as 'Asia/Shanghai'"
    )


def stamp(value: Recorded, zone: ZoneInfo, *, record: str = "entry") -> str:
    """The stored text of a record time."""
    if value is None:
        value = datetime.now(zone)
    if not isinstance(value, date):
        raise ValidationError.single(
            record=record, field="recorded_at", value=value,
            expected="a datetime, a date or None (now)",
        )  # fmt: skip
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(zone).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    return datetime(value.year, value.month, value.day).isoformat(timespec="microseconds")


def today(zone: ZoneInfo) -> date:
    """Today in ``zone``."""
    return datetime.now(zone).date()
