"""``pushes``: what every transport does around receive-pack (smart HTTP and SSH share it):
the pusher's protected-branch policy, and the write lock, journal and recording of a push."""

from __future__ import annotations

import pytest
import requests

from plue_core.db import connection
from plue_core.testing import DEFAULT_PASSWORD

from plue_git_hosting import pushes
from plue_git_hosting.models import RefJournalEntry


def _setup(server):
    assert requests.post(f"{server.url}/api/v1/user/repos", json={"name": "demo", "auto_init": True},
                         auth=("alice", DEFAULT_PASSWORD)).status_code == 201
    hosting = server.ctx.services["git_hosting"]
    with connection(server.ctx.db):
        repository = hosting.find_repository("alice", "demo")
        alice = server.ctx.services["accounts"].find_user("alice")
    work = server.tmp_path / "work"
    server.git("clone", "-q", server.remote("alice/demo"), str(work))
    (work / "new.txt").write_text("new\n")
    server.git("add", "new.txt", cwd=work)
    server.git("commit", "-q", "-m", "new", cwd=work)
    return hosting, repository, alice, work


def test_a_receiving_push_holds_the_lock_and_records_what_moved_under_its_transport(in_process_server):
    server = in_process_server()
    hosting, repository, alice, work = _setup(server)
    bare = hosting.path_of(repository)
    with hosting.receiving_push(repository, alice, via="ssh") as push:
        assert push.lock_fd is not None
        with hosting.storage.try_write_lock(repository.id) as free:
            assert free is False  # nobody else writes meanwhile
        server.git("push", "-q", str(bare), "HEAD:main", cwd=work)  # git moves the ref
        push.record()
    with hosting.storage.try_write_lock(repository.id) as free:
        assert free is True
    [event] = server.recorder.of("push")
    head = server.git("rev-parse", "HEAD", cwd=work).stdout.strip()
    assert (event.ref, event.after, event.pusher, event.via) == ("refs/heads/main", head, "alice", "ssh")
    with connection(server.ctx.db):
        assert not RefJournalEntry.select().exists()


def test_a_push_that_fails_midway_releases_the_lock_and_leaves_its_journal_entry(in_process_server):
    server = in_process_server()
    hosting, repository, alice, _ = _setup(server)
    with pytest.raises(RuntimeError):
        with hosting.receiving_push(repository, alice, via="ssh"):
            raise RuntimeError("the client went away")
    with hosting.storage.try_write_lock(repository.id) as free:
        assert free is True
    with connection(server.ctx.db):
        assert RefJournalEntry.select().count() == 1  # the replay records whatever moved


def test_the_push_policy_carries_the_pushers_protected_branch_rules(in_process_server):
    server = in_process_server()
    hosting, repository, alice, _ = _setup(server)
    with connection(server.ctx.db):
        assert pushes.push_policy(hosting, repository, alice).ref_rules == ()
    assert requests.post(f"{server.url}/api/v1/repos/alice/demo/branch_protections",
                         json={"rule_name": "main", "enable_push": False},
                         auth=("alice", DEFAULT_PASSWORD)).status_code == 201
    with connection(server.ctx.db):
        policy = pushes.push_policy(hosting, repository, alice)
        command = hosting.duplex_command(repository, "git-receive-pack", "", pusher=alice)
    assert policy.ref_rules and policy.ref_rules[0]["can_push"] is False
    assert f"core.hooksPath={policy.hooks_path}" in command.argv
    assert "--stateless-rpc" not in command.argv and command.argv[-1] == str(hosting.path_of(repository))
    upload = hosting.duplex_command(repository, "git-upload-pack", "version=2")
    assert upload.env["GIT_PROTOCOL"] == "version=2" and "core.hooksPath" not in " ".join(upload.argv)
    with pytest.raises(ValueError):
        hosting.duplex_command(repository, "git-daemon")
