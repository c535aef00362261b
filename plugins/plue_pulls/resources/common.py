"""What every pulls resource shares: Gitea's token scope for these routes (``repository``),
the caller's access to the base repository (the issues plugin's rules: a repository with pull
requests switched off answers 404), the doer, the presenter and pagination."""

from __future__ import annotations

from plue_core.identity import Identity, current_identity, require_identity
from plue_core.pagination import paginate

from plue_pulls import pulls
from plue_pulls.schemas.shapes import PullPresenter

V1 = "/api/v1"
REPO = f"{V1}/repos/{{owner}}/{{repo}}"


def optional_identity(req) -> Identity | None:
    """The caller, if any; a token without the ``repository`` scope is 403 even on reads."""
    if current_identity(req) is None:
        return None
    return require_identity(req, scope=("read" if req.method in ("GET", "HEAD") else "write",
                                        "repository"))


class PullsApiResource:
    def __init__(self, ctx):
        self.ctx = ctx

    @property
    def service(self):
        return self.ctx.services["pulls"]

    def read_access(self, req, owner: str, repo: str, *, branch_count: bool = False):
        """``branch_count``: for a GET whose pull request bodies embed the repository (read
        with its branch count in the same statement)."""
        access = self.service.issues.access(optional_identity(req), owner, repo,
                                            branch_count=branch_count)
        access.require_unit(True)
        return access

    def write_access(self, req, owner: str, repo: str):
        """A signed-in caller with ``write:repository`` who can see the repository (404
        otherwise), which must not be archived (423); returns the access and the account."""
        identity = require_identity(req, scope=("write", "repository"))
        access = self.service.issues.access(identity, owner, repo)
        access.require_unit(True)
        access.require_not_archived()
        return access, self.service.accounts.account_for(identity)

    def viewer_account(self, req):
        return self.service.accounts.account_for(current_identity(req))

    def pull(self, access, index, *, with_parts: bool = False):
        return pulls.get_pull(self.service, access, index, with_parts=with_parts)

    def presenter(self, req, access) -> PullPresenter:
        return PullPresenter(self.service, current_identity(req), access.repository,
                             repository_is_current=req.method in ("GET", "HEAD"))

    def page(self, req, resp, query, *, total: int | None = None) -> list:
        return paginate(req, resp, query, self.ctx.config.pagination, total=total)
