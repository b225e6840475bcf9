"""A report as of a cut says what the cut hides: ``unseen`` counts the facts of its period
recorded after the day it is as of, and every format shows the note.

The ledger is written by hand with the record time of every fact, and the expected count
is read off those writes, not from the ledger."""

from __future__ import annotations

import csv
import functools
from datetime import date, timedelta
from pathlib import Path

import attrs
import docx
import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import townplan as tp
from townplan.reports import bulletin, ranking_notice, year_summary

JULY_15 = date(2013, 7, 15)


def _project(code: str) -> tp.Project:
    return tp.Project(
        code=code, name=f"项目{code}", category=tp.Category.INFRASTRUCTURE,
        stage=tp.Stage.CONTINUING, responsible_unit="城建办",
        government_investment=tp.Money.parse("1.2亿"), annual_plan=tp.Money.parse("2400万"),
        plan_year=2013,
    )  # fmt: skip


def _report(code: str, month: int, on: date) -> tp.ProgressReport:
    return tp.ProgressReport(project=code, period=f"2013-{month:02d}",
                             completed=tp.Money.parse("100万"), reported_on=on)  # fmt: skip


@pytest.fixture
def town() -> tp.Ledger:
    """Two projects registered in January; January to June reported on time, except that
    P2's June report arrived and was written down on 1 August; P1's stage changed from
    1 June, written down in September; July's reports came in August."""
    ledger = tp.Ledger.open(":memory:")
    ledger.add_units(["城建办"], recorded_at=date(2013, 1, 5))
    ledger.add_policy(tp.ThresholdPolicy.default(effective_from=date(2013, 1, 1)),
                      recorded_at=date(2013, 1, 5))  # fmt: skip
    ledger.add_projects([_project("P1"), _project("P2")], on=date(2013, 1, 1),
                        recorded_at=date(2013, 1, 5))  # fmt: skip
    for month in range(1, 7):
        for code in ("P1", "P2"):
            late = code == "P2" and month == 6
            on = date(2013, 8, 1) if late else date(2013, month + 1, 3)
            ledger.record_progress(_report(code, month, on), recorded_at=on)
    for code in ("P1", "P2"):  # July: after the period of a June bulletin
        ledger.record_progress(_report(code, 7, date(2013, 8, 4)), recorded_at=date(2013, 8, 4))
    p1 = ledger.project("P1")
    ledger.update_project(attrs.evolve(p1, stage=tp.Stage.COMPLETED), on=date(2013, 6, 1),
                          note="竣工", recorded_at=date(2013, 9, 2))  # fmt: skip
    return ledger


def test_the_june_bulletin_counts_what_was_written_down_after_its_day(town: tp.Ledger) -> None:
    june = bulletin(town, "2013-06")
    # P2's June report (1 August) and P1's stage change dated 1 June (2 September); not
    # July's reports, of a later month, nor anything written down by 15 July.
    assert june.as_of == JULY_15 and june.unseen == 2
    assert bulletin(town, "2013-06", as_of=date(2013, 8, 1)).unseen == 1  # the stage change
    assert bulletin(town, "2013-06", as_of=date(2013, 9, 2)).unseen == 0
    may = bulletin(town, "2013-05")  # the stage change of 1 June is not of May
    assert may.unseen == 0 and may.notes() == ()
    assert bulletin(town, "2013-06", as_of=date(2013, 9, 2)).notes() == ()


def test_year_reports_count_the_year(town: tp.Ledger) -> None:
    # As of 1 August: P2's June report (recorded that day) is known, then July's reports
    # (4 August) and the stage change (2 September) are not.
    assert year_summary(town, 2013, as_of=date(2013, 8, 1)).unseen == 3
    assert ranking_notice(town, 2013, as_of=date(2013, 8, 1)).unseen == 3
    assert year_summary(town, 2013).unseen == 0  # as of 15 January 2014


def test_every_format_shows_the_note(town: tp.Ledger, tmp_path: Path) -> None:
    june = bulletin(town, "2013-06")
    cn = "注：本期另有2条记录在2013年7月15日之后录入，未计入本报告"
    en = "Note: 2 records of this period were recorded after 2013-07-15"
    markdown = june.to_markdown().splitlines()
    assert (
        markdown.index(f"> {cn}；按更晚的日期生成即可计入。")
        == markdown.index("截至2013年7月15日") + 2
    )
    assert f"> {en}" in june.to_markdown("en")
    assert f'<p class="note">{cn}' in june.to_html(charts=False)
    book = openpyxl.load_workbook(june.to_xlsx(tmp_path / "b.xlsx"))
    assert book.sheetnames[0] == "说明"
    assert str(book["说明"]["A1"].value).startswith(cn)
    files = june.to_csv(tmp_path / "csv", lang="en")
    with (tmp_path / "csv" / "bulletin-notes.csv").open(encoding="utf-8-sig") as handle:
        assert list(csv.reader(handle))[:2] == [["Note"], [june.notes("en")[0]]]
    assert tmp_path / "csv" / "bulletin-notes.csv" in files
    word = docx.Document(str(june.to_docx(tmp_path / "b.docx")))
    texts = [p.text for p in word.paragraphs]
    dated = texts.index("2013年7月15日")  # the 成文日期, then the 附注 in brackets
    assert texts[dated + 1].startswith(f"（{cn}")


def test_nothing_is_noted_when_the_cut_hides_nothing(town: tp.Ledger, tmp_path: Path) -> None:
    known = bulletin(town, "2013-06", as_of=date(2013, 9, 2))
    assert "> " not in known.to_markdown() and 'class="note"' not in known.to_html(charts=False)
    assert "说明" not in openpyxl.load_workbook(known.to_xlsx(tmp_path / "b.xlsx")).sheetnames
    assert not any(p.name.endswith("notes.csv") for p in known.to_csv(tmp_path))


@functools.cache
def _one_project() -> tp.Ledger:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_units(["城建办"], recorded_at=date(2013, 1, 1))
    ledger.add_projects([_project("P1")], on=date(2013, 1, 1), recorded_at=date(2013, 1, 1))
    return ledger


# Record days of progress reports (month, days after the month's end it was written down).
_WRITES = st.lists(
    st.tuples(st.integers(1, 12), st.integers(0, 60)),
    min_size=0,
    max_size=12,
    unique_by=lambda w: w[0],
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(writes=_WRITES, month=st.integers(1, 12), late=st.integers(0, 40))
def test_unseen_is_what_was_recorded_after_the_cut(
    writes: list[tuple[int, int]], month: int, late: int
) -> None:
    ledger = _one_project().copy()  # a fresh ledger per example, without the migrations
    recorded = {}
    for m, after in writes:
        period = tp.Period.parse(f"2013-{m:02d}")
        day = period.end + timedelta(days=after)
        ledger.record_progress(_report("P1", m, day), recorded_at=day)
        recorded[m] = day
    cut = tp.Period.parse(f"2013-{month:02d}").end + timedelta(days=late)
    expected = sum(1 for m, day in recorded.items() if m <= month and day > cut)
    assert ledger.as_of(cut).unseen(date(2013, 1, 1), date(2013, month, 28)) == expected
    ledger.close()
