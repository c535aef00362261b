"""External jobs: jobs of repositories Plue does not host (GitHub's ``owner/repo`` with
GitHub's job ids), recorded here and run by hub runners (runners registered with
``POST /api/runners``), which report back with ``PUT /api/jobs/{id}/status`` and send their
log lines with ``POST /api/jobs/{id}/logs``.

Statuses: ``pending`` (no runner yet), ``assigned`` (a runner holds it, not started),
``running``, ``completed``, ``failed``; ``result`` says how a finished job ended (``success``,
``failure``, ``cancelled``, ``skipped``), as for hosted jobs.

Who: delegating takes the RunnerHub role ``admin`` or ``operator`` (site administrators are
always ``admin``); RunnerHub admins see every external job, others the ones they delegated; a
hub runner sees the ones it holds.
"""

from __future__ import annotations

import datetime
import re

from plue_core.db import utcnow, write_transaction
from plue_core.errors import Forbidden, NotFound
from plue_core.timestamps import rfc3339
from plue_core.integers import is_digits
from plue_runnerhub.envelope import owner_and_name, prefixed, reject
from plue_runnerhub.jobs import Progress
from plue_runnerhub.models import ExternalJob, ExternalJobLog
from plue_runnerhub.queues import queue_name

PREFIX = "job_ext"  # job_ext_<n>: never mistaken for a hosted job_<n>
STATUSES = ("pending", "assigned", "running", "completed", "failed")
HELD = ("assigned", "running")  # a runner holds the job
FINISHED = ("completed", "failed")
# GitHub's rules: an owner is up to 39 letters, digits and inner hyphens; a repository name
# up to 100 letters, digits, '.', '-', '_' (and not '.' or '..').
GITHUB_OWNER = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,37}[A-Za-z0-9])?$")
GITHUB_NAME = re.compile(r"^[A-Za-z0-9._-]{1,100}$")


def checked_repository(full_name: str) -> str:
    """``owner/repo`` as GitHub spells it; anything else is the seed's VALIDATION_ERROR."""
    owner, name = owner_and_name(full_name)
    if not GITHUB_OWNER.match(owner) or not GITHUB_NAME.match(name) or name in (".", ".."):
        raise reject("repository", full_name, "owner/repo format", "Invalid repository format")
    return full_name


def create(service, identity, body: dict) -> ExternalJob:
    """Record a delegated job of a repository Plue does not host, ``pending``."""
    repository = checked_repository(body["repository"])
    if not identity.operates_runnerhub:
        raise Forbidden("delegating jobs of repositories Plue does not host needs the "
                        "RunnerHub admin or operator role")
    with write_transaction(service.ctx.db):
        return record(repository, body, creator_id=identity.user_id)


def record(repository: str, body: dict, *, creator_id: int, **fields) -> ExternalJob:
    """Store a ``pending`` external job from a delegation's fields (``job_id``, ``job_name``,
    ``workflow_name``, ``labels``, ``metadata``); ``fields`` set other columns. The caller
    checked ``repository`` and holds the transaction. ``creator_id`` 0: GitHub's webhook."""
    labels = list(dict.fromkeys(body.get("labels") or ()))
    job_id = body.get("job_id")
    return ExternalJob.create(
        github_job_id="" if job_id is None else str(job_id), repository=repository,
        repository_key=repository.lower(), job_name=body.get("job_name") or "",
        workflow_name=body.get("workflow_name") or "", labels=labels,
        queue=queue_name(labels), metadata=body.get("metadata") or {},
        creator_id=creator_id, **fields)


def may_see(identity, creator_id: int) -> bool:
    """Whether ``identity`` sees the external jobs ``creator_id`` delegated."""
    return identity.administers_runnerhub or identity.user_id == creator_id


def visible(identity):
    """The external jobs ``identity`` may see (the query form of :func:`may_see`)."""
    query = ExternalJob.select()
    if identity.administers_runnerhub:
        return query
    return query.where(ExternalJob.creator_id == identity.user_id)


def held_by(runner_id: int):
    return ExternalJob.select().where(ExternalJob.runner_id == runner_id)


def number_of(raw_id: str) -> int | None:
    """``job_ext_12`` -> 12; None for every other id (a hosted job's, or nonsense)."""
    text = raw_id[len(PREFIX) + 1:] if raw_id.startswith(PREFIX + "_") else ""
    return int(text) if is_digits(text) and len(text) <= 18 else None


def find(query, raw_id: str) -> ExternalJob:
    """The job ``job_ext_<n>`` among ``query`` (what the caller may see), else 404."""
    number = number_of(raw_id)
    job = query.where(ExternalJob.id == number).first() if number is not None else None
    if job is None:
        raise NotFound(f"job {raw_id} does not exist")
    return job


def is_external(job) -> bool:
    """Whether a job the hub found is a delegated (external) one rather than a hosted one."""
    return isinstance(job, ExternalJob)


class ExternalJobRenderer:
    """What an external job (an ExternalJob row) shows in RunnerHub's job shapes, one method
    a field that differs from a hosted job's (``jobs.JobRenderer``); a page's estimates come
    from one query for the whole page."""

    external = True
    SAMPLE = 20  # recent completed runs of the same job that an estimate averages

    def __init__(self, jobs: list[ExternalJob]):
        self.durations = self._mean_durations(
            {(job.repository_key, job.job_name) for job in jobs if job.status in HELD})

    @classmethod
    def _mean_durations(cls, keys: set[tuple[str, str]]) -> dict:
        if not keys:
            return {}
        rows = (ExternalJob.select(ExternalJob.repository_key, ExternalJob.job_name,
                                   ExternalJob.started, ExternalJob.stopped)
                .where((ExternalJob.status == "completed") & ExternalJob.started.is_null(False)
                       & ExternalJob.stopped.is_null(False)
                       & ExternalJob.repository_key.in_([key for key, _ in keys])
                       & ExternalJob.job_name.in_([name for _, name in keys]))
                .order_by(ExternalJob.id.desc()).limit(cls.SAMPLE * len(keys) * 4).tuples())
        samples: dict[tuple[str, str], list[float]] = {}
        for repository_key, job_name, started, stopped in rows:
            found = samples.setdefault((repository_key, job_name), [])
            if (repository_key, job_name) in keys and len(found) < cls.SAMPLE:
                found.append((stopped - started).total_seconds())
        return {key: sum(values) / len(values) for key, values in samples.items() if values}

    def estimated_completion(self, job: ExternalJob):
        """When the job should end: its start (or assignment) plus the mean duration of the
        job's recent completed runs; unknown without such runs or before a runner holds it;
        a finished job's own end."""
        if job.status in FINISHED:
            return rfc3339(job.stopped)
        mean = self.durations.get((job.repository_key, job.job_name))
        begun = job.started or job.assigned
        if mean is None or begun is None or job.status not in HELD:
            return None
        return rfc3339(begun + datetime.timedelta(seconds=mean))

    # --- what HubJob's fields read (jobs.JobRenderer answers the same for hosted jobs) ---

    def job_id(self, job: ExternalJob) -> str:
        return prefixed(PREFIX, job.id)

    def github_job_id(self, job: ExternalJob):
        """GitHub's numeric job id as the number the seed shows; another id as given."""
        raw = job.github_job_id
        if not raw:
            return None
        return int(raw) if is_digits(raw) and len(raw) <= 18 else raw

    def job_name(self, job: ExternalJob) -> str:
        return job.job_name

    def repository(self, job: ExternalJob) -> str:
        return job.repository

    def workflow_name(self, job: ExternalJob) -> str:
        return job.workflow_name

    def status(self, job: ExternalJob) -> str:
        return job.status

    def result(self, job: ExternalJob) -> str | None:
        return job.result

    def runner_id(self, job: ExternalJob) -> str | None:
        return prefixed("runner", job.runner_id)

    def container_id(self, job: ExternalJob) -> str | None:
        return job.container_id

    def labels(self, job: ExternalJob) -> list:
        return list(job.labels or ())

    def progress(self, job: ExternalJob) -> Progress:
        """What the runner's log says: the step of its latest line. Hub runners do not
        report a step count, so ``total_steps`` is unknown and ``percentage`` known only at
        the end."""
        last = (ExternalJobLog.select(ExternalJobLog.step)
                .where((ExternalJobLog.job_id == job.id) & ExternalJobLog.step.is_null(False))
                .order_by(ExternalJobLog.line.desc()).first())
        return Progress(last.step if last else None, None,
                        100 if job.status in FINISHED else None)

    # --- the answer to a delegation (``HubDelegation``) ---

    def delegation_id(self, job: ExternalJob) -> str:
        return prefixed("del_ext", job.id)

    def delegated(self, job: ExternalJob):
        return job.created

    def delegation_status(self, job: ExternalJob) -> str:
        return "assigned" if job.status in HELD else "queued"


def touch(job: ExternalJob, **changes) -> None:
    """Store ``changes`` and stamp ``updated`` (which the WebSocket feed reads)."""
    changes["updated"] = utcnow()
    ExternalJob.update(**changes).where(ExternalJob.id == job.id).execute()
    for key, value in changes.items():
        setattr(job, key, value)
