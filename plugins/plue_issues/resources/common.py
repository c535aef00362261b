"""What every issues resource shares: the token-scope rule (Gitea's ``issue`` scope
category; ``organization`` for organization labels), the repository access of the request,
the doer's account, pagination and the presenter."""

from __future__ import annotations

from plue_core.identity import Identity, current_identity, require_identity
from plue_core.pagination import paginate

from plue_issues.access import RepositoryAccess

V1 = "/api/v1"
REPO = f"{V1}/repos/{{owner}}/{{repo}}"


def access_of(req) -> str:
    """Gitea's rule: GET needs read scope, every other method write."""
    return "read" if req.method in ("GET", "HEAD") else "write"


def optional_identity(req, area: str = "issue") -> Identity | None:
    """The caller, if any; a token lacking the area's scope is 403 even where anonymous
    callers are welcome."""
    if current_identity(req) is None:
        return None
    return require_identity(req, scope=(access_of(req), area))


def split_param(req, name: str) -> list[str]:
    raw = req.get_param(name) or ""
    return [part.strip() for part in raw.split(",") if part.strip()]


class IssuesApiResource:
    def __init__(self, ctx):
        self.ctx = ctx

    @property
    def issues(self):
        return self.ctx.services["issues"]

    def read_access(self, req, owner: str, repo: str) -> RepositoryAccess:
        """For GET: anonymous welcome on what they may see."""
        return self.issues.access(optional_identity(req), owner, repo)

    def write_access(self, req, owner: str, repo: str) -> tuple[RepositoryAccess, object]:
        """For writes: a signed-in caller with ``write:issue`` scope who can see the repository
        (404 otherwise), which must not be archived (423). Returns the access and the doer's
        account; the operation checks the level it needs."""
        identity = require_identity(req, scope=("write", "issue"))
        access = self.issues.access(identity, owner, repo)
        access.require_not_archived()
        return access, self.issues.accounts.account_for(identity)

    def presenter(self, req, access: RepositoryAccess):
        return self.issues.presenter(current_identity(req), repository=access.repository)

    def page(self, req, resp, query, *, total: int | None = None) -> list:
        return paginate(req, resp, query, self.ctx.config.pagination, total=total)
