"""RunnerHub rate limits: per-IP on /api/auth, per-user elsewhere, X-RateLimit-* headers on
every RunnerHub response, 429 RATE_LIMIT_EXCEEDED with Retry-After, counted in the database."""

from __future__ import annotations

import time

from plue_core.testing import DEFAULT_PASSWORD, basic_auth
from plue_monitoring import rate_limits
from plue_monitoring.models import RateLimitWindow


def login(client, password=DEFAULT_PASSWORD):
    return client.simulate_post("/api/auth/login", json={"username": "alice", "password": password})


def test_every_runnerhub_response_carries_the_rate_limit_headers(limited):
    response = limited.simulate_get("/api/metrics", headers=basic_auth("alice"))
    assert response.status_code == 200
    assert response.headers["X-RateLimit-Limit"] == "5"
    assert response.headers["X-RateLimit-Remaining"] == "4"
    reset = int(response.headers["X-RateLimit-Reset"])
    assert time.time() < reset <= time.time() + 3600
    unauthenticated = limited.simulate_get("/api/monitoring/dashboard")
    assert unauthenticated.status_code == 401 and "X-RateLimit-Limit" in unauthenticated.headers


def test_the_general_limit_counts_per_user_and_answers_429_in_the_envelope(limited):
    for remaining in (4, 3, 2, 1, 0):
        response = limited.simulate_get("/api/metrics", headers=basic_auth("alice"))
        assert response.status_code == 200
        assert response.headers["X-RateLimit-Remaining"] == str(remaining)
    refused = limited.simulate_get("/api/metrics", headers=basic_auth("alice"))
    assert refused.status_code == 429
    assert refused.json["success"] is False
    assert refused.json["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert refused.json["error"]["details"]["limit"] == 5
    assert 0 < int(refused.headers["Retry-After"]) <= 3600
    assert refused.headers["X-RateLimit-Remaining"] == "0"
    # bob has his own budget
    assert limited.simulate_get("/api/metrics", headers=basic_auth("bob")).status_code == 200


def test_auth_endpoints_are_limited_per_ip_whatever_the_outcome(limited):
    assert login(limited).status_code == 200
    assert login(limited, "wrong-password").status_code == 401
    third = login(limited)
    assert third.status_code == 200 and third.headers["X-RateLimit-Remaining"] == "0"
    refused = login(limited)
    assert refused.status_code == 429 and refused.json["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert "Retry-After" in refused.headers


def test_other_families_and_probes_are_not_limited(limited):
    for path in ("/health", "/metrics", "/api/v1/version"):
        response = limited.simulate_get(path)
        # /metrics without credentials is 401, but not counted against a limit either.
        assert response.status_code == (401 if path == "/metrics" else 200)
        assert "X-RateLimit-Limit" not in response.headers


def test_counts_live_in_the_database_so_every_worker_shares_them(limited, limited_app):
    limited.simulate_get("/api/metrics", headers=basic_auth("alice"))
    limited.simulate_get("/api/metrics", headers=basic_auth("alice"))
    with limited_app.plue.db.connection_context():
        row = RateLimitWindow.get(RateLimitWindow.bucket.startswith("user:"))
        assert row.hits == 2 and row.window_start % 3600 == 0
        settings = limited_app.plue.section("monitoring")
        assert rate_limits.prune(limited_app.plue.db, settings, now=time.time()) == 0
        assert rate_limits.prune(limited_app.plue.db, settings, now=time.time() + 7200) == 1


def test_limits_can_be_switched_off(tmp_path, plue_database_url):
    import falcon.testing

    from plue_core import create_app
    from plue_core.testing import make_test_config, migrate

    app = create_app(make_test_config(tmp_path, plue_database_url,
                                      monitoring={"rate_limit_enabled": False}))
    try:
        migrate(app)
        response = falcon.testing.TestClient(app).simulate_get("/api/metrics")
        assert response.status_code == 401 and "X-RateLimit-Limit" not in response.headers
    finally:
        app.plue.close()


def test_an_authenticated_caller_of_api_auth_me_uses_its_own_budget_not_the_login_one(limited):
    for _ in range(4):  # over the auth limit of 3, within the general limit of 5
        response = limited.simulate_get("/api/auth/me", headers=basic_auth("alice"))
        assert response.status_code == 200 and response.headers["X-RateLimit-Limit"] == "5"
    assert login(limited).headers["X-RateLimit-Remaining"] == "2"
