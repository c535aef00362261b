"""tracked_repos: GitHub and GitLab repositories users follow (seed 003's /api/repos), their
commits synced from the providers' HTTP APIs, and RunnerHub's /api/github views (seed 002).
This module only wires hooks."""

import pathlib

from plue_core import hookimpl
from plue_core.routing import Route
from plue_core.scheduler import ScheduledJob
from plue_tracked_repos import models, push_syncs, repositories, syncing
from plue_tracked_repos.resources import github, webhooks
from plue_tracked_repos.resources import repositories as repos
from plue_tracked_repos.service import TrackedReposService
from plue_tracked_repos.settings import TrackedReposSettings

PLUE_NAME = "tracked_repos"
PLUE_REQUIRES = ("accounts",)


@hookimpl
def register_settings():
    return [("tracked_repos", TrackedReposSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("tracked_repos", TrackedReposService(ctx))]


@hookimpl
def register_routes(ctx):
    service = ctx.services["tracked_repos"]
    return [
        Route("/api/repos", repos.RepositoriesResource(service)),
        Route("/api/repos/{repo_id}", repos.RepositoryResource(service)),
        Route("/api/repos/{repo_id}/validate", repos.RepositoryValidationResource(service)),
        Route("/api/repos/{repo_id}/commits", repos.RepositoryCommitsResource(service)),
        Route("/api/repos/{repo_id}/webhook", webhooks.RepositoryWebhookResource(service)),
        Route("/api/github/status", github.GitHubStatusResource(service)),
        Route("/api/github/repositories", github.GitHubRepositoriesResource(service)),
        Route("/api/github/sync", github.GitHubSyncResource(service)),
    ]


@hookimpl
def register_jobs(ctx):
    service = ctx.services["tracked_repos"]
    return [ScheduledJob("tracked_repos.sync", lambda ctx: syncing.sync_due_repositories(service),
                         "interval", {"seconds": service.settings["sync_interval"]}),
            ScheduledJob("tracked_repos.sync_pushed", lambda ctx: push_syncs.sync_pushed(service),
                         "interval", {"seconds": service.settings["push_sync_interval"]})]


@hookimpl
def on_event(ctx, event):
    if event.name == "account_deleted":
        repositories.forget_user(event.account_id)
    elif event.name == "github_webhook":  # RunnerHub's POST /api/github/webhook
        push_syncs.on_github_webhook(event)


@hookimpl
def shutdown(ctx):
    ctx.services["tracked_repos"].close()
