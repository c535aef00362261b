"""Watching (Gitea's ``watch``): a user subscribed to a repository they can see, counted in the
repository's ``num_watches`` (the body's ``watchers_count``). As Gitea's AUTO_WATCH_NEW_REPOS
(``[git_hosting] auto_watch_new_repos``, on by default), whoever creates a repository (or a
fork) watches it."""

from plue_git_hosting.models import Repository, Watch
from plue_git_hosting.repository_marks import RepositoryMarks

WATCHES = RepositoryMarks(Watch, Repository.num_watches)


def watch_new_repository(hosting, repository: Repository, creator_id: int) -> None:
    """``repository`` was just created (or forked) by ``creator_id``: they watch it, when the
    setting says so; the row in hand counts the watch too (the creation's answer shows it)."""
    if hosting.settings["auto_watch_new_repos"] and WATCHES.add(creator_id, repository.id):
        repository.num_watches += 1


def watcher_ids(repository_id: int) -> list[int]:
    """The ids of the users watching ``repository_id`` (the ``(repository, id)`` index), in
    one statement, however many they are: whom a change to it concerns (notifications)."""
    return [row[0] for row in Watch.select(Watch.user)
            .where(Watch.repository == repository_id).tuples()]
