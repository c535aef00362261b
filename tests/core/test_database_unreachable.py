"""A database that cannot be reached: every API answers 503 in its family's error shape (it
was a bare 500), and ``/health`` still answers with its own document, ``unhealthy``."""

from __future__ import annotations

import socket

import pytest
from falcon import testing

from plue_core import create_app
from plue_core.testing import make_test_config, migrate


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the probe is closed


@pytest.fixture(params=["postgresql", "sqlite"])
def unreachable_app(request, tmp_path):
    if request.param == "postgresql":
        app = create_app(make_test_config(
            tmp_path, f"postgresql://plue@127.0.0.1:{_closed_port()}/plue"))
    else:
        path = tmp_path / "plue.db"
        app = create_app(make_test_config(tmp_path, f"sqlite:///{path}"))
        migrate(app)
        app.plue.db.close()
        path.unlink()
        path.mkdir()  # the database file is now a directory: no connection can open it
    try:
        yield testing.TestClient(app)
    finally:
        app.plue.close()


def test_health_reports_the_outage_with_its_own_document(unreachable_app):
    response = unreachable_app.simulate_get("/health", headers={"Authorization": "token x"})
    assert response.status_code == 503
    assert response.json["status"] == "unhealthy"
    assert response.json["services"]["database"] == "unhealthy"


@pytest.mark.parametrize("path", ["/api/v1/user", "/api/v1/repos/alice/demo"])
def test_the_gitea_api_answers_503_in_its_error_shape(unreachable_app, path):
    response = unreachable_app.simulate_get(path, headers={"Authorization": "token x"})
    assert response.status_code == 503
    assert "database cannot be reached" in response.json["message"]
    assert set(response.json) >= {"message", "url"}


def test_runnerhub_answers_503_in_its_envelope(unreachable_app):
    response = unreachable_app.simulate_get("/api/jobs")
    assert response.status_code == 503
    assert response.json["success"] is False
    assert response.json["error"]["code"] == "SERVICE_UNAVAILABLE"


@pytest.mark.parametrize("path", ["/org", "/api/repos"])
def test_pilot_and_tracked_repositories_answer_503_with_an_error(unreachable_app, path):
    response = unreachable_app.simulate_get(path)
    assert response.status_code == 503
    assert "database cannot be reached" in response.json["error"]
