"""The glossary lists every Chinese label and every spreadsheet header the code knows."""

from __future__ import annotations

from pathlib import Path

import pytest

from townplan.governance import states
from townplan.io.headers import DEFAULT_PROGRESS_HEADERS, DEFAULT_REGISTER_HEADERS
from townplan.model import enums
from townplan.model.money import CURRENCY_NAMES

GLOSSARY = (Path(__file__).resolve().parents[2] / "docs" / "glossary.md").read_text("utf-8")
LABELLED = [
    *(
        getattr(enums, name)
        for name in enums.__all__
        if name != "LabelledEnum" and issubclass(getattr(enums, name), enums.LabelledEnum)
    ),
    *(getattr(states, name) for name in states.__all__),
]


@pytest.mark.parametrize("enum", LABELLED, ids=lambda e: e.__name__)
def test_every_enum_label_and_value_is_in_the_glossary(enum: type[enums.LabelledEnum]) -> None:
    assert len(enum) > 1
    for member in enum:
        assert member.label_cn in GLOSSARY, f"{enum.__name__}.{member.name}: {member.label_cn}"
        assert f"`{enum.__name__}.{member.name}`" in GLOSSARY, f"{enum.__name__}.{member.name}"


@pytest.mark.parametrize(
    "header", sorted({*DEFAULT_REGISTER_HEADERS, *DEFAULT_PROGRESS_HEADERS} - {"序号"})
)
def test_every_recognised_header_is_in_the_glossary(header: str) -> None:
    bare = header.replace("(", "（").replace(")", "）")
    assert header in GLOSSARY or bare in GLOSSARY or header.split("/")[-1] in GLOSSARY, header


def test_every_currency_word_is_in_the_glossary() -> None:
    for word in CURRENCY_NAMES.values():
        assert word in GLOSSARY, word
