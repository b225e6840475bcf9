"""Excel's ``_xHHHH_`` escapes in shared and inline strings (ECMA-376 Part 1 §22.9.2.19):
a carriage return inside a cell is stored as ``_x000D_`` and a literal "_x000D_" typed by
a user as ``_x005F_x000D_``; the reader gives back what the user typed, and leaves every
other text (formula results, sheet names) as written.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from townplan.io.sheets.grid import load_grids
from townplan.io.sheets.xlsx_parts import decode_xstring

HandmadeXlsx = Callable[..., Path]

# The text of each case, and what a user typed into the cell.
CASES = [
    ("第一行_x000D_\n第二行", "第一行\r\n第二行"),
    ("a_x000d_b", "a\rb"),  # either case of hex digit
    ("注_x005F_x000D_见附件", "注_x000D_见附件"),
    ("_x005F_x005F_x005F_x000D_", "_x005F_x000D_"),
    ("_x4E2D__x6587_", "中文"),
    ("塔吊_xD83C__xDFD7_", "塔吊🏗"),  # the two halves of a surrogate pair
    ("半_xD83C_个", "半\ufffd个"),  # half a pair is no character
    ("_X000D_ _x00D_ _x000G_ x005F_ _x000D _x_", "_X000D_ _x00D_ _x000G_ x005F_ _x000D _x_"),
    ("制表_x0009_人", "制表\t人"),
]
# Text an escape could be mistaken in: the escapes' pieces and look-alikes, and any
# character XML can hold; then also whole escapes and the control characters a cell holds.
PIECES = st.one_of(
    st.sampled_from(["_", "x", "X", "0", "5", "F", "f", "D", "d", "_x", "x005F_", "_x00"]),
    st.sampled_from(["0D_", "_X000D_", "_x000D", "_x00G0_", "\n", "\t", " ", "年", "中心大道"]),
    st.characters(blacklist_categories=("Cc", "Cs", "Cn")),
)
ESCAPES = st.sampled_from(["_x005F_", "_x000D_", "_x000d_", "\r", "\r\n", "\x01", "\x00"])
TEXT = st.lists(PIECES, max_size=12).map("".join)
ANY_TEXT = st.lists(st.one_of(PIECES, ESCAPES), max_size=12).map("".join)
ESCAPE_LIKE = re.compile("_x[0-9A-Fa-f]{4}_")


def excel_escape(text: str) -> str:
    """``text`` as Excel stores it: an underscore before "xHHHH" becomes "_x005F_" (then
    no "_xHHHH_" can be read where the user typed none, even one ended by an escaped
    control character), every control character but tab and line feed "_xHHHH_"."""
    text = re.sub(r"_(?=x[0-9A-Fa-f]{4})", "_x005F_", text)
    return re.sub(r"[\x00-\x08\x0b-\x1f]", lambda c: f"_x{ord(c[0]):04X}_", text)


def every_unit_escaped(text: str) -> str:
    """``text`` with every UTF-16 code unit written as "_xHHHH_"."""
    units = text.encode("utf-16-be")
    return "".join(f"_x{units[i]:02X}{units[i + 1]:02x}_" for i in range(0, len(units), 2))


def cells(path: Path) -> list[tuple[str | None, ...]]:
    grids, problems = load_grids(path)
    assert problems == []
    return [row.cells for row in grids[0].rows]


def written_by_openpyxl(path: Path, texts: list[str]) -> Path:
    """A workbook whose first row openpyxl writes: "行", then ``texts``, all as text (a
    text starting with "=" too)."""
    book = openpyxl.Workbook()
    for column, text in enumerate(["行", *texts], start=1):
        book.active.cell(1, column, text).data_type = "s"
    book.save(path)
    return path


def read_as(texts: list[str]) -> list[tuple[str | None, ...]]:
    """What a row "行", *texts reads as: each text stripped, blank ones ``None``, the
    row as far as its last text."""
    line = ["行", *(t.strip() or None for t in texts)]
    while line[-1] is None:
        line.pop()
    return [tuple(line)]


def test_shared_strings_are_decoded_plain_and_rich(handmade_xlsx: HandmadeXlsx) -> None:
    plain = [f"<si><t>{escape(stored)}</t></si>" for stored, _ in CASES]
    rich = [
        "<si><r><t>甲_x000D_</t></r><r><rPr><b/></rPr><t>\n乙_x005F_x0041_</t></r>"
        "<rPh sb='0' eb='1'><t>_x0041_</t></rPh></si>",
        "<si><r><t>A_x00</t></r><r><t>0D_B</t></r></si>",  # an escape is within one run
    ]
    refs = "".join(f'<c r="{chr(65 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(CASES) + 2))
    path = handmade_xlsx(f'<row r="1">{refs}</row>', plain + rich)
    typed = [text for _, text in CASES]
    assert cells(path) == [(*typed, "甲\r\n乙_x0041_", "A_x000D_B")]


def test_inline_strings_are_decoded_plain_and_rich(handmade_xlsx: HandmadeXlsx) -> None:
    inline = [f"<is><t>{escape(stored)}</t></is>" for stored, _ in CASES]
    inline.append("<is><r><t>甲_x000D_</t></r><r><t>\n乙</t></r></is>")
    refs = "".join(f'<c r="{chr(65 + i)}1" t="inlineStr">{xml}</c>' for i, xml in enumerate(inline))
    path = handmade_xlsx(f'<row r="1">{refs}</row>')
    assert cells(path) == [(*(text for _, text in CASES), "甲\r\n乙")]


def test_other_text_is_read_as_written(handmade_xlsx: HandmadeXlsx) -> None:
    row = (
        '<row r="1"><c r="A1" t="str"><f>B1</f><v>a_x000D_b</v></c>'
        '<c r="B1" t="e"><v>#N/A</v></c><c r="C1" t="s"><v>0</v></c></row>'
    )
    path = handmade_xlsx(row, ["<si><t>a_x000D_b</t></si>"], sheet="表_x0041_")
    grids, problems = load_grids(path)
    assert problems == []
    assert grids[0].sheet == "表_x0041_"
    assert grids[0].rows[0].cells == ("a_x000D_b", "#N/A", "a\rb")


def test_carriage_returns_and_underscores_written_as_excel_does(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["第一行_x000D_\n第二行", "_x005F_x000D_", "a\nb", "a_x005F_b"])
    path = tmp_path / "escapes.xlsx"
    book.save(path)
    assert cells(path) == [("第一行\r\n第二行", "_x000D_", "a\nb", "a_b")]


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(TEXT, min_size=1, max_size=6))
def test_text_openpyxl_writes_reads_back(tmp_path: Path, texts: list[str]) -> None:
    """Text without control characters (but tab and line feed) and without a real escape
    in it, written as it is; a look-alike ("_x00", "x005F_", "_X000D_") is text like any
    other."""
    assume(not any(ESCAPE_LIKE.search(t) for t in texts))
    assert cells(written_by_openpyxl(tmp_path / "text.xlsx", texts)) == read_as(texts)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(ANY_TEXT, min_size=1, max_size=6))
def test_any_text_stored_as_excel_does_reads_back(
    tmp_path: Path, handmade_xlsx: HandmadeXlsx, texts: list[str]
) -> None:
    """Any text, stored as Excel stores it, both inline (written by openpyxl) and as
    shared strings, reads back as typed."""
    path = written_by_openpyxl(tmp_path / "inline.xlsx", [excel_escape(t) for t in texts])
    assert cells(path) == read_as(texts)
    shared = [f'<si><t xml:space="preserve">{escape(excel_escape(t))}</t></si>' for t in texts]
    refs = "".join(f'<c r="{chr(66 + i)}1" t="s"><v>{i}</v></c>' for i in range(len(texts)))
    row = f'<row r="1"><c r="A1" t="inlineStr"><is><t>行</t></is></c>{refs}</row>'
    assert cells(handmade_xlsx(row, shared)) == read_as(texts)


@given(text=st.text())
def test_every_character_escaped_decodes(text: str) -> None:
    assert decode_xstring(every_unit_escaped(text)) == text
    assert decode_xstring(excel_escape(text)) == text
