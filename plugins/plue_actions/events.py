"""Events the actions plugin publishes (subscribe with the ``on_event`` hook), each inside the
transaction that made the change: a run's status moved (``workflow_run``), a job's status
moved (``workflow_job``), a commit status was added (``commit_status``, by a job or through
the API). ``action`` is Gitea's webhook action: ``requested`` / ``in_progress`` /
``completed`` for runs, ``queued`` / ``waiting`` / ``in_progress`` / ``completed`` for jobs."""

from __future__ import annotations

import dataclasses
from typing import ClassVar

from plue_core.events import Event

from plue_workflows.statuses import Status


@dataclasses.dataclass(frozen=True)
class WorkflowRunEvent(Event):
    name: ClassVar[str] = "workflow_run"

    repository_id: int
    run_id: int
    action: str
    status: int
    trigger_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class WorkflowJobEvent(Event):
    name: ClassVar[str] = "workflow_job"

    repository_id: int
    run_id: int
    job_id: int
    action: str
    status: int
    trigger_user_id: int | None = None


@dataclasses.dataclass(frozen=True)
class CommitStatusEvent(Event):
    name: ClassVar[str] = "commit_status"

    repository_id: int
    status_id: int
    sha: str
    state: str
    context: str
    creator_id: int | None = None


def run_action(status: Status) -> str:
    if status.is_done():
        return "completed"
    return "in_progress" if status == Status.RUNNING else "requested"


def job_action(status: Status) -> str:
    if status.is_done():
        return "completed"
    return {Status.RUNNING: "in_progress", Status.BLOCKED: "waiting"}.get(status, "queued")


EVENTS = [WorkflowRunEvent, WorkflowJobEvent, CommitStatusEvent]
