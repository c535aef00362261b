"""The ``register_middleware`` hook (added to the core for this plugin): a plugin's middleware
runs after the core's, so it sees the identity, and its errors use the family's shape."""

from __future__ import annotations

import types

import falcon.testing

from plue_core import create_app, hookimpl
from plue_core.errors import Forbidden
from plue_core.identity import current_identity
from plue_core.testing import basic_auth, make_test_config, make_user, migrate


class WhoAmIHeader:
    def process_request(self, req, resp):
        identity = current_identity(req)
        if req.get_header("X-Refuse"):
            raise Forbidden("refused by a plugin's middleware")
        resp.set_header("X-Seen-User", identity.username if identity else "-")


def middleware_plugin():
    plugin = types.SimpleNamespace(PLUE_NAME="whoami")

    @hookimpl
    def register_middleware(ctx):
        return [WhoAmIHeader()]

    plugin.register_middleware = register_middleware
    return plugin


def test_a_plugins_middleware_sees_the_identity_and_answers_in_the_familys_shape(
        tmp_path, plue_database_url):
    app = create_app(make_test_config(tmp_path, plue_database_url), plugins=[middleware_plugin()])
    try:
        migrate(app)
        make_user(app.plue, "alice")
        client = falcon.testing.TestClient(app)
        assert client.simulate_get("/api/v1/version").headers["X-Seen-User"] == "-"
        seen = client.simulate_get("/api/v1/user", headers=basic_auth("alice"))
        assert seen.headers["X-Seen-User"] == "alice"
        refused = client.simulate_get("/api/metrics", headers={"X-Refuse": "1"})
        assert refused.status_code == 403
        assert refused.json["error"]["code"] == "AUTHORIZATION_FAILED"
        gitea = client.simulate_get("/api/v1/version", headers={"X-Refuse": "1"})
        assert gitea.status_code == 403 and gitea.json["message"] == "refused by a plugin's middleware"
    finally:
        app.plue.close()


def test_the_monitoring_plugin_installs_metrics_then_rate_limits(plue_app):
    from plue_monitoring.rate_limits import RateLimitMiddleware
    from plue_monitoring.request_metrics import RequestMetricsMiddleware

    collected = [component for plugin, component in
                 plue_app.plue.plugins._collect("register_middleware", ctx=plue_app.plue)
                 if plugin == "monitoring"]
    assert [type(c) for c in collected] == [RequestMetricsMiddleware, RateLimitMiddleware]
