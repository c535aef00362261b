#!/usr/bin/env python3
"""SDK for the Actions (CI/CD) endpoints of a Plue server: secrets (GitHub's sealed-box flow
and Gitea's plaintext one), variables, runners and registration tokens, workflows, runs,
jobs and artifacts (Gitea's /api/v1 shapes, so it works against Gitea too).

Configuration comes from the environment:

* ``PLUE_URL``   - the server, e.g. ``http://127.0.0.1:8000`` (``/api/v1`` is added when absent)
* ``PLUE_TOKEN`` - an access token (``plue admin token create --username you``)

``python scripts/actions_management.py`` makes a scratch repository, exercises every call
against it and deletes it again (``--keep`` leaves it). It prints what it did, then one JSON
summary line, and exits 0 on success, 1 on the first failure.

    api = ActionsAPI()
    api.create_secret("me", "app", "DEPLOY_KEY", "s3cr3t")     # sealed with the repo's key
    token = api.registration_token("me", "app")["token"]      # for `plue runner register`
    for run in api.list_runs("me", "app")["workflow_runs"]: print(run["status"])
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import sys
import time
import uuid
from typing import Any

import requests
from nacl.public import PublicKey, SealedBox

DEFAULT_URL = "http://127.0.0.1:8000"
WORKFLOW = """name: SDK check
on: [push, workflow_dispatch]
jobs:
  hello:
    runs-on: sdk-label-nobody-has
    steps:
      - run: echo "hello from ${{ github.repository }}"
"""


class PlueAPIError(Exception):
    """The server answered with an unexpected status; ``message`` is its explanation."""

    def __init__(self, method: str, url: str, status: int, message: str):
        super().__init__(f"{method} {url} -> {status}: {message}")
        self.status = status
        self.message = message


class ActionsAPI:
    """Actions endpoints of one server, authenticated with an access token."""

    def __init__(self, base_url: str | None = None, token: str | None = None, *,
                 session: requests.Session | None = None, timeout: float = 60.0):
        base_url = (base_url or os.environ.get("PLUE_URL") or DEFAULT_URL).rstrip("/")
        self.base_url = base_url if base_url.endswith("/api/v1") else f"{base_url}/api/v1"
        token = token if token is not None else os.environ.get("PLUE_TOKEN")
        if not token:
            raise ValueError("no access token: set PLUE_TOKEN or pass token=")
        self.session = session or requests.Session()
        self.session.headers.update({"Authorization": f"token {token}", "Accept": "application/json"})
        self.timeout = timeout

    def _request(self, method: str, path: str, *, expect: tuple[int, ...] = (200,), **kwargs) -> Any:
        url = f"{self.base_url}{path}"
        response = self.session.request(method, url, timeout=self.timeout, **kwargs)
        if response.status_code not in expect:
            try:
                message = response.json().get("message", response.text)
            except ValueError:
                message = response.text
            raise PlueAPIError(method, url, response.status_code, message)
        if not response.content or response.status_code == 204:
            return None
        if response.headers.get("content-type", "").startswith("application/json"):
            return response.json()
        return response.content

    # --- secrets ------------------------------------------------------------------------------

    @staticmethod
    def _scope(owner: str | None, repo: str | None, org: str | None) -> str:
        if org:
            return f"/orgs/{org}/actions"
        if owner and repo:
            return f"/repos/{owner}/{repo}/actions"
        return "/user/actions"

    def secrets_public_key(self, owner=None, repo=None, org=None) -> dict:
        """``{key_id, key}``: the scope's X25519 public key (base64)."""
        return self._request("GET", f"{self._scope(owner, repo, org)}/secrets/public-key")

    def create_secret(self, owner=None, repo=None, name="", value="", *, org=None,
                      sealed: bool = True) -> bool:
        """Create or update a secret; True when it was created. ``sealed`` encrypts it on this
        side with the scope's public key (GitHub's flow); otherwise Gitea's plaintext ``data``."""
        scope = self._scope(owner, repo, org)
        print(f"Setting secret '{name}'...")
        if sealed:
            key = self.secrets_public_key(owner, repo, org)
            box = SealedBox(PublicKey(base64.b64decode(key["key"])))
            body = {"encrypted_value": base64.b64encode(box.encrypt(value.encode())).decode(),
                    "key_id": key["key_id"]}
        else:
            body = {"data": value}
        response = self.session.put(f"{self.base_url}{scope}/secrets/{name}", json=body,
                                    timeout=self.timeout)
        if response.status_code not in (201, 204):
            raise PlueAPIError("PUT", response.url, response.status_code, response.text)
        return response.status_code == 201

    def list_secrets(self, owner=None, repo=None, org=None) -> list[dict]:
        return self._request("GET", f"{self._scope(owner, repo, org)}/secrets")

    def delete_secret(self, owner=None, repo=None, name="", org=None) -> None:
        self._request("DELETE", f"{self._scope(owner, repo, org)}/secrets/{name}", expect=(204,))

    # --- variables ----------------------------------------------------------------------------

    def create_variable(self, owner=None, repo=None, name="", value="", org=None) -> None:
        self._request("POST", f"{self._scope(owner, repo, org)}/variables/{name}",
                      json={"value": value}, expect=(201,))

    def update_variable(self, owner=None, repo=None, name="", value="", org=None) -> None:
        self._request("PUT", f"{self._scope(owner, repo, org)}/variables/{name}",
                      json={"value": value}, expect=(204,))

    def get_variable(self, owner=None, repo=None, name="", org=None) -> dict:
        return self._request("GET", f"{self._scope(owner, repo, org)}/variables/{name}")

    def list_variables(self, owner=None, repo=None, org=None) -> list[dict]:
        return self._request("GET", f"{self._scope(owner, repo, org)}/variables")

    def delete_variable(self, owner=None, repo=None, name="", org=None) -> None:
        self._request("DELETE", f"{self._scope(owner, repo, org)}/variables/{name}", expect=(204,))

    # --- runners ------------------------------------------------------------------------------

    def registration_token(self, owner=None, repo=None, org=None, *, new: bool = False) -> dict:
        """``{token, expires_at}`` to register a runner in this scope."""
        return self._request("POST" if new else "GET",
                             f"{self._scope(owner, repo, org)}/runners/registration-token")

    def list_runners(self, owner=None, repo=None, org=None) -> dict:
        return self._request("GET", f"{self._scope(owner, repo, org)}/runners")

    def delete_runner(self, owner=None, repo=None, runner_id=0, org=None) -> None:
        self._request("DELETE", f"{self._scope(owner, repo, org)}/runners/{runner_id}", expect=(204,))

    # --- workflows, runs, jobs, artifacts -----------------------------------------------------

    def list_workflows(self, owner: str, repo: str) -> dict:
        return self._request("GET", f"/repos/{owner}/{repo}/actions/workflows")

    def dispatch_workflow(self, owner: str, repo: str, workflow: str, ref: str,
                          inputs: dict | None = None) -> dict:
        return self._request("POST", f"/repos/{owner}/{repo}/actions/workflows/{workflow}/dispatches",
                             params={"return_run_details": "true"},
                             json={"ref": ref, "inputs": inputs or {}})

    def list_runs(self, owner: str, repo: str, **filters) -> dict:
        return self._request("GET", f"/repos/{owner}/{repo}/actions/runs", params=filters)

    def get_run(self, owner: str, repo: str, run_id: int) -> dict:
        return self._request("GET", f"/repos/{owner}/{repo}/actions/runs/{run_id}")

    def list_jobs(self, owner: str, repo: str, run_id: int) -> dict:
        return self._request("GET", f"/repos/{owner}/{repo}/actions/runs/{run_id}/jobs")

    def job_logs(self, owner: str, repo: str, job_id: int) -> str:
        return self._request("GET", f"/repos/{owner}/{repo}/actions/jobs/{job_id}/logs").decode()

    def cancel_run(self, owner: str, repo: str, run_id: int) -> None:
        self._request("POST", f"/repos/{owner}/{repo}/actions/runs/{run_id}/cancel", expect=(202,))

    def rerun(self, owner: str, repo: str, run_id: int) -> dict:
        return self._request("POST", f"/repos/{owner}/{repo}/actions/runs/{run_id}/rerun", expect=(201,))

    def delete_run(self, owner: str, repo: str, run_id: int) -> None:
        self._request("DELETE", f"/repos/{owner}/{repo}/actions/runs/{run_id}", expect=(204,))

    def list_artifacts(self, owner: str, repo: str, run_id: int | None = None) -> dict:
        path = f"/runs/{run_id}/artifacts" if run_id else "/artifacts"
        return self._request("GET", f"/repos/{owner}/{repo}/actions{path}")


def exercise(api: ActionsAPI, keep: bool) -> dict:
    """The seed's scenario and more, against a scratch repository."""
    me = api._request("GET", "/user")["login"]
    repo = f"actions-sdk-{uuid.uuid4().hex[:8]}"
    api._request("POST", "/user/repos", json={"name": repo, "auto_init": True}, expect=(201,))
    try:
        assert api.create_secret(me, repo, "TEST_SECRET", "s3cr3t-value") is True
        assert api.create_secret(me, repo, "TEST_SECRET", "rotated", sealed=False) is False
        secrets = api.list_secrets(me, repo)
        assert [s["name"] for s in secrets] == ["TEST_SECRET"] and "rotated" not in json.dumps(secrets)
        print("Testing variables...")
        api.create_variable(me, repo, "STAGE", "dev")
        api.update_variable(me, repo, "STAGE", "prod")
        assert api.get_variable(me, repo, "STAGE")["data"] == "prod"
        print("Testing runner registration...")
        token = api.registration_token(me, repo)
        assert token["token"] and token["expires_at"]
        assert api.list_runners(me, repo)["total_count"] == 0
        print("Testing workflow runs...")
        assert "workflow_runs" in api.list_runs(me, repo) and api.list_runs(me, repo)["total_count"] == 0
        content = base64.b64encode(WORKFLOW.encode()).decode()
        api._request("POST", f"/repos/{me}/{repo}/contents/.gitea/workflows/sdk.yml",
                     json={"content": content, "message": "add workflow"}, expect=(201,))
        runs = api.list_runs(me, repo)["workflow_runs"]
        assert len(runs) == 1 and runs[0]["status"] == "queued", runs
        run_id = runs[0]["id"]
        jobs = api.list_jobs(me, repo, run_id)["jobs"]
        assert jobs[0]["labels"] == ["sdk-label-nobody-has"]
        workflows = api.list_workflows(me, repo)["workflows"]
        assert workflows[0]["id"] == "sdk.yml"
        dispatched = api.dispatch_workflow(me, repo, "sdk.yml", "main")
        api.cancel_run(me, repo, run_id)
        assert api.get_run(me, repo, run_id)["conclusion"] == "cancelled"
        assert api.rerun(me, repo, run_id)["run_attempt"] == 2
        api.cancel_run(me, repo, run_id)
        api.cancel_run(me, repo, dispatched["workflow_run_id"])
        assert api.list_artifacts(me, repo)["total_count"] == 0
        api.delete_run(me, repo, run_id)
        api.delete_secret(me, repo, "TEST_SECRET")
        api.delete_variable(me, repo, "STAGE")
        summary = {"owner": me, "repository": repo, "runs": api.list_runs(me, repo)["total_count"],
                   "registration_token_expires_at": token["expires_at"]}
    finally:
        if not keep:
            api._request("DELETE", f"/repos/{me}/{repo}", expect=(204, 404))
    return summary


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the scratch repository")
    args = parser.parse_args(argv)
    started = time.monotonic()
    try:
        summary = exercise(ActionsAPI(), args.keep)
    except (PlueAPIError, AssertionError, requests.RequestException, ValueError) as error:
        print(f"❌ {type(error).__name__}: {error}")
        return 1
    print("✅ Actions endpoints test passed!")
    print(json.dumps({**summary, "seconds": round(time.monotonic() - started, 2)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
