"""Make the .xls fixtures of layouts A and D: the .xlsx written cell by cell, converted by
LibreOffice as an office saving "Excel 97-2003" would. Run from the repository root:

    python tests/io/sheets/layouts/make_xls.py
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> None:
    spec = importlib.util.spec_from_file_location("offices", HERE / "offices.py")
    assert spec is not None and spec.loader is not None
    offices = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(offices)
    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rows, merges = offices.grid_a()
        offices.write_xlsx(work / "layout-a.xlsx", rows, merges)
        offices.write_xlsx(work / "layout-d.xlsx", offices.grid_d(), percent_column=9)
        for name in ("layout-a", "layout-d"):
            subprocess.run(
                ["soffice", "--headless", "--convert-to", "xls", "--outdir", folder,
                 str(work / f"{name}.xlsx")],
                check=True, capture_output=True,
            )  # fmt: skip
            shutil.copy(work / f"{name}.xls", HERE / f"{name}.xls")


if __name__ == "__main__":
    main()
