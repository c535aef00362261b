"""Handing a Waiting job to a runner: one transaction picks the first job of the runner's
scope whose labels the runner has, creates its task and claims the job with a conditional
UPDATE (``WHERE task_id IS NULL AND status = Waiting``) under the run's lock, so two runners
never get one job. Candidates are read without row locks on purpose: ``SKIP LOCKED`` would
let a picker miss a job that someone else merely had locked, answer "nothing for you", and
the runner would wait for the next queue change while that job sat waiting."""

from __future__ import annotations

from plue_core import transaction_memo
from plue_core.db import (CompiledSelect, CompiledWrite, create_row, insert_rows, utcnow,
                          write_transaction)

from plue_workflows.statuses import Status
from plue_actions import commit_statuses, crypto, runner_registry
from plue_actions.models import Job, Run, Runner, Task, TaskStep
from plue_actions.run_lock import lock_run
from plue_actions.run_status import refresh_after_claim

PAGE = 50


def _candidates(scope_column=None) -> CompiledSelect:
    """The next page of Waiting jobs after an id, in the scope of a repository's runner, an
    owner's, or every job (``scope_column`` None): compiled once per kind of scope."""
    def build(last_id, scope_id=None):
        scope = True if scope_column is None else scope_column == scope_id
        return (Job.select().where((Job.status == int(Status.WAITING)) & Job.task_id.is_null()
                                   & (Job.id > last_id) & scope)
                .order_by(Job.id).limit(PAGE))
    return CompiledSelect(build, int) if scope_column is None else CompiledSelect(build, int, int)


_IN_REPOSITORY, _OF_OWNER, _ANY = (_candidates(Job.repository_id), _candidates(Job.owner_id),
                                   _candidates())


def _waiting_after(runner: Runner, last_id: int) -> list[Job]:
    if runner.repository_id:
        return _IN_REPOSITORY.rows(last_id, runner.repository_id)
    if runner.owner_id:
        return _OF_OWNER.rows(last_id, runner.owner_id)
    return _ANY.rows(last_id)


def _running_count(job: Job) -> int:
    return Job.select().where((Job.run == job.run_id) & (Job.attempt == job.attempt)
                              & (Job.job_id == job.job_id)
                              & (Job.status == int(Status.RUNNING))).count()


def step_names(payload: str) -> list[str]:
    """Display names of the job's steps, in order (the runner reports steps by index)."""
    # PyYAML arrives with a process's first claim or workflow read (docs/serving.md, Memory);
    # libyaml's parser when PyYAML has it.
    import yaml

    try:
        document = yaml.load(payload, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) or {}
        job = next(iter((document.get("jobs") or {}).values()), {}) or {}
    except yaml.YAMLError:
        return []
    names = []
    for index, step in enumerate(job.get("steps") or []):
        step = step if isinstance(step, dict) else {}
        if step.get("name"):
            name = str(step["name"])
        elif step.get("run") is not None:
            first = str(step["run"]).strip().splitlines()
            name = f"Run {first[0]}" if first else "Run"
        elif step.get("uses"):
            name = f"Run {step['uses']}"
        else:
            name = f"Step {index + 1}"
        names.append(name[:255])
    return names


def pick_task(service, runner: Runner) -> tuple[Task, Job, str] | None:
    """Claim a job for ``runner``; returns (task, job, task token) or None. Each attempt is
    its own short transaction, so a picker holds at most one run's lock at a time."""
    labels = set(runner.labels or ())
    db = service.ctx.db
    last_id = 0
    held_back = service.held_back_predicate()
    while True:
        candidates = _waiting_after(runner, last_id)
        if not candidates:
            return None
        for job in candidates:
            last_id = job.id
            if not set(job.runs_on or ()) <= labels or held_back(job):
                continue
            # The scope: what the claim's events read once (the webhooks' audience of the
            # job, its commit status and its run) is asked once, and forgotten at its end.
            with write_transaction(db), transaction_memo.scope():
                run = lock_run(db, job.run_id)
                if job.max_parallel and _running_count(job) >= job.max_parallel:
                    continue
                claimed = _claim(service, runner, run, job)
            if claimed is not None:
                return claimed


# The claim itself: the job is the task's only while no other task took it (compiled once, as
# the claim's other writes: create_row, update_row).
_CLAIM_JOB = CompiledWrite(
    lambda job_id, task_id, now: Job.update(
        task_id=task_id, status=int(Status.RUNNING), started=now, updated=now).where(
        (Job.id == job_id) & Job.task_id.is_null() & (Job.status == int(Status.WAITING))),
    int, int, Job.started)


def _claim(service, runner: Runner, run: Run, job: Job) -> tuple[Task, Job, str] | None:
    now = utcnow()
    token = crypto.new_task_token()
    task = create_row(Task, job=job, attempt=job.attempt, runner_id=runner.id,
                       status=int(Status.RUNNING), repository_id=job.repository_id,
                       owner_id=job.owner_id, commit_sha=job.commit_sha,
                       is_fork_pull_request=job.is_fork_pull_request,
                       token_hash=crypto.token_hash(token), started=now, created=now, updated=now)
    won = _CLAIM_JOB.execute(job.id, task.id, now)
    if not won:  # another runner was faster
        task.delete_instance()
        return None
    insert_rows([TaskStep(task=task, index=index, name=name)
                 for index, name in enumerate(step_names(job.payload))])
    job.task_id, job.status, job.started = task.id, int(Status.RUNNING), now
    job.run = run  # the locked row, kept current below: the task payload reads it again
    commit_statuses.record_job(service, run, job)
    refresh_after_claim(run, job, service)
    runner_registry.touch(runner, active=True)  # debounced, as every call of the runner's
    return task, job, token
