"""`townplan import register --headers FILE --dry-run` reads the town's mapping and prints
the mapping it used, column by column, and the columns it left out."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from townplan.cli import cli as main
from townplan.ledger import LedgerStore

SHEET = (
    "单位：万元\n序号,项目名称,项目类别,建设性质,联络领导,总投资,备注\n"
    "1,中心大道,基础设施,储备,张三,1200,省重点\n"
)


def test_headers_file_and_dry_run_mapping(tmp_path: Path) -> None:
    sheet = tmp_path / "plan.csv"
    sheet.write_bytes(SHEET.encode("gbk"))
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[headers]\n"联络领导" = "leader"\n"备注" = ""\n[stages]\n"储备" = "前期"\n',
        encoding="utf-8",
    )
    db = tmp_path / "town.db"
    runner = CliRunner()
    dry = runner.invoke(
        main, ["import", "register", str(db), str(sheet), "--headers", str(mapping), "--dry-run"]
    )
    assert dry.exit_code == 0, dry.output
    lines = [line.split("\t") for line in dry.output.splitlines() if "\t" in line]
    assert ["B", "项目名称", "name", ""] in lines
    assert ["E", "联络领导", "leader", ""] in lines
    assert ["F", "总投资", "total_investment", "万元"] in lines
    assert ["G", "备注", "—", ""] in lines  # a column left out, with its letter
    assert not db.exists()
    done = runner.invoke(
        main,
        ["import", "register", str(db), str(sheet), "--headers", str(mapping),
         "--recorded-at", "2013-07-03"],
    )  # fmt: skip
    assert done.exit_code == 0, done.output
    with LedgerStore.open(db) as ledger:
        (project,) = ledger.projects()
        assert (project.name, project.leader, project.stage.label_cn) == (
            "中心大道",
            "张三",
            "前期",
        )
        recorded = ledger.db.execute("SELECT recorded_at FROM projects").fetchone()[0]
        assert recorded.startswith("2013-07-03")


def test_json_headers_file(tmp_path: Path) -> None:
    sheet = tmp_path / "plan.csv"
    sheet.write_text(SHEET, encoding="utf-8")
    mapping = tmp_path / "map.json"
    mapping.write_text(json.dumps({"联络领导": "leader", "备注": ""}), encoding="utf-8")
    result = CliRunner().invoke(
        main, ["import", "register", str(tmp_path / "t.db"), str(sheet), "--headers", str(mapping)]
    )
    assert result.exit_code == 0, result.output


def test_an_english_run_gives_the_mapping_advice_as_a_headers_file_line(tmp_path: Path) -> None:
    sheet = tmp_path / "plan.csv"
    sheet.write_text("项目编号,项目名称,项目类别,责仁单位\nP1,中心大道,基础设施,城建办\n",
                     encoding="utf-8")  # fmt: skip
    db = tmp_path / "town.db"
    runner = CliRunner(env={"TOWNPLAN_LANG": "en", "COLUMNS": "400"})
    failed = runner.invoke(main, ["import", "register", str(db), str(sheet)])
    message = " ".join(failed.stderr.split())
    assert failed.exit_code != 0 and "headers={" not in message
    line = '"责仁单位" = "responsible_unit"'
    assert f"put {line} under [headers] in the --headers file" in message
    mapping = tmp_path / "map.toml"
    mapping.write_text(f"[headers]\n{line}\n", encoding="utf-8")  # the advice, as given
    done = runner.invoke(main, ["import", "register", str(db), str(sheet), "--headers",
                                str(mapping)])  # fmt: skip
    assert done.exit_code == 0, done.output
    with LedgerStore.open(db) as store:
        assert store.project("P1").responsible_unit == "城建办"
