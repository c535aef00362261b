"""Syncs asked for by push webhooks: GitHub's (the ``github_webhook`` event that RunnerHub's
``POST /api/github/webhook`` publishes) and GitLab's (``POST /api/repos/{id}/webhook``).

A webhook only marks the repositories (``sync_requested_at``), inside the transaction that
accepts the delivery, so an accepted push is never lost. The scheduler's
``tracked_repos.sync_pushed`` job, every ``push_sync_interval`` seconds, syncs the marked ones
with the scheduled sync's own code (``syncing.sync_repositories``): the provider is asked
outside any request, so a slow provider never holds a webhook delivery open."""

from __future__ import annotations

from plue_core.db import utcnow, write_transaction
from plue_tracked_repos import syncing
from plue_tracked_repos.models import TrackedRepository
from plue_tracked_repos.repositories import full_name_key


def request_sync(condition) -> int:
    """A push webhook arrived for the repositories matching ``condition``: note it, and mark
    them for the next pass; returns how many. One already waiting keeps its earlier mark (the
    pass takes the oldest first)."""
    now = utcnow()
    TrackedRepository.update(webhook_received_at=now).where(condition).execute()
    return (TrackedRepository.update(sync_requested_at=now)
            .where(condition & TrackedRepository.sync_requested_at.is_null()).execute())


def on_github_webhook(event) -> None:
    """A GitHub delivery RunnerHub accepted: a ``push`` asks every tracked copy of the
    repository (one per user who tracks it) to sync."""
    if event.github_event == "push" and event.repository:
        owner, _, name = event.repository.partition("/")
        request_sync((TrackedRepository.provider == "github")
                     & (TrackedRepository.full_name_key == full_name_key(owner, name)))


def requested(service) -> list[TrackedRepository]:
    return list(TrackedRepository.select()
                .where(TrackedRepository.sync_requested_at.is_null(False))
                .order_by(TrackedRepository.sync_requested_at, TrackedRepository.id)
                .limit(service.settings["sync_batch_size"]))


def sync_pushed(service) -> dict | None:
    """The scheduled job: an incremental sync of the repositories pushes asked for. The marks
    are cleared first, so a push arriving during the sync asks for one more."""
    taken_at = utcnow()
    repositories = requested(service)
    if not repositories:
        return None
    with write_transaction():
        (TrackedRepository.update(sync_requested_at=None)
         .where(TrackedRepository.id.in_([r.id for r in repositories])
                & (TrackedRepository.sync_requested_at <= taken_at)).execute())
    return syncing.sync_repositories(service, repositories, "incremental")
