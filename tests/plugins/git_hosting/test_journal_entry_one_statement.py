"""A push's journal entry, written before receive-pack runs, is one compiled ``INSERT`` that
commits by itself: no ``BEGIN`` and ``COMMIT`` round trips around it (issue 13, the POST's
lock, journal entry and spawn), and inside an enclosing transaction it still commits or rolls
back with that transaction."""

from __future__ import annotations

import pytest

from plue_core.db import connection
from plue_core.testing import basic_auth, make_user, recorded_statements
from plue_git_hosting import ref_journal
from plue_git_hosting.models import RefJournalEntry


@pytest.fixture
def repository(client, ctx):
    make_user(ctx, "alice")
    response = client.simulate_post("/api/v1/user/repos", headers=basic_auth("alice"),
                                    json={"name": "demo", "auto_init": True})
    assert response.status_code == 201, response.text
    with connection(ctx.db):
        return ctx.services["git_hosting"].find_repository("alice", "demo")


def test_an_entry_is_one_statement_committed_without_a_transaction(ctx, repository):
    target = ctx.db.obj if hasattr(ctx.db, "obj") else ctx.db
    begun = []
    begin = target.begin
    target.begin = lambda *args, **kwargs: begun.append(args) or begin(*args, **kwargs)
    try:
        with recorded_statements(ctx.db) as statements, connection(ctx.db):
            entry = ref_journal.open_entry(repository, None, "git", {b"refs/heads/main": b"a" * 40})
            assert not ctx.db.in_transaction()
    finally:
        target.begin = begin
    assert begun == [] and len(statements) == 1 and statements[0].startswith("INSERT"), statements
    with connection(ctx.db):  # committed: another connection's read sees it
        stored = RefJournalEntry.get_by_id(entry)
        assert stored.via == "git" and stored.refs == '{"refs/heads/main": "' + "a" * 40 + '"}'
        ref_journal.discard_entry(entry)
        assert not RefJournalEntry.select().exists()


def test_inside_a_transaction_an_entry_goes_with_it(ctx, repository):
    with connection(ctx.db):
        with pytest.raises(RuntimeError), ctx.db.atomic():
            ref_journal.open_entry(repository, None, "api", {})
            raise RuntimeError("the enclosing write failed")
        assert not RefJournalEntry.select().exists()
