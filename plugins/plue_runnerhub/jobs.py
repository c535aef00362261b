"""RunnerHub jobs: the actions jobs a caller may see, filtered, sorted and rendered.

Status mapping (actions status -> RunnerHub status):
waiting, blocked, unknown -> ``pending``; running -> ``running``; success, skipped ->
``completed``; failure, cancelled -> ``failed``. The exact actions status is kept in ``result``.
"""

from __future__ import annotations

from typing import NamedTuple

from plue_core.db import CompiledIdsSelect
from plue_core.errors import NotFound
from plue_workflows.statuses import Status
from plue_runnerhub.envelope import (
    number_of,
    prefixed,
    reject,
)
from plue_runnerhub.models import Delegation

STATUS_GROUPS = {
    "pending": (Status.WAITING, Status.BLOCKED, Status.UNKNOWN),
    "running": (Status.RUNNING,),
    "completed": (Status.SUCCESS, Status.SKIPPED),
    "failed": (Status.FAILURE, Status.CANCELLED),
}
HUB_STATUS = {status: name for name, statuses in STATUS_GROUPS.items() for status in statuses}
SORT_FIELDS = ("created_at", "updated_at", "status")


def hub_status(status: int) -> str:
    return HUB_STATUS[Status(status)]


def status_codes(name: str) -> tuple:
    """The actions statuses RunnerHub's status ``name`` stands for; 400 for another name."""
    if name not in STATUS_GROUPS:
        raise reject("status", name, "one of " + ", ".join(STATUS_GROUPS))
    return STATUS_GROUPS[name]


def visible_repositories(service, identity):
    """The ids (a subquery) of every repository ``identity`` may read: its jobs are visible."""
    return service.hosting.visible_repository_ids(identity)


def find_job(service, identity, raw_id: str):
    """The job ``job_<n>`` (with its run) if the caller may read its repository; 404
    otherwise."""
    number = number_of("job", raw_id, "job")
    job = service.job_with_run(number, visible_repositories(service, identity))
    if job is None:
        raise NotFound(f"job {raw_id} does not exist")
    return job


def find_job_for_runner(service, raw_id: str):
    """For a runner (not a user): any job; the caller then refuses all but the one the
    runner holds, so nothing leaks beyond "not yours"."""
    job = service.job_with_run(number_of("job", raw_id, "job"))
    if job is None:
        raise NotFound(f"job {raw_id} does not exist")
    return job


# The delegations of a page's runs, compiled once per page size (issue 13).
_DELEGATIONS = CompiledIdsSelect(
    lambda run_ids: Delegation.select().where(Delegation.run_id.in_(run_ids)))


class JobRenderer:
    """What a hosted job (an actions job row with its run) shows in RunnerHub's job shapes
    (``schemas.HUB_JOB_SHAPE``...), one method a field that differs from an external job's
    (``external_jobs.ExternalJobRenderer`` answers the same calls). A page of jobs costs one
    query per related table (runners, repositories, delegations), not one per job."""

    external = False

    def __init__(self, service, jobs: list, delegations: dict | None = None):
        """``delegations`` (by run id): the ones the caller holds already, else queried."""
        self.service = service
        task_ids = [job.task_id for job in jobs if job.task_id]
        self.runners = service.task_runner_ids(task_ids) if task_ids else {}
        if delegations is None:
            # Only a delegation's own run (``delegate_hosted``: a workflow_dispatch run) has
            # one: a page of other runs' jobs asks nothing.
            run_ids = list({job.run_id for job in jobs if job.run.event == "workflow_dispatch"})
            delegations = {row.run_id: row for row in _DELEGATIONS.rows(ids=run_ids)}
        self.delegations = delegations
        self.repositories: dict[int, str] = {}

    def job_id(self, job) -> str:
        return prefixed("job", job.id)

    def github_job_id(self, job) -> int:
        return job.id  # the job's id in the Gitea/GitHub-compatible API

    def job_name(self, job) -> str:
        return job.name

    def repository(self, job) -> str:
        if job.repository_id not in self.repositories:
            repository = self.service.repository_of(job.repository_id)
            self.repositories[job.repository_id] = repository.full_name if repository else ""
        return self.repositories[job.repository_id]

    def workflow_name(self, job) -> str:
        return job.run.workflow_name

    def status(self, job) -> str:
        return hub_status(job.status)

    def result(self, job) -> str | None:
        status = Status(job.status)
        return status.label if status.is_done() else None

    def runner_id(self, job) -> str | None:
        return prefixed("runner", self.runners.get(job.task_id))

    def container_id(self, job) -> None:
        return None  # actions runners do not report their containers

    def labels(self, job) -> list:
        return list(job.runs_on or ())

    def estimated_completion(self, job) -> None:
        return None  # nothing to estimate it from honestly

    def branch(self, job) -> str | None:
        ref = job.run.ref or ""
        return ref[len("refs/heads/"):] if ref.startswith("refs/heads/") else None

    def commit_sha(self, job) -> str:
        return job.commit_sha or job.run.commit_sha

    def pr_number(self, job) -> int | None:
        run = job.run
        delegation = self.delegations.get(run.id)
        if delegation is not None:
            return delegation.pr_number
        if run.event.startswith("pull_request"):
            return (run.event_payload or {}).get("number")
        return None

    def progress(self, job) -> "Progress":
        return progress(self.service, job)

    # --- the answer to a delegation (``HubDelegation``) ---

    def delegation_id(self, job) -> str:
        return prefixed("del", self.delegations[job.run_id].id)

    def delegated(self, job):
        return self.delegations[job.run_id].created

    def delegation_status(self, job) -> str:
        return "assigned" if self.runners.get(job.task_id) else "queued"


class Progress(NamedTuple):
    """``HubJobProgress``: the step a job is at, of how many, and how far along it is."""

    current_step: str | None
    total_steps: int | None
    percentage: int | None


def progress(service, job) -> Progress:
    """Steps done out of all steps of the job's latest task (the workflow's steps before a
    runner took it); finished jobs are at 100."""
    done_job = Status(job.status).is_done()
    steps = service.task_steps(job.task_id) if job.task_id else []
    if not steps:
        total = len(service.job_step_names(job))
        return Progress(None, total, 100 if done_job else 0)
    finished = [step for step in steps if Status(step.status).is_done()]
    current = next((s for s in steps if s.status == Status.RUNNING), None) or \
        next((s for s in steps if not Status(s.status).is_done()), None)
    if current is None:
        current = steps[-1]
    percentage = 100 if done_job else round(len(finished) * 100 / len(steps))
    return Progress(current.name, len(steps), percentage)
