"""What the REST resources read of runs, jobs, attempts, artifacts and commit statuses: the
lookups that hide another repository's rows (404) and the queries of Gitea's lists, their
filters already read from the query string. Resources page and render them."""

from __future__ import annotations

import functools

import peewee

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect
from plue_core.errors import BadRequest, NotFound

from plue_workflows.statuses import DONE, Status
from plue_actions.models import Artifact, CommitStatus, Job, Run, RunAttempt, Task

_STATUS_FILTERS = {
    "queued": [Status.WAITING], "in_progress": [Status.RUNNING],
    "waiting": [Status.BLOCKED], "pending": [Status.BLOCKED], "requested": [Status.BLOCKED],
    "completed": list(DONE), "success": [Status.SUCCESS], "failure": [Status.FAILURE],
    "cancelled": [Status.CANCELLED], "skipped": [Status.SKIPPED],
}
_STATUS_ORDERS = {"oldest": CommitStatus.id.asc(), "recentupdate": CommitStatus.updated.desc(),
                  "leastupdate": CommitStatus.updated.asc()}


def status_filter(value: str | None, column):
    """Gitea's ``status`` parameter of run and job lists as a condition on ``column``; an
    unknown one is a 400 naming the known ones."""
    if not value:
        return True
    statuses = _STATUS_FILTERS.get(value.lower())
    if statuses is None:
        raise BadRequest(f"unknown status {value!r}; use one of {', '.join(_STATUS_FILTERS)}")
    return column.in_([int(s) for s in statuses])


def get_run(repository, run_id: int) -> Run:
    run = Run.get_or_none((Run.id == run_id) & (Run.repository_id == repository.id))
    if run is None:
        raise NotFound(f"run {run_id} does not exist in {repository.full_name}")
    return run


def get_job(repository, job_id: int) -> Job:
    job = Job.get_or_none((Job.id == job_id) & (Job.repository_id == repository.id))
    if job is None:
        raise NotFound(f"job {job_id} does not exist in {repository.full_name}")
    return job


def has_runs_of(repository_id: int, workflow_id: str) -> bool:
    return runs(repository_id=repository_id, workflow_id=workflow_id).exists()


def job_of_attempt(run: Run, job_id: int) -> Job:
    """The job ``job_id`` of ``run``'s current attempt (Gitea re-runs no other)."""
    job = Job.get_or_none((Job.id == job_id) & (Job.run == run.id) & (Job.attempt == run.attempt))
    if job is None:
        raise NotFound("workflow job not found")
    return job


def job_again(run: Run, job: Job) -> Job:
    """``job``'s row in ``run``'s current attempt: the same job key and name (a matrix row)."""
    again = (Job.select().where((Job.run == run.id) & (Job.attempt == run.attempt)
                                & (Job.job_id == job.job_id))
             .order_by((Job.name == job.name).desc(), Job.id).first())
    if again is None:  # the workflow could not be planned again: the run failed
        raise NotFound(f"run {run.id} planned no job {job.job_id!r} again: {run.error}")
    return again


def get_attempt(run: Run, attempt: int) -> RunAttempt:
    row = RunAttempt.get_or_none((RunAttempt.run == run.id) & (RunAttempt.attempt == attempt))
    if row is None:
        raise NotFound(f"run {run.id} has no attempt {attempt}")
    return row


def runs(*, repository_id: int | None = None, owner_id: int = 0, event: str | None = None,
         branch: str | None = None, head_sha: str | None = None,
         trigger_user_id: int | None = None, status: str | None = None,
         workflow_id: str | None = None):
    """Runs of one repository (``repository_id``) or of every repository of an owner
    (``owner_id``; 0 for the whole site), filtered; unordered."""
    if repository_id is not None:
        query = Run.select().where(Run.repository_id == repository_id)
    else:
        query = Run.select().where(True if owner_id == 0 else Run.owner_id == owner_id)
    if event:
        query = query.where(Run.event == event)
    if branch:
        query = query.where(Run.ref == f"refs/heads/{branch}")
    if head_sha:
        query = query.where(Run.commit_sha == head_sha)
    if trigger_user_id is not None:
        query = query.where(Run.trigger_user_id == trigger_user_id)
    if workflow_id:
        query = query.where(Run.workflow_id == workflow_id)
    return query.where(status_filter(status, Run.status)) if status else query


def newest_first(query):
    """A run or job query, newest first (how Gitea lists them)."""
    return query.order_by(query.model.id.desc())


def _page(query, limit, offset):
    """``query``'s page, newest first, each run with its trigger user (``run.trigger_user``,
    None when gone): one statement where each user was one more."""
    return (newest_first(query).select_extend(Account)
            .join(Account, peewee.JOIN.LEFT_OUTER, on=(Run.trigger_user_id == Account.id),
                  attr="trigger_user")
            .limit(limit).offset(offset))


# A repository's run list without filters, the one clients poll: its page and its count
# compiled once (peewee compiled both on every request, issue 13).
_RUN_COUNT = CompiledSelect(
    lambda repository_id: runs(repository_id=repository_id).select(peewee.fn.COUNT(Run.id))
    .tuples(), int)
_RUN_PAGE = CompiledSelect(
    lambda repository_id, limit, offset: _page(runs(repository_id=repository_id), limit, offset),
    int, int, int)


def repository_run_page(repository_id: int, limit: int, offset: int,
                        **filters) -> tuple[int, list[Run]]:
    """How many runs of a repository match ``filters`` (those of :func:`runs`) and the page of
    them at ``offset``, newest first, each with its ``trigger_user``.

    The total is counted apart from the page, and only when the page cannot tell it: a
    window count read with the page (``COUNT(*) OVER ()``) makes the database visit and sort
    every matching run before the LIMIT, 20x slower on 10,000 runs than walking the index for
    30 (issue 13 item 3)."""
    if any(value is not None and value != "" for value in filters.values()):
        query = runs(repository_id=repository_id, **filters)
        page = list(_page(query, limit, offset))
        count = query.count
    else:
        page = _RUN_PAGE.rows(repository_id, limit, offset)
        count = functools.partial(_RUN_COUNT.scalar, repository_id)
    if len(page) < limit and (page or not offset):
        return offset + len(page), page  # the last page: the total is what came before it
    return count(), page


def jobs(*, repository_id: int | None = None, owner_id: int = 0, status: str | None = None):
    """Jobs of one repository or of every repository of an owner (0: the site); unordered."""
    if repository_id is not None:
        query = Job.select().where(Job.repository_id == repository_id)
    else:
        query = Job.select().where(True if owner_id == 0 else Job.owner_id == owner_id)
    return query.where(status_filter(status, Job.status)) if status else query


def repository_tasks(repository_id: int):
    """The repository's tasks, newest first, each with its job and the job's run joined
    (through the job's repository index: a task row has none of its own)."""
    return (Task.select(Task, Job, Run).join(Job).join(Run)
            .where(Job.repository_id == repository_id).order_by(Task.id.desc()))


def jobs_of_attempt(run: Run, attempt: int, status: str | None = None):
    """The jobs of one attempt of ``run``, in the order they were planned."""
    query = Job.select().where((Job.run == run.id) & (Job.attempt == attempt))
    return query.where(status_filter(status, Job.status)).order_by(Job.id)


def task_of(job: Job) -> Task | None:
    return Task.get_by_id(job.task_id) if job.task_id else None


def stored_files(run: Run) -> list[str]:
    """The files of ``run`` under the storage directory: its tasks' logs and its artifacts."""
    files = [task.log_filename for task in Task.select().join(Job).where(Job.run == run.id)
             if task.log_in_storage]
    return files + [artifact.storage_path for artifact in run.artifacts if artifact.storage_path]


def find_run(run_id: int) -> Run | None:
    return Run.get_or_none(Run.id == run_id)


def runs_by_id(ids) -> dict[int, Run]:
    ids = set(ids)
    return {run.id: run for run in Run.select().where(Run.id.in_(ids))} if ids else {}


def confirmed_artifacts(run_id: int, repository_id: int) -> list[Artifact]:
    """What a job of the run may download: the run's uploaded artifacts, by name."""
    return list(Artifact.select().where((Artifact.run == run_id) & (Artifact.status == "confirmed")
                                        & (Artifact.repository_id == repository_id))
                .order_by(Artifact.name))


def artifacts(*, repository_id: int | None = None, run_id: int | None = None,
              name: str | None = None) -> list[Artifact]:
    """A repository's or a run's artifacts (named ``name`` when given), by id."""
    query = Artifact.select()
    if repository_id is not None:
        query = query.where(Artifact.repository_id == repository_id)
    if run_id is not None:
        query = query.where(Artifact.run == run_id)
    if name:
        query = query.where(Artifact.name == name)
    return list(query.order_by(Artifact.id))


def get_artifact(repository, artifact_id: int) -> Artifact:
    artifact = Artifact.get_or_none((Artifact.id == artifact_id)
                                    & (Artifact.repository_id == repository.id))
    if artifact is None:
        raise NotFound(f"artifact {artifact_id} does not exist in {repository.full_name}")
    return artifact


def commit_statuses(repository, sha: str, *, state: str | None = None, sort: str | None = None):
    """A commit's statuses, newest first unless ``sort`` says otherwise (Gitea's oldest,
    recentupdate, leastupdate)."""
    query = CommitStatus.select().where((CommitStatus.repository_id == repository.id)
                                        & (CommitStatus.sha == sha))
    if state:
        query = query.where(CommitStatus.state == state)
    return query.order_by(_STATUS_ORDERS.get(sort or "", CommitStatus.id.desc()))
