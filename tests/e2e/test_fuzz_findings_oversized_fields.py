"""Fields longer than their column, checked by no schema: PostgreSQL refuses the insert
(``value too long for type character varying``), a 500; SQLite stores them. Found by posting
every field of every web form oversized:

* an access token's name from the web's applications page (the API's schema caps it; the
  rule's home is ``accounts.users.create_access_token``);
* a review's ``commit_id``, from the API and the web's review form (``Review.commit_id`` is 64
  wide): now a 422 saying a commit SHA is 4 to 64 hex digits (``plue_pulls.reviews``).
"""

from __future__ import annotations

import base64
import re

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import (DEFAULT_PASSWORD, basic_auth, fresh_database_url, make_test_config,
                               make_user, migrate)

pytestmark = pytest.mark.e2e

ROOT = basic_auth("root")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("oversized")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "root", admin=True)
        client = falcon.testing.TestClient(app)

        def post(path, body):
            response = client.simulate_post(f"/api/v1{path}", json=body, headers=ROOT)
            assert response.status_code == 201, response.text

        post("/user/repos", {"name": "demo", "auto_init": True})
        post("/repos/root/demo/branches", {"new_branch_name": "topic"})
        post("/repos/root/demo/contents/t.txt",
             {"content": base64.b64encode(b"t\n").decode(), "branch": "topic"})
        post("/repos/root/demo/pulls", {"head": "topic", "base": "main", "title": "a pull"})
        try:
            yield client
        finally:
            app.plue.close()


def signed_in(client) -> tuple[dict, str]:
    page = client.simulate_get("/user/login")
    cookies = {name: c.value for name, c in page.cookies.items()}
    token = re.search(r'name="_csrf" value="([^"]+)"', page.text).group(1)
    response = post_form(client, "/user/login",
                         f"_csrf={token}&user_name=root&password={DEFAULT_PASSWORD}", cookies)
    assert response.status_code == 303, response.text
    cookies = {name: c.value for name, c in response.cookies.items()} or cookies
    token = re.search(r'name="_csrf" value="([^"]+)"',
                      client.simulate_get("/user/settings/applications", cookies=cookies).text)
    return cookies, token.group(1)


def post_form(client, path: str, body: str, cookies: dict):
    return client.simulate_post(path, body=body, cookies=cookies,
                                headers={"Content-Type": "application/x-www-form-urlencoded"})


def test_a_token_name_longer_than_its_column_is_a_422_on_the_web_page(client):
    cookies, token = signed_in(client)
    response = post_form(client, "/user/settings/applications",
                         f"_csrf={token}&action=create&name={'n' * 256}&scope_all=on", cookies)
    assert response.status_code == 422, response.text
    assert "access token name must be at most 255 characters" in response.text
    tokens = client.simulate_get("/api/v1/users/root/tokens", headers=ROOT).json
    assert all(len(t["name"]) <= 255 for t in tokens)


@pytest.mark.parametrize("commit_id", ["f" * 65, "x" * 300, "not a sha"])
def test_a_review_commit_id_that_is_no_sha_is_a_422_from_the_api(client, commit_id):
    response = client.simulate_post("/api/v1/repos/root/demo/pulls/1/reviews", headers=ROOT,
                                    json={"body": "hm", "event": "COMMENT", "commit_id": commit_id})
    assert response.status_code == 422, response.text
    assert response.json["message"].startswith("commit_id: ")
    reviews = client.simulate_get("/api/v1/repos/root/demo/pulls/1/reviews", headers=ROOT).json
    assert reviews == []


def test_a_review_commit_id_that_is_no_sha_is_a_422_from_the_web_form(client):
    cookies, token = signed_in(client)
    response = post_form(client, "/root/demo/pulls/1/files/reviews/submit",
                         f"_csrf={token}&type=comment&content=hm&commit_id={'x' * 100}", cookies)
    assert response.status_code == 422, response.text
    assert "is not a commit SHA" in response.text


def test_a_review_with_the_head_sha_is_still_accepted(client):
    head = client.simulate_get("/api/v1/repos/root/demo/pulls/1", headers=ROOT).json["head"]["sha"]
    response = client.simulate_post("/api/v1/repos/root/demo/pulls/1/reviews", headers=ROOT,
                                    json={"body": "ok", "event": "COMMENT", "commit_id": head})
    assert response.status_code == 200, response.text
    assert response.json["commit_id"] == head
