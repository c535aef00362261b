"""The incoming webhook endpoints are rate limited like the RunnerHub API (the monitoring
plugin's one rule): X-RateLimit-* headers, then 429 in the error shape of their family, for
GitHub's ``POST /api/github/webhook`` and GitLab's ``POST /api/repos/{id}/webhook``."""

from __future__ import annotations

import falcon.testing
import pytest


@pytest.fixture
def limited(build_app):
    """Anonymous callers get 2 requests per window (per client address)."""
    return falcon.testing.TestClient(build_app(monitoring={"rate_limit_general": 2}))


def test_githubs_webhook_endpoint_is_rate_limited_per_caller(limited):
    for remaining in ("1", "0"):
        answer = limited.simulate_post("/api/github/webhook", body=b"{}",
                                       headers={"X-GitHub-Event": "ping"})
        assert answer.status_code != 429 and answer.headers["X-RateLimit-Remaining"] == remaining
    refused = limited.simulate_post("/api/github/webhook", body=b"{}",
                                    headers={"X-GitHub-Event": "ping"})
    assert refused.status_code == 429
    assert refused.json["error"]["code"] == "RATE_LIMIT_EXCEEDED"
    assert int(refused.headers["Retry-After"]) > 0


def test_gitlabs_webhook_endpoint_is_rate_limited_per_caller(limited):
    for remaining in ("1", "0"):
        answer = limited.simulate_post("/api/repos/1/webhook", body=b"{}",
                                       headers={"X-Gitlab-Token": "not-it"})
        assert answer.status_code == 401 and answer.headers["X-RateLimit-Remaining"] == remaining
    refused = limited.simulate_post("/api/repos/1/webhook", body=b"{}",
                                    headers={"X-Gitlab-Token": "not-it"})
    assert refused.status_code == 429
    assert "rate limit exceeded" in refused.json["error"]
    assert int(refused.headers["Retry-After"]) > 0
    # The rest of the tracked repositories' API is not limited (as before).
    assert "X-RateLimit-Limit" not in limited.simulate_get("/api/repos").headers
