"""A GET to a runner.v1 procedure (a browser, a crawler, a probe) was a 501: a 5xx says the
server failed. It is connect-go's answer now: 405 with ``Allow: POST``, the body still the
Connect error ``{"code": "unimplemented", ...}``."""

from __future__ import annotations

import falcon.testing
import pytest

from plue_core import create_app
from plue_core.testing import fresh_database_url, make_test_config, migrate


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("connect-get")
    with fresh_database_url(tmp_path) as url:
        app = create_app(make_test_config(tmp_path, url))
        migrate(app)
        try:
            yield falcon.testing.TestClient(app)
        finally:
            app.plue.close()


@pytest.mark.parametrize("procedure", ["runner.v1.RunnerService/FetchTask",
                                       "runner.v1.RunnerService/Register",
                                       "ping.v1.PingService/Ping"])
def test_a_get_to_a_connect_procedure_is_a_405_allowing_post(client, procedure):
    response = client.simulate_get(f"/api/actions/{procedure}")
    assert response.status_code == 405, response.text
    assert response.headers["Allow"] == "POST"
    assert response.json == {"code": "unimplemented", "message": "Connect unary calls use POST"}
