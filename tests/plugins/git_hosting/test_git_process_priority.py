"""The git processes the server runs for clients — clone, push, archive, a push's maintenance,
git over SSH — run ``git_hosting.git_niceness`` steps below the server's CPU priority, so that
on a small machine their pack work yields to the API's requests. Each git process's niceness
is read from ``/proc/<pid>/stat`` by a recording ``git`` in front of the real one."""

from __future__ import annotations

import os
import pathlib
import shlex
import shutil
import subprocess
import time

import pytest
import requests

from plue_core.db import connection
from plue_core.errors import StartupError
from plue_core.testing import DEFAULT_PASSWORD

from plue_git_hosting import push_maintenance, transport

BASE = os.getpriority(os.PRIO_PROCESS, 0)


def _recording_git(tmp_path: pathlib.Path) -> tuple[str, pathlib.Path]:
    """A ``git`` that appends "<its niceness> <its arguments>" to a log, then execs git."""
    log = tmp_path / "git-processes.log"
    script = tmp_path / "bin" / "git"
    script.parent.mkdir()
    # Field 19 of /proc/<pid>/stat is the niceness (the command name, field 2, is "sh").
    script.write_text("#!/bin/sh\n"
                      f"echo \"$(cut -d' ' -f19 /proc/$$/stat) $*\" >> {shlex.quote(str(log))}\n"
                      f"exec {shlex.quote(shutil.which('git'))} \"$@\"\n")
    script.chmod(0o755)
    return str(script), log


def _niceness_of(log: pathlib.Path, *words: str) -> set[int]:
    """The niceness of every logged git process whose arguments hold all of ``words``."""
    found = set()
    for line in log.read_text().splitlines():
        niceness, _, arguments = line.partition(" ")
        if all(word in arguments.split() for word in words):
            found.add(int(niceness))
    assert found, f"no git process with {words} in:\n{log.read_text()}"
    return found


def _server_with_a_pushed_repository(in_process_server, tmp_path, **git_hosting):
    git, log = _recording_git(tmp_path)
    server = in_process_server(git_hosting={"git_binary": git, **git_hosting})
    assert requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo"},
                         auth=("alice", DEFAULT_PASSWORD)).status_code == 201
    work = tmp_path / "work"
    server.git("init", "-q", "-b", "main", str(work))
    (work / "README").write_text("hello\n")
    server.git("add", "README", cwd=work)
    server.git("commit", "-q", "-m", "first", cwd=work)
    server.git("push", "-q", server.remote("alice/demo"), "main", cwd=work)
    server.git("clone", "-q", server.remote("alice/demo"), str(tmp_path / "clone"))
    return server, log


def test_clone_push_archive_and_maintenance_run_git_below_the_server(
        in_process_server, tmp_path, monkeypatch):
    monkeypatch.setattr(push_maintenance, "DELAY", 0.05)
    server, log = _server_with_a_pushed_repository(in_process_server, tmp_path, git_niceness=7)
    archive = requests.get(f"{server.url}/alice/demo/archive/main.tar.gz",
                           auth=("alice", DEFAULT_PASSWORD))
    assert archive.status_code == 200 and archive.content[:2] == b"\x1f\x8b"
    deadline = time.monotonic() + 30
    while "maintenance" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.05)

    lowered = {min(19, BASE + 7)}
    assert _niceness_of(log, "receive-pack", "--advertise-refs") == lowered
    assert _niceness_of(log, "receive-pack", "--stateless-rpc") == lowered
    assert _niceness_of(log, "upload-pack", "--advertise-refs") == lowered
    assert _niceness_of(log, "upload-pack", "--stateless-rpc") == lowered
    assert _niceness_of(log, "archive") == lowered
    assert _niceness_of(log, "maintenance", "--auto") == lowered
    assert os.getpriority(os.PRIO_PROCESS, 0) == BASE  # the server itself is where it was


def test_git_over_ssh_runs_below_the_server_too(in_process_server, tmp_path):
    server, log = _server_with_a_pushed_repository(in_process_server, tmp_path, git_niceness=5)
    hosting = server.ctx.services["git_hosting"]
    with connection(server.ctx.db):
        repository = hosting.find_repository("alice", "demo")
    command = hosting.duplex_command(repository, "git-upload-pack", "")
    # What the SSH session runs with the channel as its stdin: the client's flush ends it.
    done = subprocess.run(command.argv, input=b"0000", env=command.env, capture_output=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert b"refs/heads/main" in done.stdout
    # The HTTP clone's upload-pack is stateless; the SSH one is the only one without it.
    ssh = [line for line in log.read_text().splitlines()
           if "upload-pack" in line and "--stateless-rpc" not in line]
    assert [int(line.split()[0]) for line in ssh] == [min(19, BASE + 5)]


def test_a_niceness_of_zero_keeps_git_at_the_servers_priority(in_process_server, tmp_path):
    _, log = _server_with_a_pushed_repository(in_process_server, tmp_path, git_niceness=0)
    assert _niceness_of(log, "receive-pack") == {BASE}
    assert _niceness_of(log, "upload-pack") == {BASE}


def test_by_default_git_runs_ten_steps_below_the_server(in_process_server, tmp_path):
    _, log = _server_with_a_pushed_repository(in_process_server, tmp_path)
    assert _niceness_of(log, "upload-pack", "--stateless-rpc") == {min(19, BASE + 10)}


def test_without_nice_on_path_the_server_refuses_to_start_unless_the_niceness_is_zero(
        monkeypatch):
    real_which = shutil.which
    monkeypatch.setattr(transport.shutil, "which",
                        lambda name, *a, **k: None if name == "nice" else real_which(name, *a, **k))
    settings = {"git_binary": "git", "transport": "auto", "git_niceness": 10}
    with pytest.raises(StartupError, match="git_niceness"):
        transport.choose_transport(settings)
    with pytest.raises(StartupError, match="git_niceness"):  # archives would use git
        transport.choose_transport({**settings, "transport": "dulwich"})
    assert transport.choose_transport({**settings, "git_niceness": 0}).command("x")[1:] == ["x"]
