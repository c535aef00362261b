"""GitHub's ``workflow_job`` webhook as RunnerHub external jobs (see ``external_jobs``).

``queued`` records the job ``pending`` — for a hub runner whose labels match, exactly as a
``POST /api/jobs/delegate`` of it would — ``in_progress`` marks it ``running``, ``completed``
finishes it with GitHub's ``conclusion``. GitHub's job id and repository find the job again
(also one an operator delegated by hand with GitHub's job id). A job first heard of at
``in_progress`` or ``completed`` (its ``queued`` delivery was lost) is recorded then; a job
already finished is not changed; ``waiting`` (a deployment waiting for approval) changes
nothing, since GitHub sends ``queued`` once it is approved.
"""

from __future__ import annotations

import dataclasses
import datetime

from plue_core.db import utcnow
from plue_workflows.statuses import Status
from plue_runnerhub import external_jobs
from plue_runnerhub.envelope import parse_timestamp, reject
from plue_runnerhub.jobs import hub_status
from plue_runnerhub.models import ExternalJob

ACTIONS = ("queued", "in_progress", "completed", "waiting")
WEBHOOK_CREATOR = 0  # creator_id of jobs GitHub's webhook recorded: RunnerHub admins see them
# GitHub's documented workflow_job conclusions, as the actions results RunnerHub reports.
CONCLUSIONS = {"success": Status.SUCCESS, "neutral": Status.SUCCESS,
               "skipped": Status.SKIPPED, "failure": Status.FAILURE,
               "timed_out": Status.FAILURE, "action_required": Status.FAILURE,
               "startup_failure": Status.FAILURE, "cancelled": Status.CANCELLED,
               "stale": Status.CANCELLED}


@dataclasses.dataclass(frozen=True)
class WorkflowJobEvent:
    action: str
    repository: str
    fields: dict  # external_jobs.record's body: job_id, job_name, workflow_name, labels, metadata
    started_at: datetime.datetime | None
    completed_at: datetime.datetime | None
    conclusion: Status | None
    private: bool | None = None  # GitHub's repository.private (None when not sent)


def _text(value, field: str, limit: int) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) or len(value) > limit:
        raise reject(field, value, f"a string of at most {limit} characters")
    return value


def _time(value, field: str) -> datetime.datetime | None:
    if value in (None, ""):
        return None
    if not isinstance(value, str):
        raise reject(field, value, "an ISO 8601 timestamp such as 2024-06-23T10:30:00Z")
    return parse_timestamp(field, value)


def parse(payload: dict, repository: str) -> WorkflowJobEvent:
    """The parts of a ``workflow_job`` payload RunnerHub uses; a 400 naming the field for
    anything GitHub would not send."""
    action = payload.get("action")
    if action not in ACTIONS:
        raise reject("action", action, "one of " + ", ".join(ACTIONS))
    job = payload.get("workflow_job")
    if not isinstance(job, dict):
        raise reject("workflow_job", job, "an object (GitHub's workflow job)")
    job_id = job.get("id")
    if isinstance(job_id, bool) or not isinstance(job_id, int) or job_id < 0:
        raise reject("workflow_job.id", job_id, "GitHub's numeric job id")
    labels = job.get("labels") or []
    if not isinstance(labels, list) or not all(isinstance(label, str) and 0 < len(label) <= 255
                                               for label in labels):
        raise reject("workflow_job.labels", labels, "a list of runner labels")
    conclusion = None
    if action == "completed":
        raw = job.get("conclusion")
        if raw not in CONCLUSIONS:
            raise reject("workflow_job.conclusion", raw, "one of " + ", ".join(CONCLUSIONS))
        conclusion = CONCLUSIONS[raw]
    metadata = {key: value for key, value in (
        ("branch", _text(job.get("head_branch"), "workflow_job.head_branch", 1024)),
        ("commit_sha", _text(job.get("head_sha"), "workflow_job.head_sha", 64)),
        ("run_id", job.get("run_id") if isinstance(job.get("run_id"), int) else None),
        ("run_attempt", job.get("run_attempt") if isinstance(job.get("run_attempt"), int)
         else None),
        ("html_url", _text(job.get("html_url"), "workflow_job.html_url", 2048))) if value}
    private = (payload.get("repository") or {}).get("private")
    if private is not None and not isinstance(private, bool):
        raise reject("repository.private", private, "a boolean (GitHub's repository.private)")
    return WorkflowJobEvent(
        action=action, repository=repository, private=private,
        fields={"job_id": job_id, "job_name": _text(job.get("name"), "workflow_job.name", 255),
                "workflow_name": _text(job.get("workflow_name"), "workflow_job.workflow_name",
                                       1024),
                "labels": labels, "metadata": metadata},
        started_at=_time(job.get("started_at"), "workflow_job.started_at"),
        completed_at=_time(job.get("completed_at"), "workflow_job.completed_at"),
        conclusion=conclusion)


def _known(event: WorkflowJobEvent) -> ExternalJob | None:
    return (ExternalJob.select()
            .where((ExternalJob.github_job_id == str(event.fields["job_id"]))
                   & (ExternalJob.repository_key == event.repository.lower()))
            .order_by(ExternalJob.id.desc()).first())


def apply(event: WorkflowJobEvent) -> ExternalJob | None:
    """Record or update the job (inside the caller's transaction); the job, or None for
    ``waiting`` of a job not yet known."""
    job = _known(event)
    if job is None:
        if event.action == "waiting":
            return None
        job = external_jobs.record(event.repository, event.fields, creator_id=WEBHOOK_CREATOR,
                                   private=event.private)
    if job.status in external_jobs.FINISHED or event.action in ("queued", "waiting"):
        return job
    now = utcnow()
    if event.action == "in_progress":
        external_jobs.touch(job, status="running", started=job.started or event.started_at or now)
    else:
        external_jobs.touch(job, status=hub_status(event.conclusion),
                            result=event.conclusion.label,
                            started=job.started or event.started_at,
                            stopped=event.completed_at or now)
    return job
