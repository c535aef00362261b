"""Test helpers for RunnerHub, shipped with the plugin like ``plue_core.testing``: requests in
its envelope (``hub``, ``data``, ``error``), the workflows and the seed's delegation the tests
use, ``delegate``/``register`` (an external job; a hub runner and its headers), and
``github_delivery`` (a webhook delivery signed as GitHub signs it)."""

import hashlib
import hmac
import json
import urllib.parse
import uuid

from plue_core.testing import basic_auth

CI = """
name: CI
on: push
jobs:
  build:
    name: Build and Test
    runs-on: ubuntu-latest
    steps:
      - name: Checkout
        run: echo checkout
      - name: Build
        run: echo build
  deploy:
    needs: build
    runs-on: [self-hosted, linux]
    steps:
      - run: echo deploy
"""


def hub(forge, method: str, path: str, as_user: str | None = "alice", body=None, **kwargs):
    headers = {**(basic_auth(as_user) if as_user else {}), **kwargs.pop("headers", {})}
    return forge.client.simulate_request(method, path, json=body, headers=headers, **kwargs)


def data(response, status: int = 200):
    assert response.status_code == status, response.text
    assert response.json["success"] is True, response.json
    return response.json["data"]


def error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.text
    body = response.json
    assert body["success"] is False
    assert set(body["error"]) == {"code", "message", "details", "timestamp", "request_id"}
    assert body["error"]["code"] == code, body
    return body["error"]


# A workflow_dispatch-only workflow: jobs that only a delegation starts.
PIPELINE = """
name: CI/CD Pipeline
on: workflow_dispatch
jobs:
  build:
    name: Build and Test
    runs-on: [ubuntu-latest, node]
    steps:
      - run: echo build
  lint:
    runs-on: ubuntu-latest
    steps:
      - run: echo lint
  deploy:
    needs: build
    runs-on: ubuntu-latest
    steps:
      - run: echo deploy
"""

# Seed 002's delegation of a job of a repository Plue does not host.
SEED_DELEGATION = {
    "repository": "octo/widgets", "job_id": "123456789", "job_name": "Build and Test",
    "workflow_name": "CI/CD Pipeline", "labels": ["ubuntu-latest", "node"],
    "metadata": {"branch": "main", "commit_sha": "abc123def456", "pr_number": 42}}


def delegate(forge, body=None, as_user="olga", **changes):
    return data(hub(forge, "POST", "/api/jobs/delegate",
                    body={**(body or SEED_DELEGATION), **changes}, as_user=as_user), 201)


def register(forge, name="hub-1", labels=("ubuntu-latest", "docker", "node"), slots=None):
    capabilities = {"docker": True, "max_concurrent_jobs": slots} if slots else {"docker": True}
    runner = data(hub(forge, "POST", "/api/runners", as_user="root", body={
        "name": name, "labels": list(labels), "os": "linux", "capabilities": capabilities}), 201)
    return runner, {"x-runner-uuid": runner["uuid"], "x-runner-token": runner["token"]}


def github_delivery(secret: str, event: str, payload, delivery_id: str | None = None,
                    content_type: str = "application/json") -> tuple[bytes, dict]:
    """A webhook delivery as GitHub sends it: the body (``payload`` as JSON, or as the
    ``payload`` field of a form) and its headers, signed with ``secret``."""
    text = payload if isinstance(payload, str) else json.dumps(payload)
    if content_type == "application/x-www-form-urlencoded":
        text = urllib.parse.urlencode({"payload": text})
    body = text.encode()
    signature = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    return body, {"Content-Type": content_type, "X-GitHub-Event": event,
                  "X-GitHub-Delivery": delivery_id or str(uuid.uuid4()),
                  "X-GitHub-Hook-ID": "109948940", "User-Agent": "GitHub-Hookshot/044aadd",
                  "X-Hub-Signature-256": f"sha256={signature}"}
