"""Render a report as a Word document laid out per GB/T 9704-2012 (党政机关公文格式).

The layout: A4 (210 × 297 mm); 天头 (top margin) 37 mm and 订口 (left margin) 28 mm, so
the text block is 156 × 225 mm; 22 lines of 28 characters (a document grid of 28.95 pt
lines); the 发文机关标志 in red over the 期号 and a red rule; the title in 2号 小标宋; the
body in 3号 仿宋 with headings 一、 in 黑体; the 附件 list, the 落款 and the 成文日期
("2013年7月15日"); page numbers "— 1 —" in 4号 宋体, right on odd pages and left on even
ones. Every table of the report follows as an annex (附件1, 附件2 …) on landscape pages,
its header row repeated on each page.

The fonts are named as Chinese offices have them (:data:`FONTS`); each carries an
alternative name in the document's font table (仿宋 → FangSong, 方正小标宋简体 → 宋体), which
Word and WPS use where the first is missing; LibreOffice substitutes through fontconfig.

>>> import tempfile, docx
>>> import townplan as tp
>>> from townplan.fixtures import load_sample_town
>>> town = tp.Ledger.open(":memory:"); load_sample_town(town)
>>> path = tp.reports.bulletin(town, month="2013-06").to_docx(tempfile.mktemp(suffix=".docx"))
>>> document = docx.Document(str(path))
>>> round(document.sections[0].page_width.mm), round(document.sections[0].top_margin.mm)
(210, 37)
>>> "第6期" in [p.text for p in document.paragraphs]
True
"""

from __future__ import annotations

import enum
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from townplan.model.enums import Light
from townplan.reports.cn import date_cn
from townplan.reports.table import Kind, Report, Section, Table, headline_value

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.section import Section as DocxSection
    from docx.table import Table as DocxTable
    from docx.text.paragraph import Paragraph

__all__ = ["DEFAULT_ISSUER", "FONTS", "to_docx"]

#: The issuing office when neither the report nor the caller names one.
DEFAULT_ISSUER: Final = "“三重”建设工作领导小组办公室"

#: Role → (font as offices name it, the alternative a reader uses where it is missing).
FONTS: Final = {
    "title": ("方正小标宋简体", "宋体"),
    "body": ("仿宋", "FangSong"),
    "heading": ("黑体", "SimHei"),
    "subheading": ("楷体", "KaiTi"),
    "page": ("宋体", "SimSun"),
}
_LATIN: Final = "Times New Roman"
_RED: Final = "C00000"
_NUMERALS: Final = "一二三四五六七八九十"
_NUMERIC: Final = (Kind.INT, Kind.MONEY, Kind.RATE, Kind.NUMBER)
_LIGHTS: Final = {Light.RED: "C00000", Light.AMBER: "B8860B", Light.GREEN: "2E7D32"}

# GB/T 9704 sizes: 2号 22 pt (title), 3号 16 pt (body), 4号 14 pt (page numbers); tables
# in 5号 10.5 pt. Page in millimetres; the grid pitch in twentieths of a point.
_TITLE_PT, _BODY_PT, _PAGE_PT, _TABLE_PT = 22, 16, 14, 10.5
_LINE_PT: Final = 28.95  # 225 mm ÷ 22 lines
_PAGE_MM: Final = (210, 297)
_MARGINS_MM: Final = {"top": 37, "bottom": 35, "left": 28, "right": 26}


def _docx() -> Any:
    try:
        import docx
    except ImportError as exc:  # pragma: no cover - depends on the environment
        raise ImportError("Word output needs python-docx: pip install 'townplan[reports]'") from exc
    return docx


def to_docx(
    report: Report,
    path: str | Path,
    *,
    issuer: str | None = None,
    number: int | None = None,
    signed: str | None = None,
    on: date | None = None,
) -> Path:
    """Write ``report`` as a .docx file; returns the path.

    ``issuer`` is the 发文机关标志 (default: the report's, else :data:`DEFAULT_ISSUER`),
    ``number`` the 期号 (default: the report's; none printed when neither has one),
    ``signed`` the 落款 (default: the issuer) and ``on`` the 成文日期 (default: the day
    the report is as of). Word documents are Chinese: a 公文 has one language.
    """
    docx = _docx()
    document = docx.Document()
    office = issuer or report.issuer_cn or DEFAULT_ISSUER
    _styles(document)
    _page(document.sections[0], landscape=False)
    _page_numbers(document)
    _masthead(document, office, number if number is not None else report.number)
    _paragraph(document, report.title_cn, "title", size=_TITLE_PT, centre=True)
    if report.subtitle_cn:
        _paragraph(document, f"（{report.subtitle_cn}）", "subheading", centre=True)
    for index, section in enumerate(report.sections or (_headline_section(report),)):
        _section(document, index, section)
    _annex_list(document, report.tables)
    _signature(document, signed or office, on or report.as_of)
    for note in report.notes("cn"):  # 附注: under the date, 居左空二字加圆括号
        _paragraph(document, f"（{note}）", indent=True)
    for index, table in enumerate(report.tables, start=1):
        _annex(document, index, table)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    document.save(str(target))
    return target


def _headline_section(report: Report) -> Section:
    """A report without text sections opens with its headline figures, one a line."""
    lines = tuple(
        f"{label_cn}：{headline_value(value, kind, 'cn')}。"
        for label_cn, _, value, kind in report.headline
    )
    return Section("overview", "总体情况", "Overview", lines)


def _styles(document: DocumentObject) -> None:
    from docx.enum.text import WD_LINE_SPACING
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls
    from docx.shared import Pt

    normal = document.styles["Normal"]
    normal.font.size = Pt(_BODY_PT)
    _fonts(normal.element, FONTS["body"][0])
    # 28 characters of 16 pt in 156 mm (442 pt): each character 0.2 pt closer.
    normal.element.get_or_add_rPr().append(parse_xml(f'<w:spacing {nsdecls("w")} w:val="-4"/>'))
    fmt = normal.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    fmt.line_spacing = Pt(_LINE_PT)
    fmt.space_before = fmt.space_after = Pt(0)
    _font_table(document)


def _fonts(element: Any, east_asia: str) -> None:
    """Set an element's fonts: ``east_asia`` for Chinese, Times New Roman for the rest."""
    from docx.oxml.ns import qn

    rpr = element.get_or_add_rPr()
    fonts = rpr.get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attribute), _LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)


def _font_table(document: DocumentObject) -> None:
    """Declare each font with its alternative name, for readers that lack the first."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    part = document.part.part_related_by(RT.FONT_TABLE)
    root = parse_xml(part.blob)
    for name, alternative in FONTS.values():
        root.append(parse_xml(
            f'<w:font {nsdecls("w")} w:name="{name}"><w:altName w:val="{alternative}"/>'
            '<w:charset w:val="86"/><w:family w:val="auto"/><w:pitch w:val="variable"/>'
            "</w:font>"
        ))  # fmt: skip
    from docx.opc.oxml import serialize_part_xml

    part._blob = serialize_part_xml(root)


def _page(section: DocxSection, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls, qn
    from docx.shared import Mm

    width, height = _PAGE_MM
    m = _MARGINS_MM
    if landscape:  # the text block turns with the page: 订口 at the top
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(height), Mm(width)
        section.top_margin, section.bottom_margin = Mm(m["left"]), Mm(m["right"])
        section.left_margin, section.right_margin = Mm(m["top"]), Mm(m["bottom"])
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(width), Mm(height)
        section.top_margin, section.bottom_margin = Mm(m["top"]), Mm(m["bottom"])
        section.left_margin, section.right_margin = Mm(m["left"]), Mm(m["right"])
    section.footer_distance = Mm(28 - 7)  # the page number sits 7 mm under the text block
    sect_pr = section._sectPr
    for old in sect_pr.findall(qn("w:docGrid")):
        sect_pr.remove(old)
    # 22 lines to the page; the 28 characters a line come from the body text's spacing.
    sect_pr.append(parse_xml(f'<w:docGrid {nsdecls("w")} w:type="lines" w:linePitch="579"/>'))


def _page_numbers(document: DocumentObject) -> None:
    """ "— 1 —" in 4号 宋体: right on odd pages, left on even ones, one character in."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):  # fmt: skip
        paragraph = footer.paragraphs[0]
        paragraph.alignment = align
        if align == WD_ALIGN_PARAGRAPH.RIGHT:
            paragraph.paragraph_format.right_indent = Pt(_PAGE_PT)
        else:
            paragraph.paragraph_format.left_indent = Pt(_PAGE_PT)
        _run(paragraph, "— ", "page", size=_PAGE_PT)
        _field(paragraph, "PAGE")
        _run(paragraph, " —", "page", size=_PAGE_PT)


def _field(paragraph: Paragraph, instruction: str) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    size = int(_PAGE_PT * 2)
    props = (f'<w:rPr><w:rFonts w:ascii="{FONTS["page"][0]}" w:hAnsi="{FONTS["page"][0]}"/>'
             f'<w:sz w:val="{size}"/></w:rPr>')  # fmt: skip
    for xml in (
        f'<w:r {nsdecls("w")}>{props}<w:fldChar w:fldCharType="begin"/></w:r>',
        f'<w:r {nsdecls("w")}>{props}<w:instrText xml:space="preserve"> {instruction} '
        "</w:instrText></w:r>",
        f'<w:r {nsdecls("w")}>{props}<w:fldChar w:fldCharType="separate"/></w:r>',
        f"<w:r {nsdecls('w')}>{props}<w:t>1</w:t></w:r>",
        f'<w:r {nsdecls("w")}>{props}<w:fldChar w:fldCharType="end"/></w:r>',
    ):
        paragraph._p.append(parse_xml(xml))


def _run(
    paragraph: Paragraph, text: str, role: str, *, size: float | None = None,
    bold: bool = False, colour: str | None = None,
) -> Any:  # fmt: skip
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    _fonts(run._r, FONTS[role][0])
    if size is not None:
        run.font.size = Pt(size)
    run.font.bold = bold or None
    if colour:
        run.font.color.rgb = RGBColor.from_string(colour)
    return run


def _paragraph(
    document: DocumentObject, text: str, role: str = "body", *, size: float | None = None,
    centre: bool = False, right: bool = False, indent: bool = False, colour: str | None = None,
) -> Paragraph:  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    else:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(2 * _BODY_PT)
    if text:
        _run(paragraph, text, role, size=size, colour=colour)
    return paragraph


def _masthead(document: DocumentObject, issuer: str, number: int | None) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    _paragraph(document, issuer, "title", size=26, centre=True, colour=_RED)
    rule = _paragraph(document, f"第{number}期" if number is not None else "", centre=True)
    # 版头中的分隔线: a red rule under the 期号, the width of the text block.
    rule._p.get_or_add_pPr().append(parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="18" w:space="6" '
        f'w:color="{_RED}"/></w:pBdr>'
    ))  # fmt: skip
    _paragraph(document, "")


def _section(document: DocumentObject, index: int, section: Section) -> None:
    from docx.enum.text import WD_COLOR_INDEX

    numeral = _NUMERALS[index] if index < len(_NUMERALS) else str(index + 1)
    _paragraph(document, f"{numeral}、{section.title_cn}", "heading", indent=True)
    for text in section.paragraphs_cn:
        paragraph = _paragraph(document, text, indent=True)
        if section.placeholder:
            for run in paragraph.runs:
                run.font.highlight_color = WD_COLOR_INDEX.YELLOW


def _annex_list(document: DocumentObject, tables: tuple[Table, ...]) -> None:
    from docx.shared import Pt

    if not tables:
        return
    _paragraph(document, "")
    for index, table in enumerate(tables, start=1):
        label = "附件：" if index == 1 else ""
        paragraph = _paragraph(document, f"{label}{index}．{table.title_cn}")
        # 附件说明: 左空二字; continuation lines line up with the first item's number.
        paragraph.paragraph_format.left_indent = Pt((2 if index == 1 else 5) * _BODY_PT)


def _signature(document: DocumentObject, signed: str, on: date) -> None:
    from docx.shared import Pt

    _paragraph(document, "")
    _paragraph(document, "")
    for text in (signed, date_cn(on)):
        paragraph = _paragraph(document, text, right=True)
        paragraph.paragraph_format.right_indent = Pt(4 * _BODY_PT)  # 右空四字
        paragraph.paragraph_format.keep_with_next = text == signed  # never apart


def _annex(document: DocumentObject, index: int, table: Table) -> None:
    from docx.enum.section import WD_SECTION

    section = document.add_section(WD_SECTION.NEW_PAGE)
    _page(section, landscape=True)
    _paragraph(document, f"附件{index}", "heading")
    _paragraph(document, table.title_cn, "title", size=_TITLE_PT, centre=True)
    if table.note_cn:
        _paragraph(document, table.note_cn, "subheading", size=_TABLE_PT + 1.5, centre=True)
    if not table.rows:
        _paragraph(document, "（无）", centre=True)
        return
    _grid(document, table)


def _grid(document: DocumentObject, table: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT

    rows = (*table.rows, *([table.total] if table.total else []))
    grid = document.add_table(rows=1 + len(rows), cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    _widths(grid, table)
    header = grid.rows[0]
    _repeat_header(header._tr)
    for cell, column in zip(header.cells, table.columns, strict=True):
        _cell(cell, column.header("cn"), "heading", centre=True)
    for row_cells, values in zip(grid.rows[1:], rows, strict=True):
        total = values is table.total
        for cell, value, column in zip(row_cells.cells, values, table.columns, strict=True):
            colour = _LIGHTS.get(value) if isinstance(value, Light) else None
            _cell(cell, column.show(value, "cn"), "heading" if total else "body",
                  right=column.kind in _NUMERIC, colour=colour,
                  centre=isinstance(value, enum.Enum))  # fmt: skip


def _repeat_header(tr: Any) -> None:
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    tr.get_or_add_trPr().append(parse_xml(f'<w:tblHeader {nsdecls("w")} w:val="true"/>'))


def _widths(grid: DocxTable, table: Table) -> None:
    """Codes, numbers and labels as wide as their widest cell (they never wrap); the text
    columns share what is left, in proportion to their text; all scaled down together
    only when even that does not fit."""
    from docx.shared import Mm, Pt

    usable = Mm(_PAGE_MM[1] - _MARGINS_MM["top"] - _MARGINS_MM["bottom"]) / Pt(1)  # landscape
    unit = _TABLE_PT * 0.6  # one half-width character (capitals and digits are wider)
    padding = 14.0  # the cell's own margins
    fixed: dict[int, float] = {}
    flexible: dict[int, float] = {}
    for index, column in enumerate(table.columns):
        cells = [column.show(row[index], "cn") for row in table.rows[:500]]
        if table.total:
            cells.append(column.show(table.total[index], "cn"))
        widest = max((_halves(text) for text in cells), default=0)
        header = (_halves(column.header("cn")) + 1) // 2  # a header may take two lines
        if column.kind is Kind.TEXT and column.key != "code":
            flexible[index] = min(max(widest, header, 8), 48) * unit + padding
        else:
            fixed[index] = max(widest, header, 4) * unit + padding
    left = usable - sum(fixed.values())
    wanted = sum(flexible.values())
    scale_fixed = 1.0 if left >= 0.3 * wanted else usable / (sum(fixed.values()) + wanted)
    share = (left / wanted if wanted else 0) if scale_fixed == 1.0 else scale_fixed
    widths = {**{i: w * scale_fixed for i, w in fixed.items()},
              **{i: w * share for i, w in flexible.items()}}  # fmt: skip
    if not flexible:  # only fixed columns: spread them over the block
        widths = {i: w * usable / sum(fixed.values()) for i, w in fixed.items()}
    grid.autofit = False
    for index, column in enumerate(grid.columns):
        width = Pt(widths[index])
        column.width = width
        for cell in column.cells:
            cell.width = width


def _halves(text: str) -> int:
    """Width of ``text`` in half-width characters (a Chinese character is two)."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _cell(
    cell: Any, text: str, role: str, *, centre: bool = False, right: bool = False,
    colour: str | None = None,
) -> None:  # fmt: skip
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import parse_xml
    from docx.oxml.ns import nsdecls

    paragraph = cell.paragraphs[0]
    fmt = paragraph.paragraph_format
    fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE
    fmt.first_line_indent = None
    paragraph._p.get_or_add_pPr().append(parse_xml(f'<w:snapToGrid {nsdecls("w")} w:val="0"/>'))
    if centre:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    elif right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    _run(paragraph, text, role, size=_TABLE_PT, colour=colour)
