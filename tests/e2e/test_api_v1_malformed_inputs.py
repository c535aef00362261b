"""What a careless or hostile client can send to /api/v1 (wrong JSON types, numbers past
int64, zero or negative paging, unknown enum values, non-UTF-8 paths, missing bodies) gets
a 4xx in Gitea's error shape naming what was wrong, never a 500. Each case here was a 500
or is a class of input that produced one elsewhere."""

from __future__ import annotations

import json

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

BIG = "99999999999999999999"  # past int64: SQLite cannot bind it, PostgreSQL cannot compare it
OTHER_FAMILIES = ("runnerhub", "tracked_repos", "security", "runners", "nodes", "monitoring")


@pytest.fixture(scope="module")
def api(tmp_path_factory):
    """alice owns alice/demo (with a commit) and the org acme; root is the site admin."""
    tmp_path = tmp_path_factory.mktemp("malformed")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url, plugins={"disabled": list(OTHER_FAMILIES)}))
        migrate(app)
        make_user(app.plue, "root", admin=True)
        make_user(app.plue, "alice")
        client = falcon.testing.TestClient(app)

        def call(method, path, body=None, *, raw=None, user="alice", params=None):
            data = raw if raw is not None else (json.dumps(body) if body is not None else None)
            return client.simulate_request(method, f"/api/v1{path}", body=data, params=params,
                                           headers={**basic_auth(user), "Content-Type": "application/json"})

        assert call("POST", "/user/repos", {"name": "demo", "auto_init": True}).status_code == 201
        assert call("POST", "/orgs", {"username": "acme"}).status_code == 201
        assert call("POST", "/repos/alice/demo/issues", {"title": "first"}).status_code == 201
        assert call("PUT", "/user/actions/variables/GREETING", None).status_code in (400, 404, 422)
        assert call("POST", "/user/actions/variables/GREETING", {"value": "hi"}).status_code == 201
        try:
            yield call
        finally:
            app.plue.close()


def assert_gitea_error(response, status, *words):
    assert response.status_code == status, response.text
    body = response.json
    assert isinstance(body["message"], str) and isinstance(body["url"], str)
    for word in words:
        assert word.lower() in body["message"].lower(), body["message"]


@pytest.mark.parametrize("method, path, what", [
    ("GET", f"/user/keys/{BIG}", "public key"),
    ("DELETE", f"/admin/users/alice/keys/{BIG}", "public key"),
    ("GET", f"/teams/{BIG}", "team"),
    ("GET", f"/teams/{BIG}/members", "team"),
    ("PUT", f"/teams/{BIG}/members/alice", "team"),
    ("DELETE", f"/users/alice/tokens/{BIG}", "access token"),
    ("GET", f"/repositories/{BIG}", "repository"),
    ("GET", f"/orgs/acme/labels/{BIG}", "label"),
    ("PATCH", f"/orgs/acme/labels/{BIG}", "label"),
    ("GET", f"/user/actions/runners/{BIG}", "runner"),
    ("GET", f"/orgs/acme/actions/runners/{BIG}", "runner"),
    ("DELETE", f"/admin/actions/runners/{BIG}", "runner"),
])
def test_an_id_past_int64_is_a_404_naming_it(api, method, path, what):
    """Routes with an ``{x:id}`` converter answer before the resource (which would name
    ``what``): the number and the bound are named (plue_core/integers.py)."""
    user = "root" if path.startswith("/admin") else "alice"
    body = {} if method in ("PATCH", "PUT") else None
    response = api(method, path, body, user=user)
    assert_gitea_error(response, 404, BIG)
    assert what in response.json["message"] or "64-bit" in response.json["message"]


@pytest.mark.parametrize("path", ["/orgs", "/user/repos", "/admin/users", "/user/actions/runs",
                                  "/orgs/acme/actions/variables", "/repos/alice/demo/issues"])
def test_a_page_past_int64_is_an_empty_page(api, path):
    response = api("GET", path, params={"page": BIG, "limit": "50"}, user="root")
    assert response.status_code == 200, response.text
    assert response.json == [] or response.json.get("total_count") is not None


def test_a_zero_limit_means_the_default_size(api):
    response = api("GET", "/user/repos", params={"page": "1", "limit": "0"})
    assert response.status_code == 200 and [r["name"] for r in response.json] == ["demo"]


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "-3"}, {"limit": "-5"},
                                    {"page": "0", "limit": "-1"}])
def test_a_page_or_limit_below_one_is_the_first_page_of_the_default_size_as_in_gitea(api, params):
    response = api("GET", "/user/repos", params=params)
    assert response.status_code == 200, response.text
    assert [r["name"] for r in response.json] == ["demo"]
    assert response.headers["X-Total-Count"] == "1"


@pytest.mark.parametrize("params", [{"page": "two"}, {"limit": "1e3"}])
def test_a_page_or_limit_that_is_no_integer_is_read_as_gitea_reads_it(api, params):
    # Gitea's FormInt reads an unparsable integer as 0: page 1, the default page size.
    response = api("GET", "/user/repos", params=params)
    assert response.status_code == 200, response.text
    assert [r["name"] for r in response.json] == ["demo"]


def test_creating_a_status_through_the_ref_listing_route_is_405_not_500(api):
    """Gitea creates statuses by sha only (POST /statuses/{sha}); /commits/{ref}/statuses lists."""
    response = api("POST", "/repos/alice/demo/commits/main/statuses", {"state": "success"})
    assert response.status_code == 405 and "message" in response.json
    assert api("GET", "/repos/alice/demo/commits/main/statuses").status_code == 200


def test_renaming_a_variable_to_a_name_longer_than_its_column_is_a_400(api):
    # A refused variable name is Gitea's 400 (its ValidateName), not a 500 from the column.
    response = api("PUT", "/user/actions/variables/GREETING", {"name": "A" * 300, "value": "x"})
    assert_gitea_error(response, 400, "255")


@pytest.mark.parametrize("method, path, raw", [
    ("POST", "/user/repos", ""),
    ("POST", "/user/repos", "{"),
    ("POST", "/user/repos", "[]"),
    ("POST", "/user/repos", "null"),
    ("POST", "/user/repos", json.dumps({"name": 5})),
    ("PATCH", "/repos/alice/demo", json.dumps({"private": []})),
    ("POST", "/orgs", json.dumps({"username": ["acme2"]})),
    ("POST", "/orgs/acme/teams", json.dumps({"name": "t", "permission": "god"})),
    ("POST", "/repos/alice/demo/issues", json.dumps({"title": []})),
    ("POST", "/repos/alice/demo/issues", json.dumps({"title": "t", "milestone": 10 ** 30})),
    ("POST", "/repos/alice/demo/issues", json.dumps({"title": "t", "labels": [10 ** 30]})),
    ("PATCH", "/repos/alice/demo/issues/1", json.dumps({"milestone": 10 ** 30})),
    ("POST", "/repos/alice/demo/issues/1/labels", json.dumps({"labels": [10 ** 30]})),
    ("POST", "/repos/alice/demo/labels", json.dumps({"name": "l", "color": 7})),
    ("POST", "/repos/alice/demo/milestones", json.dumps({"title": "m", "due_on": "yesterday"})),
    ("POST", "/repos/alice/demo/pulls", json.dumps({"head": 1, "base": [], "title": "p"})),
    ("POST", "/repos/alice/demo/branches", json.dumps({"new_branch_name": 1})),
    ("POST", "/repos/alice/demo/contents/x.txt", json.dumps({"content": 7})),
    ("POST", "/repos/alice/demo/statuses/main", json.dumps({"state": "exploded"})),
    ("POST", "/users/alice/tokens", json.dumps({"name": "t", "scopes": "all"})),
    ("POST", "/user/keys", json.dumps({"title": "k", "key": 1})),
    ("PUT", "/repos/alice/demo/actions/secrets/S", json.dumps({"data": 1})),
    ("POST", "/repos/alice/demo/actions/variables/V", json.dumps({"value": []})),
])
def test_malformed_bodies_are_4xx_in_giteas_error_shape(api, method, path, raw):
    response = api(method, path, raw=raw)
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert isinstance(response.json["message"], str) and response.json["message"]


@pytest.mark.parametrize("params", [{"state": "weird"}, {"type": "nope"}, {"sort": "zzz"},
                                    {"labels": "x" * 500}, {"since": "garbage"}])
def test_unknown_filter_values_never_crash_the_issue_list(api, params):
    assert api("GET", "/repos/alice/demo/issues", params=params).status_code < 500


@pytest.mark.parametrize("path", ["/repos/alice/%FF%FE", "/repos/%C3%28/demo/issues",
                                  "/repos/alice/demo/contents/%FF", "/repos/alice/demo/branches/%FE",
                                  "/users/%FF", "/orgs/%FF/teams"])
def test_non_utf8_paths_are_4xx(api, path):
    response = api("GET", path)
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
