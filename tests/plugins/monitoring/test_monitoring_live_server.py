"""Through the real server (gunicorn, two workers): log in for a JWT, read /api/metrics and
the dashboard with it, scrape /metrics with the metrics token as Prometheus does, and see the shared rate limit count across workers."""

from __future__ import annotations

import requests
from prometheus_client.parser import text_string_to_metric_families

from plue_core.testing import DEFAULT_PASSWORD, run_live_server

SCRAPE_TOKEN = "prometheus-scrape-token-0123456789"


def test_a_jwt_from_login_reads_metrics_and_the_dashboard_through_gunicorn(tmp_path, plue_database_url):
    with run_live_server(tmp_path, plue_database_url,
                         monitoring={"rate_limit_general": 6, "metrics_token": SCRAPE_TOKEN}) as server:
        server.plue("admin", "user", "create", "--username", "alice", "--email",
                    "alice@example.com", "--password", DEFAULT_PASSWORD)
        session = requests.Session()
        login = session.post(f"{server.url}/api/auth/login",
                             json={"username": "alice", "password": DEFAULT_PASSWORD}, timeout=10)
        assert login.status_code == 200, login.text
        assert login.headers["X-RateLimit-Limit"] == "100"
        headers = {"Authorization": f"Bearer {login.json()['token']}"}

        metrics = session.get(f"{server.url}/api/metrics", headers=headers, timeout=10)
        assert metrics.status_code == 200, metrics.text
        data = metrics.json()["data"]
        assert 0 <= data["system"]["cpu_usage"] <= 100
        assert data["application"]["active_jobs"] == 0

        dashboard = session.get(f"{server.url}/api/monitoring/dashboard", headers=headers, timeout=10)
        assert dashboard.status_code == 200 and dashboard.json()["data"]["runners"]["total"] == 0

        names = {family.name for family in text_string_to_metric_families(
            session.get(f"{server.url}/metrics", timeout=10,
                        headers={"Authorization": f"Bearer {SCRAPE_TOKEN}"}).text)}
        assert {"plue_http_requests", "plue_users", "plue_active_jobs"} <= names

        # Whichever worker answers, the count is one: 2 used above, 4 more allowed, then 429.
        statuses = [requests.get(f"{server.url}/api/metrics", headers=headers, timeout=10).status_code
                    for _ in range(5)]
        assert statuses == [200, 200, 200, 200, 429]
