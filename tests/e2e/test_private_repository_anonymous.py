"""A private repository is invisible to an anonymous caller on every route under it: each
method of each route of the route table answers 404 (as Gitea's repoAssignment does), never
401 or 403, which would tell that the repository exists."""

from __future__ import annotations

import re

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.openapi import HTTP_METHODS
from plue_core.routing import Route
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

SAMPLE = {"index": "1", "comment_id": "1", "label_id": "1", "milestone_id": "1", "run_id": "1",
          "attempt": "1", "job_id": "1", "artifact_id": "1", "runner_id": "1", "review_id": "1",
          "id": "1"}


@pytest.fixture(scope="module")
def app(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("private")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice")
        client = falcon.testing.TestClient(app)
        created = client.simulate_post("/api/v1/user/repos", headers=basic_auth("alice"),
                                       json={"name": "secret", "private": True, "auto_init": True})
        assert created.status_code == 201, created.text
        try:
            yield app
        finally:
            app.plue.close()


def repository_requests(app) -> list[tuple[str, str]]:
    """Every (method, concrete path) of a route under /api/v1/repos/{owner}/{repo}."""
    out = []
    for _plugin, route in app.plue.routes:
        if not isinstance(route, Route) or not route.path.startswith("/api/v1/repos/{owner}/{repo}"):
            continue
        path = route.openapi_path.replace("{owner}", "alice").replace("{repo}", "secret", 1)
        path = re.sub(r"\{(\w+)\}", lambda m: SAMPLE.get(m.group(1), "main"), path)
        suffix = f"_{route.suffix}" if route.suffix else ""
        out += [(method.upper(), path) for method in HTTP_METHODS
                if method not in ("head", "options") and hasattr(route.resource, f"on_{method}{suffix}")]
    return out


def test_the_walk_covers_the_repository_routes(app):
    requests = repository_requests(app)
    assert len(requests) > 100
    paths = {path for _method, path in requests}
    for tail in ("/branch_protections", "/actions/secrets", "/actions/variables", "/actions/runners"):
        assert f"/api/v1/repos/alice/secret{tail}" in paths


def test_an_anonymous_caller_gets_404_on_every_route_of_a_private_repository(app):
    client = falcon.testing.TestClient(app)
    wrong = []
    for method, path in repository_requests(app):
        response = client.simulate_request(method, path, json={} if method != "GET" else None)
        if response.status_code != 404:
            wrong.append((method, path, response.status_code))
    assert wrong == []


def test_the_owner_still_reaches_the_routes_that_answered_401_before(app):
    client = falcon.testing.TestClient(app)
    for tail in ("/branch_protections", "/actions/secrets", "/actions/variables", "/actions/runners"):
        response = client.simulate_get(f"/api/v1/repos/alice/secret{tail}", headers=basic_auth("alice"))
        assert response.status_code == 200, (tail, response.text)
