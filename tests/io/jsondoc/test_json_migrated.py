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


# 县(镇)级财政 as townplan seeded it before schema version 13, which gave it 县区, 区县 and
# 县区及管委会 (the headers a province's sheets use).
_TOWN_BEFORE_13 = ["镇级", "镇", "镇财政", "县级", "县(镇)级", "县（镇）级财政", "镇级财政"]


def _older_document(schema_version: int) -> dict[str, object]:
    """A document as a townplan of ``schema_version`` wrote it: 县(镇)级财政 without the
    aliases of version 13 but with one of the town's own (镇本级), and a source the town
    added (村集体自筹)."""
    with tp.Ledger.open(":memory:") as town:
        town.add_units(["城建办"])
        doc = json.loads(json.dumps(to_json(town), ensure_ascii=False))
    doc["schema_version"] = schema_version
    sources = doc["tables"]["funding_sources"]
    (own,) = [row for row in sources if row["code"] == "town"]
    own["aliases"] = json.dumps([*_TOWN_BEFORE_13, "镇本级"], ensure_ascii=False)
    sources.append({"code": "village", "name": "村集体自筹", "name_en": None,
                    "aliases": '["村集体"]', "public": 0, "position": 10})  # fmt: skip
    return doc


def test_an_older_document_keeps_the_aliases_a_newer_townplan_seeded(tmp_path: Path) -> None:
    with from_json(_older_document(12), tmp_path / "new.db") as new:
        town = {s.code: s for s in new.funding_sources()}
        assert list(town["town"].aliases) == [
            "镇级", "镇", "镇财政", "县级", "县(镇)级", "县（镇）级财政", "镇级财政", "镇本级",
            "县区", "区县", "县区及管委会",
        ]  # fmt: skip
        village = town["village"]
        assert (village.name, village.aliases, village.public) == ("村集体自筹", ("村集体",), False)
        assert [s.code for s in new.funding_sources()] == [
            "central", "bond", "province", "city", "town", "platform", "loan", "enterprise",
            "ppp", "village",
        ]  # fmt: skip
    # as the same ledger file of that townplan gets them when this one opens it
    make_v5(tmp_path / "old.db")
    with tp.Ledger.open(tmp_path / "old.db") as old:
        (opened,) = [s for s in old.funding_sources() if s.code == "town"]
        assert list(opened.aliases)[-3:] == ["县区", "区县", "县区及管委会"]


def test_a_document_of_this_version_keeps_its_own_codelist() -> None:
    # the town took 县区 … off (or never had them): its document at version 13 says so
    with from_json(_older_document(13)) as new:
        (town,) = [s for s in new.funding_sources() if s.code == "town"]
        assert list(town.aliases) == [*_TOWN_BEFORE_13, "镇本级"]


@pytest.mark.parametrize("version", ["12", 0, True, 12.0])
def test_a_schema_version_that_is_no_version_is_named(version: object) -> None:
    doc = _older_document(12)
    doc["schema_version"] = version
    with pytest.raises(tp.ValidationError) as raised:
        from_json(doc)
    assert (raised.value.record, raised.value.field, raised.value.value) == (
        "document", "schema_version", version,
    )  # fmt: skip
