"""A push's repository row is read once in the transaction that records it and handed to
every plugin that hears the push (``get_repository_by_id`` answers from the change's scope,
docs/serving.md, push-to-pickup); a write of the row in that scope forgets it, and nothing
outlives the scope."""

from __future__ import annotations

from plue_core import transaction_memo
from plue_core.db import connection, write_transaction

from plue_git_hosting import permissions, transaction_rows


def test_the_row_a_change_recorded_is_the_one_its_hearers_get_until_it_is_written(forge):
    repository_id = forge.create_repo("demo", auto_init=True)["id"]
    hosting = forge.ctx.services["git_hosting"]
    with connection(forge.ctx.db), write_transaction():
        with transaction_memo.scope():
            row = hosting.get_repository_by_id(repository_id)
            transaction_rows.remember(row)
            assert hosting.get_repository_by_id(repository_id) is row
            hosting.adjust_counter(repository_id, "num_open_issues", 1)
            fresh = hosting.get_repository_by_id(repository_id)
            assert fresh is not row and fresh.num_open_issues == row.num_open_issues + 1
            transaction_rows.remember(fresh)
            hosting.edit_repository(fresh, {"description": "edited in the change"})
            assert hosting.get_repository_by_id(repository_id).description == "edited in the change"
        assert hosting.get_repository_by_id(repository_id) is not fresh


def test_a_push_reads_its_repository_row_once_for_everyone_who_hears_it(forge, monkeypatch):
    forge.create_repo("demo", auto_init=True)
    reads, publishing = [], []
    find = permissions.find_repository_by_id
    monkeypatch.setattr(permissions, "find_repository_by_id",
                        lambda repository_id: reads.append(bool(publishing)) or find(repository_id))
    publish = forge.ctx.events.publish

    def publishing_event(event):
        publishing.append(event)
        try:
            hearers = [forge.ctx.services["git_hosting"].get_repository_by_id(event.repository_id)
                       for _ in range(3)]
            assert hearers[0] is hearers[1] is hearers[2]
            publish(event)
        finally:
            publishing.pop()

    monkeypatch.setattr(forge.ctx.events, "publish", publishing_event)
    forge.create_file("alice/demo", "second.txt", b"two\n")
    assert True not in reads  # no hearer of the push read the row again
