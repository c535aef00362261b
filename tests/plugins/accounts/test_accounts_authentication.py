"""Credentials: access tokens, every Authorization form, JWTs, and one identity across the
Gitea, Runner Pilot and RunnerHub families (login throttling: test_login_throttle.py)."""

from __future__ import annotations

import base64
import datetime

import jwt
import pytest

from plue_core.accounts import credentials
from plue_core.testing import DEFAULT_PASSWORD, basic_auth, make_user, token_auth


def make_token(client, who="alice", scopes=("all",), name="ci"):
    response = client.simulate_post(f"/api/v1/users/{who}/tokens", json={"name": name, "scopes": list(scopes)},
                                    headers=basic_auth(who))
    assert response.status_code == 201, response.json
    return response.json


# --- access tokens -----------------------------------------------------------------------------


def test_a_token_is_shown_once_on_creation_and_never_again(client, ctx):
    make_user(ctx, "alice")
    created = make_token(client, scopes=["write:repository", "read:user"])
    assert len(created["sha1"]) == 40
    assert created["token_last_eight"] == created["sha1"][-8:]
    assert created["scopes"] == ["read:user", "write:repository"]
    listed = client.simulate_get("/api/v1/users/alice/tokens", headers=basic_auth("alice")).json
    assert [(t["name"], t["sha1"]) for t in listed] == [("ci", "")]


def test_tokens_are_managed_with_the_password_not_with_a_token(client, ctx):
    make_user(ctx, "alice")
    token = make_token(client)["sha1"]
    refused = client.simulate_post("/api/v1/users/alice/tokens", json={"name": "more", "scopes": ["all"]},
                                   headers=token_auth(token))
    assert refused.status_code == 401
    assert "Basic" in refused.json["message"]


def test_tokens_of_someone_else_are_forbidden(client, ctx):
    make_user(ctx, "alice")
    make_user(ctx, "bob")
    assert client.simulate_get("/api/v1/users/alice/tokens", headers=basic_auth("bob")).status_code == 403
    assert client.simulate_get("/api/v1/users/nobody/tokens", headers=basic_auth("bob")).status_code == 404


@pytest.mark.parametrize("body, status, text", [
    # Gitea's CreateAccessToken: scopes missing or unknown are 400; a missing name fails its
    # form binding, 422.
    ({"name": "x", "scopes": []}, 400, "must have a scope"),
    ({"name": "x", "scopes": ["write:everything"]}, 400, "write:everything"),
    ({"scopes": ["all"]}, 422, "name"),
])
def test_bad_token_requests_are_refused_as_gitea_refuses_them(client, ctx, body, status, text):
    make_user(ctx, "alice")
    response = client.simulate_post("/api/v1/users/alice/tokens", json=body, headers=basic_auth("alice"))
    assert response.status_code == status
    assert text in response.json["message"]


def test_a_token_name_is_unique_and_tokens_are_revoked_by_name_or_id(client, ctx):
    make_user(ctx, "alice")
    first = make_token(client, name="one")
    second = make_token(client, name="two")
    assert client.simulate_post("/api/v1/users/alice/tokens", json={"name": "one", "scopes": ["all"]},
                                headers=basic_auth("alice")).status_code == 400
    assert client.simulate_delete("/api/v1/users/alice/tokens/one",
                                  headers=basic_auth("alice")).status_code == 204
    assert client.simulate_delete(f"/api/v1/users/alice/tokens/{second['id']}",
                                  headers=basic_auth("alice")).status_code == 204
    assert client.simulate_get("/api/v1/user", headers=token_auth(first["sha1"])).status_code == 401
    assert client.simulate_delete("/api/v1/users/alice/tokens/one",
                                  headers=basic_auth("alice")).status_code == 404


# --- every way to send a credential --------------------------------------------------------------


def test_every_credential_form_reaches_the_same_user(client, ctx):
    make_user(ctx, "alice")
    token = make_token(client)["sha1"]
    jwt_token = client.simulate_post("/auth/login", json={"email": "alice@example.com",
                                                          "password": DEFAULT_PASSWORD}).json["access_token"]
    as_basic_token = base64.b64encode(f"alice:{token}".encode()).decode()
    token_as_user = base64.b64encode(f"{token}:x-oauth-basic".encode()).decode()
    token_no_password = base64.b64encode(f"{token}:".encode()).decode()
    forms = [
        {"headers": {"Authorization": f"token {token}"}},
        {"headers": {"Authorization": f"TOKEN {token}"}},
        {"headers": {"Authorization": f"Bearer {token}"}},
        {"headers": {"Authorization": f"bearer {jwt_token}"}},
        {"headers": basic_auth("alice")},
        {"headers": basic_auth("alice@example.com")},
        {"headers": {"Authorization": f"Basic {as_basic_token}"}},
        {"headers": {"Authorization": f"Basic {token_as_user}"}},
        {"headers": {"Authorization": f"Basic {token_no_password}"}},
        {"params": {"token": token}},
        {"params": {"access_token": token}},
    ]
    for form in forms:
        response = client.simulate_get("/api/v1/user", **form)
        assert response.status_code == 200, (form, response.json)
        assert response.json["login"] == "alice"


@pytest.mark.parametrize("headers, text", [
    ({"Authorization": "token " + "0" * 40}, "invalid access token"),
    ({"Authorization": "Bearer not.a.jwt"}, "invalid token"),
    ({"Authorization": "Digest abc"}, "unsupported Authorization header"),
    ({"Authorization": "Basic !!!"}, "malformed Basic credentials"),
    (basic_auth("alice", "wrong-password"), "user name or password is incorrect"),
])
def test_wrong_credentials_are_401_with_a_clear_message(client, ctx, headers, text):
    make_user(ctx, "alice")
    response = client.simulate_get("/api/v1/user", headers=headers)
    assert response.status_code == 401
    assert text in response.json["message"]


def test_missing_credentials_where_required_are_401_in_each_family(client):
    assert client.simulate_get("/api/v1/user").status_code == 401
    pilot = client.simulate_get("/common/me")
    assert pilot.status_code == 401 and "error" in pilot.json
    hub = client.simulate_get("/api/auth/me")
    assert hub.status_code == 401
    assert hub.json["success"] is False and hub.json["error"]["code"] == "AUTHENTICATION_REQUIRED"


def test_expired_tampered_and_unsigned_jwts_are_refused(client, ctx):
    alice = make_user(ctx, "alice")
    key = credentials._jwt_key(ctx.secret_key)
    now = datetime.datetime.now(datetime.timezone.utc)
    expired = jwt.encode({"sub": str(alice.id), "iss": "plue", "iat": now - datetime.timedelta(hours=2),
                          "exp": now - datetime.timedelta(hours=1)}, key, algorithm="HS256")
    response = client.simulate_get("/api/v1/user", headers={"Authorization": f"Bearer {expired}"})
    assert response.status_code == 401 and "expired" in response.json["message"]
    forged = jwt.encode({"sub": str(alice.id), "iss": "plue", "iat": now,
                         "exp": now + datetime.timedelta(hours=1)}, b"not-the-server-key-but-32-bytes!!", algorithm="HS256")
    assert client.simulate_get("/api/v1/user",
                               headers={"Authorization": f"Bearer {forged}"}).status_code == 401
    unsigned = jwt.encode({"sub": str(alice.id), "iss": "plue", "iat": now,
                           "exp": now + datetime.timedelta(hours=1)}, None, algorithm="none")
    assert client.simulate_get("/api/v1/user",
                               headers={"Authorization": f"Bearer {unsigned}"}).status_code == 401


def test_a_disabled_account_cannot_log_in_anywhere(client, ctx):
    make_user(ctx, "root", admin=True)
    make_user(ctx, "alice")
    token = make_token(client)["sha1"]
    client.simulate_patch("/api/v1/admin/users/alice", json={"prohibit_login": True},
                          headers=basic_auth("root"))
    assert client.simulate_get("/api/v1/user", headers=basic_auth("alice")).status_code == 401
    assert client.simulate_get("/api/v1/user", headers=token_auth(token)).status_code == 401
    assert client.simulate_post("/api/auth/login", json={"username": "alice",
                                                          "password": DEFAULT_PASSWORD}).status_code == 401


# --- one identity across the families ---------------------------------------------------------------


def test_a_pilot_registration_works_in_every_family_with_one_token(client):
    registered = client.simulate_post("/auth/register", json={
        "full_name": "John Doe", "email": "john.doe@example.com", "password": "strongpassword"})
    assert registered.status_code == 200
    assert set(registered.json) == {"uid", "full_name", "email", "created_at"}
    # The first account of an instance is its administrator; a second one is not.
    second = client.simulate_post("/auth/register", json={
        "full_name": "Jane", "email": "jane@example.com", "password": "strongpassword"})
    assert second.status_code == 200

    pilot = client.simulate_post("/auth/login", json={"email": "jane@example.com",
                                                      "password": "strongpassword"})
    assert pilot.status_code == 200
    assert (pilot.json["token_type"], pilot.json["expires_in"]) == ("Bearer", 3600)  # seed 001
    hub = client.simulate_post("/api/auth/login", json={"username": "jane", "password": "strongpassword"})
    assert hub.status_code == 200
    assert hub.json["success"] is True and hub.json["expiresIn"] == "24h"
    assert hub.json["user"]["username"] == "jane" and hub.json["user"]["role"] == "viewer"
    gitea = client.simulate_get("/api/v1/user", headers=basic_auth("jane", "strongpassword"))
    assert gitea.status_code == 200 and gitea.json["is_admin"] is False

    token = client.simulate_post("/api/v1/users/jane/tokens", json={"name": "all", "scopes": ["all"]},
                                 headers=basic_auth("jane", "strongpassword")).json["sha1"]
    for path, read in [("/api/v1/user", lambda b: b["login"]),
                       ("/common/me", lambda b: b["email"].split("@")[0]),
                       ("/api/auth/me", lambda b: b["data"]["username"])]:
        for credential in (token_auth(token), {"Authorization": f"Bearer {token}"},
                           {"Authorization": f"Bearer {pilot.json['access_token']}"},
                           {"Authorization": f"Bearer {hub.json['token']}"}):
            response = client.simulate_get(path, headers=credential)
            assert response.status_code == 200, (path, credential, response.json)
            assert read(response.json) == "jane"
    john = client.simulate_get("/api/v1/users/john.doe", headers=token_auth(token))
    assert john.status_code == 200 and john.json["is_admin"] is True


def test_registration_can_be_closed(app_with_plugins):
    _, client = app_with_plugins(accounts={"open_registration": False})
    response = client.simulate_post("/auth/register", json={"email": "x@example.com",
                                                            "password": "strongpassword"})
    assert response.status_code == 403
    assert "registration is closed" in response.json["error"]


def test_pilot_registration_validates_and_derives_free_usernames(client, ctx):
    make_user(ctx, "john", email="other@example.com")
    bad = client.simulate_post("/auth/register", json={"email": "nope", "password": "strongpassword"})
    assert bad.status_code == 422 and "email" in bad.json["error"]
    short = client.simulate_post("/auth/register", json={"email": "j@example.com", "password": "x"})
    assert short.status_code == 422 and "at least 8" in short.json["error"]
    client.simulate_post("/auth/register", json={"email": "john@example.com", "password": "strongpassword"})
    assert client.simulate_get("/api/v1/users/john1").status_code == 200
    taken = client.simulate_post("/auth/register", json={"email": "john@example.com",
                                                         "password": "strongpassword"})
    assert taken.status_code == 422 and "already used" in taken.json["error"]


def test_a_password_longer_than_bcrypt_reads_is_refused_not_a_server_error(client):
    too_long = client.simulate_post("/auth/register", json={"email": "long@example.com",
                                                            "password": "x" * 73})
    assert too_long.status_code == 422 and "at most 72 bytes" in too_long.json["error"]
    # 72 bytes of multi-byte characters are fewer characters: bytes are what bcrypt counts.
    wide = client.simulate_post("/auth/register", json={"email": "wide@example.com",
                                                        "password": "\u00e9" * 37})
    assert wide.status_code == 422 and "at most 72 bytes" in wide.json["error"]
    fits = client.simulate_post("/auth/register", json={"email": "fits@example.com",
                                                        "password": "x" * 72})
    assert fits.status_code == 200, fits.json


def test_a_login_name_longer_than_any_account_is_a_failed_login_not_a_server_error(client):
    # The failure is counted under a key that fits the throttle table (PostgreSQL checks lengths).
    for name in ("x" * 1000, "\u00e9" * 300):
        pilot = client.simulate_post("/auth/login", json={"email": name, "password": "whatever1"})
        assert pilot.status_code == 401 and "error" in pilot.json
        hub = client.simulate_post("/api/auth/login", json={"username": name, "password": "whatever1"})
        assert hub.status_code == 401 and hub.json["error"]["code"] == "AUTHENTICATION_REQUIRED"
