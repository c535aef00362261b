"""A merge or an update whose bookkeeping fails leaves nothing half-done: the branch is put
back, the ref journal holds no entry, no push is announced (plue_pulls.ref_moves)."""

from __future__ import annotations

import pytest

from plue_core.errors import Conflict
from plue_git_hosting import ref_journal
from plue_git_hosting.models import RefJournalEntry
from plue_pulls import merge_intents, merging
from plue_pulls.models import MergeIntent, PullRequest


def refuse(*args, **kwargs):
    raise Conflict("simulated failure while recording")


@pytest.mark.parametrize("style", ["merge", "squash", "rebase"])
def test_a_merge_that_fails_to_record_puts_the_base_back(forge, monkeypatch, style):
    pull = forge.feature_pull()
    before = forge.branch_sha("alice/project", "main")
    pushes = len(forge.recorder.of("push"))
    monkeypatch.setattr(merging, "mark_merged", refuse)
    response = forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"Do": style})
    assert response.status_code == 409, response.text
    assert forge.branch_sha("alice/project", "main") == before
    assert forge.git("alice/project", "rev-parse", "refs/heads/main") == before
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["merged"] is False
    assert len(forge.recorder.of("push")) == pushes
    assert RefJournalEntry.select().count() == 0
    assert MergeIntent.select().count() == 0  # the move was undone: no merge is in flight
    monkeypatch.undo()
    response = forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"Do": style})
    assert response.status_code == 200, response.text
    assert MergeIntent.select().count() == 0  # recorded with the merge


def test_a_replayed_move_of_the_base_to_a_merges_tip_marks_that_pull_request_merged(forge):
    """What recovery does when the process died between moving the base and recording the
    merge (the kill itself is in tests/e2e/test_git_crash_recovery.py)."""
    pull = forge.feature_pull()
    hosting = forge.ctx.services["git_hosting"]
    repository = hosting.find_repository("alice", "project")
    base = forge.branch_sha("alice/project", "main")
    head = forge.branch_sha("alice/project", "feature")
    record = PullRequest.get(PullRequest.head_branch == "feature")
    alice = forge.ctx.services["accounts"].find_user("alice")
    merge_intents.declare(record, "rebase", base, head, alice)  # a fast-forward of main
    with hosting.write_lock(repository):
        hosting.journal_ref_change(repository, alice)
        forge.git("alice/project", "update-ref", "refs/heads/main", head, base)
    assert ref_journal.replay_orphans(forge.ctx) == 1
    merged = forge.get(f"/repos/alice/project/pulls/{pull['number']}").json
    assert merged["merged"] is True and merged["merge_commit_sha"] == head
    assert merged["merged_by"]["login"] == "alice" and merged["state"] == "closed"
    assert MergeIntent.select().count() == 0


def test_a_base_move_that_is_no_merges_leaves_the_pull_request_open(forge):
    pull = forge.feature_pull()
    record = PullRequest.get(PullRequest.head_branch == "feature")
    alice = forge.ctx.services["accounts"].find_user("alice")
    base = forge.branch_sha("alice/project", "main")
    merge_intents.declare(record, "merge", base, "f" * 40, alice)  # killed before it moved
    forge.commit("alice/project", "main", {"main.txt": "someone else's push\n"})
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["merged"] is False
    assert MergeIntent.select().count() == 1


def test_an_update_that_fails_to_record_puts_the_head_back(forge, monkeypatch):
    pull = forge.feature_pull()
    forge.commit("alice/project", "main", {"main.txt": "main moved\n"})
    head = forge.branch_sha("alice/project", "feature")
    hosting = forge.ctx.services["git_hosting"]
    monkeypatch.setattr(type(hosting), "record_ref_updates", refuse)
    response = forge.post(f"/repos/alice/project/pulls/{pull['number']}/update")
    assert response.status_code == 409, response.text
    assert forge.git("alice/project", "rev-parse", "refs/heads/feature") == head
    assert RefJournalEntry.select().count() == 0
    monkeypatch.undo()
    assert forge.post(f"/repos/alice/project/pulls/{pull['number']}/update").status_code == 200
    assert forge.branch_sha("alice/project", "feature") != head
