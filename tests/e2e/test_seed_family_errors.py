"""Bad input to the seed families (Runner Pilot, RunnerHub, tracked repos) on the real server:
malformed JSON, wrong JSON types, missing and unknown fields, huge and negative numbers, NUL
characters, bad and unknown ids, and every kind of bad credential. Each answer must be a 4xx
(never a 500) in the family's error shape, with a message naming what was wrong."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
import requests

from plue_core.accounts import credentials
from plue_core.testing import fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e

SECRET_KEY = "seed-family-errors-secret-key-0123456789"
HUGE = 10 ** 30
NOT_JSON = object()  # marks a raw body sent as is with Content-Type: application/json


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """One server for every case: john (the first user, so an administrator) with org GT, a
    Socket node, a runner and a tracked repository."""
    tmp_path = tmp_path_factory.mktemp("seed-errors")
    with fresh_database_url(tmp_path) as database_url, \
            run_live_server(tmp_path, database_url, secret_key=SECRET_KEY) as server:
        api = requests.Session()
        api.post(f"{server.url}/auth/register", json={
            "full_name": "John Doe", "email": "john@example.com", "password": "strongpassword"})
        login = api.post(f"{server.url}/auth/login", json={
            "email": "john@example.com", "password": "strongpassword"}).json()
        api.headers["Authorization"] = f"Bearer {login['access_token']}"
        org = api.post(f"{server.url}/onboarding", json={"organization": {
            "name": "Gigatech", "short_name": "GT", "type": "personal"}}).json()["organization"]
        node = api.post(f"{server.url}/org/{org['uid']}/nodes",
                        json={"name": "Node-01", "type": "Socket"}).json()
        runner = api.post(f"{server.url}/org/{org['uid']}/runners", json={
            "name": "Runner-01", "docker_image": "plue-busybox:latest",
            "github_repo": "Gigatech/my-repo", "github_runner_token": "ghr_1234567890abcdef"}).json()
        repo = api.post(f"{server.url}/api/repos",
                        json={"url": "https://github.com/myorg/my-repo"}).json()
        yield server, api, {"org": org["uid"], "node": node["uid"], "runner": runner["uid"],
                            "repo": repo["id"]}


# Seed 002's codes by status (CONFLICT is docs/runnerhub.md's); it has no 422: validation is 400.
RUNNERHUB_CODES = {400: "VALIDATION_ERROR", 401: "AUTHENTICATION_REQUIRED",
                   403: "AUTHORIZATION_FAILED", 404: "RESOURCE_NOT_FOUND", 409: "CONFLICT",
                   429: "RATE_LIMIT_EXCEEDED"}


def send(world, method: str, path: str, body=None, *, raw: str | None = None, headers=None):
    server, api, ids = world
    url = server.url + path.format(**ids)
    if raw is not None:
        return api.request(method, url, data=raw.encode(), timeout=30,
                           headers={"Content-Type": "application/json", **(headers or {})})
    return api.request(method, url, json=body, timeout=30, headers=headers)


def error_message(path: str, response) -> str:
    """The message of a family-shaped error body; fails on any other shape."""
    body = response.json()
    if path.startswith(("/auth", "/onboarding", "/common", "/org", "/api/repos")):
        assert isinstance(body, dict) and isinstance(body.get("error"), str), body
        return body["error"]
    assert body["success"] is False, body
    error = body["error"]
    assert set(error) == {"code", "message", "details", "timestamp", "request_id"}, error
    assert error["request_id"] == response.headers["X-Request-Id"]
    assert error["code"] == RUNNERHUB_CODES[response.status_code], error
    return error["message"]


def assert_refused(world, method, path, body, naming, *, raw=None, status=None):
    response = send(world, method, path, body, raw=raw)
    assert 400 <= response.status_code < 500, (method, path, body, response.status_code,
                                                response.text[:300])
    if status is not None:
        assert response.status_code == status, response.text[:300]
    message = error_message(path, response)
    assert naming.lower() in message.lower(), (naming, message)


REGISTER = {"full_name": "Ann", "email": "ann@example.com", "password": "strongpassword"}
NODE = {"name": "Node-02", "type": "Remote", "ip_address": "192.168.1.10", "port": 2375}
RUNNER = {"name": "Runner-02", "docker_image": "ubuntu:22.04", "github_repo": "Gigatech/x",
          "github_runner_token": "ghr_1234567890abcdef"}
DELEGATION = {"repository": "owner/repo", "job_name": "Build and Test",
              "workflow_name": "CI/CD Pipeline", "labels": ["ubuntu-latest"],
              "metadata": {"branch": "main", "pr_number": 42}}
HUB_RUNNER = {"name": "runnerhub-2", "labels": ["ubuntu-latest"], "os": "linux",
              "architecture": "x64",
              "capabilities": {"docker": True, "kubernetes": False, "max_concurrent_jobs": 5},
              "resource_info": {"cpu_cores": 8, "memory_gb": 16, "disk_gb": 200}}


def _with(base: dict, **changes) -> dict:
    body = json.loads(json.dumps(base))
    for key, value in changes.items():
        if value is _MISSING:
            body.pop(key)
        else:
            body[key] = value
    return body


_MISSING = object()

# (method, path, body, what the message must name)
BODY_CASES = [
    ("POST", "/auth/register", _with(REGISTER, email=5), "email"),
    ("POST", "/auth/register", _with(REGISTER, password=_MISSING), "password"),
    ("POST", "/auth/register", _with(REGISTER, password=None), "password"),
    ("POST", "/auth/register", _with(REGISTER, password="x" * 73), "72 bytes"),
    ("POST", "/auth/register", _with(REGISTER, full_name=["Ann"]), "full_name"),
    ("POST", "/auth/login", {"email": None, "password": "strongpassword"}, "email"),
    ("POST", "/auth/login", {"email": "john@example.com", "password": 12345678}, "password"),
    ("POST", "/onboarding", {"organization": []}, "organization"),
    ("POST", "/onboarding", {"organization": None}, "organization"),
    ("POST", "/onboarding", {"organization": {"name": "X", "short_name": "X", "type": "club"}},
     "type"),
    ("POST", "/org", {"name": 5, "short_name": "NT", "type": "organization"}, "name"),
    ("POST", "/org", {"short_name": "NT", "type": "organization"}, "name"),
    ("PUT", "/org/{org}", {"name": ["Gigatech"]}, "name"),
    ("POST", "/org/{org}/nodes", _with(NODE, port="22"), "port"),
    ("POST", "/org/{org}/nodes", _with(NODE, port=-1), "port"),
    ("POST", "/org/{org}/nodes", _with(NODE, port=HUGE), "port"),
    ("POST", "/org/{org}/nodes", _with(NODE, type="Bogus"), "type"),
    ("POST", "/org/{org}/nodes", _with(NODE, ip_address="not an address"), "ip_address"),
    ("POST", "/org/{org}/nodes", _with(NODE, color="red"), "color"),
    ("PUT", "/org/{org}/nodes/{node}", {"status": None}, "status"),
    ("PUT", "/org/{org}/nodes/{node}", {"status": "sleeping"}, "status"),
    ("POST", "/org/{org}/runners", _with(RUNNER, name=None), "name"),
    ("POST", "/org/{org}/runners", _with(RUNNER, docker_image=_MISSING), "docker_image"),
    ("POST", "/org/{org}/runners", _with(RUNNER, github_runner_token={"t": 1}),
     "github_runner_token"),
    ("POST", "/org/{org}/runners", _with(RUNNER, extra=True), "extra"),
    ("PUT", "/org/{org}/runners/{runner}", {"name": 1.5}, "name"),
    ("POST", "/org/{org}/runners/{runner}/instance", {"node_id": "not-a-uuid"}, "node_id"),
    ("POST", "/org/{org}/runners/{runner}/instance", {"node_id": 7}, "node_id"),
    ("POST", "/org/{org}/runners/{runner}/instance", {}, "node_id"),
    ("POST", "/api/repos", {"url": 5}, "url"),
    ("POST", "/api/repos", {"url": None}, "url"),
    ("POST", "/api/repos", {}, "url"),
    ("POST", "/api/repos", {"url": "ftp://example.com/a/b"}, "url"),
    ("POST", "/api/repos", {"url": "https://github.com/a\u0000/b"}, "NUL"),
    ("POST", "/api/auth/login", {"username": [], "password": "x"}, "username"),
    ("POST", "/api/jobs/delegate", _with(DELEGATION, labels="ubuntu-latest"), "labels"),
    ("POST", "/api/jobs/delegate", _with(DELEGATION, metadata=[]), "metadata"),
    ("POST", "/api/jobs/delegate", _with(DELEGATION, repository=None), "repository"),
    ("POST", "/api/jobs/delegate", _with(DELEGATION, repository="no-slash"), "repository"),
    ("POST", "/api/runners", _with(HUB_RUNNER, capabilities=[]), "capabilities"),
    ("POST", "/api/runners", _with(HUB_RUNNER, labels=None), "labels"),
    ("POST", "/api/runners", _with(HUB_RUNNER, name="x" * 10000), "name"),
    ("POST", "/api/runners", _with(HUB_RUNNER, os="a\u0000b"), "NUL"),
    ("PUT", "/api/jobs/job_999999/status", {"status": "completed"}, "job_999999"),
    ("POST", "/api/github/sync", {"sync_type": "full", "repositories": "owner/repo1"},
     "repositories"),
    ("POST", "/api/github/sync", {"sync_type": "everything"}, "sync_type"),
    ("POST", "/api/security/scan", {"image": 5}, "image"),
    ("POST", "/api/security/scan", {"image": "ubuntu:20.04", "severity_threshold": "extreme"},
     "severity_threshold"),
    ("POST", "/api/security/secret-scan", {"content": "x", "scan_rules": "tokens"}, "scan_rules"),
    ("POST", "/api/security/secret-scan", {"content": "x", "scan_rules": ["telepathy"]},
     "telepathy"),
]


@pytest.mark.parametrize("method,path,body,naming", BODY_CASES,
                         ids=[f"{c[0]} {c[1]} {c[3]}" for c in BODY_CASES])
def test_a_wrong_body_is_a_4xx_naming_the_field(world, method, path, body, naming):
    assert_refused(world, method, path, body, naming)


# A job's status is looked up before its body is read: an unknown job is a 404 whatever is sent.
BODY_PATHS = sorted({(c[0], c[1]) for c in BODY_CASES} - {("PUT", "/api/jobs/job_999999/status")})


@pytest.mark.parametrize("method,path", BODY_PATHS, ids=[" ".join(p) for p in BODY_PATHS])
@pytest.mark.parametrize("raw,naming", [("{", "JSON"), ("[1, 2]", "object"), ('"text"', "object"),
                                        ('{"a": "\\u0000"}', "NUL")])
def test_a_body_that_is_not_a_json_object_is_a_4xx(world, method, path, raw, naming):
    assert_refused(world, method, path, None, naming, raw=raw)


# (path, what the message must name); all GETs
QUERY_AND_ID_CASES = [
    ("/org/not-a-uuid", "not-a-uuid"),
    ("/org/not-a-uuid/nodes", "not-a-uuid"),
    ("/org/00000000-0000-0000-0000-000000000000/runners", "00000000-0000-0000-0000-000000000000"),
    ("/org/{org}/nodes/not-a-uuid", "not-a-uuid"),
    ("/org/{org}/runners/not-a-uuid", "not-a-uuid"),
    ("/org/{org}/runners/{runner}/instance/not-a-uuid", "not-a-uuid"),
    ("/org/{org}/runners/{runner}/instance/not-a-uuid/metrics", "not-a-uuid"),
    ("/org/{org}/runners/{runner}/instance/not-a-uuid/logs", "not-a-uuid"),
    ("/org/%00", "NUL"),
    ("/api/repos/abc/commits", "repository not found"),
    ("/api/repos/99999999999999999999999/commits", "repository not found"),
    ("/api/repos/{repo}/commits?page=abc", "page"),
    ("/api/repos/{repo}/commits?limit=-5", "limit"),
    ("/api/jobs/abc", "abc"),
    ("/api/jobs/job_99999999999999999999999", "job_99999999999999999999999"),
    ("/api/jobs?limit=abc", "limit"),
    ("/api/jobs?limit=-1", "limit"),
    ("/api/jobs?offset=99999999999999999999999", "offset"),
    ("/api/jobs?sort=zzz", "sort"),
    ("/api/jobs?status=zz", "status"),
    ("/api/jobs?runner_id=abc", "runner_id"),
    ("/api/jobs?repository=a%00b", "NUL"),
    ("/api/runners?status=zz", "status"),
    ("/api/runners/abc/status", "abc"),
    ("/api/runners/runner_99999999999999999999999/status", "runner_99999999999999999999999"),
    ("/api/security/scans?limit=abc", "limit"),
    ("/api/security/scans?limit=-1", "limit"),
    ("/api/security/scans?limit=99999999999999999999999", "limit"),
    ("/api/security/scans?image=a%00b", "NUL"),
]


@pytest.mark.parametrize("path,naming", QUERY_AND_ID_CASES, ids=[c[0] for c in QUERY_AND_ID_CASES])
def test_a_bad_id_or_query_parameter_is_a_4xx_naming_it(world, path, naming):
    assert_refused(world, "GET", path, None, naming)


@pytest.mark.parametrize("method,path", [("DELETE", "/api/repos/99999999999999999999"),
                                         ("POST", "/api/repos/-1/validate"),
                                         ("DELETE", "/org/{org}/nodes/not-a-uuid"),
                                         ("DELETE", "/org/{org}/runners/zz")])
def test_deleting_or_validating_an_unknown_id_is_404(world, method, path):
    assert_refused(world, method, path, None, "", status=404)


# --- credentials ---------------------------------------------------------------------------------

PROTECTED = ["/common/me", "/org", "/org/{org}/nodes", "/org/{org}/runners", "/api/repos",
             "/api/auth/me", "/api/jobs", "/api/runners", "/api/queues/status", "/api/metrics",
             "/api/monitoring/dashboard", "/api/github/status", "/api/security/status"]


def _unsigned(claims: dict) -> str:
    def part(value):
        return base64.urlsafe_b64encode(json.dumps(value).encode()).decode().rstrip("=")
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part(claims)}."


def _bad_tokens() -> dict[str, str]:
    good = credentials.issue_jwt(SECRET_KEY, user_id=1, username="john", ttl_seconds=3600,
                                 audience="pilot")
    claims = jwt.decode(good, options={"verify_signature": False})
    # The server's own key, so only the algorithm is wrong (the key derivation is the server's).
    key = credentials._jwt_key(SECRET_KEY)
    return {
        "garbage": "garbage",
        "alg none": _unsigned(claims),
        "HS512 with the server's key": jwt.encode(claims, key, algorithm="HS512"),
        "HS256 with another key": jwt.encode(claims, b"k" * 32, algorithm="HS256"),
        "expired": credentials.issue_jwt(SECRET_KEY, user_id=1, username="john",
                                         ttl_seconds=-60, audience="pilot"),
        "unknown user": credentials.issue_jwt(SECRET_KEY, user_id=999999, username="ghost",
                                              ttl_seconds=3600, audience="pilot"),
        "another issuer": jwt.encode({**claims, "iss": "elsewhere"}, key, algorithm="HS256"),
    }


@pytest.mark.filterwarnings("ignore::jwt.warnings.InsecureKeyLengthWarning")  # the forged HS512
@pytest.mark.parametrize("path", PROTECTED)
def test_requests_without_or_with_bad_credentials_are_401_in_the_family_shape(world, path):
    server, _, ids = world
    url = server.url + path.format(**ids)
    anonymous = requests.get(url, timeout=30)
    assert anonymous.status_code == 401, anonymous.text
    assert "authentication required" in error_message(path, anonymous)
    for name, token in _bad_tokens().items():
        response = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=30)
        assert response.status_code == 401, (name, response.status_code, response.text[:200])
        assert error_message(path, response), name


@pytest.mark.parametrize("path", ["/org", "/api/repos", "/api/jobs"])
def test_a_wrong_basic_password_is_401_in_the_family_shape(world, path):
    server, _, _ = world
    response = requests.get(server.url + path, auth=("john", "not-the-password"), timeout=30)
    assert response.status_code == 401 and error_message(path, response)


# --- outsiders -----------------------------------------------------------------------------------

OUTSIDER_CASES = [("GET", "/org/{org}"), ("PUT", "/org/{org}"), ("GET", "/org/{org}/nodes"),
                  ("GET", "/org/{org}/nodes/{node}"), ("DELETE", "/org/{org}/nodes/{node}"),
                  ("GET", "/org/{org}/runners/{runner}"), ("DELETE", "/org/{org}/runners/{runner}"),
                  ("POST", "/org/{org}/runners/{runner}/instance"),
                  ("POST", "/api/repos/{repo}/validate"), ("DELETE", "/api/repos/{repo}")]


@pytest.fixture(scope="module")
def outsider(world):
    server, _, _ = world
    requests.post(f"{server.url}/auth/register", timeout=30, json={
        "full_name": "Bob", "email": "bob@example.com", "password": "strongpassword"})
    token = requests.post(f"{server.url}/auth/login", timeout=30, json={
        "email": "bob@example.com", "password": "strongpassword"}).json()["access_token"]
    return {"Authorization": f"Bearer {token}"}


@pytest.mark.parametrize("method,path", OUTSIDER_CASES, ids=[" ".join(c) for c in OUTSIDER_CASES])
def test_another_users_organization_and_repositories_are_404_to_an_outsider(world, outsider,
                                                                             method, path):
    server, _, ids = world
    body = {"name": "Taken"} if method == "PUT" else {"node_id": ids["node"]}
    response = requests.request(method, server.url + path.format(**ids), json=body,
                                headers=outsider, timeout=30)
    assert response.status_code == 404, response.text
    assert "does not exist" in error_message(path, response) or \
        error_message(path, response) == "repository not found"
