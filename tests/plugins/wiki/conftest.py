"""Fixtures for the wiki tests: alice owns the public ``alice/demo`` (wanda writes, rita reads,
oscar is nobody) and the private ``alice/secret``."""

from __future__ import annotations

import base64
import dataclasses

import falcon.testing
import pytest

from plue_core.testing import UserApi, make_user


@dataclasses.dataclass
class Forge(UserApi):
    ctx: object
    client: falcon.testing.TestClient
    default_user = "alice"

    def new_page(self, title: str, content: str, repo: str = "alice/demo",
                 as_user: str | None = "alice", **options):
        return self.post(f"/repos/{repo}/wiki/new",
                         {"title": title, "content_base64": base64.b64encode(content.encode()).decode(), **options},
                         as_user=as_user)

    def wiki_path(self, repo: str = "alice/demo"):
        hosting = self.ctx.services["git_hosting"]
        owner, name = repo.split("/")
        return hosting.storage.wiki_path_of(hosting.storage.path(owner, name))


@pytest.fixture
def build_forge(build_app):
    def build(**config) -> Forge:
        app = build_app(**config)
        ctx = app.plue
        for name in ("alice", "wanda", "rita", "oscar"):
            make_user(ctx, name)
        world = Forge(ctx, falcon.testing.TestClient(app))
        for name, private in (("demo", False), ("secret", True)):
            response = world.post("/user/repos", {"name": name, "auto_init": True,
                                                  "default_branch": "main", "private": private})
            assert response.status_code == 201, response.text
        for user, permission in (("wanda", "write"), ("rita", "read")):
            response = world.put(f"/repos/alice/demo/collaborators/{user}",
                                 {"permission": permission})
            assert response.status_code == 204, response.text
        return world

    return build


@pytest.fixture
def forge(build_forge) -> Forge:
    return build_forge()
