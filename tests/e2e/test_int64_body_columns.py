"""Every integer of every documented request body, given the ends of Gitea's ``int64`` from
outside: never a 500, and what a write accepted is kept whole and read back.

The served document bounds each body integer to 64 bits (or a narrower domain: a port), but
a column holds what its type holds: PostgreSQL's INTEGER stops at 2**31 - 1 ("integer out of
range", a 500), SQLite's holds 64 bits. The rule (docs/plugins.md, section 5): a body integer is
stored in a BIGINT column, as Gitea's xorm ``int64`` columns, unless its schema bounds it to a
narrower domain. The walk runs on whichever database the suite runs on; on SQLite, where the
write succeeds anyway, the walk then finds any 32-bit column that took a value PostgreSQL's
would refuse -- so the next such field fails on both databases."""

from __future__ import annotations

import copy
import itertools

import falcon.testing
import peewee
import pytest

from plue_core import create_app
from plue_core.accounts.models import Account
from plue_core.db import connection
from plue_core.integers import INT64_MAX, INT64_MIN
from plue_core.schema_check import core_models
from plue_core.testing import (basic_auth, fresh_database_url, make_test_config, make_user,
                               migrate, pilot_bearer)

ROOT = basic_auth("root")
VALUES = (2 ** 31, 2 ** 53, INT64_MAX, INT64_MIN)
INT32_MIN, INT32_MAX = -2 ** 31, 2 ** 31 - 1
_fresh = itertools.count(1)


def _review_comment():
    return {"event": "COMMENT", "body": "", "comments": [
        {"path": "topic.txt", "body": "a line", "old_position": 0, "new_position": 1}]}


# Each documented operation whose body holds an integer: its path and a valid body to put the
# value in (a function: a fresh name per request where names must be unique).
BASES = {
    ("POST", "/api/v1/admin/users"): (
        "/api/v1/admin/users",
        lambda: {"username": f"u{next(_fresh)}", "email": f"u{next(_fresh)}@example.org",
                 "password": "pass-word-1", "must_change_password": False}),
    ("PATCH", "/api/v1/admin/users/{username}"): (
        "/api/v1/admin/users/bob", lambda: {"login_name": "bob", "source_id": 0}),
    ("POST", "/api/v1/repos/{owner}/{repo}/issues"): (
        "/api/v1/repos/root/demo/issues", lambda: {"title": "an issue"}),
    ("PATCH", "/api/v1/repos/{owner}/{repo}/issues/{index}"): (
        "/api/v1/repos/root/demo/issues/1", lambda: {"title": "an issue"}),
    ("POST", "/api/v1/repos/{owner}/{repo}/pulls"): (
        "/api/v1/repos/root/demo/pulls", lambda: {"head": "topic", "base": "main", "title": "p"}),
    ("PATCH", "/api/v1/repos/{owner}/{repo}/pulls/{index}"): (
        "/api/v1/repos/root/demo/pulls/2", lambda: {"title": "a pull"}),
    ("POST", "/api/v1/repos/{owner}/{repo}/pulls/{index}/reviews"): (
        "/api/v1/repos/root/demo/pulls/2/reviews", _review_comment),
    ("POST", "/api/v1/repos/{owner}/{repo}/issues/{index}/times"): (
        "/api/v1/repos/root/demo/issues/1/times", lambda: {"time": 60}),
    **{(method, f"/api/v1/repos/{{owner}}/{{repo}}/issues/{{index}}/{links}"): (
        f"/api/v1/repos/root/demo/issues/1/{links}",
        lambda: {"owner": "root", "repo": "demo", "index": 2})
       for method in ("POST", "DELETE") for links in ("dependencies", "blocks")},
    # To a user, whose transfer takes no teams: refused before anything moves.
    ("POST", "/api/v1/repos/{owner}/{repo}/transfer"): (
        "/api/v1/repos/root/demo/transfer", lambda: {"new_owner": "bob", "team_ids": []}),
    ("POST", "/api/v1/repos/{owner}/{repo}/branch_protections"): (
        "/api/v1/repos/root/demo/branch_protections", lambda: {"rule_name": f"r{next(_fresh)}"}),
    ("PATCH", "/api/v1/repos/{owner}/{repo}/branch_protections/{name}"): (
        "/api/v1/repos/root/demo/branch_protections/main", lambda: {}),
    ("POST", "/org/{org_id}/nodes"): (
        "/org/{org_id}/nodes",
        lambda: {"name": f"Node-{next(_fresh)}", "type": "Remote", "ip_address": "192.168.1.10",
                 "port": 22}),
    ("PUT", "/org/{org_id}/nodes/{node_id}"): (
        "/org/{org_id}/nodes/{node_id}", lambda: {"name": "Node-01"}),
    ("POST", "/api/runners"): (
        "/api/runners", lambda: {"name": f"hub-{next(_fresh)}", "labels": ["linux"]}),
    ("POST", "/api/jobs/delegate"): ("/api/jobs/delegate", lambda: _delegation()),
    ("PUT", "/api/jobs/{job_id}/status"): (
        "/api/jobs/{external_job}/status",
        lambda: {"status": "running", "artifacts": [{"name": "dist"}]}),
}


def _delegation():
    """A job of a repository this site does not host: an external job for a hub runner."""
    return {"repository": "octo/elsewhere", "workflow_name": "ci", "job_name": f"b{next(_fresh)}"}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("int64_columns")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "root", admin=True)
        make_user(app.plue, "bob")
        client = falcon.testing.TestClient(app)

        def post(path, body, headers=ROOT):
            response = client.simulate_post(path, json=body, headers=headers)
            assert response.status_code in (200, 201), (path, response.text)
            return response.json

        post("/api/v1/user/repos", {"name": "demo", "auto_init": True})
        post("/api/v1/repos/root/demo/branches", {"new_branch_name": "topic"})
        post("/api/v1/repos/root/demo/contents/topic.txt",
             {"content": "dG9waWMK", "branch": "topic"})
        post("/api/v1/repos/root/demo/issues", {"title": "an issue"})
        post("/api/v1/repos/root/demo/pulls", {"head": "topic", "base": "main", "title": "p"})
        post("/api/v1/repos/root/demo/branch_protections", {"rule_name": "main"})
        pilot = pilot_bearer(client, "root")
        org = post("/org", {"name": "Gigatech", "short_name": "GT"}, pilot)
        node = post(f"/org/{org['uid']}/nodes", BASES[("POST", "/org/{org_id}/nodes")][1](), pilot)
        # an external job held by an online hub runner (its poll is its heartbeat), so the
        # status walk reaches the artifacts it stores
        hub = post("/api/runners", {"name": "hub", "labels": ["linux"]})["data"]
        client.simulate_get("/api/jobs", headers={"x-runner-uuid": hub["uuid"],
                                                  "x-runner-token": hub["token"]})
        external = post("/api/jobs/delegate", {**_delegation(), "labels": ["linux"]})["data"]
        assert external["runner_id"] == hub["id"], external
        external = external["job_id"]
        names = {"org_id": org["uid"], "node_id": node["uid"], "external_job": external}
        try:
            yield app, client, names, pilot
        finally:
            app.plue.close()


def _body_integers(components: dict, schema: dict, path: tuple = ()):
    while "$ref" in schema:
        schema = components[schema["$ref"].rsplit("/", 1)[1]]
    if schema.get("type") == "integer":
        yield path
    for name, field in (schema.get("properties") or {}).items():
        yield from _body_integers(components, field, path + (name,))
    if "items" in schema:
        yield from _body_integers(components, schema["items"], path + (0,))


def _documented_body_integers(client) -> dict:
    spec = client.simulate_get("/api/openapi.json").json
    found = {}
    for path, methods in spec["paths"].items():
        for method, operation in methods.items():
            schema = operation.get("requestBody", {}).get("content", {}).get("application/json")
            fields = list(_body_integers(spec["components"]["schemas"], schema["schema"])) \
                if schema else []
            if fields:
                found[(method.upper(), path)] = fields
    return found


def _with(body: dict, field: tuple, value: int) -> dict:
    body = copy.deepcopy(body)
    holder = body
    for step, following in zip(field, field[1:]):
        if isinstance(step, int):
            while len(holder) <= step:
                holder.append({})
        elif step not in holder:
            holder[step] = [] if isinstance(following, int) else {}
        holder = holder[step]
    if isinstance(field[-1], int):
        holder[:] = [value]
    else:
        holder[field[-1]] = value
    return body


def test_every_documented_body_integer_is_walked(site):
    _, client, _, _ = site
    documented = _documented_body_integers(client)
    assert set(documented) == set(BASES), "give a new operation a base body in BASES"
    assert sum(len(fields) for fields in documented.values()) >= 20


def test_no_body_integer_of_64_bits_is_a_server_error(site):
    app, client, names, pilot = site
    failures, accepted = [], 0
    for (method, template), fields in _documented_body_integers(client).items():
        path, base = BASES[(method, template)]
        headers = pilot if path.startswith("/org/") else ROOT
        for field, value in itertools.product(fields, VALUES):
            response = client.simulate_request(method, path.format(**names),
                                               json=_with(base(), field, value), headers=headers)
            where = f"{method} {template} {'.'.join(map(str, field))}={value}"
            if response.status_code >= 500:
                failures.append(f"{where}: {response.status_code} {response.text[:300]}")
            elif response.status_code < 300:
                accepted += 1
            else:
                # RunnerHub's family refuses a body with 400 VALIDATION_ERROR (its seed)
                refusals = (404, 409, 422) if template.startswith("/api/v1/") or \
                    template.startswith("/org/") else (400, 404, 409)
                assert response.status_code in refusals, (where, response.text)
    assert failures == []
    assert accepted >= 20  # most values are kept, not refused
    assert _32_bit_columns_past_32_bits(app) == []


def _read(client, path):
    response = client.simulate_get(path, headers=ROOT)
    assert response.status_code == 200, response.text
    return response.json


@pytest.mark.parametrize("value", VALUES)
def test_a_branch_protection_keeps_64_bit_numbers(site, value):
    _, client, _, _ = site
    body = {"priority": value, "required_approvals": abs(value) if value > 0 else 0}
    response = client.simulate_patch("/api/v1/repos/root/demo/branch_protections/main",
                                      json=body, headers=ROOT)
    assert response.status_code == 200, response.text
    kept = _read(client, "/api/v1/repos/root/demo/branch_protections/main")
    assert (kept["priority"], kept["required_approvals"]) == (value, body["required_approvals"])


@pytest.mark.parametrize("value", VALUES[:3])  # its domain: -1 (the default) or a count
def test_an_admin_keeps_a_64_bit_max_repo_creation(site, value):
    app, client, _, _ = site
    response = client.simulate_patch("/api/v1/admin/users/bob", headers=ROOT, json={
        "login_name": "bob", "source_id": 0, "max_repo_creation": value})
    assert response.status_code == 200, response.text
    with connection(app.plue.db):
        assert Account.get(Account.lower_name == "bob").max_repo_creation == value


def _plain_integer_fields(app):
    """Every 32-bit column of every model: an ``IntegerField``, not a BIGINT, not a key."""
    models = core_models() + [model for _, model in app.plue.plugins.models().values()]
    for model in models:
        for field in model._meta.sorted_fields:
            if type(field) is peewee.IntegerField:
                yield model, field


def _32_bit_columns_past_32_bits(app) -> list[str]:
    """A 32-bit column holding a value outside 32 bits got it from a body; on PostgreSQL that
    write was a 500 -- on SQLite it succeeds, so this finds the column there too. Make it a
    BIGINT, or bound the field in its schema."""
    wide = []
    with connection(app.plue.db):
        for model, field in _plain_integer_fields(app):
            if model.select().where((field > INT32_MAX) | (field < INT32_MIN)).exists():
                wide.append(f"{model._meta.table_name}.{field.column_name}")
    return wide
