"""A ledger written by an earlier townplan, opened (and so migrated) by this one, exports
to JSON and imports back into an equal ledger, its funding codelist as the file held it.

The old file is written with plain SQL as townplan at schema version 5 wrote it: the
funding tables and its codelist of sources (the town's 县(镇)级财政 had fewer aliases then,
and the town added a source of its own), with a plan and a receipt in them."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.ledger.old_files import V5_SOURCES, make_v5

import townplan as tp
from townplan.io.jsondoc.document import from_json, to_json


def test_a_migrated_ledger_round_trips_through_json(tmp_path: Path) -> None:
    make_v5(tmp_path / "old.db")
    with tp.Ledger.open(tmp_path / "old.db") as old:
        doc = json.loads(json.dumps(to_json(old), ensure_ascii=False))
        with from_json(doc, tmp_path / "new.db") as new:
            assert new.checksum() == old.checksum()
            identity = "SELECT value FROM townplan_meta WHERE key = 'ledger_id'"
            assert new.db.execute(identity).fetchall() == old.db.execute(identity).fetchall()
    with tp.Ledger.open(tmp_path / "new.db") as new:
        sources = [(s.code, s.name, s.name_en, list(s.aliases), int(s.public))
                   for s in new.funding_sources()]  # fmt: skip
        # the file's codelist, 县(镇)级财政 with the aliases it gained since (migration 13)
        assert sources == [
            (c, n, e, [*a, "县区", "区县", "县区及管委会"] if c == "town" else a, p)
            for c, n, e, a, p, _ in V5_SOURCES
        ]
        (plan,) = new.funding_plans()
        assert (plan.project, plan.year, plan.source, plan.amount) == (
            "P001", 2013, "village", tp.Money(Decimal(800000), "CNY"),
        )  # fmt: skip
        (receipt,) = new.funds_receipts()
        assert (receipt.source, receipt.received_on, receipt.amount, receipt.note) == (
            "town", date(2013, 3, 15), tp.Money(Decimal(250000), "CNY"), "首笔",
        )  # fmt: skip


_TEXT = st.text(alphabet="县区镇级财政资金手续批复abc", min_size=1, max_size=6)


@pytest.mark.long  # many ledgers built and loaded: seconds
@settings(max_examples=25, deadline=None)
@given(
    aliases=st.dictionaries(st.sampled_from(["central", "town", "ppp", "loan"]),
                            st.lists(_TEXT, max_size=3, unique=True), max_size=3),
    kind_names=st.dictionaries(st.sampled_from(["approval", "land_pre"]), _TEXT, max_size=2),
    positions=st.permutations(range(1, 10)),
)  # fmt: skip
def test_any_codelist_an_earlier_townplan_seeded_round_trips(
    aliases: dict[str, list[str]], kind_names: dict[str, str], positions: list[int]
) -> None:
    """Whatever an earlier version seeded — other aliases, other names of the procedure
    kinds, the sources in another order — the imported ledger holds the file's codelists."""
    with tp.Ledger.open(":memory:") as old:
        for code, words in aliases.items():
            old.db.execute("UPDATE funding_sources SET aliases = ? WHERE code = ?",
                           [json.dumps(words, ensure_ascii=False), code])  # fmt: skip
        for code, name in kind_names.items():
            old.db.execute("UPDATE procedure_kinds SET name = ? WHERE code = ?", [name, code])
        codes = [r[0] for r in old.db.execute("SELECT code FROM funding_sources ORDER BY code")]
        for code, position in zip(codes, positions, strict=True):
            old.db.execute(
                "UPDATE funding_sources SET position = ? WHERE code = ?", [position, code]
            )
        doc = json.loads(json.dumps(to_json(old), ensure_ascii=False))
        with from_json(doc) as new:
            assert new.checksum() == old.checksum()
            assert new.funding_sources() == old.funding_sources()
