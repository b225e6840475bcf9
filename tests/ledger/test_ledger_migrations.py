"""Migrations: a file at schema version 1, written with plain SQL as townplan 1 wrote it,
opens at the current version with every row intact; a failed step leaves a whole version."""

from __future__ import annotations

import sqlite3
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import sqlite_utils

import townplan as tp
import townplan.governance as gov
from townplan.ledger import SCHEMA_VERSION, LedgerStore, opening
from townplan.ledger.schema import MIGRATIONS, Migration
from townplan.query import LightRule

V1_TABLES = (
    "zones", "units", "projects", "project_history", "progress", "leading_groups",
    "group_members", "milestones", "targets", "attraction", "policies", "entries",
)  # fmt: skip
_PROJECT = (
    "code, name, category, stage, kind, currency, government_fen, social_fen, total_fen, "
    "plan_fen, plan_year, zone, village, responsible_unit, leader, content, start_year, "
    "end_year, town, valid_from, recorded_at"
)
V1_DATA = [
    ("INSERT INTO units VALUES ('城建办', NULL)", ()),
    ("INSERT INTO zones VALUES ('东区', 'East')", ()),
    (
        f"INSERT INTO projects ({_PROJECT}, version, change_note) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("P001", "中心大道二期工程", "infrastructure", "continuing", "construction", "CNY",
         12000000000, 3000000000, 15000000000, 4000000000, 2013, "东区", "下村", "城建办",
         "张三", "道路拓宽", 2012, 2014, "新塘镇", "2013-06-01", "2013-06-03T09:00:00.000000",
         2, "已开工"),
    ),
    (
        f"INSERT INTO project_history ({_PROJECT}, version, change_note) VALUES "
        "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        ("P001", "中心大道二期工程", "infrastructure", "new_start", "construction", "CNY",
         12000000000, 3000000000, 15000000000, 4000000000, 2013, "东区", "下村", "城建办",
         "张三", "道路拓宽", 2012, 2014, "新塘镇", "2013-01-01", "2013-01-05T00:00:00.000000",
         1, ""),
    ),
    (
        "INSERT INTO progress VALUES (1, 'P001', '2013-06', 'CNY', 500000000, 6500000000, "
        "'路基施工顺利推进', '2013-07-03', '2013-07-03T10:00:00.000000', NULL)",
        (),
    ),
    (
        "INSERT INTO progress VALUES (2, 'P001', '2013-06', 'CNY', 450000000, NULL, "
        "'更正统计口径', '2013-08-10', '2013-08-10T16:00:00.000000', 1)",
        (),
    ),
    ("INSERT INTO leading_groups VALUES ('G01', '城市道路建设工作领导小组', 'group', '李四', "
     "'[\"王五\"]', '城建办', '统筹道路建设', '2013-01-05')", ()),
    ("INSERT INTO group_members VALUES ('G01', '城建办', 0)", ()),
    ("INSERT INTO milestones VALUES ('T01', 'G01', '完成中心大道二期路基', '6月底前', "
     "'2013-06-30', '2013-06-30', 0, '[{\"value\": \"3.2\", \"unit\": \"公里\", "
     "\"direction\": \"at_least\"}]')", ()),
    ("INSERT INTO entries VALUES (1, 'target_actual', 'GDP', '2013-06-30', "
     "'2013-07-01T00:00:00.000000', '{\"value\": \"14.6\"}', '', NULL)", ()),
]  # fmt: skip


def make_v1(path: Path) -> dict[str, list[Any]]:
    """A version-1 ledger holding V1_DATA; returns every row of every v1 table."""
    db = opening.connect(path)
    assert opening.migrate(db, path, target=1) == 1
    for sql, params in V1_DATA:
        db.execute(sql, params)
    rows = dump(db)
    db.close()
    return rows


def dump(db: sqlite_utils.Database) -> dict[str, list[Any]]:
    """Every row of every v1 table later versions keep, in v1's columns (later versions
    add columns; policies moved to ``rules`` in version 8)."""
    return {
        t: db.execute(f"SELECT {', '.join(V1_COLUMNS[t])} FROM [{t}] ORDER BY 1, 2").fetchall()
        for t in V1_TABLES
        if t != "policies"
    }


def _v1_columns() -> dict[str, list[str]]:
    db = opening.connect(":memory:")
    opening.migrate(db, ":memory:", target=1)
    found = {t: [c.name for c in db[t].columns] for t in V1_TABLES}
    db.close()
    return found


V1_COLUMNS = _v1_columns()


def test_v1_file_is_migrated_with_every_row_intact(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    before = make_v1(path)
    with LedgerStore.open(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        assert dump(ledger.db) == before
        versions = ledger.db.execute("SELECT version FROM townplan_migrations ORDER BY 1")
        assert [r[0] for r in versions] == list(range(1, SCHEMA_VERSION + 1))


def test_v1_records_read_as_the_records_they_were(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    make_v1(path)
    with LedgerStore.open(path) as ledger:
        p = ledger.project("P001")
        assert (p.name, p.stage, p.total_investment) == (
            "中心大道二期工程", tp.Stage.CONTINUING, tp.Money.parse("1.5亿"),
        )  # fmt: skip
        assert p.annual_plan == tp.Money.parse("4000万") and p.zone == "东区"
        assert ledger.as_of(date(2013, 5, 1)).project("P001").stage is tp.Stage.NEW_START
        assert [r.completed for r in ledger.progress()] == [tp.Money.parse("450万")]
        old = ledger.as_of(date(2013, 7, 31)).progress()
        assert [r.completed for r in old] == [tp.Money.parse("500万")]
        (group,) = ledger.groups()
        assert (group.deputies, group.member_units) == (("王五",), ("城建办",))
        (task,) = ledger.tasks()
        assert task.deadline.due == date(2013, 6, 30)
        assert task.targets == (tp.Measure(tp.Money.parse("3.2").amount, "公里"),)
        assert [e.payload for e in ledger.entries()] == [{"value": "14.6"}]


def test_v1_text_becomes_searchable_after_migrating(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    make_v1(path)
    with LedgerStore.open(path) as ledger:
        hits = ledger.db.execute(
            "SELECT p.code FROM projects_fts f JOIN projects p ON p.rowid = f.rowid "
            "WHERE projects_fts MATCH ?",
            ['"中心大道"'],
        ).fetchall()
        assert hits == [("P001",)]
        notes = ledger.db.execute(
            "SELECT rowid FROM progress_fts WHERE progress_fts MATCH ?", ['"统计口径"']
        ).fetchall()
        assert notes == [(2,)]


def test_a_failed_migration_step_leaves_the_previous_whole_version(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "v1.db"
    before = make_v1(path)
    real = MIGRATIONS[1]

    def half_then_fail(db: sqlite_utils.Database) -> None:
        real.apply(db)  # the step's tables are made, then the SQLite build lacks something
        raise sqlite3.OperationalError("no such tokenizer: trigram")

    broken = (MIGRATIONS[0], Migration(real.version, real.name, half_then_fail), *MIGRATIONS[2:])
    monkeypatch.setattr(opening, "MIGRATIONS", broken)
    with pytest.raises(tp.SchemaError, match="trigram"):
        LedgerStore.open(path)
    conn = sqlite3.connect(path)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    recorded = conn.execute("SELECT version FROM townplan_migrations").fetchall()
    conn.close()
    assert (version, recorded) == (1, [(1,)])
    assert "labels" not in tables and not any("_fts" in t for t in tables)
    monkeypatch.undo()
    with LedgerStore.open(path) as ledger:
        assert ledger.schema_version == SCHEMA_VERSION
        assert dump(ledger.db) == before


def test_v1_file_cannot_be_opened_read_only_and_stays_untouched(tmp_path: Path) -> None:
    path = tmp_path / "v1.db"
    make_v1(path)
    raw = path.read_bytes()
    with pytest.raises(tp.SchemaError, match="read-only"):
        LedgerStore.open(path, read_only=True)
    assert path.read_bytes() == raw


def test_migrating_to_a_lower_target_than_the_file_does_nothing(tmp_path: Path) -> None:
    path = tmp_path / "town.db"
    LedgerStore.open(path).close()
    db = opening.connect(path)
    assert opening.migrate(db, path, target=1) == SCHEMA_VERSION
    db.close()


def test_a_v4_file_keeps_its_rules_in_one_store_and_its_rows_take_the_file_time(
    tmp_path: Path,
) -> None:
    path = tmp_path / "v4.db"
    make_v1(path)
    db = opening.connect(path)
    opening.migrate(db, path, target=4)
    db.execute("UPDATE townplan_migrations SET applied_at = '2013-01-04T16:00:00+00:00'")
    db.execute(
        "INSERT INTO policies VALUES ('2013标准', 'town', 'CNY', 2000000000, 20000000000, "
        "'2013-01-01', NULL)"
    )
    db.execute(
        "INSERT INTO governance_rules VALUES ('response', '从快', '2013-01-01', NULL, "
        '\'{"name": "从快", "urgent_days": 1, "normal_days": 10, "working_days": true, '
        '"holidays": [], "extra_workdays": [], "effective_from": "2013-01-01", '
        "\"effective_to\": null}', '2013-03-01T09:00:00.000000')"
    )
    db.execute(
        "INSERT INTO entries VALUES (2, 'light_rule', '严格', '2013-07-01', "
        '\'2013-06-20T00:00:00.000000\', \'{"amber_from": "5", "red_above": "20"}\', \'\', NULL)'
    )
    db.close()
    with tp.Ledger.open(path) as ledger:
        assert ledger.policy(on=date(2013, 6, 30)).government_min == tp.Money.parse("2000万")
        assert ledger.rule(gov.ResponseRule, on=date(2013, 6, 30)).urgent_days == 1
        light = ledger.rule(LightRule, on=date(2013, 7, 1))
        assert (light.name, light.amber_from) == ("严格", Decimal(5))
        assert ledger.as_of(date(2013, 6, 19)).rule(LightRule) == LightRule.default()
        assert ledger.entries(kind="light_rule") == []
        # Rows without a record time take the file's creation time (5 January, 00:00 CST).
        assert [u.name for u in ledger.as_of(date(2013, 1, 5)).units()] == ["城建办"]
        assert ledger.as_of(date(2013, 1, 4)).units() == []
        assert ledger.zone.key == "Asia/Shanghai"
