"""A renamed repository's old names keep leading to it, as Gitea's ``repo_redirect``: a
rename records ``{owner}/{old name}`` (``record_rename``); a repository created (or forked)
under that name ends it (``forget``); deleting the repository removes its rows (cascade).

Only ``permissions.require_repository`` follows them, and only when no repository has the
name (its 404 path): the API, the web and smart HTTP answer 307 to the new path (Gitea's
``RedirectToRepo``), SSH serves the repository itself (Gitea's ``serv``). A redirect to a
repository the caller may not read is the 404 it was."""

from __future__ import annotations

from plue_core.accounts.models import Account
from plue_core.db import CompiledSelect
from plue_core.errors import Moved

from plue_git_hosting.models import Repository, RepositoryRedirect

_TARGET = CompiledSelect(
    lambda owner, name: RepositoryRedirect.select(RepositoryRedirect.repository)
    .join(Account).where((Account.lower_name == owner) & (RepositoryRedirect.lower_name == name))
    .limit(1).tuples(), str, str)


class RepositoryMoved(Moved):
    """307 to the repository's present path; ``repository`` is it (owner joined)."""

    def __init__(self, repository: Repository, owner_name: str, repo_name: str):
        super().__init__(f"repository {owner_name}/{repo_name} is now {repository.full_name}",
                         old=f"/{owner_name}/{repo_name}",
                         new=f"/{repository.owner.name}/{repository.name}")
        self.repository = repository


def target_id(owner_name: str, repo_name: str) -> int | None:
    """The id of the repository ``owner_name/repo_name`` used to name, if any."""
    return _TARGET.scalar((owner_name or "").lower(), (repo_name or "").lower())


def forget(owner_id: int, name: str) -> None:
    """A repository takes ``name`` under the owner: the old redirect of that name ends."""
    RepositoryRedirect.delete().where((RepositoryRedirect.owner == owner_id)
                                      & (RepositoryRedirect.lower_name == name.lower())).execute()


def record_rename(repository: Repository, old_name: str, new_name: str) -> None:
    """Inside the rename's transaction: ``old_name`` now leads to ``repository``; its new name
    is no one's redirect any more."""
    forget(repository.owner_id, new_name)
    if old_name.lower() != new_name.lower():
        forget(repository.owner_id, old_name)
        RepositoryRedirect.create(owner=repository.owner_id, lower_name=old_name.lower(),
                                  repository=repository.id)
