"""A small ledger with procedures, statuses and stage changes written out by hand.

Three projects registered on 2013-01-01 (recorded 2013-01-05), all 前期:

    P1 东环路   城建办   leader 副镇长甲   eia due 04-30 (环保分局), land_pre due 08-31 (国土分局),
                                          energy not required
    P2 西大街   城建办   leader 副镇长乙   eia due 05-31 (环保分局), permit due 06-15 (住建分局)
    P3 南湖公园 农业办   leader 副镇长甲   permit due 03-31 (住建分局)

Events:
    P1 eia done 06-20 (批文号 环审〔2013〕12号), recorded only on 07-20
    P2 eia done 05-10, recorded 05-11
    P3 suspended from 05-01 (recorded 05-02), resumed from 08-01 (recorded 08-01)
    P2 enters 新开工 on 04-08 (recorded 04-09), 竣工 on 11-30 (recorded 12-01)
"""

from __future__ import annotations

from datetime import date

import pytest

import townplan as tp
from townplan.model.lifecycle import Procedure, ProcedureDone


def _project(code: str, name: str, unit: str, leader: str, stage: tp.Stage) -> tp.Project:
    return tp.Project(
        code=code, name=name, category=tp.Category.INFRASTRUCTURE, stage=stage,
        responsible_unit=unit, leader=leader,
        government_investment=tp.Money.parse("3000万"), annual_plan=tp.Money.parse("1200万"),
        plan_year=2013,
    )  # fmt: skip


@pytest.fixture
def life() -> tp.Ledger:
    ledger = tp.Ledger.open(":memory:")
    ledger.add_units(["城建办", "农业办", "环保分局", "国土分局", "住建分局"])
    prep = tp.Stage.PREPARATION
    ledger.add_projects(
        [
            _project("P1", "东环路", "城建办", "副镇长甲", prep),
            _project("P2", "西大街", "城建办", "副镇长乙", prep),
            _project("P3", "南湖公园", "农业办", "副镇长甲", prep),
        ],
        on=date(2013, 1, 1),
        recorded_at=date(2013, 1, 5),
    )
    ledger.add_procedures(
        [
            Procedure("P1", "eia", date(2013, 4, 30), "环保分局"),
            Procedure("P1", "land_pre", date(2013, 8, 31), "国土分局"),
            Procedure("P1", "energy", None, None, required=False),
            Procedure("P2", "eia", date(2013, 5, 31), "环保分局"),
            Procedure("P2", "construction_permit", date(2013, 6, 15), "住建分局"),
            Procedure("P3", "construction_permit", date(2013, 3, 31), "住建分局"),
        ],
        recorded_at=date(2013, 1, 5),
    )
    ledger.record_procedures_done(
        [ProcedureDone("P1", "eia", date(2013, 6, 20), "环审〔2013〕12号")],
        recorded_at=date(2013, 7, 20),
    )
    ledger.record_procedures_done(
        [ProcedureDone("P2", "eia", date(2013, 5, 10))], recorded_at=date(2013, 5, 11)
    )
    ledger.set_status("P3", "suspended", date(2013, 5, 1), note="征地未完成",
                      recorded_at=date(2013, 5, 2))  # fmt: skip
    ledger.set_status("P3", "复工", date(2013, 8, 1), recorded_at=date(2013, 8, 1))
    p2 = ledger.project("P2")
    import attrs

    ledger.update_project(attrs.evolve(p2, stage=tp.Stage.NEW_START), on=date(2013, 4, 8),
                          recorded_at=date(2013, 4, 9))  # fmt: skip
    ledger.update_project(attrs.evolve(p2, stage=tp.Stage.COMPLETED), on=date(2013, 11, 30),
                          recorded_at=date(2013, 12, 1))  # fmt: skip
    return ledger
