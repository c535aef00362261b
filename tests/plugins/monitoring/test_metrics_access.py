"""Who may scrape /metrics: by default site administrators and whoever sends the configured
metrics token as a Bearer token (as Prometheus does); ``metrics_access = "public"`` opens it."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import basic_auth, make_test_config, make_user, migrate

TOKEN = "scrape-token-for-prometheus-0123"


@pytest.fixture
def build(tmp_path, plue_database_url):
    apps = []

    def build(**monitoring):
        app = create_app(make_test_config(tmp_path, plue_database_url, monitoring=monitoring))
        migrate(app)
        if not apps:
            make_user(app.plue, "root", admin=True)
            make_user(app.plue, "alice")
        apps.append(app)
        return falcon.testing.TestClient(app)

    yield build
    for app in apps:
        app.plue.close()


def _bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def test_by_default_only_administrators_scrape(build):
    client = build()
    anonymous = client.simulate_get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous.headers["WWW-Authenticate"] == 'Bearer realm="plue metrics"'
    assert anonymous.json["error"]["message"].startswith("/metrics needs a site administrator")
    user = client.simulate_get("/metrics", headers=basic_auth("alice"))
    assert user.status_code == 403 and user.json["error"]["code"] == "AUTHORIZATION_FAILED"
    admin = client.simulate_get("/metrics", headers=basic_auth("root"))
    assert admin.status_code == 200 and "plue_users 2.0" in admin.text


def test_the_metrics_token_scrapes_and_nothing_else(build):
    client = build(metrics_token=TOKEN)
    scraped = client.simulate_get("/metrics", headers=_bearer(TOKEN))
    assert scraped.status_code == 200 and scraped.headers["content-type"].startswith("text/plain")
    assert client.simulate_get("/metrics", headers=_bearer(TOKEN + "x")).status_code == 401
    # The token is no credential anywhere else.
    assert client.simulate_get("/api/v1/user", headers=_bearer(TOKEN)).status_code == 401
    assert client.simulate_get("/api/metrics", headers=_bearer(TOKEN)).status_code == 401


def test_an_admin_token_needs_the_admin_scope(build):
    client = build()
    created = client.simulate_post("/api/v1/users/root/tokens", headers=basic_auth("root"),
                                   json={"name": "ci", "scopes": ["read:repository"]})
    narrow = client.simulate_get("/metrics", headers={"Authorization": f"token {created.json['sha1']}"})
    assert narrow.status_code == 403


def test_metrics_can_be_made_public(build):
    assert build(metrics_access="public").simulate_get("/metrics").status_code == 200


def test_a_short_metrics_token_is_a_startup_error(tmp_path, plue_database_url):
    from plue_core.errors import StartupError
    with pytest.raises(StartupError, match="monitoring.metrics_token"):
        create_app(make_test_config(tmp_path, plue_database_url, monitoring={"metrics_token": "short"}))
