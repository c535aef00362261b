"""scripts/issue_management.py (seed 000's SDK) against the real server: gunicorn, a
``plue`` CLI-made user and token, and the effects checked over HTTP afterwards."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

import pytest
import requests

pytestmark = pytest.mark.e2e

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "issue_management.py"
PASSWORD = "sdk-issues-password"


@pytest.fixture
def token(live_server):
    live_server.plue("admin", "user", "create", "--username", "testuser", "--email",
                     "testuser@example.com", "--password", PASSWORD)
    return live_server.plue("admin", "token", "create", "--username", "testuser",
                            "--name", "sdk").stdout.strip()


def run_script(live_server, token, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
    env.update(PLUE_URL=live_server.url, PLUE_TOKEN=token)
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=180)


def summary_of(result) -> dict:
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_sdk_script_exercises_the_live_server_and_cleans_up(live_server, token):
    result = run_script(live_server, token)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✅ Issue endpoints test passed!" in result.stdout
    summary = summary_of(result)
    assert summary["deleted_repository"] is True
    headers = {"Authorization": f"token {token}"}
    gone = requests.get(f"{live_server.url}/api/v1/repos/{summary['repository']}", headers=headers,
                        timeout=30)
    assert gone.status_code == 404


def test_the_seed_flow_on_an_existing_repository_leaves_a_closed_labelled_issue(live_server, token):
    api = f"{live_server.url}/api/v1"
    headers = {"Authorization": f"token {token}"}
    created = requests.post(f"{api}/user/repos", json={"name": "test-repo"}, headers=headers,
                            timeout=30)
    assert created.status_code == 201, created.text
    result = run_script(live_server, token, "--repo", "testuser/test-repo")
    assert result.returncode == 0, result.stdout + result.stderr
    summary = summary_of(result)
    issue = requests.get(f"{api}/repos/testuser/test-repo/issues/{summary['issue_number']}",
                         headers=headers, timeout=30).json()
    assert issue["title"] == "Test Issue" and issue["state"] == "closed"
    assert [label["name"] for label in issue["labels"]] == ["bug"]
    assert issue["labels"][0]["color"] == "ff0000"
    assert issue["comments"] == 1
    comments = requests.get(f"{api}/repos/testuser/test-repo/issues/{issue['number']}/comments",
                            headers=headers, timeout=30).json()
    assert [c["body"] for c in comments] == ["Edited"]


def test_a_bad_token_fails_with_a_message_and_exit_status_1(live_server):
    result = run_script(live_server, "not-a-token")
    assert result.returncode == 1
    assert "FAILED" in result.stderr and "401" in result.stderr
