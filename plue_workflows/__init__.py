"""The workflow language of Gitea/GitHub Actions, shared by the server (``plue_actions``)
and the runner agent (``plue_runner_agent``). Pure Python: no git, no HTTP, no database.

- this package's modules: workflow files, reading and validating them, their ``on:`` triggers
  and event matching, dispatch inputs, schedules and discovery in a commit (re-exported here);
- ``plue_workflows.expressions``: ``${{ }}`` expressions;
- ``plue_workflows.planning``: a workflow's jobs planned into rows, and the decisions taken as
  jobs finish;
- ``plue_workflows.statuses``: run, job and step statuses as Gitea stores and reports them.
"""

import importlib
from typing import TYPE_CHECKING

# Each name is imported from its module on first use (PEP 562): a process that only needs
# the statuses (the API's run and job rows, RunnerHub) does not load the workflow language,
# its expressions and planner (~1 MB; docs/serving.md, Round eight).
_HOMES = {
    "CronError": "cron",
    "CronSchedule": "cron",
    "parse_cron": "cron",
    "WORKFLOW_DIRECTORIES": "discovery",
    "discover_workflow_files": "discovery",
    "workflow_id": "discovery",
    "DispatchInput": "dispatch",
    "DispatchInputError": "dispatch",
    "resolve_dispatch_inputs": "dispatch",
    "Workflow": "document",
    "parse_workflow": "document",
    "WorkflowError": "errors",
    "ancestors": "graph",
    "topological_order": "graph",
    "JobSpec": "jobs",
    "StrategySpec": "jobs",
    "TriggeringEvent": "matching",
    "skip_ci_requested": "matching",
    "trigger_matches": "matching",
    "workflow_matches": "matching",
    "PatternError": "patterns",
    "PatternList": "patterns",
    "StepSpec": "steps",
    "Trigger": "triggers",
}

if TYPE_CHECKING:
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


def __getattr__(name: str):
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


__all__ = [
    "CronError", "CronSchedule", "DispatchInput", "DispatchInputError", "JobSpec",
    "PatternError", "PatternList", "StepSpec", "StrategySpec", "Trigger", "TriggeringEvent",
    "WORKFLOW_DIRECTORIES", "Workflow", "WorkflowError", "ancestors", "discover_workflow_files",
    "parse_cron", "parse_workflow", "resolve_dispatch_inputs", "skip_ci_requested",
    "topological_order", "trigger_matches", "workflow_id", "workflow_matches",
]
