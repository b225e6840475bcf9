"""Planned against actual, start lights and procedure counts on the sample town, with the
expected values read from ``fixtures/sample_town/lifecycle.json`` and ``projects.csv``
themselves (the oracle), not from the loader."""

from __future__ import annotations

import csv
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import townplan as tp
from townplan.query.dates import start_verdicts
from townplan.query.sql import Fragment

SAMPLE = Path(__file__).resolve().parents[2] / "fixtures" / "sample_town"
ON, AS_OF = date(2013, 6, 30), date(2013, 7, 15)
_LATER = {"start": ("续建", "竣工", "投产"), "finish": ("竣工", "投产")}


def _doc() -> dict[str, Any]:
    return json.loads((SAMPLE / "lifecycle.json").read_text(encoding="utf-8"))  # type: ignore[no-any-return]


def _register() -> dict[str, dict[str, str]]:
    with (SAMPLE / "projects.csv").open(encoding="utf-8", newline="") as handle:
        return {row["项目编号"]: row for row in csv.DictReader(handle)}


def _late(which: str, on: date, known: date) -> set[str]:
    """Projects planned to start (finish) before ``on`` that had not by the planned day,
    from the files: the actual day known by ``known``, the register's stage, the status."""
    doc, register = _doc(), _register()
    actual = {
        a["project"]: date.fromisoformat(a["on"])
        for a in doc["actual"]
        if a["milestone"] == which and date.fromisoformat(a["recorded_on"]) <= known
        and date.fromisoformat(a["on"]) <= on
    }  # fmt: skip
    halted = {s["project"] for s in doc["status"] if date.fromisoformat(s["on"]) <= on}
    found = set()
    for p in doc["planned"]:
        planned = date.fromisoformat(p[f"planned_{which}"])
        row = register[p["project"]]
        if row["项目性质"] != "建设" or planned >= on or p["project"] in halted:
            continue
        day = actual.get(p["project"])
        if day is not None and day <= planned:
            continue
        if day is None and row["建设阶段"] in _LATER[which]:
            continue  # a later stage has evidently reached it
        found.add(p["project"])
    return found


@pytest.fixture
def town(sample_town: tp.Ledger) -> tp.Ledger:
    return sample_town


def test_started_late_and_finished_late_as_the_files_say(town: tp.Ledger) -> None:
    view = town.as_of(AS_OF).query().projects()
    assert {p.code for p in view.started_late(on=ON)} == _late("start", ON, AS_OF)
    assert len(_late("start", ON, AS_OF)) >= 3
    year_end = town.as_of(date(2014, 1, 15)).query().projects()
    assert {p.code for p in year_end.finished_late(on=date(2013, 12, 31))} == _late(
        "finish", date(2013, 12, 31), date(2014, 1, 15)
    )


def test_starts_in_a_period_as_the_files_say(town: tp.Ledger) -> None:
    doc = _doc()
    view = town.as_of(AS_OF).query().projects()
    for period, first, last in (("2013-Q1", "2013-01-01", "2013-03-31"),
                                ("2013-04", "2013-04-01", "2013-04-30")):  # fmt: skip
        expected = {
            a["project"]
            for a in doc["actual"]
            if a["milestone"] == "start" and first <= a["on"] <= last
        }
        assert {p.code for p in view.started_in(period)} == expected
    finished = {a["project"] for a in doc["actual"] if a["milestone"] == "finish"
                and a["on"] <= "2013-06-30" and a["recorded_on"] <= "2013-07-15"}  # fmt: skip
    assert {p.code for p in view.finished_in("2013-H1")} == finished


def test_start_lights_as_the_files_say(town: tp.Ledger) -> None:
    doc = _doc()
    planned = {p["project"]: date.fromisoformat(p["planned_start"]) for p in doc["planned"]}
    started = {a["project"] for a in doc["actual"] if a["milestone"] == "start"
               and a["on"] <= "2013-06-30"}  # fmt: skip
    register = _register()
    lit = {(v.project, v.light) for v in start_verdicts(
        town.as_of(AS_OF), Fragment("SELECT code FROM projects"), ON)}  # fmt: skip
    halted = {s["project"] for s in doc["status"]}
    expected = set()
    for code, day in planned.items():
        row = register[code]
        if (day >= ON or code in started or code in halted or row["项目性质"] != "建设"
                or row["建设阶段"] in _LATER["start"]):  # fmt: skip
            continue
        months = (ON.year - day.year) * 12 + ON.month - day.month - (ON.day < day.day)
        expected.add((code, tp.Light.RED if months >= 3 else tp.Light.AMBER))
    assert lit == expected
    assert any(light is tp.Light.RED for _, light in lit)


def test_procedure_counts_by_kind_as_the_file_says(town: tp.Ledger) -> None:
    doc = _doc()
    counts = town.as_of(AS_OF).query().procedures().on(ON).counts("kind")
    required: dict[str, int] = {}
    done: dict[str, int] = {}
    for p in doc["procedures"]:
        if not p["required"]:
            continue
        required[p["kind"]] = required.get(p["kind"], 0) + 1
        if p["done_on"] and p["done_on"] <= "2013-06-30" and p["recorded_on"] <= "2013-07-15":
            done[p["kind"]] = done.get(p["kind"], 0) + 1
    assert {k: c.required for k, c in counts.items()} == required
    assert {k: c.done for k, c in counts.items() if c.done} == done
