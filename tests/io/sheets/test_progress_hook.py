"""The importers and exports tell a caller how far they are (``on_progress``): counts of
rows checked and written, from (0, total) to (total, total), never backwards."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

import townplan as tp
from townplan import io

ROWS = 25  # more than one step of the hook, made 10 rows here (1000 by default)


@pytest.fixture(autouse=True)
def _small_steps(monkeypatch: pytest.MonkeyPatch) -> None:
    import townplan.progress

    monkeypatch.setattr(townplan.progress, "EVERY", 10)


def _register(path: Path, rows: int) -> Path:
    # written by hand the way an office lays out its 项目库, title row first
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        out = csv.writer(f)
        out.writerow(["2013年重大项目库（单位：万元）"])
        out.writerow(["序号", "项目编号", "项目名称", "项目类别", "总投资", "责任单位"])
        for n in range(1, rows + 1):
            out.writerow([n, f"P{n:05d}", f"项目{n}", "基础设施", 100 + n, "城建办"])
    return path


def _calls(hook_calls: list[tuple[int, int]], total: int) -> None:
    assert hook_calls[0] == (0, total)
    assert hook_calls[-1] == (total, total)
    done = [d for d, _ in hook_calls]
    assert done == sorted(done) and len(set(done)) == len(done)
    assert all(t == total for _, t in hook_calls)


def test_the_register_import_counts_rows_checked_and_written(tmp_path: Path) -> None:
    path = _register(tmp_path / "register.csv", ROWS)
    seen: list[tuple[int, int]] = []
    with tp.Ledger.open(":memory:") as ledger:
        result = io.import_register(ledger, path, on_progress=lambda d, t: seen.append((d, t)))
        assert len(result.added) == ROWS == ledger.counts()["projects"]
    _calls(seen, 2 * ROWS)  # each row checked, then written
    assert [d for d, _ in seen] == [0, 10, 20, 30, 40, 50]  # told on the way, every 10


def test_a_dry_run_and_a_progress_import_end_at_the_total(tmp_path: Path) -> None:
    path = _register(tmp_path / "register.csv", 30)
    sheet = tmp_path / "june.csv"
    lines = ["项目编号,月份,本月完成（万元）"] + [f"P{n:05d},2013-06,{n}" for n in range(1, 31)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with tp.Ledger.open(":memory:") as ledger:
        dry: list[tuple[int, int]] = []
        io.import_register(ledger, path, dry_run=True, on_progress=lambda d, t: dry.append((d, t)))
        _calls(dry, 60)  # nothing written, and the job still ends at its total
        io.import_register(ledger, path)
        seen: list[tuple[int, int]] = []
        io.import_progress(ledger, sheet, on_progress=lambda d, t: seen.append((d, t)))
        _calls(seen, 60)
        assert len(list(ledger.progress())) == 30


def test_a_refused_file_is_not_told_as_finished(tmp_path: Path) -> None:
    path = _register(tmp_path / "register.csv", 9)
    text = path.read_text(encoding="utf-8-sig").replace(
        "P00003,项目3,基础设施,103", "P00003,项目3,基础设施,很多"
    )
    path.write_text(text, encoding="utf-8-sig")
    seen: list[tuple[int, int]] = []
    with tp.Ledger.open(":memory:") as ledger:
        with pytest.raises(tp.ValidationError):
            io.import_register(ledger, path, on_progress=lambda d, t: seen.append((d, t)))
        assert ledger.counts().get("projects", 0) == 0
    assert seen == [(0, 18)]  # started; never said to be done


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_exports_count_the_rows_written(
    sample_town: tp.Ledger, tmp_path: Path, suffix: str
) -> None:
    projects = len(list(sample_town.projects()))
    seen: list[tuple[int, int]] = []
    io.export_register(
        sample_town, tmp_path / f"reg{suffix}", on_progress=lambda d, t: seen.append((d, t))
    )
    _calls(seen, projects + 1)  # every project and the 合计 row
    if suffix == ".csv":  # the file holds what was counted: title, header, the rows
        with (tmp_path / "reg.csv").open(encoding="utf-8-sig") as f:
            assert len(list(csv.reader(f))) == 2 + projects + 1
    june: list[tuple[int, int]] = []
    io.export_progress(sample_town, tmp_path / f"june{suffix}", "2013-06",
                       on_progress=lambda d, t: june.append((d, t)))  # fmt: skip
    reports = sum(1 for r in sample_town.progress() if str(r.period) == "2013-06")
    _calls(june, reports + 1)


def test_the_json_export_tells_a_hook_of_each_section(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with tp.Ledger.open(":memory:") as ledger:
        io.import_register(ledger, _register(tmp_path / "register.csv", 5))
        plain = io.to_json(ledger)
        told = io.to_json(ledger, on_progress=lambda d, t: seen.append((d, t)))
    assert told == plain  # the same document, told or not
    sections = len(plain) - 3  # every key but format, version and schema_version
    assert seen == [(n, sections) for n in range(sections + 1)]


def test_the_oc4ids_export_tells_a_hook_of_each_project(tmp_path: Path) -> None:
    seen: list[tuple[int, int]] = []
    with tp.Ledger.open(":memory:") as ledger:
        io.import_register(ledger, _register(tmp_path / "register.csv", ROWS))
        package = io.to_oc4ids(ledger, on_progress=lambda d, t: seen.append((d, t)))
    assert len(package["projects"]) == ROWS
    _calls(seen, ROWS)
    assert [d for d, _ in seen] == [0, 10, 20, 25]


def test_both_imports_pause_the_cycle_collector_and_restore_it(tmp_path: Path) -> None:
    import gc

    path = _register(tmp_path / "register.csv", 12)
    sheet = tmp_path / "june.csv"
    lines = ["项目编号,月份,本月完成（万元）"] + [f"P{n:05d},2013-06,{n}" for n in range(1, 13)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text("项目编号,月份,本月完成（万元）\nP00001,2013-06,很多\n", encoding="utf-8")
    collecting: list[bool] = []

    def hook(done: int, total: int) -> None:
        collecting.append(gc.isenabled())

    assert gc.isenabled()
    with tp.Ledger.open(":memory:") as ledger:
        io.import_register(ledger, path, on_progress=hook)
        io.import_progress(ledger, sheet, on_progress=hook)
        with pytest.raises(tp.ValidationError):
            io.import_progress(ledger, bad, on_progress=hook)
    assert collecting and not any(collecting)  # paused while rows become records
    assert gc.isenabled()  # and on again after, an error or not
