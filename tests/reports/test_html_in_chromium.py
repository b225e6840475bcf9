"""The HTML bulletin, opened in a real headless browser (Chromium), renders as a page.

Runs scripts/screenshot_bulletin.py (the script that makes the docs picture) into a
temporary directory. Skipped when Chromium is not installed.
"""

from __future__ import annotations

import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest
from matplotlib import image

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshot_bulletin.py"
WIDTH, HEIGHT = 1280, 4000


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshot_bulletin", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


pytestmark = [
    pytest.mark.long,
    pytest.mark.skipif(
        not any(shutil.which(name) for name in ("chromium", "chromium-browser", "google-chrome")),
        reason="Chromium is not installed (Debian: apt-get install chromium)",
    ),
]


@pytest.fixture(scope="module")
def shot(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(the bulletin page, its screenshot), made once for this module."""
    folder = tmp_path_factory.mktemp("chromium")
    html, png = folder / "bulletin.html", folder / "bulletin.png"
    args = ["--out", str(png), "--html", str(html), "--width", str(WIDTH),
            "--height", str(HEIGHT)]  # fmt: skip
    assert _script().main(args) == 0
    return html, png


@pytest.fixture(scope="module")
def rgb(shot: tuple[Path, Path]) -> np.ndarray:
    """The screenshot's pixels as 0–255 integers."""
    return (image.imread(shot[1])[..., :3] * 255).round().astype(np.int32)


def _count(rgb: np.ndarray, hex_colour: str) -> int:
    want = np.array([int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)])
    return int((np.abs(rgb - want) <= 3).all(axis=-1).sum())


def test_the_command_is_headless_and_offline(tmp_path: Path) -> None:
    command = _script().chromium_command(
        "chromium", tmp_path / "b.html", tmp_path / "b.png", tmp_path, (WIDTH, HEIGHT)
    )
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
                 "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync",
                 f"--window-size={WIDTH},{HEIGHT}", f"--user-data-dir={tmp_path}"):  # fmt: skip
        assert flag in command
    assert command[-1].startswith("file://") and command[-1].endswith("b.html")


def test_the_page_is_the_june_bulletin(shot: tuple[Path, Path]) -> None:
    page = shot[0].read_text(encoding="utf-8")
    assert "<title>2013年6月“三重”建设重大项目进度通报</title>" in page
    assert "SZ2013-022" in page and "SZ2013-016" in page


def test_the_screenshot_is_a_page_sized_picture(shot: tuple[Path, Path]) -> None:
    png = shot[1]
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert png.stat().st_size > 50_000
    assert image.imread(png).shape[:2] == (HEIGHT, WIDTH)


def test_the_screenshot_is_not_blank(rgb: np.ndarray) -> None:
    white = (rgb >= 250).all(axis=-1).mean()
    assert 0.3 < white < 0.99  # mostly white paper, with a good deal drawn on it
    packed = (rgb[..., 0] * 65_536 + rgb[..., 1] * 256 + rgb[..., 2]).astype(np.int32)
    assert len(np.unique(packed)) > 100  # anti-aliased text, tables, badges


def test_the_styles_are_applied(rgb: np.ndarray) -> None:
    """The title rule (#c00), red and amber badges and the total rows' fill are drawn."""
    assert _count(rgb, "#cc0000") > 1_000  # h1 border, 3px across the page
    assert _count(rgb, "#cf222e") > 500  # three red badges
    assert _count(rgb, "#bf8700") > 300  # two amber badges
    assert _count(rgb, "#fff8e1") > 5_000  # 合计 rows


@pytest.mark.skipif(shutil.which("pdfinfo") is None, reason="poppler is not installed")
def test_the_page_prints_on_a4(shot: tuple[Path, Path], tmp_path: Path) -> None:
    """Printed (the page's print style), the bulletin is A4 pages, its charts in them."""
    import subprocess

    pdf = _script().print_to_pdf(shot[0], tmp_path / "bulletin.pdf")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    fields = dict(line.split(":", 1) for line in info.stdout.splitlines() if ":" in line)
    assert "(A4)" in fields["Page size"]
    assert int(fields["Pages"]) >= 3  # text, charts and tables across pages
