"""UpdateTask: a runner's heartbeat, step progress, outputs and final result."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from plue_core.db import utcnow, write_transaction
from plue_core.errors import Invalid, NotFound

from plue_workflows.statuses import Status, status_from_result
from plue_actions import emitter
from plue_actions.models import Job, Runner, Task, TaskOutput, TaskStep
from plue_actions.run_lock import lock_run

MAX_OUTPUT_KEY = 255
MAX_OUTPUT_VALUE = 1024 * 1024
# A step's index and log position are runner.v1's (and Gitea's columns') int64: TaskStep's
# BIGINT columns hold every one a runner sends but a negative.
MAX_STEP_NUMBER = 2 ** 63 - 1
RESULTS = (0, 1, 2, 3, 4)  # runner.v1 Result: unspecified, success, failure, cancelled, skipped


@dataclass(frozen=True)
class StepReport:
    index: int
    result: int
    started: datetime.datetime | None
    stopped: datetime.datetime | None
    log_index: int
    log_length: int


def runner_task(runner: Runner, task_id: int) -> Task:
    task = Task.get_or_none(Task.id == task_id)
    if task is None or task.runner_id != runner.id:
        raise NotFound(f"task {task_id} is not one of this runner's tasks")
    return task


def _save_outputs(task: Task, outputs: dict[str, str]) -> None:
    known = {row.key for row in TaskOutput.select(TaskOutput.key).where(TaskOutput.task == task.id)}
    for key, value in outputs.items():
        if key in known:
            continue  # insert-if-absent, as Gitea: the first value reported wins
        if not key or len(key.encode()) > MAX_OUTPUT_KEY:
            raise Invalid(f"output key {key[:40]!r} must be 1 to {MAX_OUTPUT_KEY} bytes")
        if len(value.encode()) > MAX_OUTPUT_VALUE:
            raise Invalid(f"output {key!r} is larger than {MAX_OUTPUT_VALUE} bytes")
        TaskOutput.create(task=task, key=key, value=value)
        known.add(key)


def _check_steps(steps: list[StepReport]) -> None:
    """Before anything is written: an unknown result or a number no column holds in any
    step is the runner's mistake (a 400 naming it), not a half-applied report."""
    for report in steps:
        if report.result not in RESULTS:
            raise Invalid(f"step {report.index}: unknown result {report.result}; expected 0 to 4")
        for name in ("index", "log_index", "log_length"):
            if not 0 <= getattr(report, name) <= MAX_STEP_NUMBER:
                raise Invalid(f"step {report.index}: {name} must be 0 to {MAX_STEP_NUMBER}, "
                              f"got {getattr(report, name)}")


def _save_steps(task: Task, steps: list[StepReport]) -> None:
    existing = {row.index: row for row in TaskStep.select().where(TaskStep.task == task.id)}
    for report in steps:
        row = existing.get(report.index) or TaskStep(task=task, index=report.index,
                                                     name=f"Step {report.index + 1}")
        if report.result:
            row.status = int(status_from_result(report.result))
        elif report.started is not None:
            row.status = int(Status.RUNNING)
        row.started = report.started or row.started
        row.stopped = report.stopped if report.result else row.stopped
        row.log_index, row.log_length = report.log_index, report.log_length
        row.save()


def update_task(service, runner: Runner, task_id: int, result: int,
                started: datetime.datetime | None, stopped: datetime.datetime | None,
                steps: list[StepReport], outputs: dict[str, str]) -> tuple[Task, list[str]]:
    """Apply a report; returns the task as stored now (its status tells the runner whether
    to stop) and every output key stored so far."""
    db = service.ctx.db
    with write_transaction(db):
        task = runner_task(runner, task_id)
        lock_run(db, Job.select(Job.run).where(Job.id == task.job_id).scalar())
        task = runner_task(runner, task_id)  # as it is now that nobody else moves the run
        if Status(task.status).is_done():  # finished or cancelled: only tell the runner so
            return task, _output_keys(task)
        if result not in RESULTS:
            raise Invalid(f"unknown result {result}; expected 0 to 4")
        _check_steps(steps)
        now = utcnow()
        _save_outputs(task, outputs)
        _save_steps(task, steps)
        task.updated = now
        if result:
            status = status_from_result(result)
            task.status = int(status)
            task.stopped = stopped or now
        task.save(only=[Task.updated, Task.status, Task.stopped])  # logs move log_length
        if result:
            job = Job.get_by_id(task.job_id)
            if job.task_id == task.id and not Status(job.status).is_done():
                emitter.finish_job(service, job, Status(task.status))
            if runner.ephemeral:
                runner.delete_instance()
        return task, _output_keys(task)


def _output_keys(task: Task) -> list[str]:
    return [row.key for row in TaskOutput.select(TaskOutput.key).where(TaskOutput.task == task.id)
            .order_by(TaskOutput.key)]
