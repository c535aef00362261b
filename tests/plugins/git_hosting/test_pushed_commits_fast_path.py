"""The commits a ref update brought, when it added one commit on top of the old tip: that
commit, found without a history walk or a ``git rev-list`` process."""

from __future__ import annotations

from dulwich.repo import Repo

from plue_git_hosting import history


def test_one_commit_on_top_of_the_old_tip_needs_no_git_process(forge, monkeypatch):
    forge.create_repo("demo", auto_init=True)
    git_dir = forge.ctx.services["git_hosting"].storage.path("alice", "demo")
    forge.create_file("alice/demo", "a.txt", b"a\n")
    forge.create_file("alice/demo", "b.txt", b"b\n")
    repo = Repo(str(git_dir))
    tip = repo[repo.head()]
    parent = tip.parents[0]
    grandparent = repo[parent].parents[0]

    def no_process(*args, **kwargs):
        raise AssertionError(f"a git process was started: {args}")

    monkeypatch.setattr(history.subprocess, "run", no_process)
    commits, total = history.pushed_commits(repo, parent, tip.id, [], 20, git_executable="git")
    assert [c.id for c in commits] == [tip.id] and total == 1

    monkeypatch.undo()
    # Two commits at once take the general path, and agree with it.
    commits, total = history.pushed_commits(repo, grandparent, tip.id, [], 20, git_executable="git")
    assert [c.id for c in commits] == [tip.id, parent] and total == 2
    commits, total = history.pushed_commits(repo, parent, tip.id, [], 0, git_executable="git")
    assert commits == [] and total == 1
