"""``in`` with a long list — a city's thousand project codes, units or zones — answers
like a short one (SQLite refuses an expression deeper than 1000, which a chain of one
``OR`` per value was), on the hand-made portfolio of conftest.py."""

from __future__ import annotations

import pytest

import townplan as tp
from townplan.query import Query

# Codes no project of the portfolio has, as a city's list of other towns' projects.
ELSEWHERE = [f"镇{i:03d}/P{i:05d}" for i in range(1500)]


def codes(query: object) -> list[str]:
    return [r.code for r in query]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("lookups", "expected"),
    [
        ({"code__in": [*ELSEWHERE, "P07", "P03"]}, ["P03", "P07"]),
        ({"code__in": ELSEWHERE}, []),
        ({"responsible_unit__in": [*ELSEWHERE, "农办"]}, ["P03", "P07"]),
        # None among many: the projects without a village, and 华阳's
        ({"village__in": [*ELSEWHERE, None, "华阳"]},
         ["P01", "P02", "P03", "P04", "P05", "P06", "P07", "P08", "P09", "P10"]),
        ({"village__in": [*ELSEWHERE, None]},
         ["P01", "P02", "P04", "P05", "P06", "P07", "P08", "P09", "P10"]),
        # enums parsed value by value, Chinese labels and values mixed
        ({"stage__in": ["新开工", "completed"] * 800}, ["P02", "P05", "P10"]),
        ({"plan_year__in": [*range(1000, 2012), 2012]}, ["P10"]),
        # money is a test of two columns: a long list of amounts still answers
        ({"annual_plan__in": ["1万"] * 1200 + ["2亿"]}, ["P04"]),
    ],
)  # fmt: skip
def test_in_with_a_long_list(q: Query, lookups: dict[str, object], expected: list[str]) -> None:
    assert codes(q.projects().where(**lookups)) == expected


def test_long_list_of_projects_for_their_progress_and_procedures(q: Query) -> None:
    short = [(r.project, r.period) for r in q.progress().where(project__in=["P02", "P10"])]
    long = q.progress().where(project__in=[*ELSEWHERE, "P10", "P02"])
    assert short and [(r.project, r.period) for r in long] == short
    assert q.procedures().for_project(*ELSEWHERE).count() == 0


def test_a_bad_value_deep_in_a_long_list_is_named(q: Query) -> None:
    with pytest.raises(tp.ValidationError) as err:
        q.projects().where(stage__in=[*["续建"] * 1200, "半途"])
    assert err.value.field == "stage__in" and "半途" in str(err.value)
