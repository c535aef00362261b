"""Every RunnerHub route (the seed's Job, Runner and Queue Management APIs)."""

from __future__ import annotations

from plue_core.routing import Route
from plue_runnerhub.resources import github_webhook, hub_runners, jobs, queues


def all_routes(service, settings: dict) -> list[Route]:
    return [
        Route("/api/github/webhook", github_webhook.GitHubWebhookResource(
            service, settings["github_webhook_secret"])),
        Route("/api/jobs", jobs.JobsResource(service)),
        Route("/api/jobs/delegate", jobs.DelegateResource(service)),
        Route("/api/jobs/{job_id}", jobs.JobResource(service)),
        Route("/api/jobs/{job_id}/logs", jobs.JobLogsResource(service)),
        Route("/api/jobs/{job_id}/status", jobs.JobStatusResource(service)),
        Route("/api/runners", hub_runners.RunnersResource(service)),
        Route("/api/runners/{runner_id}/status", hub_runners.RunnerStatusResource(service)),
        Route("/api/queues/status", queues.QueueStatusResource(service)),
        Route("/api/queues/{queue_name}/pause", queues.QueueSwitchResource(service, True)),
        Route("/api/queues/{queue_name}/resume", queues.QueueSwitchResource(service, False)),
        Route("/api/queues/{queue_name}/failed", queues.QueueFailedResource(service)),
    ]
