"""``ctx.services["runnerhub"]``: what other plugins (the web's fleet dashboard) may ask of
RunnerHub without HTTP: its queues and switches, and its job list, with the same visibility
rules as ``/api/queues/status``, ``/api/queues/{name}/pause|resume`` and ``/api/jobs``."""

from __future__ import annotations

from plue_core.pagination import OffsetPage
from plue_runnerhub import external_jobs, job_listing, jobs, queues
from plue_runnerhub.schemas import QUEUES_SHAPE, job_summary


class RunnerHubService:
    def __init__(self, ctx):
        self.ctx = ctx

    @property
    def actions(self):
        return self.ctx.services["actions"]

    def queue_status(self, identity) -> dict:
        """``{"queues": [...], "summary": {...}}`` as ``GET /api/queues/status`` answers it
        to ``identity`` (administrators also see switched queues without jobs)."""
        return QUEUES_SHAPE(queues.status(
            self.actions, jobs.visible_repositories(self.actions, identity),
            include_idle=identity.is_admin, external_query=external_jobs.visible(identity)))

    def set_queue_paused(self, name: str, paused: bool) -> str:
        """Pause or resume queue ``name`` (a runs-on label set) as the API's switches do;
        returns its normalised name. The caller checks that an administrator asks."""
        return queues.switch(self.actions, name, paused)

    def recent_jobs(self, identity, limit: int = 20) -> list[dict]:
        """The newest jobs ``identity`` may see, hosted and external, as ``/api/jobs``
        renders them."""
        listing = job_listing.list_jobs(self.actions, OffsetPage(limit, 0), identity=identity,
                                        counted=False)
        return [job_summary(job, renderer) for job, renderer in listing.jobs]
