"""Who may do what with a repository's issues, resolved once per request from git_hosting's
permission level and the repository's issue / pull-request units, as Gitea's
``CanReadIssuesOrPulls`` / ``CanWriteIssuesOrPulls`` do.

Levels, lowest first: none, read, write, admin. A repository the caller cannot read, or whose
issues and pull requests are both switched off, does not exist for them (404). With
``has_issues: false`` plain issues are 404 while pull requests (which are issues too) still
answer, so the unit check always looks at the issue in hand.
"""

from __future__ import annotations

import dataclasses

from plue_core.errors import Forbidden, NotFound, PlueError
from plue_core.identity import Identity

RANK = {"none": 0, "read": 1, "write": 2, "admin": 3}


class RepositoryArchived(PlueError):
    """Gitea's 423 ``repoArchivedError``: an archived repository is read-only."""

    status = 423
    code = "REPOSITORY_ARCHIVED"


def for_repository_permission(identity: Identity | None) -> Identity | None:
    """Gitea gates the issue routes on the token's ``issue`` scope and then applies the user's
    own repository permission; git_hosting treats a token without ``repository`` scope as
    anonymous. The issue routes check the ``issue`` scope themselves, so the permission is
    resolved as if the token could read repositories."""
    if identity is None or identity.scopes is None or identity.allows("read", "repository"):
        return identity
    return dataclasses.replace(identity, scopes=identity.scopes | {"read:repository"})


@dataclasses.dataclass
class RepositoryAccess:
    repository: object  # git_hosting's Repository, owner joined
    level: str
    identity: Identity | None

    @property
    def full_name(self) -> str:
        return self.repository.full_name

    def unit_enabled(self, is_pull: bool) -> bool:
        return bool(self.repository.has_pull_requests if is_pull else self.repository.has_issues)

    def can_read(self, is_pull: bool) -> bool:
        return self.unit_enabled(is_pull) and RANK[self.level] >= RANK["read"]

    def can_write(self, is_pull: bool) -> bool:
        return self.unit_enabled(is_pull) and RANK[self.level] >= RANK["write"]

    @property
    def is_admin(self) -> bool:
        return self.level == "admin"

    @property
    def can_write_issues_or_pulls(self) -> bool:
        """Labels and milestones serve both units: writers of either may manage them."""
        return self.can_write(False) or self.can_write(True)

    def require_unit(self, is_pull: bool) -> None:
        if not self.can_read(is_pull):
            kind = "pull requests" if is_pull else "issues"
            raise NotFound(f"repository {self.full_name} has {kind} disabled")

    def require_write(self, is_pull: bool, what: str) -> None:
        if not self.can_write(is_pull):
            raise Forbidden(f"write permission on the {'pull requests' if is_pull else 'issues'} "
                            f"of {self.full_name} is required to {what}")

    def require_tracker_writer(self, what: str) -> None:
        if not self.can_write_issues_or_pulls:
            raise Forbidden(f"write permission on the issues of {self.full_name} is required "
                            f"to {what}")

    def require_admin(self, what: str) -> None:
        if not self.is_admin:
            raise Forbidden(f"you must be an administrator of {self.full_name} to {what}")

    def require_not_archived(self) -> None:
        if self.repository.is_archived:
            raise RepositoryArchived(f"repository {self.full_name} is archived")


def resolve_access(hosting, identity: Identity | None, owner: str, repo: str) -> RepositoryAccess:
    """The caller's access to ``owner/repo``; 404 when they may not see it or it has neither
    issues nor pull requests."""
    repository = hosting.find_repository(owner, repo)
    if repository is None:
        raise NotFound(f"repository {owner}/{repo} does not exist")
    level = hosting.permission(for_repository_permission(identity), repository)
    if RANK[level] < RANK["read"]:
        raise NotFound(f"repository {owner}/{repo} does not exist")
    access = RepositoryAccess(repository, level, identity)
    if not (access.unit_enabled(False) or access.unit_enabled(True)):
        raise NotFound(f"repository {repository.full_name} has issues and pull requests disabled")
    return access


class PreconditionFailed(PlueError):
    """Gitea's 412 for state changes it cannot make (an unknown state)."""

    status = 412
    code = "PRECONDITION_FAILED"
