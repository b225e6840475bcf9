"""What the getting-started pages say ``townplan demo`` prints and writes is what it does."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from townplan.cli import cli

pytestmark = pytest.mark.long

DOCS = Path(__file__).resolve().parents[2] / "docs"
PAGES = ["getting-started.md", "getting-started.zh.md"]
FILE_NAME = re.compile(r"`([\w*.-]+\.(?:db|md|html|docx|xlsx|csv|png))`")


def demo_section(page: str) -> str:
    """The page's section about the demo: from its heading to the next one."""
    text = (DOCS / page).read_text(encoding="utf-8")
    start = text.index("`townplan demo`\n")
    return text[start : text.index("\n## ", start)]


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Result, Path]:
    here = tmp_path_factory.mktemp("demo")
    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(here)  # run it as a reader does, in an empty directory
        # as a terminal 100 columns wide shows it (piped, the tables would be tab-separated)
        terminal = {"TTY_COMPATIBLE": "1", "TERM": "dumb", "COLUMNS": "100",
                    "TOWNPLAN_LANG": "zh"}  # fmt: skip
        result = CliRunner(env=terminal).invoke(cli, ["demo"], prog_name="townplan")
    assert result.exit_code == 0, result.output
    return result, here / "townplan-demo"


@pytest.mark.parametrize("page", PAGES)
def test_the_page_shows_what_the_demo_prints(page: str, demo: tuple[Result, Path]) -> None:
    result, _ = demo
    shown = re.search(r"```text\n(.*?)```", demo_section(page), flags=re.S)
    assert shown is not None, f"{page}: no ```text block with the demo's output"

    def lines(text: str) -> list[str]:
        return [line.rstrip() for line in text.strip("\n").splitlines()]

    assert lines(shown.group(1)) == lines(result.stdout)


@pytest.mark.parametrize("page", PAGES)
def test_every_file_the_page_names_is_written(page: str, demo: tuple[Result, Path]) -> None:
    _, out = demo
    names = FILE_NAME.findall(demo_section(page))
    assert "sample-town.db" in names and "bulletin.html" in names
    for name in names:
        assert list(out.glob(name)), f"{page} names {name}, which the demo does not write"


def test_the_pages_account_for_every_file_written(demo: tuple[Result, Path]) -> None:
    _, out = demo
    for page in PAGES:
        patterns = FILE_NAME.findall(demo_section(page))
        written = sorted(p.name for p in out.iterdir())
        # A file is accounted for if named, matched by a pattern, or one more CSV/PNG of
        # the bulletin (the page names some and says "…").
        unnamed = [
            name
            for name in written
            if not any(Path(name).match(p) for p in patterns)
            and not re.fullmatch(r"bulletin-\w+\.csv", name)
        ]
        assert unnamed == [], f"{page} does not mention {unnamed}"
