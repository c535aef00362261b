"""Who may manage which hooks, asked of the services that own the rules: a repository's
hooks need admin on it (git_hosting's one access check; 404 when it cannot be seen), an
organization's need an owner of it (or a site admin), ``/user/hooks`` are the caller's own,
system hooks are the site administrators'. Each resolver checks the token scope first."""

from __future__ import annotations

from plue_core.errors import Forbidden, NotFound
from plue_core.identity import require_admin, require_identity

from plue_webhooks.hooks import HookOwner


def _access(req) -> str:
    return "read" if req.method in ("GET", "HEAD") else "write"


def repository_owner(ctx, req, params: dict) -> HookOwner:
    identity = require_identity(req, scope=(_access(req), "repository"))
    access = ctx.services["git_hosting"].require_repository(
        identity, params["owner"], params["repo"], "admin", to="manage its webhooks")
    return HookOwner("repository", repository_id=access.repository.id,
                     repository=access.repository)


def organization_owner(ctx, req, params: dict) -> HookOwner:
    identity = require_identity(req, scope=(_access(req), "organization"))
    accounts = ctx.services["accounts"]
    org = accounts.find_org(params["org"])
    if org is None or not accounts.can_see_account(identity, org):
        raise NotFound(f"organization {params['org']!r} does not exist")
    if not (identity.is_admin or accounts.is_org_owner(org, identity.user_id)):
        raise Forbidden(f"you must be an owner of organization {org.name!r} to manage its webhooks")
    return HookOwner("organization", owner_id=org.id)


def user_owner(ctx, req, params: dict) -> HookOwner:
    identity = require_identity(req, scope=(_access(req), "user"))
    return HookOwner("user", owner_id=identity.user_id)


def system_owner(ctx, req, params: dict) -> HookOwner:
    require_admin(req)
    return HookOwner("system")


RESOLVERS = {"repository": repository_owner, "organization": organization_owner,
             "user": user_owner, "system": system_owner}
