"""The head (and base) of a new pull request: ``branch`` of the base repository, or
``owner:branch`` / ``owner/repo:branch`` for a fork of it (or, as Gitea allows, the parent of
a fork when the pull request targets the fork). Both must be branches."""

from __future__ import annotations

from plue_core.accounts.models import Account
from plue_core.errors import Invalid, NotFound

from plue_pulls import refs
from plue_pulls.models import Repository


def resolve_head(service, base, identity, head: str) -> tuple[object, str]:
    """``branch`` or ``owner:branch`` (or ``owner/repo:branch``) -> (repository, branch).
    404 for an unknown owner or when the owner has no fork of the base repository."""
    owner_part, separator, branch = head.partition(":")
    if not separator:
        return base, head
    if ":" in branch or not owner_part or not branch:
        raise NotFound(f"head {head!r}: expected 'branch' or 'owner:branch'")
    owner_name, _, repo_name = owner_part.partition("/")
    owner = service.accounts.find_account(owner_name)
    if owner is None:
        raise NotFound(f"head {head!r}: user {owner_name!r} does not exist")
    if owner.id == base.owner_id and (not repo_name or repo_name.lower() == base.name.lower()):
        return base, branch
    candidate = None
    if repo_name:
        candidate = service.hosting.find_repository(owner.name, repo_name)
        related = candidate is not None and (
            candidate.fork_parent_id == base.id or base.fork_parent_id == candidate.id)
        candidate = candidate if related else None
    else:
        candidate = service.hosting.fork_of(base, owner)
        if candidate is None and base.fork_parent_id:
            parent = service.hosting.get_repository_by_id(base.fork_parent_id)
            candidate = parent if parent is not None and parent.owner_id == owner.id else None
    if candidate is None or not service.hosting.allows(identity, candidate, "read"):
        raise NotFound(f"head {head!r}: {owner.name} has no fork of {base.full_name}")
    return candidate, branch


def branch_or_refusal(service, repository, name: str, what: str) -> str:
    """The branch's head sha; 422 for a tag or commit (Gitea: base and head must be
    branches), 404 when nothing has that name."""
    with service.hosting.open_git(repository) as repo:
        found = refs.branch_sha(repo, name)
        if found:
            return found
        if refs.is_tag_or_commit(repo, name):
            raise Invalid(f"Invalid PullRequest: base and head must be branches ({what} "
                          f"{name!r} is not a branch)")
    raise NotFound(f"{what} branch {name!r} does not exist in {repository.full_name}")


def head_repositories(service, base, identity) -> list:
    """``base``, its parent and its forks, those ``identity`` may read (owners joined): the
    repositories ``resolve_head`` accepts, base first."""
    related = (Repository.id == base.id) | (Repository.fork_parent == base.id)
    if base.fork_parent_id:
        related |= Repository.id == base.fork_parent_id
    visible = service.hosting.visible_repository_ids(identity)
    found = (Repository.select(Repository, Account).join(Account)
             .where(related & Repository.id.in_(visible)).order_by(Repository.id))
    return sorted(found, key=lambda repository: repository.id != base.id)
