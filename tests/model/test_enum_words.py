"""A sheet's words for a label are read in one place, ``LabelledEnum.lookup``: a cell, a
section heading and code calling ``Category.lookup`` all take "基础设施类", "产业项目",
"民 生" alike; ``Category.parse`` (documents, queries) takes only the exact words."""

from __future__ import annotations

from pathlib import Path

import pytest

import townplan as tp
from townplan.ledger import LedgerStore

WORDS = [
    ("基础设施", tp.Category.INFRASTRUCTURE), ("基础设施类", tp.Category.INFRASTRUCTURE),
    ("产业项目", tp.Category.INDUSTRY), ("民生类", tp.Category.LIVELIHOOD),
    ("民生类项目", tp.Category.LIVELIHOOD), ("民 生", tp.Category.LIVELIHOOD),
    ("industry", tp.Category.INDUSTRY), ("ＩＮＤＵＳＴＲＹ", tp.Category.INDUSTRY),
]  # fmt: skip


@pytest.mark.parametrize(("word", "member"), WORDS)
def test_lookup_reads_what_a_sheet_writes(word: str, member: tp.Category) -> None:
    assert tp.Category.lookup(word) is member
    exact = word in {member.value, member.label_cn}
    if exact:
        assert tp.Category.parse(word) is member
    else:  # a document names a member exactly
        with pytest.raises(tp.ValidationError):
            tp.Category.parse(word)


@pytest.mark.parametrize(("word", "member"), WORDS)
def test_a_cell_and_a_section_read_the_same_words(
    tmp_path: Path, word: str, member: tp.Category
) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        f"项目编号,项目名称,项目类别,政府投资（万元）\nP1,中心大道,{word},1200\n"
        f"一、{word}\nP2,东环路,,1500\n",
        encoding="utf-8",
    )
    store = LedgerStore.open(":memory:")
    tp.io.import_register(store, path)
    assert store.project("P1").category is member  # the cell
    assert store.project("P2").category is member  # the section


@pytest.mark.parametrize("word", ["道路", "基础", "项目", "类"])
def test_other_words_are_refused(word: str) -> None:
    assert tp.Category.lookup(word) is None
    with pytest.raises(tp.ValidationError, match="expected one of infrastructure"):
        tp.Category.parse(word)
