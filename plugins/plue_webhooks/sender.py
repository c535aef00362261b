"""The sender: fans the outbox's events out to their hooks (``fan_out``), then takes the due
deliveries and posts them, never on a request thread. It runs as the scheduled job
``webhooks.deliver`` (every ``sender_interval`` seconds, in the scheduler process) and, in a
serving process, as a thread woken when a change there wrote an event. Each delivery is
claimed with a lease (a conditional update), so two senders never send it at once; it is
sent, then its attempt is recorded and its state moved in one transaction. Network errors
and 5xx answers are retried with exponential backoff until ``max_attempts``; any other
answer is final."""

from __future__ import annotations

import datetime
import logging
import threading
import time

from plue_core.db import connection, utcnow, write_transaction

from plue_webhooks import fan_out, http_client, requests_out
from plue_webhooks.host_guard import HostAllowList, HostNotAllowed
from plue_webhooks.models import Webhook, WebhookAttempt, WebhookDelivery, WebhookPayload

log = logging.getLogger("plue.webhooks")


def lease_seconds(settings: dict) -> float:
    return settings["deliver_timeout"] * (http_client.MAX_REDIRECTS + 1) + 30


def due(settings: dict, now: datetime.datetime) -> list[int]:
    free = WebhookDelivery.lease_until.is_null() | (WebhookDelivery.lease_until < now)
    query = (WebhookDelivery.select(WebhookDelivery.id)
             .where((WebhookDelivery.state == "pending")
                    & (WebhookDelivery.next_attempt_at <= now) & free)
             .order_by(WebhookDelivery.next_attempt_at, WebhookDelivery.id)
             .limit(settings["batch_size"]))
    return [row.id for row in query]


def claim(settings: dict, delivery_id: int, now: datetime.datetime) -> bool:
    free = WebhookDelivery.lease_until.is_null() | (WebhookDelivery.lease_until < now)
    until = now + datetime.timedelta(seconds=lease_seconds(settings))
    return bool(WebhookDelivery.update(lease_until=until)
                .where((WebhookDelivery.id == delivery_id)
                       & (WebhookDelivery.state == "pending") & free).execute())


def send_due(service) -> int:
    """One pass: fan out the waiting events, then send every delivery due now; returns how
    many were sent (tried)."""
    settings = service.settings
    sent = 0
    with connection(service.ctx.db):
        fan_out.fan_out(service)
        now = utcnow()
        bodies: dict[int, dict] = {}  # each payload read once a pass, however many hooks
        for delivery_id in due(settings, now):
            if claim(settings, delivery_id, now):
                deliver(service, WebhookDelivery.get_by_id(delivery_id), bodies)
                sent += 1
    return sent


def backoff(settings: dict, attempt: int) -> float:
    return min(settings["retry_backoff"] * 2 ** (attempt - 1), settings["retry_backoff_max"])


def deliver(service, delivery: WebhookDelivery,
            bodies: dict[int, dict] | None = None) -> WebhookAttempt | None:
    """Send ``delivery`` once (it is claimed) and record the attempt; ``bodies`` (payload
    id -> body) spares reading a payload again."""
    settings = service.settings
    hook = Webhook.get_or_none(Webhook.id == delivery.webhook_id)
    if hook is None:  # deleted while we held the delivery; its rows go with it
        return None
    try:
        secret = service.secret_box.decrypt(hook.sealed_secret) if hook.sealed_secret else ""
        authorization = (service.authorization_box.decrypt(hook.sealed_authorization)
                         if hook.sealed_authorization else "")
    except ValueError as exc:  # sealed under another secret_key: unsendable, never retried
        return _give_up(delivery, hook, f"the hook's secret or authorization header: {exc}")
    bodies = {} if bodies is None else bodies
    if delivery.payload_id not in bodies:
        bodies[delivery.payload_id] = WebhookPayload.get_by_id(delivery.payload_id).body
    payload = bodies[delivery.payload_id]
    # The per-hook rendering (chat formats, form bodies, signatures) happens here, per send.
    body, content_type, signed = requests_out.body_of(hook, delivery.event, payload)
    headers = requests_out.headers_of(delivery, delivery.event, signed, content_type, secret,
                                      authorization)
    number = delivery.attempts + 1
    url = requests_out.url_of(hook)
    record = WebhookAttempt(delivery=delivery.id, attempt=number, started_at=utcnow(),
                            request_url=url, request_headers=requests_out.redacted(headers),
                            request_body=body.decode("utf-8", "replace"))
    started = time.monotonic()
    retry = False
    try:
        answer = http_client.send(hook.http_method, url, headers, body,
                                  allow=HostAllowList(settings["allowed_host_list"]),
                                  timeout=settings["deliver_timeout"],
                                  body_limit=settings["response_body_limit"])
    except HostNotAllowed as exc:
        record.error = str(exc)
    except (OSError, http_client.http.client.HTTPException) as exc:
        record.error = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        retry = True
    else:
        record.response_status = answer.status
        record.response_headers = answer.headers
        limit = settings["response_body_limit"]
        record.response_body = answer.body[:limit].decode("utf-8", "replace")
        retry = answer.status >= 500
    record.duration_ms = int((time.monotonic() - started) * 1000)
    delivered = record.response_status is not None and 200 <= record.response_status < 300
    with write_transaction():
        record.save()
        changes = {"attempts": number, "lease_until": None}
        if delivered:
            changes.update(state="delivered", finished_at=utcnow())
        elif retry and number < settings["max_attempts"]:
            changes["next_attempt_at"] = utcnow() + datetime.timedelta(
                seconds=backoff(settings, number))
        else:
            changes.update(state="failed", finished_at=utcnow())
        WebhookDelivery.update(changes).where(WebhookDelivery.id == delivery.id).execute()
    if not delivered:
        # The URL may carry a token (Slack's do): log the hook, never the URL or headers.
        log.info("webhook %s delivery %s attempt %s: %s", hook.id, delivery.uuid, number,
                 record.response_status or record.error)
    return record


def _give_up(delivery: WebhookDelivery, hook: Webhook, reason: str) -> WebhookAttempt:
    number = delivery.attempts + 1
    with write_transaction():
        record = WebhookAttempt.create(delivery=delivery.id, attempt=number,
                                       request_url=hook.url, error=reason)
        (WebhookDelivery.update(state="failed", attempts=number, lease_until=None,
                                finished_at=utcnow())
         .where(WebhookDelivery.id == delivery.id).execute())
    log.warning("webhook %s delivery %s not sent: %s", hook.id, delivery.uuid, reason)
    return record


def next_due_in(now: datetime.datetime) -> float | None:
    """Seconds until the earliest pending delivery is due (None: nothing pending); 0 while
    an event waits to be fanned out."""
    if WebhookPayload.select().where(~WebhookPayload.fanned_out).exists():
        return 0.0
    earliest = (WebhookDelivery.select(WebhookDelivery.next_attempt_at)
                .where(WebhookDelivery.state == "pending")
                .order_by(WebhookDelivery.next_attempt_at).limit(1).scalar())
    if earliest is None:
        return None
    return max(0.0, (earliest - now).total_seconds())


class InProcessSender:
    """A thread in a serving process: woken after a change wrote an event here, it fans out
    and sends what is due, then sleeps until the next retry is due or the next wake-up. A wake-up may
    come before the change commits, so an empty pass right after one looks again shortly."""

    RECHECKS = (0.05, 0.2, 0.5)

    def __init__(self, service):
        self.service = service
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._run, name="plue-webhooks-sender",
                                        daemon=True)
        self._thread.start()

    def wake(self) -> None:
        self._wake.set()

    def stop(self) -> None:
        self._stopping.set()
        self._wake.set()
        self._thread.join(timeout=10)

    def _pass(self) -> float | None:
        try:
            send_due(self.service)
            with connection(self.service.ctx.db):
                return next_due_in(utcnow())
        except Exception:  # a broken pass must not end the thread; the job retries too
            log.exception("webhook sender pass failed")
            return self.service.settings["sender_interval"]

    def _run(self) -> None:
        wait = None
        while not self._stopping.is_set():
            self._wake.wait(timeout=wait)
            woken = self._wake.is_set()
            self._wake.clear()
            if self._stopping.is_set():
                break
            wait = self._pass()
            if woken and wait is None:
                for pause in self.RECHECKS:
                    if self._stopping.wait(pause):
                        return
                    wait = self._pass()
                    if wait is not None:
                        break
