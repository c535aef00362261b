"""Fixtures for the tracked_repos tests: local GitHub and GitLab API servers and an app whose
[tracked_repos] settings point at them, with users alice and bob."""

from __future__ import annotations

import dataclasses

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import UserApi, make_test_config, make_user, migrate
from plue_tracked_repos.testing import (
    GITHUB_TOKEN, LocalGitHubAPI, LocalGitLabAPI, tracked_settings,
)


@pytest.fixture
def github_api():
    with LocalGitHubAPI(token=GITHUB_TOKEN) as api:
        yield api


@pytest.fixture
def gitlab_api():
    with LocalGitLabAPI() as api:
        yield api


@dataclasses.dataclass
class World(UserApi):
    ctx: object
    client: falcon.testing.TestClient
    github: LocalGitHubAPI
    gitlab: LocalGitLabAPI
    api_prefix = ""  # /api/repos is a family of its own
    default_user = "alice"

    @property
    def service(self):
        return self.ctx.services["tracked_repos"]

    def track(self, url: str, user: str = "alice") -> dict:
        response = self.post("/api/repos", {"url": url}, user=user)
        assert response.status_code == 201, response.json
        return response.json

    # These tests name the caller ``user=``; UserApi does the rest.
    def get(self, path: str, user: str | None = "alice", **kwargs):
        return self.request("GET", path, as_user=user, **kwargs)

    def post(self, path: str, body=None, user: str | None = "alice"):
        return self.request("POST", path, body, as_user=user)

    def delete(self, path: str, user: str | None = "alice"):
        return self.request("DELETE", path, as_user=user)


@pytest.fixture
def world(tmp_path, plue_database_url, github_api, gitlab_api):
    config = make_test_config(tmp_path, plue_database_url,
                              tracked_repos=tracked_settings(github_api, gitlab_api))
    app = create_app(config)
    migrate(app)
    make_user(app.plue, "alice")
    make_user(app.plue, "bob")
    yield World(app.plue, falcon.testing.TestClient(app), github_api, gitlab_api)
    app.plue.close()
