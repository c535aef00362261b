"""Crash recovery of ref changes, in process: the journal entry a writer leaves when it dies is
replayed exactly once (by the scheduler, the next write, a push's advertisement), never while a
write holds the lock; the hourly reconciliation makes branch rows equal git both ways; and
abandoned incoming object directories go after an hour. The kills themselves are in
tests/e2e/test_git_crash_recovery.py."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import requests

from plue_core.db import connection
from plue_core.scheduler import build_scheduler
from plue_core.testing import DEFAULT_PASSWORD

from plue_core import crash_points
from plue_git_hosting import maintenance, ref_journal, ref_reconciliation
from plue_git_hosting.models import Branch, RefJournalEntry
from plue_git_hosting.ref_updates import RefUpdate, snapshot

ZERO = "0" * 40


def _setup(in_process_server):
    server = in_process_server()
    response = requests.post(f"{server.url}/api/v1/user/repos",
                             json={"name": "demo", "auto_init": True},
                             auth=("alice", DEFAULT_PASSWORD), timeout=30)
    assert response.status_code == 201, response.text
    hosting = server.ctx.services["git_hosting"]
    with connection(server.ctx.db):
        repository = hosting.find_repository("alice", "demo")
    server.recorder.events.clear()
    return server, hosting, repository


def _die_after_moving(hosting, repository, ref: bytes, new: bytes | None, pusher=None) -> None:
    """What a writer killed after git moved ``ref`` leaves: its entry, and the moved ref."""
    with hosting.open_git(repository) as git_repo:
        ref_journal.open_entry(repository, pusher, "git", snapshot(git_repo))
        if new is None:
            del git_repo.refs[ref]
        else:
            git_repo.refs[ref] = new


def _main(hosting, repository) -> bytes:
    with hosting.open_git(repository) as git_repo:
        return git_repo.refs[b"refs/heads/main"]


def test_an_entry_left_by_a_killed_writer_is_replayed_once_with_its_pusher(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    ctx = server.ctx
    with connection(ctx.db):
        alice = ctx.services["accounts"].find_user("alice")
        main = _main(hosting, repository)
        _die_after_moving(hosting, repository, b"refs/heads/topic", main, pusher=alice)
        assert Branch.get_or_none(Branch.name == "topic") is None  # the database missed it

        assert ref_journal.replay_orphans(ctx) == 1
        assert Branch.get(Branch.name == "topic").commit_sha == main.decode()
        [event] = server.recorder.of("push")
        assert (event.ref, event.before, event.after) == ("refs/heads/topic", ZERO, main.decode())
        assert event.pusher == "alice" and event.via == "git"
        assert RefJournalEntry.select().count() == 0

        assert ref_journal.replay_orphans(ctx) == 0
        assert len(server.recorder.of("push")) == 1


def test_an_entry_of_a_writer_killed_before_any_ref_moved_replays_as_nothing(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    with connection(server.ctx.db):
        with hosting.open_git(repository) as git_repo:
            ref_journal.open_entry(repository, None, "git", snapshot(git_repo))
        assert ref_journal.replay_orphans(server.ctx) == 1
        assert server.recorder.of("push") == [] and RefJournalEntry.select().count() == 0


def test_a_deleted_ref_is_replayed_as_a_deletion_and_its_row_goes(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    assert requests.post(f"{server.url}/api/v1/repos/alice/demo/branches",
                         json={"new_branch_name": "gone"}, auth=("alice", DEFAULT_PASSWORD),
                         timeout=30).status_code == 201
    server.recorder.events.clear()
    with connection(server.ctx.db):
        _die_after_moving(hosting, repository, b"refs/heads/gone", None)
        assert ref_journal.replay_orphans(server.ctx) == 1
        assert Branch.get_or_none(Branch.name == "gone") is None
        [event] = server.recorder.of("push")
        assert event.ref == "refs/heads/gone" and event.deleted


def test_the_replay_leaves_a_repository_alone_while_a_write_holds_its_lock(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    with connection(server.ctx.db):
        _die_after_moving(hosting, repository, b"refs/heads/topic", _main(hosting, repository))
        with hosting.write_lock(repository):
            assert ref_journal.replay_orphans(server.ctx) == 0
            assert maintenance.remove_incoming_leftovers(server.ctx, max_age=0) == 0
        assert RefJournalEntry.select().count() == 1
        assert ref_journal.replay_orphans(server.ctx) == 1


def test_the_next_api_write_records_a_killed_writers_change_before_its_own(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    with connection(server.ctx.db):
        _die_after_moving(hosting, repository, b"refs/heads/topic", _main(hosting, repository))
    response = requests.post(f"{server.url}/api/v1/repos/alice/demo/tags",
                             json={"tag_name": "v1"}, auth=("alice", DEFAULT_PASSWORD), timeout=30)
    assert response.status_code == 201, response.text
    assert [e.ref for e in server.recorder.of("push")] == ["refs/heads/topic", "refs/tags/v1"]
    with connection(server.ctx.db):
        assert RefJournalEntry.select().count() == 0


def test_a_push_advertisement_replays_what_a_killed_push_left(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    with connection(server.ctx.db):
        _die_after_moving(hosting, repository, b"refs/heads/topic", _main(hosting, repository))
    advert = requests.get(f"{server.url}/alice/demo.git/info/refs",
                          params={"service": "git-receive-pack"},
                          auth=("alice", DEFAULT_PASSWORD), timeout=30)
    assert advert.status_code == 200
    assert [e.ref for e in server.recorder.of("push")] == ["refs/heads/topic"]
    clone = requests.get(f"{server.url}/alice/demo.git/info/refs",
                         params={"service": "git-upload-pack"}, timeout=30)
    assert clone.status_code == 200 and len(server.recorder.of("push")) == 1


def test_pushes_and_api_writes_that_finish_leave_no_entry(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    work = server.tmp_path / "work"
    server.git("clone", "-q", server.remote("alice/demo"), str(work))
    (work / "a.txt").write_text("a\n")
    server.git("add", "a.txt", cwd=work)
    server.git("commit", "-q", "-m", "a", cwd=work)
    server.git("push", "-q", "origin", "main", cwd=work)
    stale = requests.put(f"{server.url}/api/v1/repos/alice/demo/contents/README.md",
                         json={"content": "eA==", "sha": "0" * 40},
                         auth=("alice", DEFAULT_PASSWORD), timeout=30)
    assert stale.status_code == 409  # refused after the entry was written: discarded
    with connection(server.ctx.db):
        assert RefJournalEntry.select().count() == 0
    assert len(server.recorder.of("push")) == 1


def test_the_reconciliation_makes_branch_rows_equal_git_both_ways(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    main = _main(hosting, repository)
    with hosting.open_git(repository) as git_repo:  # behind Plue's back, no journal
        git_repo.refs[b"refs/heads/extra"] = main
    with connection(server.ctx.db):
        Branch.create(repository=repository, name="ghost", commit_sha=main.decode())
        assert ref_reconciliation.reconcile_all(server.ctx) == 1
        assert {b.name for b in Branch.select().where(Branch.repository == repository)} == {
            "main", "extra"}
        events = {e.ref: e for e in server.recorder.of("push")}
        assert events["refs/heads/extra"].created and events["refs/heads/ghost"].deleted
        assert events["refs/heads/extra"].pusher == ""
        assert ref_reconciliation.reconcile_all(server.ctx) == 0
        assert len(server.recorder.of("push")) == 2


def test_incoming_objects_of_dead_pushes_go_after_an_hour(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    objects = hosting.path_of(repository) / "objects"
    old_quarantine = objects / "tmp_objdir-incoming-old"
    (old_quarantine / "pack").mkdir(parents=True)
    (old_quarantine / "pack" / "tmp_pack_x").write_bytes(b"PACK")
    young_quarantine = objects / "tmp_objdir-incoming-young"
    young_quarantine.mkdir()
    old_pack = objects / "pack" / "tmp_pack_abc"
    old_pack.parent.mkdir(exist_ok=True)
    old_pack.write_bytes(b"PACK")
    two_hours_ago = time.time() - 7200
    for path in (old_quarantine, old_quarantine / "pack", old_quarantine / "pack" / "tmp_pack_x",
                 old_pack):
        os.utime(path, (two_hours_ago, two_hours_ago))
    assert maintenance.remove_incoming_leftovers(server.ctx) == 2
    assert not old_quarantine.exists() and not old_pack.exists() and young_quarantine.exists()
    server.git("--git-dir", str(hosting.path_of(repository)), "fsck", "--no-progress")


def test_a_quarantine_with_a_recent_file_inside_is_not_abandoned(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    quarantine = hosting.path_of(repository) / "objects" / "tmp_objdir-incoming-busy"
    quarantine.mkdir()
    (quarantine / "tmp_pack_growing").write_bytes(b"PACK")
    os.utime(quarantine, (time.time() - 7200, time.time() - 7200))
    assert maintenance.remove_incoming_leftovers(server.ctx) == 0 and quarantine.exists()


def test_the_recovery_jobs_are_registered(in_process_server):
    server = in_process_server()
    jobs = server.ctx.jobs
    assert jobs["git_hosting.replay_ref_journal"].trigger_args["seconds"] == 30
    assert jobs["git_hosting.reconcile_branches"].trigger_args == {"hours": 1}
    assert jobs["git_hosting.remove_incoming_leftovers"].trigger_args == {"hours": 1}


def test_the_scheduler_replays_the_journal_as_soon_as_it_starts(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    with connection(server.ctx.db):
        _die_after_moving(hosting, repository, b"refs/heads/topic", _main(hosting, repository))
    scheduler = build_scheduler(server.ctx, blocking=False)
    scheduler.start()
    try:
        deadline = time.monotonic() + 20  # the interval is 30 s: only the start-up run fits
        while not server.recorder.of("push"):
            assert time.monotonic() < deadline, "the scheduler did not replay at start"
            time.sleep(0.1)
    finally:
        scheduler.shutdown()
    assert [e.ref for e in server.recorder.of("push")] == ["refs/heads/topic"]


def test_crash_points_fire_only_when_a_test_armed_them(tmp_path):
    script = ("from plue_core import crash_points\n"
              "crash_points.reached('push-after-ref-update')\nprint('alive')\n")
    environment = {k: v for k, v in os.environ.items() if k != crash_points.ENV}
    unset = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True,
                           text=True)
    assert unset.stdout == "alive\n"
    environment[crash_points.ENV] = str(tmp_path)
    unarmed = subprocess.run([sys.executable, "-c", script], env=environment,
                             capture_output=True, text=True)
    assert unarmed.stdout == "alive\n"
    (tmp_path / "push-after-ref-update").touch()
    armed = subprocess.run([sys.executable, "-c", script], env=environment, capture_output=True,
                           text=True)
    assert armed.returncode == -9 and armed.stdout == ""
    assert not (tmp_path / "push-after-ref-update").exists()  # it fires once


def test_other_plugins_moving_refs_journal_them_through_the_service(in_process_server):
    # What the pulls plugin does around a merge: journal, move, record (closing the entry).
    server, hosting, repository = _setup(in_process_server)
    with connection(server.ctx.db):
        alice = server.ctx.services["accounts"].find_user("alice")
        main = _main(hosting, repository)
        with hosting.write_lock(repository):
            entry = hosting.journal_ref_change(repository, alice)
            with hosting.open_git(repository) as git_repo:
                git_repo.refs[b"refs/heads/merged"] = main
                hosting.record_ref_updates(
                    repository, git_repo, [RefUpdate(b"refs/heads/merged", None, main)],
                    pusher=alice, journal_entry=entry)
        assert RefJournalEntry.select().count() == 0
        assert [e.ref for e in server.recorder.of("push")] == ["refs/heads/merged"]
        server.recorder.events.clear()
        # The same, dying between the move and the recording: the replay credits alice.
        with hosting.write_lock(repository):
            hosting.journal_ref_change(repository, alice)
            with hosting.open_git(repository) as git_repo:
                git_repo.refs[b"refs/heads/crashed"] = main
        assert ref_journal.replay_orphans(server.ctx) == 1
        [event] = server.recorder.of("push")
        assert event.ref == "refs/heads/crashed" and event.pusher == "alice" and event.via == "api"


def test_pull_request_heads_the_server_writes_meanwhile_are_not_replayed_as_pushes(in_process_server):
    server, hosting, repository = _setup(in_process_server)
    with connection(server.ctx.db):
        main = _main(hosting, repository)
        _die_after_moving(hosting, repository, b"refs/heads/topic", main)
        with hosting.open_git(repository) as git_repo:  # as the pulls plugin's mergeability check
            git_repo.refs[b"refs/pull/1/head"] = main
        assert ref_journal.replay_orphans(server.ctx) == 1
        assert [e.ref for e in server.recorder.of("push")] == ["refs/heads/topic"]
