"""A ledger whose funding codelist an earlier townplan seeded gains the aliases the
default sources have gained since, so it reads the sheets a new ledger reads: a Layout C
register heading 县(镇)级财政's column 县区及管委会 imports into it with the same plans."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

from tests.io.sheets.layouts.test_layout_c import grid, write
from tests.ledger.old_files import make_v5

import townplan as tp

OLD_TOWN = ["镇级", "镇", "镇财政", "县级", "县(镇)级", "县（镇）级财政", "镇级财政"]


def town_aliases(path: Path) -> list[str]:
    conn = sqlite3.connect(path)
    (raw,) = conn.execute("SELECT aliases FROM funding_sources WHERE code = 'town'").fetchone()
    conn.close()
    return list(json.loads(raw))


def test_an_old_codelist_gains_the_new_aliases_and_reads_the_sheet_a_new_ledger_reads(
    tmp_path: Path,
) -> None:
    make_v5(tmp_path / "old.db")
    assert town_aliases(tmp_path / "old.db") == OLD_TOWN
    sheet = write(tmp_path / "c.xlsx", grid())
    with tp.Ledger.open(tmp_path / "old.db") as old, tp.Ledger.open(":memory:") as new:
        tp.io.import_register(old, sheet, category="基础设施")
        tp.io.import_register(new, sheet, category="基础设施")
        planned = [(p.year, p.source, p.amount) for p in old.funding_plans() if p.project != "P001"]
        assert planned == [(p.year, p.source, p.amount) for p in new.funding_plans()]
        assert "town" in {source for _, source, _ in planned}
    assert town_aliases(tmp_path / "old.db") == [*OLD_TOWN, "县区", "区县", "县区及管委会"]


def test_an_alias_another_source_of_the_town_is_called_stays_that_source_s(
    tmp_path: Path,
) -> None:
    make_v5(tmp_path / "old.db")
    conn = sqlite3.connect(tmp_path / "old.db")
    conn.execute("UPDATE funding_sources SET aliases = '[\"县区\"]' WHERE code = 'village'")
    conn.commit()
    conn.close()
    with tp.Ledger.open(tmp_path / "old.db") as old:
        town = next(s for s in old.funding_sources() if s.code == "town")
        assert town.aliases == (*OLD_TOWN, "区县", "县区及管委会")
        assert tp.model.funding.source_for("县区", old.funding_sources()).code == "village"
