"""A ledger file opens in Datasette with descriptions, units and Chinese full-text search."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from datasette.app import Datasette

from townplan.io.datasette.metadata import datasette_metadata, write_datasette_metadata
from townplan.ledger import LedgerStore


def to_file(ledger: LedgerStore, path: Path) -> Path:
    with sqlite3.connect(path) as target:
        ledger.db.conn.backup(target)
    target.close()
    return path


def ask(path: Path, metadata: dict[str, Any], *urls: str) -> list[Any]:
    """Start Datasette in-process on ``path`` and GET each URL (JSON or HTML)."""

    async def run() -> list[Any]:
        ds = Datasette([str(path)], metadata=metadata)
        await ds.invoke_startup()
        found = []
        for url in urls:
            response = await ds.client.get(url)
            assert response.status_code == 200, (url, response.text[:500])
            found.append(response.json() if ".json" in url else response.text)
        return found

    return asyncio.run(run())


@pytest.fixture
def town_file(make_town: Callable[..., LedgerStore], tmp_path: Path) -> Path:
    with make_town() as ledger:
        return to_file(ledger, tmp_path / "town.db")


def test_projects_answer_and_chinese_search_finds_them(town_file: Path, tmp_path: Path) -> None:
    with LedgerStore.open(town_file) as ledger:
        written = write_datasette_metadata(ledger, tmp_path / "metadata.json")
    metadata = json.loads(written.read_text(encoding="utf-8"))
    every, park, either, notes = ask(
        town_file,
        metadata,
        "/town/projects.json?_shape=array",
        "/town/projects.json?_shape=array&_search=湿地公园",
        "/town/projects.json?_shape=array&_search=东环路 OR 滚装码头",
        '/town/progress_current.json?_shape=array&_search="形象进度：SZ-003"',  # a phrase
    )
    assert [p["code"] for p in every] == ["SZ-001", "SZ-002", "SZ-003", "SZ-004"]
    assert [(p["code"], p["name"]) for p in park] == [("SZ-002", "华阳湿地公园")]
    assert sorted(p["code"] for p in either) == ["SZ-001", "SZ-003"]  # raw FTS5 syntax
    assert sorted(r["period"] for r in notes) == ["2013-01", "2013-02", "2013-03"]


def test_descriptions_and_units_show(town_file: Path) -> None:
    with LedgerStore.open(town_file) as ledger:
        metadata = datasette_metadata(ledger)
    page, served, monthly = ask(
        town_file,
        metadata,
        "/town/projects",
        "/-/metadata.json",
        "/town/monthly_completed.json?_shape=array",
    )
    assert "项目库 the project register" in page
    assert "金额单位：分" in page  # the description of the *_fen columns
    assert served["title"] == "示例镇“三重”项目台账"
    # In 万元, corrections applied: February's 700万 of SZ-001 was corrected to 640.5万.
    assert [(m["月份"], m["币种"], m["本月完成（万元）"]) for m in monthly] == [
        ("2013-01", "CNY", 800.0),
        ("2013-01", "USD", 100.0),
        ("2013-02", "CNY", 1040.5),
        ("2013-02", "USD", 120.0),
        ("2013-03", "CNY", 650.0),
        ("2013-03", "USD", 90.0),
    ]


def test_the_sample_town_is_searchable(sample_town: LedgerStore, tmp_path: Path) -> None:
    path = to_file(sample_town, tmp_path / "sample.db")
    with LedgerStore.open(path) as ledger:
        metadata = datasette_metadata(ledger)
    every, wetland = ask(
        path,
        metadata,
        "/sample.json?sql=select+count(*)+as+n+from+projects&_shape=array",
        "/sample/projects.json?_shape=array&_search=湿地生态公园",
    )
    assert every == [{"n": 40}]
    assert [p["code"] for p in wetland] == ["SZ2013-012"]


def test_every_column_of_the_ledger_is_described(sample_town: LedgerStore) -> None:
    tables = datasette_metadata(sample_town)["databases"]["townplan"]["tables"]
    db = sample_town.db
    for name in [*db.table_names(), *db.view_names()]:
        if "_fts" in name or name == "townplan_migrations":
            continue
        assert tables[name].get("description"), name
        if name != "projects_cn":  # its columns are Chinese already
            assert set(tables[name]["columns"]) == {c.name for c in db[name].columns}, name
    for name, entry in tables.items():
        for column, text in entry.get("columns", {}).items():
            if column.endswith("_fen"):
                assert "金额单位：分" in text and "projects_cn" in text, (name, column)
    assert tables["townplan_migrations"] == {"hidden": True}
