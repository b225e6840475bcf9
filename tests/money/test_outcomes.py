"""The report's outcomes in the sample town, checked against the report's own words (the
figures below are typed from the report by hand), and indicators, standings, 入统 and
deals on small ledgers made here, as-of cases included."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import townplan as tp
import townplan.governance as gov
from townplan.reports import year_summary
from townplan.reports.table import text_rows

# "全年完成生产总值107.7亿元,工业总产值557亿元,税收22.7亿元 … 单位GDP能耗下降4.8% … 市政道路总长比
# xxxx年增加5.8公里 … 新建绿道网12公里,新增绿化面积7.5万平方米 … 脱贫率96.7% … 对口两村贫困户脱贫率
# 达100% … 欠发达村村组两级经营性纯收入6116万元,同比增长5.2% … 信访案件调处成功率达100% … 群众
# 满意度达92% … 帮助409名新莞人子女入读公办学校 … 选择36个…项目"
REVIEW_YEAR = {
    "生产总值": "107.7亿元", "工业总产值": "557亿元", "税收": "22.7亿元",
    "单位GDP能耗下降": "4.8%", "市政道路总长增加": "5.8公里", "新建绿道网": "12公里",
    "新增绿化面积": "7.5万平方米", "镇内有劳动能力低保困难户脱贫率": "96.7%",
    "对口两村贫困户脱贫率": "100%", "欠发达村村组两级经营性纯收入": "6116万元",
    "欠发达村经营性纯收入同比增长": "5.2%", "信访案件调处成功率": "100%", "群众满意度": "92%",
    "新莞人子女入读公办学校": "409名", "纳入镇“三重”建设工作计划的项目": "36个",
}  # fmt: skip
# "获评全市量化考核综合总分第11名、“三重”建设第1名"
STANDINGS = {("东莞市", "量化考核综合总分"): 11, ("东莞市", "“三重”建设"): 1}
# "生产总值增长15%,可支配财政收入增长13%,固定资产投资总额增长18%,社会消费品零售总额增长11%,
# 出口总额增长8%,单位生产总值能耗下降8%,农民人均纯收入增长9%,城镇登记失业率控制在3%以内"
TARGETS_2013 = [
    ("生产总值增长", "不低于", "15%"), ("可支配财政收入增长", "不低于", "13%"),
    ("固定资产投资总额增长", "不低于", "18%"), ("社会消费品零售总额增长", "不低于", "11%"),
    ("出口总额增长", "不低于", "8%"), ("单位生产总值能耗下降", "不低于", "8%"),
    ("农民人均纯收入增长", "不低于", "9%"), ("城镇登记失业率", "不高于", "3%"),
]  # fmt: skip


def test_the_review_year_summary_states_the_reports_figures(sample_town: tp.Ledger) -> None:
    summary = year_summary(sample_town, 2012)
    review = {row[0]: row[1] for row in summary.table("review").rows}
    assert review == REVIEW_YEAR
    standings = {(r[0], r[1]): r[2] for r in summary.table("standings").rows}
    assert standings == {k: f"第{v}名" for k, v in STANDINGS.items()}
    attraction = {(r[0].label_cn, r[1]): r[2] for r in summary.table("attraction").rows}
    assert attraction == {
        ("合同利用外资", "USD"): tp.Money.parse("1.27亿美元"),
        ("实际利用外资", "USD"): tp.Money.parse("2.39亿美元"),
        ("合同利用内资", "CNY"): tp.Money.parse("15亿元"),
        ("实际利用内资", "CNY"): tp.Money.parse("9亿元"),
    }


def test_the_plan_year_summary_shows_eight_targets_with_baselines_and_directions(
    sample_town: tp.Ledger,
) -> None:
    summary = year_summary(sample_town, 2013)
    rows = text_rows(summary.table("targets"), "cn")
    assert [(r[0], r[2], r[3]) for r in rows] == TARGETS_2013
    baselines = {r[0]: r[1] for r in rows}
    # the base of "+15%" is 2012's 107.7亿元; of "−8%", 2012's 4.8 % — both in the report
    assert baselines["生产总值增长"] == "107.7亿元（2012年）"
    assert baselines["单位生产总值能耗下降"] == "4.8%（2012年）"
    assert all(b.endswith("（2012年，示例）") for k, b in baselines.items()
               if k not in ("生产总值增长", "单位生产总值能耗下降"))  # fmt: skip
    # the standing the town goes into the year with
    assert {r[2] for r in summary.table("standings").rows} == {"第11名", "第1名"}


def test_year_summary_on_the_command_line(sample_db: object, tmp_path: object) -> None:
    from click.testing import CliRunner

    from townplan.cli import cli

    runner = CliRunner()
    review = runner.invoke(cli, ["year-summary", str(sample_db), "--year", "2012",
                                 "--out", str(tmp_path)])  # fmt: skip
    assert review.exit_code == 0, review.output
    for indicator, value in REVIEW_YEAR.items():
        assert value in review.output and indicator[:4] in review.output
    assert "第11名" in review.output and "第1名" in review.output
    for figure in ("1.27亿美元", "2.39亿美元", "15亿元", "9亿元"):  # 合同/实际利用外资、内资
        assert figure in review.output
    plan = runner.invoke(cli, ["year-summary", str(sample_db), "--year", "2013",
                               "--out", str(tmp_path)])  # fmt: skip
    assert plan.exit_code == 0, plan.output
    assert "107.7亿元（2012年）" in plan.output and plan.output.count("不低于") == 7
    assert plan.output.count("不高于") == 1


@pytest.fixture
def sample_db(tmp_path_factory: pytest.TempPathFactory, sample_town: tp.Ledger) -> object:
    path = tmp_path_factory.mktemp("town") / "town.db"
    sample_town.copy(path).close()
    return path


def test_a_task_with_two_measures_tracks_them_apart(sample_town: tp.Ledger) -> None:
    # "11项32公里的联网道路建设": 11 roads and 32 km, each its own indicator
    roads, km = [i for i in sample_town.indicators() if i.task == "T04"]
    assert (roads.code, roads.value, roads.unit) == ("T04.1", Decimal(11), "项")
    assert (km.code, km.value, km.unit) == ("T04.2", Decimal(32), "公里")
    gov.record_observation(sample_town, "T04.1", 6, on=date(2013, 6, 30))
    gov.record_observation(sample_town, "T04.2", 12.5 if False else "12.5", on=date(2013, 6, 30))
    gov.record_observation(sample_town, "T04.2", "20", on=date(2013, 9, 30))
    june = {v.target.unit: v.actual for v in
            gov.indicator_statuses(sample_town, task="T04", on=date(2013, 7, 1))}  # fmt: skip
    assert june == {"项": Decimal(6), "公里": Decimal("12.5")}
    october = date(2013, 10, 1)  # before the year-end progress the sample town records
    sept = {v.target.unit: v.actual
            for v in gov.indicator_statuses(sample_town, task="T04", on=october)}  # fmt: skip
    assert sept == {"项": Decimal(6), "公里": Decimal(20)}
    assert not any(v.met for v in gov.indicator_statuses(sample_town, task="T04", on=october))
    assert [v.target.code for v in gov.target_verdicts(sample_town, 2013)] == [
        f"K0{n}" for n in range(1, 9)]  # fmt: skip


def test_strive_for_targets_and_a_statistic_without_a_target() -> None:
    with pytest.raises(tp.ValidationError, match="direction"):
        tp.Indicator(code="X", indicator="x", year=2013, unit="%", value=Decimal(1))
    with pytest.raises(tp.ValidationError, match="baseline"):
        tp.Indicator(code="X", indicator="x", year=2013, unit="%", baseline_year=2012)
    with tp.Ledger.open(":memory:") as ledger:
        gdp = tp.Indicator(code="R01", indicator="生产总值", year=2012, unit="亿元")
        ledger.add_targets([gdp], recorded_at=date(2012, 1, 4))
        assert ledger.targets() == []  # a statistic is no target
        v = gov.record_observation(ledger, "R01", "107.7", on=date(2012, 12, 31),
                                   recorded_at=date(2013, 1, 10))  # fmt: skip
        assert (v.met, v.reason_cn) == (None, "生产总值107.7亿元")
        early = gov.indicator_statuses(ledger.as_of(date(2013, 1, 9)), targets=False)
        assert [s.actual for s in early] == [None]  # observed for 2012, entered in January


def test_standings_are_dated_records_with_their_ranking_body() -> None:
    with tp.Ledger.open(":memory:") as ledger:
        s = tp.Standing(code="S1", body="东莞市", assessment="“三重”建设", year=2012, rank=1,
                        announced_on=date(2013, 1, 8), out_of=32)  # fmt: skip
        ledger.add_standings([s], recorded_at=date(2013, 1, 10))
        assert ledger.standings(2012) == [s]
        assert s.text_cn() == "东莞市“三重”建设第1名（共32个）"
        assert ledger.as_of(date(2013, 1, 9)).standings() == []
        with pytest.raises(tp.ConflictError):
            ledger.add_standings([s])
        with pytest.raises(tp.ValidationError, match="rank"):
            tp.Standing(code="S2", body="东莞市", assessment="x", year=2012, rank=0,
                        announced_on=date(2013, 1, 8))  # fmt: skip


def _town() -> tp.Ledger:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_project(
        tp.Project(code="P1", name="南洲路", category=tp.Category.INFRASTRUCTURE,
                   government_investment=tp.Money.parse("6800万"), plan_year=2013,
                   annual_plan=tp.Money.parse("2500万")),
        on=date(2013, 1, 1), recorded_at=date(2013, 1, 5),
    )  # fmt: skip
    for month, wan in (("2013-01", "200"), ("2013-02", "300"), ("2013-03", "400")):
        ledger.record_progress(
            tp.ProgressReport(project="P1", period=month, completed=tp.Money.parse(f"{wan}万"),
                              reported_on=tp.Period.parse(month).end),
            recorded_at=tp.Period.parse(month).end,
        )  # fmt: skip
    return ledger


def test_completed_investment_not_in_the_statistics() -> None:
    with _town() as ledger:
        gov.set_stats_status(
            ledger, "P1", "拟入统", on=date(2013, 1, 1), recorded_at=date(2013, 1, 2)
        )
        (line,) = gov.not_in_statistics(ledger, 2013)
        assert (line.status, line.gap.format_cn()) == (tp.StatsStatus.PROPOSED, "900万元")
        # registered in March: only March is counted (先入库后有数), entered late, in April
        gov.set_stats_status(
            ledger, "P1", "已入统", on=date(2013, 3, 10), recorded_at=date(2013, 3, 10)
        )
        ledger.record_stats_counts(
            [tp.StatsCount(project="P1", period="2013-03", amount=tp.Money.parse("400万"),
                           reported_on=date(2013, 4, 3))],
            recorded_at=date(2013, 4, 20),
        )  # fmt: skip
        (line,) = gov.not_in_statistics(ledger, 2013)
        assert (line.status, line.counted.format_cn(), line.gap.format_cn()) == (
            tp.StatsStatus.REGISTERED, "400万元", "500万元")  # fmt: skip
        before = gov.not_in_statistics(ledger.as_of(date(2013, 4, 10)), 2013)
        assert [x.gap.format_cn() for x in before] == ["900万元"]  # the count not entered yet
        assert (
            gov.statistics(ledger, 2013, on=date(2013, 2, 28))[0].completed.format_cn() == "500万元"
        )
        with pytest.raises(tp.NotFoundError):
            gov.set_stats_status(ledger, "P9", "在统", on=date(2013, 1, 1))
        with pytest.raises(tp.ValidationError, match="status"):
            gov.set_stats_status(ledger, "P1", "入库", on=date(2013, 1, 1))


def test_a_deals_stages_totals_and_project() -> None:
    with _town() as ledger:
        ledger.add_deals([tp.Deal(code="D1", name="玉柴产业园", origin="foreign",
                                  contract=tp.Money.parse("5000万美元"))],
                         recorded_at=date(2012, 10, 1))  # fmt: skip
        gov.record_deal_stage(ledger, "D1", "洽谈", on=date(2012, 10, 1))
        gov.record_deal_stage(ledger, "D1", "签约", on=date(2012, 12, 28))
        ledger.record_utilisations(
            [tp.Utilisation(deal="D1", received_on=date(2013, 2, 1),
                            amount=tp.Money.parse("2000万美元"))],
            recorded_at=date(2013, 3, 15),  # arrived in February, entered in March
        )  # fmt: skip
        gov.link_deal(ledger, "D1", "P1", on=date(2013, 3, 1))
        gov.record_deal_stage(ledger, "D1", "开工", on=date(2013, 3, 1))
        assert gov.deal_totals(ledger, 2012) == {
            ("contracted", "foreign"): {"USD": tp.Money.parse("5000万美元")}}  # fmt: skip
        assert gov.deal_totals(ledger, 2013) == {
            ("utilised", "foreign"): {"USD": tp.Money.parse("2000万美元")}}  # fmt: skip
        assert gov.deal_totals(ledger.as_of(date(2013, 2, 28)), 2013) == {}
        (status,) = gov.deal_statuses(ledger)
        assert (status.stage, status.signed_on, status.project) == (
            tp.DealStage.STARTED, date(2012, 12, 28), "P1")  # fmt: skip
        (then,) = gov.deal_statuses(ledger, on=date(2013, 1, 31))
        assert (then.stage, then.project) == (tp.DealStage.SIGNED, None)
        ledger.add_deals([tp.Deal(code="D2", name="世界农场", origin="domestic")])
        with pytest.raises(tp.ConflictError, match="contract"):
            gov.record_deal_stage(ledger, "D2", "签约", on=date(2013, 5, 1))
        in_yuan = tp.Utilisation(deal="D1", received_on=date(2013, 5, 1),
                                 amount=tp.Money.parse("1万元"))  # fmt: skip
        with pytest.raises(tp.ConflictError):
            ledger.record_utilisations([in_yuan])
        with pytest.raises(tp.ValidationError):
            tp.Deal(code="D3", name="x", origin="foreign", contract=tp.Money.parse("1万美元"),
                    currency="CNY")  # fmt: skip


def test_a_generated_portfolio_in_the_statistics(portfolio_factory) -> None:  # type: ignore[no-untyped-def]
    ledger = portfolio_factory(40, seed=3, months=6)
    reports = list(ledger.progress())
    counts = [tp.StatsCount(project=r.project, period=r.period, amount=r.completed,
                            reported_on=r.reported_on or date(2013, 7, 31))
              for r in reports if not r.completed.is_negative()]  # fmt: skip
    for p in ledger.projects():
        gov.set_stats_status(ledger, p.code, "在统", on=date(2013, 1, 1))
    ledger.record_stats_counts(counts)
    assert gov.not_in_statistics(ledger, 2013, on=date(2013, 12, 31)) == []
    completed = sum(r.completed.fen() for r in reports if r.completed.currency == "CNY")
    counted = sum(c.amount.fen() for c in counts if c.amount.currency == "CNY")
    lines = gov.statistics(ledger, 2013, on=date(2013, 12, 31))
    assert sum(x.completed.fen() for x in lines if x.completed.currency == "CNY") == completed
    assert sum(x.counted.fen() for x in lines if x.counted.currency == "CNY") == counted


def test_the_sample_towns_outcomes_survive_json_and_roll_up(sample_town: tp.Ledger) -> None:
    from townplan.io import from_json, rollup, to_json

    with from_json(to_json(sample_town)) as copy:
        assert copy.checksum() == sample_town.checksum()
        assert gov.attraction_summary(copy, 2012) == gov.attraction_summary(sample_town, 2012)
    with tp.Ledger.open(":memory:") as city:
        rollup(city, {"示例镇": sample_town})
        again = rollup(city, {"示例镇": sample_town})
        assert all(n == 0 for k, n in again.added.items() if k != "project_versions")
        assert gov.attraction_summary(city, 2012) == gov.attraction_summary(sample_town, 2012)
        town_gaps = gov.not_in_statistics(sample_town, 2013, on=date(2014, 1, 15))
        city_gaps = gov.not_in_statistics(city, 2013, on=date(2014, 1, 15))
        assert [f"示例镇/{x.project}" for x in town_gaps] == [x.project for x in city_gaps]
        assert next(s.project for s in gov.deal_statuses(city)) == "示例镇/SZ2013-001"
        assert city.query().funding(2013).total() == sample_town.query().funding(2013).total()
        assert {s.code for s in city.standings()} == {"示例镇/S2012-01", "示例镇/S2012-02"}
