"""Fixtures for the tracked_repos tests: local GitHub and GitLab API servers and an app whose
[tracked_repos] settings point at them, with users alice and bob."""

from __future__ import annotations

import dataclasses

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, make_test_config, make_user, migrate
from tests.plugins.tracked_repos.fake_providers import LocalGitHubAPI, LocalGitLabAPI

GITHUB_TOKEN = "ghp_local_test_token_0123456789"


@pytest.fixture
def github_api():
    with LocalGitHubAPI(token=GITHUB_TOKEN) as api:
        yield api


@pytest.fixture
def gitlab_api():
    with LocalGitLabAPI() as api:
        yield api


def tracked_settings(github_api, gitlab_api, **extra) -> dict:
    return {"github_api_url": github_api.url, "github_token": GITHUB_TOKEN,
            "gitlab_api_url": gitlab_api.url, "request_timeout": 5, **extra}


@dataclasses.dataclass
class World:
    ctx: object
    client: falcon.testing.TestClient
    github: LocalGitHubAPI
    gitlab: LocalGitLabAPI

    @property
    def service(self):
        return self.ctx.services["tracked_repos"]

    def track(self, url: str, user: str = "alice") -> dict:
        response = self.client.simulate_post("/api/repos", json={"url": url},
                                             headers=basic_auth(user))
        assert response.status_code == 201, response.json
        return response.json

    def get(self, path: str, user: str | None = "alice", **kwargs):
        return self.client.simulate_get(path, headers=basic_auth(user) if user else {}, **kwargs)

    def post(self, path: str, body=None, user: str | None = "alice"):
        return self.client.simulate_post(path, json=body, headers=basic_auth(user) if user else {})

    def delete(self, path: str, user: str | None = "alice"):
        return self.client.simulate_delete(path, headers=basic_auth(user) if user else {})


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
