"""RunnerHub's GitHub Integration API (seed 002): status, repositories, sync, in the
``{"success": true, "data": ...}`` envelope (errors get it from the /api family)."""

from __future__ import annotations

from plue_core.errors import NotFound
from plue_core.families import hub_success
from plue_core.identity import require_identity
from plue_core.openapi import operation
from plue_core.validation import load_body
from plue_tracked_repos import github_views, repositories, syncing
from plue_tracked_repos.schemas import SyncRequest

TAGS = ("github",)


class GitHubStatusResource:
    def __init__(self, service):
        self.service = service

    @operation("GitHub API status and rate limit as last seen, and your sync summary", tags=TAGS)
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "repository"))
        resp.media = hub_success(github_views.github_status(identity.user_id))


class GitHubRepositoriesResource:
    def __init__(self, service):
        self.service = service

    @operation("Your tracked GitHub repositories", tags=TAGS)
    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "repository"))
        resp.media = hub_success(github_views.github_repositories(identity.user_id))


class GitHubSyncResource:
    def __init__(self, service):
        self.service = service

    @operation("Sync your tracked GitHub repositories now (all, or the listed owner/name)",
               request=SyncRequest, tags=TAGS)
    def on_post(self, req, resp):
        identity = require_identity(req, scope=("write", "repository"))
        body = load_body(req, SyncRequest)
        tracked = repositories.list_repositories(identity.user_id, provider="github")
        if body["repositories"] is not None:
            tracked = _select(tracked, body["repositories"])
        resp.media = hub_success(syncing.sync_repositories(self.service, tracked, body["sync_type"]))


def _select(tracked: list, names: list[str]) -> list:
    by_name = {r.full_name.lower(): r for r in tracked}
    unknown = [name for name in names if name.lower() not in by_name]
    if unknown:
        raise NotFound("not among your tracked GitHub repositories: " + ", ".join(unknown),
                       details={"unknown_repositories": unknown})
    chosen = []
    for name in names:
        repository = by_name[name.lower()]
        if repository not in chosen:
            chosen.append(repository)
    return chosen
