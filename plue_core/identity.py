"""Who is calling: the result of the ``authenticate`` hook, on ``req.context.identity``."""

from __future__ import annotations

import dataclasses
from typing import Any

from plue_core.errors import Forbidden, Unauthorized

# Scope areas of Gitea's access tokens (read:<area> / write:<area>).
SCOPE_AREAS = ("activitypub", "admin", "issue", "misc", "notification", "organization",
               "package", "repository", "user")


@dataclasses.dataclass(frozen=True)
class Identity:
    user_id: int
    username: str
    is_admin: bool = False
    # None means unrestricted (password, JWT); a token carries its scopes.
    scopes: frozenset[str] | None = None
    method: str = "password"  # password | token | jwt | ssh | metrics_token (the /metrics scraper)
    role: str = "viewer"      # RunnerHub role: admin | operator | viewer
    # The account row the credential was checked against, loaded once per request: what
    # ``accounts.account_for(identity)`` answers without asking the database again.
    account: Any = dataclasses.field(default=None, compare=False, repr=False)

    def allows(self, access: str, area: str) -> bool:
        """Whether the credential permits ``access`` ("read"/"write") on ``area``."""
        if self.scopes is None or "all" in self.scopes:
            return True
        if f"write:{area}" in self.scopes:
            return True
        return access == "read" and f"read:{area}" in self.scopes

    @property
    def operates_runnerhub(self) -> bool:
        """Whether the RunnerHub role lets the caller run jobs and scans on the hub's own
        resources (``admin`` or ``operator``; site administrators are always ``admin``)."""
        return self.is_admin or self.role in ("admin", "operator")

    @property
    def administers_runnerhub(self) -> bool:
        """RunnerHub ``admin`` (site administrators always are): sees every hub job."""
        return self.is_admin or self.role == "admin"


def current_identity(req) -> Identity | None:
    return getattr(req.context, "identity", None)


def require_identity(req, *, scope: tuple[str, str] | None = None) -> Identity:
    """The caller, or 401; with ``scope=("write", "repository")`` also checks the token scope."""
    identity = current_identity(req)
    if identity is None:
        raise Unauthorized("authentication required: send 'Authorization: token <token>', "
                           "a Bearer JWT, or Basic credentials",
                           headers={"WWW-Authenticate": 'Basic realm="plue"'})
    if scope and not identity.allows(*scope):
        access, area = scope
        raise Forbidden(f"token does not have at least one of required scope(s): "
                        f"[{access}:{area}]")
    return identity


def require_admin(req) -> Identity:
    identity = require_identity(req, scope=("write", "admin") if req.method != "GET" else ("read", "admin"))
    if not identity.is_admin:
        raise Forbidden("you must be a site administrator")
    return identity
