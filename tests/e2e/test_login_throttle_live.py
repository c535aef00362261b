"""Login throttling against the real server (gunicorn, two workers × threads): concurrent wrong
passwords never get more bcrypt checks than the limit, git over HTTP is throttled per client
address as the trusted proxy reports it, and a token still clones from a locked address."""

from __future__ import annotations

import concurrent.futures
import os
import subprocess

import pytest
import requests

from plue_core.testing import DEFAULT_PASSWORD, fresh_database_url, run_live_server

pytestmark = pytest.mark.e2e

LIMIT = 10  # login_max_failures, the default
GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_ASKPASS": "", "SSH_ASKPASS": ""}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("throttle")
    with fresh_database_url(tmp) as url, run_live_server(tmp, url) as live:
        for name in ("racer", "gitter"):
            live.plue("admin", "user", "create", "--username", name, "--password",
                      DEFAULT_PASSWORD, "--email", f"{name}@example.org")
        live.log_path = tmp / "server.log"
        yield live


def _failed_checks(server, login: str) -> int:
    """bcrypt checks that failed, as the server logs them (one line each, for fail2ban)."""
    return server.log_path.read_text().count(f"failed password login for '{login}'")


def test_fifty_concurrent_wrong_passwords_get_exactly_the_limit_of_password_checks(server):
    def attempt(_):
        return requests.get(f"{server.url}/api/v1/user", auth=("racer", "wrong-password"),
                            headers={"X-Forwarded-For": "203.0.113.50"}, timeout=60)

    with concurrent.futures.ThreadPoolExecutor(max_workers=50) as pool:
        answers = list(pool.map(attempt, range(50)))
    statuses = sorted(answer.status_code for answer in answers)
    assert statuses.count(401) == LIMIT and statuses.count(429) == 50 - LIMIT
    assert all(int(a.headers["Retry-After"]) > 0 for a in answers if a.status_code == 429)
    assert _failed_checks(server, "racer") == LIMIT
    # The user, at another address behind the same proxy, is not locked out.
    me = requests.get(f"{server.url}/api/v1/user", auth=("racer", DEFAULT_PASSWORD),
                      headers={"X-Forwarded-For": "203.0.113.51"}, timeout=60)
    assert me.status_code == 200


def _git_ls_remote(server, password: str, forwarded_for: str) -> subprocess.CompletedProcess:
    host = server.url.removeprefix("http://")
    return subprocess.run(["git", "-c", f"http.extraHeader=X-Forwarded-For: {forwarded_for}",
                           "ls-remote", f"http://gitter:{password}@{host}/gitter/code.git"],
                          capture_output=True, text=True, env=GIT_ENV, timeout=120)


def test_git_over_http_is_throttled_per_forwarded_client_and_tokens_still_work(server):
    created = requests.post(f"{server.url}/api/v1/user/repos", auth=("gitter", DEFAULT_PASSWORD),
                            json={"name": "code", "private": True, "auto_init": True},
                            headers={"X-Forwarded-For": "198.51.100.1"}, timeout=60)
    assert created.status_code == 201, created.text
    token = server.plue("admin", "token", "create", "--username", "gitter").stdout.strip()

    for _ in range(LIMIT):
        refused = _git_ls_remote(server, "wrong-password", "198.51.100.7")
        assert refused.returncode != 0 and "429" not in refused.stderr
    assert _failed_checks(server, "gitter") == LIMIT
    locked = _git_ls_remote(server, DEFAULT_PASSWORD, "198.51.100.7")
    assert locked.returncode != 0 and "429" in locked.stderr
    assert _git_ls_remote(server, token, "198.51.100.7").returncode == 0
    assert _git_ls_remote(server, DEFAULT_PASSWORD, "198.51.100.8").returncode == 0

    # An administrator lifts the lock from the command line.
    listed = server.plue("admin", "locks", "list", "--user", "gitter", "--locked").stdout
    assert "pair" in listed and "198.51.100.7" in listed and "locked for" in listed
    assert "counter(s) cleared" in server.plue("admin", "locks", "clear", "--user", "gitter").stdout
    assert _git_ls_remote(server, DEFAULT_PASSWORD, "198.51.100.7").returncode == 0
