"""``POST /api/repos`` (seed 003) with a URL whose owner or name is longer than its column
(255) or whose normalized URL is longer than 2,048 characters: PostgreSQL refused the insert
(``value too long``), a 500; SQLite stored it. Now a 400 in the family's ``{"error"}`` shape
saying what is too long (``plue_tracked_repos.repository_urls``), and nothing is stored."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

pytestmark = pytest.mark.e2e

ROOT = basic_auth("root")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("tracked-urls")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "root", admin=True)
        try:
            yield falcon.testing.TestClient(app)
        finally:
            app.plue.close()


@pytest.mark.parametrize("url, words", [
    ("https://github.com/" + "o" * 256 + "/name", "url owner is 256 characters long; at most 255"),
    ("https://gitlab.com/owner/" + "n" * 300, "url name is 300 characters long; at most 255"),
    ("https://" + "h" * 2100 + ".example/owner/name", "characters long; at most 2048"),
])
def test_a_url_longer_than_its_columns_is_a_400_and_nothing_is_tracked(client, url, words):
    response = client.simulate_post("/api/repos", json={"url": url}, headers=ROOT)
    assert response.status_code == 400, response.text
    assert set(response.json) == {"error"} and words in response.json["error"]
    assert client.simulate_get("/api/repos", headers=ROOT).json == []


def test_the_longest_owner_and_name_are_tracked(client):
    url = "https://gitlab.com/" + "o" * 255 + "/" + "n" * 255
    response = client.simulate_post("/api/repos", json={"url": url}, headers=ROOT)
    assert response.status_code == 201, response.text
    assert response.json["url"] == url
