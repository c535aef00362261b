"""Creating and forging a repository share one cleanup (``repositories._purged_if_failed``): a
failure after the git directory was made removes it along with the row, and a directory the
attempt did not make (already on disk) is never touched."""

from __future__ import annotations

import pytest

from plue_core.accounts.models import Account

from plue_git_hosting import repositories
from plue_git_hosting.models import Repository


class Broken(Exception):
    pass


def fail_on_publish(forge, monkeypatch):
    def publish(event):
        raise Broken("the bus failed")

    monkeypatch.setattr(forge.ctx.events, "publish", publish)


def test_a_creation_that_fails_late_leaves_no_row_and_no_directory(forge, monkeypatch):
    hosting = forge.ctx.services["git_hosting"]
    alice = Account.get(Account.name == "alice")
    fail_on_publish(forge, monkeypatch)
    with pytest.raises(Broken):
        repositories.create_repository(hosting, alice, alice, {"name": "late", "auto_init": True})
    assert not hosting.storage.path("alice", "late").exists()
    assert Repository.get_or_none(Repository.name == "late") is None


def test_a_fork_that_fails_late_leaves_no_row_and_no_directory(forge, monkeypatch):
    forge.create_repo("source", auto_init=True)
    hosting = forge.ctx.services["git_hosting"]
    carol = Account.get(Account.name == "carol")
    source = Repository.get(Repository.name == "source")
    fail_on_publish(forge, monkeypatch)
    with pytest.raises(Broken):
        repositories.fork_repository(hosting, source, carol, carol, None)
    assert not hosting.storage.path("carol", "source").exists()
    assert Repository.get_or_none(Repository.owner == carol.id) is None


def test_a_directory_already_on_disk_is_refused_and_kept(forge):
    hosting = forge.ctx.services["git_hosting"]
    stray = hosting.storage.path("alice", "stray")
    stray.mkdir(parents=True)
    (stray / "keep.txt").write_text("not Plue's\n")
    response = forge.post("/user/repos", {"name": "stray"})
    assert response.status_code == 409
    assert (stray / "keep.txt").read_text() == "not Plue's\n"
    assert Repository.get_or_none(Repository.name == "stray") is None
