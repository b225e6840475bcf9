"""The schema of money beyond the register: funding sources (资金来源) as a codelist, the
funding plan by source per project and year, and dated receipts (到位资金).

Plans and receipts are appended, never updated: a new plan for the same project, year and
source replaces the earlier one from the time it is recorded, so "as of" a day reads the
plan then known. Amounts are integer fen beside a currency, as everywhere in the ledger.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Final

if TYPE_CHECKING:
    import sqlite_utils

__all__ = ["FUNDING_DDL", "OUTCOMES_DDL", "apply_funding", "apply_outcomes", "apply_source_aliases"]

_DAY = "GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"
FUNDING_DDL: Final = f"""
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
    received_on TEXT NOT NULL CHECK (received_on {_DAY}),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    note TEXT NOT NULL DEFAULT '',
    recorded_at TEXT NOT NULL
);
CREATE INDEX funds_receipts_project ON funds_receipts(project, received_on);
CREATE INDEX funds_receipts_day ON funds_receipts(received_on, source)
"""


def apply_funding(db: sqlite_utils.Database) -> None:
    """Create the funding tables and fill the codelist with the default sources."""
    from townplan.model.funding import DEFAULT_FUNDING_SOURCES

    for statement in FUNDING_DDL.split(";\n"):
        db.execute(statement)
    db.table("funding_sources").insert_all(
        {
            "code": s.code,
            "name": s.name,
            "name_en": s.name_en,
            "aliases": json.dumps(list(s.aliases), ensure_ascii=False),
            "public": int(s.public),
            "position": n,
        }
        for n, s in enumerate(DEFAULT_FUNDING_SOURCES, start=1)
    )


#: The aliases default sources gained after a file's codelist was seeded (code, name as
#: seeded, the aliases added), written out so a later change of the defaults is a later
#: migration: a province's sheets head 县(镇)级财政's column 县区 or 县区及管委会.
SOURCE_ALIASES: Final = (("town", "县(镇)级财政", ("县区", "区县", "县区及管委会")),)


def apply_source_aliases(db: sqlite_utils.Database) -> None:
    """Give each default source the aliases it gained since the file's codelist was seeded
    (a file seeded since has them already), unless another source of the file is already
    called so."""
    rows = db.execute("SELECT code, name, aliases FROM funding_sources").fetchall()
    for code, name, added in SOURCE_ALIASES:
        own = next((json.loads(r[2]) for r in rows if (r[0], r[1]) == (code, name)), None)
        if own is None:  # not in the file as seeded
            continue
        taken = {r[1] for r in rows} | {a for r in rows if r[0] != code for a in json.loads(r[2])}
        new = [a for a in added if a not in own and a not in taken]
        if new:
            db.execute(
                "UPDATE funding_sources SET aliases = ? WHERE code = ?",
                [json.dumps([*own, *new], ensure_ascii=False), code],
            )


_MONTH = "GLOB '[12][0-9][0-9][0-9]-[01][0-9]'"
# Targets become indicators (a target is optional; a baseline, a task and 力争 are new), so
# the table is rebuilt with value and direction nullable; its rows are kept as they are.
OUTCOMES_DDL: Final = f"""
CREATE TABLE indicators_new (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    indicator TEXT NOT NULL CHECK (length(trim(indicator)) > 0),
    indicator_en TEXT,
    year INTEGER NOT NULL,
    base_year INTEGER,
    direction TEXT CHECK (direction IS NULL OR direction IN ('at_least','at_most')),
    value TEXT,
    unit TEXT NOT NULL,
    baseline_year INTEGER,
    baseline_value TEXT,
    baseline_unit TEXT,
    baseline_comment TEXT,
    task TEXT,
    aspirational INTEGER NOT NULL DEFAULT 0 CHECK (aspirational IN (0, 1)),
    recorded_at TEXT NOT NULL DEFAULT '',
    CHECK (value IS NULL OR direction IS NOT NULL),
    CHECK ((baseline_year IS NULL) = (baseline_value IS NULL))
);
INSERT INTO indicators_new (code, indicator, indicator_en, year, base_year, direction, value, unit,
                            recorded_at)
SELECT code, indicator, indicator_en, year, base_year, direction, value, unit, recorded_at
FROM targets;
DROP TABLE targets;
ALTER TABLE indicators_new RENAME TO targets;
CREATE INDEX targets_year ON targets(year, code);
CREATE TABLE standings (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    body TEXT NOT NULL CHECK (length(trim(body)) > 0),
    assessment TEXT NOT NULL CHECK (length(trim(assessment)) > 0),
    year INTEGER NOT NULL CHECK (year BETWEEN 1900 AND 2200),
    rank INTEGER NOT NULL CHECK (rank >= 1),
    out_of INTEGER CHECK (out_of IS NULL OR out_of >= rank),
    announced_on TEXT NOT NULL CHECK (announced_on {_DAY}),
    recorded_at TEXT NOT NULL
);
CREATE TABLE stats_counts (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects(code),
    period TEXT NOT NULL CHECK (period {_MONTH}),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    reported_on TEXT NOT NULL CHECK (reported_on {_DAY}),
    recorded_at TEXT NOT NULL
);
CREATE INDEX stats_counts_key ON stats_counts(project, period, recorded_at);
CREATE INDEX stats_counts_period ON stats_counts(period, project);
CREATE TABLE deals (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    origin TEXT NOT NULL CHECK (origin IN ('foreign','domestic')),
    investor TEXT,
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    contract_fen INTEGER CHECK (contract_fen IS NULL OR contract_fen >= 0),
    recorded_at TEXT NOT NULL
);
CREATE TABLE deal_utilisations (
    id INTEGER PRIMARY KEY,
    deal TEXT NOT NULL REFERENCES deals(code),
    received_on TEXT NOT NULL CHECK (received_on {_DAY}),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    recorded_at TEXT NOT NULL
);
CREATE INDEX deal_utilisations_deal ON deal_utilisations(deal, received_on)
"""


def apply_outcomes(db: sqlite_utils.Database) -> None:
    """Targets become indicators; standings, statistics counts and deals get their tables."""
    for statement in OUTCOMES_DDL.split(";\n"):
        db.execute(statement)
