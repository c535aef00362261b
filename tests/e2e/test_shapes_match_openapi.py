"""Plue's own OpenAPI document against the bodies Plue serves: the realistic /api/v1 scenario
of test_gitea_response_shapes.py, each response checked against the component that
``/api/openapi.json`` documents for its operation, strictly (every key documented, every value of
the documented type, null only where documented nullable). A response shape is one definition
(plue_core.shapes) that renders and documents; this proves the two faces agree."""

from __future__ import annotations

import re

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.shapes import problems
from plue_core.testing import fresh_database_url, make_test_config, migrate

from test_gitea_response_shapes import OTHER_FAMILIES, Scenario, run_scenario

pytestmark = pytest.mark.e2e

# Gitea documents ContentsResponse for both; a directory answers a list of them
# (routers/api/v1/repo/file.go GetContents), and so does Plue.
LIST_OR_ONE = {"GET /repos/{}/{}/contents/{}"}
# Operations (by tag) whose bodies are not rendered by shapes yet.
NOT_YET_SHAPED: set[str] = set()


def _key(method: str, template: str) -> str:
    return f"{method} {re.sub(r'{[^}]+}', '{}', template)}"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("own-openapi")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url, plugins={"disabled": list(OTHER_FAMILIES)}))
        migrate(app)
        try:
            scenario = Scenario(falcon.testing.TestClient(app))
            run_scenario(scenario, app.plue)
            spec = falcon.testing.TestClient(app).simulate_get("/api/openapi.json").json
            yield spec, scenario.responses
        finally:
            app.plue.close()


def _documented_bodies(spec: dict) -> dict[str, tuple[dict, str]]:
    """``"GET /repos/{}/{}"`` -> (the responses object, the plugin's tag) per operation."""
    operations = {}
    for path, methods in spec["paths"].items():
        if not path.startswith("/api/v1/"):
            continue
        for method, operation in methods.items():
            operations[_key(method.upper(), path[len("/api/v1"):])] = operation
    return operations


def test_every_shaped_body_matches_its_served_component(served):
    spec, recorded = served
    components = spec["components"]["schemas"]
    operations = _documented_bodies(spec)
    checked, failures = 0, []
    for endpoint, responses in recorded.items():
        method, template = endpoint.split(" ", 1)
        operation = operations.get(_key(method, template))
        if operation is None or set(operation["tags"]) & NOT_YET_SHAPED:
            continue
        for response in responses:
            documented = operation["responses"].get(str(response.status_code), {})
            schema = documented.get("content", {}).get("application/json", {}).get("schema")
            if schema is None or not response.content:
                continue
            checked += 1
            if _key(method, template) in LIST_OR_ONE and isinstance(response.json, list):
                schema = {"type": "array", "items": schema}
            failures += [f"{endpoint} ({response.status_code}): {p}"
                         for p in problems(response.json, schema, components)]
    assert not failures, "\n".join(failures)
    print(f"{checked} bodies checked against their served components")
    assert checked > 50  # the scenario really exercised documented bodies


def _operation_for(spec: dict, method: str, path: str) -> dict | None:
    """The operation of the served document whose path template matches ``path``."""
    for template, methods in spec["paths"].items():
        pattern = "^" + re.sub(r"\\{[^}]+\\}", "[^/]+", re.escape(template)) + "$"
        if re.match(pattern, path) and method.lower() in methods:
            return methods[method.lower()]
    return None


def test_the_seed_families_bodies_match_their_served_components(tmp_path):
    """Runner Pilot (accounts, nodes, runners) and seed 003 (tracked_repos) as a client of the
    seeds calls them, each body checked strictly against the served component."""
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        try:
            client = falcon.testing.TestClient(app)
            spec = client.simulate_get("/api/openapi.json").json
            components = spec["components"]["schemas"]
            checked, failures = [], []

            def call(method: str, path: str, body=None, status: int = 200):
                result = client.simulate_request(method, path, json=body, headers=headers)
                assert result.status_code == status, (method, path, result.text)
                operation = _operation_for(spec, method, path)
                documented = (operation or {}).get("responses", {}).get(str(status), {})
                schema = documented.get("content", {}).get("application/json", {}).get("schema")
                if schema is not None:
                    checked.append(f"{method} {path}")
                    failures.extend(f"{method} {path}: {p}"
                                    for p in problems(result.json, schema, components))
                return result.json

            headers = {}
            call("POST", "/auth/register", {"full_name": "Jo", "email": "jo@example.com",
                                            "password": "strongpassword"})
            token = call("POST", "/auth/login", {"email": "jo@example.com",
                                                 "password": "strongpassword"})["access_token"]
            headers = {"Authorization": f"Bearer {token}"}
            org = call("POST", "/onboarding", {"organization": {"name": "Giga", "short_name": "GT"}})
            org = f"/org/{org['organization']['uid']}"
            call("GET", "/common/me")
            call("GET", "/org")
            call("PUT", org, {"name": "Giga Two"})
            node = call("POST", f"{org}/nodes", {"name": "n1", "type": "Socket"})
            call("GET", f"{org}/nodes")
            call("GET", f"{org}/nodes/{node['uid']}")
            call("PUT", f"{org}/nodes/{node['uid']}", {"status": "inactive"})
            runner = call("POST", f"{org}/runners", {
                "name": "r1", "docker_image": "plue-busybox:latest", "github_repo": "o/r",
                "github_runner_token": "ghr_1234567890abcdef"})
            call("GET", f"{org}/runners")
            call("GET", f"{org}/runners/{runner['uid']}")
            call("PUT", f"{org}/runners/{runner['uid']}", {"name": "r2"})
            call("GET", f"{org}/runners/{runner['uid']}/instance")
            tracked = call("POST", "/api/repos", {"url": "https://github.com/o/r"}, status=201)
            call("GET", "/api/repos")
            call("POST", f"/api/repos/{tracked['id']}/validate")
            call("GET", f"/api/repos/{tracked['id']}/commits")
            call("DELETE", f"/api/repos/{tracked['id']}")
        finally:
            app.plue.close()
    assert not failures, "\n".join(failures)
    assert len(checked) == 17, checked  # all but register, login and onboarding (undocumented)
