"""Seed 003's operations on one user's tracked repositories (plain functions, no HTTP)."""

from __future__ import annotations

import peewee

from plue_core.db import write_transaction
from plue_core.errors import Conflict, NotFound
from plue_tracked_repos.models import TrackedCommit, TrackedRepository
from plue_tracked_repos.repository_urls import parse_repository_url

NOT_FOUND = "repository not found"
ALREADY_TRACKED = "repository already tracked"


def list_repositories(user_id: int, provider: str | None = None) -> list[TrackedRepository]:
    """The user's tracked repositories, oldest first."""
    query = TrackedRepository.select().where(TrackedRepository.user_id == user_id)
    if provider:
        query = query.where(TrackedRepository.provider == provider)
    return list(query.order_by(TrackedRepository.id))


def full_name_key(owner: str, name: str) -> str:
    """GitHub and GitLab paths ignore case: MyOrg/Repo and myorg/repo are one repository."""
    return f"{owner}/{name}".lower()


def add_repository(user_id: int, url: object) -> TrackedRepository:
    """Track ``url`` for the user; BadRequest for a bad URL, Conflict when already tracked."""
    parsed = parse_repository_url(url)
    try:
        with write_transaction():
            key = full_name_key(parsed.owner, parsed.name)
            if TrackedRepository.select().where(
                    (TrackedRepository.user_id == user_id)
                    & (TrackedRepository.provider == parsed.provider)
                    & (TrackedRepository.full_name_key == key)).exists():
                raise Conflict(ALREADY_TRACKED)
            return TrackedRepository.create(user_id=user_id, owner=parsed.owner, name=parsed.name,
                                            provider=parsed.provider, full_name_key=key,
                                            url=parsed.url)
    except peewee.IntegrityError:  # a concurrent add of the same repository won the race
        raise Conflict(ALREADY_TRACKED) from None


def get_repository(user_id: int, repository_id: object) -> TrackedRepository:
    """The user's repository ``repository_id``; another user's is as absent as a missing one."""
    try:
        number = int(repository_id)
    except (TypeError, ValueError):
        raise NotFound(NOT_FOUND) from None
    if not 0 < number < 2 ** 63:  # no such id, and the database could not even compare it
        raise NotFound(NOT_FOUND)
    repository = TrackedRepository.get_or_none((TrackedRepository.id == number)
                                               & (TrackedRepository.user_id == user_id))
    if repository is None:
        raise NotFound(NOT_FOUND)
    return repository


def delete_repository(user_id: int, repository_id: object) -> None:
    """Stop tracking: the repository and all its commits go in one transaction."""
    with write_transaction():
        repository = get_repository(user_id, repository_id)
        TrackedCommit.delete().where(TrackedCommit.repository == repository.id).execute()
        repository.delete_instance()


def forget_user(user_id: int) -> None:
    """An account is being deleted: its tracked repositories and their commits go with it."""
    ids = TrackedRepository.select(TrackedRepository.id).where(TrackedRepository.user_id == user_id)
    TrackedCommit.delete().where(TrackedCommit.repository.in_(ids)).execute()
    TrackedRepository.delete().where(TrackedRepository.user_id == user_id).execute()


def list_commits(repository: TrackedRepository, *, offset: int, limit: int) -> tuple[list, int]:
    """A page of the repository's synced commits, newest first, and how many there are."""
    query = TrackedCommit.select().where(TrackedCommit.repository == repository.id)
    total = query.count()
    page = (query.order_by(TrackedCommit.date.desc(nulls="LAST"), TrackedCommit.id.desc())
            .offset(offset).limit(limit))
    return list(page), total


def newest_commit_dates(repository_ids: list[int]) -> dict[int, object]:
    """Each repository's newest commit date, in one query."""
    if not repository_ids:
        return {}
    rows = (TrackedCommit.select(TrackedCommit.repository, peewee.fn.MAX(TrackedCommit.date))
            .where(TrackedCommit.repository.in_(repository_ids))
            .group_by(TrackedCommit.repository).tuples())
    return {repository_id: newest for repository_id, newest in rows}
