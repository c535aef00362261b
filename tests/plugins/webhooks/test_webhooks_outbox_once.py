"""The change's share of webhooks is the same for one hook or many: the push's transaction
writes one outbox row (the payload, stored once), in as many statements whatever the number
of hooks; the sender fans it out to every hook in batched multi-row INSERTs (one statement
per hundred hooks), each delivery with its own id, all pointing at that one payload."""

from __future__ import annotations

from plue_core.testing import recorded_statements
from plue_webhooks import fan_out
from plue_webhooks.models import WebhookDelivery, WebhookPayload


def _statements(forge, action) -> list[str]:
    with recorded_statements(forge.ctx.db) as seen:
        action()
    return seen


def test_a_push_writes_one_outbox_row_in_the_same_statements_for_one_hook_or_many(
        forge, receiver):
    forge.add_hook(receiver.url)
    forge.write_file("warm.txt", "warm")  # the first push compiles what later ones reuse
    one = _statements(forge, lambda: forge.write_file("one.txt", "1"))
    for n in range(fan_out.INSERT_BATCH + 29):
        forge.add_hook(f"{receiver.url}?n={n}")
    many = _statements(forge, lambda: forge.write_file("many.txt", "2"))
    assert len(many) == len(one)
    outbox_writes = [sql for sql in many if "webhook_delivery" in sql
                     or sql.startswith('INSERT INTO "webhook_payload"')]
    assert len(outbox_writes) == 1 and WebhookDelivery.select().count() == 0
    assert WebhookPayload.select().where(~WebhookPayload.fanned_out).count() == 3


def test_the_sender_fans_an_event_out_to_more_hooks_than_one_batch_in_few_statements(
        forge, receiver):
    hooks = [forge.add_hook(f"{receiver.url}?n={n}") for n in range(fan_out.INSERT_BATCH + 30)]
    forge.write_file("many.txt", "hooks")
    [payload] = WebhookPayload.select()
    statements = _statements(forge, lambda: fan_out.fan_out(forge.service))
    inserts = [sql for sql in statements if sql.startswith('INSERT INTO "webhook_delivery"')]
    assert len(inserts) == 2  # 130 hooks: a batch of 100 and one of 30
    rows = list(WebhookDelivery.select())
    assert sorted(row.webhook_id for row in rows) == sorted(hook["id"] for hook in hooks)
    assert len({row.uuid for row in rows}) == len(hooks)
    assert {row.payload_id for row in rows} == {payload.id}
    assert WebhookPayload.get_by_id(payload.id).fanned_out
    assert fan_out.fan_out(forge.service) == 0  # once
    assert WebhookDelivery.select().count() == len(hooks)
