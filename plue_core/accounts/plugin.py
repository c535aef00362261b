"""Accounts: one identity for every API family (users, orgs, teams, tokens, keys, JWT logins)."""

import pathlib

from plue_core import hookimpl
from plue_core.accounts import authentication, models
from plue_core.accounts.resources import logins, tokens, users
from plue_core.accounts.service import AccountsService
from plue_core.accounts.settings import AccountsSettings
from plue_core.routing import Route

PLUE_NAME = "accounts"
V1 = "/api/v1"


@hookimpl
def register_settings():
    return [("accounts", AccountsSettings)]


@hookimpl
def register_models():
    return models.MODELS


@hookimpl
def register_migrations():
    return [(PLUE_NAME, str(pathlib.Path(__file__).parent / "migrations"))]


@hookimpl
def register_services(ctx):
    return [("accounts", AccountsService(ctx))]


@hookimpl
def authenticate(ctx, req):
    return authentication.authenticate_request(ctx.services["accounts"], req)


@hookimpl
def register_routes(ctx):
    return [
        Route(f"{V1}/user", users.CurrentUserResource(ctx)),
        Route(f"{V1}/users/search", users.UserSearchResource(ctx)),
        Route(f"{V1}/users/{{username}}", users.UserResource(ctx)),
        Route(f"{V1}/users/{{username}}/tokens", tokens.TokensResource(ctx)),
        Route(f"{V1}/users/{{username}}/tokens/{{token}}", tokens.TokenResource(ctx)),
        Route("/auth/register", logins.PilotRegisterResource(ctx)),
        Route("/auth/login", logins.PilotLoginResource(ctx)),
        Route("/api/auth/login", logins.HubLoginResource(ctx)),
    ]
