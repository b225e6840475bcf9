"""The sample town as the report states it: 力争 kept, the review year viewable, the town
and city in the ledger's meta (through the API and the command line)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import townplan as tp
from townplan.cli import cli
from townplan.reports import year_summary


@pytest.mark.parametrize(
    ("text", "due", "latest"),
    [
        ("力争到2015年底", date(2015, 12, 31), date(2015, 12, 31)),
        ("力争年底前", date(2013, 12, 31), date(2013, 12, 31)),
        ("力争用2-3年时间", date(2014, 12, 31), date(2015, 12, 31)),
        ("力争通过3年的专项行动", date(2015, 12, 31), date(2015, 12, 31)),
        ("力争2014年上半年", date(2014, 6, 30), date(2014, 6, 30)),
        ("力争在2015年底前", date(2015, 12, 31), date(2015, 12, 31)),
        ("力争到今年底", date(2013, 12, 31), date(2013, 12, 31)),
    ],
)
def test_the_forms_of_strive_for(text: str, due: date, latest: date) -> None:
    d = tp.Deadline.parse(text, year=2013)
    assert (d.due, d.latest, d.aspirational, d.text) == (due, latest, True, text)


def test_without_strive_for_a_deadline_is_firm() -> None:
    d = tp.Deadline.parse("到2015年底")
    assert (d.due, d.aspirational) == (date(2015, 12, 31), False)
    with pytest.raises(tp.ValidationError):
        tp.Deadline.parse("力争到")


_FORMS = st.sampled_from(["年底前", "上半年", "下半年", "6月底前", "今年", "用2-3年时间", "3年"])


@given(form=_FORMS, year=st.integers(min_value=1990, max_value=2100))
def test_strive_for_changes_nothing_but_aspiration(form: str, year: int) -> None:
    firm = tp.Deadline.parse(form, year=year)
    strive = tp.Deadline.parse("力争" + form, year=year)
    assert (strive.due, strive.latest, strive.aspirational) == (firm.due, firm.latest, True)


@given(year=st.integers(min_value=1990, max_value=2100))
def test_strive_to_the_end_of_a_named_year(year: int) -> None:
    d = tp.Deadline.parse(f"力争到{year}年底")
    assert (d.due, d.aspirational) == (date(year, 12, 31), True)


def test_the_five_strive_for_tasks_keep_it(sample_town: tp.Ledger) -> None:
    # T08 力争年底前…, T12 力争用2-3年时间…, T14 力争到xxxx年底…, T16 力争通过3年…,
    # T18 力争取得总分前三名, T21 力争xxxx年上半年 (as before)
    strive = {m.code for m in sample_town.tasks() if m.deadline.aspirational}
    assert strive == {"T08", "T12", "T14", "T16", "T18", "T21"}
    assert sample_town.task("T14").deadline.due == date(2015, 12, 31)
    assert sample_town.query().tasks().where(aspirational=True).count() == 6


def test_the_review_year_can_be_viewed(sample_town: tp.Ledger) -> None:
    # "选择36个政府投资1000万元以上、社会投资2亿元以上的项目" — a fact of 2012
    policy = sample_town.policy(date(2012, 12, 31))
    assert (policy.government_min, policy.social_min) == (
        tp.Money.parse("1000万元"), tp.Money.parse("2亿元"))  # fmt: skip
    sample_town.query().projects().eligible().on(date(2012, 12, 31)).count()
    report = year_summary(sample_town, 2012)
    assert report.title("cn").startswith("2012年")


def test_meta_through_init_and_meta(tmp_path: Path) -> None:
    path = str(tmp_path / "town.db")
    runner = CliRunner()
    made = runner.invoke(cli, ["init", path, "--town", "示例镇", "--city", "东莞市"])
    assert made.exit_code == 0, made.output
    assert "示例镇" in made.output and "东莞市" in made.output
    changed = runner.invoke(cli, ["meta", path, "--province", "广东省"])
    assert changed.exit_code == 0 and "广东省" in changed.output
    with tp.Ledger.open(path) as ledger:
        meta = ledger.meta()
        assert (meta["town"], meta["city"], meta["province"]) == ("示例镇", "东莞市", "广东省")
        ledger.set_meta(province=None)
        assert "province" not in ledger.meta()
        with pytest.raises(tp.ValidationError, match="town"):
            ledger.set_meta(town="示例镇/一区")
    bad = runner.invoke(cli, ["meta", path, "--town", " "])
    assert bad.exit_code != 0 and "Traceback" not in bad.output


def test_the_towns_name_reaches_oc4ids_ids() -> None:
    from townplan.io import to_oc4ids

    with tp.Ledger.open(":memory:") as ledger:
        ledger.set_meta(town="麻涌镇", city="东莞市")
        road = tp.Project(code="P1", name="东环路", category=tp.Category.INFRASTRUCTURE)
        ledger.add_project(road, on=date(2013, 1, 1))
        (project,) = to_oc4ids(ledger)["projects"]
        assert project["id"] == "oc4ids-townplan-麻涌镇-P1"
        assert project["locations"][0]["address"] == {"locality": "麻涌镇", "region": "东莞市"}
