"""Who may do what with a repository's issues, resolved once per request from git_hosting's
repository access (``require_repository``: the one ladder, none < read < write < admin) and
the repository's issue / pull-request units, as Gitea's ``CanReadIssuesOrPulls`` /
``CanWriteIssuesOrPulls`` do.

A repository the caller cannot read, or whose issues and pull requests are both switched off,
does not exist for them (404). With ``has_issues: false`` plain issues are 404 while pull
requests (which are issues too) still answer, so the unit check always looks at the issue in
hand.
"""

from __future__ import annotations

import dataclasses

from plue_core.errors import Forbidden, Locked, NotFound
from plue_core.identity import Identity

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
    granted: object  # git_hosting's RepositoryAccess: the repository (owner joined), the level
    identity: Identity | None

    @property
    def repository(self):
        return self.granted.repository

    @property
    def level(self) -> str:
        return self.granted.level

    @property
    def full_name(self) -> str:
        return self.repository.full_name

    def unit_enabled(self, is_pull: bool) -> bool:
        return bool(self.repository.has_pull_requests if is_pull else self.repository.has_issues)

    def can_read(self, is_pull: bool) -> bool:
        return self.unit_enabled(is_pull) and self.granted.allows("read")

    def can_write(self, is_pull: bool) -> bool:
        return self.unit_enabled(is_pull) and self.granted.allows("write")

    @property
    def is_admin(self) -> bool:
        return self.granted.allows("admin")

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
            raise Locked(f"repository {self.full_name} is archived")


def resolve_access(hosting, identity: Identity | None, owner: str, repo: str, *,
                   branch_count: bool = False) -> RepositoryAccess:
    """The caller's access to ``owner/repo``; 404 when they may not see it or it has neither
    issues nor pull requests. ``branch_count``: the repository read with its branch count
    (``repository.branch_count``), for a body that embeds the whole ``Repository``."""
    access = RepositoryAccess(
        hosting.require_repository(for_repository_permission(identity), owner, repo,
                                   branch_count=branch_count), identity)
    if not (access.unit_enabled(False) or access.unit_enabled(True)):
        raise NotFound(f"repository {access.full_name} has issues and pull requests disabled")
    return access
