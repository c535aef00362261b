"""The workflow language of Gitea/GitHub Actions, shared by the server (``plue_actions``)
and the runner agent (``plue_runner_agent``). Pure Python: no git, no HTTP, no database.

- this package's modules: workflow files, reading and validating them, their ``on:`` triggers
  and event matching, dispatch inputs, schedules and discovery in a commit (re-exported here);
- ``plue_workflows.expressions``: ``${{ }}`` expressions;
- ``plue_workflows.planning``: a workflow's jobs planned into rows, and the decisions taken as
  jobs finish;
- ``plue_workflows.statuses``: run, job and step statuses as Gitea stores and reports them.
"""

from plue_workflows.cron import CronError, CronSchedule, parse_cron
from plue_workflows.discovery import (
    WORKFLOW_DIRECTORIES,
    discover_workflow_files,
    workflow_id,
)
from plue_workflows.dispatch import (
    DispatchInput,
    DispatchInputError,
    resolve_dispatch_inputs,
)
from plue_workflows.document import Workflow, parse_workflow
from plue_workflows.errors import WorkflowError
from plue_workflows.graph import ancestors, topological_order
from plue_workflows.jobs import JobSpec, StrategySpec
from plue_workflows.matching import (
    TriggeringEvent,
    skip_ci_requested,
    trigger_matches,
    workflow_matches,
)
from plue_workflows.patterns import PatternError, PatternList
from plue_workflows.steps import StepSpec
from plue_workflows.triggers import Trigger

__all__ = [
    "CronError", "CronSchedule", "DispatchInput", "DispatchInputError", "JobSpec",
    "PatternError", "PatternList", "StepSpec", "StrategySpec", "Trigger", "TriggeringEvent",
    "WORKFLOW_DIRECTORIES", "Workflow", "WorkflowError", "ancestors", "discover_workflow_files",
    "parse_cron", "parse_workflow", "resolve_dispatch_inputs", "skip_ci_requested",
    "topological_order", "trigger_matches", "workflow_id", "workflow_matches",
]
