"""What every accounts resource shares: the service, serializers, and the authorization
checks Gitea applies to user, org and team routes (reqToken, reqOrgOwnership,
reqOrgMembership, reqTeamMembership), each checking the token scope before anything else."""

from __future__ import annotations

from typing import TYPE_CHECKING

from plue_core.accounts import orgs, teams, users
from plue_core.accounts.schemas.users import UserView
from plue_core.errors import Forbidden
from plue_core.identity import Identity, current_identity, require_identity
from plue_core.pagination import paginate

if TYPE_CHECKING:
    from plue_core.accounts.models import Account, Team


def access_of(req) -> str:
    """Gitea's rule: GET (and HEAD) need read scope, every other method write."""
    return "read" if req.method in ("GET", "HEAD") else "write"


def optional_identity(req, area: str) -> Identity | None:
    """The caller if any; a token without the area's scope is 403 even where anonymous
    callers are welcome."""
    if current_identity(req) is None:
        return None
    return require_identity(req, scope=(access_of(req), area))


def require_scopes(req, *areas: str) -> Identity:
    """The caller, whose token must reach every one of ``areas`` (Gitea routes that need
    both ``user`` and ``organization`` scopes)."""
    identity = require_identity(req)
    for area in areas:
        require_identity(req, scope=(access_of(req), area))
    return identity


def require_org_owner(identity: Identity, org: Account) -> None:
    """Site admins and owners pass; anyone else who can see the org gets 403."""
    if not (identity.is_admin or orgs.is_owner(org, identity.user_id)):
        raise Forbidden(f"you must be an owner of organization {org.name!r}")


def require_org_member(identity: Identity, org: Account) -> None:
    if not (identity.is_admin or orgs.is_member(org, identity.user_id)):
        raise Forbidden(f"you must be a member of organization {org.name!r}")


class AccountsResource:
    def __init__(self, ctx):
        self.ctx = ctx
        self.accounts = ctx.services["accounts"]
        self.settings = self.accounts.settings
        self.base_url = ctx.config.base_url
        # What organizations and teams render with (they show nothing viewer-dependent).
        self.site_view = UserView(self.base_url)

    # --- serializers --------------------------------------------------------------------------

    def user_view(self, req) -> UserView:
        """What ``USER_SHAPE`` renders users with for this request's viewer."""
        return UserView(self.base_url, current_identity(req))

    def page(self, req, resp, query) -> list:
        return paginate(req, resp, query, self.ctx.config.pagination)

    # --- lookups that hide what the caller may not see ------------------------------------------

    def visible_user(self, identity: Identity | None, username: str, *,
                     organizations_too: bool = False) -> Account:
        return users.get_visible_user(identity, username, organizations_too=organizations_too)

    def visible_team(self, identity: Identity, team_id: int) -> Team:
        return teams.visible_team(identity, team_id)
