"""A ``git push``'s recording (``ReceivingPush.record``, after receive-pack moved the ref) that
starts a run: one transaction with no savepoint inside (each is two round trips on
PostgreSQL, ``SAVEPOINT`` and ``RELEASE``), and a FetchTask held in this process woken at its
commit, by the commit itself — not when the NOTIFY comes back to the listener thread, nor at
the SQLite watcher's next look — and never by a transaction that rolls back (issue 13,
push-to-pickup). Counted, never timed."""

from __future__ import annotations

import pytest
from dulwich.objects import Blob, Commit

from plue_actions import wakeups
from plue_core.accounts.models import Account
from plue_core.db import connection, is_sqlite
from plue_core.testing import recorded_statements
from plue_git_hosting.pushes import ReceivingPush
from plue_actions.testing import ONE_JOB

# Its statements, from the fresh repository read to the journal entry's deletion (the
# statements of test_push_statements.py after the request's own and the journal entry's).
RECORDING = 16
ON_POSTGRESQL = 2  # the run number's advisory lock and the NOTIFY


def _receive(forge, n: int) -> ReceivingPush:
    """What receive-pack does under the push's lock: a commit on main, the ref moved."""
    hosting = forge.ctx.services["git_hosting"]
    with connection(forge.ctx.db):
        repository = hosting.find_repository("alice", "demo")
        alice = Account.get(Account.name == "alice")
    push = ReceivingPush(hosting, repository, alice, via="git").open()
    with hosting.storage.open(hosting.path_of(repository)) as repo:
        head = repo.refs[b"refs/heads/main"]
        blob = Blob.from_string(f"{n}\n".encode())
        tree = repo[repo[head].tree]
        tree.add(b"n.txt", 0o100644, blob.id)
        commit = Commit()
        commit.tree, commit.parents, commit.message = tree.id, [head], b"n\n"
        commit.author = commit.committer = b"Alice <alice@example.com>"
        commit.author_time = commit.commit_time = 1_700_000_000 + n
        commit.author_timezone = commit.commit_timezone = 0
        for item in (blob, tree, commit):
            repo.object_store.add_object(item)
        repo.refs[b"refs/heads/main"] = commit.id
    return push


@pytest.fixture
def pushed(actions_forge):
    actions_forge.push_file(".gitea/workflows/ci.yml", ONE_JOB)
    push = _receive(actions_forge, 0)  # the first compiles and prepares what it runs
    push.record()
    push.close()
    return actions_forge


def test_the_recording_is_one_transaction_without_a_savepoint(pushed):
    db = pushed.ctx.db
    target = db.obj if hasattr(db, "obj") else db
    push = _receive(pushed, 1)
    begun = []
    begin = target.begin
    target.begin = lambda *a, **k: begun.append(a) or begin(*a, **k)
    with recorded_statements(db) as statements:
        try:
            push.record()
        finally:
            push.close()
            target.begin = begin
    assert not [s for s in statements if "SAVEPOINT" in s], statements
    assert len(begun) == 1  # the run, its job, the branch row and the journal's end commit together
    assert statements[-1].startswith('DELETE FROM "repository_ref_journal"'), statements
    assert [s for s in statements if s.startswith('INSERT INTO "action_run_job"')]
    expected = RECORDING + (0 if is_sqlite(db) else ON_POSTGRESQL)
    assert len(statements) == expected, "\n".join(s[:120] for s in statements)


def test_a_held_fetch_task_of_this_process_is_woken_at_the_commit(pushed, monkeypatch):
    db, watcher = pushed.ctx.db, pushed.ctx.services["actions"].watcher
    heard: list[tuple[int, bool]] = []
    monkeypatch.setattr(watcher, "observed",
                        lambda version: heard.append((version, db.in_transaction())))
    push = _receive(pushed, 1)
    try:
        push.record()
        assert len(heard) == 1  # by the commit, before the push is answered
    finally:
        push.close()
    with connection(db):
        assert heard == [(wakeups.current_version(), False)]  # the new version, once committed


def test_a_rolled_back_queueing_wakes_nobody(actions_forge):
    db, watcher = actions_forge.ctx.db, actions_forge.ctx.services["actions"].watcher
    heard: list[int] = []
    watcher.observed = heard.append
    try:
        with connection(db):
            with pytest.raises(RuntimeError), db.atomic():
                wakeups.bump_versions(db, 1, 1, watcher)
                assert heard == []  # not before the commit
                raise RuntimeError("the queueing transaction failed")
            assert heard == []
            with db.atomic():
                version = wakeups.bump_versions(db, 1, 1, watcher)
                assert heard == []
            assert heard == [version]
    finally:
        del watcher.observed
