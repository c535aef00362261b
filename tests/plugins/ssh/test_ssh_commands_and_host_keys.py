"""What an SSH client may run, and the host keys: generated once, private, stable."""

from __future__ import annotations

import os
import stat
import subprocess

import pytest

from plue_ssh.commands import GitRequest, RefusedCommand, parse_command
from plue_ssh.host_keys import ensure_host_keys, fingerprints
from plue_ssh.settings import split_bind


@pytest.mark.parametrize("command, expected", [
    ("git-upload-pack 'alice/app.git'", GitRequest("git-upload-pack", "alice", "app")),
    ("git-upload-pack '/alice/app.git'", GitRequest("git-upload-pack", "alice", "app")),
    ("git-receive-pack '~alice/app'", GitRequest("git-receive-pack", "alice", "app")),
    ("git-upload-archive 'alice/my.app.git'", GitRequest("git-upload-archive", "alice", "my.app")),
    ("git upload-pack 'alice/app.git'", GitRequest("git-upload-pack", "alice", "app")),
])
def test_git_commands_name_a_service_and_a_repository(command, expected):
    assert parse_command(command) == expected


@pytest.mark.parametrize("command, says", [
    ("ls -la", "'ls' is not allowed"),
    ("git-upload-pack", "is not allowed"),
    ("git-upload-pack alice/app.git extra", "is not allowed"),
    ("git-upload-pack 'a/b/c.git'", "is not a repository path"),
    ("git-upload-pack '../../etc/passwd'", "is not a repository path"),
    ("git-upload-pack 'alice/..'", "is not a repository path"),
    ("git-upload-pack 'alice/app;rm'", "is not a repository path"),
    ("git-upload-pack 'unclosed", "cannot parse the command"),
    ("git-shell -c 'git-upload-pack alice/app'", "is not allowed"),
])
def test_anything_else_is_refused_saying_what_is_accepted(command, says):
    with pytest.raises(RefusedCommand, match=says):
        parse_command(command)


def test_host_keys_are_generated_once_private_and_match_ssh_keygen(tmp_path):
    directory = tmp_path / "ssh"
    first = fingerprints(ensure_host_keys(directory))
    assert [algorithm for algorithm, _ in first] == ["ssh-ed25519", "ssh-rsa"]
    assert fingerprints(ensure_host_keys(directory)) == first  # reused, not regenerated
    assert stat.S_IMODE(os.stat(directory).st_mode) == 0o700
    for name in ("ssh_host_ed25519_key", "ssh_host_rsa_key"):
        assert stat.S_IMODE(os.stat(directory / name).st_mode) == 0o600
        listed = subprocess.run(["ssh-keygen", "-lf", str(directory / f"{name}.pub")],
                                capture_output=True, text=True, check=True).stdout.split()[1]
        assert listed in dict(first).values()
    assert not [p for p in directory.iterdir() if p.name.startswith(".")]  # no temporary left


def test_a_loosened_host_key_file_is_tightened_again(tmp_path):
    directory = tmp_path / "ssh"
    ensure_host_keys(directory)
    os.chmod(directory / "ssh_host_ed25519_key", 0o644)
    ensure_host_keys(directory)
    assert stat.S_IMODE(os.stat(directory / "ssh_host_ed25519_key").st_mode) == 0o600


def test_the_bind_setting_is_host_and_port():
    assert split_bind("127.0.0.1:2222") == ("127.0.0.1", 2222)
    assert split_bind("[::1]:22") == ("::1", 22)
    with pytest.raises(ValueError, match="host:port"):
        split_bind("2222")
