"""Many hooks on one repository: one push writes every delivery in batched multi-row INSERTs
(one statement per hundred hooks, not one round trip per hook), each with its own id."""

from __future__ import annotations

from plue_webhooks import outbox
from plue_webhooks.models import WebhookDelivery


def test_a_push_heard_by_more_hooks_than_one_batch_writes_them_all_in_few_statements(
        forge, receiver, monkeypatch):
    hooks = [forge.add_hook(f"{receiver.url}?n={n}") for n in range(outbox.INSERT_BATCH + 30)]
    inserts = []
    db = forge.ctx.db  # the database behind the models' proxy
    execute_sql = db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        if sql.startswith(f'INSERT INTO "{WebhookDelivery._meta.table_name}"'):
            inserts.append(len(params))
        return execute_sql(sql, params, *args, **kwargs)

    monkeypatch.setattr(db, "execute_sql", counting)
    forge.write_file("many.txt", "hooks")
    monkeypatch.undo()
    columns = len(outbox.COLUMNS)
    pushes = (WebhookDelivery.select().where(WebhookDelivery.event == "push"))
    assert sorted(row.webhook_id for row in pushes) == sorted(hook["id"] for hook in hooks)
    assert len({row.uuid for row in pushes}) == len(hooks)
    # Each event the write made (push, and whatever else hooks select) costs two INSERTs here.
    assert inserts and all(count <= outbox.INSERT_BATCH * columns for count in inserts)
    assert sum(inserts) // columns == WebhookDelivery.select().count()
    assert len(inserts) == 2 * len({row.event for row in WebhookDelivery.select()})
