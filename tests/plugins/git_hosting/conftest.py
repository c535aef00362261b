"""Fixtures for the git_hosting API tests: users, an organization with a team, and helpers that
create repositories and files through the API (never behind its back)."""

from __future__ import annotations

import base64
import dataclasses

import falcon.testing
import pytest

from plue_core.testing import basic_auth, make_user


@dataclasses.dataclass
class Forge:
    """alice (owner of most things), bob (a member of acme's "devs" team with write), carol
    (nobody), root (site administrator); acme is a public organization owned by alice."""

    ctx: object
    client: falcon.testing.TestClient
    devs_team_id: int = 0

    def auth(self, name: str | None) -> dict:
        return basic_auth(name) if name else {}

    def get(self, path: str, as_user: str | None = "alice", **kwargs):
        return self.client.simulate_get(f"/api/v1{path}", headers=self.auth(as_user), **kwargs)

    def post(self, path: str, body=None, as_user: str | None = "alice", **kwargs):
        return self.client.simulate_post(f"/api/v1{path}", json=body, headers=self.auth(as_user), **kwargs)

    def put(self, path: str, body=None, as_user: str | None = "alice", **kwargs):
        return self.client.simulate_put(f"/api/v1{path}", json=body, headers=self.auth(as_user), **kwargs)

    def patch(self, path: str, body=None, as_user: str | None = "alice", **kwargs):
        return self.client.simulate_patch(f"/api/v1{path}", json=body, headers=self.auth(as_user), **kwargs)

    def delete(self, path: str, body=None, as_user: str | None = "alice", **kwargs):
        return self.client.simulate_delete(f"/api/v1{path}", json=body, headers=self.auth(as_user), **kwargs)

    def create_repo(self, name: str = "demo", as_user: str = "alice", org: str | None = None, **options) -> dict:
        path = f"/orgs/{org}/repos" if org else "/user/repos"
        response = self.post(path, {"name": name, **options}, as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json

    def create_file(self, repo: str, path: str, content: bytes, as_user: str = "alice", **options) -> dict:
        body = {"content": base64.b64encode(content).decode(), **options}
        response = self.post(f"/repos/{repo}/contents/{path}", body, as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json


@pytest.fixture
def forge(ctx, client) -> Forge:
    make_user(ctx, "root", admin=True)
    for name in ("alice", "bob", "carol"):
        make_user(ctx, name)
    world = Forge(ctx, client)
    assert world.post("/orgs", {"username": "acme"}).status_code == 201
    team = world.post("/orgs/acme/teams", {"name": "devs", "permission": "write",
                                           "units": ["repo.code"]})
    assert team.status_code == 201, team.text
    world.devs_team_id = team.json["id"]
    assert world.put(f"/teams/{world.devs_team_id}/members/bob").status_code == 204
    return world
