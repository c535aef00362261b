"""The fallback transport (dulwich's pure-Python server, for hosts without git): the same
clone, push and policies as the git binary, checked with the real git client."""

from __future__ import annotations

import requests

from plue_core.testing import DEFAULT_PASSWORD
from plue_git_hosting.transport import DulwichTransport, GitBinaryTransport, choose_transport


def test_the_transport_is_the_git_binary_when_installed_and_dulwich_otherwise():
    base = {"git_binary": "git", "transport": "auto", "git_niceness": 10}
    assert isinstance(choose_transport(base), GitBinaryTransport)
    assert isinstance(choose_transport({**base, "git_binary": "no-such-git"}), DulwichTransport)
    assert isinstance(choose_transport({**base, "transport": "dulwich"}), DulwichTransport)


def test_clone_push_and_clone_again_through_dulwich(in_process_server):
    server = in_process_server(git_hosting={"transport": "dulwich"})
    assert isinstance(server.ctx.services["git_hosting"].transport, DulwichTransport)
    requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo"}, auth=("alice", DEFAULT_PASSWORD))
    work = server.tmp_path / "work"
    server.git("clone", server.remote("alice/demo"), str(work))
    (work / "a.txt").write_text("through dulwich\n")
    server.git("add", "a.txt", cwd=work)
    server.git("commit", "-q", "-m", "first", cwd=work)
    server.git("push", "origin", "HEAD:main", cwd=work)
    head = server.git("rev-parse", "HEAD", cwd=work).stdout.strip()
    assert server.recorder.of("push")[0].after == head

    again = server.tmp_path / "again"
    server.git("-c", "protocol.version=2", "clone", server.remote("alice/demo", user=None), str(again))
    assert (again / "a.txt").read_text() == "through dulwich\n"
    server.git("fsck", "--strict", cwd=again)
    bare = server.ctx.services["git_hosting"].storage.path("alice", "demo")
    server.git("--git-dir", str(bare), "fsck", "--strict")


def test_dulwich_refuses_force_pushes_when_they_are_disabled(in_process_server):
    server = in_process_server(git_hosting={"transport": "dulwich", "allow_force_push": False})
    requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                  auth=("alice", DEFAULT_PASSWORD))
    work = server.tmp_path / "work"
    server.git("clone", server.remote("alice/demo"), str(work))
    server.git("commit", "-q", "--amend", "-m", "rewritten", cwd=work)
    result = server.git("push", "--force", "origin", "main", cwd=work, check=False)
    assert result.returncode != 0
    assert "non-fast-forward" in result.stderr
    assert server.recorder.of("push") == []
