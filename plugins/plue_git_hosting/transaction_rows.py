"""A push's repository row, read once in the transaction that records the push and handed to
every plugin that hears its events (the webhooks' payloads, actions' run creation, the
commit statuses): ``get_repository_by_id`` answers from here inside that transaction, and
remembers any row it reads inside a scope (a runner's claim reads its repository once). Every
write of a repository row in this plugin forgets it, so nobody is handed a stale row."""

from __future__ import annotations

from plue_core import transaction_memo

from plue_git_hosting.models import Repository


def _key(repository_id: int) -> tuple:
    return ("git_hosting.repository", repository_id)


def remember(repository: Repository) -> None:
    """``repository`` (with its owner loaded) is the row as this transaction wrote it."""
    transaction_memo.put(_key(repository.id), repository)


def recall(repository_id: int) -> Repository | None:
    return transaction_memo.get(_key(repository_id))


def forget(*repository_ids: int | None) -> None:
    for repository_id in repository_ids:
        if repository_id is not None:
            transaction_memo.drop(_key(repository_id))


def forget_all() -> None:
    transaction_memo.drop_where(lambda key: key[:1] == ("git_hosting.repository",))
