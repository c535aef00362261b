"""``job_status`` of RunnerHub's external jobs (of repositories Plue does not host): read like
the actions engine's (:class:`plue_runnerhub.live_feed.changes.StampedChanges`) from
``runnerhub_external_job``. Each change's audience key is the id of
the user who delegated the job: who may hear it is RunnerHub's rule (``external_jobs.may_see``)."""

from __future__ import annotations

from plue_core.timestamps import rfc3339

from plue_runnerhub import external_jobs
from plue_runnerhub.envelope import prefixed
from plue_runnerhub.external_jobs import PREFIX
from plue_runnerhub.live_feed.changes import StampedChanges
from plue_runnerhub.models import ExternalJob


class ExternalJobChanges(StampedChanges):
    """``job_status`` of external jobs; a change's audience is the user who delegated it."""

    def audience(self, identity, creator_ids: set[int]) -> set[int]:
        return {creator for creator in creator_ids if external_jobs.may_see(identity, creator)}

    def stamped_since(self, since):
        return (ExternalJob.select(ExternalJob.id, ExternalJob.job_name, ExternalJob.status,
                                   ExternalJob.result, ExternalJob.runner_id,
                                   ExternalJob.updated, ExternalJob.creator_id)
                .where(ExternalJob.updated >= since)
                .order_by(ExternalJob.updated, ExternalJob.id))

    def change(self, job):
        return job.creator_id, {
            "job_id": prefixed(PREFIX, job.id), "job_name": job.job_name,
            "status": job.status, "result": job.result,
            "runner_id": prefixed("runner", job.runner_id),
            "timestamp": rfc3339(job.updated)}
