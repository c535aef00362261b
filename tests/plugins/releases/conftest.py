"""Fixtures for the releases tests: alice owns the public ``alice/demo`` (one commit on
``main``; wanda writes, rita reads, oscar is nobody) and the private ``alice/secret``; events
published are recorded."""

from __future__ import annotations

import dataclasses

import falcon.testing
import pytest

from plue_core.testing import EventRecorder, UserApi, make_user


@dataclasses.dataclass
class Forge(UserApi):
    ctx: object
    client: falcon.testing.TestClient
    recorder: EventRecorder
    default_user = "alice"

    def release(self, tag: str, repo: str = "alice/demo", **options) -> dict:
        response = self.post(f"/repos/{repo}/releases", {"tag_name": tag, **options})
        assert response.status_code == 201, response.text
        return response.json

    def upload(self, release_id: int, name: str, data: bytes, repo: str = "alice/demo",
               as_user: str = "alice", query: str = ""):
        boundary = "plueboundary"
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"attachment\"; "
                f"filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
                ).encode() + data + f"\r\n--{boundary}--\r\n".encode()
        return self.client.simulate_post(
            f"/api/v1/repos/{repo}/releases/{release_id}/assets", body=body,
            query_string=query,
            headers={**self.auth(as_user),
                     "Content-Type": f"multipart/form-data; boundary={boundary}"})


@pytest.fixture
def build_forge(build_app):
    """``build_forge(**config)``: the forge on an app with those settings."""
    def build(**config) -> Forge:
        recorder = EventRecorder()
        app = build_app(recorder, **config)
        ctx = app.plue
        for name in ("alice", "wanda", "rita", "oscar"):
            make_user(ctx, name)
        world = Forge(ctx, falcon.testing.TestClient(app), recorder)
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
