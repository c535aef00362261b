"""Bodies no JSON client means but any client can send, to every API family: arrays or
objects nested past Python's recursion limit (the decoder's RecursionError was a 500
everywhere) and a multipart/form-data body where JSON is due (Falcon parses it into a form
object that RunnerHub's error ``details`` echoed and the JSON encoder could not write: a
500). Each is now a 4xx in the family's shape saying what was wrong."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

DEEP_ARRAY = "[" * 100_000 + "]" * 100_000
DEEP_OBJECT = '{"a":' * 50_000 + "1" + "}" * 50_000
MULTIPART = "multipart/form-data; boundary=x"
FORM = '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nrunner\r\n--x--\r\n'


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("bodies")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice", admin=True)
        try:
            yield falcon.testing.TestClient(app)
        finally:
            app.plue.close()


def message_of(path: str, body: dict) -> str:
    if path.startswith("/api/v1"):
        return body["message"]
    if path.startswith(("/auth", "/org", "/api/repos")):
        return body["error"]
    assert body["success"] is False
    return body["error"]["message"]


@pytest.mark.parametrize("path", [
    "/api/v1/user/repos", "/auth/register", "/org", "/api/repos", "/api/runners",
    "/api/jobs/delegate", "/api/v1/orgs",
])
@pytest.mark.parametrize("raw", [DEEP_ARRAY, DEEP_OBJECT], ids=["array", "object"])
def test_a_body_nested_past_the_recursion_limit_is_a_400(client, path, raw):
    response = client.simulate_post(path, body=raw, headers={
        **basic_auth("alice"), "Content-Type": "application/json"})
    assert response.status_code == 400, response.text
    assert "nests" in message_of(path, response.json)


@pytest.mark.parametrize("path", ["/api/runners", "/api/jobs/delegate", "/api/auth/login",
                                  "/api/security/scan", "/api/v1/user/repos", "/org"])
def test_a_multipart_body_where_json_is_due_is_a_4xx_naming_the_media_type(client, path):
    response = client.simulate_post(path, body=FORM, headers={
        **basic_auth("alice"), "Content-Type": MULTIPART})
    assert response.status_code in (400, 422), response.text
    assert "JSON object" in message_of(path, response.json)
    if path.startswith("/api/") and not path.startswith("/api/v1"):
        details = response.json["error"]["details"]
        assert details["field"] == "body" and details["value"] == MULTIPART, details
