"""scripts/repository_management.py (seed 000's SDK) against the real server, with the effects
checked over HTTP and with the git client afterwards."""

from __future__ import annotations

import base64
import json
import os
import pathlib
import subprocess
import sys

import pytest
import requests

pytestmark = pytest.mark.e2e

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "repository_management.py"
PASSWORD = "sdk-user-password"


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
                          text=True, timeout=300)


def test_the_sdk_script_exercises_the_live_server_and_cleans_up(live_server, token):
    result = run_script(live_server, token)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✅ Repository endpoints test passed!" in result.stdout
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["owner"] == "testuser" and summary["commits"] == 4
    headers = {"Authorization": f"token {token}"}
    response = requests.get(f"{live_server.url}/api/v1/repos/testuser/{summary['repository']}", headers=headers)
    assert response.status_code == 404
    assert not (live_server.data_dir / "repos" / "testuser" / f"{summary['repository']}.git").exists()


def test_with_keep_the_repository_stays_and_git_clones_what_the_sdk_wrote(live_server, token, tmp_path):
    result = run_script(live_server, token, "--keep")
    assert result.returncode == 0, result.stdout + result.stderr
    name = json.loads(result.stdout.strip().splitlines()[-1])["repository"]
    repo = requests.get(f"{live_server.url}/api/v1/repos/testuser/{name}").json()
    assert repo["description"] == "Edited by the SDK" and repo["has_wiki"] is False
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", repo["clone_url"], str(clone)], check=True,
                   env={**os.environ, "GIT_TERMINAL_PROMPT": "0"}, timeout=120)
    assert (clone / "src" / "app.py").read_text() == "print('hello')\n"
    assert (clone / "README.md").read_text() == "# Test Repo\n\nUpdated.\n"
    assert subprocess.run(["git", "tag"], cwd=clone, capture_output=True, text=True).stdout.split() == ["v0.1.0"]
    subprocess.run(["git", "fsck", "--strict"], cwd=clone, check=True, capture_output=True)


def test_the_seeds_literal_request_bodies_work(live_server, token):
    """Seed 000's script posts ``{"branch", "source"}`` to create a branch."""
    api, headers = f"{live_server.url}/api/v1", {"Authorization": f"token {token}"}
    assert requests.post(f"{api}/user/repos", headers=headers, json={
        "name": "test-repo", "description": "Test repository", "private": False}).status_code == 201
    assert requests.post(f"{api}/repos/testuser/test-repo/contents/README.md", headers=headers, json={
        "message": "Add README", "content": base64.b64encode(b"# Test Repo").decode(),
        "branch": "main"}).status_code == 201
    response = requests.post(f"{api}/repos/testuser/test-repo/branches", headers=headers,
                             json={"branch": "feature", "source": "main"})
    assert response.status_code == 201 and response.json()["name"] == "feature"


def test_the_script_fails_loudly_with_a_bad_token(live_server):
    result = run_script(live_server, "0" * 40)
    assert result.returncode == 1 and "401" in result.stderr
