"""The model part of the public contract in shared/design/api.md, from the top-level package."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

import townplan as tp

MODEL_NAMES = [
    "Money", "ExchangeRate", "sum_money", "Period", "PeriodKind", "Deadline",
    "ThresholdPolicy", "Verdict", "policy_in_force", "Project", "ProgressReport",
    "TownplanError", "ValidationError", "NotFoundError", "ConflictError", "SchemaError",
]  # fmt: skip


@pytest.mark.parametrize("name", MODEL_NAMES)
def test_importable_from_townplan(name: str) -> None:
    assert name in tp.__all__
    assert getattr(tp, name) is not None


@pytest.mark.parametrize(
    "error", [tp.ValidationError, tp.NotFoundError, tp.ConflictError, tp.SchemaError]
)
def test_errors_share_one_base(error: type[Exception]) -> None:
    assert issubclass(error, tp.TownplanError)


def test_api_examples() -> None:
    money = tp.Money.parse("1.27亿美元")
    assert money == tp.Money(amount=Decimal("127000000"), currency="USD")
    assert money.format_cn() == "1.27亿美元"
    assert tp.Money.parse("1000万元").amount == 10_000_000
    assert tp.Money.parse("3.5", unit="万元").amount == 35_000
    with pytest.raises(tp.ValidationError, match=r"12\.3\.4亿"):
        tp.Money.parse("12.3.4亿")
    assert tp.Deadline.parse("6月底前", year=2013).due == date(2013, 6, 30)
    assert tp.Deadline.parse("上半年", year=2013).due == date(2013, 6, 30)
    assert tp.Deadline.parse("年底前", year=2013).due == date(2013, 12, 31)
    aspirational = tp.Deadline.parse("力争2014年上半年")
    assert aspirational.due == date(2014, 6, 30)
    assert aspirational.aspirational
    project = tp.Project(
        code="P001",
        name="中心大道二期",
        category=tp.Category.INFRASTRUCTURE,
        government_investment=tp.Money.parse("1000万元"),
    )
    verdict = tp.ThresholdPolicy.default().assess(project)
    assert isinstance(verdict, tp.Verdict)
    assert verdict.eligible is True
    assert isinstance(verdict.reasons, tuple)
    assert all(isinstance(r, str) for r in verdict.reasons)
