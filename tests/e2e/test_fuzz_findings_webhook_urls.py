"""A webhook URL ``urllib`` cannot split (a bracketed host that is no IP address) was a 500
when the hook was created; one whose port is out of range was stored and failed at every
delivery. Both are now the 422 naming ``config.url`` that any other non-http URL gets."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, fresh_database_url, make_test_config, make_user, migrate

ALICE = basic_auth("alice")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hook-urls")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        make_user(app.plue, "alice")
        client = falcon.testing.TestClient(app)
        assert client.simulate_post("/api/v1/user/repos", json={"name": "demo"},
                                    headers=ALICE).status_code == 201
        try:
            yield client
        finally:
            app.plue.close()


@pytest.mark.parametrize("url", ["http://[zz]/", "http://[::1/", "http://example.com:99999/",
                                 "http://example.com:port/"])
@pytest.mark.parametrize("path", ["/api/v1/repos/alice/demo/hooks", "/api/v1/user/hooks"])
def test_a_webhook_url_no_request_could_reach_is_a_422_naming_it(client, path, url):
    response = client.simulate_post(path, headers=ALICE, json={
        "type": "gitea", "config": {"url": url, "content_type": "json"}})
    assert response.status_code == 422, response.text
    assert response.json["message"] == "config.url must be an http or https URL"
    assert client.simulate_get(path, headers=ALICE).json == []
