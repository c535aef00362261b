"""Webhooks against the running server (real gunicorn, two workers): a real ``git push``
reaches a local receiver, signed, from the serving process's own sender thread (no
scheduler runs here), within seconds of the push."""

from __future__ import annotations

import os
import subprocess
import time

import requests

from plue_core.testing import DEFAULT_PASSWORD, run_live_server

from tests.plugins.webhooks.receiver import WebhookReceiver

GIT_ENV = {**os.environ, "GIT_AUTHOR_NAME": "Dev", "GIT_AUTHOR_EMAIL": "dev@example.org",
           "GIT_COMMITTER_NAME": "Dev", "GIT_COMMITTER_EMAIL": "dev@example.org",
           "GIT_TERMINAL_PROMPT": "0"}


def git(*args, cwd=None) -> str:
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True,
                            env=GIT_ENV, timeout=120)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_a_git_push_is_delivered_by_the_running_server(tmp_path, plue_database_url):
    receiver = WebhookReceiver()
    try:
        with run_live_server(tmp_path, plue_database_url,
                             webhooks={"allowed_host_list": "loopback"}) as server:
            server.plue("admin", "user", "create", "--username", "alice", "--password",
                        DEFAULT_PASSWORD, "--email", "alice@example.org")
            api = f"{server.url}/api/v1"
            auth = ("alice", DEFAULT_PASSWORD)
            assert requests.post(f"{api}/user/repos", json={"name": "demo"}, auth=auth,
                                 timeout=60).status_code == 201
            hook = requests.post(f"{api}/repos/alice/demo/hooks", auth=auth, timeout=60, json={
                "type": "gitea", "active": True, "events": ["push"],
                "config": {"url": receiver.url, "content_type": "json", "secret": "s3cret"}})
            assert hook.status_code == 201, hook.text
            work = tmp_path / "work"
            host = server.url.removeprefix("http://")
            git("clone", "-q", f"http://alice:{DEFAULT_PASSWORD}@{host}/alice/demo.git", str(work))
            (work / "README.md").write_text("hello\n")
            git("add", "README.md", cwd=work)
            git("commit", "-q", "-m", "first", cwd=work)
            head = git("rev-parse", "HEAD", cwd=work)
            git("push", "-q", "origin", "HEAD:main", cwd=work)
            deadline = time.monotonic() + 30
            while not receiver.deliveries and time.monotonic() < deadline:
                time.sleep(0.1)
            [delivery] = receiver.deliveries
            payload = receiver.check(delivery, "s3cret")
            assert payload["after"] == head and payload["commits"][0]["added"] == ["README.md"]
            records = requests.get(f"{api}/repos/alice/demo/hooks/{hook.json()['id']}/deliveries",
                                   auth=auth, timeout=60).json()
            assert [r["state"] for r in records] == ["delivered"]
    finally:
        receiver.close()
