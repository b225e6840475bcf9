"""The Word bulletin as LibreOffice lays it out: converted to PDF (``soffice --headless
--convert-to pdf``) and looked at page by page with pdftoppm.

Runs scripts/render_bulletin_docx.py (the script that makes the docs picture). Marked
``office`` and ``slow`` (LibreOffice takes seconds to start); ``.ci/run`` runs it. Skipped
where LibreOffice or poppler is not installed.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import docx
import numpy as np
import pytest
from matplotlib import image

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "render_bulletin_docx.py"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_bulletin_docx", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pytestmark = [
    pytest.mark.office,
    pytest.mark.slow,
    pytest.mark.skipif(
        any(path is None for path in _script().tools().values()),
        reason="LibreOffice or poppler is not installed "
        "(Debian: apt-get install libreoffice-writer poppler-utils)",
    ),
]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, list[Path]]:
    """(the .docx, its PDF, every page as a PNG), made once for this module."""
    script = _script()
    folder = tmp_path_factory.mktemp("libreoffice")
    document = script.write_bulletin_docx(folder / "bulletin.docx")
    pdf = script.to_pdf(document, folder)
    return document, pdf, script.to_pngs(pdf, folder, dpi=40)


def _ink(png: Path) -> np.ndarray:
    """True where a page has ink (anything clearly darker than white)."""
    return np.asarray(image.imread(png)[..., :3].mean(axis=-1) < 0.75)


def test_libreoffice_lays_out_every_part(rendered: tuple[Path, Path, list[Path]]) -> None:
    document, pdf, pages = rendered
    tables = len(docx.Document(str(document)).tables)
    count = _script().page_count(pdf)
    assert count == len(pages)
    # the body, then each annex on pages of its own; the progress annex needs two or more
    assert 2 + tables <= count <= 2 * tables + 4


def test_no_page_is_empty(rendered: tuple[Path, Path, list[Path]]) -> None:
    for number, png in enumerate(rendered[2], start=1):
        ink = _ink(png)
        above_footer = ink[: int(ink.shape[0] * 0.85)]
        assert above_footer.sum() > 400, f"page {number} has nothing above its page number"


def test_annex_pages_are_landscape_and_the_first_is_portrait(
    rendered: tuple[Path, Path, list[Path]],
) -> None:
    shapes = [image.imread(png).shape[:2] for png in rendered[2]]
    height, width = shapes[0]
    assert round(height / width, 2) == round(297 / 210, 2)
    assert shapes[-1][1] > shapes[-1][0]  # the progress annex, landscape


def test_the_masthead_is_red(rendered: tuple[Path, Path, list[Path]]) -> None:
    rgb = image.imread(rendered[2][0])[..., :3]
    red = (rgb[..., 0] > 0.6) & (rgb[..., 1] < 0.3) & (rgb[..., 2] < 0.3)
    top = red[: rgb.shape[0] // 3]
    assert top.sum() > 300  # the 发文机关标志 and the rule under the 期号
