"""What changed since the last look: job statuses and runner statuses, asked of the actions
service (``ctx.services["actions"]``) and rendered through RunnerHub's own views (the same
``job_<n>``/``runner_<n>`` ids and status names ``/api/jobs`` and ``/api/runners`` show).

Jobs: every status change stamps ``action_run_job.updated``, which is indexed, so one query
for the rows updated in the last few seconds finds the changes. The window overlaps earlier
looks because a transaction may commit a little after the time it stamped; a job is reported
only when its status differs from the one last reported. Runners: online/offline depends on
the clock (``last_online`` ages), so their rendered status is compared on every look."""

from __future__ import annotations

import datetime

from plue_core.db import connection, utcnow
from plue_core.timestamps import rfc3339

from plue_workflows.statuses import Status
from plue_runnerhub.envelope import prefixed
from plue_runnerhub.jobs import hub_status
from plue_runnerhub.hub_runners import RunnerRenderer, visible_runners

# How far back each look reaches: longer than any commit takes after stamping ``updated``.
OVERLAP = datetime.timedelta(seconds=10)


class StampedChanges:
    """A source over rows whose indexed ``updated`` stamp every status change sets: each look
    reads the rows stamped since the previous look (with :data:`OVERLAP`) and reports those
    whose status differs from the one last reported. Subclasses say which rows
    (:meth:`stamped_since`) and what each change says (:meth:`change`)."""

    kind = "job_status"

    def __init__(self, ctx):
        self.ctx = ctx
        self.started = self.since = utcnow()
        self.reported: dict[int, tuple[object, datetime.datetime]] = {}

    def look(self) -> list[tuple[object, dict]]:
        """``(audience key, event data)`` for each change stamped after this object was made."""
        with connection(self.ctx.db):
            return self._look()

    def stamped_since(self, since: datetime.datetime):
        raise NotImplementedError

    def change(self, row) -> tuple[object, dict]:
        raise NotImplementedError

    def _look(self) -> list[tuple[object, dict]]:
        now = utcnow()
        changes = []
        for row in self.stamped_since(self.since - OVERLAP):
            previous = self.reported.get(row.id)
            self.reported[row.id] = (row.status, row.updated)
            if previous is None and row.updated < self.started:
                continue  # the state before anyone listened, not a change
            if previous is not None and previous[0] == row.status:
                continue
            changes.append(self.change(row))
        self.since = now
        self.reported = {key: value for key, value in self.reported.items()
                         if value[1] >= now - 2 * OVERLAP}
        return changes


class JobChanges(StampedChanges):
    """``job_status`` of the actions engine's jobs; a change's audience is its repository."""

    def audience(self, identity, repository_ids: set[int]) -> set[int]:
        with connection(self.ctx.db):
            return visible_job_repositories(self.ctx.services["actions"], identity, repository_ids)

    def stamped_since(self, since):
        return self.ctx.services["actions"].jobs_stamped_since(since)

    def change(self, job):
        status = Status(job.status)
        return job.repository_id, {
            "job_id": prefixed("job", job.id), "job_name": job.name,
            "status": hub_status(job.status),
            "result": status.label if status.is_done() else None,
            "timestamp": rfc3339(job.updated)}


class RunnerChanges:
    """``runner_status``: each runner whose rendered status (online, busy, disabled) changed."""

    kind = "runner_status"

    def __init__(self, ctx):
        self.ctx = ctx
        self.service = ctx.services["actions"]
        self.reported: dict[int, tuple] | None = None
        self.started = utcnow()

    def look(self) -> list[tuple[int, dict]]:
        """``(runner_id, event data)`` for each change; the first look reports only runners
        registered since this object was made."""
        with connection(self.ctx.db):
            return self._look()

    def audience(self, identity, runner_ids: set[int]) -> set[int]:
        with connection(self.ctx.db):
            return visible_runner_ids(self.service, identity) & runner_ids

    def _look(self) -> list[tuple[int, dict]]:
        runners = self.service.all_runners()
        renderer = RunnerRenderer(self.service, runners)
        changes, current = [], {}
        for runner in runners:
            state = renderer.status(runner)
            key = (state["status"], state["busy"], runner.disabled)
            current[runner.id] = key
            if (runner.created >= self.started if self.reported is None
                    else self.reported.get(runner.id) != key):
                changes.append((runner.id, {
                    "runner_id": state["id"], "name": runner.name, "status": state["status"],
                    "busy": state["busy"], "disabled": runner.disabled,
                    "current_job": state["current_job"],
                    "timestamp": rfc3339(utcnow())}))
        self.reported = current
        return changes


def visible_job_repositories(service, identity, repository_ids: set[int]) -> set[int]:
    """Which of ``repository_ids`` ``identity`` may read (one query)."""
    query = service.hosting.visible_repository_ids(identity)
    model = query.model
    return {row.id for row in query.where(model.id.in_(list(repository_ids)))}


def visible_runner_ids(service, identity) -> set[int]:
    """The runners ``identity`` sees in ``/api/runners``."""
    return {runner.id for runner in visible_runners(service, identity)}
