"""Seeds 001 (Runner Pilot), 002 (RunnerHub) and 003 (tracked repos) walked in order against the
real server (gunicorn), as a plain ``requests`` client following the seed would: every answer's
status, and every field the seed shows present with the seed's JSON type. Where a plugin
deliberately differs from its seed, the documented behaviour is asserted and the docs page
named. The companion module test_seed_family_errors.py sends these families bad input."""

from __future__ import annotations

import base64
import pathlib
import re
import time

import pytest
import requests

from plue_core.testing import BUSYBOX_IMAGE as IMAGE, run_live_server
from plue_actions.testing import ProtocolRunner, transport_for_url
from plue_runnerhub.testing import PIPELINE
from plue_runner_pilot.testing import RUNNERS_SETTINGS, remove_org_containers
from plue_tracked_repos.testing import (
    GITHUB_TOKEN, LocalGitHubAPI, LocalGitLabAPI, make_commits, tracked_settings,
)

pytestmark = pytest.mark.e2e

ADVISORIES = pathlib.Path(__file__).resolve().parents[1] / "plugins" / "security" / "advisories"
TIMESTAMP = "2025-10-15T12:00:00Z"  # stands for "a time, written so" wherever the seed shows one
SEED_TIME = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")


def assert_seed_shape(body, example, nullable: frozenset = frozenset(), where: str = "$"):
    """Every field of the seed's ``example`` is in ``body`` with the same JSON type (a time
    written as the seed writes its times where the example is :data:`TIMESTAMP`); a list is
    checked item by item against the seed's first item. ``nullable`` names the paths
    (``$.a.b``) a plugin documents as ``null`` where the seed shows a value; a seed ``null``
    accepts anything (the seed shows no type)."""
    if example is None:
        return
    if isinstance(example, dict):
        assert isinstance(body, dict), f"{where} should be an object, got {body!r}"
        for key, value in example.items():
            path = f"{where}.{key}"
            assert key in body, f"{path} is missing from {body!r}"
            if body[key] is None and path in nullable:
                continue
            assert_seed_shape(body[key], value, nullable, path)
    elif isinstance(example, list):
        assert isinstance(body, list), f"{where} should be an array, got {body!r}"
        if example:
            for item in body:
                assert_seed_shape(item, example[0], nullable, f"{where}[]")
    elif isinstance(example, bool):
        assert isinstance(body, bool), f"{where} should be a boolean, got {body!r}"
    elif isinstance(example, (int, float)):
        assert isinstance(body, (int, float)) and not isinstance(body, bool), \
            f"{where} should be a number, got {body!r}"
    else:
        assert isinstance(body, str), f"{where} should be a string, got {body!r}"
        if example == TIMESTAMP:
            assert SEED_TIME.fullmatch(body), f"{where} should be written like {TIMESTAMP}: {body!r}"


def expect(response, status: int, example=None, nullable=()):
    """The answer has ``status`` and, when given, the seed example's shape; returns its JSON."""
    assert response.status_code == status, (response.request.method, response.request.url,
                                            response.status_code, response.text[:500])
    body = response.json()
    if example is not None:
        assert_seed_shape(body, example, frozenset(nullable))
    return body


def envelope(data) -> dict:
    return {"success": True, "data": data}


# --- seed 001: Runner Pilot ------------------------------------------------------------------

ORG = {"name": "Gigatech", "short_name": "GT", "type": "organization", "created_at": TIMESTAMP}
NODE = {"uid": "f1e2d3c4", "name": "Node-01", "type": "Remote", "ip_address": "192.168.1.10",
        "port": 22, "status": "active", "created_at": TIMESTAMP}
RUNNER = {"uid": "r1u2n3e4", "name": "Runner-01", "status": "idle", "docker_image": "ubuntu:22.04",
          "github_repo": "Gigatech/my-repo", "github_runner_token": "ghr_1234567890abcdef",
          "created_at": TIMESTAMP}
INSTANCE = {"uid": "i1n2s3t4", "runner": {"uid": "r1", "name": "Runner-01"},
            "node": {"uid": "f1", "name": "Node-01"}, "instance_identifier": "container_01",
            "instance_host": "192.168.1.10", "status": "online", "last_heartbeat": TIMESTAMP}
# docs/fleet.md: a Socket node is this server's own engine, its ip_address and port are null.
SOCKET_NULLS = ("$.ip_address", "$.port")
MASKED_TOKEN = "ghr_****cdef"  # docs/fleet.md: the runner token is never returned


def test_a_client_following_seed_001_runs_the_runner_pilot_flow(tmp_path, plue_database_url,
                                                                docker_engine):
    with run_live_server(tmp_path, plue_database_url, runner_pilot=RUNNERS_SETTINGS) as server:
        api = requests.Session()
        url = server.url
        expect(api.post(f"{url}/auth/register", json={
            "full_name": "John Doe", "email": "john@example.com", "password": "strongpassword"}),
            200, {"uid": "a1", "full_name": "John Doe", "email": "john@example.com",
                  "created_at": TIMESTAMP})
        login = expect(api.post(f"{url}/auth/login", json={
            "email": "john@example.com", "password": "strongpassword"}),
            200, {"access_token": "eyJ", "token_type": "Bearer", "expires_in": 3600})
        assert login["token_type"] == "Bearer"
        api.headers["Authorization"] = f"Bearer {login['access_token']}"

        onboarded = expect(api.post(f"{url}/onboarding", json={"organization": {
            "name": "Gigatech", "short_name": "GT", "type": "personal"}}),
            200, {"organization": {**ORG, "type": "personal"}})
        org_id = onboarded["organization"]["uid"]
        me = expect(api.get(f"{url}/common/me"), 200, {
            "uid": "a1", "full_name": "John Doe", "email": "john@example.com",
            "created_at": TIMESTAMP, "organizations": [{"short_name": "GT", "name": "Gigatech"}]})
        assert [o["short_name"] for o in me["organizations"]] == ["GT"]

        # The seed creates "Gigatech" again as an organization: display names may repeat, short
        # names may not (docs/fleet.md: /org/{org_id} takes the short name too).
        expect(api.post(f"{url}/org", json={
            "name": "Gigatech", "short_name": "GT", "type": "organization"}), 409, {"error": "x"})
        second = expect(api.post(f"{url}/org", json={
            "name": "Gigatech", "short_name": "NT", "type": "organization"}), 200, ORG)
        assert second["uid"] != org_id and second["type"] == "organization"
        expect(api.get(f"{url}/org/{org_id}"), 200, {**ORG, "type": "personal"})
        listed = expect(api.get(f"{url}/org"), 200,
                        [{"name": "Gigatech", "short_name": "GT", "type": "organization"}])
        assert {o["uid"] for o in listed} == {org_id, second["uid"]}
        updated = expect(api.put(f"{url}/org/{org_id}", json={"name": "Gigatech Updated"}), 200,
                         {"name": "Gigatech Updated", "short_name": "GT", "type": "personal"})
        assert updated["name"] == "Gigatech Updated"

        org = f"{url}/org/{org_id}"
        try:
            remote = expect(api.post(f"{org}/nodes", json={
                "name": "Node-01", "type": "Remote", "ip_address": "192.168.1.10", "port": 22}),
                200, NODE)
            socket = expect(api.post(f"{org}/nodes", json={"name": "Node-02", "type": "Socket"}),
                            200, NODE, SOCKET_NULLS)
            assert socket["ip_address"] is None and socket["port"] is None
            nodes = expect(api.get(f"{org}/nodes"), 200,
                           [{"uid": "f1", "name": "Node-01", "type": "Remote", "status": "active"}])
            assert [n["name"] for n in nodes] == ["Node-01", "Node-02"]
            expect(api.get(f"{org}/nodes/{remote['uid']}"), 200, NODE)
            changed = expect(api.put(f"{org}/nodes/{remote['uid']}", json={
                "name": "Node-01-Updated", "status": "inactive"}),
                200, {"uid": "f1", "name": "Node-01-Updated", "type": "Remote", "status": "inactive"})
            assert changed["status"] == "inactive"
            assert expect(api.delete(f"{org}/nodes/{remote['uid']}"), 200) == {
                "message": "Node deleted successfully."}

            # The seed's ubuntu:22.04 would run a GitHub runner; this machine runs plue-busybox.
            runner = expect(api.post(f"{org}/runners", json={
                "name": "Runner-01", "docker_image": IMAGE, "github_repo": "Gigatech/my-repo",
                "github_runner_token": "ghr_1234567890abcdef"}), 200, RUNNER)
            assert runner["github_runner_token"] == MASKED_TOKEN
            listed = expect(api.get(f"{org}/runners"), 200, [{
                "uid": "r1", "name": "Runner-01", "github_runner_token": "x", "status": "idle"}])
            assert [r["github_runner_token"] for r in listed] == [MASKED_TOKEN]
            runner_url = f"{org}/runners/{runner['uid']}"
            expect(api.get(runner_url), 200, {k: v for k, v in RUNNER.items() if k != "created_at"})
            renamed = expect(api.put(runner_url, json={
                "name": "Runner-01-Updated", "github_runner_token": "ghr_1234567890abcdef"}),
                200, {"uid": "r1", "github_runner_token": "x", "name": "Runner-01-Updated",
                      "status": "idle"})
            assert renamed["github_runner_token"] == MASKED_TOKEN

            instance = expect(api.post(f"{runner_url}/instance", json={"node_id": socket["uid"]}),
                              200, INSTANCE)
            assert instance["status"] == "online" and instance["node"]["uid"] == socket["uid"]
            expect(api.get(f"{runner_url}/instance"), 200, [{
                "uid": "i1", "instance_identifier": "c", "instance_host": "h", "status": "online"}])
            instance_url = f"{runner_url}/instance/{instance['uid']}"
            expect(api.get(instance_url), 200, INSTANCE)
            expect(api.get(f"{instance_url}/metrics"), 200, {
                "cpu_usage": 45.5, "memory_usage": 70.2, "disk_usage": 80.1, "timestamp": TIMESTAMP})
            deadline = time.monotonic() + 15
            while True:
                logs = expect(api.get(f"{instance_url}/logs"), 200, [{
                    "timestamp": TIMESTAMP, "level": "INFO", "message": "started"}])
                if {line["level"] for line in logs} >= {"INFO", "WARN"} or \
                        time.monotonic() > deadline:
                    break
                time.sleep(0.2)
            assert {"INFO", "WARN"} <= {line["level"] for line in logs}

            assert expect(api.delete(instance_url), 200) == {
                "message": "Runner instance deleted successfully."}
            assert expect(api.delete(runner_url), 200) == {"message": "Runner deleted successfully."}
        finally:
            remove_org_containers(docker_engine, org_id)


# --- seed 003: tracked repositories ----------------------------------------------------------

TRACKED = {"id": 1, "user_id": 1, "name": "my-repo", "owner": "myorg", "provider": "github",
           "url": "https://github.com/myorg/my-repo", "is_valid": True,
           "last_synced_at": TIMESTAMP, "created_at": TIMESTAMP}


def test_a_client_following_seed_003_tracks_a_repository(tmp_path, plue_database_url):
    with LocalGitHubAPI(token=GITHUB_TOKEN) as github_api, LocalGitLabAPI() as gitlab_api, \
            run_live_server(tmp_path, plue_database_url,
                            tracked_repos=tracked_settings(github_api, gitlab_api)) as server:
        api = requests.Session()
        url = server.url
        expect(api.post(f"{url}/auth/register", json={
            "full_name": "Repo Keeper", "email": "keeper@example.com", "password": "strongpassword"}),
            200)
        token = expect(api.post(f"{url}/auth/login", json={
            "email": "keeper@example.com", "password": "strongpassword"}), 200)["access_token"]
        api.headers["Authorization"] = f"Bearer {token}"

        assert expect(api.get(f"{url}/api/repos"), 200) == []
        added = expect(api.post(f"{url}/api/repos", json={"url": "https://github.com/myorg/my-repo"}),
                       201, TRACKED, ("$.last_synced_at",))
        assert added["last_synced_at"] is None and added["provider"] == "github"
        assert expect(api.get(f"{url}/api/repos"), 200, [TRACKED], ("$[].last_synced_at",)) == [added]
        duplicate = expect(api.post(f"{url}/api/repos", json={"url": "https://github.com/myorg/my-repo.git"}),
                           409)
        assert duplicate == {"error": "repository already tracked"}
        bad = expect(api.post(f"{url}/api/repos", json={"url": "https://github.com/just-an-owner"}),
                     400)
        assert set(bad) == {"error"} and isinstance(bad["error"], str) and bad["error"]
        validated = expect(api.post(f"{url}/api/repos/{added['id']}/validate"), 200, {
            "id": 1, "url": "u", "provider": "github", "is_valid": True, "message": "m"})
        assert validated["message"] == "validation will be performed during sync"
        assert expect(api.delete(f"{url}/api/repos/{added['id']}"), 200) == {
            "message": "repository removed"}
        for gone in (api.delete(f"{url}/api/repos/{added['id']}"),
                     api.post(f"{url}/api/repos/{added['id']}/validate")):
            assert expect(gone, 404) == {"error": "repository not found"}
        # Another user's repository is as absent as a missing one.
        other = expect(api.post(f"{url}/api/repos", json={"url": "https://gitlab.com/team/tool"}), 201)
        assert other["provider"] == "gitlab"
        stranger = requests.post(f"{url}/auth/register", json={
            "full_name": "S", "email": "s@example.com", "password": "strongpassword"})
        assert stranger.status_code == 200
        strange = requests.post(f"{url}/auth/login", json={
            "email": "s@example.com", "password": "strongpassword"}).json()["access_token"]
        refused = requests.delete(f"{url}/api/repos/{other['id']}",
                                  headers={"Authorization": f"Bearer {strange}"})
        assert expect(refused, 404) == {"error": "repository not found"}


# --- seed 002: RunnerHub ---------------------------------------------------------------------

ADMIN_PASSWORD = "your_password_is_long"
JOB = {"id": "job_123", "github_job_id": 123456789, "job_name": "Build and Test",
       "repository": "owner/repo", "workflow_name": "CI/CD Pipeline", "status": "running",
       "runner_id": "runner_001", "container_id": "container_xyz789",
       "labels": ["ubuntu-latest", "node"], "started_at": TIMESTAMP,
       "estimated_completion": TIMESTAMP,
       "metadata": {"branch": "main", "commit_sha": "abc123def456"}}
# docs/runnerhub.md: nothing measures these, so they are null.
JOB_NULLS = ("$.container_id", "$.estimated_completion", "$.resource_usage",
             "$.data.container_id", "$.data.estimated_completion", "$.data.resource_usage",
             "$.data.jobs[].container_id", "$.data.jobs[].estimated_completion")
RUNNER_PROFILE = {"name": "runnerhub-2", "labels": ["ubuntu-latest", "docker", "node"],
                  "os": "linux", "architecture": "x64",
                  "capabilities": {"docker": True, "kubernetes": False, "max_concurrent_jobs": 5},
                  "resource_info": {"cpu_cores": 8, "memory_gb": 16, "disk_gb": 200}}
HUB_RUNNER = {"id": "runner_001", "name": "runnerhub-1", "status": "online", "busy": False,
              "labels": ["ubuntu-latest"], "os": "linux", "architecture": "x64",
              "current_job": None, "last_seen": TIMESTAMP, "created_at": TIMESTAMP,
              "capabilities": {"docker": True, "kubernetes": False, "max_concurrent_jobs": 5},
              "resource_info": {"cpu_cores": 4, "memory_gb": 8, "disk_gb": 100}}


def test_a_client_following_seed_002_drives_runnerhub(tmp_path, plue_database_url, docker_engine):
    with LocalGitHubAPI(token=GITHUB_TOKEN) as github_api, LocalGitLabAPI() as gitlab_api, \
            run_live_server(tmp_path, plue_database_url,
                            tracked_repos=tracked_settings(github_api, gitlab_api),
                            security={"advisories_path": str(ADVISORIES)}) as server:
        url = server.url
        # The seed logs in as "admin"; that name is reserved here, as in Gitea.
        server.plue("admin", "user", "create", "--username", "hubadmin", "--email",
                    "admin@example.com", "--password", ADMIN_PASSWORD, "--admin")
        api = requests.Session()
        login = expect(api.post(f"{url}/api/auth/login",
                                json={"username": "hubadmin", "password": ADMIN_PASSWORD}), 200, {
            "success": True, "token": "eyJ", "expiresIn": "24h",
            "user": {"id": "user_id", "username": "hubadmin", "role": "admin"}})
        assert login["user"]["role"] == "admin"
        api.headers["Authorization"] = f"Bearer {login['token']}"
        _host_owner_repo(api, url)

        # Jobs. The seed's commit abc123def456 is not in owner/repo: a 404 naming it.
        delegation = {"repository": "owner/repo", "job_id": "123456789",
                      "job_name": "Build and Test", "workflow_name": "CI/CD Pipeline",
                      "labels": ["ubuntu-latest", "node"],
                      "metadata": {"branch": "main", "commit_sha": "abc123def456", "pr_number": 42}}
        unknown_commit = expect(api.post(f"{url}/api/jobs/delegate", json=delegation), 404)
        assert unknown_commit["error"]["code"] == "RESOURCE_NOT_FOUND"
        assert "abc123def456" in unknown_commit["error"]["message"]
        del delegation["metadata"]["commit_sha"]
        delegated = expect(api.post(f"{url}/api/jobs/delegate", json=delegation), 201, {
            "success": True, "message": "Job delegated successfully", "data": {
                "delegation_id": "del_abc123", "runner_id": "runner_001",
                "container_id": "container_xyz789", "status": "assigned",
                "created_at": TIMESTAMP, "estimated_completion": TIMESTAMP}},
            ("$.data.runner_id",) + JOB_NULLS)
        job_id = delegated["data"]["job_id"]
        assert delegated["data"]["status"] == "queued"  # docs: no runner holds it yet

        registered = expect(api.post(f"{url}/api/runners", json=RUNNER_PROFILE), 201,
                            envelope({**HUB_RUNNER, **RUNNER_PROFILE, "uuid": "u", "token": "t"}),
                            ("$.data.last_seen",))
        runner = ProtocolRunner(transport_for_url(url))
        runner.uuid, runner.token = registered["data"]["uuid"], registered["data"]["token"]
        task = runner.fetch(timeout_ms=5000)
        assert task is not None
        runner.update_log(int(task["id"]), 0, ["Starting job execution"], no_more=False)

        listed = expect(api.get(f"{url}/api/jobs", params={
            "status": "running", "repository": "owner/repo", "limit": 20, "offset": 0}), 200,
            envelope({"jobs": [JOB], "pagination": {"total": 1, "limit": 20, "offset": 0,
                                                    "pages": 1}}), JOB_NULLS)
        assert [j["id"] for j in listed["data"]["jobs"]] == [job_id]
        expect(api.get(f"{url}/api/jobs/{job_id}"), 200, envelope({
            **JOB, "updated_at": TIMESTAMP,
            "progress": {"current_step": "Build", "total_steps": 5, "percentage": 60},
            "resource_usage": {"cpu_usage": 45.2, "memory_usage": 512, "disk_usage": 2048},
            "logs_url": "/api/jobs/job_123/logs",
            "metadata": {"branch": "main", "commit_sha": "abc", "pr_number": 42}}), JOB_NULLS)
        logs = expect(api.get(f"{url}/api/jobs/{job_id}/logs",
                              params={"follow": "true", "lines": 100}), 200, envelope({
            "logs": [{"timestamp": TIMESTAMP, "level": "info", "message": "m", "step": "setup"}],
            "metadata": {"total_lines": 245, "job_status": "running", "last_update": TIMESTAMP}}),
            ("$.data.logs[].step",))
        assert [line["message"] for line in logs["data"]["logs"]] == ["Starting job execution"]
        runner_status = expect(api.get(f"{url}/api/runners/{registered['data']['id']}/status"),
                               200, envelope({
            "id": "runner_001", "name": "runnerhub-1", "status": "online", "busy": True,
            "current_job": {"job_id": "job_123", "job_name": "Build and Test",
                            "started_at": TIMESTAMP},
            "resource_usage": {"cpu_usage": 75.5},
            "health": {"status": "healthy", "last_heartbeat": TIMESTAMP, "uptime": 3600}}),
            ("$.data.resource_usage",))
        assert runner_status["data"]["busy"] is True
        expect(api.get(f"{url}/api/runners", params={"status": "online", "labels": "ubuntu-latest"}),
               200, envelope({"runners": [HUB_RUNNER], "summary": {
                   "total": 10, "online": 8, "busy": 3, "idle": 5, "offline": 2}}),
               ("$.data.runners[].current_job",))
        finished = expect(api.put(f"{url}/api/jobs/{job_id}/status", json={
            "status": "completed", "result": "success", "completed_at": "2024-06-23T10:45:00Z",
            "exit_code": 0, "artifacts": [{"name": "build-artifacts", "path": "/artifacts/build.zip",
                                           "size": 1024000}]}), 200)
        assert finished["success"] is True and finished["data"]["status"] == "completed"

        # GitHub integration: track the seed's repositories, then sync them.
        github_api.add("owner", "repo1", commits=make_commits(2))
        github_api.add("owner", "repo2", commits=make_commits(1))
        for name in ("repo1", "repo2"):
            expect(api.post(f"{url}/api/repos", json={"url": f"https://github.com/owner/{name}"}), 201)
        synced = expect(api.post(f"{url}/api/github/sync", json={
            "sync_type": "full", "repositories": ["owner/repo1", "owner/repo2"]}), 200)
        assert synced["success"] is True, synced
        expect(api.get(f"{url}/api/github/status"), 200, envelope({
            "api_status": "operational",
            "rate_limit": {"remaining": 4850, "limit": 5000, "reset": TIMESTAMP, "used": 150},
            "webhook_status": "active", "last_sync": TIMESTAMP, "organization": "your-org",
            "repositories_tracked": 25, "runners_registered": 10}),
            ("$.data.organization", "$.data.runners_registered"))  # docs/tracked_repos.md
        expect(api.get(f"{url}/api/github/repositories"), 200, envelope({
            "repositories": [{"id": 123456, "name": "awesome-project",
                              "full_name": "your-org/awesome-project", "private": False,
                              "active": True, "webhook_configured": True,
                              "last_activity": TIMESTAMP,
                              "job_count": {"total": 1250, "this_month": 85, "running": 2}}],
            "summary": {"total_repositories": 25, "active_repositories": 22,
                        "webhooks_configured": 20}}))

        # Security.
        scan = expect(api.post(f"{url}/api/security/scan", timeout=120, json={
            "image": IMAGE, "scan_type": "comprehensive", "severity_threshold": "medium"}),
            201, envelope({  # docs/security.md: scans are 201, created and stored
                "scan_id": "scan_abc123", "image": IMAGE, "scan_date": TIMESTAMP,
                "status": "completed",
                "vulnerabilities": {"total": 5, "critical": 0, "high": 1, "medium": 2, "low": 2},
                "details": [{"id": "CVE-2024-1234", "severity": "high", "package": "openssl",
                             "installed_version": "1.1.1f", "fixed_version": "1.1.1g",
                             "description": "Buffer overflow vulnerability"}],
                "recommendation": "Update packages to latest versions"}),
            ("$.data.details[].fixed_version",))
        scans = expect(api.get(f"{url}/api/security/scans", params={"image": "busybox", "limit": 10}),
                       200)
        assert [s["scan_id"] for s in scans["data"]] == [scan["data"]["scan_id"]]
        # The seed's body: job_id, content and scan_rules together (the content is scanned).
        both = expect(api.post(f"{url}/api/security/secret-scan", json={
            "job_id": "job_123", "content": "Log content to scan for secrets",
            "scan_rules": ["api_keys", "passwords", "tokens"]}), 200)
        assert both["data"]["job_id"] == "job_123" and both["data"]["secrets_found"] == 0
        expect(api.post(f"{url}/api/security/secret-scan", json={
            "job_id": job_id, "scan_rules": ["api_keys", "passwords", "tokens"]}), 200)
        expect(api.post(f"{url}/api/security/secret-scan", json={
            "content": "Log content to scan for secrets",
            "scan_rules": ["api_keys", "passwords", "tokens"]}), 200)
        expect(api.get(f"{url}/api/security/status"), 200, envelope({
            "security_level": "high",
            "compliance_status": {"owasp": "compliant", "soc2": "ready", "gdpr": "compliant"},
            "threat_detection": {"status": "active", "threats_detected": 0, "last_scan": TIMESTAMP},
            "vulnerabilities": {"critical": 0, "high": 2, "medium": 5, "low": 8},
            "security_policies": {"enforced": 15, "total": 15}}), ("$.data.compliance_status",))

        # Monitoring and metrics.
        health = expect(requests.get(f"{url}/health"), 200, {
            "status": "healthy", "timestamp": TIMESTAMP, "version": "2.0.0", "uptime": 86400,
            "services": {"database": "healthy"},  # docs/monitoring.md: no redis, github_api
            "metrics": {"active_jobs": 5, "total_runners": 10, "online_runners": 8}})
        assert health["status"] == "healthy"
        expect(api.get(f"{url}/api/metrics"), 200, envelope({
            "system": {"cpu_usage": 45.2, "memory_usage": 68.5, "disk_usage": 35.8, "uptime": 86400},
            "application": {"active_jobs": 5, "completed_jobs_today": 125,
                            "average_job_duration": 180, "api_requests_per_minute": 45},
            "github": {"api_rate_limit_remaining": 4850},
            "performance": {"cache_hit_ratio": 0.92, "average_response_time": 85,
                            "container_startup_time": 3.2}}),
            ("$.data.github", "$.data.performance.cache_hit_ratio",  # docs/monitoring.md
             "$.data.performance.container_startup_time", "$.data.application.average_job_duration"))
        dashboard = expect(api.get(f"{url}/api/monitoring/dashboard"), 200)
        assert dashboard["success"] is True and isinstance(dashboard["data"], dict)

        # Queues (docs/runnerhub.md: a queue is a runs-on label set).
        queue = {"name": "high-priority", "waiting": 2, "active": 5, "completed": 1250,
                 "failed": 15, "delayed": 0, "paused": False}
        queues = expect(api.get(f"{url}/api/queues/status"), 200, envelope({
            "queues": [queue], "summary": {"total_waiting": 10, "total_active": 15,
                                           "total_completed": 6890, "total_failed": 60}}))
        assert "node,ubuntu-latest" in [q["name"] for q in queues["data"]["queues"]]
        paused = expect(api.post(f"{url}/api/queues/high-priority/pause"), 200, envelope(queue))
        assert paused["data"]["paused"] is True
        resumed = expect(api.post(f"{url}/api/queues/high-priority/resume"), 200, envelope(queue))
        assert resumed["data"]["paused"] is False
        cleared = expect(api.delete(f"{url}/api/queues/node,ubuntu-latest/failed"), 200)
        assert cleared["data"]["name"] == "node,ubuntu-latest"


def _host_owner_repo(api: requests.Session, url: str) -> None:
    """The seed's ``owner/repo``: an organization ``owner`` with repository ``repo`` holding
    the CI/CD Pipeline workflow (Gitea's API, /api/v1)."""
    made = api.post(f"{url}/api/v1/orgs", json={"username": "owner"})
    assert made.status_code == 201, made.text
    made = api.post(f"{url}/api/v1/orgs/owner/repos", json={"name": "repo", "auto_init": True})
    assert made.status_code == 201, made.text
    pushed = api.post(f"{url}/api/v1/repos/owner/repo/contents/.gitea/workflows/ci.yml", json={
        "content": base64.b64encode(PIPELINE.encode()).decode(), "message": "pipeline"})
    assert pushed.status_code == 201, pushed.text
