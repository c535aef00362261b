"""What RunnerHub knows of the actions plugin: its service, ``ctx.services["actions"]`` (an
``ActionsService``, passed to RunnerHub's functions as ``service``), and nothing else.

Every change (a delegated run, a job's reported result, a registration, a wake-up, a log
read) is a method call on that service. The views read the tables the service documents as
readable (``ActionsService.models``) and its ``Status`` enum: they are classes, the same for
every app, so they are named here once for RunnerHub's module-level tables (status groups,
queue columns) and for queries built where no service is at hand."""

from plue_actions.service import ActionsService

Job = ActionsService.models.Job
Run = ActionsService.models.Run
Runner = ActionsService.models.Runner
Task = ActionsService.models.Task
TaskStep = ActionsService.models.TaskStep
Status = ActionsService.Status
WorkflowError = ActionsService.WorkflowError

__all__ = ["Job", "Run", "Runner", "Status", "Task", "TaskStep", "WorkflowError"]
