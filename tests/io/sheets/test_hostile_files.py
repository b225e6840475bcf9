"""Hostile and odd files are refused quickly and in bounded memory: each case runs in a
child process whose address space is capped (``RLIMIT_AS``), so a reader that tried to
build a 30 GB sheet would die there instead of passing."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

resource = pytest.importorskip("resource")
pytestmark = pytest.mark.long  # a child process; .ci/run runs it (pytest --runlong -m long)

MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PACKAGE = "http://schemas.openxmlformats.org/package/2006/relationships"
TYPES = "http://schemas.openxmlformats.org/package/2006/content-types"
SHEET_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml"
#: The child's whole address space: the interpreter, townplan, calamine and the import.
LIMIT = 768 * 2**20


def xlsx(path: Path, sheet_data: str, tail: str = "", strings: str | None = None) -> Path:
    """A one-sheet workbook as Excel lays out its parts."""
    overrides = (
        f'<Override PartName="/xl/workbook.xml" ContentType="{SHEET_TYPE}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" '
        f'ContentType="{SHEET_TYPE}.worksheet+xml"/>'
    )
    rels = f'<Relationship Id="rId1" Type="{RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
    if strings is not None:
        overrides += (
            f'<Override PartName="/xl/sharedStrings.xml" '
            f'ContentType="{SHEET_TYPE}.sharedStrings+xml"/>'
        )
        rels += f'<Relationship Id="rId2" Type="{RELS}/sharedStrings" Target="sharedStrings.xml"/>'
    parts = {
        "[Content_Types].xml": f'<Types xmlns="{TYPES}"><Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        f'<Default Extension="xml" ContentType="application/xml"/>{overrides}</Types>',
        "_rels/.rels": f'<Relationships xmlns="{PACKAGE}"><Relationship Id="rId1" '
        f'Type="{RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{MAIN}" xmlns:r="{RELS}"><sheets>'
        '<sheet name="项目库" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": f'<Relationships xmlns="{PACKAGE}">{rels}</Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{MAIN}"><sheetData>{sheet_data}'
        f"</sheetData>{tail}</worksheet>",
    }
    if strings is not None:
        parts["xl/sharedStrings.xml"] = f'<sst xmlns="{MAIN}">{strings}</sst>'
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, text in parts.items():
            z.writestr(name, text)
    return path


def inline(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


HEADER = (
    '<row r="1">'
    + inline("A1", "项目编号")
    + inline("B1", "项目名称")
    + inline("C1", "项目类别")
    + inline("D1", "政府投资（万元）")
    + "</row>"
)


def cases(folder: Path) -> dict[str, Path]:
    rows = "".join(
        f'<row r="{i}">{inline(f"A{i}", f"P{i}")}{inline(f"B{i}", "路")}</row>'
        for i in range(2, 60_000)
    )
    far = xlsx(
        folder / "xfd.xlsx",
        HEADER + rows + f'<row r="60000">{inline("XFD60000", "x")}</row>',
    )
    merge = xlsx(
        folder / "merge.xlsx",
        HEADER,
        '<mergeCells count="1"><mergeCell ref="G3:XFD2442"/></mergeCells>',
    )
    wide = folder / "wide.csv"
    wide.write_bytes(("项目编号,项目名称\n" + "," * 200_000 + "\n").encode())
    many = folder / "many.csv"
    many.write_bytes(("项目编号,项目名称\n" + ("P1," + "," * 1_100 + "\n") * 2_000).encode())
    infinite = xlsx(
        folder / "inf.xlsx",
        HEADER + '<row r="2">' + inline("A2", "P1") + inline("B2", "中心大道")
        + inline("C2", "基础设施") + '<c r="D2"><v>1e999</v></c></row>',
    )  # fmt: skip
    negative = xlsx(
        folder / "negative.xlsx",
        HEADER + '<row r="2"><c r="A2" t="s"><v>-1</v></c>' + inline("B2", "中心大道")
        + inline("C2", "基础设施") + "</row>",
        strings="<si><t>P9</t></si><si><t>最后一个</t></si>",
    )  # fmt: skip
    return {
        "xfd": far,
        "merge": merge,
        "wide": wide,
        "many": many,
        "inf": infinite,
        "negative": negative,
    }


CHILD = """
import json, resource, sys, time
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
import townplan as tp
from townplan.ledger import LedgerStore
out = {{}}
for name, path in json.loads(sys.argv[1]).items():
    with LedgerStore.open(":memory:") as ledger:
        try:
            tp.io.import_register(ledger, path)
            out[name] = ["imported", [p.code for p in ledger.projects()]]
        except tp.TownplanError as err:
            out[name] = [type(err).__name__, str(err)]
        except MemoryError:
            out[name] = ["MemoryError", ""]
print(json.dumps(out, ensure_ascii=False))
"""


def test_hostile_files_are_refused_in_bounded_memory(tmp_path: Path) -> None:
    paths = {k: str(v) for k, v in cases(tmp_path).items()}
    done = subprocess.run(
        [sys.executable, "-c", CHILD.format(limit=LIMIT), json.dumps(paths)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    out = json.loads(done.stdout)
    assert out["xfd"][0] == "ValidationError"
    assert "reaches column 16,384" in out["xfd"][1]
    assert out["merge"][0] == "ValidationError"
    assert "reaches column 16,384" in out["merge"][1]
    assert out["wide"][0] == "ValidationError"
    assert "has 200,001" in out["wide"][1]
    assert out["many"][0] == "ValidationError"
    assert "has 1,102" in out["many"][1]
    # 1e999 is not zero: the cell reads as Excel shows it, and that is no amount
    assert out["inf"][0] == "ValidationError"
    assert "#NUM!" in out["inf"][1]
    # a negative shared-string index never reads some other string
    assert "最后一个" not in json.dumps(out["negative"], ensure_ascii=False)
