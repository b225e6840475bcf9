"""The tutorial's "Load last year" runs word for word: its Python blocks run with the rest
of the page (``test_docs_examples``); here its command lines run too, on the files its
first block writes, as a reader following the section in a shell would."""

from __future__ import annotations

import re
import shlex
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from townplan.cli import cli

grab_code_blocks = pytest.importorskip("mktestdocs").grab_code_blocks

TUTORIAL = Path(__file__).resolve().parents[2] / "docs" / "tutorial.md"


def section() -> str:
    text = TUTORIAL.read_text(encoding="utf-8")
    found = re.search(r"^## \d+\. Load last year\n(.*?)(?=^## )", text, flags=re.S | re.M)
    assert found, "the tutorial has no section 'Load last year'"
    return found[1]


def test_the_section_loads_with_record_times() -> None:
    code = "\n".join(grab_code_blocks(section(), lang="python"))
    assert "recorded_at=" in code and "import_progress" in code and "unseen" in code


@pytest.mark.long  # three commands in a row: seconds on a loaded machine
def test_its_command_lines_run(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    files, *_ = grab_code_blocks(section(), lang="python")
    exec(compile(files, "tutorial.md (Load last year, the files)", "exec"), {"date": date})
    (commands,) = grab_code_blocks(section(), lang="bash")
    runner = CliRunner(env={"TOWNPLAN_LANG": "zh", "COLUMNS": "200"})
    results = []
    for line in commands.strip().splitlines():
        program, *args = shlex.split(line)
        assert program == "townplan"
        shown = runner.invoke(cli, [*args[:2], "--help"]).stdout
        for option in (a for a in args if a.startswith("--")):
            assert option in shown, f"{line}: {option} is not in the command's --help"
        results.append(runner.invoke(cli, args))
        assert results[-1].exit_code == 0, (line, results[-1].output)
    bulletin = results[-1]
    assert "纳入计划项目\t2" in bulletin.stdout
    assert "--as-of" not in bulletin.stderr  # nothing of December is left out
    text = (tmp_path / "bulletin.md").read_text(encoding="utf-8")
    assert "2012年12月“三重”建设重大项目进度通报" in text and "> 注" not in text
