"""Fixtures for the notifications tests: alice owns the public ``alice/demo`` (she watches it,
as its creator) and the private ``alice/secret``; wanda writes to demo, rita reads secret;
bob, carol and dave are anybody."""

from __future__ import annotations

import dataclasses

import falcon.testing
import pytest

from plue_core.testing import UserApi, make_user


@dataclasses.dataclass
class Forge(UserApi):
    ctx: object
    client: falcon.testing.TestClient
    default_user = "alice"

    def ok(self, method: str, path: str, body=None, as_user="alice", status=None, **kwargs):
        response = self.request(method, path, body, as_user=as_user, **kwargs)
        expected = status or (200, 201, 204, 205)
        expected = expected if isinstance(expected, tuple) else (expected,)
        assert response.status_code in expected, (method, path, response.status_code,
                                                  response.text)
        return response.json if response.content else None

    def issue(self, title: str, repo: str = "alice/demo", as_user: str = "alice", **body) -> dict:
        return self.ok("POST", f"/repos/{repo}/issues", {"title": title, **body}, as_user=as_user)

    def comment(self, number: int, text: str, repo: str = "alice/demo",
                as_user: str = "alice") -> dict:
        return self.ok("POST", f"/repos/{repo}/issues/{number}/comments", {"body": text},
                       as_user=as_user)

    def threads(self, user: str, **params) -> list[dict]:
        return self.ok("GET", "/notifications", as_user=user, params=params)

    def titles(self, user: str, **params) -> list[str]:
        return [thread["subject"]["title"] for thread in self.threads(user, **params)]


@pytest.fixture
def build_forge(build_app):
    def build(**config) -> Forge:
        app = build_app(**config)
        ctx = app.plue
        for name in ("alice", "wanda", "rita", "bob", "carol", "dave"):
            make_user(ctx, name)
        world = Forge(ctx, falcon.testing.TestClient(app))
        for name, private in (("demo", False), ("secret", True)):
            world.ok("POST", "/user/repos", {"name": name, "auto_init": True,
                                             "default_branch": "main", "private": private})
        world.ok("PUT", "/repos/alice/demo/collaborators/wanda", {"permission": "write"})
        world.ok("PUT", "/repos/alice/secret/collaborators/rita", {"permission": "read"})
        return world

    return build


@pytest.fixture
def forge(build_forge) -> Forge:
    return build_forge()
