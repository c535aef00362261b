"""A NUL character where no JSON body carries it: a Basic credential's user name and a web
form's field. PostgreSQL refuses ``\\x00`` in a query, so both were a 500 there (in every
API family, git over HTTP and the web pages: authentication runs for all of them). A Basic
login holding one names no account (401 in the family's shape); a form field holding one is
a 400 naming the field, as a JSON string holding one is (plue_core.request_json)."""

from __future__ import annotations

import base64
import re

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, make_test_config, make_user, migrate


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("nul")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice", admin=True)
        client = falcon.testing.TestClient(app)
        response = client.simulate_post("/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                                        headers=basic("alice", DEFAULT_PASSWORD))
        assert response.status_code == 201, response.text
        try:
            yield client
        finally:
            app.plue.close()


def basic(login: str, password: str) -> dict:
    return {"Authorization": "Basic " + base64.b64encode(f"{login}:{password}".encode()).decode()}


@pytest.mark.parametrize("path, message", [
    ("/api/v1/user", lambda body: body["message"]),
    ("/auth/me", lambda body: body["error"]),
    ("/api/repos", lambda body: body["error"]),
    ("/api/jobs", lambda body: body["error"]["message"]),
    ("/alice/demo.git/info/refs?service=git-upload-pack", lambda body: body["message"]),
])
@pytest.mark.parametrize("login", ["ali\0ce", "\0" * 40])
def test_a_basic_login_holding_nul_is_a_401_in_the_familys_shape(client, path, message, login):
    response = client.simulate_get(path.split("?")[0], query_string=path.partition("?")[2],
                                   headers=basic(login, DEFAULT_PASSWORD))
    assert response.status_code == 401, response.text
    assert "incorrect" in message(response.json)


def csrf_token(page: str) -> str:
    return re.search(r'name="_csrf" value="([^"]+)"', page).group(1)


def post_form(client, path: str, fields: str, cookies: dict):
    return client.simulate_post(path, body=fields, cookies=cookies,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_a_web_form_field_holding_nul_is_a_400_naming_it(client):
    page = client.simulate_get("/user/login")
    cookies = {name: c.value for name, c in page.cookies.items()}
    token = csrf_token(page.text)
    response = post_form(client, "/user/login", f"_csrf={token}&user_name=ali%00ce&password=x",
                         cookies)
    assert response.status_code == 400, response.text
    assert "user_name" in response.text and "NUL" in response.text

    signed_in = post_form(client, "/user/login",
                          f"_csrf={token}&user_name=alice&password={DEFAULT_PASSWORD}", cookies)
    assert signed_in.status_code == 303, signed_in.text
    cookies = {name: c.value for name, c in signed_in.cookies.items()}
    token = csrf_token(client.simulate_get("/alice/demo/settings/branches", cookies=cookies).text)
    response = post_form(client, "/alice/demo/settings/branches/delete",
                         f"_csrf={token}&rule_name=ma%00in", cookies)
    assert response.status_code == 400, response.text
    assert "rule_name" in response.text
