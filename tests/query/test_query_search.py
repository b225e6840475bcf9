"""Full-text search: short and long Chinese queries, ranking, hostile text, as-of views."""

from __future__ import annotations

from datetime import date

import pytest

import townplan as tp
from townplan.ledger import LedgerStore
from townplan.query import Query


def hits(query: object) -> list[tuple[str, str]]:
    return [(h.kind, h.key) for h in query]  # type: ignore[attr-defined]


def test_two_character_query_matches_every_kind(q: Query) -> None:
    found = list(q.search("湿地"))
    assert not q.search("湿地").uses_index
    # the task text and the note start with 湿地 (position 1), the project name has it at 3
    assert [(h.kind, h.rank) for h in found] == [("progress", 1), ("task", 1), ("project", 3)]
    project = found[-1]
    assert project.key == "P03" and project.title == "华阳湿地生态公园"
    assert isinstance(project.record, tp.Project) and project.record.code == "P03"
    assert project.snippet == "华阳【湿地】生态公园"
    note = found[0]
    assert isinstance(note.record, tp.ProgressReport)
    assert (note.record.project, str(note.record.period)) == ("P03", "2013-06")
    assert note.title == "P03 2013-06"
    assert isinstance(found[1].record, tp.Task) and found[1].key == "T05"


def test_longer_query_uses_the_trigram_index(q: Query) -> None:
    query = q.search("湿地公园")
    assert query.uses_index
    # "湿地公园" is in T05's text and P03's June note, not in the name 华阳湿地生态公园
    assert sorted(hits(query)) == [("progress", str(_june_note_id(q))), ("task", "T05")]
    assert all(h.rank < 0 for h in query)  # bm25: lower is better
    assert hits(q.search("湿地生态")) == [("project", "P03")]
    assert hits(q.search("六车道")) == [("project", "P01")]  # in the content


def _june_note_id(q: Query) -> int:
    report = q.progress().where(project="P03", period="2013-06").one()
    assert report.id is not None
    return report.id


def test_case_folding_matches_in_both_modes(q: Query) -> None:
    assert hits(q.search("lng")) == [("project", "P08")]
    assert hits(q.search("Ln")) == [("project", "P08")]


def test_single_character_and_content_ranking(q: Query) -> None:
    # 水系: T05 at 5, the June note at 7, P03's content (ranked after any name match)
    assert [h.kind for h in q.search("水系")] == ["task", "progress", "project"]
    assert q.search("园").kinds("project").count() == 4


def test_kinds_limit_first(q: Query) -> None:
    assert hits(q.search("湿地").kinds("task")) == [("task", "T05")]
    assert len(list(q.search("湿地").limit(2))) == 2
    best = q.search("湿地").first()
    assert best is not None and best.kind == "progress"
    assert q.search("湿地").count() == 3
    assert list(q.search("湿地").kinds()) == []
    with pytest.raises(tp.ValidationError):
        q.search("湿地").kinds("zone")


@pytest.mark.parametrize(
    "text",
    ['" OR 1=1 --', "湿地\" OR \"x", "湿地*", "NEAR(湿地 公园)", "name:湿地",
     "'; DROP TABLE projects; --", "\x00", "湿\x00地", "湿地\x00公园", "^湿地", "a" * 500,
     "(", '"', "💥🏗"],
)  # fmt: skip
def test_hostile_text_matches_literally_or_not_at_all(ledger: LedgerStore, text: str) -> None:
    before = ledger.checksum()
    found = list(Query(ledger).search(text))
    for hit in found:
        assert text.lower() in hit.snippet.lower().replace("【", "").replace("】", "")
    assert ledger.checksum() == before


def test_fts_syntax_is_never_interpreted(q: Query) -> None:
    assert hits(q.search("湿地 OR 中心")) == []
    assert hits(q.search("湿地*")) == []
    sql, params = q.search('湿地" OR "x').sql()
    assert '"湿地"" OR ""x"' in params.values()
    assert "OR" not in sql.replace("ORDER", "")


@pytest.mark.parametrize("text", ["", "   ", None, 3, "\ud800abc"])
def test_bad_search_text(q: Query, text: object) -> None:
    with pytest.raises(tp.ValidationError):
        q.search(text)  # type: ignore[arg-type]


def test_as_of_finds_records_as_they_stood(ledger: LedgerStore) -> None:
    renamed = tp.Project(
        code="P03", name="华阳生态公园", category=tp.Category.INFRASTRUCTURE, zone="水乡新城区",
        responsible_unit="农办", government_investment=tp.Money.parse("8000万"),
        annual_plan=tp.Money.parse("1亿"), plan_year=2013,
    )  # fmt: skip
    ledger.update_project(renamed, on=date(2013, 8, 1), recorded_at=date(2013, 8, 1))
    live, july = Query(ledger), Query(ledger.as_of(date(2013, 7, 15)))
    assert hits(live.search("湿地生态")) == []
    assert hits(july.search("湿地生态")) == [("project", "P03")]
    old = july.search("湿地").kinds("project").first()
    assert old is not None and old.record.name == "华阳湿地生态公园"  # type: ignore[union-attr]


def test_as_of_search_sees_corrections_only_once_recorded(ledger: LedgerStore) -> None:
    assert [h.kind for h in Query(ledger).search("重复计入")] == ["progress"]
    assert list(Query(ledger.as_of(date(2013, 7, 5))).search("重复计入")) == []
    assert [h.kind for h in Query(ledger.as_of(date(2013, 7, 15))).search("重复计入")] == [
        "progress"
    ]
