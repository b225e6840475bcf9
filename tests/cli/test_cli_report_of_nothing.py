"""A report of nothing on the command line: one line in the run's language, no traceback,
no file written."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def test_the_command_says_so_in_one_line(run: Any, sample_db: Path, tmp_path: Path) -> None:
    message = run.fails("ranking", sample_db, "--year", "2020", "--out", tmp_path)
    assert message.startswith("错误：没有可生成考核通报的数据：截至2021年1月15日")
    assert "台账中没有2020年的进度月报" in message
    english = run.fails("bulletin", sample_db, "--month", "2020-01", "--lang", "en",
                        "--out", tmp_path)  # fmt: skip
    assert "the ledger holds no progress reports for 2020-01" in english
    assert not any(tmp_path.iterdir())  # nothing written
