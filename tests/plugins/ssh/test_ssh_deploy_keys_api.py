"""Gitea's deploy key endpoints (``/repos/{owner}/{repo}/keys``): the DeployKey shape, admin
only, read-only by default, Gitea's 422s, a user key never a deploy key and back, and
``ssh_url`` filled as Gitea composes it (empty when the ssh plugin is disabled)."""

from __future__ import annotations

import subprocess

import falcon.testing
import pytest

from plue_core.testing import UserApi, make_user


class World(UserApi):
    default_user = "alice"

    def __init__(self, ctx, client):
        self.ctx, self.client = ctx, client


@pytest.fixture
def world(ctx, client) -> World:
    for name in ("alice", "bob", "carol"):
        make_user(ctx, name)
    world = World(ctx, client)
    assert world.post("/user/repos", {"name": "app", "private": True}).status_code == 201
    assert world.put("/repos/alice/app/collaborators/bob", {"permission": "write"}).status_code == 204
    return world


def public_key(tmp_path, name: str = "deploy", kind: str = "ed25519") -> str:
    path = tmp_path / name
    subprocess.run(["ssh-keygen", "-q", "-t", kind, "-N", "", "-C", f"{name}@ci", "-f", str(path)],
                   check=True)
    return path.with_suffix(".pub").read_text().strip()


def fingerprint_of(key: str) -> str:
    listed = subprocess.run(["ssh-keygen", "-lf", "-"], input=key, capture_output=True, text=True,
                            check=True)
    return listed.stdout.split()[1]


def test_a_deploy_key_is_added_listed_got_and_deleted_in_gitea_shape(world, tmp_path):
    key = public_key(tmp_path)
    created = world.post("/repos/alice/app/keys", {"title": "ci", "key": key})
    assert created.status_code == 201, created.text
    body = created.json
    assert set(body) == {"id", "key_id", "key", "url", "title", "fingerprint", "created_at",
                         "read_only", "repository"}
    assert body["read_only"] is True  # Gitea's default for deploy keys
    assert body["fingerprint"] == fingerprint_of(key) and body["key"] == key
    assert body["url"].endswith(f"/api/v1/repos/alice/app/keys/{body['id']}")
    assert body["repository"]["full_name"] == "alice/app" and body["title"] == "ci"
    assert body["created_at"].endswith("Z")

    listed = world.get("/repos/alice/app/keys")
    assert listed.status_code == 200 and [k["id"] for k in listed.json] == [body["id"]]
    assert listed.headers["X-Total-Count"] == "1"
    assert world.get("/repos/alice/app/keys", params={"fingerprint": body["fingerprint"]}).json
    assert world.get("/repos/alice/app/keys", params={"fingerprint": "SHA256:nope"}).json == []
    assert world.get("/repos/alice/app/keys", params={"key_id": str(body["id"])}).json[0]["id"] == body["id"]
    assert world.get("/repos/alice/app/keys", params={"key_id": "x"}).status_code == 422
    assert world.get(f"/repos/alice/app/keys/{body['id']}").json == body

    assert world.delete(f"/repos/alice/app/keys/{body['id']}").status_code == 204
    assert world.get(f"/repos/alice/app/keys/{body['id']}").status_code == 404
    assert world.delete(f"/repos/alice/app/keys/{body['id']}").status_code == 404


def test_read_only_false_makes_a_writable_deploy_key(world, tmp_path):
    created = world.post("/repos/alice/app/keys", {"title": "push", "key": public_key(tmp_path),
                                                   "read_only": False})
    assert created.status_code == 201 and created.json["read_only"] is False


def test_only_repository_admins_manage_deploy_keys_and_outsiders_see_nothing(world, tmp_path):
    key = public_key(tmp_path)
    assert world.get("/repos/alice/app/keys", as_user="carol").status_code == 404  # private
    assert world.post("/repos/alice/app/keys", {"title": "x", "key": key}, as_user="carol").status_code == 404
    assert world.get("/repos/alice/app/keys", as_user="bob").status_code == 403  # write, not admin
    assert world.post("/repos/alice/app/keys", {"title": "x", "key": key}, as_user="bob").status_code == 403
    assert world.get("/repos/alice/app/keys", as_user=None).status_code == 404  # private
    read_token = world.token("alice", "read:repository")
    assert world.get("/repos/alice/app/keys", as_user=read_token).status_code == 200
    assert world.post("/repos/alice/app/keys", {"title": "x", "key": key},
                      as_user=read_token).status_code == 403
    assert world.get("/repos/alice/nothing/keys").status_code == 404
    assert world.get("/repos/alice/app/keys/999999").status_code == 404


def test_gitea_refuses_bad_and_duplicate_keys_with_422(world, tmp_path):
    key = public_key(tmp_path)
    assert world.post("/repos/alice/app/keys", {"title": "ci", "key": key}).status_code == 201
    again = world.post("/repos/alice/app/keys", {"title": "other", "key": key})
    assert again.status_code == 422
    assert again.json["message"] == "This key has already been added to this repository"
    same_title = world.post("/repos/alice/app/keys", {"title": "ci", "key": public_key(tmp_path, "b")})
    assert same_title.status_code == 422
    assert same_title.json["message"] == "A key with the same name already exists"
    assert world.post("/repos/alice/app/keys", {"title": "t", "key": "ssh-ed25519 nonsense"}).status_code == 422
    assert world.post("/repos/alice/app/keys", {"key": key}).status_code == 422
    assert world.post("/repos/alice/app/keys", {"title": "t", "key": public_key(tmp_path, "d", "dsa")}
                      ).status_code == 422


def test_a_key_is_either_a_users_key_or_a_deploy_key_never_both(world, tmp_path):
    user_key = public_key(tmp_path, "alice-laptop")
    assert world.post("/user/keys", {"title": "laptop", "key": user_key}).status_code == 201
    refused = world.post("/repos/alice/app/keys", {"title": "ci", "key": user_key})
    assert refused.status_code == 422
    assert refused.json["message"] == "Key content has been used as non-deploy key"

    deploy_key = public_key(tmp_path, "ci")
    assert world.post("/repos/alice/app/keys", {"title": "ci", "key": deploy_key}).status_code == 201
    for path, user in (("/user/keys", "bob"), ("/user/keys", "alice")):
        refused = world.post(path, {"title": "mine", "key": deploy_key}, as_user=user)
        assert refused.status_code == 422 and "it is a deploy key" in refused.json["message"]


def test_one_deploy_key_may_serve_several_repositories_as_in_gitea(world, tmp_path):
    assert world.post("/user/repos", {"name": "lib"}).status_code == 201
    key = public_key(tmp_path)
    first = world.post("/repos/alice/app/keys", {"title": "ci", "key": key}).json
    second = world.post("/repos/alice/lib/keys", {"title": "ci", "key": key, "read_only": False}).json
    assert first["fingerprint"] == second["fingerprint"] and first["id"] != second["id"]
    assert second["read_only"] is False and first["read_only"] is True


def test_deleting_a_repository_deletes_its_deploy_keys(world, tmp_path):
    key = public_key(tmp_path)
    assert world.post("/repos/alice/app/keys", {"title": "ci", "key": key}).status_code == 201
    assert world.delete("/repos/alice/app").status_code == 204
    assert world.post("/user/repos", {"name": "app"}).status_code == 201
    assert world.get("/repos/alice/app/keys").json == []
    assert world.post("/user/keys", {"title": "now-mine", "key": key}).status_code == 201


def test_ssh_url_is_filled_as_gitea_composes_it(world):
    repository = world.get("/repos/alice/app").json
    host = world.ctx.config.base_url.split("//")[1].split(":")[0].split("/")[0]
    assert repository["ssh_url"] == f"ssh://git@{host}:2222/alice/app.git"
    listed = world.get("/user/repos").json
    assert {r["ssh_url"] for r in listed} == {f"ssh://git@{host}:2222/alice/app.git"}


def test_workflow_event_payloads_carry_the_ssh_url_too(world):
    from plue_actions.contexts import repository_payload
    from plue_core.db import connection

    hosting = world.ctx.services["git_hosting"]
    with connection(world.ctx.db):
        payload = repository_payload(hosting, hosting.find_repository("alice", "app"))
    assert payload["ssh_url"] == world.get("/repos/alice/app").json["ssh_url"] != ""


def test_ssh_url_uses_the_public_domain_and_port_and_port_22_is_scp_like(build_app):
    app = build_app(ssh={"domain": "git.example.org", "port": 22})
    client = falcon.testing.TestClient(app)
    make_user(app.plue, "alice")
    world = World(app.plue, client)
    assert world.post("/user/repos", {"name": "app"}).status_code == 201
    assert world.get("/repos/alice/app").json["ssh_url"] == "git@git.example.org:alice/app.git"
    app = build_app(ssh={"domain": "git.example.org", "port": 2022, "user": "forge"})
    world = World(app.plue, falcon.testing.TestClient(app))
    assert world.get("/repos/alice/app").json["ssh_url"] == "ssh://forge@git.example.org:2022/alice/app.git"


def test_without_the_ssh_plugin_ssh_url_is_empty_and_deploy_keys_are_gone(build_app):
    app = build_app(plugins={"disabled": ["ssh"]})
    make_user(app.plue, "alice")
    world = World(app.plue, falcon.testing.TestClient(app))
    assert world.post("/user/repos", {"name": "app"}).status_code == 201
    assert world.get("/repos/alice/app").json["ssh_url"] == ""
    assert world.get("/repos/alice/app/keys").status_code == 404
