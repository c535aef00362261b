"""scripts/user_management.py (seed 000's SDK) against the real server: gunicorn, ``plue``
CLI-made admin and token, and the effects checked over HTTP afterwards."""

from __future__ import annotations

import importlib.util
import json
import os
import pathlib
import subprocess
import sys

import pytest
import requests

pytestmark = pytest.mark.e2e

SCRIPT = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "user_management.py"
PASSWORD = "sdk-admin-password"


@pytest.fixture
def admin_token(live_server):
    live_server.plue("admin", "user", "create", "--username", "sdkadmin", "--email",
                     "sdkadmin@example.com", "--password", PASSWORD, "--admin")
    return live_server.plue("admin", "token", "create", "--username", "sdkadmin",
                            "--name", "sdk").stdout.strip()


def run_script(live_server, token, *args):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PLUE_")}
    env.update(PLUE_URL=live_server.url, PLUE_TOKEN=token)
    return subprocess.run([sys.executable, str(SCRIPT), *args], env=env, capture_output=True,
                          text=True, timeout=120)


def summary_of(result) -> dict:
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_sdk_script_exercises_the_live_server_and_cleans_up(live_server, admin_token):
    result = run_script(live_server, admin_token)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "✅ User endpoints test passed!" in result.stdout
    summary = summary_of(result)
    assert summary["user"] == "sdkadmin"
    headers = {"Authorization": f"token {admin_token}"}
    api = f"{live_server.url}/api/v1"
    assert requests.get(f"{api}/user/keys/{summary['deleted_key_id']}", headers=headers).status_code == 404
    assert requests.get(f"{api}/orgs/{summary['org']}", headers=headers).status_code == 404
    assert requests.get(f"{api}/users/{summary['member']}", headers=headers).status_code == 404
    assert requests.get(f"{api}/user/keys", headers=headers).json() == []


def test_with_keep_the_org_team_and_member_stay_for_inspection(live_server, admin_token):
    result = run_script(live_server, admin_token, "--keep")
    assert result.returncode == 0, result.stdout + result.stderr
    summary = summary_of(result)
    api = f"{live_server.url}/api/v1"
    headers = {"Authorization": f"token {admin_token}"}
    org = requests.get(f"{api}/orgs/{summary['org']}", headers=headers).json()
    assert (org["description"], org["visibility"]) == ("made by user_management.py", "private")
    assert requests.get(f"{api}/orgs/{summary['org']}").status_code == 404  # private to outsiders
    members = requests.get(f"{api}/orgs/{summary['org']}/members", headers=headers).json()
    assert sorted(m["login"] for m in members) == sorted(["sdkadmin", summary["member"]])
    team = requests.get(f"{api}/teams/{summary['team_id']}", headers=headers).json()
    assert (team["name"], team["permission"]) == ("developers", "write")


def test_the_script_fails_loudly_with_a_bad_token(live_server):
    result = run_script(live_server, "0" * 40)
    assert result.returncode == 1
    assert "401" in result.stderr and "invalid access token" in result.stderr


def test_the_sdk_class_raises_with_the_servers_message(live_server, admin_token, monkeypatch):
    monkeypatch.syspath_prepend(str(SCRIPT.parent))  # where the script finds plue_client
    spec = importlib.util.spec_from_file_location("user_management", SCRIPT)
    sdk = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sdk)
    api = sdk.UserAPI(live_server.url, admin_token)
    with pytest.raises(sdk.PlueAPIError) as error:
        api.add_key("bad", "ssh-rsa not-a-key")
    assert error.value.status == 422 and error.value.message.startswith("key:")
    with pytest.raises(sdk.PlueAPIError) as error:
        api.create_org("admin")
    assert error.value.status == 422 and "reserved" in error.value.message
    # Pagination follows Link headers past the server's page size.
    for n in range(3):
        api.add_key(f"k{n}", sdk._new_public_key(f"k{n}"))
    keys = list(api._pages("/user/keys", limit=2))
    assert [k["title"] for k in keys] == ["k0", "k1", "k2"]
