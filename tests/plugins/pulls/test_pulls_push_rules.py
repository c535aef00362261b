"""Protected branches against real pushes, through both transports (the git binary's
pre-receive hook and dulwich's update hook), the app served in-process by wsgiref."""

from __future__ import annotations

import os
import subprocess
import threading
import wsgiref.simple_server

import pytest
import requests

from plue_core import create_app
from plue_core.testing import DEFAULT_PASSWORD, make_test_config, make_user, migrate

GIT_ENV = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "GIT_AUTHOR_NAME": "Dev",
           "GIT_AUTHOR_EMAIL": "dev@example.org", "GIT_COMMITTER_NAME": "Dev",
           "GIT_COMMITTER_EMAIL": "dev@example.org", "GIT_CONFIG_NOSYSTEM": "1",
           "GIT_CONFIG_GLOBAL": os.devnull, "GIT_ASKPASS": ""}


class _Quiet(wsgiref.simple_server.WSGIRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(params=["git", "dulwich"])
def served(request, tmp_path, plue_database_url):
    app = create_app(make_test_config(tmp_path, plue_database_url,
                                      git_hosting={"transport": request.param}))
    migrate(app)
    for name in ("alice", "bob"):
        make_user(app.plue, name)
    server = wsgiref.simple_server.make_server("127.0.0.1", 0, app, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", tmp_path
    server.shutdown()
    server.server_close()
    app.plue.close()


def git(*args, cwd=None, check=True):
    result = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=GIT_ENV,
                            timeout=120)
    if check:
        assert result.returncode == 0, result.stderr
    return result


def test_protected_branch_rules_hold_for_pushes_through_either_transport(served):
    url, tmp = served

    def api(method, path, user="alice", **kwargs):
        return requests.request(method, f"{url}/api/v1{path}", auth=(user, DEFAULT_PASSWORD),
                                timeout=60, **kwargs)

    assert api("POST", "/user/repos", json={"name": "demo", "auto_init": True}).status_code == 201
    assert api("PUT", "/repos/alice/demo/collaborators/bob", json={"permission": "write"}).status_code == 204
    assert api("POST", "/repos/alice/demo/branch_protections", json={
        "rule_name": "main", "enable_push": True, "enable_push_whitelist": True,
        "push_whitelist_usernames": ["alice"]}).status_code == 201
    host = url.removeprefix("http://")
    work = tmp / "work"
    git("clone", "-q", f"http://alice:{DEFAULT_PASSWORD}@{host}/alice/demo.git", str(work))
    base = git("rev-parse", "HEAD", cwd=work).stdout.strip()
    (work / "a.txt").write_text("a\n")
    git("add", "a.txt", cwd=work)
    git("commit", "-q", "-m", "a", cwd=work)
    git("push", "-q", "origin", "main", cwd=work)  # alice is allowed
    allowed = git("rev-parse", "HEAD", cwd=work).stdout.strip()

    git("reset", "-q", "--hard", base, cwd=work)
    (work / "b.txt").write_text("b\n")
    git("add", "b.txt", cwd=work)
    git("commit", "-q", "-m", "b", cwd=work)
    forced = git("push", "-f", "origin", "main", cwd=work, check=False)
    assert forced.returncode != 0 and "protected from force push" in forced.stderr
    deleted = git("push", "origin", ":main", cwd=work, check=False)
    assert deleted.returncode != 0 and "protected from deletion" in deleted.stderr
    git("push", "-q", "origin", "HEAD:side", cwd=work)  # unprotected branches are free
    git("push", "-q", "-f", "origin", f"{base}:side", cwd=work)

    bob = tmp / "bob"
    git("clone", "-q", f"http://bob:{DEFAULT_PASSWORD}@{host}/alice/demo.git", str(bob))
    (bob / "c.txt").write_text("c\n")
    git("add", "c.txt", cwd=bob)
    git("commit", "-q", "-m", "c", cwd=bob)
    refused = git("push", "origin", "main", cwd=bob, check=False)
    assert refused.returncode != 0 and "Not allowed to push to protected branch main" in refused.stderr
    assert api("GET", "/repos/alice/demo/branches/main").json()["commit"]["id"] == allowed
