"""The office layouts (``offices.py``) as files: .xlsx written cell by cell, GBK CSV as
Excel saves it, and the .xls files LibreOffice made of them (``make_xls.py``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

HERE = Path(__file__).resolve().parent


def _offices() -> ModuleType:
    spec = importlib.util.spec_from_file_location("townplan_test_offices", HERE / "offices.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="session")
def offices() -> ModuleType:
    return _offices()


@pytest.fixture
def layout_a(offices: ModuleType, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    """Layout A in the format the test is parametrised with ("xlsx", "xls" or "csv")."""
    kind = getattr(request, "param", "xlsx")
    rows, merges = offices.grid_a()
    if kind == "xlsx":
        return offices.write_xlsx(tmp_path / "plan.xlsx", rows, merges)
    if kind == "csv":
        return offices.write_csv(tmp_path / "plan.csv", rows)
    return HERE / "layout-a.xls"


@pytest.fixture
def layout_d(offices: ModuleType, tmp_path: Path, request: pytest.FixtureRequest) -> Path:
    kind = getattr(request, "param", "xlsx")
    if kind == "xlsx":
        return offices.write_xlsx(tmp_path / "export.xlsx", offices.grid_d(), percent_column=9)
    if kind == "csv":
        return offices.write_csv(tmp_path / "export.csv", offices.grid_d())
    return HERE / "layout-d.xls"
