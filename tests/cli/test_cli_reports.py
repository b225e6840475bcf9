"""``townplan bulletin / summary / ranking / demo``: the files they write and what they print."""

from __future__ import annotations

import csv
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl

import townplan as tp
from townplan.reports.charts import cjk_font

BULLETIN_TABLES = (
    "zones", "categories", "units", "lights", "starts", "lifecycle_lights", "procedures",
    "overdue_procedures", "halted", "leaders", "funding", "tasks", "problems", "reports",
    "progress",
)  # fmt: skip


def _csv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.reader(handle))


def test_bulletin_writes_markdown_by_default(run: Any, sample_db: Path, tmp_path: Path) -> None:
    result = run.ok("bulletin", sample_db, "--month", "2013-06", "--out", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulletin.md"]
    text = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    assert text.startswith("# 2013年6月“三重”建设重大项目进度通报")
    assert "截至2013年7月15日" in text
    # the headline is printed too
    assert "红灯项目" in result.stdout and "87.58亿元" in result.stdout


def test_bulletin_in_every_format(run: Any, sample_db: Path, tmp_path: Path) -> None:
    run.ok("bulletin", sample_db, "--month", "2013-06", "--format", "all", "--out", tmp_path)
    names = {p.name for p in tmp_path.iterdir()}
    keys = {n for n in names if n.endswith("-key.csv")}
    names -= keys
    # without a Chinese font the zones chart is drawn with numbered labels and a key
    assert keys == (set() if cjk_font() else {"bulletin-zones-key.csv"})
    charts = {f"bulletin-{c}.png" for c in ("zones", "lights", "monthly")}
    tables = {f"bulletin-{t}.csv" for t in BULLETIN_TABLES}
    documents = {"bulletin.md", "bulletin.html", "bulletin.docx", "bulletin.xlsx"}
    assert names == {*documents, *tables, *charts, "bulletin-notes.csv"}
    with tp.Ledger.open(sample_db) as town:
        query = town.as_of(date(2013, 7, 15)).query().projects().eligible()
        (total,) = list(query.on(date(2013, 6, 30)).summary())
    *_, last = _csv(tmp_path / "bulletin-zones.csv")
    assert Decimal(last[3]) * 10_000 == total.year_to_date.amount
    sheet = openpyxl.load_workbook(tmp_path / "bulletin.xlsx")["分板块完成情况"]
    assert list(sheet.values)[-1][1] == 36


def test_bulletin_as_a_word_document(run: Any, sample_db: Path, tmp_path: Path) -> None:
    import docx

    run.ok("bulletin", sample_db, "--month", "2013-06", "--format", "docx", "--out", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bulletin.docx"]
    document = docx.Document(str(tmp_path / "bulletin.docx"))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    texts = [p.text for p in document.paragraphs]
    assert "第6期" in texts and "2013年7月15日" in texts
    with tp.Ledger.open(sample_db) as town:
        in_plan = town.as_of(date(2013, 7, 15)).query().projects().eligible()
        codes = {p.code for p in in_plan.on(date(2013, 6, 30))}
    annex = document.tables[-1]
    assert {row.cells[0].text for row in annex.rows[1:]} == codes
    assert len(annex.rows) == 1 + len(codes)


def test_bulletin_chosen_formats_only(run: Any, sample_db: Path, tmp_path: Path) -> None:
    run.ok("bulletin", sample_db, "--month", "2013-06", "--format", "html", "--format", "csv",
           "--out", tmp_path)  # fmt: skip
    names = {p.name for p in tmp_path.iterdir()}
    assert "bulletin.html" in names and "bulletin-zones.csv" in names
    assert not {"bulletin.md", "bulletin.xlsx", "bulletin-zones.png"} & names


def test_bulletin_as_of_a_past_day(run: Any, sample_db: Path, tmp_path: Path) -> None:
    early, late = tmp_path / "early", tmp_path / "late"
    run.ok("bulletin", sample_db, "--month", "2013-06", "--as-of", "2013-07-08", "--format",
           "csv", "--out", early)  # fmt: skip
    run.ok("bulletin", sample_db, "--month", "2013-06", "--as-of", "2013-07-15", "--format",
           "csv", "--out", late)  # fmt: skip
    status = {row[0]: row[3] for row in _csv(early / "bulletin-reports.csv")[1:]}
    assert status["SZ2013-022"] == "未报"  # its report arrived on 2013-07-12
    status = {row[0]: row[3] for row in _csv(late / "bulletin-reports.csv")[1:]}
    assert status["SZ2013-022"] == "迟报"


def test_bulletin_in_english(run: Any, sample_db: Path, tmp_path: Path) -> None:
    result = run.ok("bulletin", sample_db, "--month", "2013-06", "--lang", "en", "--out",
                    tmp_path)  # fmt: skip
    text = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    assert "Missing and late reports for 2013-06" in text
    assert "Red" in result.stdout


def test_summary_writes_the_year_summary(run: Any, sample_db: Path, tmp_path: Path) -> None:
    result = run.ok("summary", sample_db, "--year", "2013", "--format", "md", "--format", "xlsx",
                    "--out", tmp_path)  # fmt: skip
    assert "全年完成投资" in result.stdout
    text = (tmp_path / "year-summary.md").read_text(encoding="utf-8")
    assert text.startswith("# 2013年“三重”建设重大项目年度总结")
    workbook = openpyxl.load_workbook(tmp_path / "year-summary.xlsx")
    assert workbook.sheetnames[:2] == ["说明", "分建设阶段"]


def test_ranking_writes_the_notice(run: Any, sample_db: Path, tmp_path: Path) -> None:
    result = run.ok("ranking", sample_db, "--year", "2013", "--format", "csv", "--out", tmp_path)
    assert "参评单位" in result.stdout
    header, *rows = _csv(tmp_path / "ranking-ranking.csv")
    assert header[:3] == ["名次", "单位", "得分"]
    assert [int(r[0]) for r in rows[:1]] == [1]
    for row in rows:
        assert Decimal(row[2]) == sum(Decimal(v) for v in row[3:])


def test_ranking_as_of_mid_year(run: Any, sample_db: Path, tmp_path: Path) -> None:
    run.ok("ranking", sample_db, "--year", "2013", "--as-of", "2013-07-15", "--out", tmp_path)
    assert "截至2013年7月15日" in (tmp_path / "ranking.md").read_text(encoding="utf-8")


def test_demo_builds_the_sample_town_and_writes_every_report(run: Any, tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = run.ok("demo", "--out", out)
    assert "红灯项目" in result.stdout
    # the last line is in the run's language, and says where everything went
    assert result.stdout.splitlines()[-1].startswith("已写入")
    names = {p.name for p in out.iterdir()}
    for kind in ("bulletin", "year-summary", "ranking"):
        assert {f"{kind}.md", f"{kind}.html", f"{kind}.docx", f"{kind}.xlsx"} <= names
    assert {f"bulletin-{t}.csv" for t in BULLETIN_TABLES} <= names
    assert {"bulletin-zones.png", "bulletin-lights.png", "bulletin-monthly.png",
            "year-summary-stages.png", "ranking-scores.png"} <= names  # fmt: skip
    for png in out.glob("*.png"):
        assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 10_000
    with tp.Ledger.open(out / "sample-town.db") as town:
        assert town.counts()["projects"] == 40
    bulletin = (out / "bulletin.md").read_text(encoding="utf-8")
    for code in ("SZ2013-006", "SZ2013-022", "SZ2013-033", "SZ2013-018", "SZ2013-026",
                 "SZ2013-016", "SZ2013-024", "SZ2013-003"):  # fmt: skip
        assert code in bulletin
    # the demo can run again over its own output
    run.ok("demo", "--out", out)
    with tp.Ledger.open(out / "sample-town.db") as town:
        assert town.counts()["projects"] == 40
