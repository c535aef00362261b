"""The authorization matrix: every accounts endpoint, called by an anonymous client, another
user (carol), an org member (bob), the owner (alice: owner of the org, or of the user
resource) and a site admin (root), with the exact status each must get.

Every response of the matrix is also scanned for secrets: no password hash, no token hash,
never the bcrypt marker "$2b$".
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Callable

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from plue_core.accounts import orgs, ssh_keys, teams, users
from plue_core.accounts.models import AccessToken, Account
from plue_core.db import connection
from plue_core.testing import DEFAULT_PASSWORD, make_user

ROLES = (None, "carol", "bob", "alice", "root")
_fresh = itertools.count(1)


def fresh(prefix: str) -> str:
    return f"{prefix}{next(_fresh)}"


def new_public_key() -> str:
    return ed25519.Ed25519PrivateKey.generate().public_key().public_bytes(
        serialization.Encoding.OpenSSH, serialization.PublicFormat.OpenSSH).decode()


@dataclasses.dataclass
class Case:
    method: str
    path: str
    expected: tuple[int, int, int, int, int]  # anonymous, other, member, owner, admin
    body: Callable[[], dict] | dict | None = None
    setup: Callable | None = None  # (world, role) -> path parameters, before each call

    def json(self):
        return self.body() if callable(self.body) else self.body


# --- per-call fixtures: fresh things to change or delete ---------------------------------------


def _alice_key(world, role):
    alice = users.get_user("alice")
    return {"key_id": ssh_keys.add_key(world.ctx.section("accounts"), alice, title=fresh("k"),
                                       key=new_public_key()).id}


def _alice_token(world, role):
    row, _ = users.create_access_token(users.get_user("alice"), fresh("t"), ["all"])
    return {"token_id": row.id}


def _org_with_member(visibility):
    def setup(world, role):
        org = orgs.create_org(users.get_user("alice"), name=fresh("org"), visibility=visibility)
        team = teams.create_team(org, name="crew", visibility="limited")
        teams.add_team_member(team, users.get_user("bob"))
        return {"org": org.name}
    return setup


def _acme_member_to_remove(world, role):
    user = make_user(world.ctx, fresh("m"))
    teams.add_team_member(teams.get_team(world.devs_team_id), user)
    return {"username": user.name}


def _devs(world, role):
    return {"team_id": world.devs_team_id}


def _private_team(world, role):
    team = teams.create_team(orgs.get_org("acme"), name=fresh("hidden"), visibility="private")
    return {"team_id": team.id}


def _fresh_user(world, role):
    return {"team_id": world.devs_team_id, "username": make_user(world.ctx, fresh("u")).name}


def _fresh_devs_member(world, role):
    params = _fresh_user(world, role)
    teams.add_team_member(teams.get_team(params["team_id"]), users.get_user(params["username"]))
    return params


def _fresh_team(world, role):
    return {"team_id": teams.create_team(orgs.get_org("acme"), name=fresh("team")).id}


def _me(world, role):
    return {"me": role or "anybody"}


def _doomed_user(world, role):
    return {"username": make_user(world.ctx, fresh("gone")).name}


def _carol_key(world, role):
    carol = users.get_user("carol")
    return {"key_id": ssh_keys.add_key(world.ctx.section("accounts"), carol, title=fresh("k"),
                                       key=new_public_key()).id}


def _vault(world, role):
    return {"uid": str(orgs.get_org("vault").uid)}


CASES = {
    # users
    "get current user": Case("GET", "/api/v1/user", (401, 200, 200, 200, 200)),
    "get a user": Case("GET", "/api/v1/users/alice", (200, 200, 200, 200, 200)),
    "search users": Case("GET", "/api/v1/users/search", (200, 200, 200, 200, 200)),
    "list a user's keys": Case("GET", "/api/v1/users/alice/keys", (200, 200, 200, 200, 200)),
    # following ("hermit" is a private user: matrix_world)
    "list own followers": Case("GET", "/api/v1/user/followers", (401, 200, 200, 200, 200)),
    "list whom one follows": Case("GET", "/api/v1/user/following", (401, 200, 200, 200, 200)),
    "check following": Case("GET", "/api/v1/user/following/alice", (401, 404, 404, 404, 404)),
    "follow": Case("PUT", "/api/v1/user/following/alice", (401, 204, 204, 204, 204)),
    "follow a private user": Case("PUT", "/api/v1/user/following/hermit", (401, 404, 404, 404, 204)),
    "unfollow": Case("DELETE", "/api/v1/user/following/alice", (401, 204, 204, 204, 204)),
    "list a user's followers": Case("GET", "/api/v1/users/alice/followers", (200, 200, 200, 200, 200)),
    "list a private user's followers": Case("GET", "/api/v1/users/hermit/followers",
                                            (404, 404, 404, 404, 200)),
    "list whom a user follows": Case("GET", "/api/v1/users/alice/following", (200, 200, 200, 200, 200)),
    "check a user following": Case("GET", "/api/v1/users/alice/following/bob", (404, 404, 404, 404, 404)),
    "check a private user following": Case("GET", "/api/v1/users/hermit/following/alice",
                                           (404, 404, 404, 404, 404)),
    # e-mail addresses
    "list own emails": Case("GET", "/api/v1/user/emails", (401, 200, 200, 200, 200)),
    "add emails": Case("POST", "/api/v1/user/emails", (401, 201, 201, 201, 201),
                       body=lambda: {"emails": [f"{fresh('e')}@example.org"]}),
    "delete emails": Case("DELETE", "/api/v1/user/emails", (401, 204, 204, 204, 204),
                          body={"emails": []}),
    # settings
    "get own settings": Case("GET", "/api/v1/user/settings", (401, 200, 200, 200, 200)),
    "change own settings": Case("PATCH", "/api/v1/user/settings", (401, 200, 200, 200, 200),
                                body={"theme": "gitea-dark"}),
    # keys
    "list own keys": Case("GET", "/api/v1/user/keys", (401, 200, 200, 200, 200)),
    "add a key": Case("POST", "/api/v1/user/keys", (401, 201, 201, 201, 201),
                      body=lambda: {"title": fresh("k"), "key": new_public_key()}),
    "get a key": Case("GET", "/api/v1/user/keys/{key_id}", (401, 404, 404, 200, 404), setup=_alice_key),
    "delete a key": Case("DELETE", "/api/v1/user/keys/{key_id}", (401, 404, 404, 204, 404), setup=_alice_key),
    # tokens
    "list tokens": Case("GET", "/api/v1/users/alice/tokens", (401, 403, 403, 200, 200)),
    "create a token": Case("POST", "/api/v1/users/alice/tokens", (401, 403, 403, 201, 201),
                           body=lambda: {"name": fresh("t"), "scopes": ["read:user"]}),
    "delete a token": Case("DELETE", "/api/v1/users/alice/tokens/{token_id}", (401, 403, 403, 204, 204),
                           setup=_alice_token),
    # organizations
    "list orgs": Case("GET", "/api/v1/orgs", (200, 200, 200, 200, 200)),
    "create an org": Case("POST", "/api/v1/orgs", (401, 201, 201, 201, 201),
                          body=lambda: {"username": fresh("neworg")}),
    "get a public org": Case("GET", "/api/v1/orgs/acme", (200, 200, 200, 200, 200)),
    "get a private org": Case("GET", "/api/v1/orgs/vault", (404, 404, 200, 200, 200)),
    "edit a public org": Case("PATCH", "/api/v1/orgs/acme", (401, 403, 403, 200, 200), body={"location": "x"}),
    "edit a private org": Case("PATCH", "/api/v1/orgs/vault", (401, 404, 403, 200, 200), body={"location": "x"}),
    "delete a public org": Case("DELETE", "/api/v1/orgs/{org}", (401, 403, 403, 204, 204),
                                setup=_org_with_member("public")),
    "delete a private org": Case("DELETE", "/api/v1/orgs/{org}", (401, 404, 403, 204, 204),
                                 setup=_org_with_member("private")),
    "list members": Case("GET", "/api/v1/orgs/acme/members", (401, 200, 200, 200, 200)),
    "list members of a private org": Case("GET", "/api/v1/orgs/vault/members", (401, 404, 200, 200, 200)),
    "check a member": Case("GET", "/api/v1/orgs/acme/members/bob", (401, 303, 204, 204, 204)),
    "remove a member": Case("DELETE", "/api/v1/orgs/acme/members/{username}", (401, 403, 403, 204, 204),
                            setup=_acme_member_to_remove),
    "list public members": Case("GET", "/api/v1/orgs/acme/public_members", (200, 200, 200, 200, 200)),
    "check a public member": Case("GET", "/api/v1/orgs/acme/public_members/alice", (204, 204, 204, 204, 204)),
    "publicize own membership": Case("PUT", "/api/v1/orgs/acme/public_members/{me}",
                                     (401, 403, 204, 204, 404), setup=_me),
    "conceal own membership": Case("DELETE", "/api/v1/orgs/acme/public_members/{me}",
                                   (401, 403, 204, 204, 404), setup=_me),
    "list own orgs": Case("GET", "/api/v1/user/orgs", (401, 200, 200, 200, 200)),
    "list a user's orgs": Case("GET", "/api/v1/users/bob/orgs", (401, 200, 200, 200, 200)),
    "org permissions of a user": Case("GET", "/api/v1/users/bob/orgs/acme/permissions",
                                      (401, 200, 200, 200, 200)),
    # teams
    "list teams": Case("GET", "/api/v1/orgs/acme/teams", (401, 403, 200, 200, 200)),
    "create a team": Case("POST", "/api/v1/orgs/acme/teams", (401, 403, 403, 201, 201),
                          body=lambda: {"name": fresh("team")}),
    "search teams": Case("GET", "/api/v1/orgs/acme/teams/search", (401, 403, 200, 200, 200)),
    "get a limited team": Case("GET", "/api/v1/teams/{team_id}", (401, 404, 200, 200, 200), setup=_devs),
    "get a private team": Case("GET", "/api/v1/teams/{team_id}", (401, 404, 403, 200, 200), setup=_private_team),
    "edit a team": Case("PATCH", "/api/v1/teams/{team_id}", (401, 403, 403, 200, 200),
                        body={"description": "x"}, setup=_devs),
    "delete a team": Case("DELETE", "/api/v1/teams/{team_id}", (401, 403, 403, 204, 204), setup=_fresh_team),
    "list team members": Case("GET", "/api/v1/teams/{team_id}/members", (401, 404, 200, 200, 200), setup=_devs),
    "get a team member": Case("GET", "/api/v1/teams/{team_id}/members/bob", (401, 404, 200, 200, 200),
                              setup=_devs),
    "add a team member": Case("PUT", "/api/v1/teams/{team_id}/members/{username}", (401, 403, 403, 204, 204),
                              setup=_fresh_user),
    "remove a team member": Case("DELETE", "/api/v1/teams/{team_id}/members/{username}",
                                 (401, 403, 403, 204, 204), setup=_fresh_devs_member),
    "list own teams": Case("GET", "/api/v1/user/teams", (401, 200, 200, 200, 200)),
    # administration
    "admin: search users": Case("GET", "/api/v1/admin/users", (401, 403, 403, 403, 200)),
    "admin: create a user": Case("POST", "/api/v1/admin/users", (401, 403, 403, 403, 201),
                                 body=lambda: {"username": (n := fresh("new")), "password": DEFAULT_PASSWORD,
                                               "email": f"{n}@example.com"}),
    "admin: edit a user": Case("PATCH", "/api/v1/admin/users/carol", (401, 403, 403, 403, 200),
                               body={"location": "x"}),
    "admin: delete a user": Case("DELETE", "/api/v1/admin/users/{username}", (401, 403, 403, 403, 204),
                                 setup=_doomed_user),
    "admin: add a key": Case("POST", "/api/v1/admin/users/carol/keys", (401, 403, 403, 403, 201),
                             body=lambda: {"title": fresh("k"), "key": new_public_key()}),
    "admin: delete a key": Case("DELETE", "/api/v1/admin/users/carol/keys/{key_id}", (401, 403, 403, 403, 204),
                                setup=_carol_key),
    "admin: list orgs": Case("GET", "/api/v1/admin/orgs", (401, 403, 403, 403, 200)),
    "admin: list a user's orgs": Case("GET", "/api/v1/admin/users/carol/orgs", (401, 403, 403, 403, 200)),
    "admin: create an org for a user": Case("POST", "/api/v1/admin/users/carol/orgs", (401, 403, 403, 403, 201),
                                            body=lambda: {"username": fresh("adminorg")}),
    "admin: list emails": Case("GET", "/api/v1/admin/emails", (401, 403, 403, 403, 200)),
    "admin: search emails": Case("GET", "/api/v1/admin/emails/search", (401, 403, 403, 403, 200)),
    "admin: list login locks": Case("GET", "/api/v1/admin/login_locks", (401, 403, 403, 403, 200)),
    "admin: clear login locks": Case("DELETE", "/api/v1/admin/login_locks", (401, 403, 403, 403, 204)),
    # Runner Pilot
    "pilot: me": Case("GET", "/common/me", (401, 200, 200, 200, 200)),
    "pilot: onboarding": Case("POST", "/onboarding", (401, 200, 409, 409, 200),
                              body=lambda: {"organization": {"name": fresh("Onboard ")}}),
    "pilot: list orgs": Case("GET", "/org", (401, 200, 200, 200, 200)),
    "pilot: create an org": Case("POST", "/org", (401, 200, 200, 200, 200),
                                 body=lambda: {"name": fresh("Pilot Org ")}),
    "pilot: get an org": Case("GET", "/org/{uid}", (401, 404, 200, 200, 200), setup=_vault),
    "pilot: update an org": Case("PUT", "/org/{uid}", (401, 404, 403, 200, 200), body={"short_name": "V"},
                                 setup=_vault),
    # RunnerHub
    "runnerhub: me": Case("GET", "/api/auth/me", (401, 200, 200, 200, 200)),
    # an avatar_url: public, as Gitea's
    "avatar": Case("GET", "/avatars/{digest}", (200, 200, 200, 200, 200),
                   setup=lambda world, role: {"digest": "0123456789abcdef0123456789abcdef"}),
}


@pytest.fixture
def matrix_world(world):
    """The shared world plus a private org "vault" (alice owns it, bob is in its "crew" team),
    bob's public membership of acme and an access token, so hashes exist to leak; and "hermit",
    a private user who shares no organization (only admins see them)."""
    ctx = world.ctx
    with connection(ctx.db):
        alice, bob = users.get_user("alice"), users.get_user("bob")
        vault = orgs.create_org(alice, name="vault", visibility="private")
        teams.add_team_member(teams.create_team(vault, name="crew", visibility="limited"), bob)
        orgs.set_membership_public(orgs.get_org("acme"), alice, True)
        users.create_access_token(alice, "existing", ["all"])
    make_user(ctx, "hermit", visibility="private")
    return world


def _secrets(ctx) -> list[str]:
    with connection(ctx.db):
        hashes = [a.password_hash for a in Account.select() if a.password_hash]
        hashes += [t.token_hash for t in AccessToken.select()]
    return hashes


@pytest.mark.parametrize("name", list(CASES))
def test_authorization_matrix(matrix_world, name):
    case = CASES[name]
    client, ctx = matrix_world.client, matrix_world.ctx
    got, bodies = [], []
    for role in ROLES:
        params = {}
        if case.setup is not None:
            with connection(ctx.db):
                params = case.setup(matrix_world, role)
        response = client.simulate_request(case.method, case.path.format(**params),
                                           json=case.json(), headers=matrix_world.auth(role))
        got.append(response.status_code)
        bodies.append(response.content.decode(errors="replace"))  # an avatar is a PNG
    assert tuple(got) == case.expected, dict(zip(("anonymous", "other", "member", "owner", "admin"), got, strict=True))
    secrets = _secrets(ctx)
    assert secrets, "the world must hold hashes for this check to mean anything"
    for body in bodies:
        assert "$2b$" not in body
        assert not any(secret in body for secret in secrets)


def test_the_matrix_covers_every_accounts_route(ctx):
    """A new accounts route must get a row above."""
    covered = {(case.method, _shape(case.path)) for case in CASES.values()}
    login_routes = {"/auth/register", "/auth/login", "/api/auth/login"}
    missing = []
    for plugin, route in ctx.routes:
        if plugin != "accounts" or route.path in login_routes:
            continue
        for method in ("GET", "POST", "PUT", "PATCH", "DELETE"):
            if hasattr(route.resource, f"on_{method.lower()}") and \
                    (method, _shape(route.path)) not in covered:
                missing.append((method, route.path))
    assert missing == []


_FIXED_SEGMENTS = {"api", "v1", "user", "users", "keys", "followers", "following", "emails", "settings", "orgs", "members", "public_members",
                   "teams", "search", "tokens", "admin", "permissions", "common", "me", "org",
                   "onboarding", "auth", "login_locks"}


def _shape(path: str) -> str:
    """/api/v1/users/alice/keys and /api/v1/users/{username}/keys -> the same shape."""
    return "/".join(p if p in _FIXED_SEGMENTS else "*" for p in path.split("/") if p)


def test_logins_never_return_hashes(matrix_world):
    client = matrix_world.client
    responses = [
        client.simulate_post("/auth/login", json={"email": "alice@example.com", "password": DEFAULT_PASSWORD}),
        client.simulate_post("/api/auth/login", json={"username": "alice", "password": DEFAULT_PASSWORD}),
        client.simulate_post("/auth/register", json={"email": "new@example.com", "password": DEFAULT_PASSWORD}),
    ]
    secrets = _secrets(matrix_world.ctx)
    for response in responses:
        assert response.status_code == 200
        assert "$2b$" not in response.text
        assert not any(secret in response.text for secret in secrets)
