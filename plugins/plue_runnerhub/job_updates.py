"""``PUT /api/jobs/{id}/status``: a runner (or an administrator) reports how a job went.

It goes through the actions service's finishing path (``report_task``, ``finish_job``), so the
run moves on exactly as after a runner's UpdateTask: jobs that need this one are decided,
commit statuses posted, the run's status recomputed. Who may: the runner holding the job's
task (runner.v1 headers ``x-runner-uuid``/``x-runner-token``), or a site administrator.
"""

from __future__ import annotations

from plue_core.errors import Conflict, Forbidden
from plue_core.timestamps import naive_utc
from plue_workflows.statuses import Status

RESULTS = {"success": Status.SUCCESS, "failure": Status.FAILURE,
           "cancelled": Status.CANCELLED, "skipped": Status.SKIPPED}


def target_status(body: dict) -> Status | None:
    """The actions status a report asks for; None for ``running`` (a heartbeat)."""
    status, result, exit_code = body["status"], body.get("result"), body.get("exit_code")
    if status == "running":
        return None
    if result:
        chosen = RESULTS[result]
    elif status == "completed":
        chosen = Status.SUCCESS
    elif status == "cancelled":
        chosen = Status.CANCELLED
    else:
        chosen = Status.FAILURE
    if exit_code not in (None, 0) and chosen == Status.SUCCESS:
        chosen = Status.FAILURE  # a non-zero exit code never counts as success
    return chosen


def check_caller(service, job, runner, is_admin: bool) -> None:
    if runner is not None:
        task = service.task(job.task_id) if job.task_id else None
        if task is None or task.runner_id != runner.id:
            raise Forbidden(f"job_{job.id} is not held by this runner")
    elif not is_admin:
        raise Forbidden("only the runner holding the job or a site administrator may set "
                        "its status")


def apply(service, job, body: dict, *, runner, actor: str):
    """Apply the report; returns the job as stored afterwards."""
    wanted = target_status(body)
    current = Status(job.status)
    if current.is_done():
        raise Conflict(f"job_{job.id} is already finished ({current.label})")
    task = service.task(job.task_id) if job.task_id else None
    if task is not None and current == Status.RUNNING:
        holder = runner or service.runner(task.runner_id)
        if holder is not None:
            # The runner protocol's own path: heartbeat, or final result and what follows.
            stopped = naive_utc(body.get("completed_at"))
            service.report_task(holder, task.id, wanted, stopped)
            return service.job_with_run(job.id)
    if wanted is None:
        raise Conflict(f"job_{job.id} is {current.label}, not running: no runner holds it")
    if wanted not in (Status.FAILURE, Status.CANCELLED):
        raise Conflict(f"job_{job.id} never ran on a runner: it can only be marked failed "
                       "or cancelled")
    found = service.finish_job(job, wanted, f"marked {wanted.label} through RunnerHub by {actor}")
    if found.is_done():  # finished meanwhile
        raise Conflict(f"job_{job.id} is already finished ({found.label})")
    return service.job_with_run(job.id)

