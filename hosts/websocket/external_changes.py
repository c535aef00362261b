"""What changed among RunnerHub's external jobs (of repositories Plue does not host): the
same look as :class:`hosts.websocket.changes.JobChanges`, over ``runnerhub_external_job``,
whose indexed ``updated`` stamp every status change sets. Each change's audience is
``("external", creator_id)``: who may see it is RunnerHub's rule (``external_jobs.may_see``)."""

from __future__ import annotations

import datetime

from plue_core.db import utcnow
from plugins.plue_runnerhub.envelope import prefixed, timestamp
from plugins.plue_runnerhub.external_jobs import PREFIX
from plugins.plue_runnerhub.models import ExternalJob

OVERLAP = datetime.timedelta(seconds=10)  # as in changes.py: outlasts a late commit


class ExternalJobChanges:
    """Reports each external job whose status changed since the previous :meth:`look`."""

    def __init__(self):
        self.started = self.since = utcnow()
        self.reported: dict[int, tuple[str, datetime.datetime]] = {}

    def look(self) -> list[tuple[tuple[str, int], dict]]:
        now = utcnow()
        rows = (ExternalJob.select(ExternalJob.id, ExternalJob.job_name, ExternalJob.status,
                                   ExternalJob.result, ExternalJob.runner_id,
                                   ExternalJob.updated, ExternalJob.creator_id)
                .where(ExternalJob.updated >= self.since - OVERLAP)
                .order_by(ExternalJob.updated, ExternalJob.id))
        changes = []
        for job in rows:
            previous = self.reported.get(job.id)
            self.reported[job.id] = (job.status, job.updated)
            if previous is None and job.updated < self.started:
                continue  # the state before anyone listened, not a change
            if previous is not None and previous[0] == job.status:
                continue
            changes.append((("external", job.creator_id), {
                "job_id": prefixed(PREFIX, job.id), "job_name": job.job_name,
                "status": job.status, "result": job.result,
                "runner_id": prefixed("runner", job.runner_id),
                "timestamp": timestamp(job.updated)}))
        self.since = now
        self.reported = {key: value for key, value in self.reported.items()
                         if value[1] >= now - 2 * OVERLAP}
        return changes
