"""Who may use which actions endpoint, resolved to a scope ``(owner_id, repository_id)``.

Repository: reading runs, jobs, logs and artifacts needs read; rerun, cancel, delete and
dispatch need write; secrets, variables and runners need admin (as Gitea). Organization:
its owners. User: the caller's own. Admin: site administrators. A repository the caller may
not read is 404, never 403.
"""

from __future__ import annotations

from plue_core.errors import Forbidden, NotFound
from plue_core.identity import current_identity, require_admin, require_identity
from plue_core.routing import Route

from plue_actions.schemas.shapes import Shapes

V1 = "/api/v1"
SCOPES = {"repo": f"{V1}/repos/{{owner}}/{{repo}}/actions", "org": f"{V1}/orgs/{{org}}/actions",
          "user": f"{V1}/user/actions", "admin": f"{V1}/admin/actions"}


def scoped_ids(tail: str, pattern: str = "", kinds=tuple(SCOPES), **ids: str) -> dict[str, str]:
    """Gitea's operationIds of one scoped responder, by route key: ``pattern`` for the scopes
    Gitea names regularly (``{Scope}``: Repo, Org, User, Admin; ``{scope}``: repo, org, ...),
    ``ids`` (by scope) for those it does not."""
    named = {kind: pattern.format(Scope=kind.title(), scope=kind) for kind in kinds if pattern}
    return {Route(SCOPES[kind] + tail, None).key: name for kind, name in {**named, **ids}.items()}


class ActionsResource:
    def __init__(self, service):
        self.service = service
        self.hosting = service.hosting
        self.accounts = service.accounts
        self.pagination = service.ctx.config.pagination

    def shapes(self, req) -> Shapes:
        return Shapes(self.service, current_identity(req))

    def repository(self, req, owner: str, repo: str, needed: str = "read", *,
                   branch_count: bool = False):
        """The repository if the caller has ``needed`` on it (and the token scope for it);
        ``branch_count``: with its branches counted in the same statement, for a body that
        embeds it."""
        if needed != "read":
            require_identity(req, scope=("write", "repository"))
        elif current_identity(req) is not None:
            require_identity(req, scope=("read", "repository"))
        return self.hosting.require_repository(current_identity(req), owner, repo, needed,
                                               branch_count=branch_count).repository

    def org_scope(self, req, org_name: str, write: bool) -> tuple[int, int]:
        identity = require_identity(req, scope=("write" if write else "read", "organization"))
        org = self.accounts.find_org(org_name)
        if org is None or not self.accounts.can_see_account(identity, org):
            raise NotFound(f"organization {org_name} does not exist")
        if not (identity.is_admin or self.accounts.is_org_owner(org, identity.user_id)):
            raise Forbidden(f"you must be an owner of {org.name}")
        return org.id, 0

    def user_scope(self, req, write: bool) -> tuple[int, int]:
        identity = require_identity(req, scope=("write" if write else "read", "user"))
        return identity.user_id, 0

    @staticmethod
    def admin_scope(req) -> tuple[int, int]:
        require_admin(req)
        return 0, 0


class ScopedResource(ActionsResource):
    """Resolves the scope from the route: repository, organization, user or admin."""

    def __init__(self, service, kind: str):
        super().__init__(service)
        self.kind = kind

    def scope(self, req, params: dict, write: bool) -> tuple[int, int]:
        if self.kind == "repo":
            repository = self.repository(req, params["owner"], params["repo"], "admin")
            return 0, repository.id
        if self.kind == "org":
            return self.org_scope(req, params["org"], write)
        if self.kind == "user":
            return self.user_scope(req, write)
        return self.admin_scope(req)
