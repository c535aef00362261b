"""The sender's fan-out keeps the outbox's guarantees: a sender that dies while fanning an
event out leaves it whole for the next pass (no delivery lost, none doubled); a commit gone
from the repository before the fan-out leaves its file lists empty instead of holding the
outbox up; hooks without a secret get Gitea's signature headers, empty."""

from __future__ import annotations

import pytest

from plue_webhooks import fan_out
from plue_webhooks.models import WebhookDelivery, WebhookPayload


def test_a_sender_dying_in_the_middle_of_a_fan_out_leaves_the_event_to_the_next_pass(
        forge, receiver, monkeypatch):
    for n in range(3):
        forge.add_hook(f"{receiver.url}?n={n}")
    forge.write_file("a.txt", "a\n")
    insert = fan_out.insert_deliveries

    def dies_after_writing(rows):
        insert(rows)
        raise RuntimeError("the sender died")

    monkeypatch.setattr(fan_out, "insert_deliveries", dies_after_writing)
    with pytest.raises(RuntimeError):
        [payload] = fan_out.waiting(10)
        fan_out.fan_out_one(forge.service, payload)
    assert fan_out.fan_out(forge.service) == 0  # a pass logs it and goes on
    monkeypatch.undo()
    assert WebhookDelivery.select().count() == 0
    assert not WebhookPayload.get().fanned_out
    assert forge.send() == 3
    assert forge.send() == 0
    assert sorted(d.path for d in receiver.deliveries) == [f"/hook?n={n}" for n in range(3)]
    assert len({d.uuid for d in receiver.deliveries}) == 3


def test_a_hook_without_a_secret_gets_giteas_signature_headers_empty(forge, receiver):
    forge.add_hook(receiver.url, secret="")
    forge.write_file("a.txt", "a\n")
    assert forge.send() == 1
    [delivery] = receiver.deliveries
    receiver.check(delivery, None)
    headers = delivery.headers
    assert headers["X-Gitea-Signature"] == headers["X-Gogs-Signature"] == ""
    assert headers["X-Hub-Signature"] == "sha1=" and headers["X-Hub-Signature-256"] == "sha256="


def test_a_pushed_commit_gone_before_the_fan_out_gets_empty_file_lists(forge, receiver):
    forge.add_hook(receiver.url)
    forge.write_file("a.txt", "a\n")
    payload = WebhookPayload.get()
    body = dict(payload.body)
    gone = dict(body["commits"][0], id="1" * 40)
    WebhookPayload.update(body=dict(body, commits=[gone, *body["commits"]])).execute()
    assert forge.send() == 1
    [delivery] = receiver.deliveries
    commits = receiver.check(delivery, "s3cret")["commits"]
    assert (commits[0]["added"], commits[0]["modified"]) == ([], [])
    assert commits[1]["added"] == ["a.txt"]
