"""townplan — the ledger of a government's major-project ("三重") portfolio.

>>> import townplan as tp
>>> tp.Money.parse("1.27亿美元").format_cn()
'1.27亿美元'
>>> tp.Deadline.parse("6月底前", year=2013).due
datetime.date(2013, 6, 30)
"""

import importlib
from typing import TYPE_CHECKING, Any

from townplan.api import Ledger
from townplan.deprecation import deprecated
from townplan.errors import (
    ClosedError,
    ConflictError,
    FieldError,
    ForeignSchemaError,
    MoreThanOneError,
    NotFoundError,
    ReadOnlyError,
    SchemaError,
    StorageError,
    TownplanError,
    ValidationError,
)
from townplan.model.enums import (
    Category,
    Direction,
    GroupKind,
    Level,
    Light,
    ProjectKind,
    Stage,
)
from townplan.model.funding import (
    FundingPlan,
    FundingSource,
    FundsReceipt,
)
from townplan.model.lifecycle import Procedure, ProcedureDone, ProcedureKind, ProjectStatus
from townplan.model.money import ExchangeRate, Money, sum_money
from townplan.model.outcomes import (
    Deal,
    DealStage,
    Standing,
    StatsCount,
    StatsStatus,
    Utilisation,
)
from townplan.model.period import Deadline, Period, PeriodKind
from townplan.model.policy import ThresholdPolicy, Verdict, policy_in_force
from townplan.model.records import (
    AnnualTarget,
    Attraction,
    Baseline,
    Indicator,
    LeadingGroup,
    Measure,
    ProgressReport,
    Project,
    Task,
    Unit,
    Zone,
)

if TYPE_CHECKING:
    from townplan import io, reports

__version__ = "0.1.0"
"""The installed version of townplan."""

__all__ = [
    "AnnualTarget",
    "Attraction",
    "Baseline",
    "Category",
    "ClosedError",
    "ConflictError",
    "Deadline",
    "Deal",
    "DealStage",
    "Direction",
    "ExchangeRate",
    "FieldError",
    "ForeignSchemaError",
    "FundingPlan",
    "FundingSource",
    "FundsReceipt",
    "GroupKind",
    "Indicator",
    "LeadingGroup",
    "Ledger",
    "Level",
    "Light",
    "Measure",
    "Money",
    "MoreThanOneError",
    "NotFoundError",
    "Period",
    "PeriodKind",
    "Procedure",
    "ProcedureDone",
    "ProcedureKind",
    "ProgressReport",
    "Project",
    "ProjectKind",
    "ProjectStatus",
    "ReadOnlyError",
    "SchemaError",
    "Stage",
    "Standing",
    "StatsCount",
    "StatsStatus",
    "StorageError",
    "Task",
    "ThresholdPolicy",
    "TownplanError",
    "Unit",
    "Utilisation",
    "ValidationError",
    "Verdict",
    "Zone",
    "__version__",
    "io",
    "policy_in_force",
    "reports",
    "sum_money",
]


def __getattr__(name: str) -> Any:
    # tp.io and tp.reports load on first use: they bring optional extras (openpyxl,
    # matplotlib) that a plain ledger user need not install.
    if name in ("io", "reports"):
        module = importlib.import_module(f"townplan.{name}")
        globals()[name] = module
        return module
    if name == "Milestone":  # the former name of Task, kept for one release
        deprecated("townplan.Milestone", "townplan.Task", depth=1)
        return Task
    raise AttributeError(f"module 'townplan' has no attribute {name!r}")
