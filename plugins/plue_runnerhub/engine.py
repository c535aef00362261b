"""Everything RunnerHub uses from the actions plugin, in one place: its tables (read for the
views), and the functions every change goes through (create a run, report a task, finish or
stop a job, register a runner, wake runners, read logs). RunnerHub writes no actions row by
itself; if actions moves these behind its service object, only this module changes."""

from plugins.plue_actions import emitter, logs, reporting, wakeups
from plugins.plue_actions import runners as actions_runners
from plugins.plue_actions.claim import step_names
from plugins.plue_actions.contexts import repository_payload
from plugins.plue_actions.dispatching import files_at
from plugins.plue_actions.models import Job, Run, Runner, Task, TaskStep, WorkflowState
from plugins.plue_actions.run_lock import lock_run
from plugins.plue_actions.runs import create_run
from plugins.plue_actions.statuses import Status
from plugins.plue_actions.workflows import WorkflowError, parse_workflow

__all__ = ["Job", "Run", "Runner", "Status", "Task", "TaskStep", "WorkflowError",
           "WorkflowState", "actions_runners", "create_run", "emitter", "files_at", "lock_run",
           "logs", "parse_workflow", "reporting", "repository_payload", "step_names", "wakeups"]
