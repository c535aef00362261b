"""What every git_hosting resource shares: the service, the per-request permission memo, and
the one way to find a repository the caller may use."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plue_core.identity import require_identity

from plue_git_hosting import permissions
from plue_git_hosting.schemas.shapes import Links

if TYPE_CHECKING:
    from plue_git_hosting.models import Repository

V1 = "/api/v1"
REPO = f"{V1}/repos/{{owner}}/{{repo}}"


class GitHostingResource:
    def __init__(self, hosting):
        self.hosting = hosting
        self.accounts = hosting.accounts
        self.pagination = hosting.ctx.config.pagination

    def memo(self, req) -> permissions.RequestPermissions:
        return permissions.for_request(req, self.accounts)

    def readable(self, req, owner: str, repo: str, *, branch_count: bool = False) -> Repository:
        """The repository if the caller may read it; 404 otherwise (private stays hidden).
        ``branch_count``: with ``repository.branch_count``, read in the same statement."""
        return permissions.require_repository(self.memo(req), owner, repo,
                                              branch_count=branch_count).repository

    def writable(self, req, owner: str, repo: str, needed: str = "write", *,
                 allow_archived: bool = False) -> Repository:
        """For writes: a signed-in caller with a write:repository token scope and ``needed``
        on the repository (404 when they may not read it, 403 when they may only read)."""
        require_identity(req, scope=("write", "repository"))
        return permissions.require_repository(self.memo(req), owner, repo, needed,
                                              writes=not allow_archived).repository

    def links(self, repository: Repository) -> Links:
        return Links(self.hosting, repository)

