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
