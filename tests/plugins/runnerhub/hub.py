"""Small request helpers for the RunnerHub tests (envelope unwrapping, workflows)."""

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
