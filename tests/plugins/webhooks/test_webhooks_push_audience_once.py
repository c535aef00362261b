"""Inside one change (``transaction_memo.scope``, opened by a push's transaction), which
webhooks may hear an event is asked once for all its events (push, runs, jobs, statuses:
docs/serving.md, push-to-pickup), and a hook written meanwhile is heard at once."""

from __future__ import annotations

from plue_core import transaction_memo
from plue_core.db import connection, write_transaction
from plue_core.testing import recorded_statements
from plue_core.validation import load_data

from plue_webhooks import hooks, outbox
from plue_webhooks.hooks import HookOwner
from plue_webhooks.schemas import CreateHookOption


def _audience_reads(forge, action) -> int:
    with recorded_statements(forge.ctx.db) as seen:
        action()
    return len([sql for sql in seen if 'FROM "webhook" AS' in sql])


def _event(project: dict, kind: str = "push") -> outbox.WebhookEvent:
    return outbox.WebhookEvent(kind, {}, repository_id=project["id"],
                               owner_id=project["owner"]["id"], branch="main")


def test_the_events_of_one_change_ask_for_their_audience_once(forge, monkeypatch):
    project = forge.get("/repos/alice/project").json
    with connection(forge.ctx.db):
        def three_events():
            with transaction_memo.scope():
                for kind in ("push", "workflow_run", "status"):
                    assert not outbox.heard(_event(project, kind))

        assert _audience_reads(forge, three_events) == 1
        # Outside a change's scope nothing is remembered: each event asks.
        assert _audience_reads(forge, lambda: [
            outbox.heard(_event(project)) for _ in range(2)]) == 2


def test_a_hook_written_during_the_change_is_heard_by_its_next_event(forge, receiver):
    project = forge.get("/repos/alice/project").json
    owner = HookOwner("repository", repository_id=project["id"])
    options = load_data({"type": "gitea", "active": True, "events": ["push"],
                         "config": {"url": receiver.url, "content_type": "json"}},
                        CreateHookOption)
    with connection(forge.ctx.db), write_transaction(), transaction_memo.scope():
        assert not outbox.heard(_event(project))
        hook = hooks.create_hook(forge.service, owner, options)
        assert outbox.heard(_event(project))
        hooks.edit_hook(forge.service, hook, {"active": False})
        assert not outbox.heard(_event(project))
        hooks.edit_hook(forge.service, hook, {"active": True})
        assert outbox.heard(_event(project))
        hooks.delete_hook(hook)
        assert not outbox.heard(_event(project))
