"""Integer query values past 64 bits: each was read with its own ``int(...)`` and bound into
SQL, where SQLite raises ``OverflowError`` and PostgreSQL refuses the comparison -- a 500.
They now go through ``plue_core.integers`` (``parse_id``, ``parse_int64``), the home of the
64-bit bounds, and are a 4xx in their family's shape naming the parameter. Found by raw
requests from outside (every documented query parameter of every operation given
``9223372036854775808`` and ``99999999999999999999``), on SQLite and PostgreSQL."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

ALICE = basic_auth("alice")
PAST_INT64 = "9223372036854775808"
HUGE = "99999999999999999999"
INT64_MAX = "9223372036854775807"


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("int64")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice", admin=True)
        client = falcon.testing.TestClient(app)
        assert client.simulate_post("/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                                    headers=ALICE).status_code == 201
        assert client.simulate_post("/api/repos", json={"url": "https://github.com/a/b"},
                                    headers=ALICE).status_code == 201
        delegation = client.simulate_post("/api/jobs/delegate", headers=ALICE, json={
            "repository": "octo/widgets", "job_id": "123", "job_name": "Build",
            "workflow_name": "CI", "labels": ["ubuntu-latest"]})
        assert delegation.status_code == 201, delegation.text
        client.job_id = delegation.json["data"]["job_id"]
        try:
            yield client
        finally:
            app.plue.close()


@pytest.mark.parametrize("value", [PAST_INT64, HUGE, f"-{HUGE}"])
@pytest.mark.parametrize("name", ["milestone", "labels"])
def test_a_pull_list_filter_past_64_bits_is_a_gitea_422_naming_it(client, name, value):
    response = client.simulate_get("/api/v1/repos/alice/demo/pulls", headers=ALICE,
                                   query_string=f"{name}={value}")
    assert response.status_code == 422, response.text
    assert set(response.json) == {"message", "url"}
    assert response.json["message"].startswith(f"{name}:"), response.json
    assert "64-bit" in response.json["message"]


def test_the_largest_64_bit_pull_list_filters_find_nothing(client):
    response = client.simulate_get("/api/v1/repos/alice/demo/pulls", headers=ALICE,
                                   query_string=f"milestone={INT64_MAX}&labels=-{INT64_MAX}")
    assert response.status_code == 200, response.text
    assert response.json == []


@pytest.mark.parametrize("value", [PAST_INT64, HUGE, f"-{HUGE}"])
def test_a_deploy_key_id_past_64_bits_is_a_gitea_422(client, value):
    response = client.simulate_get("/api/v1/repos/alice/demo/keys", headers=ALICE,
                                   query_string=f"key_id={value}")
    assert response.status_code == 422, response.text
    assert set(response.json) == {"message", "url"}
    assert "key_id" in response.json["message"] and "64-bit" in response.json["message"]


def test_a_deploy_key_id_of_64_bits_finds_nothing(client):
    response = client.simulate_get("/api/v1/repos/alice/demo/keys", headers=ALICE,
                                   query_string=f"key_id=-{INT64_MAX}")
    assert response.status_code == 200, response.text
    assert response.json == []


@pytest.mark.parametrize("value", [PAST_INT64, HUGE])
def test_runnerhub_log_lines_past_64_bits_is_its_validation_error(client, value):
    response = client.simulate_get(f"/api/jobs/{client.job_id}/logs", headers=ALICE,
                                   query_string=f"lines={value}")
    assert response.status_code == 400, response.text
    error = response.json["error"]
    assert response.json["success"] is False and error["code"] == "VALIDATION_ERROR"
    assert error["details"]["field"] == "lines" and error["details"]["value"] == value


def test_runnerhub_log_lines_of_64_bits_is_every_line(client):
    response = client.simulate_get(f"/api/jobs/{client.job_id}/logs", headers=ALICE,
                                   query_string=f"lines={INT64_MAX}")
    assert response.status_code == 200, response.text
    assert response.json["success"] is True


@pytest.mark.parametrize("name, value", [("page", PAST_INT64), ("page", HUGE),
                                         ("limit", PAST_INT64), ("limit", HUGE)])
def test_tracked_commits_paging_past_64_bits_is_a_400_naming_it(client, name, value):
    response = client.simulate_get("/api/repos/1/commits", headers=ALICE,
                                   query_string=f"{name}={value}")
    assert response.status_code == 400, response.text
    assert name in response.json["error"] and value in response.json["error"]


def test_the_last_64_bit_page_of_tracked_commits_is_empty(client):
    response = client.simulate_get("/api/repos/1/commits", headers=ALICE,
                                   query_string=f"page={INT64_MAX}")
    assert response.status_code == 200, response.text
    assert response.json == [] and response.headers["X-Total-Count"] == "0"


@pytest.fixture(scope="module")
def seeded(tmp_path_factory):
    """The schemathesis run's site (a repository with an issue, a pull request, a label, a
    milestone, a team...), with a delegated RunnerHub job and a tracked repository."""
    from test_schemathesis_openapi import seed

    tmp_path = tmp_path_factory.mktemp("int64_sweep")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "root", admin=True)
        make_user(app.plue, "bob")
        client = falcon.testing.TestClient(app)
        seed(client)
        root = basic_auth("root")
        job = client.simulate_post("/api/jobs/delegate", headers=root, json={
            "repository": "octo/widgets", "job_id": "1", "job_name": "Build",
            "workflow_name": "CI", "labels": ["ubuntu-latest"]}).json["data"]["job_id"]
        assert client.simulate_post("/api/repos", json={"url": "https://github.com/a/b"},
                                    headers=root).status_code == 201
        try:
            yield client, {"job_id": job, "repo_id": 1}
        finally:
            app.plue.close()


def test_no_documented_integer_query_past_64_bits_is_a_server_error(seeded):
    """The sweep that found the above: every GET of the served document, every query parameter
    it documents, given a value past 64 bits either way."""
    from test_schemathesis_openapi import PINNED

    client, ids = seeded
    spec = client.simulate_get("/api/openapi.json").json
    values = {**PINNED, **ids, "index": 1, "sha": "main"}
    asked, errors = 0, []
    for template, methods in spec["paths"].items():
        parameters = methods.get("get", {}).get("parameters", [])
        names = [p["name"] for p in parameters if p["in"] == "query"]
        if not names or not {p["name"] for p in parameters if p["in"] == "path"} <= set(values):
            continue
        path = template.format_map({key: str(value) for key, value in values.items()})
        for name in names:
            for value in (PAST_INT64, f"-{HUGE}"):
                asked += 1
                response = client.simulate_get(path, query_string=f"{name}={value}",
                                               headers=basic_auth("root"))
                if response.status_code >= 500:
                    errors.append(f"GET {path}?{name}={value} -> {response.status_code}")
    assert asked > 200, asked
    assert errors == []
