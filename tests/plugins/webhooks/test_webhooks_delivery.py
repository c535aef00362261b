"""Delivery as a receiver sees it: signed with Gitea's headers, Gitea's payload, only the
events and branches a hook chose, retried on 5xx and network errors and not otherwise, and
recorded (with secrets redacted) under the hook, where it can be sent again."""

from __future__ import annotations

import json

from plue_core import hookimpl

from plue_webhooks.models import WebhookAttempt, WebhookDelivery, WebhookPayload


def test_a_push_reaches_the_hook_signed_with_giteas_headers_and_payload(forge, receiver):
    forge.add_hook(receiver.url, secret="s3cret", authorization_header="Bearer tok-123")
    written = forge.write_file("docs/a.txt", "hello\n")
    assert receiver.deliveries == []  # nothing is sent on the request thread
    assert forge.send() == 1
    [delivery] = receiver.deliveries
    payload = receiver.check(delivery, "s3cret")
    assert delivery.method == "POST" and delivery.headers["Content-Type"] == "application/json"
    assert delivery.headers["Authorization"] == "Bearer tok-123"
    assert delivery.headers["X-Gitea-Event"] == "push"
    assert payload["ref"] == "refs/heads/main" and payload["after"] == written["commit"]["sha"]
    assert payload["total_commits"] == 1 and payload["head_commit"]["id"] == payload["after"]
    assert payload["commits"][0]["added"] == ["docs/a.txt"]
    assert payload["compare_url"].endswith(f"/alice/project/compare/{payload['before']}...{payload['after']}")
    assert payload["repository"]["full_name"] == "alice/project"
    assert payload["pusher"]["login"] == payload["sender"]["login"] == "alice"
    assert forge.send() == 0  # delivered once


def test_a_new_branch_sends_create_and_push_and_a_deleted_one_delete(forge, receiver):
    forge.add_hook(receiver.url, events=["push", "create", "delete"])
    forge.write_file("b.txt", "b\n", new_branch="feature")
    assert forge.delete("/repos/alice/project/branches/feature").status_code == 204
    forge.send()
    assert sorted(d.event_type for d in receiver.deliveries) == ["create", "delete", "push"]
    create = receiver.check(receiver.of("create")[0], "s3cret")
    assert (create["ref"], create["ref_type"]) == ("feature", "branch")
    delete = receiver.check(receiver.of("delete")[0], "s3cret")
    assert (delete["ref"], delete["ref_type"], delete["pusher_type"]) == ("feature", "branch", "user")


def test_branch_filter_and_event_selection_hold(forge, receiver):
    main_only = forge.add_hook(receiver.url + "?main", branch_filter="{main,release/*}")
    issues_only = forge.add_hook(receiver.url + "?issues", events=["issues"])
    inactive = forge.add_hook(receiver.url + "?inactive", active=False)
    forge.write_file("a.txt", "a\n")
    forge.write_file("b.txt", "b\n", new_branch="topic")
    forge.write_file("c.txt", "c\n", new_branch="release/1.0")
    forge.send()
    paths = [d.path for d in receiver.deliveries]
    assert paths.count("/hook?main") == 2 and "/hook?issues" not in paths
    assert "/hook?inactive" not in paths
    refs = sorted(d.payload["ref"] for d in receiver.deliveries)
    assert refs == ["refs/heads/main", "refs/heads/release/1.0"]
    assert WebhookDelivery.select().where(
        WebhookDelivery.webhook.in_([issues_only["id"], inactive["id"]])).count() == 0
    assert main_only["branch_filter"] == "{main,release/*}"


def test_a_500_is_retried_and_a_200_is_not(forge, receiver):
    forge.add_hook(receiver.url)
    receiver.answers = [500, 502]
    forge.write_file("a.txt", "a\n")
    assert forge.send() == 1
    assert forge.send() == 1  # backoff is 0 in the tests: due again at once
    assert forge.send() == 1
    assert forge.send() == 0
    uuids = {d.uuid for d in receiver.deliveries}
    assert len(receiver.deliveries) == 3 and len(uuids) == 1
    [row] = WebhookDelivery.select()
    assert (row.state, row.attempts) == ("delivered", 3)
    statuses = [a.response_status for a in WebhookAttempt.select().order_by(WebhookAttempt.attempt)]
    assert statuses == [500, 502, 200]


def test_a_4xx_is_final_and_attempts_stop_at_max_attempts(build_forge, receiver):
    forge = build_forge(max_attempts=2)
    forge.add_hook(receiver.url)
    receiver.answers = [404]
    forge.write_file("a.txt", "a\n")
    forge.send()
    forge.send()
    assert [row.state for row in WebhookDelivery.select()] == ["failed"]
    receiver.answers = [503, 503, 503]
    forge.write_file("b.txt", "b\n")
    forge.send(), forge.send(), forge.send()
    failed = WebhookDelivery.select().order_by(WebhookDelivery.id)[1]
    assert (failed.state, failed.attempts) == ("failed", 2)
    assert len(receiver.deliveries) == 3


def test_a_network_error_is_retried_with_backoff(build_forge, receiver):
    forge = build_forge(retry_backoff=30.0)
    forge.add_hook(receiver.url)
    receiver.close()  # nobody listens: connection refused
    forge.write_file("a.txt", "a\n")
    assert forge.send() == 1
    [row] = WebhookDelivery.select()
    [attempt] = WebhookAttempt.select()
    assert row.state == "pending" and row.attempts == 1 and attempt.response_status is None
    assert "ConnectionRefused" in attempt.error
    assert (row.next_attempt_at - attempt.started_at).total_seconds() >= 29
    assert forge.send() == 0  # not due yet


def test_a_restart_between_commit_and_send_loses_nothing_and_sends_nothing_twice(
        build_forge, build_app, receiver):
    forge = build_forge()
    forge.add_hook(receiver.url)
    forge.add_hook(receiver.url + "?second")
    forge.write_file("a.txt", "a\n")
    forge.write_file("b.txt", "b\n")
    # A sender fanned the first push out, claimed one of its deliveries and died before
    # sending it; the second push was not fanned out yet.
    from plue_core.db import utcnow
    from plue_webhooks import fan_out, sender
    from plue_webhooks.models import WebhookPayload
    waiting = fan_out.waiting(10)
    assert len(waiting) == 2 and fan_out.fan_out_one(forge.service, waiting[0]) == 2
    first = WebhookDelivery.select().order_by(WebhookDelivery.id).first()
    assert sender.claim(forge.service.settings, first.id, utcnow())
    WebhookDelivery.update(lease_until=utcnow()).where(WebhookDelivery.id == first.id).execute()

    restarted = build_app(webhooks={"allowed_host_list": "loopback", "send_in_process": False,
                                    "retry_backoff": 0.0}, migrate_db=False)
    service = restarted.plue.services["webhooks"]
    assert sender.send_due(service) == 4
    assert sender.send_due(service) == 0
    uuids = [d.uuid for d in receiver.deliveries]
    assert len(uuids) == 4 and len(set(uuids)) == 4
    assert {row.state for row in WebhookDelivery.select()} == {"delivered"}
    assert [row.fanned_out for row in WebhookPayload.select()] == [True, True]


class FailsAfterWebhooks:
    """A listener that runs after every other and refuses issues, noting what the outbox held
    inside the doomed transaction."""

    PLUE_NAME = "fails_after_webhooks"
    seen_in_transaction: list = []

    @hookimpl(trylast=True)
    def on_event(self, ctx, event):
        if event.name == "issue_opened":
            self.seen_in_transaction.append(WebhookPayload.select().count())
            raise RuntimeError("refused")


def test_a_change_that_rolls_back_leaves_no_delivery(build_forge, receiver):
    listener = FailsAfterWebhooks()
    forge = build_forge(listener)
    forge.add_hook(receiver.url, events=["issues"])
    response = forge.post("/repos/alice/project/issues", {"title": "boom"})
    assert response.status_code == 500
    assert forge.get("/repos/alice/project/issues/1").status_code == 404
    assert listener.seen_in_transaction == [1]  # written in the cause's transaction ...
    assert WebhookPayload.select().count() == 0  # ... and rolled back with it
    assert forge.send() == 0 and WebhookDelivery.select().count() == 0


def test_deliveries_are_recorded_with_secrets_redacted_and_can_be_sent_again(forge, receiver):
    hook = forge.add_hook(receiver.url, secret="s3cret", authorization_header="Bearer tok-123")
    forge.write_file("a.txt", "a\n")
    forge.send()
    base = f"/repos/alice/project/hooks/{hook['id']}/deliveries"
    [record] = forge.get(base).json
    assert record["state"] == "delivered" and record["event"] == "push" and record["attempts"] == 1
    [attempt] = record["history"]
    assert attempt["response"]["status"] == 200 and attempt["response"]["body"] == "answered 200"
    assert attempt["response"]["headers"]["X-Receiver"] == "test"
    headers = attempt["request"]["headers"]
    assert headers["Authorization"] == headers["X-Gitea-Signature"] == "[redacted]"
    assert headers["X-Hub-Signature-256"] == "[redacted]"
    assert headers["X-Gitea-Delivery"] == record["uuid"]
    assert json.loads(attempt["request"]["body"]) == record["payload"]
    dump = json.dumps(forge.get(base).json) + json.dumps(
        [a.request_headers for a in WebhookAttempt.select()])
    assert "s3cret" not in dump and "tok-123" not in dump
    assert forge.get(f"{base}/{record['id']}").json["uuid"] == record["uuid"]
    assert forge.get(base, as_user="bob").status_code == 403

    again = forge.post(f"{base}/{record['id']}/redeliver")
    assert again.status_code == 202, again.text
    assert again.json["uuid"] != record["uuid"] and again.json["state"] == "pending"
    forge.send()
    assert [d.uuid for d in receiver.deliveries] == [record["uuid"], again.json["uuid"]]
    assert receiver.deliveries[0].body == receiver.deliveries[1].body
    assert forge.get(f"{base}/999999").status_code == 404


def test_a_full_queue_records_further_events_as_dropped(build_forge, receiver):
    forge = build_forge(queue_limit=2)
    hook = forge.add_hook(receiver.url)
    for name in ("a", "b", "c"):
        forge.write_file(f"{name}.txt", name)
    from plue_webhooks import fan_out
    assert fan_out.fan_out(forge.service) == 2
    states = [row.state for row in WebhookDelivery.select().order_by(WebhookDelivery.id)]
    assert states == ["pending", "pending", "dropped"]
    forge.send()
    assert len(receiver.deliveries) == 2
    listed = forge.get(f"/repos/alice/project/hooks/{hook['id']}/deliveries").json
    assert [d["state"] for d in listed] == ["dropped", "delivered", "delivered"]


def test_old_finished_deliveries_are_pruned_and_pending_ones_kept(forge, receiver):
    import datetime
    from plue_webhooks import scheduled_jobs
    forge.add_hook(receiver.url)
    forge.write_file("a.txt", "a\n")
    forge.send()
    forge.write_file("b.txt", "b\n")  # stays pending
    from plue_webhooks import fan_out
    fan_out.fan_out(forge.service)
    forge.write_file("c.txt", "c\n")  # not even fanned out
    old = datetime.datetime(2000, 1, 1)
    WebhookDelivery.update(created_at=old).execute()
    WebhookPayload.update(created_at=old).execute()
    assert scheduled_jobs.prune_deliveries(forge.service) == 1
    assert [row.state for row in WebhookDelivery.select()] == ["pending"]
    assert WebhookAttempt.select().count() == 0
    # The pruned delivery's payload went with it; the others' stay.
    [pending] = WebhookDelivery.select()
    assert sorted((row.id == pending.payload_id, row.fanned_out)
                  for row in WebhookPayload.select()) == [(False, False), (True, True)]


def test_a_form_hook_gets_the_json_in_the_payload_field_signed_as_gitea_signs_it(forge, receiver):
    forge.add_hook(receiver.url, content_type="form")
    forge.write_file("a.txt", "a\n")
    forge.send()
    [delivery] = receiver.deliveries
    assert delivery.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert delivery.body.startswith(b"payload=")
    assert receiver.check(delivery, "s3cret")["ref"] == "refs/heads/main"


def test_the_test_endpoint_sends_the_branchs_last_commit_to_that_hook(forge, receiver):
    hook = forge.add_hook(receiver.url, events=["issues"], active=False)
    head = forge.write_file("a.txt", "a\n")["commit"]["sha"]
    assert forge.post(f"/repos/alice/project/hooks/{hook['id']}/tests").status_code == 204
    assert forge.post(f"/repos/alice/project/hooks/{hook['id']}/tests?ref=nope").status_code == 404
    forge.send()
    [delivery] = receiver.deliveries
    payload = receiver.check(delivery, "s3cret")
    assert payload["after"] == head and payload["commits"][0]["id"] == head


def test_the_sender_thread_delivers_after_the_commit_without_the_job(build_forge, receiver):
    import time
    forge = build_forge(send_in_process=True)
    forge.add_hook(receiver.url)
    forge.write_file("a.txt", "a\n")
    deadline = time.monotonic() + 10
    while not receiver.deliveries and time.monotonic() < deadline:
        time.sleep(0.05)
    assert len(receiver.deliveries) == 1
    assert forge.service.sender_thread is not None


def test_chat_hooks_get_their_own_message_formats(forge, receiver):
    forge.add_hook(receiver.url + "?slack", type="slack",
                   config={"channel": "#dev", "username": "plue"})
    forge.add_hook(receiver.url + "?discord", type="discord")
    forge.add_hook(receiver.url + "?msteams", type="msteams")
    forge.write_file("a.txt", "a\n")
    forge.send()
    by_path = {d.path: json.loads(d.body) for d in receiver.deliveries}
    slack = by_path["/hook?slack"]
    assert slack["channel"] == "#dev" and slack["username"] == "plue"
    assert "[alice/project]:main 1 new commit by alice" in slack["text"]
    embed = by_path["/hook?discord"]["embeds"][0]
    assert embed["title"].startswith("[alice/project]:main") and embed["author"]["name"] == "alice"
    card = by_path["/hook?msteams"]
    assert card["@type"] == "MessageCard" and card["title"].startswith("[alice/project]")
    assert all(d.headers["X-Gitea-Event"] == "push" for d in receiver.deliveries)


def test_a_secret_sealed_under_another_key_fails_the_delivery_without_sending(forge, receiver):
    from plue_core.sealing import SecretBox
    from plue_webhooks.models import Webhook
    hook = forge.add_hook(receiver.url)
    other = SecretBox("another-secret-key-of-enough-length-0123", salt=b"plue-webhooks",
                      purpose=b"webhook secret")
    Webhook.update(sealed_secret=other.encrypt("s3cret")).where(Webhook.id == hook["id"]).execute()
    forge.write_file("a.txt", "a\n")
    assert forge.send() == 1
    assert receiver.deliveries == []
    [row] = WebhookDelivery.select()
    assert row.state == "failed" and "secret_key" in WebhookAttempt.get().error
