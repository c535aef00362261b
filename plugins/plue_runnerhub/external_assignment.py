"""Handing pending external jobs to hub runners, and taking them back from runners gone away.

A hub runner is a runner registered with ``POST /api/runners`` (it has a profile). It takes
an external job when it is online (called within ``[actions] runner_offline_after``), not
disabled, its scope may hold the job (instance-wide, the delegator's own, or the organization
of the job's repository, as ``runner_scopes`` says), has every label the job asks for, and holds fewer jobs than its ``capabilities.max_concurrent_jobs`` (1 when undeclared;
external jobs assigned or running and actions tasks running all count). Jobs of paused queues
wait. The least loaded matching runner wins; jobs go out oldest first.

Race-free: each hand-out is one short transaction that locks the runner's profile row first
(``SELECT ... FOR UPDATE`` on PostgreSQL; SQLite's ``BEGIN IMMEDIATE`` is already serial),
counts what the runner holds only after the lock, and takes the job with a compare-and-set
(``UPDATE ... WHERE status = 'pending'``). So two concurrent delegations never both fill a
runner's last slot, two runners never both take one job, and since a transaction locks one
runner only, they never deadlock.

When: right after a delegation, whenever a hub runner calls (its polls and reports are its
heartbeat, so a runner coming online or freeing a slot gets work at once), after a job
finishes, and every few seconds from the scheduler (``runnerhub.assign_external_jobs``), which
also returns the ``assigned`` jobs of runners that went offline, were disabled or deleted
before starting them to ``pending``, so nothing waits for ever on a runner that is gone.
"""

from __future__ import annotations

from plue_core.db import is_sqlite, utcnow, write_transaction
from plue_runnerhub.external_jobs import HELD
from plue_runnerhub.models import ExternalJob, QueueState, RunnerProfile
from plue_runnerhub.runner_scopes import Scopes

BATCH = 500  # pending jobs considered per pass (oldest first); the next pass takes the rest


def capacity(profile: RunnerProfile) -> int:
    return int((profile.capabilities or {}).get("max_concurrent_jobs") or 1)


def hub_runners(service, runner_id: int | None = None) -> list[tuple]:
    """Online, enabled hub runners (``action_runner`` rows) with their capacity."""
    profiles = RunnerProfile.select()
    if runner_id is not None:
        profiles = profiles.where(RunnerProfile.runner_id == runner_id)
    by_runner = {profile.runner_id: profile for profile in profiles}
    if not by_runner:
        return []
    found = []
    for runner in service.enabled_owner_runners(by_runner):
        profile = by_runner[runner.id]
        # SQLite may reuse a deleted runner's id: a profile older than its runner was another's.
        if profile.created >= runner.created and service.runner_is_online(runner):
            found.append((runner, capacity(profile)))
    return found


def load(service, runner_id: int) -> int:
    """The jobs ``runner_id`` holds: external ones assigned or running, actions tasks running."""
    external = ExternalJob.select().where((ExternalJob.runner_id == runner_id)
                                          & ExternalJob.status.in_(HELD)).count()
    return external + service.running_task_count(runner_id)


def matches(scopes: Scopes, runner, job: ExternalJob) -> bool:
    return set(job.labels or ()) <= set(runner.labels or ()) and scopes.admits(runner, job)


def _lock_profile(db, runner_id: int) -> None:
    query = RunnerProfile.select(RunnerProfile.id).where(RunnerProfile.runner_id == runner_id)
    if not is_sqlite(db):
        query = query.for_update()
    query.first()


def _take(service, job: ExternalJob, runner, slots: int) -> str:
    """``assigned``, ``full`` (the runner has no free slot) or ``gone`` (taken meanwhile)."""
    with write_transaction(service.ctx.db):
        _lock_profile(service.ctx.db, runner.id)
        if load(service, runner.id) >= slots:
            return "full"
        now = utcnow()
        taken = (ExternalJob.update(status="assigned", runner_id=runner.id, assigned=now,
                                    updated=now)
                 .where((ExternalJob.id == job.id) & (ExternalJob.status == "pending"))
                 .execute())
    return "assigned" if taken else "gone"


def assign_pending(service, *, job_ids=None, runner_id: int | None = None) -> int:
    """Hand pending jobs (all, or ``job_ids``) to online hub runners (all, or
    ``runner_id``); returns how many were assigned."""
    pending = ExternalJob.select().where(ExternalJob.status == "pending")
    if job_ids is not None:
        pending = pending.where(ExternalJob.id.in_(list(job_ids)))
    paused = {row.name for row in QueueState.select(QueueState.name).where(QueueState.paused)}
    jobs = [job for job in pending.order_by(ExternalJob.id).limit(BATCH)
            if job.queue not in paused]
    if not jobs:
        return 0
    runners = hub_runners(service, runner_id)
    if not runners:
        return 0
    loads = {runner.id: load(service, runner.id) for runner, _ in runners}
    scopes = Scopes(service)
    assigned = 0
    for job in jobs:
        candidates = sorted(((runner, slots) for runner, slots in runners
                             if loads[runner.id] < slots and matches(scopes, runner, job)),
                            key=lambda pair: (loads[pair[0].id] / pair[1], pair[0].id))
        for runner, slots in candidates:
            outcome = _take(service, job, runner, slots)
            if outcome == "assigned":
                loads[runner.id] += 1
                assigned += 1
                break
            if outcome == "gone":
                break
            loads[runner.id] = slots  # full: another request filled it meanwhile
    return assigned


def any_pending() -> bool:
    return ExternalJob.select(ExternalJob.id).where(ExternalJob.status == "pending").exists()


def after_runner_call(service, runner) -> None:
    """A hub runner called (it is online now, maybe with a free slot): give it work."""
    if any_pending():
        assign_pending(service, runner_id=runner.id)


def release_stranded(service) -> int:
    """Return to ``pending`` the assigned (not started) jobs whose runner is offline,
    disabled or deleted; returns how many."""
    held = {runner_id for (runner_id,) in ExternalJob.select(ExternalJob.runner_id)
            .where(ExternalJob.status == "assigned").distinct().tuples()}
    if not held:
        return 0
    available = {runner.id for runner, _ in hub_runners(service) if runner.id in held}
    released = 0
    for runner_id in held - available:
        with write_transaction(service.ctx.db):
            released += (ExternalJob.update(status="pending", runner_id=None, assigned=None,
                                            container_id=None, updated=utcnow())
                         .where((ExternalJob.runner_id == runner_id)
                                & (ExternalJob.status == "assigned")).execute())
    return released


def scheduled_pass(service) -> None:
    """The scheduler's job: take jobs back from runners gone away, then hand out."""
    release_stranded(service)
    assign_pending(service)
