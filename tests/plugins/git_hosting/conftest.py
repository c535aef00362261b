"""Fixtures for the git_hosting API tests: users, an organization with a team, and helpers that
create repositories and files through the API (never behind its back)."""

from __future__ import annotations

import base64
import dataclasses
import os
import pathlib
import subprocess
import threading
import wsgiref.simple_server

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import (
    DEFAULT_PASSWORD, EventRecorder, UserApi, make_test_config, make_user, migrate,
)


@dataclasses.dataclass
class Forge(UserApi):
    """alice (owner of most things), bob (a member of acme's "devs" team with write), carol
    (nobody), root (site administrator); acme is a public organization owned by alice."""

    ctx: object
    client: falcon.testing.TestClient
    devs_team_id: int = 0
    default_user = "alice"

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
    return make_forge(ctx, client)


@pytest.fixture
def build_forge(build_app):
    """``build_forge(**config)``: the same forge on an app with those settings."""
    def build(**config) -> Forge:
        app = build_app(**config)
        return make_forge(app.plue, falcon.testing.TestClient(app))

    return build


@pytest.fixture
def build_forge_without(build_forge):
    """``build_forge_without(*plugin_names)``: the same forge on an app with those plugins
    disabled (git_hosting must not need the plugins built on it)."""
    return lambda *disabled: build_forge(plugins={"disabled": list(disabled)})


def make_forge(ctx, client) -> Forge:
    make_user(ctx, "root", admin=True)
    for name in ("alice", "bob", "carol"):
        make_user(ctx, name)
    world = Forge(ctx, client)
    assert world.post("/orgs", {"username": "acme"}).status_code == 201
    team = world.post("/orgs/acme/teams", {"name": "devs", "permission": "write",
                                           "units": ["repo.code"],
                                           "includes_all_repositories": True})
    assert team.status_code == 201, team.text
    world.devs_team_id = team.json["id"]
    assert world.put(f"/teams/{world.devs_team_id}/members/bob").status_code == 204
    return world


@dataclasses.dataclass
class InProcessServer:
    """The app under wsgiref in a thread: real HTTP for the real git client, with the app's
    context (and plugins such as an event recorder) in this process."""

    url: str
    app: object
    recorder: EventRecorder
    tmp_path: pathlib.Path

    @property
    def ctx(self):
        return self.app.plue

    def git(self, *args: str, cwd=None, check: bool = True, env: dict | None = None) -> subprocess.CompletedProcess:
        result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                                env={**GIT_ENV, **(env or {})}, timeout=120)
        if check:
            assert result.returncode == 0, f"git {' '.join(args)}:\n{result.stderr}"
        return result

    def remote(self, repo: str, user: str | None = "alice") -> str:
        host = self.url.removeprefix("http://")
        credentials = f"{user}:{DEFAULT_PASSWORD}@" if user else ""
        return f"http://{credentials}{host}/{repo}.git"


GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Dev",
           "GIT_AUTHOR_EMAIL": "dev@example.org", "GIT_COMMITTER_NAME": "Dev",
           "GIT_COMMITTER_EMAIL": "dev@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_ASKPASS": "", "SSH_ASKPASS": ""}


class _QuietHandler(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def in_process_server(tmp_path, plue_database_url):
    """``in_process_server(**config)``: start one; alice exists."""
    started = []

    def start(**overrides) -> InProcessServer:
        recorder = EventRecorder()
        app = create_app(make_test_config(tmp_path, plue_database_url, **overrides), plugins=[recorder])
        migrate(app)
        make_user(app.plue, "alice")
        make_user(app.plue, "carol")
        server = wsgiref.simple_server.make_server("127.0.0.1", 0, app, handler_class=_QuietHandler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        started.append((server, app))
        return InProcessServer(f"http://127.0.0.1:{server.server_port}", app, recorder, tmp_path)

    yield start
    for server, app in started:
        server.shutdown()
        server.server_close()
        app.plue.close()
