"""Password logins that hand out JWTs: Runner Pilot's ``/auth/*`` and RunnerHub's
``/api/auth/login``. Both resolve to the same accounts as the Gitea API."""

from __future__ import annotations

from marshmallow import RAISE

from plue_core.accounts import naming, users
from plue_core.accounts.resources.common import AccountsResource
from plue_core.accounts.schemas.users import HubLoginRequest, PilotLoginRequest, RegisterRequest
from plue_core.errors import Forbidden, Unauthorized
from plue_core.families import hub_success
from plue_core.identity import require_identity
from plue_core.validation import load_body


def pilot_user(account) -> dict:
    return {"uid": str(account.uid), "full_name": account.full_name, "email": account.email,
            "created_at": account.created_at}


class PilotRegisterResource(AccountsResource):
    def on_post(self, req, resp):
        if not self.accounts.settings["open_registration"]:
            raise Forbidden("registration is closed on this instance; ask an administrator")
        body = load_body(req, RegisterRequest, unknown=RAISE)
        user = users.create_user(
            self.accounts.settings, username=body["username"] or naming.username_from_email(body["email"]),
            email=body["email"], password=body["password"], full_name=body["full_name"],
            first_user_is_admin=True)
        resp.media = pilot_user(user)


class PilotLoginResource(AccountsResource):
    def on_post(self, req, resp):
        body = load_body(req, PilotLoginRequest, unknown=RAISE)
        user = self.accounts.login_with_password(req, body["email"], body["password"])
        if user is None:
            raise Unauthorized("invalid email or password")
        users.touch_last_login(user)
        resp.media = {"access_token": self.accounts.issue_jwt(user, "pilot"), "token_type": "Bearer",
                      "expires_in": self.accounts.jwt_lifetime("pilot")}


class HubLoginResource(AccountsResource):
    def on_post(self, req, resp):
        body = load_body(req, HubLoginRequest)
        user = self.accounts.login_with_password(req, body["username"], body["password"])
        if user is None:
            raise Unauthorized("invalid username or password")
        users.touch_last_login(user)
        ttl = self.accounts.jwt_lifetime("runnerhub")
        token = self.accounts.issue_jwt(user, "runnerhub")
        # The seed's login answer: token, expiresIn ("24h") and user at the top level.
        resp.media = {"success": True, "token": token, "expiresIn": _duration(ttl),
                      "user": hub_user(user)}


class HubMeResource(AccountsResource):
    """``GET /api/auth/me`` (a Plue addition): who the RunnerHub dashboard is talking to, with
    the role that decides what it may do there."""

    def on_get(self, req, resp):
        identity = require_identity(req, scope=("read", "user"))
        resp.media = hub_success(hub_user(self.accounts.account_for(identity)))


def hub_user(user) -> dict:
    return {"id": str(user.id), "username": user.name,
            "role": "admin" if user.is_admin else user.role}


def _duration(seconds: int) -> str:
    """86400 -> "24h", 5400 -> "90m", 45 -> "45s" (the seed's ``expiresIn`` style)."""
    if seconds % 3600 == 0:
        return f"{seconds // 3600}h"
    if seconds % 60 == 0:
        return f"{seconds // 60}m"
    return f"{seconds}s"
