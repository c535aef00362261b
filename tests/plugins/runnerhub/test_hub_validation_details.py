"""Every RunnerHub endpoint (seed 002) that answers 400 VALIDATION_ERROR names the failing
field as the seed's Error Handling section shows it:

    "details": {"field": "repository", "value": "invalid-repo", "expected": "owner/repo format"}

The walk below breaks one field of the seed's own example bodies (and query parameters) per
case, for each route of the RunnerHub family; a route that takes no input is listed as such,
so a new route fails the completeness test until its errors are walked too."""

from __future__ import annotations

import pytest

from plue_core import families
from plue_core.testing import basic_auth
from plue_runnerhub.testing import CI, data, error, hub

# The seed's example bodies, each valid as written (except where a runner or image is needed).
DELEGATE = {"repository": "owner/repo", "job_id": "123456789", "job_name": "Build and Test",
            "workflow_name": "CI/CD Pipeline", "labels": ["ubuntu-latest", "node"],
            "metadata": {"branch": "main", "commit_sha": "abc123def456", "pr_number": 42}}
STATUS = {"status": "completed", "result": "success", "completed_at": "2024-06-23T10:45:00Z",
          "exit_code": 0, "artifacts": [{"name": "build-artifacts", "path": "/artifacts/build.zip",
                                         "size": 1024000}]}
RUNNER = {"name": "runnerhub-2", "labels": ["ubuntu-latest", "docker", "node"], "os": "linux",
          "architecture": "x64",
          "capabilities": {"docker": True, "kubernetes": False, "max_concurrent_jobs": 5},
          "resource_info": {"cpu_cores": 8, "memory_gb": 16, "disk_gb": 200}}
SCAN = {"image": "ubuntu:20.04", "scan_type": "comprehensive", "severity_threshold": "medium"}
SECRET_SCAN = {"job_id": "job_123", "content": "Log content to scan for secrets",
               "scan_rules": ["api_keys", "passwords", "tokens"]}
SYNC = {"sync_type": "full", "repositories": ["owner/repo1", "owner/repo2"]}
LOGIN = {"username": "alice", "password": "secret"}


def broken(body: dict, **changes) -> dict:
    """``body`` with some fields replaced (a value of ``...`` removes the field)."""
    out = {**body, **changes}
    return {key: value for key, value in out.items() if value is not ...}


# (method, path, query, body, user, field): the request and the field its error must name.
# ``{job}`` is a job of alice's repository; ``root`` is a site administrator.
CASES = [
    ("GET", "/api/jobs", {"status": "done"}, None, "alice", "status"),
    ("GET", "/api/jobs", {"repository": "invalid-repo"}, None, "alice", "repository"),
    ("GET", "/api/jobs", {"runner_id": "robot"}, None, "alice", "runner_id"),
    ("GET", "/api/jobs", {"limit": "many"}, None, "alice", "limit"),
    ("GET", "/api/jobs", {"limit": "0"}, None, "alice", "limit"),
    ("GET", "/api/jobs", {"offset": "-1"}, None, "alice", "offset"),
    ("GET", "/api/jobs", {"sort": "name"}, None, "alice", "sort"),
    ("GET", "/api/jobs", {"order": "sideways"}, None, "alice", "order"),
    ("POST", "/api/jobs/delegate", None, broken(DELEGATE, repository="invalid-repo"), "alice",
     "repository"),
    ("POST", "/api/jobs/delegate", None, broken(DELEGATE, repository=...), "alice", "repository"),
    ("POST", "/api/jobs/delegate", None, broken(DELEGATE, workflow_name=...), "alice",
     "workflow_name"),
    ("POST", "/api/jobs/delegate", None, broken(DELEGATE, labels="ubuntu-latest"), "alice",
     "labels"),
    ("POST", "/api/jobs/delegate", None, broken(DELEGATE, job_id=[1]), "alice", "job_id"),
    ("POST", "/api/jobs/delegate", None, broken(DELEGATE, job_id=..., job_name=...), "alice",
     "job_name"),
    ("POST", "/api/jobs/delegate", None,
     broken(DELEGATE, metadata={"branch": "main", "commit_sha": "zzz", "pr_number": 42}),
     "alice", "metadata.commit_sha"),
    ("POST", "/api/jobs/delegate", None,
     broken(DELEGATE, metadata={"branch": "main", "commit_sha": "abc123def456", "pr_number": 0}),
     "alice", "metadata.pr_number"),
    ("GET", "/api/jobs/{job}/logs", {"format": "xml"}, None, "alice", "format"),
    ("GET", "/api/jobs/{job}/logs", {"lines": "-3"}, None, "alice", "lines"),
    ("GET", "/api/jobs/{job}/logs", {"follow": "maybe"}, None, "alice", "follow"),
    ("GET", "/api/jobs/{job}/logs", {"since": "yesterday"}, None, "alice", "since"),
    ("PUT", "/api/jobs/{job}/status", None, broken(STATUS, status="done"), "alice", "status"),
    ("PUT", "/api/jobs/{job}/status", None, broken(STATUS, status=...), "alice", "status"),
    ("PUT", "/api/jobs/{job}/status", None, broken(STATUS, result="meh"), "alice", "result"),
    ("PUT", "/api/jobs/{job}/status", None, broken(STATUS, exit_code="zero"), "alice",
     "exit_code"),
    ("PUT", "/api/jobs/{job}/status", None, broken(STATUS, completed_at="soon"), "alice",
     "completed_at"),
    ("PUT", "/api/jobs/{job}/status", None,
     broken(STATUS, artifacts=[{"path": "/artifacts/build.zip", "size": 1}]), "alice",
     "artifacts.0.name"),
    ("GET", "/api/runners", {"status": "sleepy"}, None, "alice", "status"),
    ("POST", "/api/runners", None, broken(RUNNER, name=...), "alice", "name"),
    ("POST", "/api/runners", None, broken(RUNNER, labels=[]), "alice", "labels"),
    ("POST", "/api/runners", None,
     broken(RUNNER, capabilities={"docker": True, "max_concurrent_jobs": 0}), "alice",
     "capabilities.max_concurrent_jobs"),
    ("POST", "/api/runners", None,
     broken(RUNNER, resource_info={"cpu_cores": 8, "memory_gb": -16}), "alice",
     "resource_info.memory_gb"),
    ("POST", "/api/queues/{long}/pause", None, None, "root", "queue_name"),
    ("POST", "/api/queues/{long}/resume", None, None, "root", "queue_name"),
    ("DELETE", "/api/queues/{long}/failed", None, None, "root", "queue_name"),
    ("POST", "/api/github/sync", None, broken(SYNC, sync_type="partial"), "alice", "sync_type"),
    ("POST", "/api/github/sync", None, broken(SYNC, repositories="owner/repo1"), "alice",
     "repositories"),
    ("POST", "/api/security/scan", None, broken(SCAN, image=...), "root", "image"),
    ("POST", "/api/security/scan", None, broken(SCAN, scan_type="quick"), "root", "scan_type"),
    ("POST", "/api/security/scan", None, broken(SCAN, severity_threshold="urgent"), "root",
     "severity_threshold"),
    ("GET", "/api/security/scans", {"limit": "0"}, None, "alice", "limit"),
    ("POST", "/api/security/secret-scan", None, broken(SECRET_SCAN, job_id="run_12"), "alice",
     "job_id"),
    ("POST", "/api/security/secret-scan", None, broken(SECRET_SCAN, scan_rules=["telepathy"]),
     "alice", "scan_rules"),
    ("POST", "/api/security/secret-scan", None, broken(SECRET_SCAN, content=..., job_id=...),
     "alice", "content"),
    ("POST", "/api/auth/login", None, broken(LOGIN, username=...), None, "username"),
    ("POST", "/api/auth/login", None, broken(LOGIN, password=12345), None, "password"),
]

# RunnerHub routes that read no query parameter or body, so they have no VALIDATION_ERROR, and
# the hub runner's log upload and GitHub's webhook (signed bodies), whose details
# test_runnerhub_external_jobs.py and test_runnerhub_github_webhook.py check.
WITHOUT_INPUT = {
    "POST /api/jobs/{job_id}/logs", "POST /api/github/webhook",
    "GET /api/jobs/{job_id}", "GET /api/runners/{runner_id}/status", "GET /api/queues/status",
    "GET /api/github/status", "GET /api/github/repositories", "GET /api/security/status",
    "GET /api/metrics", "GET /api/monitoring/dashboard", "GET /api/auth/me", "GET /health",
    "GET /metrics", "GET /api/docs", "GET /api/swagger", "GET /api/openapi.json",
    "GET /api/docs/assets/{filename}",
}


@pytest.fixture
def walk(actions_forge):
    runner = actions_forge.runner(labels=("ubuntu-latest",))
    actions_forge.push_file(".gitea/workflows/ci.yml", CI, "add ci")
    assert runner.fetch() is not None
    job = data(hub(actions_forge, "GET", "/api/jobs", params={"status": "running"}))["jobs"][0]
    return actions_forge, {"job": job["id"], "long": "x" * 600}


def _template(method: str, path: str) -> str:
    route = path.replace("{job}", "{job_id}").replace("{long}", "{queue_name}")
    return f"{method} {route}"


@pytest.mark.parametrize("method, path, query, body, user, field", CASES,
                         ids=[f"{c[0]} {c[1]} {c[5]}" for c in CASES])
def test_a_validation_error_names_the_field_the_value_and_what_was_expected(
        walk, method, path, query, body, user, field):
    forge, ids = walk
    response = hub(forge, method, path.format(**ids), as_user=user, body=body, params=query)
    problem = error(response, 400, "VALIDATION_ERROR")
    details = problem["details"]
    assert isinstance(details, dict) and details["field"] == field, problem
    assert isinstance(details["expected"], str) and details["expected"], problem
    sent = (query or {}).get(field, (body or {}).get(field, ...))
    if field == "password":  # a credential is never echoed back
        assert "value" not in details and "12345" not in response.text
    elif sent is not ...:
        assert details["value"] == sent, problem


def test_the_seeds_own_example_is_answered_exactly_as_the_seed_shows(walk):
    forge, _ = walk
    response = hub(forge, "POST", "/api/jobs/delegate", body=broken(DELEGATE,
                                                                  repository="invalid-repo"))
    problem = error(response, 400, "VALIDATION_ERROR")
    assert problem["message"] == "Invalid repository format"
    assert problem["details"] == {"field": "repository", "value": "invalid-repo",
                                  "expected": "owner/repo format"}


def test_several_failing_fields_are_all_listed_after_the_first(walk):
    forge, _ = walk
    response = hub(forge, "POST", "/api/runners", body=broken(RUNNER, name=..., labels=[]))
    details = error(response, 400, "VALIDATION_ERROR")["details"]
    assert details["field"] in ("name", "labels")
    assert sorted(p["field"] for p in details["errors"]) == ["labels", "name"]
    assert details == {**details["errors"][0], "errors": details["errors"]}


@pytest.mark.parametrize("raw", ["{", "[]", "\"text\""])
def test_a_body_that_is_not_a_json_object_names_the_body(walk, raw):
    forge, ids = walk
    for method, path in (("POST", "/api/jobs/delegate"), ("PUT", "/api/jobs/{job}/status"),
                         ("POST", "/api/runners"), ("POST", "/api/github/sync"),
                         ("POST", "/api/security/secret-scan"), ("POST", "/api/auth/login")):
        response = forge.client.simulate_request(
            method, path.format(**ids), body=raw,
            headers={"Content-Type": "application/json",
                     **({} if path == "/api/auth/login" else basic_auth("alice"))})
        details = error(response, 400, "VALIDATION_ERROR")["details"]
        assert details["field"] == "body" and details["expected"] == "a JSON object", (path, raw)


def test_the_walk_covers_every_runnerhub_route(ctx):
    """Each RunnerHub route is walked above or listed as taking no input."""
    walked = {_template(method, path) for method, path, *_ in CASES}
    served = set()
    for _plugin, route in ctx.routes:
        path = getattr(route, "path", None)
        if path is None or families.family_of(path) is not families.RUNNERHUB:
            continue
        suffix = f"_{route.suffix}" if route.suffix else ""
        for method in ("get", "post", "put", "patch", "delete"):
            if hasattr(route.resource, f"on_{method}{suffix}"):
                served.add(f"{method.upper()} {route.openapi_path}")
    assert served - walked - WITHOUT_INPUT == set()
    assert walked - served == set()
