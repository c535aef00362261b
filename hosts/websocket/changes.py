"""What changed since the last look: job statuses and runner statuses, read from the actions
tables through RunnerHub's own views (the same ``job_<n>``/``runner_<n>`` ids and status names
``/api/jobs`` and ``/api/runners`` show).

Jobs: every status change stamps ``action_run_job.updated``, which is indexed, so one query
for the rows updated in the last few seconds finds the changes. The window overlaps earlier
looks because a transaction may commit a little after the time it stamped; a job is reported
only when its status differs from the one last reported. Runners: online/offline depends on
the clock (``last_online`` ages), so their rendered status is compared on every look.
External jobs (RunnerHub's, of repositories Plue does not host) are looked at the same way
(``external_changes.py``)."""

from __future__ import annotations

import datetime

from hosts.websocket.external_changes import ExternalJobChanges
from plue_core.db import utcnow
from plugins.plue_runnerhub import external_jobs
from plugins.plue_runnerhub.engine import Job, Runner, Status
from plugins.plue_runnerhub.envelope import prefixed, timestamp
from plugins.plue_runnerhub.jobs import hub_status
from plugins.plue_runnerhub.runners import RunnerRenderer, visible_runners

# How far back each look reaches: longer than any commit takes after stamping ``updated``.
OVERLAP = datetime.timedelta(seconds=10)


class JobChanges:
    """Reports each job whose status changed since the previous :meth:`look`."""

    def __init__(self):
        self.started = self.since = utcnow()
        self.reported: dict[int, tuple[int, datetime.datetime]] = {}
        self.external = ExternalJobChanges()  # RunnerHub's jobs of repositories not hosted

    def look(self) -> list[tuple[int, dict]]:
        """``(repository_id, event data)`` for each change stamped after this object was made,
        then ``(("external", creator_id), event data)`` for each external job's."""
        now = utcnow()
        rows = (Job.select(Job.id, Job.name, Job.status, Job.updated, Job.repository_id)
                .where(Job.updated >= self.since - OVERLAP).order_by(Job.updated, Job.id))
        changes = []
        for job in rows:
            previous = self.reported.get(job.id)
            self.reported[job.id] = (job.status, job.updated)
            if previous is None and job.updated < self.started:
                continue  # the state before anyone listened, not a change
            if previous is not None and previous[0] == job.status:
                continue
            status = Status(job.status)
            changes.append((job.repository_id, {
                "job_id": prefixed("job", job.id), "job_name": job.name,
                "status": hub_status(job.status),
                "result": status.label if status.is_done() else None,
                "timestamp": timestamp(job.updated)}))
        self.since = now
        self.reported = {key: value for key, value in self.reported.items()
                         if value[1] >= now - 2 * OVERLAP}
        return changes + self.external.look()


class RunnerChanges:
    """Reports each runner whose rendered status (online, busy, disabled) changed."""

    def __init__(self, service):
        self.service = service
        self.reported: dict[int, tuple] | None = None
        self.started = utcnow()

    def look(self) -> list[tuple[int, dict]]:
        """``(runner_id, event data)`` for each change; the first look reports only runners
        registered since this object was made."""
        runners = list(Runner.select())
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
                    "timestamp": timestamp(utcnow())}))
        self.reported = current
        return changes


def visible_job_repositories(service, identity, audiences: set) -> set:
    """Which of the job changes' audiences ``identity`` may see: the repository ids it may
    read (one query) and the ``("external", creator_id)`` pairs RunnerHub lets it see."""
    repository_ids = [audience for audience in audiences if isinstance(audience, int)]
    query = service.hosting.visible_repository_ids(identity)
    model = query.model
    allowed = {row.id for row in query.where(model.id.in_(repository_ids))} \
        if repository_ids else set()
    return allowed | {audience for audience in audiences if not isinstance(audience, int)
                      and external_jobs.may_see(identity, audience[1])}


def visible_runner_ids(service, identity) -> set[int]:
    """The runners ``identity`` sees in ``/api/runners``."""
    return {runner.id for runner in visible_runners(service, identity)}
