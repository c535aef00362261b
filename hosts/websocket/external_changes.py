"""``job_status`` of RunnerHub's external jobs (of repositories Plue does not host): the same
look as :class:`hosts.websocket.changes.JobChanges`, over ``runnerhub_external_job``, whose
indexed ``updated`` stamp every status change sets. Each change's audience key is the id of
the user who delegated the job: who may hear it is RunnerHub's rule (``external_jobs.may_see``)."""

from __future__ import annotations

import datetime

from plue_core.db import connection, utcnow
from plugins.plue_runnerhub import external_jobs
from plugins.plue_runnerhub.envelope import prefixed, timestamp
from plugins.plue_runnerhub.external_jobs import PREFIX
from plugins.plue_runnerhub.models import ExternalJob

OVERLAP = datetime.timedelta(seconds=10)  # as in changes.py: outlasts a late commit


class ExternalJobChanges:
    """Reports each external job whose status changed since the previous :meth:`look`."""

    kind = "job_status"

    def __init__(self, ctx):
        self.ctx = ctx
        self.started = self.since = utcnow()
        self.reported: dict[int, tuple[str, datetime.datetime]] = {}

    def look(self) -> list[tuple[int, dict]]:
        """``(creator_id, event data)`` for each change stamped after this object was made."""
        with connection(self.ctx.db):
            return self._look()

    def audience(self, identity, creator_ids: set[int]) -> set[int]:
        return {creator for creator in creator_ids if external_jobs.may_see(identity, creator)}

    def _look(self) -> list[tuple[int, dict]]:
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
            changes.append((job.creator_id, {
                "job_id": prefixed(PREFIX, job.id), "job_name": job.job_name,
                "status": job.status, "result": job.result,
                "runner_id": prefixed("runner", job.runner_id),
                "timestamp": timestamp(job.updated)}))
        self.since = now
        self.reported = {key: value for key, value in self.reported.items()
                         if value[1] >= now - 2 * OVERLAP}
        return changes
