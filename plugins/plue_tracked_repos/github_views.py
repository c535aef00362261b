"""The data behind RunnerHub's GET /api/github/status and /api/github/repositories, from what
syncs recorded: nothing here is invented (see docs/tracked_repos.md for the fields that stay
empty and why)."""

from __future__ import annotations

import peewee

from plue_core.timestamps import rfc3339
from plue_tracked_repos import repositories
from plue_tracked_repos.models import ProviderState, TrackedRepository

def _iso(value):
    return rfc3339(value)


def github_status(user_id: int) -> dict:
    """API status and rate limit from the last GitHub answer; the caller's sync summary."""
    state = ProviderState.get_or_none(ProviderState.provider == "github")
    mine = TrackedRepository.select().where((TrackedRepository.user_id == user_id)
                                            & (TrackedRepository.provider == "github"))
    last_sync = mine.select(peewee.fn.MAX(TrackedRepository.last_synced_at)).scalar()
    rate_limit = None
    if state is not None and state.rate_limit is not None:
        rate_limit = {"remaining": state.rate_remaining, "limit": state.rate_limit,
                      "reset": _iso(state.rate_reset), "used": state.rate_used}
    return {
        # unknown until the first call; then the outcome of the latest one
        "api_status": state.api_status if state else "unknown",
        "rate_limit": rate_limit,
        "last_checked": _iso(state.checked_at) if state else None,
        "last_error": (state.last_error or None) if state else None,
        # "active" once a push webhook arrived for one of them (POST /api/github/webhook)
        "webhook_status": "active" if mine.where(TrackedRepository.webhook_received_at
                                                 .is_null(False)).exists()
        else "not_configured",
        "last_sync": _iso(last_sync) if last_sync else None,
        "organization": None,
        "repositories_tracked": mine.count(),
        "runners_registered": None,
    }


def github_repositories(user_id: int) -> dict:
    """The caller's tracked GitHub repositories in RunnerHub's shape, with a summary."""
    tracked = repositories.list_repositories(user_id, provider="github")
    newest = repositories.newest_commit_dates([r.id for r in tracked])
    items = []
    for repository in tracked:
        last_activity = newest.get(repository.id)
        items.append({
            "id": repository.id,
            "github_id": repository.provider_id,
            "name": repository.name,
            "full_name": repository.full_name,
            "private": repository.private,
            "active": repository.is_valid,
            "webhook_configured": repository.webhook_received_at is not None,
            "last_activity": _iso(last_activity) if last_activity else None,
            # Plue's workflow runs belong to Plue-hosted repositories, never to GitHub ones.
            "job_count": {"total": 0, "this_month": 0, "running": 0},
        })
    return {"repositories": items, "summary": {
        "total_repositories": len(items),
        "active_repositories": sum(1 for r in tracked if r.is_valid),
        "webhooks_configured": sum(1 for r in tracked if r.webhook_received_at is not None),
    }}
