"""Topics (Gitea's ``topic`` and ``repo_topic``): names a repository's administrators give it,
Gitea's rules for a name (``valid``: lower-case letters, digits, ``-`` and ``.``, starting with
a letter or digit, at most 35 characters) and at most 25 per repository. ``topic.repo_count``
moves in the transaction that adds or removes a repository's row, and a topic no repository
carries any more is deleted; ``repository.topics`` (comma-separated, by name) is kept with the
rows, so a repository's body needs no query for them."""

from __future__ import annotations

import re

import peewee

from plue_core.constraints import still_there
from plue_core.db import utcnow, write_transaction
from plue_core.errors import Invalid, NotFound

from plue_git_hosting import transaction_rows
from plue_git_hosting.models import RepoTopic, Repository, Topic

MAX_TOPICS = 25
MAX_LENGTH = 35
_PATTERN = re.compile(r"[a-z0-9][-.a-z0-9]*")


class InvalidTopics(Invalid):
    """A 422 that Gitea answers with its ``invalidTopicsError`` body, ``{"invalidTopics":
    invalid, "message": …}`` (resources/topics.py writes it)."""

    def __init__(self, message: str, invalid: list[str] | str | None):
        super().__init__(message)
        self.invalid = invalid


def normalized(name: str) -> str:
    return name.strip().lower()


def valid(name: str) -> bool:
    return len(name) <= MAX_LENGTH and _PATTERN.fullmatch(name) is not None


def sanitized(names: list[str]) -> list[str]:
    """Gitea's ``SanitizeAndValidateTopics``: each name trimmed and lower-cased, empty ones and
    repeats dropped; 422 naming the invalid ones, or when more than 25 are left."""
    kept, invalid = [], []
    for name in map(normalized, names):
        if not name or name in kept or name in invalid:
            continue
        (kept if valid(name) else invalid).append(name)
    if len(kept) > MAX_TOPICS:
        raise InvalidTopics("Exceeding maximum number of topics per repo", None)
    if invalid:
        raise InvalidTopics("Topic names are invalid", invalid)
    return kept


def checked(name: str) -> str:
    """One topic of a path (``PUT``/``DELETE …/topics/{topic}``), normalized, or 422."""
    name = normalized(name)
    if not valid(name):
        raise InvalidTopics("Topic name is invalid", name)
    return name


def names_query(repository: Repository) -> peewee.Query:
    """``repository``'s topics by name (Gitea sorts a repository's by name)."""
    return (Topic.select(Topic.name).join(RepoTopic)
            .where(RepoTopic.repository == repository.id).order_by(Topic.name))


def replace(repository: Repository, names: list[str]) -> None:
    """``PUT …/topics``: exactly ``names`` (already ``sanitized``)."""
    with write_transaction():
        _lock(repository)
        current = set(_current(repository.id))
        _remove(repository.id, current - set(names))
        _add(repository.id, [name for name in names if name not in current])
        _store_names(repository)


def add(repository: Repository, name: str) -> None:
    """``PUT …/topics/{topic}``: one more (a topic it has already changes nothing); 422 at
    the limit."""
    with write_transaction():
        _lock(repository)
        current = _current(repository.id)
        if name in current:
            return
        if len(current) >= MAX_TOPICS:
            raise InvalidTopics("Exceeding maximum allowed topics per repo.", None)
        _add(repository.id, [name])
        _store_names(repository)


def remove(repository: Repository, name: str) -> bool:
    """``DELETE …/topics/{topic}``: False when the repository does not have it."""
    with write_transaction():
        _lock(repository)
        if name not in _current(repository.id):
            return False
        _remove(repository.id, {name})
        _store_names(repository)
        return True


def forget_repository(repository_id: int) -> None:
    """``repository_id`` is being deleted: each of its topics counts one fewer (its
    ``repo_topic`` rows go by cascade)."""
    _remove(repository_id, set(_current(repository_id)))


def search_query(keyword: str) -> peewee.Query:
    """``GET /topics/search``: topics whose name contains ``keyword``, most used first (Gitea's
    order), then by name."""
    query = Topic.select()
    if keyword := normalized(keyword):
        query = query.where(Topic.name.contains(keyword))
    return query.order_by(Topic.repo_count.desc(), Topic.name)


def carrying(names: list[str]) -> peewee.Query:
    """The ids of repositories carrying any of ``names`` (the search's ``topic=true``)."""
    return (RepoTopic.select(RepoTopic.repository).join(Topic)
            .where(Topic.name.in_(names)))


def _lock(repository: Repository) -> None:
    """One topic write per repository at a time (its row locked on PostgreSQL; SQLite's write
    transaction holds the database): two at once cannot both add the same row or count it
    twice."""
    if not still_there(Repository, repository.id):
        raise NotFound(f"repository {repository.full_name} does not exist")


def _current(repository_id: int) -> list[str]:
    return [row.name for row in Topic.select(Topic.name).join(RepoTopic)
            .where(RepoTopic.repository == repository_id)]


def _add(repository_id: int, names: list[str]) -> None:
    if not names:
        return
    now = utcnow()
    Topic.insert_many([{"name": name, "repo_count": 0, "created_at": now, "updated_at": now}
                       for name in names]).on_conflict_ignore().execute()
    ids = [row.id for row in Topic.select(Topic.id).where(Topic.name.in_(names))]
    RepoTopic.insert_many([{"repository": repository_id, "topic": topic_id}
                           for topic_id in ids]).execute()
    Topic.update(repo_count=Topic.repo_count + 1, updated_at=now).where(
        Topic.id.in_(ids)).execute()


def _remove(repository_id: int, names: set[str]) -> None:
    if not names:
        return
    ids = [row.id for row in Topic.select(Topic.id).where(Topic.name.in_(list(names)))]
    RepoTopic.delete().where((RepoTopic.repository == repository_id)
                             & RepoTopic.topic.in_(ids)).execute()
    Topic.update(repo_count=Topic.repo_count - 1, updated_at=utcnow()).where(
        Topic.id.in_(ids)).execute()
    Topic.delete().where(Topic.id.in_(ids) & (Topic.repo_count <= 0)).execute()


def _store_names(repository: Repository) -> None:
    repository.topics = ",".join(sorted(_current(repository.id)))
    Repository.update(topics=repository.topics).where(Repository.id == repository.id).execute()
    transaction_rows.forget(repository.id)
