"""The ledger's schema as numbered migrations.

Each migration is SQL run once, in order, inside one transaction, and recorded in the
``townplan_migrations`` table of the file itself (and in ``PRAGMA user_version``).
DDL is written out rather than generated with sqlite-utils' ``create()`` because the
ledger relies on CHECK constraints, partial unique indexes and foreign keys that
``create()`` cannot express; sqlite-utils still does introspection and full-text search.

Money is stored as integer fen (hundredths) beside a currency column: exact, and
``SUM()`` in SQL stays exact. Dates are ISO text; ``recorded_at`` is an ISO timestamp.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from decimal import Decimal
from typing import TYPE_CHECKING, Final
from zoneinfo import ZoneInfo

import attrs

if TYPE_CHECKING:
    import sqlite_utils

from townplan.ledger.schema_lifecycle import apply_lifecycle
from townplan.ledger.schema_money import apply_funding, apply_outcomes, apply_source_aliases

__all__ = ["APPLICATION_ID", "MIGRATIONS", "Migration", "update_codelists"]

#: Written to ``PRAGMA application_id`` so a townplan file can be told from others ("TPLN").
APPLICATION_ID: Final = 0x54504C4E

_STAGES = "'preparation','new_start','continuing','completed','in_operation'"
_CATEGORIES = "'infrastructure','industry','livelihood','urban_renewal'"

_V1 = f"""
CREATE TABLE townplan_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE zones (name TEXT PRIMARY KEY CHECK (length(trim(name)) > 0), name_en TEXT);
CREATE TABLE units (name TEXT PRIMARY KEY CHECK (length(trim(name)) > 0), name_en TEXT);

CREATE TABLE projects (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    category TEXT NOT NULL CHECK (category IN ({_CATEGORIES})),
    stage TEXT NOT NULL CHECK (stage IN ({_STAGES})),
    kind TEXT NOT NULL CHECK (kind IN ('construction','reserve')),
    currency TEXT NOT NULL CHECK (length(currency) = 3),
    government_fen INTEGER NOT NULL CHECK (government_fen >= 0),
    social_fen INTEGER NOT NULL CHECK (social_fen >= 0),
    total_fen INTEGER NOT NULL CHECK (total_fen >= 0),
    plan_fen INTEGER NOT NULL CHECK (plan_fen >= 0),
    plan_year INTEGER,
    zone TEXT REFERENCES zones(name),
    village TEXT,
    responsible_unit TEXT REFERENCES units(name),
    leader TEXT,
    content TEXT NOT NULL DEFAULT '',
    start_year INTEGER,
    end_year INTEGER,
    town TEXT,
    valid_from TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    version INTEGER NOT NULL DEFAULT 1,
    change_note TEXT NOT NULL DEFAULT ''
);
CREATE INDEX projects_zone ON projects(zone);
CREATE INDEX projects_unit ON projects(responsible_unit);
CREATE INDEX projects_category_stage ON projects(category, stage);

-- Superseded versions of projects: the row as it was, kept when a change replaced it.
CREATE TABLE project_history (
    code TEXT NOT NULL REFERENCES projects(code),
    version INTEGER NOT NULL,
    name TEXT NOT NULL, category TEXT NOT NULL, stage TEXT NOT NULL, kind TEXT NOT NULL,
    currency TEXT NOT NULL, government_fen INTEGER NOT NULL, social_fen INTEGER NOT NULL,
    total_fen INTEGER NOT NULL, plan_fen INTEGER NOT NULL, plan_year INTEGER,
    zone TEXT, village TEXT, responsible_unit TEXT, leader TEXT, content TEXT NOT NULL,
    start_year INTEGER, end_year INTEGER, town TEXT,
    valid_from TEXT NOT NULL, recorded_at TEXT NOT NULL, change_note TEXT NOT NULL,
    PRIMARY KEY (code, version)
);

CREATE TABLE progress (
    id INTEGER PRIMARY KEY,
    project TEXT NOT NULL REFERENCES projects(code),
    period TEXT NOT NULL CHECK (period GLOB '[12][0-9][0-9][0-9]-[01][0-9]'),
    currency TEXT NOT NULL,
    completed_fen INTEGER NOT NULL,
    cumulative_fen INTEGER,
    note TEXT NOT NULL DEFAULT '',
    reported_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    corrects INTEGER REFERENCES progress(id)
);
-- One original report per project and month; corrections chain through `corrects`.
CREATE UNIQUE INDEX progress_original ON progress(project, period) WHERE corrects IS NULL;
CREATE UNIQUE INDEX progress_corrects ON progress(corrects) WHERE corrects IS NOT NULL;
CREATE INDEX progress_period ON progress(period, project);
CREATE INDEX progress_chain ON progress(project, period, id);

CREATE TABLE leading_groups (
    code TEXT PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL CHECK (kind IN ('group','hq')),
    leader TEXT,
    deputies TEXT NOT NULL DEFAULT '[]',
    office_host TEXT REFERENCES units(name),
    mandate TEXT NOT NULL DEFAULT '',
    established TEXT
);
CREATE TABLE group_members (
    group_code TEXT NOT NULL REFERENCES leading_groups(code),
    unit TEXT NOT NULL REFERENCES units(name),
    position INTEGER NOT NULL,
    PRIMARY KEY (group_code, unit)
);
CREATE TABLE milestones (
    code TEXT PRIMARY KEY,
    group_code TEXT NOT NULL REFERENCES leading_groups(code),
    text TEXT NOT NULL,
    deadline_text TEXT NOT NULL,
    due TEXT NOT NULL,
    latest TEXT NOT NULL,
    aspirational INTEGER NOT NULL CHECK (aspirational IN (0, 1)),
    targets TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX milestones_group ON milestones(group_code, due);
CREATE TABLE targets (
    code TEXT PRIMARY KEY,
    indicator TEXT NOT NULL,
    indicator_en TEXT,
    year INTEGER NOT NULL,
    base_year INTEGER,
    direction TEXT NOT NULL CHECK (direction IN ('at_least','at_most')),
    value TEXT NOT NULL,
    unit TEXT NOT NULL
);
CREATE TABLE attraction (
    code TEXT PRIMARY KEY,
    kind TEXT NOT NULL CHECK (kind IN ('contracted','utilised')),
    origin TEXT NOT NULL CHECK (origin IN ('foreign','domestic')),
    currency TEXT NOT NULL,
    amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
    year INTEGER NOT NULL
);
CREATE TABLE policies (
    name TEXT NOT NULL,
    level TEXT NOT NULL CHECK (level IN ('town','city','province')),
    currency TEXT NOT NULL,
    government_min_fen INTEGER NOT NULL,
    social_min_fen INTEGER NOT NULL,
    effective_from TEXT NOT NULL,
    effective_to TEXT,
    PRIMARY KEY (name, effective_from)
);

-- Everything else that happens over time: task progress, target actuals, governance
-- events. Appended, never updated; a correction points at the entry it corrects.
CREATE TABLE entries (
    id INTEGER PRIMARY KEY,
    kind TEXT NOT NULL,
    subject TEXT NOT NULL,
    effective_on TEXT NOT NULL,
    recorded_at TEXT NOT NULL,
    payload TEXT NOT NULL DEFAULT '{{}}',
    note TEXT NOT NULL DEFAULT '',
    corrects INTEGER REFERENCES entries(id)
);
CREATE INDEX entries_subject ON entries(kind, subject, effective_on);
CREATE UNIQUE INDEX entries_corrects ON entries(corrects) WHERE corrects IS NOT NULL;
"""

# Views with Chinese labels for people who open the file in Datasette or a SQL browser.
_V2_VIEWS = """
CREATE TABLE labels (vocabulary TEXT NOT NULL, value TEXT NOT NULL, label_cn TEXT NOT NULL,
                     PRIMARY KEY (vocabulary, value));
CREATE VIEW projects_cn AS
SELECT p.code AS 项目编号, p.name AS 项目名称, c.label_cn AS 项目类别, s.label_cn AS 建设阶段,
       p.zone AS 所属板块, p.village AS 所属村, p.responsible_unit AS 责任单位,
       p.leader AS 挂点领导, p.currency AS 币种,
       p.government_fen / 1000000.0 AS "政府投资（万元）",
       p.social_fen / 1000000.0 AS "社会投资（万元）",
       p.total_fen / 1000000.0 AS "总投资（万元）",
       p.plan_fen / 1000000.0 AS "年度计划投资（万元）", p.plan_year AS 计划年度
FROM projects p
LEFT JOIN labels c ON c.vocabulary = 'category' AND c.value = p.category
LEFT JOIN labels s ON s.vocabulary = 'stage' AND s.value = p.stage;
CREATE VIEW progress_current AS
SELECT p.* FROM progress p
WHERE NOT EXISTS (SELECT 1 FROM progress c WHERE c.corrects = p.id);
"""


# Governance (the four working systems): reference records here, workflow events as
# entries. Rules that a town may change (response deadlines, the reporting calendar, the
# scoring scheme) are rows with an effective period and a JSON body.
_DAY = "GLOB '[12][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]'"
_V3 = f"""
CREATE TABLE problems (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    project TEXT REFERENCES projects(code),
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    raised_by TEXT NOT NULL CHECK (length(trim(raised_by)) > 0),
    raised_on TEXT NOT NULL CHECK (raised_on {_DAY}),
    severity TEXT NOT NULL CHECK (severity IN ('normal','urgent')),
    recorded_at TEXT NOT NULL
);
CREATE INDEX problems_project ON problems(project);
CREATE TABLE inspections (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    title TEXT NOT NULL CHECK (length(trim(title)) > 0),
    held_on TEXT NOT NULL CHECK (held_on {_DAY}),
    inspector TEXT,
    recorded_at TEXT NOT NULL
);
CREATE TABLE findings (
    code TEXT PRIMARY KEY CHECK (length(code) BETWEEN 1 AND 64),
    inspection TEXT NOT NULL REFERENCES inspections(code),
    project TEXT REFERENCES projects(code),
    task TEXT REFERENCES milestones(code),
    text TEXT NOT NULL CHECK (length(trim(text)) > 0),
    rectify_by TEXT NOT NULL CHECK (rectify_by {_DAY}),
    recorded_at TEXT NOT NULL,
    CHECK (project IS NOT NULL OR task IS NOT NULL)
);
CREATE INDEX findings_inspection ON findings(inspection);
CREATE TABLE governance_rules (
    kind TEXT NOT NULL CHECK (kind IN ('response','reporting','scoring')),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    effective_from TEXT NOT NULL CHECK (effective_from {_DAY}),
    effective_to TEXT CHECK (effective_to IS NULL OR effective_to >= effective_from),
    body TEXT NOT NULL CHECK (json_valid(body)),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (kind, name, effective_from)
);
"""


# Measured (bench/asof.py, 100 years of history): a project's reports as of a day went
# from 2 011 to 141 µs a read with the first index; a project as of a day from 546 to
# 36 µs with the second and the single-project query in reads.py.
_V4 = """
CREATE INDEX progress_project_reported ON progress(project, reported_on);
CREATE INDEX project_history_asof ON project_history(code, valid_from, version);
"""


# Planned start and completion days of a project (计划开工时间 / 计划竣工时间).
_V7 = f"""
ALTER TABLE projects ADD COLUMN planned_start TEXT CHECK (planned_start {_DAY});
ALTER TABLE projects ADD COLUMN planned_finish TEXT CHECK (planned_finish {_DAY});
ALTER TABLE project_history ADD COLUMN planned_start TEXT;
ALTER TABLE project_history ADD COLUMN planned_finish TEXT;
"""

# The official order of zones and units (排列顺序) as data: a position, NULL when unset.
_V10 = """
ALTER TABLE zones ADD COLUMN position INTEGER CHECK (position > 0);
ALTER TABLE units ADD COLUMN position INTEGER CHECK (position > 0);
"""


# The year's work target (年度工作目标) of a project, beside its annual plan.
_V11 = """
ALTER TABLE projects ADD COLUMN annual_goal TEXT;
ALTER TABLE project_history ADD COLUMN annual_goal TEXT;
"""

# What a cut leaves out (``unseen``: every report's note) counts the progress reports of
# each month of the period recorded after the cut: one short range of this index per
# month. Its condition (always true: record times are ISO text) keeps it to the questions
# that state it, so no other question's plan changes because it is there.
_V12 = """
CREATE INDEX progress_recorded ON progress(period, recorded_at) WHERE recorded_at > '';
"""


# Record times on all reference data, and one store of dated rules (policies, light rules,
# response and reporting rules, scoring schemes: ``townplan.model.dated``). Rows written
# before this version take the file's creation time (the record of migration 1), in the
# ledger's zone, which the file now names in ``townplan_meta``.
_REFERENCE_TABLES: Final = (
    "zones", "units", "leading_groups", "group_members", "milestones", "targets", "attraction",
)  # fmt: skip
_V5_RULES = f"""
CREATE TABLE rules (
    kind TEXT NOT NULL CHECK (length(trim(kind)) > 0),
    name TEXT NOT NULL CHECK (length(trim(name)) > 0),
    effective_from TEXT NOT NULL CHECK (effective_from {_DAY}),
    effective_to TEXT CHECK (effective_to IS NULL OR effective_to >= effective_from),
    body TEXT NOT NULL CHECK (json_valid(body)),
    recorded_at TEXT NOT NULL,
    PRIMARY KEY (kind, name, effective_from)
)
"""


def _yuan(fen: int) -> str:
    return str(Decimal(fen).scaleb(-2))


def _v5(db: sqlite_utils.Database) -> None:
    applied = db.execute("SELECT applied_at FROM townplan_migrations WHERE version = 1").fetchone()
    when = datetime.fromisoformat(applied[0]) if applied else datetime.now(UTC)
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    created = when.astimezone(ZoneInfo("Asia/Shanghai")).replace(tzinfo=None)
    created_at = created.isoformat(timespec="microseconds")
    for table in _REFERENCE_TABLES:
        db.execute(f"ALTER TABLE {table} ADD COLUMN recorded_at TEXT NOT NULL DEFAULT ''")
        db.execute(f"UPDATE {table} SET recorded_at = ?", [created_at])
    db.execute(_V5_RULES)
    db.execute(
        "INSERT INTO rules SELECT kind, name, effective_from, effective_to, body, recorded_at "
        "FROM governance_rules"
    )
    for r in db.execute("SELECT * FROM policies").fetchall():
        name, level, currency, gov, social, start, end = r
        body = {
            "name": name, "level": level,
            "government_min": {"amount": _yuan(gov), "currency": currency},
            "social_min": {"amount": _yuan(social), "currency": currency},
            "effective_from": start, "effective_to": end,
        }  # fmt: skip
        db.execute(
            "INSERT INTO rules VALUES ('policy', ?, ?, ?, ?, ?)",
            [name, start, end, json.dumps(body, ensure_ascii=False, sort_keys=True), created_at],
        )
    # Light rules were entries of kind "light_rule"; the one in force of each name and
    # start day moves over with its record time.
    lights = db.execute(
        "SELECT subject, effective_on, payload, recorded_at FROM entries e "
        "WHERE kind = 'light_rule' "
        "AND NOT EXISTS (SELECT 1 FROM entries c WHERE c.corrects = e.id) "
        "ORDER BY id"
    ).fetchall()
    for subject, start, payload, recorded_at in lights:
        data = json.loads(payload)
        body = {
            "name": subject, "amber_from": str(data.get("amber_from", "10")),
            "red_above": str(data.get("red_above", "30")),
            "effective_from": start, "effective_to": None,
        }  # fmt: skip
        db.execute(
            "INSERT OR REPLACE INTO rules VALUES ('light', ?, ?, NULL, ?, ?)",
            [subject, start, json.dumps(body, ensure_ascii=False, sort_keys=True), recorded_at],
        )
    # The lights on other dimensions were entries too (kind light_rule_<dimension>).
    for dimension, field in (("start", "red_after_months"), ("procedures", "red_after_days"),
                             ("escalation", "months")):  # fmt: skip
        found = db.execute(
            "SELECT subject, effective_on, payload, recorded_at FROM entries e "
            "WHERE kind = ? AND NOT EXISTS (SELECT 1 FROM entries c WHERE c.corrects = e.id) "
            "ORDER BY id",
            [f"light_rule_{dimension}"],
        ).fetchall()
        for subject, start, payload, recorded_at in found:
            body = {"name": subject, field: int(json.loads(payload)[field]),
                    "effective_from": start, "effective_to": None}  # fmt: skip
            db.execute(
                "INSERT OR REPLACE INTO rules VALUES (?, ?, ?, NULL, ?, ?)",
                [f"light_{dimension}", subject, start,
                 json.dumps(body, ensure_ascii=False, sort_keys=True), recorded_at],
            )  # fmt: skip
    moved = "kind = 'light_rule' OR kind GLOB 'light_rule_*'"
    db.execute(f"UPDATE entries SET corrects = NULL WHERE {moved}")
    db.execute(f"DELETE FROM entries WHERE {moved}")
    db.execute("DROP TABLE governance_rules")
    db.execute("DROP TABLE policies")
    db.execute("INSERT OR IGNORE INTO townplan_meta (key, value) VALUES ('zone', 'Asia/Shanghai')")


@attrs.frozen
class Migration:
    """One numbered step of the schema; ``codelist``: a step that only changes the rows
    of a codelist as an earlier step seeded them (made again by :func:`update_codelists`)."""

    version: int
    name: str
    apply: Callable[[sqlite_utils.Database], None]
    codelist: bool = False


def _script(sql: str) -> Callable[[sqlite_utils.Database], None]:
    def apply(db: sqlite_utils.Database) -> None:
        for statement in _statements(sql):
            db.execute(statement)

    return apply


def _statements(sql: str) -> list[str]:
    """Split a script on ';' at line ends (the scripts here hold no ';' inside strings)."""
    pieces = (
        "\n".join(line for line in part.splitlines() if not line.strip().startswith("--"))
        for part in sql.split(";\n")
    )
    return [piece.strip() for piece in pieces if piece.strip()]


def _v2(db: sqlite_utils.Database) -> None:
    from townplan.model.enums import Category, Direction, GroupKind, Level, Light, Stage

    _script(_V2_VIEWS)(db)
    rows = [
        {"vocabulary": enum.__name__.lower(), "value": m.value, "label_cn": m.label_cn}
        for enum in (Category, Stage, Direction, GroupKind, Level, Light)
        for m in enum
    ]
    db.table("labels").insert_all(rows)
    # Trigram FTS5 finds Chinese substrings of three characters or more; shorter queries
    # fall back to LIKE in the query layer. Triggers keep the index in step with writes.
    db.table("projects").enable_fts(
        ["name", "content"], fts_version="FTS5", tokenize="trigram", create_triggers=True
    )
    db.table("milestones").enable_fts(
        ["text"], fts_version="FTS5", tokenize="trigram", create_triggers=True
    )
    db.table("progress").enable_fts(
        ["note"], fts_version="FTS5", tokenize="trigram", create_triggers=True
    )


MIGRATIONS: Final[tuple[Migration, ...]] = (
    Migration(1, "core tables", _script(_V1)),
    Migration(2, "labels, views and full-text search", _v2),
    Migration(3, "governance: problems, inspections, findings, rules", _script(_V3)),
    Migration(4, "indexes for as-of reads", _script(_V4)),
    Migration(5, "funding sources, funding plans and funds arrived", apply_funding),
    Migration(6, "lifecycle: procedure kinds and procedures", apply_lifecycle),
    Migration(7, "planned start and completion days of projects", _script(_V7)),
    Migration(8, "record times on reference data; one store of dated rules; the zone", _v5),
    Migration(9, "indicators, standings, statistics counts and deals", apply_outcomes),
    Migration(10, "the official order of zones and units", _script(_V10)),
    Migration(11, "the year's work target of projects", _script(_V11)),
    Migration(12, "progress reports by record time", _script(_V12)),
    Migration(13, "aliases the default funding sources gained", apply_source_aliases, True),
)


def update_codelists(db: sqlite_utils.Database, since: int) -> None:
    """Make again the codelist changes of the steps after schema version ``since`` (the
    default funding sources' new aliases …), on codelists an earlier townplan wrote — a
    JSON document of that version loaded into a ledger of this one — as opening that
    townplan's file would; each keeps what the codelist itself added."""
    for step in MIGRATIONS:
        if step.codelist and step.version > since:
            step.apply(db)
