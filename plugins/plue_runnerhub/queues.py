"""Queues: one per ``runs-on`` label set (the labels sorted and joined by commas, ``default``
for a job without labels), since a job's labels decide which runners may take it.

Counts come from the actions jobs and external jobs the caller may see (an external job
``pending`` is waiting, ``assigned`` or ``running`` active): ``waiting`` = queued for a runner,
``delayed`` = blocked on ``needs``, ``active`` = running, ``completed`` = success or skipped,
``failed`` = failure or cancelled (minus those cleared with DELETE .../failed). A paused
queue's jobs stay queued but the actions claim path holds them back from runners (see
:func:`held_back_factory`); resuming wakes the runners of the scopes that have work in it.
"""

from __future__ import annotations

import peewee

from plue_core.db import CompiledSelect, utcnow, write_transaction
from plue_workflows.statuses import Status
from plue_runnerhub.envelope import reject
from plue_runnerhub.models import ExternalJob, QueueState

DEFAULT_QUEUE = "default"
COLUMNS = {Status.WAITING: "waiting", Status.BLOCKED: "delayed", Status.UNKNOWN: "delayed",
           Status.RUNNING: "active", Status.SUCCESS: "completed", Status.SKIPPED: "completed",
           Status.FAILURE: "failed", Status.CANCELLED: "failed"}
FAILED = (Status.FAILURE, Status.CANCELLED)
# External jobs: an assigned job has left the queue for a runner, as a running one has.
EXTERNAL_COLUMNS = {"pending": "waiting", "assigned": "active", "running": "active",
                    "completed": "completed", "failed": "failed"}


def queue_name(runs_on) -> str:
    return ",".join(sorted(set(runs_on or ()))) or DEFAULT_QUEUE


def checked_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > 512:
        raise reject("queue_name", name, "a runs-on label set such as ubuntu-latest or "
                     "docker,linux (at most 512 characters)")
    return ",".join(sorted({part.strip() for part in name.split(",") if part.strip()})) \
        or DEFAULT_QUEUE


# Every claim's first read: compiled once.
_PAUSED = CompiledSelect(
    lambda: QueueState.select(QueueState.name).where(QueueState.paused).tuples())


def held_back_factory():
    """The actions claim filter: one query per pick, then a set lookup per job."""
    paused = {name for name, in _PAUSED.rows()}
    return lambda job: bool(paused) and queue_name(job.runs_on) in paused


class Queue:
    """One queue's counts (``HubQueue``), summed from the jobs of its label set."""

    __slots__ = ("name", "waiting", "active", "completed", "failed", "delayed", "paused")

    def __init__(self, name: str, state: QueueState | None):
        self.name, self.paused = name, bool(state and state.paused)
        self.waiting = self.active = self.completed = self.failed = self.delayed = 0

    def add(self, column: str, count: int) -> None:
        setattr(self, column, getattr(self, column) + count)


def _external_failed(external_query, name: str, after, until) -> int:
    query = external_query.where((ExternalJob.queue == name)
                                 & (ExternalJob.status == "failed")
                                 & (ExternalJob.stopped <= until))
    if after is not None:
        query = query.where(ExternalJob.stopped > after)
    return query.count()


def status(service, repository_ids, include_idle: bool, external_query=None) -> list[Queue]:
    """The queues (by name; ``schemas.QUEUES_SHAPE`` renders them with their totals) over the hosted jobs of ``repository_ids``
    (those visible: ``jobs.visible_repositories``) and ``external_query`` (the visible
    external jobs). ``include_idle`` adds switched queues without visible jobs
    (administrators)."""
    states = {row.name: row for row in QueueState.select()}
    queues: dict[str, Queue] = {}
    for runs_on, code, count in service.job_counts(repository_ids):
        name = queue_name(runs_on)  # tuples() has already decoded the JSON
        queue = queues.setdefault(name, Queue(name, states.get(name)))
        queue.add(COLUMNS[Status(code)], count)
    if external_query is not None:
        rows = (external_query.select(ExternalJob.queue, ExternalJob.status,
                                      peewee.fn.COUNT(ExternalJob.id))
                .group_by(ExternalJob.queue, ExternalJob.status).order_by().tuples())
        for name, hub_status, count in rows:
            queue = queues.setdefault(name, Queue(name, states.get(name)))
            queue.add(EXTERNAL_COLUMNS[hub_status], count)
    for name, queue in queues.items():
        state = states.get(name)
        if state is not None and state.failed_cleared_at is not None and queue.failed:
            cleared = service.stopped_job_counts(repository_ids, FAILED,
                                                 state.failed_cleared_at)
            queue.failed -= sum(count for runs_on, count in cleared
                                if queue_name(runs_on) == name)
            if external_query is not None:
                queue.failed -= _external_failed(external_query, name, None,
                                                 state.failed_cleared_at)
    if include_idle:
        for name, state in states.items():
            queues.setdefault(name, Queue(name, state))
    return [queues[name] for name in sorted(queues)]


def _state(name: str) -> QueueState:
    row = QueueState.get_or_none(QueueState.name == name)
    return row if row is not None else QueueState.create(name=name)


def set_paused(service, name: str, paused: bool) -> QueueState:
    with write_transaction(service.ctx.db):
        state = _state(name)
        state.paused, state.updated = paused, utcnow()
        state.save()
    if not paused:
        wake(service, name)
    return state


def switch(service, name: str, paused: bool) -> str:
    """Pause or resume queue ``name`` (checked and normalised, which is returned); resuming
    hands its pending external jobs out at once."""
    from plue_runnerhub import external_assignment  # which imports this module (external_jobs)

    name = checked_name(name)
    set_paused(service, name, paused)
    if not paused:
        external_assignment.assign_pending(service)
    return name


def wake(service, name: str) -> None:
    """Bump the queue versions of every scope with jobs waiting in ``name``: runners that
    found nothing while it was paused skip the pick until their version moves."""
    scopes = set()
    for runs_on, owner_id, repository_id in service.waiting_job_scopes():
        if queue_name(runs_on) == name:
            scopes.add((owner_id, repository_id))
    service.wake_runners(scopes)


def clear_failed(service, repository_ids, name: str, external_query=None) -> int:
    """Stop counting the queue's failed jobs finished so far (of the hosted jobs, those of
    ``repository_ids``); returns how many that was.
    The jobs and their runs stay (history, logs, commit statuses are untouched)."""
    with write_transaction(service.ctx.db):
        state = _state(name)
        before = state.failed_cleared_at
        now = utcnow()
        counts = service.stopped_job_counts(repository_ids, FAILED, now, before)
        cleared = sum(count for runs_on, count in counts if queue_name(runs_on) == name)
        if external_query is not None:
            cleared += _external_failed(external_query, name, before, now)
        state.failed_cleared_at, state.updated = now, now
        state.save()
    return cleared
