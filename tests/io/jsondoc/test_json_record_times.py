"""Loading a document written by hand — a town's reference lists without record times —
as a past year: ``from_json(recorded_at=)`` and ``townplan import json --recorded-at``
stamp what the document leaves unstamped, and keep the times it gives."""

from __future__ import annotations

import json
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

from click.testing import CliRunner

import townplan as tp
from townplan.cli import cli

DOCUMENT: dict[str, Any] = {
    "format": "townplan",
    "version": 1,
    "zones": [{"name": "水乡新城区", "recorded_at": "2012-03-01T09:30:00.000000"}],
    "units": [{"name": "城建办"}, {"name": "农业办"}],
}


def _stamps(path: Path, table: str) -> dict[str, str]:
    with sqlite3.connect(path) as db:
        return dict(db.execute(f"SELECT name, recorded_at FROM {table}").fetchall())


def test_what_the_document_leaves_unstamped_takes_the_record_time(tmp_path: Path) -> None:
    path = tmp_path / "past.db"
    tp.io.from_json(DOCUMENT, path, recorded_at=date(2013, 1, 5)).close()
    assert _stamps(path, "units") == {"城建办": "2013-01-05T00:00:00.000000",
                                      "农业办": "2013-01-05T00:00:00.000000"}  # fmt: skip
    assert _stamps(path, "zones") == {"水乡新城区": "2012-03-01T09:30:00.000000"}
    with tp.Ledger.open(path) as town:
        assert {u.name for u in town.as_of(date(2013, 1, 5)).units()} == {"城建办", "农业办"}
        assert list(town.as_of(date(2013, 1, 4)).units()) == []


def test_without_a_record_time_it_is_now(tmp_path: Path) -> None:
    town = tp.io.from_json(DOCUMENT)
    assert list(town.as_of(date(2013, 1, 5)).units()) == []
    assert len(list(town.as_of(town.today()).units())) == 2


def test_the_command_line_loads_a_document_with_its_record_time(tmp_path: Path) -> None:
    doc = tmp_path / "town.json"
    doc.write_text(json.dumps(DOCUMENT, ensure_ascii=False), encoding="utf-8")
    runner = CliRunner(env={"TOWNPLAN_LANG": "zh"})
    ledger = tmp_path / "town.db"
    done = runner.invoke(cli, ["import", "json", str(ledger), str(doc),
                               "--recorded-at", "2013-01-05"])  # fmt: skip
    assert done.exit_code == 0, done.output
    assert set(_stamps(ledger, "units").values()) == {"2013-01-05T00:00:00.000000"}
    again = runner.invoke(cli, ["import", "json", str(ledger), str(doc)])
    assert again.exit_code == 1 and "已存在" in again.stderr and "Traceback" not in again.output
    broken = tmp_path / "broken.json"
    broken.write_text("{", encoding="utf-8")
    bad = runner.invoke(cli, ["import", "json", str(tmp_path / "b.db"), str(broken)])
    assert bad.exit_code == 1 and bad.stderr.startswith("错误：")
    assert not (tmp_path / "b.db").exists()
