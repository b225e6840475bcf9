"""A ledger written by an earlier townplan, opened (and so migrated) by this one, exports
to JSON and imports back into an equal ledger, its funding codelist as the file held it.

The old file is written with plain SQL as townplan at schema version 5 wrote it: the
funding tables and its codelist of sources (the town's 县(镇)级财政 had fewer aliases then,
and the town added a source of its own), with a plan and a receipt in them."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.io.jsondoc.document import from_json, to_json
from townplan.ledger import opening

# The codelist exactly as schema version 5 seeded it (code, name, name_en, aliases,
# public, position), then the town's own source.
V5_SOURCES = [
    ("central", "中央预算内投资", "central government budget investment",
     ["中央", "中央预算内", "中央资金", "中央投资"], 1, 1),
    ("bond", "地方政府专项债券", "local government special bonds",
     ["专项债券", "专项债", "地方专项债"], 1, 2),
    ("province", "省级财政", "provincial finance", ["省级", "省", "省财政", "省级资金"], 1, 3),
    ("city", "市级财政", "city finance", ["市级", "市", "市财政", "市级资金"], 1, 4),
    ("town", "县(镇)级财政", "county or town finance",
     ["镇级", "镇", "镇财政", "县级", "县(镇)级", "县（镇）级财政", "镇级财政"], 1, 5),
    ("platform", "城投/交投等平台公司", "city investment and transport platforms",
     ["城投", "交投", "平台公司"], 0, 6),
    ("loan", "银行贷款", "bank loans", ["贷款", "银行"], 0, 7),
    ("enterprise", "企业自筹", "enterprise own funds", ["自筹", "企业", "自筹资金"], 0, 8),
    ("ppp", "社会资本(PPP)", "private capital (PPP)", ["社会资本", "PPP", "社会资本（PPP）"], 0, 9),
    ("village", "村集体自筹", None, ["村集体"], 0, 10),
]  # fmt: skip

V5_DDL = """
CREATE TABLE funding_sources (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    name TEXT NOT NULL UNIQUE CHECK (length(trim(name)) > 0),
    name_en TEXT,
    aliases TEXT NOT NULL DEFAULT '[]' CHECK (json_valid(aliases)),
    public INTEGER NOT NULL CHECK (public IN (0, 1)),
    position INTEGER NOT NULL
);
CREATE TABLE funding_plans (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects(code),
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    source TEXT NOT NULL REFERENCES funding_sources(code),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    recorded_at TEXT NOT NULL
);
CREATE INDEX funding_plans_key ON funding_plans(project, year, source, recorded_at);
CREATE INDEX funding_plans_year ON funding_plans(year, source);
CREATE TABLE funds_receipts (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects(code),
    source TEXT NOT NULL REFERENCES funding_sources(code),
    received_on TEXT NOT NULL CHECK (received_on GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX funds_receipts_project ON funds_receipts(project, received_on);
CREATE INDEX funds_receipts_day ON funds_receipts(received_on, source)
"""


def make_v5(path: Path) -> None:
    """A schema-version-5 file with a project, the v5 codelist, a plan and a receipt."""
    db = opening.connect(path)
    opening.migrate(db, path, target=4)
    db.close()
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO units VALUES ('城建办', NULL)")
    conn.execute(
        "INSERT INTO projects (code, name, category, stage, kind, currency, government_fen, "
        "social_fen, total_fen, plan_fen, plan_year, responsible_unit, valid_from, "
        "recorded_at) VALUES ('P001', '中心大道二期工程', 'infrastructure', 'new_start', "
        "'construction', 'CNY', 12000000000, 3000000000, 15000000000, 4000000000, 2013, "
        "'城建办', '2013-01-01', '2013-01-05T09:00:00.000000')"
    )
    for statement in V5_DDL.split(";\n"):
        conn.execute(statement)
    conn.executemany(
        "INSERT INTO funding_sources VALUES (?, ?, ?, ?, ?, ?)",
        [(c, n, e, json.dumps(a, ensure_ascii=False), p, pos) for c, n, e, a, p, pos in V5_SOURCES],
    )
    conn.execute(
        "INSERT INTO funding_plans VALUES (1, 'P001', 2013, 'village', 'CNY', 80000000, "
        "'2013-02-01T10:00:00.000000')"
    )
    conn.execute(
        "INSERT INTO funds_receipts VALUES (1, 'P001', 'town', '2013-03-15', 'CNY', 25000000, "
        "'首笔', '2013-03-16T10:00:00.000000')"
    )
    conn.execute(
        "INSERT INTO townplan_migrations VALUES (5, 'funding sources, funding plans and funds "
        "arrived', '2013-01-10T00:00:00+00:00')"
    )
    conn.execute("PRAGMA user_version = 5")
    conn.commit()
    conn.close()


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
        assert sources == [row[:5] for row in V5_SOURCES]
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
