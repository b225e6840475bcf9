"""One clock: record times are the ledger's local time (Asia/Shanghai unless its meta says
otherwise), so the same writes give the same stamps and the same as-of answers whatever
zone the machine is set to. Each case runs in a fresh interpreter under TZ=UTC and
TZ=Asia/Shanghai."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent(
    """
    import json
    from datetime import date, datetime, timezone
    import townplan as tp

    ledger = tp.Ledger.open(":memory:")
    ledger.add_units(["城建办"])                      # stamped now, in the ledger's zone
    # 20:00 UTC on 2 July is 04:00 on 3 July in Shanghai.
    ledger.add_zones(["东区"], recorded_at=datetime(2013, 7, 2, 20, tzinfo=timezone.utc))
    stamp = ledger.db.execute("SELECT recorded_at FROM zones").fetchone()[0]
    print(json.dumps({
        "zone": ledger.zone.key,
        "stamp": stamp,
        "seen_3_july": [z.name for z in ledger.as_of(date(2013, 7, 3)).zones()],
        "seen_2_july": [z.name for z in ledger.as_of(date(2013, 7, 2)).zones()],
        "today_sees_now": [u.name for u in ledger.as_of(ledger.today()).units()],
    }))
    """
)


@pytest.mark.parametrize("tz", ["UTC", "Asia/Shanghai"])
def test_stamps_and_cuts_do_not_depend_on_the_machines_zone(tz: str) -> None:
    env = {**os.environ, "TZ": tz}
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
    )
    found = json.loads(done.stdout)
    assert found["zone"] == "Asia/Shanghai"
    assert found["stamp"] == "2013-07-03T04:00:00.000000"
    assert found["seen_3_july"] == ["东区"] and found["seen_2_july"] == []
    assert found["today_sees_now"] == ["城建办"]  # as_of(today) includes what was just written
