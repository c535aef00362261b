"""A merge or an update whose bookkeeping fails leaves nothing half-done: the branch is put
back, the ref journal holds no entry, no push is announced (plue_pulls.ref_moves)."""

from __future__ import annotations

import pytest

from plue_core.errors import Conflict
from plue_git_hosting.models import RefJournalEntry
from plue_pulls import merging


def refuse(*args, **kwargs):
    raise Conflict("simulated failure while recording")


@pytest.mark.parametrize("style", ["merge", "squash", "rebase"])
def test_a_merge_that_fails_to_record_puts_the_base_back(forge, monkeypatch, style):
    pull = forge.feature_pull()
    before = forge.branch_sha("alice/project", "main")
    pushes = len(forge.recorder.of("push"))
    monkeypatch.setattr(merging, "_mark_merged", refuse)
    response = forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"Do": style})
    assert response.status_code == 409, response.text
    assert forge.branch_sha("alice/project", "main") == before
    assert forge.git("alice/project", "rev-parse", "refs/heads/main") == before
    assert forge.get(f"/repos/alice/project/pulls/{pull['number']}").json["merged"] is False
    assert len(forge.recorder.of("push")) == pushes
    assert RefJournalEntry.select().count() == 0
    monkeypatch.undo()
    response = forge.post(f"/repos/alice/project/pulls/{pull['number']}/merge", {"Do": style})
    assert response.status_code == 200, response.text


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
