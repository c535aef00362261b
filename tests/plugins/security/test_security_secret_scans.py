"""POST /api/security/secret-scan finds well-known secret formats in given content or in a
job's log, answers rule, line and a redacted preview, and never echoes or stores a secret."""

from __future__ import annotations

from plue_core.testing import basic_auth
from plue_security.models import SecretScan

GITHUB_TOKEN = "ghp_" + "A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8"
AWS_KEY = "AKIAIOSFODNN7EXAMPLE"
PASSWORD = "s3cr3t-Hunter2"
JWT = ("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0."
       "dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U")
SLACK = "xoxb-1234567890-abcdefghij"
CONTENT = "\n".join([
    "Step 1: checkout",
    f"export GITHUB_TOKEN={GITHUB_TOKEN}",
    f"aws configure set aws_access_key_id {AWS_KEY}",
    f"mysql --password={PASSWORD}",
    "-----BEGIN OPENSSH PRIVATE KEY-----",
    f"curl -H 'Authorization: Bearer {JWT}'",
    f"SLACK={SLACK}",
    "done",
])
SECRETS = (GITHUB_TOKEN, AWS_KEY, PASSWORD, JWT, SLACK)


def secret_scan(client, body, user="root"):
    return client.simulate_post("/api/security/secret-scan", json=body, headers=basic_auth(user))


def test_content_is_scanned_with_the_named_rules_and_findings_give_rule_and_line(hub):
    response = secret_scan(hub, {"content": CONTENT,
                                 "scan_rules": ["api_keys", "passwords", "tokens", "private_keys"]})
    assert response.status_code == 200, response.text
    data = response.json["data"]
    found = {(f["type"], f["line"], f["rule"]) for f in data["findings"]}
    assert {("github_token", 2, "tokens"), ("aws_access_key_id", 3, "api_keys"),
            ("password_assignment", 4, "passwords"), ("private_key_block", 5, "private_keys"),
            ("jwt", 6, "tokens"), ("slack_token", 7, "tokens")} <= found
    assert data["secrets_found"] == len(data["findings"]) and data["lines_scanned"] == 8
    assert data["scan_id"].startswith("secret_") and data["job_id"] is None


def test_a_found_secret_is_never_echoed_back_or_stored(hub, security_app):
    response = secret_scan(hub, {"content": CONTENT, "scan_rules": ["api_keys", "passwords", "tokens"]})
    previews = [f["preview"] for f in response.json["data"]["findings"]]
    assert "export GITHUB_TOKEN=ghp_[REDACTED]" in previews
    assert "mysql --password=[REDACTED]" in previews
    for secret in SECRETS:
        assert secret not in response.text
    with security_app.plue.db.connection_context():
        stored = SecretScan.get().findings
    for secret in SECRETS:
        assert secret not in stored


def test_only_the_requested_rules_run(hub):
    data = secret_scan(hub, {"content": CONTENT, "scan_rules": ["passwords"]}).json["data"]
    assert {f["rule"] for f in data["findings"]} == {"passwords"}


def test_unknown_rule_names_are_a_validation_error_naming_them(hub):
    response = secret_scan(hub, {"content": "x", "scan_rules": ["tokens", "crystal_ball", "tea"]})
    assert response.status_code == 400
    error = response.json["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert "crystal_ball" in error["message"] and "tea" in error["message"]


def test_content_or_job_id_is_required(hub):
    response = secret_scan(hub, {"scan_rules": ["tokens"]})
    assert response.status_code == 400 and "job_id" in response.json["error"]["message"]
    assert response.json["error"]["details"]["field"] == "content"


def test_the_seeds_body_scans_its_content_attributed_to_the_job(hub, security_app):
    """Seed 002's example sends job_id, content and scan_rules together: the content is what
    is scanned (the job's log as the caller has it) and the scan is recorded for that job."""
    response = secret_scan(hub, {"job_id": "job_123", "content": CONTENT,
                                 "scan_rules": ["api_keys", "passwords", "tokens"]})
    assert response.status_code == 200, response.text
    data = response.json["data"]
    assert data["job_id"] == "job_123" and data["lines_scanned"] == 8
    assert {f["rule"] for f in data["findings"]} == {"api_keys", "passwords", "tokens"}
    with security_app.plue.db.connection_context():
        assert SecretScan.get(SecretScan.scan_id == data["scan_id"]).job_id == 123
    bad = secret_scan(hub, {"job_id": "run_12", "content": CONTENT})
    assert bad.status_code == 400
    assert bad.json["error"]["details"] == {"field": "job_id", "value": "run_12",
                                            "expected": '123 or "job_123"'}


WORKFLOW = """
name: CI
on: push
jobs:
  build:
    runs-on: ubuntu-latest
    steps:
      - run: echo deploy
"""


def finished_job_with_log(forge, lines) -> int:
    runner = forge.runner()
    forge.push_file(".gitea/workflows/ci.yml", WORKFLOW, "add ci")
    task = runner.fetch()
    runner.update_log(int(task["id"]), 0, lines, no_more=True)
    runner.update_task(int(task["id"]), "RESULT_SUCCESS")
    run = forge.runs()[0]
    return forge.jobs(run["id"])[0]["id"]


def test_a_jobs_log_is_scanned_when_the_caller_may_read_it(actions_forge):
    job_id = finished_job_with_log(actions_forge, ["deploying", f"token={GITHUB_TOKEN}", "ok"])
    client = actions_forge.client
    for spelled in (f"job_{job_id}", job_id, str(job_id)):
        response = secret_scan(client, {"job_id": spelled, "scan_rules": ["tokens"]}, user="alice")
        assert response.status_code == 200, response.text
        data = response.json["data"]
        assert data["job_id"] == f"job_{job_id}"
        assert [(f["type"], f["line"]) for f in data["findings"]] == [("github_token", 2)]
        assert GITHUB_TOKEN not in response.text


def test_a_job_the_caller_may_not_read_is_404(actions_forge):
    actions_forge.api("PATCH", "/repos/alice/demo", {"private": True})
    job_id = finished_job_with_log(actions_forge, ["nothing"])
    response = secret_scan(actions_forge.client, {"job_id": f"job_{job_id}"}, user="bob")
    assert response.status_code == 404 and response.json["error"]["code"] == "RESOURCE_NOT_FOUND"
    missing = secret_scan(actions_forge.client, {"job_id": "job_999999"}, user="alice")
    assert missing.status_code == 404
    bad = secret_scan(actions_forge.client, {"job_id": "run_12"}, user="alice")
    assert bad.status_code == 400 and "job_id" in bad.json["error"]["message"]
