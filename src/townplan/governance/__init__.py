"""Governance: the four working systems around the portfolio, and the leading groups.

- leading groups (领导小组), the command HQ (指挥部) and their tasks — :mod:`.tasks`;
- rapid response (快速反应) — :mod:`.response`;
- supervision and follow-through (督查落实) — :mod:`.supervision`;
- information reporting (信息报送) — :mod:`.reporting`;
- assessment and notification (考核通报) — :mod:`.assessment`;
- indicators: annual targets (预期目标), statistics, tasks' measures, and investment
  attraction (招商引资) — :mod:`.targets`;
- statistics registration (入统) and the attraction pipeline (招商项目) — :mod:`.outcomes`.

Reference records (problems, inspections, findings, rules) live in their own tables;
everything that happens to them is a dated ledger entry, so every query answers "as it
stood on a day", and ``store.as_of(day)`` reproduces what was known then.

>>> import townplan.governance as gov
>>> gov.ResponseRule.default().urgent_days, gov.ScoringScheme.default().commended
(3, 3)
"""

from townplan.governance.assessment import (
    COMPONENTS,
    Assessment,
    ProjectScore,
    UnitScore,
    assess,
)
from townplan.governance.loading import load_governance
from townplan.governance.outcomes import (
    DEAL_PROJECT,
    DEAL_STAGE,
    STATS_STATUS,
    DealStatus,
    StatsLine,
    deal_statuses,
    deal_totals,
    link_deal,
    not_in_statistics,
    record_deal_stage,
    set_stats_status,
    statistics,
)
from townplan.governance.records import Finding, Inspection, Problem, WorkflowEvent
from townplan.governance.reporting import (
    ExpectedReport,
    ReportingCounts,
    expected_reports,
    late_reports,
    missing_reports,
    register_on,
    reporting_summary,
)
from townplan.governance.response import (
    ProblemStatus,
    ResponseTimes,
    acknowledge,
    answer,
    assign_problem,
    close,
    open_problems,
    overdue_responses,
    problem,
    problems,
    raise_problem,
    response_times,
)
from townplan.governance.rulebook import Rule, add_rule, rule_in_force, rules
from townplan.governance.rules import (
    ReportingCalendar,
    ResponseRule,
    add_working_days,
    is_working_day,
)
from townplan.governance.scheme import CategoryPoints, ScaleTier, ScoringScheme
from townplan.governance.states import FindingState, ProblemState, Severity
from townplan.governance.supervision import (
    FindingStatus,
    add_findings,
    add_inspection,
    advance,
    finding,
    findings,
    overdue_findings,
)
from townplan.governance.targets import (
    TARGET_ACTUAL,
    TargetVerdict,
    attraction_summary,
    attraction_total,
    indicator_statuses,
    record_observation,
    record_target_actual,
    target_verdicts,
)
from townplan.governance.tasks import (
    TASK_PROGRESS,
    GroupCompletion,
    TaskStatus,
    group_completion,
    open_tasks,
    overdue_tasks,
    record_task_progress,
    task_status,
    task_statuses,
    tasks_due_within,
)
from townplan.governance.workflow import FINDING, PROBLEM, Workflow

__all__ = [
    "COMPONENTS",
    "DEAL_PROJECT",
    "DEAL_STAGE",
    "FINDING",
    "PROBLEM",
    "STATS_STATUS",
    "TARGET_ACTUAL",
    "TASK_PROGRESS",
    "Assessment",
    "CategoryPoints",
    "DealStatus",
    "ExpectedReport",
    "Finding",
    "FindingState",
    "FindingStatus",
    "GroupCompletion",
    "Inspection",
    "Problem",
    "ProblemState",
    "ProblemStatus",
    "ProjectScore",
    "ReportingCalendar",
    "ReportingCounts",
    "ResponseRule",
    "ResponseTimes",
    "Rule",
    "ScaleTier",
    "ScoringScheme",
    "Severity",
    "StatsLine",
    "TargetVerdict",
    "TaskStatus",
    "UnitScore",
    "Workflow",
    "WorkflowEvent",
    "acknowledge",
    "add_findings",
    "add_inspection",
    "add_rule",
    "add_working_days",
    "advance",
    "answer",
    "assess",
    "assign_problem",
    "attraction_summary",
    "attraction_total",
    "close",
    "deal_statuses",
    "deal_totals",
    "expected_reports",
    "finding",
    "findings",
    "group_completion",
    "indicator_statuses",
    "is_working_day",
    "late_reports",
    "link_deal",
    "load_governance",
    "missing_reports",
    "not_in_statistics",
    "open_problems",
    "open_tasks",
    "overdue_findings",
    "overdue_responses",
    "overdue_tasks",
    "problem",
    "problems",
    "raise_problem",
    "record_deal_stage",
    "record_observation",
    "record_target_actual",
    "record_task_progress",
    "register_on",
    "reporting_summary",
    "response_times",
    "rule_in_force",
    "rules",
    "set_stats_status",
    "statistics",
    "target_verdicts",
    "task_status",
    "task_statuses",
    "tasks_due_within",
]
