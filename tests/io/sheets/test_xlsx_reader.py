"""Reading workbooks put together part by part, so that the XML holds exactly what a case
needs: shared, rich and inline strings, cached formula values, number formats, cells
without references, merged ranges — and hostile files, refused before python-calamine
builds the sheet.
"""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from datetime import datetime, time
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from townplan.errors import FieldError
from townplan.io.sheets.grid import Grid, cell_text, load_grids
from townplan.io.sheets.xlsx_parts import Package, XlsxRefused

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
NOT_A_SPREADSHEET = "not a spreadsheet"
LIMITS = "within townplan's limits"


def relationships(*entries: tuple[str, str, str]) -> str:
    """A .rels part: one (id, type, target) per relationship."""
    body = "".join(
        f'<Relationship Id="{i}" Type="{RELS}/{kind}" Target="{target}"/>'
        for i, kind, target in entries
    )
    return f'<Relationships xmlns="{PACKAGE_RELS}">{body}</Relationships>'


def workbook(
    sheet_xml: str | dict[str, str],
    strings: list[str] | None = None,
    styles: str | None = None,
    workbook_pr: str = "",
    extra: dict[str, str] | None = None,
) -> bytes:
    """A minimal .xlsx: one sheet per entry of ``sheet_xml`` (name → what the
    <worksheet> holds), and the shared strings and styles given."""
    named = {"Sheet1": sheet_xml} if isinstance(sheet_xml, str) else sheet_xml
    numbers = range(1, len(named) + 1)
    sheets = "".join(
        f'<sheet name="{n}" sheetId="{i}" r:id="rId{i}"/>'
        for i, n in zip(numbers, named, strict=True)
    )
    parts = {
        "_rels/.rels": relationships(("rId1", "officeDocument", "xl/workbook.xml")),
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}">{workbook_pr}'
        f"<sheets>{sheets}</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": relationships(
            *((f"rId{i}", "worksheet", f"worksheets/sheet{i}.xml") for i in numbers),
            ("rS", "sharedStrings", "sharedStrings.xml"),
            ("rT", "styles", "/xl/styles.xml"),
        ),
    }
    for i, xml in zip(numbers, named.values(), strict=True):
        parts[f"xl/worksheets/sheet{i}.xml"] = f'<worksheet xmlns="{MAIN}">{xml}</worksheet>'
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{"".join(strings)}</sst>'
    if styles is not None:
        parts["xl/styles.xml"] = f'<styleSheet xmlns="{MAIN}">{styles}</styleSheet>'
    parts.update(extra or {})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return buffer.getvalue()


def read(tmp_path: Path, data: bytes) -> tuple[list[Grid], list[FieldError]]:
    path = tmp_path / "book.xlsx"
    path.write_bytes(data)
    return load_grids(path)


def cells(tmp_path: Path, data: bytes) -> list[tuple[str | None, ...]]:
    grids, problems = read(tmp_path, data)
    assert problems == []
    return [row.cells for row in grids[0].rows]


def quoted(code: str) -> str:
    return code.replace('"', "&quot;")


# styles 0…8: General, 14 (m/d/yy), 年月日, 0%, [Red]0.0, 22 (m/d/yy h:mm), 46 ([h]:mm:ss),
# "第"0"期", 0.00%
DATE_CN = quoted('yyyy"年"m"月"d"日"')
ISSUE = quoted('"第"0"期"')
STYLES = (
    f'<numFmts><numFmt numFmtId="164" formatCode="{DATE_CN}"/>'
    '<numFmt numFmtId="165" formatCode="[Red]0.0"/>'
    f'<numFmt numFmtId="166" formatCode="{ISSUE}"/></numFmts>'
    '<cellStyleXfs><xf numFmtId="14"/></cellStyleXfs><cellXfs>'
    + "".join(f'<xf numFmtId="{i}"/>' for i in (0, 14, 164, 9, 165, 22, 46, 166, 10))
    + "</cellXfs>"
)


def row(number: int, *cells: str) -> str:
    return f'<row r="{number}">{"".join(cells)}</row>'


def test_strings_numbers_and_styles(tmp_path: Path) -> None:
    strings = [
        "<si><t> 中心大道 </t></si>",
        "<si><r><rPr><b/></rPr><t>华阳</t></r><r><t>湿地</t></r>"
        "<rPh sb='0' eb='1'><t>ふりがな</t></rPh></si>",
        "<si><t>a_x005F_x0041_b</t></si>",
    ]
    sheet = "".join(
        [
            "<sheetData>",
            row(
                1,
                '<c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>',
                '<c r="C1" t="inlineStr"><is><t>内联</t></is></c><c r="D1" t="s"><v>2</v></c>',
            ),
            row(
                2,
                '<c r="A2"><v>1234.5</v></c><c r="B2"><v>0.30000000000000004</v></c>',
                '<c r="C2"><v>1200</v></c><c r="D2" t="n"><v>1E3</v></c><c r="E2"><v>-0</v></c>',
            ),
            row(
                3,
                '<c r="A3" s="1"><v>41455</v></c><c r="B3" s="2"><v>41455.5</v></c>',
                '<c r="C3" s="3"><v>0.85</v></c><c r="D3" s="3"><v>1</v></c>',
                '<c r="E3" s="4"><v>2.5</v></c><c r="F3" s="5"><v>41459.375</v></c>',
                '<c r="G3" s="6"><v>1.5</v></c><c r="H3" s="7"><v>3</v></c>',
                '<c r="I3" s="8"><v>0.1234</v></c>',
            ),
            row(
                4,
                '<c r="A4" t="b"><v>1</v></c><c r="B4" t="e"><v>#N/A</v></c>',
                '<c r="C4" t="str"><f>A1&amp;"x"</f><v>中心大道x</v></c><c r="D4"><f>1/0</f></c>',
                '<c r="E4" t="d"><v>2013-07-05</v></c>',
                '<c r="F4" t="d"><v>2013-07-05T09:30:00</v></c><c r="G4" s="1"><v>0.25</v></c>',
            ),
            "</sheetData>",
        ]
    )
    assert cells(tmp_path, workbook(sheet, strings, STYLES)) == [
        ("中心大道", "华阳湿地", "内联", "a_x0041_b", None, None, None, None, None),
        ("1234.5", "0.3", "1200", "1000", "0", None, None, None, None),
        ("2013-06-30", "2013-06-30 12:00:00", "85%", "100%", "2.5", "2013-07-04 09:00:00",
         "1 day, 12:00:00", "3", "12.34%"),
        ("TRUE", "#N/A", "中心大道x", None, "2013-07-05", "2013-07-05 09:30:00", "06:00:00",
         None, None),
    ]  # fmt: skip


def test_cells_and_rows_without_references_follow_on(tmp_path: Path) -> None:
    sheet = (
        "<sheetData><row><c><v>1</v></c><c r='C1'><v>3</v></c><c><v>4</v></c></row>"
        "<row r='3'><c><v>5</v></c></row><row><c r='b4'><v>6</v></c></row></sheetData>"
    )
    assert cells(tmp_path, workbook(sheet)) == [
        ("1", None, "3", "4"),
        (None, None, None, None),
        ("5", None, None, None),
        (None, "6", None, None),
    ]


def test_merged_ranges_take_the_top_left_value(tmp_path: Path) -> None:
    sheet = (
        "<sheetData><row r='1'><c r='A1' t='inlineStr'><is><t>投资情况</t></is></c>"
        "<c r='B1'><v>9</v></c></row><row r='2'><c r='C2'><v>7</v></c></row></sheetData>"
        "<mergeCells count='2'><mergeCell ref='A1:B2'/><mergeCell ref='C1:C2'/></mergeCells>"
    )
    grids, problems = read(tmp_path, workbook(sheet))
    assert problems == []
    (grid,) = grids
    # B1 is covered by A1:B2, so its own 9 is not read; C1:C2 takes C1's blank
    assert [row.cells for row in grid.rows] == [("投资情况", "投资情况"), ("投资情况", "投资情况")]
    assert grid.origin(2, 1) == (1, 0)
    assert grid.origin(2, 2) == (1, 2)


def test_sheets_in_tab_order_without_chart_sheets_or_missing_parts(tmp_path: Path) -> None:
    one = "<sheetData><row><c><v>1</v></c></row></sheetData>"
    data = workbook({"说明": "<sheetData/>", "项目库": one, "图": one})
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    rels = parts["xl/_rels/workbook.xml.rels"].decode()
    parts["xl/_rels/workbook.xml.rels"] = rels.replace(
        '/worksheet" Target="worksheets/sheet3', '/chartsheet" Target="worksheets/sheet3'
    ).encode()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in parts.items():
            z.writestr(name, content)
    grids, problems = read(tmp_path, buffer.getvalue())
    assert problems == []
    assert [(g.sheet, len(g.rows)) for g in grids] == [("说明", 0), ("项目库", 1)]
    # a workbook missing a sheet's part is damaged
    del parts["xl/worksheets/sheet1.xml"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        for name, content in parts.items():
            z.writestr(name, content)
    damaged(tmp_path, buffer.getvalue())


def damaged(tmp_path: Path, data: bytes, reason: str = "", why: str = NOT_A_SPREADSHEET) -> None:
    grids, problems = read(tmp_path, data)
    assert grids == []
    (problem,) = problems
    assert why in problem.expected
    assert reason in problem.expected
    assert (problem.value, problem.sheet) == ("book.xlsx", "book.xlsx")


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x05\x06" + bytes(18),  # an empty zip
        zipfile.ZipFile.__name__.encode(),  # not a zip at all
    ],
)
def test_not_a_workbook(tmp_path: Path, data: bytes) -> None:
    damaged(tmp_path, data)


def test_missing_parts(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("xl/workbook.xml", f'<workbook xmlns="{MAIN}"/>')
    damaged(tmp_path, buffer.getvalue())
    sheet = "<sheetData><row><c t='s'><v>3</v></c></row></sheetData>"
    damaged(tmp_path, workbook(sheet, strings=["<si><t>x</t></si>"]))  # no string 3
    damaged(tmp_path, workbook("<sheetData><row><c><v>1</v></c></row>"))  # not closed


@pytest.mark.parametrize(
    "doctype",
    [
        '<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;">]>',
        '<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>',
    ],
)
def test_entities_are_never_expanded(tmp_path: Path, doctype: str) -> None:
    strings = f'{doctype}<sst xmlns="{MAIN}"><si><t>&lol2;&e;x</t></si></sst>'
    sheet = '<sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row></sheetData>'
    grids, _ = read(tmp_path, workbook(sheet, extra={"xl/sharedStrings.xml": strings}))
    text = " ".join(c for g in grids for r in g.rows for c in r.cells if c)
    assert "lollol" not in text
    assert "root:" not in text


def test_zip_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    rows = "<row><c><v>0</v></c></row>" * 50_000  # 1.3 MB that deflates to a few kB
    data = workbook(f"<sheetData>{rows}</sheetData>")
    assert len(data) < 20_000
    part = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        package = Package(archive, limit=2_000_000)
        assert len(list(package.elements(part))) == 150_002  # rows, cells, values
        with pytest.raises(XlsxRefused, match="more than 2,000,000 bytes"):
            list(package.elements(part))  # the limit counts every part read
    monkeypatch.setattr("townplan.io.sheets.xlsx_parts.MAX_UNPACKED", 1_000_000)
    damaged(tmp_path, data, "unpacks to more than 1,000,000 bytes", LIMITS)


def test_huge_sheets_are_refused(tmp_path: Path) -> None:
    far = "<sheetData><row r='1048576'><c r='XFD1048576'><v>1</v></c></row></sheetData>"
    damaged(tmp_path, workbook(far), "reaches column 16,384", LIMITS)
    tall = "<sheetData><row r='1048576'><c r='Z1048576'><v>1</v></c></row></sheetData>"
    damaged(tmp_path, workbook(tall), "spans more than", LIMITS)
    merge = "<sheetData/><mergeCells><mergeCell ref='A1:Z1048576'/></mergeCells>"
    damaged(tmp_path, workbook(merge), "spans more than", LIMITS)
    # cells without references still count
    wide = "<sheetData><row>" + "<c/>" * 2_000 + "</row></sheetData>"
    damaged(tmp_path, workbook(wide), "reaches column", LIMITS)


@pytest.mark.parametrize(
    "body",
    [
        '<row r="2"><c r="XFD2"><v>1</v></c></row>',  # a cell past the claimed column
        '<row r="1048576"><c r="Z1048576"><v>1</v></c></row>',  # a row past the claim
        '<row r="2"><c r="Z1048576"><v>1</v></c></row>',  # a cell's row past it
        '<row r="2"><c\tr="XFD2"><v>1</v></c></row>',  # a reference not written the usual way
        '<row r="2"><c s="0" r="XFD2"><v>1</v></c></row>',  # not the first attribute
        '<row r="2"><x:c xmlns:x="' + MAIN + '" r="XFD2"><v>1</v></x:c></row>',  # prefixed
        '<row r="2">' + "<c/>" * 2_000 + "</row>",  # cells without a reference
    ],
)
def test_a_dimension_is_checked_not_trusted(tmp_path: Path, body: str) -> None:
    sheet = f'<dimension ref="A1:Z2"/><sheetData><row r="1"><c r="A1"><v>1</v></c></row>{body}'
    data = workbook(sheet + "</sheetData>")
    _, problems = read(tmp_path, data)
    assert len(problems) == 1 and LIMITS in problems[0].expected, problems


def test_a_sheet_that_starts_below_and_right_of_a1(tmp_path: Path) -> None:
    sheet = (
        "<sheetData>"
        + row(3, '<c r="C3" t="inlineStr"><is><t>项目编号</t></is></c>', '<c r="E3"><v>2</v></c>')
        + row(5, '<c r="D5"><v>0.5</v></c>')
        + "</sheetData>"
    )
    assert cells(tmp_path, workbook(sheet)) == [
        (None, None, None, None, None),
        (None, None, None, None, None),
        (None, None, "项目编号", None, "2"),
        (None, None, None, None, None),
        (None, None, None, "0.5", None),
    ]


def test_a_loose_dimension_refuses_nothing(tmp_path: Path) -> None:
    sheet = (
        '<dimension ref="A1:XFD1048576"/><sheetData>'
        + row(1, '<c r="A1" t="inlineStr"><is><t>项目编号</t></is></c>', '<c r="B1"><v>7</v></c>')
        + "</sheetData>"
    )
    assert cells(tmp_path, workbook(sheet)) == [("项目编号", "7")]
    claimed = '<dimension ref="A1:C9"/><sheetData>' + row(2, '<c r="C2"><v>3</v></c>')
    assert cells(tmp_path, workbook(claimed + "</sheetData>")) == [
        (None, None, None),
        (None, None, "3"),
    ]


def test_the_reading_path_needs_no_openpyxl(tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    book.active.append(["项目编号", "项目名称"])
    book.active.append(["P001", "中心大道"])
    path = tmp_path / "r.xlsx"
    book.save(path)
    # the reader's modules, loaded without the packages' __init__ (whose exports may
    # need openpyxl) and with openpyxl made impossible to import
    script = f"""
import sys, types, pathlib, townplan
sys.modules["openpyxl"] = None
io = types.ModuleType("townplan.io")
io.__path__ = [str(pathlib.Path(townplan.__file__).parent / "io")]
sys.modules["townplan.io"] = io
sheets = types.ModuleType("townplan.io.sheets")
sheets.__path__ = [io.__path__[0] + "/sheets"]
sys.modules["townplan.io.sheets"] = sheets
from townplan.io.sheets.headers import REGISTER_HEADERS
from townplan.io.sheets.table import read_table
table = read_table({str(path)!r}, headers=REGISTER_HEADERS, required={{"code"}})
print(table.rows[0].values["name"])
"""
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "中心大道"


def test_percent_and_dates_match_the_old_rendering() -> None:
    assert cell_text(datetime(2013, 7, 4, 9, 30)) == "2013-07-04 09:30:00"
    assert cell_text(time(6)) == "06:00:00"
    assert cell_text(Decimal("0.125"), percent=True) == "12.5%"
