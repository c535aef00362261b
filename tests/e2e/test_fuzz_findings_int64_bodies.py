"""Integers in request bodies past 64 bits: a branch protection's ``priority`` and an admin's
``max_repo_creation`` were loaded unbounded and written to a 64-bit column -- a 500
(SQLite's ``OverflowError``; PostgreSQL's "out of range"). Every integer of every request body
now carries ``plue_core.validation.int64`` (or a narrower range), which the served document
states as its minimum and maximum, so the guard below is over the document. Found by raw
requests from outside: each field of each documented body given 10**30."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.integers import INT64_MAX, INT64_MIN
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

ROOT = basic_auth("root")
HUGE = 10 ** 30


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("int64_bodies")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "root", admin=True)
        make_user(app.plue, "bob")
        client = falcon.testing.TestClient(app)
        for path, body in [("/user/repos", {"name": "demo", "auto_init": True}),
                           ("/repos/root/demo/branch_protections", {"rule_name": "main"})]:
            response = client.simulate_post(f"/api/v1{path}", json=body, headers=ROOT)
            assert response.status_code == 201, response.text
        try:
            yield client
        finally:
            app.plue.close()


def _resolve(components: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _unbounded_integers(components: dict, schema: dict, path: str):
    schema = _resolve(components, schema)
    if schema.get("type") == "integer" and not (
            INT64_MIN <= schema.get("minimum", INT64_MIN - 1) and
            schema.get("maximum", INT64_MAX + 1) <= INT64_MAX):
        yield path
    for name, field in (schema.get("properties") or {}).items():
        yield from _unbounded_integers(components, field, f"{path}.{name}")
    if "items" in schema:
        yield from _unbounded_integers(components, schema["items"], f"{path}[]")


def test_every_integer_of_every_request_body_is_bounded_to_64_bits(client):
    spec = client.simulate_get("/api/openapi.json").json
    found, unbounded = 0, []
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            content = operation.get("requestBody", {}).get("content", {})
            if "application/json" in content:
                found += 1
                unbounded += [f"{method.upper()} {path} {field}" for field in _unbounded_integers(
                    spec["components"]["schemas"], content["application/json"]["schema"], "")]
    assert found > 50
    assert unbounded == []


@pytest.mark.parametrize("method, path, body, field", [
    ("POST", "/repos/root/demo/branch_protections", {"rule_name": "r", "priority": HUGE}, "priority"),
    ("PATCH", "/repos/root/demo/branch_protections/main", {"priority": -HUGE}, "priority"),
    ("PATCH", "/repos/root/demo/branch_protections/main", {"required_approvals": HUGE},
     "required_approvals"),
    ("PATCH", "/admin/users/bob", {"login_name": "bob", "source_id": 0, "max_repo_creation": HUGE},
     "max_repo_creation"),
    ("POST", "/admin/users", {"username": "zed", "email": "zed@example.org", "password": "pass-word-1",
                              "source_id": HUGE}, "source_id"),
])
def test_a_body_integer_past_64_bits_is_a_gitea_422_naming_it(client, method, path, body, field):
    response = client.simulate_request(method, f"/api/v1{path}", json=body, headers=ROOT)
    assert response.status_code == 422, response.text
    assert isinstance(response.json["message"], str) and isinstance(response.json["url"], str)
    assert field in response.json["message"], response.json


def test_a_priority_of_64_bits_is_kept(client):
    response = client.simulate_patch("/api/v1/repos/root/demo/branch_protections/main",
                                      json={"priority": INT64_MAX}, headers=ROOT)
    assert response.status_code == 200, response.text
    assert response.json["priority"] == INT64_MAX
