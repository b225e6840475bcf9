"""Render the sample town's June bulletin as HTML and photograph it in headless Chromium.

The picture in the docs (``docs/images/bulletin-2013-06.png``) is made with this script::

    python scripts/screenshot_bulletin.py                      # the docs picture
    python scripts/screenshot_bulletin.py --out /tmp/b.png --html /tmp/b.html --month 2013-03

It builds the sample town (示例镇) in memory, writes the bulletin of ``--month`` as one
standalone HTML page and runs Chromium headless on it (``--screenshot``). Chromium comes
from the system (Debian: ``apt-get install chromium``; Chinese text needs a CJK font such
as ``fonts-wqy-zenhei``). The browser runs with a throw-away profile, no network services
and no sandbox (so it works as root in containers); the page itself loads nothing from
the network.
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
DEFAULT_OUT = ROOT / "docs" / "images" / "bulletin-2013-06.png"
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


def find_chromium() -> str | None:
    """The path of an installed Chromium (or Chrome), or None."""
    return next((path for name in BROWSERS if (path := shutil.which(name))), None)


def chromium_command(
    browser: str, html: Path, png: Path, profile: Path, size: tuple[int, int]
) -> list[str]:
    """The command line that saves a screenshot of ``html`` to ``png``."""
    return [
        browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
        "--no-first-run", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--hide-scrollbars", f"--user-data-dir={profile}",
        f"--screenshot={png}", f"--window-size={size[0]},{size[1]}", html.resolve().as_uri(),
    ]  # fmt: skip


def screenshot(html: Path, png: Path, size: tuple[int, int] = (1280, 2000)) -> Path:
    """Photograph the page ``html`` into ``png`` with headless Chromium; returns ``png``."""
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("Chromium is not installed (Debian: apt-get install chromium)")
    png.parent.mkdir(parents=True, exist_ok=True)
    png.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="townplan-chromium-") as profile:
        done = subprocess.run(
            chromium_command(browser, html, png, Path(profile), size),
            capture_output=True, text=True, timeout=120, check=False,
        )  # fmt: skip
    if done.returncode != 0 or not png.is_file():
        raise RuntimeError(f"Chromium did not write {png} (exit {done.returncode}):\n{done.stderr}")
    return png


def print_to_pdf(html: Path, pdf: Path) -> Path:
    """Print the page ``html`` to ``pdf`` as Chromium prints it (the page's print style)."""
    browser = find_chromium()
    if browser is None:
        raise RuntimeError("Chromium is not installed (Debian: apt-get install chromium)")
    pdf.unlink(missing_ok=True)
    with tempfile.TemporaryDirectory(prefix="townplan-chromium-") as profile:
        command = chromium_command(browser, html, pdf, Path(profile), (1280, 2000))
        command = [c for c in command if not c.startswith("--screenshot")]
        command[-1:-1] = [f"--print-to-pdf={pdf}", "--no-pdf-header-footer"]
        done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    if done.returncode != 0 or not pdf.is_file():
        raise RuntimeError(f"Chromium did not print {pdf} (exit {done.returncode}):\n{done.stderr}")
    return pdf


def write_bulletin_html(path: Path, month: str = "2013-06") -> Path:
    """Write the sample town's bulletin of ``month`` as a standalone HTML page."""
    import townplan as tp
    from townplan.fixtures import load_sample_town
    from townplan.reports import bulletin

    with tp.Ledger.open(":memory:") as town:
        load_sample_town(town)
        page = bulletin(town, month).to_html()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(page, encoding="utf-8")
    return path


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: write the bulletin page and its screenshot."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--month", default="2013-06", help="bulletin month (default 2013-06)")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT, help="the PNG to write")
    parser.add_argument("--html", type=Path, help="keep the HTML page here (default: a temp file)")
    parser.add_argument("--width", type=int, default=1280, help="page width in pixels")
    parser.add_argument("--height", type=int, default=2500, help="page height in pixels")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="townplan-bulletin-") as tmp:
        html = write_bulletin_html(args.html or Path(tmp) / "bulletin.html", args.month)
        try:
            png = screenshot(html, args.out, (args.width, args.height))
        except RuntimeError as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 1
    print(f"wrote {png}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
