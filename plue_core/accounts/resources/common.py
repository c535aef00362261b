"""What every accounts resource shares: the service, serializers, and the authorization
checks Gitea applies to user, org and team routes (reqToken, reqOrgOwnership,
reqOrgMembership, reqTeamMembership), each checking the token scope before anything else."""

from __future__ import annotations

from plue_core.accounts import orgs, teams, users, visibility
from plue_core.accounts.models import Account, Team
from plue_core.accounts.schemas.keys import PublicKeySchema
from plue_core.accounts.schemas.orgs import OrganizationSchema, TeamSchema
from plue_core.errors import Forbidden, NotFound
from plue_core.identity import Identity, current_identity, require_identity
from plue_core.pagination import paginate


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


class UsersForViewer:
    """Gitea's ``User`` as ``UserSchema(viewer=..., many=...).dump`` renders it, through the
    accounts service's schema built once per app: building a marshmallow schema per request
    deep-copies its fields, a third of ``GET /api/v1/user`` (issue 13)."""

    def __init__(self, accounts, viewer, many: bool):
        self.accounts, self.viewer, self.many = accounts, viewer, many

    def dump(self, value):
        if self.many:
            return [self.accounts.user_json(account, self.viewer) for account in value]
        return self.accounts.user_json(value, self.viewer)


class AccountsResource:
    def __init__(self, ctx):
        self.ctx = ctx
        self.accounts = ctx.services["accounts"]
        self.settings = self.accounts.settings
        self.base_url = ctx.config.base_url

    # --- serializers --------------------------------------------------------------------------

    def user_schema(self, req, *, many: bool = False) -> UsersForViewer:
        return UsersForViewer(self.accounts, current_identity(req), many)

    def org_schema(self, *, many: bool = False) -> OrganizationSchema:
        return OrganizationSchema(base_url=self.base_url, many=many)

    def team_schema(self, *, many: bool = False) -> TeamSchema:
        return TeamSchema(base_url=self.base_url, many=many)

    def key_schema(self, req, *, many: bool = False) -> PublicKeySchema:
        return PublicKeySchema(base_url=self.base_url, viewer=current_identity(req), many=many)

    def page(self, req, resp, query) -> list:
        return paginate(req, resp, query, self.ctx.config.pagination)

    # --- lookups that hide what the caller may not see ------------------------------------------

    def visible_user(self, identity: Identity | None, username: str, *,
                     organizations_too: bool = False) -> Account:
        user = (users.find_account if organizations_too else users.find_user)(username)
        if user is None or not visibility.can_see(identity, user):
            raise NotFound(f"user {username!r} does not exist")
        return user

    def visible_team(self, identity: Identity, team_id: int) -> Team:
        """Gitea's reqTeamMembership: outsiders of the org get 404; org members may see teams
        that are not private, and private ones only when they are in them (else 403)."""
        team = teams.get_team(team_id)
        org = team.org
        if identity.is_admin or orgs.is_owner(org, identity.user_id):
            return team
        if teams.is_team_member(team, identity.user_id):
            return team
        if orgs.is_member(org, identity.user_id):
            if team.visibility == "private":
                raise Forbidden(f"you must be a member of team {team.name!r}")
            return team
        if team.visibility == "public" and visibility.can_see(identity, org):
            return team
        raise NotFound(f"team {team_id} does not exist")
