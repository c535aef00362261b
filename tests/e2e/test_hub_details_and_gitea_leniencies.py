"""Issue 10 items 5 and 7 and issue 11 item 4's counts, against the real server (gunicorn), called
the way a client following the seeds and Gitea's API would:

- RunnerHub validation errors carry the seed's ``details`` object;
- the seed's secret-scan body (``job_id``, ``content``, ``scan_rules``) is a 200;
- ``page=0`` and negative pages on /api/v1 are page 1, as in Gitea;
- properties Gitea omits when empty are absent, never null;
- the dashboard and the queues count only the jobs the caller may see."""

from __future__ import annotations

import base64

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e

WORKFLOW = """name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo build
  test:
    runs-on: ubuntu-latest
    steps:
      - run: echo test
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """alice with a public repository ``demo`` and a private ``secret``, each with one run of
    two queued jobs; bob, who may see only ``demo``; JWT sessions for both."""
    tmp_path = tmp_path_factory.mktemp("hub-details")
    with fresh_database_url(tmp_path) as database_url, \
            run_live_server(tmp_path, database_url) as live:
        for name in ("alice", "bob"):
            live.plue("admin", "user", "create", "--username", name, "--email",
                      f"{name}@example.com", "--password", DEFAULT_PASSWORD)
        sessions = {}
        for name in ("alice", "bob"):
            session = requests.Session()
            login = session.post(f"{live.url}/api/auth/login", timeout=10,
                                 json={"username": name, "password": DEFAULT_PASSWORD})
            assert login.status_code == 200, login.text
            session.headers["Authorization"] = f"Bearer {login.json()['token']}"
            sessions[name] = session
        alice = sessions["alice"]
        for repo, private in (("demo", False), ("secret", True)):
            created = alice.post(f"{live.url}/api/v1/user/repos", timeout=10,
                                 json={"name": repo, "private": private, "auto_init": True})
            assert created.status_code == 201, created.text
            pushed = alice.post(
                f"{live.url}/api/v1/repos/alice/{repo}/contents/.gitea/workflows/ci.yml",
                timeout=30, json={"content": base64.b64encode(WORKFLOW.encode()).decode(),
                                  "message": "add ci"})
            assert pushed.status_code == 201, pushed.text
        yield live.url, sessions


def test_a_validation_error_is_the_seeds_details_object(server):
    url, sessions = server
    response = sessions["alice"].post(f"{url}/api/jobs/delegate", timeout=10, json={
        "repository": "invalid-repo", "job_id": "123456789", "job_name": "Build and Test",
        "workflow_name": "CI/CD Pipeline", "labels": ["ubuntu-latest", "node"],
        "metadata": {"branch": "main", "commit_sha": "abc123def456", "pr_number": 42}})
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR" and error["message"] == "Invalid repository format"
    assert error["details"] == {"field": "repository", "value": "invalid-repo",
                                "expected": "owner/repo format"}
    listing = sessions["alice"].get(f"{url}/api/jobs", params={"limit": "twenty"}, timeout=10)
    assert listing.status_code == 400
    assert listing.json()["error"]["details"] == {"field": "limit", "value": "twenty",
                                                  "expected": "an integer of at least 1"}
    runner = sessions["alice"].post(f"{url}/api/runners", timeout=10, json={
        "name": "runnerhub-2", "labels": ["ubuntu-latest"], "os": "linux",
        "capabilities": {"docker": True, "kubernetes": False, "max_concurrent_jobs": 0}})
    assert runner.status_code == 400
    details = runner.json()["error"]["details"]
    assert details["field"] == "capabilities.max_concurrent_jobs" and details["value"] == 0


def test_the_seeds_secret_scan_body_scans_its_content_with_the_named_rules(server):
    url, sessions = server
    seed = sessions["bob"].post(f"{url}/api/security/secret-scan", timeout=10, json={
        "job_id": "job_123", "content": "Log content to scan for secrets",
        "scan_rules": ["api_keys", "passwords", "tokens"]})
    assert seed.status_code == 200, seed.text
    data = seed.json()["data"]
    assert data["job_id"] == "job_123" and data["secrets_found"] == 0
    assert data["scan_rules"] == ["api_keys", "passwords", "tokens"]
    log = "step 1\nmysql --password=hunter2-hunter2\nexport GH=ghp_" + "A1b2C3d4" * 5
    tokens_only = sessions["bob"].post(f"{url}/api/security/secret-scan", timeout=10, json={
        "job_id": "job_123", "content": log, "scan_rules": ["tokens"]}).json()["data"]
    assert [(f["rule"], f["line"]) for f in tokens_only["findings"]] == [("tokens", 3)]
    both = sessions["bob"].post(f"{url}/api/security/secret-scan", timeout=10, json={
        "job_id": "job_123", "content": log, "scan_rules": ["passwords", "tokens"]})
    assert sorted(f["rule"] for f in both.json()["data"]["findings"]) == ["passwords", "tokens"]
    assert "hunter2" not in both.text


@pytest.mark.parametrize("params", [{"page": "0"}, {"page": "-4"}, {"page": "0", "limit": "-1"}])
def test_page_zero_or_negative_on_api_v1_is_the_first_page(server, params):
    url, sessions = server
    response = sessions["alice"].get(f"{url}/api/v1/user/repos", params=params, timeout=10)
    assert response.status_code == 200, response.text
    assert [r["name"] for r in response.json()] == ["demo", "secret"]
    assert response.headers["X-Total-Count"] == "2"


def test_gitea_omitempty_properties_are_absent_not_null(server):
    url, sessions = server
    repo = sessions["alice"].get(f"{url}/api/v1/repos/alice/demo", timeout=10).json()
    for name in ("parent", "external_tracker", "external_wiki", "repo_transfer"):
        assert name not in repo, name
    assert repo["internal_tracker"]["enable_time_tracker"] is True
    assert [key for key, value in repo.items() if value is None] == []
    runs = sessions["alice"].get(f"{url}/api/v1/repos/alice/demo/actions/runs", timeout=10).json()
    embedded = runs["workflow_runs"][0]["repository"]
    assert "parent" not in embedded and "repo_transfer" not in embedded


@pytest.mark.parametrize("user, jobs", [("bob", 2), ("alice", 4)])
def test_the_dashboard_and_the_queues_count_only_the_jobs_the_caller_may_see(server, user, jobs):
    url, sessions = server
    dashboard = sessions[user].get(f"{url}/api/monitoring/dashboard", timeout=10).json()["data"]
    assert sum(dashboard["jobs"].values()) == jobs and sum(dashboard["runs"].values()) == jobs // 2
    queues = sessions[user].get(f"{url}/api/queues/status", timeout=10).json()["data"]
    assert queues["summary"]["total_waiting"] == jobs
