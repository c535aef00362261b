"""Fixtures for the webhooks tests: a forge (alice owns ``alice/project``, bob writes it,
carol is nobody, root is the site admin, acme an organization alice owns), the local
receiver, and helpers that run the sender."""

from __future__ import annotations

import base64
import dataclasses

import falcon.testing
import pytest

from plue_core.testing import EventRecorder, UserApi, make_user

from tests.plugins.webhooks.receiver import WebhookReceiver

# Tests call loopback receivers and send on demand (no thread) and retry at once.
TEST_SETTINGS = {"allowed_host_list": "loopback", "send_in_process": False,
                 "retry_backoff": 0.0}


@dataclasses.dataclass
class Forge(UserApi):
    ctx: object
    client: falcon.testing.TestClient
    recorder: EventRecorder
    default_user = "alice"

    @property
    def service(self):
        return self.ctx.services["webhooks"]

    def send(self) -> int:
        """One sender pass, as the scheduled job runs it."""
        from plue_webhooks import sender
        return sender.send_due(self.service)

    def create_repo(self, name: str = "project", *, as_user: str = "alice", **options) -> dict:
        response = self.post("/user/repos", {"name": name, "auto_init": True, **options},
                             as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json

    def add_hook(self, url: str, *, path: str = "/repos/alice/project/hooks",
                 as_user: str = "alice", secret: str = "s3cret", **options) -> dict:
        config = {"url": url, "content_type": options.pop("content_type", "json")}
        if secret:
            config["secret"] = secret
        config.update(options.pop("config", {}))
        body = {"type": "gitea", "config": config, "active": True, "events": ["push"], **options}
        response = self.post(path, body, as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json

    def write_file(self, path: str, text: str, *, repo: str = "alice/project",
                   branch: str = "main", new_branch: str = "", as_user: str = "alice") -> dict:
        body = {"content": base64.b64encode(text.encode()).decode(), "branch": branch}
        if new_branch:
            body["new_branch"] = new_branch
        response = self.post(f"/repos/{repo}/contents/{path}", body, as_user=as_user)
        assert response.status_code == 201, response.text
        return response.json


def make_forge(app, recorder) -> Forge:
    ctx = app.plue
    make_user(ctx, "root", admin=True)
    for name in ("alice", "bob", "carol"):
        make_user(ctx, name)
    forge = Forge(ctx, falcon.testing.TestClient(app), recorder)
    assert forge.post("/orgs", {"username": "acme"}).status_code == 201
    forge.create_repo()
    assert forge.put("/repos/alice/project/collaborators/bob",
                     {"permission": "write"}).status_code == 204
    return forge


@pytest.fixture
def build_forge(build_app):
    """``build_forge(*plugins, **webhooks_settings)``: a forge on a fresh app."""
    def build(*plugins, **settings) -> Forge:
        recorder = EventRecorder()
        app = build_app(recorder, *plugins, webhooks={**TEST_SETTINGS, **settings})
        return make_forge(app, recorder)

    return build


@pytest.fixture
def forge(build_forge) -> Forge:
    return build_forge()


@pytest.fixture
def receiver():
    server = WebhookReceiver()
    yield server
    server.close()
