"""A ledger file as townplan at schema version 5 wrote it, written with plain SQL: the
funding tables and their codelist of sources as that version seeded it (县(镇)级财政 had
fewer aliases then), a source the town added, a project, a plan and a receipt."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

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
