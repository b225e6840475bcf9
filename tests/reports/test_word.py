"""The Word bulletin read back with python-docx: the GB/T 9704-2012 page, the framing of a
公文 (发文机关标志, 期号, 成文日期, 落款), the body's fonts and one annex row per project."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn

import townplan as tp
from townplan.reports import Column, Report, Section, Table

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def june_docx(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from townplan.fixtures import load_sample_town

    path = tmp_path_factory.mktemp("word") / "bulletin.docx"
    with tp.Ledger.open(":memory:") as town:
        load_sample_town(town)
        tp.reports.bulletin(town, month="2013-06").to_docx(path)
    return path


def _texts(path: Path) -> list[str]:
    return [p.text for p in docx.Document(str(path)).paragraphs]


def test_the_page_is_a4_with_the_standard_margins(june_docx: Path) -> None:
    first = docx.Document(str(june_docx)).sections[0]
    assert (round(first.page_width.mm), round(first.page_height.mm)) == (210, 297)
    assert first.orientation == WD_ORIENT.PORTRAIT
    assert abs(first.top_margin.mm - 37) <= 1  # 天头
    assert abs(first.left_margin.mm - 28) <= 1  # 订口
    # the text block: 156 × 225 mm
    assert round(first.page_width.mm - first.left_margin.mm - first.right_margin.mm) == 156
    assert round(first.page_height.mm - first.top_margin.mm - first.bottom_margin.mm) == 225


def test_the_grid_is_22_lines_of_28_characters(june_docx: Path) -> None:
    document = docx.Document(str(june_docx))
    grid = document.sections[0]._sectPr.find(f"{W}docGrid")
    assert grid is not None and grid.get(f"{W}linePitch") == "579"  # 225 mm ÷ 22, in twips
    normal = document.styles["Normal"]
    assert normal.font.size.pt == 16  # 3号
    assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert round(normal.paragraph_format.line_spacing.pt * 22 / 72 * 25.4) == 225
    # 28 characters of 16 pt (less their spacing) fill the 156 mm line
    spacing = normal.element.rPr.find(f"{W}spacing")
    width_pt = 28 * (16 + int(spacing.get(f"{W}val")) / 20)
    assert abs(width_pt / 72 * 25.4 - 156) <= 0.5


def test_the_body_is_fangsong_and_fonts_have_a_fallback(june_docx: Path) -> None:
    document = docx.Document(str(june_docx))
    fonts = document.styles["Normal"].element.rPr.rFonts
    assert fonts.get(qn("w:eastAsia")) == "仿宋"
    table = document.part.part_related_by(docx.opc.constants.RELATIONSHIP_TYPE.FONT_TABLE)
    xml = table.blob.decode("utf-8")
    for name, alternative in (("仿宋", "FangSong"), ("方正小标宋简体", "宋体"), ("黑体", "SimHei")):
        assert f'w:name="{name}"><w:altName w:val="{alternative}"/>' in xml


def test_the_framing_of_a_bulletin(june_docx: Path, sample_town: tp.Ledger) -> None:
    document = docx.Document(str(june_docx))
    texts = [p.text for p in document.paragraphs]
    masthead = document.paragraphs[0]
    office = f"{sample_town.meta()['town']}“三重”建设工作领导小组办公室"  # the ledger's town
    assert masthead.text == office
    assert str(masthead.runs[0].font.color.rgb) == "C00000"  # 发文机关标志 in red
    assert "第6期" in texts  # 期号
    title = next(p for p in document.paragraphs if p.text == "2013年6月“三重”建设重大项目进度通报")
    assert title.runs[0].font.size.pt == 22  # 2号
    assert title.runs[0]._r.rPr.rFonts.get(qn("w:eastAsia")) == "方正小标宋简体"
    # 成文日期 in Arabic numerals, right under the 落款, both right-aligned
    day = texts.index("2013年7月15日")
    assert texts[day - 1] == office
    assert document.paragraphs[day].alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT
    headings = [t for t in texts if t[:2] in ("一、", "二、", "三、")]
    assert headings == ["一、总体情况", "二、存在问题", "三、下一步工作"]
    assert any(t.startswith("附件：1．") for t in texts)


def test_the_text_says_what_the_ledger_holds(june_docx: Path, sample_town: tp.Ledger) -> None:
    texts = "\n".join(_texts(june_docx))
    q = sample_town.as_of(date(2013, 7, 15)).query().projects().eligible().on(date(2013, 6, 30))
    assert f"重大项目{q.count()}个" in texts
    red = [v.name for v in q.lights() if v.light is tp.Light.RED]
    assert f"红灯项目{len(red)}个（" in texts
    for name in red:
        assert name in texts
    greens = sum(1 for v in q.lights() if v.light is tp.Light.GREEN)
    assert f"绿灯项目{greens}个" in texts  # lights counted to the whole
    assert "2013-" not in texts.split("附件")[0]  # no ISO date in the body


def test_every_project_in_the_plan_has_an_annex_row(
    june_docx: Path, sample_town: tp.Ledger
) -> None:
    document = docx.Document(str(june_docx))
    annex = document.tables[-1]
    header = [c.text for c in annex.rows[0].cells]
    assert header[:2] == ["项目编号", "项目名称"] and "形象进度" in header and "灯号" in header
    codes = [row.cells[0].text for row in annex.rows[1:]]
    q = sample_town.as_of(date(2013, 7, 15)).query().projects().eligible().on(date(2013, 6, 30))
    assert sorted(codes) == sorted(p.code for p in q)
    # the month's 形象进度 is each project's June report note
    notes = {r.project: r.note for r in sample_town.query().progress().where(period="2013-06")}
    column = header.index("形象进度")
    for row in annex.rows[1:]:
        assert row.cells[column].text == notes.get(row.cells[0].text, "")


def test_annexes_are_landscape_with_repeated_headers(june_docx: Path) -> None:
    document = docx.Document(str(june_docx))
    annexes = document.sections[1:]
    assert len(annexes) == len(document.tables) + sum(
        1 for p in document.paragraphs if p.text == "（无）"
    )
    for section in annexes:
        assert section.orientation == WD_ORIENT.LANDSCAPE
        assert section.page_width > section.page_height
    for table in document.tables:
        header = table.rows[0]._tr.trPr
        assert header is not None and header.find(f"{W}tblHeader") is not None


def test_page_numbers_are_dashed_fields(june_docx: Path) -> None:
    document = docx.Document(str(june_docx))
    assert document.settings.odd_and_even_pages_header_footer
    section = document.sections[0]
    for footer in (section.footer, section.even_page_footer):
        xml = footer.paragraphs[0]._p.xml
        assert "— " in xml and " —" in xml and "PAGE" in xml


def test_issuer_number_and_date_come_from_the_ledger_and_the_caller(tmp_path: Path) -> None:
    from townplan.fixtures import load_sample_town

    with tp.Ledger.open(":memory:") as town:
        load_sample_town(town)
        town.set_meta(issuer="示例镇“三重”建设工作领导小组办公室")
        june = tp.reports.bulletin(town, month="2013-06")
    assert _texts(june.to_docx(tmp_path / "a.docx"))[0] == "示例镇“三重”建设工作领导小组办公室"
    texts = _texts(june.to_docx(tmp_path / "b.docx", issuer="某镇“三重”办", number=12,
                                signed="某镇人民政府", on=date(2013, 7, 20)))  # fmt: skip
    assert texts[0] == "某镇“三重”办" and "第12期" in texts
    assert texts[texts.index("2013年7月20日") - 1] == "某镇人民政府"


def test_stored_text_stays_text(tmp_path: Path) -> None:
    name = '<w:t>&amp;</w:t>[red]x[/red] "引号"'
    section = Section("s", "情况", "State", (name,))
    table = Table("t", "表", "Table", (Column("name", "名称", "Name"),), ((name,),))
    report = Report("demo", name, "Demo", date(2013, 7, 15), (), (table,), sections=(section,))
    document = docx.Document(str(report.to_docx(tmp_path / "x.docx")))
    texts = [p.text for p in document.paragraphs]
    assert name in texts and sum(t == name for t in texts) >= 2
    assert document.tables[0].rows[1].cells[0].text == name


@pytest.mark.parametrize("kind", ["year_summary", "ranking_notice"])
def test_the_year_reports_are_documents_too(
    kind: str, sample_town: tp.Ledger, tmp_path: Path
) -> None:
    report = getattr(tp.reports, kind)(sample_town, year=2013)
    document = docx.Document(str(report.to_docx(tmp_path / f"{kind}.docx")))
    texts = [p.text for p in document.paragraphs]
    assert report.title_cn in texts and "一、总体情况" in texts
    assert len(document.tables) == sum(1 for t in report.tables if t.rows)
    assert "2014年1月15日" in texts
