"""The HTTP shell every plugin shares: error bodies per API family, 500s, body limit, request
ids, CORS and pagination headers."""

from __future__ import annotations

import logging
import urllib.parse

import falcon.testing
import pytest
from marshmallow import Schema, fields

from plue_core import hookimpl
from plue_core.errors import BadRequest, Conflict, NotFound
from plue_core.pagination import OffsetPage
from plue_core.routing import Route
from plue_core.testing import make_user
from plue_core.validation import load_body

# One probe route per API family (ARCHITECTURE.md's table).
FAMILY_PATHS = {
    "gitea": "/api/v1/plue-probe",
    "pilot": "/common/plue-probe",
    "runnerhub": "/api/plue-probe",
    "tracked_repos": "/api/repos/plue-probe",
}


class ProbeBody(Schema):
    count = fields.Integer(required=True)


class ProbeResource:
    """Raises whatever the ``kind`` query parameter asks for."""

    def on_get(self, req, resp):
        kind = req.get_param("kind")
        if kind == "missing":
            raise NotFound("no such probe")
        if kind == "conflict":
            raise Conflict("probe exists", details={"field": "name"})
        if kind == "crash":
            raise RuntimeError("internal detail: password=hunter2")
        resp.media = {"ok": True}

    def on_post(self, req, resp):
        resp.media = load_body(req, ProbeBody)


class ProbePlugin:
    PLUE_NAME = "probe"

    @hookimpl
    def register_routes(self, ctx):
        return [Route(path, ProbeResource()) for path in FAMILY_PATHS.values()]


@pytest.fixture
def probe(build_client):
    return build_client(ProbePlugin())


# --- error bodies per family ---------------------------------------------------------------------


def test_gitea_errors_carry_message_and_url(probe):
    response = probe.simulate_get("/api/v1/plue-probe", params={"kind": "missing"})
    assert response.status_code == 404
    assert response.json["message"] == "no such probe"
    # Gitea's ``url`` is its API documentation, not the request (which may carry a token).
    assert response.json["url"].endswith("/api/swagger")
    conflict = probe.simulate_get("/api/v1/plue-probe", params={"kind": "conflict"})
    assert conflict.status_code == 409 and conflict.json["errors"] == [{"field": "name"}]


@pytest.mark.parametrize("family", ["pilot", "tracked_repos"])
def test_pilot_and_tracked_repos_errors_are_a_bare_error_string(probe, family):
    response = probe.simulate_get(FAMILY_PATHS[family], params={"kind": "missing"})
    assert response.status_code == 404
    assert response.json == {"error": "no such probe"}


def test_runnerhub_errors_are_an_envelope_with_the_request_id(probe):
    response = probe.simulate_get("/api/plue-probe", params={"kind": "conflict"})
    assert response.status_code == 409
    body = response.json
    assert body["success"] is False
    error = body["error"]
    assert error["code"] == "CONFLICT" and error["message"] == "probe exists"
    assert error["details"] == {"field": "name"}
    assert error["request_id"] == response.headers["X-Request-Id"]
    assert error["timestamp"].endswith("Z")


@pytest.mark.parametrize("family", sorted(FAMILY_PATHS))
def test_an_unexpected_exception_is_a_500_that_hides_the_traceback_but_names_the_request(
        probe, family, caplog):
    with caplog.at_level(logging.ERROR, logger="plue.errors"):
        response = probe.simulate_get(FAMILY_PATHS[family], params={"kind": "crash"})
    assert response.status_code == 500
    request_id = response.headers["X-Request-Id"]
    assert request_id in response.text
    for leak in ("hunter2", "Traceback", "RuntimeError", "internal detail"):
        assert leak not in response.text
    logged = [r for r in caplog.records if request_id in r.getMessage()]
    assert logged and logged[0].exc_info[0] is RuntimeError  # the traceback goes to the log


def test_unknown_paths_and_methods_answer_in_the_family_shape(probe):
    assert probe.simulate_get("/api/v1/no/such/thing").json["message"] == "Not Found"
    hub = probe.simulate_get("/api/no-such-thing")
    assert hub.status_code == 404 and hub.json["error"]["code"] == "RESOURCE_NOT_FOUND"
    wrong_method = probe.simulate_delete("/api/v1/version")
    assert wrong_method.status_code == 405 and "message" in wrong_method.json


def test_a_bad_body_is_a_4xx_naming_the_problem(probe):
    not_json = probe.simulate_post("/api/v1/plue-probe", body="{not json",
                                   headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and "not valid JSON" in not_json.json["message"]
    wrong_type = probe.simulate_post("/api/v1/plue-probe", json={"count": "many"})
    assert wrong_type.status_code == 422 and "count" in wrong_type.json["message"]
    missing = probe.simulate_post("/common/plue-probe", json={})
    assert missing.status_code == 422 and "count" in missing.json["error"]
    assert probe.simulate_post("/api/v1/plue-probe", json={"count": 3}).json == {"count": 3}
    hub = probe.simulate_post("/api/plue-probe", json={"count": "many"})
    assert hub.status_code == 400 and hub.json["error"]["code"] == "VALIDATION_ERROR"
    assert "count" in hub.json["error"]["message"]


@pytest.mark.parametrize("family", sorted(FAMILY_PATHS))
def test_a_nul_character_in_a_json_string_or_the_url_is_a_400_in_every_family(probe, family):
    # PostgreSQL can neither store nor compare a string holding NUL: refused before any query.
    path = FAMILY_PATHS[family]
    for body in ('{"count": 1, "name": "a\\u0000b"}', '{"count": 1, "tags": [{"k\\u0000": 1}]}'):
        response = probe.simulate_post(path, body=body, headers={"Content-Type": "application/json"})
        assert response.status_code == 400, response.text
        assert "NUL" in response.text
    for url in (f"{path}?kind=a%00b", path + "%00"):
        response = probe.simulate_get(url)
        assert response.status_code == 400 and "NUL" in response.text
        if family == "runnerhub":
            assert response.json["error"]["code"] == "VALIDATION_ERROR"
    # An escaped backslash followed by "u0000" is six ordinary characters.
    fine = probe.simulate_post(path, body='{"count": 1, "name": "a\\\\u0000b"}',
                               headers={"Content-Type": "application/json"})
    assert fine.status_code == 200 and fine.json == {"count": 1}


# --- body limit, request id, CORS ------------------------------------------------------------------


def test_a_body_over_the_limit_is_refused_with_413(build_client):
    client = build_client(ProbePlugin(), max_body_size=64)
    big = {"count": 1, "padding": "x" * 200}
    response = client.simulate_post("/api/v1/plue-probe", json=big)
    assert response.status_code == 413
    assert "the limit is 64 bytes" in response.json["message"]
    hub = client.simulate_post("/api/plue-probe", json=big)
    assert hub.status_code == 413 and hub.json["error"]["code"] == "PAYLOAD_TOO_LARGE"
    assert client.simulate_post("/api/v1/plue-probe", json={"count": 1}).status_code == 200


def test_a_sane_request_id_is_echoed_and_a_missing_or_odd_one_is_replaced(probe):
    given = probe.simulate_get("/api/v1/version", headers={"X-Request-Id": "trace-42.a_b"})
    assert given.headers["X-Request-Id"] == "trace-42.a_b"
    made = probe.simulate_get("/api/v1/version").headers["X-Request-Id"]
    assert made.startswith("req_")
    odd = probe.simulate_get("/api/v1/version", headers={"X-Request-Id": "<script>"})
    assert odd.headers["X-Request-Id"] != "<script>"
    assert probe.simulate_get("/api/v1/version").headers["X-Request-Id"] != made


def test_cors_is_off_by_default_and_on_for_configured_origins(build_client):
    origin = {"Origin": "https://ui.example"}
    off = build_client().simulate_get("/api/v1/version", headers=origin)
    assert "Access-Control-Allow-Origin" not in off.headers
    on = build_client(cors_origins=["https://ui.example"]).simulate_get("/api/v1/version",
                                                                         headers=origin)
    assert on.headers["Access-Control-Allow-Origin"] == "https://ui.example"


# --- pagination ----------------------------------------------------------------------------------------


def links(response) -> dict[str, dict[str, str]]:
    """``{"next": {"page": "3", ...}}`` from an RFC 8288 ``Link`` header."""
    parsed = {}
    for part in response.headers.get("Link", "").split(","):
        if not part.strip():
            continue
        url, rel = part.split(";")
        query = urllib.parse.urlparse(url.strip()[1:-1]).query
        parsed[rel.strip().removeprefix('rel="').removesuffix('"')] = dict(
            urllib.parse.parse_qsl(query))
    return parsed


@pytest.fixture
def five_users(ctx):
    for name in ("ann", "ben", "cat", "dan", "eve"):
        make_user(ctx, name)


def test_page_and_limit_set_link_and_total_count_headers(client, five_users):
    response = client.simulate_get("/api/v1/users/search", params={"limit": 2, "page": 2, "q": ""})
    assert response.headers["X-Total-Count"] == "5"
    assert [u["login"] for u in response.json["data"]] == ["cat", "dan"]
    rels = links(response)
    assert rels["next"]["page"] == "3" and rels["last"]["page"] == "3"
    assert rels["first"]["page"] == "1" and rels["prev"]["page"] == "1"
    assert all(rel["limit"] == "2" for rel in rels.values())

    last = client.simulate_get("/api/v1/users/search", params={"limit": 2, "page": 3})
    assert [u["login"] for u in last.json["data"]] == ["eve"]
    assert set(links(last)) == {"first", "prev"}


def test_limit_is_capped_at_the_configured_maximum(client, five_users):
    response = client.simulate_get("/api/v1/users/search", params={"limit": 1000})
    assert len(response.json["data"]) == 5
    assert "Link" not in response.headers  # one page only
    assert response.headers["X-Total-Count"] == "5"


@pytest.mark.parametrize("page", [0, -1, -9223372036854775809])
def test_a_page_below_one_is_the_first_page_as_in_gitea(client, five_users, page):
    response = client.simulate_get("/api/v1/users/search", params={"limit": 2, "page": page})
    assert response.status_code == 200
    assert [u["login"] for u in response.json["data"]] == ["ann", "ben"]
    assert "first" not in links(response) and links(response)["next"]["page"] == "2"


def test_a_limit_below_one_is_the_default_size_as_in_gitea(client, five_users):
    response = client.simulate_get("/api/v1/users/search", params={"limit": -3})
    assert len(response.json["data"]) == 5 and response.headers["X-Total-Count"] == "5"


@pytest.mark.parametrize("params", [{"page": "zero"}, {"limit": "ten"}])
def test_a_page_or_limit_that_is_no_integer_is_gitea_s_zero(client, five_users, params):
    # Gitea's FormInt: an unparsable integer is 0, so page 1 at the default size.
    response = client.simulate_get("/api/v1/users/search", params=params)
    assert response.status_code == 200, response.text
    assert len(response.json["data"]) == 5 and response.headers["X-Total-Count"] == "5"


def test_runnerhub_offset_pages_default_cap_and_describe_themselves():
    def page(query: str) -> OffsetPage:
        return OffsetPage.from_request(falcon.testing.create_req(path="/api/jobs", query_string=query))

    assert page("") == OffsetPage(limit=50, offset=0)
    assert page("limit=500&offset=20") == OffsetPage(limit=100, offset=20)
    assert page("limit=2&offset=4").pages(5) == 3 and page("limit=2").pages(0) == 0
    with pytest.raises(BadRequest, match="'offset'"):
        page("offset=-1")
