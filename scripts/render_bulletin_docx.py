"""Write the sample town's June bulletin as Word, convert it to PDF with LibreOffice and
turn its pages into PNG pictures with pdftoppm.

The picture in the docs (``docs/images/bulletin-2013-06-docx.png``, the first page) is
made with this script::

    python scripts/render_bulletin_docx.py                     # the docs picture
    python scripts/render_bulletin_docx.py --keep /tmp/word    # keep the .docx, .pdf, pages

LibreOffice and poppler come from the system (Debian: ``apt-get install
libreoffice-writer poppler-utils fonts-noto-cjk``). LibreOffice runs headless with a
throw-away profile, so it never touches a user's own settings.
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUT = ROOT / "docs" / "images" / "bulletin-2013-06-docx.png"


def tools() -> dict[str, str | None]:
    """The programs this needs, by name, with their paths (None when missing)."""
    return {name: shutil.which(name) for name in ("soffice", "pdftoppm", "pdfinfo")}


def write_bulletin_docx(path: Path, month: str = "2013-06") -> Path:
    """The sample town's bulletin of ``month`` as a .docx file."""
    import townplan as tp
    from townplan.fixtures import load_sample_town

    with tp.Ledger.open(":memory:") as town:
        load_sample_town(town)
        return tp.reports.bulletin(town, month).to_docx(path)


def to_pdf(docx: Path, folder: Path) -> Path:
    """Convert ``docx`` to PDF in ``folder`` with headless LibreOffice; returns the PDF."""
    soffice = tools()["soffice"]
    if soffice is None:
        raise RuntimeError(
            "LibreOffice is not installed (Debian: apt-get install libreoffice-writer)"
        )
    with tempfile.TemporaryDirectory(prefix="townplan-soffice-") as profile:
        done = subprocess.run(
            [soffice, f"-env:UserInstallation={Path(profile).as_uri()}", "--headless",
             "--convert-to", "pdf", "--outdir", str(folder), str(docx)],
            capture_output=True, text=True, timeout=300, check=False,
        )  # fmt: skip
    pdf = folder / f"{docx.stem}.pdf"
    if done.returncode != 0 or not pdf.is_file():
        raise RuntimeError(
            f"LibreOffice did not write {pdf} (exit {done.returncode}): {done.stderr}"
        )
    return pdf


def page_count(pdf: Path) -> int:
    """The number of pages of ``pdf`` (pdfinfo)."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    line = next(x for x in info.stdout.splitlines() if x.startswith("Pages:"))
    return int(line.split()[1])


def to_pngs(pdf: Path, folder: Path, dpi: int = 60, first: int | None = None,
            last: int | None = None) -> list[Path]:  # fmt: skip
    """Every page (or ``first``..``last``) of ``pdf`` as a PNG in ``folder``, in order."""
    command = ["pdftoppm", "-r", str(dpi), "-png"]
    if first is not None:
        command += ["-f", str(first)]
    if last is not None:
        command += ["-l", str(last)]
    subprocess.run([*command, str(pdf), str(folder / "page")], check=True, timeout=300)
    return sorted(folder.glob("page-*.png"))


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the bulletin, its PDF and the first page as a picture."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2013-06", help="bulletin month (default 2013-06)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the PNG to write")
    parser.add_argument("--page", type=int, default=1, help="the page to picture")
    parser.add_argument("--keep", type=Path, help="keep the .docx, .pdf and pages here")
    args = parser.parse_args(argv)
    missing = [name for name, path in tools().items() if path is None]
    if missing:
        print(f"error: not installed: {', '.join(missing)}", file=sys.stderr)
        return 1
    with tempfile.TemporaryDirectory(prefix="townplan-word-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        pdf = to_pdf(write_bulletin_docx(folder / "bulletin.docx", args.month), folder)
        (png,) = to_pngs(pdf, folder, dpi=110, first=args.page, last=args.page)
        args.out.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(png, args.out)
        pages = page_count(pdf)  # while the PDF is still there
    print(f"wrote {args.out} (page {args.page} of {pages})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
