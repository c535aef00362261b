"""SSH public keys: /user/keys, /user/keys/{id}, /users/{username}/keys."""

from __future__ import annotations

import base64
import subprocess

import pytest

from plue_core.testing import basic_auth, make_user, token_auth

ALICE = basic_auth("alice")


@pytest.fixture
def alice(ctx):
    return make_user(ctx, "alice")


def add(client, key, title="laptop", headers=ALICE):
    return client.simulate_post("/api/v1/user/keys", json={"title": title, "key": key},
                                headers=headers)


def ssh_keygen_fingerprint(tmp_path, key: str) -> str:
    path = tmp_path / "key.pub"
    path.write_text(key + "\n")
    out = subprocess.run(["ssh-keygen", "-lf", str(path)], capture_output=True, text=True,
                         check=True).stdout
    return out.split()[1]


def test_adding_an_ed25519_key_returns_gitea_public_key_with_ssh_keygen_fingerprint(
        client, alice, ed25519_key, tmp_path):
    key = ed25519_key("alice@laptop")
    response = add(client, key)
    assert response.status_code == 201
    body = response.json
    assert set(body) >= {"id", "key", "url", "title", "fingerprint", "created_at",
                         "last_used_at", "user", "read_only", "key_type"}
    assert body["key"] == key
    assert body["title"] == "laptop"
    assert body["fingerprint"] == ssh_keygen_fingerprint(tmp_path, key)
    assert body["url"].endswith(f"/api/v1/user/keys/{body['id']}")
    assert body["user"]["login"] == "alice"
    assert body["key_type"] == "user" and body["read_only"] is False


@pytest.mark.parametrize("key_fixture", ["rsa_3072_key", "ecdsa_key"])
def test_rsa_and_ecdsa_keys_are_accepted_with_their_fingerprint(client, alice, request, tmp_path,
                                                                key_fixture):
    key = request.getfixturevalue(key_fixture)
    response = add(client, key)
    assert response.status_code == 201, response.json
    assert response.json["fingerprint"] == ssh_keygen_fingerprint(tmp_path, key)


def test_an_rfc4716_key_is_stored_in_openssh_form(client, alice, ed25519_key, tmp_path):
    openssh = ed25519_key("")
    kind, data = openssh.split()
    rfc4716 = "\n".join(["---- BEGIN SSH2 PUBLIC KEY ----", 'Comment: "alice@desk"',
                         data[:40], data[40:], "---- END SSH2 PUBLIC KEY ----"])
    response = add(client, rfc4716)
    assert response.status_code == 201, response.json
    assert response.json["key"] == f"{kind} {data} alice@desk"
    assert response.json["fingerprint"] == ssh_keygen_fingerprint(tmp_path, openssh)


@pytest.mark.parametrize("garbage, reason", [
    ("", "required"),
    ("not a key at all", "not valid base64"),
    ("ssh-rsa AAAAB3NzaC1yc2EA test@example.com", "not a valid ssh-rsa public key"),
    ("ssh-ed25519 " + base64.b64encode(b"\x00\x00\x00\x0bssh-ed25519\x00\x00\x00\x05short").decode(),
     "not a valid ssh-ed25519"),
    ("-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXk=\n-----END OPENSSH PRIVATE KEY-----",
     "private key"),
])
def test_garbage_is_refused_with_422_naming_the_key(client, alice, garbage, reason):
    response = add(client, garbage)
    assert response.status_code == 422
    assert response.json["message"].startswith("key: ")
    assert reason in response.json["message"]


def test_a_key_whose_declared_type_lies_is_refused(client, alice, ed25519_key):
    data = ed25519_key().split()[1]
    response = add(client, f"ssh-rsa {data}")
    assert response.status_code == 422
    assert "ssh-ed25519" in response.json["message"]


def test_dsa_and_short_rsa_keys_are_refused(client, alice, rsa_2048_key):
    response = add(client, rsa_2048_key)
    assert response.status_code == 422
    assert "at least 3071 bits" in response.json["message"]
    dss_blob = b"".join(len(p).to_bytes(4, "big") + p for p in (b"ssh-dss", b"\x01", b"\x02", b"\x03", b"\x04"))
    response = add(client, "ssh-dss " + base64.b64encode(dss_blob).decode())
    assert response.status_code == 422
    assert "DSA" in response.json["message"]


def test_the_minimum_rsa_size_is_configurable(app_with_plugins, rsa_2048_key):
    app, client = app_with_plugins(accounts={"minimum_rsa_key_bits": 2048})
    make_user(app.plue, "alice")
    assert add(client, rsa_2048_key).status_code == 201


def test_a_key_already_registered_by_anyone_is_refused(client, ctx, alice, ed25519_key):
    make_user(ctx, "bob")
    key = ed25519_key()
    assert add(client, key).status_code == 201
    again = add(client, key, title="other title")
    assert again.status_code == 422
    assert "already been added" in again.json["message"]
    by_bob = add(client, key, headers=basic_auth("bob"))
    assert by_bob.status_code == 422


def test_a_title_is_unique_per_user_and_required(client, alice, ed25519_key):
    assert add(client, ed25519_key()).status_code == 201
    assert add(client, ed25519_key()).status_code == 422  # same title "laptop"
    missing = client.simulate_post("/api/v1/user/keys", json={"key": ed25519_key()}, headers=ALICE)
    assert missing.status_code == 422
    assert "title" in missing.json["message"]


def test_listing_getting_filtering_and_deleting_own_keys(client, alice, ed25519_key):
    first = add(client, ed25519_key(), title="one").json
    second = add(client, ed25519_key(), title="two").json
    listed = client.simulate_get("/api/v1/user/keys", headers=ALICE)
    assert [k["id"] for k in listed.json] == [first["id"], second["id"]]
    assert listed.headers["X-Total-Count"] == "2"
    filtered = client.simulate_get("/api/v1/user/keys", params={"fingerprint": second["fingerprint"]},
                                   headers=ALICE)
    assert [k["title"] for k in filtered.json] == ["two"]
    got = client.simulate_get(f"/api/v1/user/keys/{first['id']}", headers=ALICE)
    assert got.status_code == 200 and got.json["fingerprint"] == first["fingerprint"]
    deleted = client.simulate_delete(f"/api/v1/user/keys/{first['id']}", headers=ALICE)
    assert deleted.status_code == 204 and deleted.text == ""
    assert client.simulate_get(f"/api/v1/user/keys/{first['id']}", headers=ALICE).status_code == 404
    assert client.simulate_delete(f"/api/v1/user/keys/{first['id']}", headers=ALICE).status_code == 404


def test_someone_elses_key_is_404_by_id(client, ctx, alice, ed25519_key):
    make_user(ctx, "bob")
    key_id = add(client, ed25519_key()).json["id"]
    bob = basic_auth("bob")
    assert client.simulate_get(f"/api/v1/user/keys/{key_id}", headers=bob).status_code == 404
    assert client.simulate_delete(f"/api/v1/user/keys/{key_id}", headers=bob).status_code == 404
    assert client.simulate_get(f"/api/v1/user/keys/{key_id}", headers=ALICE).status_code == 200


def test_anyone_lists_a_public_users_keys_but_not_a_private_users(client, ctx, alice, ed25519_key):
    add(client, ed25519_key())
    public = client.simulate_get("/api/v1/users/alice/keys")
    assert public.status_code == 200 and len(public.json) == 1
    assert public.json[0]["user"]["email"] == ""  # no e-mail for anonymous callers
    make_user(ctx, "hidden", visibility="private")
    assert client.simulate_get("/api/v1/users/hidden/keys").status_code == 404
    assert client.simulate_get("/api/v1/users/nobody/keys").status_code == 404


def test_key_routes_need_authentication_and_the_user_scope(client, ctx, alice, ed25519_key):
    assert client.simulate_get("/api/v1/user/keys").status_code == 401
    assert add(client, ed25519_key(), headers={}).status_code == 401
    from plue_core.accounts import users
    from plue_core.db import connection
    with connection(ctx.db):
        _, read_only = users.create_access_token(alice, "read", ["read:user"])
        _, repo_only = users.create_access_token(alice, "repo", ["write:repository"])
    assert client.simulate_get("/api/v1/user/keys", headers=token_auth(read_only)).status_code == 200
    refused = add(client, ed25519_key(), headers=token_auth(read_only))
    assert refused.status_code == 403
    assert "write:user" in refused.json["message"]
    assert client.simulate_get("/api/v1/user/keys", headers=token_auth(repo_only)).status_code == 403
