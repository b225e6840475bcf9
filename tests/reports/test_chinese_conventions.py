"""The conventions of a Chinese report, as a reader sees them in the rendered bulletin:
dates written 2013年7月15日, 、 between listed items, "1月" for January, rates to a set
number of places in machine files (exact in the API)."""

from __future__ import annotations

import csv
import re
from decimal import Decimal
from pathlib import Path

import townplan as tp

CJK_LIST_WITH_COMMA = re.compile(r"[\u4e00-\u9fff”], [\u4e00-\u9fff“]")


def test_a_january_bulletin_reads_as_an_office_writes_it(sample_town: tp.Ledger) -> None:
    january = tp.reports.bulletin(sample_town, "2013-01")
    text = january.to_markdown()
    assert "1月完成投资" in text and "1-1月" not in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # no ISO day anywhere
    assert "截至2013年2月15日" in text
    assert not CJK_LIST_WITH_COMMA.search(text)  # lists take 、, never ", "


def test_csv_rates_have_four_places_and_the_api_keeps_them_exact(
    sample_town: tp.Ledger, tmp_path: Path
) -> None:
    june = tp.reports.bulletin(sample_town, "2013-06")
    june.to_csv(tmp_path)
    with (tmp_path / "bulletin-units.csv").open(encoding="utf-8-sig") as f:
        rates = [row["完成率"] for row in csv.DictReader(f) if row["完成率"]]
    assert rates and all(re.fullmatch(r"\d+\.\d{4}", r) for r in rates)
    exact = [r for r in june.table("units").values("rate") if r is not None]
    assert any(len(str(r).split(".")[1]) > 4 for r in exact if isinstance(r, Decimal))
    assert len(rates) == len(exact) + 1  # and the 合计 row's
    assert [Decimal(r) for r in rates[:-1]] == [r.quantize(Decimal("0.0001")) for r in exact]
