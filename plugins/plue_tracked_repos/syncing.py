"""Sync: ask the provider about a tracked repository, store its recent commits, record whether
it is valid and what the provider's rate limit said. The scheduled job and POST /api/github/sync
both come here."""

from __future__ import annotations

import datetime
import urllib.parse

import peewee

from plue_core.db import is_sqlite, utcnow, write_transaction
from plue_tracked_repos.models import (
    ProviderState,
    TrackedCommit,
    TrackedRepository,
)
from plue_tracked_repos.providers import ProviderAnswer

SYNC_TYPES = ("full", "incremental")


def sync_repository(service, repository: TrackedRepository, sync_type: str = "full") -> dict:
    """Sync one repository and describe the outcome (never raises for provider trouble).

    ``incremental`` asks only for commits newer than the newest stored one; ``full`` asks for
    the latest ``commits_per_sync`` commits again (and refreshes their stored text)."""
    since = None
    if sync_type == "incremental":
        since = (TrackedCommit.select(peewee.fn.MAX(TrackedCommit.date))
                 .where(TrackedCommit.repository == repository.id).scalar())
        if isinstance(since, str):  # SQLite hands aggregates back as text
            since = datetime.datetime.fromisoformat(since)
    parts = urllib.parse.urlsplit(repository.url)
    # The network call runs outside any transaction: a slow provider holds no database lock.
    answer = service.client(repository.provider).fetch(
        repository.owner, repository.name, host=parts.netloc, scheme=parts.scheme,
        per_page=service.settings["commits_per_sync"], since=since)
    return _store(repository, answer, sync_type)


def _store(repository: TrackedRepository, answer: ProviderAnswer, sync_type: str) -> dict:
    result = {"id": repository.id, "repository": repository.full_name,
              "provider": repository.provider, "status": "", "commits_fetched": len(answer.commits),
              "commits_new": 0, "is_valid": repository.is_valid, "error": answer.error or None}
    now = utcnow()
    with write_transaction():
        current = TrackedRepository.select().where(TrackedRepository.id == repository.id)
        if not is_sqlite(TrackedRepository._meta.database):
            current = current.for_update()  # a concurrent DELETE waits, or we see it gone
        if current.first() is None:
            result.update(status="deleted", error="repository was removed during the sync")
            return result
        _record_provider_state(repository.provider, answer, now)
        if answer.found is None:
            TrackedRepository.update(last_sync_error=answer.error).where(
                TrackedRepository.id == repository.id).execute()
            result["status"] = "failed"
            return result
        changes = {TrackedRepository.is_valid: answer.found,
                   TrackedRepository.last_synced_at: now,
                   TrackedRepository.last_sync_error: answer.error}
        if answer.found:
            changes[TrackedRepository.provider_id] = answer.provider_id
            changes[TrackedRepository.private] = answer.private
            result["commits_new"] = _store_commits(repository.id, answer, sync_type)
        TrackedRepository.update(changes).where(TrackedRepository.id == repository.id).execute()
    result["is_valid"] = answer.found
    result["status"] = "synced" if answer.found else "invalid"
    return result


def _store_commits(repository_id: int, answer: ProviderAnswer, sync_type: str) -> int:
    known = {sha for (sha,) in TrackedCommit.select(TrackedCommit.sha).where(
        (TrackedCommit.repository == repository_id)
        & TrackedCommit.sha.in_([c.sha for c in answer.commits])).tuples()}
    fresh = [c for c in answer.commits if c.sha not in known]
    if fresh:
        TrackedCommit.insert_many([
            {"repository": repository_id, "sha": c.sha, "message": c.message,
             "author": c.author[:255], "date": c.date} for c in fresh
        ]).on_conflict_ignore().execute()
    if sync_type == "full":
        for commit in answer.commits:
            if commit.sha in known:
                (TrackedCommit.update(message=commit.message, author=commit.author[:255],
                                      date=commit.date)
                 .where((TrackedCommit.repository == repository_id)
                        & (TrackedCommit.sha == commit.sha)).execute())
    return len(fresh)


def _record_provider_state(provider: str, answer: ProviderAnswer, now: datetime.datetime) -> None:
    values = {"api_status": answer.api_status, "last_error": answer.error, "checked_at": now}
    if answer.rate_limit is not None:
        values.update(rate_limit=answer.rate_limit.limit, rate_remaining=answer.rate_limit.remaining,
                      rate_used=answer.rate_limit.used, rate_reset=answer.rate_limit.reset)
    updated = ProviderState.update(values).where(ProviderState.provider == provider).execute()
    if not updated:
        (ProviderState.insert(provider=provider, **values)
         .on_conflict(conflict_target=[ProviderState.provider], update=values).execute())


def oldest_synced_first(repositories: list[TrackedRepository]) -> list[TrackedRepository]:
    return sorted(repositories, key=lambda r: (r.last_synced_at is not None,
                                               r.last_synced_at or datetime.datetime.min, r.id))


def sync_repositories(service, repositories: list[TrackedRepository], sync_type: str) -> dict:
    """Sync up to ``sync_batch_size`` repositories one after the other, oldest sync first (so a
    request stays within the server's timeout); the answer of POST /api/github/sync names the
    ones left for later under ``deferred``."""
    started = utcnow()
    ordered = oldest_synced_first(repositories)
    batch, deferred = ordered[:service.settings["sync_batch_size"]], \
        ordered[service.settings["sync_batch_size"]:]
    results = [sync_repository(service, repository, sync_type) for repository in batch]
    return {
        "sync_type": sync_type,
        "started_at": started,
        "finished_at": utcnow(),
        "repositories": results,
        "deferred": [r.full_name for r in deferred],
        "summary": {
            "requested": len(results),
            "synced": sum(r["status"] == "synced" for r in results),
            "invalid": sum(r["status"] == "invalid" for r in results),
            "failed": sum(r["status"] in ("failed", "deleted") for r in results),
            "commits_new": sum(r["commits_new"] for r in results),
        },
    }


def due_repositories(service, now: datetime.datetime | None = None) -> list[TrackedRepository]:
    """Repositories never synced, or not synced for ``sync_interval``; oldest first."""
    now = now or utcnow()
    cutoff = now - datetime.timedelta(seconds=service.settings["sync_interval"])
    return list(TrackedRepository.select()
                .where(TrackedRepository.last_synced_at.is_null()
                       | (TrackedRepository.last_synced_at <= cutoff))
                .order_by(TrackedRepository.last_synced_at.asc(nulls="FIRST"),
                          TrackedRepository.id)
                .limit(service.settings["sync_batch_size"]))


def sync_due_repositories(service) -> dict:
    """The scheduled job: an incremental sync of every due repository."""
    return sync_repositories(service, due_repositories(service), "incremental")
