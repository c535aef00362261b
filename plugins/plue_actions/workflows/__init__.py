"""Workflow files: reading and validating them, their ``on:`` triggers and event matching,
dispatch inputs, schedules and discovery in a commit. Pure Python; no git, no database."""

from plugins.plue_actions.workflows.cron import CronError, CronSchedule, parse_cron
from plugins.plue_actions.workflows.discovery import (
    WORKFLOW_DIRECTORIES,
    discover_workflow_files,
    workflow_id,
)
from plugins.plue_actions.workflows.dispatch import (
    DispatchInput,
    DispatchInputError,
    resolve_dispatch_inputs,
)
from plugins.plue_actions.workflows.document import Workflow, parse_workflow
from plugins.plue_actions.workflows.errors import WorkflowError
from plugins.plue_actions.workflows.graph import ancestors, topological_order
from plugins.plue_actions.workflows.jobs import JobSpec, StrategySpec
from plugins.plue_actions.workflows.matching import (
    TriggeringEvent,
    skip_ci_requested,
    trigger_matches,
    workflow_matches,
)
from plugins.plue_actions.workflows.patterns import PatternError, PatternList
from plugins.plue_actions.workflows.steps import StepSpec
from plugins.plue_actions.workflows.triggers import Trigger

__all__ = [
    "CronError", "CronSchedule", "DispatchInput", "DispatchInputError", "JobSpec",
    "PatternError", "PatternList", "StepSpec", "StrategySpec", "Trigger", "TriggeringEvent",
    "WORKFLOW_DIRECTORIES", "Workflow", "WorkflowError", "ancestors", "discover_workflow_files",
    "parse_cron", "parse_workflow", "resolve_dispatch_inputs", "skip_ci_requested",
    "topological_order", "trigger_matches", "workflow_id", "workflow_matches",
]
