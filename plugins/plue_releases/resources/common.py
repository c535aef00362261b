"""What every releases resource shares: Gitea's token scope for these routes
(``repository``), the caller's access to the repository, the doer and pagination."""

from __future__ import annotations

from plue_core.identity import current_identity, require_identity

V1 = "/api/v1"
REPO = f"{V1}/repos/{{owner}}/{{repo}}"
TAGS = ("repository",)


def optional_identity(req):
    """The caller, if any; a token without the ``repository`` scope is 403 even on reads."""
    if current_identity(req) is None:
        return None
    return require_identity(req, scope=("read" if req.method in ("GET", "HEAD") else "write",
                                        "repository"))


class ReleasesApiResource:
    def __init__(self, ctx):
        self.ctx = ctx
        self.pagination = ctx.config.pagination

    @property
    def service(self):
        return self.ctx.services["releases"]

    def read_access(self, req, owner: str, repo: str):
        return self.service.access(optional_identity(req), owner, repo)

    def write_access(self, req, owner: str, repo: str):
        """A signed-in caller with ``write:repository`` and write access (404 when they may
        not see the repository, 403 when they may only read it, 423 when it is archived);
        returns the access and the account."""
        identity = require_identity(req, scope=("write", "repository"))
        access = self.service.access(identity, owner, repo, "write")
        return access, self.service.accounts.account_for(identity)
