"""Accounts: one identity for every API family (users, orgs, teams, tokens, keys, JWT logins)."""

import pathlib

from plue_core import hookimpl
from plue_core.accounts import authentication, events, hookspecs, login_throttle, models
from plue_core.accounts.resources import (
    admin, avatars, emails, follows, keys, login_locks, logins, org_members, orgs, pilot, teams,
    tokens, user_settings, users,
)
from plue_core.accounts.service import AccountsService
from plue_core.accounts.settings import AccountsSettings
from plue_core.routing import Route
from plue_core.scheduler import ScheduledJob

PLUE_NAME = "accounts"
V1 = "/api/v1"


@hookimpl
def add_hookspecs(plugin_manager):
    plugin_manager.add_hookspecs(hookspecs)


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
def register_events():
    return [events.AccountDeleted]


@hookimpl
def register_jobs(ctx):
    return [ScheduledJob("accounts.forget_login_failures",
                         lambda ctx: login_throttle.forget_stale(ctx.section("accounts")),
                         "interval", {"minutes": 30})]


@hookimpl
def authenticate(ctx, req):
    return authentication.authenticate_request(ctx.services["accounts"], req)


def _gitea_routes(ctx) -> list[Route]:
    team_member = teams.TeamMemberResource(ctx)
    return [
        Route(f"{V1}/user", users.CurrentUserResource(ctx)),
        Route(f"{V1}/user/keys", keys.CurrentUserKeysResource(ctx)),
        Route(f"{V1}/user/keys/{{key_id:id}}", keys.CurrentUserKeyResource(ctx)),
        Route(f"{V1}/user/emails", emails.CurrentUserEmailsResource(ctx)),
        Route(f"{V1}/user/followers", follows.CurrentUserFollowersResource(ctx)),
        Route(f"{V1}/user/following", follows.CurrentUserFollowingResource(ctx)),
        Route(f"{V1}/user/following/{{username}}", follows.CurrentUserFollowResource(ctx)),
        Route(f"{V1}/user/orgs", orgs.CurrentUserOrgsResource(ctx)),
        Route(f"{V1}/user/settings", user_settings.UserSettingsResource(ctx)),
        Route(f"{V1}/user/teams", teams.CurrentUserTeamsResource(ctx)),
        Route(f"{V1}/users/search", users.UserSearchResource(ctx)),
        Route(f"{V1}/users/{{username}}", users.UserResource(ctx)),
        Route(f"{V1}/users/{{username}}/followers", follows.UserFollowersResource(ctx)),
        Route(f"{V1}/users/{{username}}/following", follows.UserFollowingResource(ctx)),
        Route(f"{V1}/users/{{username}}/following/{{target}}",
              follows.UserCheckFollowingResource(ctx)),
        Route(f"{V1}/users/{{username}}/keys", keys.UserKeysResource(ctx)),
        Route(f"{V1}/users/{{username}}/orgs", orgs.UserOrgsResource(ctx)),
        Route(f"{V1}/users/{{username}}/orgs/{{org}}/permissions",
              orgs.UserOrgPermissionsResource(ctx)),
        Route(f"{V1}/users/{{username}}/tokens", tokens.TokensResource(ctx)),
        Route(f"{V1}/users/{{username}}/tokens/{{token}}", tokens.TokenResource(ctx)),
        Route(f"{V1}/orgs", orgs.OrgsResource(ctx)),
        Route(f"{V1}/orgs/{{org}}", orgs.OrgResource(ctx)),
        Route(f"{V1}/orgs/{{org}}/members", org_members.MembersResource(ctx)),
        Route(f"{V1}/orgs/{{org}}/members/{{username}}", org_members.MemberResource(ctx)),
        Route(f"{V1}/orgs/{{org}}/public_members", org_members.PublicMembersResource(ctx)),
        Route(f"{V1}/orgs/{{org}}/public_members/{{username}}",
              org_members.PublicMemberResource(ctx)),
        Route(f"{V1}/orgs/{{org}}/teams", teams.OrgTeamsResource(ctx)),
        Route(f"{V1}/orgs/{{org}}/teams/search", teams.OrgTeamSearchResource(ctx)),
        Route(f"{V1}/teams/{{team_id:id}}", teams.TeamResource(ctx)),
        Route(f"{V1}/teams/{{team_id:id}}/members", teams.TeamMembersResource(ctx)),
        Route(f"{V1}/teams/{{team_id:id}}/members/{{username}}", team_member),
        Route(f"{V1}/admin/users", admin.AdminUsersResource(ctx)),
        Route(f"{V1}/admin/users/{{username}}", admin.AdminUserResource(ctx)),
        Route(f"{V1}/admin/users/{{username}}/keys", admin.AdminUserKeysResource(ctx)),
        Route(f"{V1}/admin/users/{{username}}/keys/{{key_id:id}}", admin.AdminUserKeyResource(ctx)),
        Route(f"{V1}/admin/users/{{username}}/orgs", admin.AdminUserOrgsResource(ctx)),
        Route(f"{V1}/admin/orgs", admin.AdminOrgsResource(ctx)),
        Route(f"{V1}/admin/emails", emails.AdminAllEmailsResource(ctx)),
        Route(f"{V1}/admin/emails/search", emails.AdminSearchEmailsResource(ctx)),
        Route(f"{V1}/admin/login_locks", login_locks.LoginLocksResource(ctx)),
    ]


def _pilot_routes(ctx) -> list[Route]:
    return [
        Route("/auth/register", logins.PilotRegisterResource(ctx)),
        Route("/auth/login", logins.PilotLoginResource(ctx)),
        Route("/onboarding", pilot.OnboardingResource(ctx)),
        Route("/common/me", pilot.MeResource(ctx)),
        Route("/org", pilot.PilotOrgsResource(ctx)),
        Route("/org/{org_id}", pilot.PilotOrgResource(ctx)),
    ]


@hookimpl
def register_routes(ctx):
    return [
        *_gitea_routes(ctx),
        *_pilot_routes(ctx),
        Route("/api/auth/login", logins.HubLoginResource(ctx)),
        Route("/api/auth/me", logins.HubMeResource(ctx)),
        Route("/avatars/{digest}", avatars.AvatarResource(ctx)),
    ]
